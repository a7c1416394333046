// `codev run --precision` (precision_options.hpp).
#include "precision_options.hpp"

#include <iostream>
#include <optional>

#include "codev/results/results_file.hpp"
#include "codev/results/summary.hpp"
#include "progress.hpp"
#include "signals.hpp"

namespace codev::cli {

namespace {

PrecisionRule precision_rule(const PrecisionArgs& args) {
    PrecisionRule rule;
    for (const std::string& text : args.triggers) rule.triggers.push_back(parse_trigger(text));
    rule.baseline = args.baseline;
    rule.paired = args.paired;
    rule.batch = args.batch;
    rule.max_replicates = args.max_replicates;
    return rule;
}

}  // namespace

void add_precision_options(CLI::App& command, PrecisionArgs& args) {
    auto* precision = command.add_option(
        "--precision", args.triggers,
        "INDICATOR=TOL: add replicates until the 95% interval half-width of INDICATOR (an indicator of "
        "docs/indicators.md, e.g. projects_completed_total, people_reached, programme_money) is under TOL for "
        "every scenario, or for every difference with --baseline; repeat for more triggers");
    precision->allow_extra_args(false);  // one trigger per --precision: scenario files may follow
    precision->default_str("");          // none by default (not "[]")
    command
        .add_flag("--paired", args.paired,
                  "with --baseline: pair replicate r of each scenario with the baseline's (common random numbers)")
        ->needs(precision);
    command.add_option("--batch", args.batch, "with --precision: replicates added per round (default: --replicates)")
        ->default_str("")  // 0 stands for --replicates, which the help says
        ->check(CLI::Range(1, MAX_REPLICATES))
        ->needs(precision);
    command
        .add_option("--max-replicates", args.max_replicates,
                    "with --precision: stop there even if a trigger is not met")
        ->check(CLI::Range(1, MAX_REPLICATES))
        ->needs(precision);
}

int run_precise(const std::vector<Scenario>& scenarios, const EnsembleOptions& options, const PrecisionArgs& precision,
                const EnsembleArgs& args) {
    const PrecisionRule rule = precision_rule(precision);
    check_rule(rule, scenarios, options.replicates);
    EnsembleProgress progress;
    stop_on_signals(progress.stop);
    // One progress line per round, each closed before the round's own line.
    std::optional<ProgressLine> line(std::in_place, progress, !args.quiet);
    const auto after_round = [&](const EnsembleResults& so_far, int next) {
        line.reset();
        if (!args.quiet) std::cerr << format_round(so_far, next) << std::flush;
        if (next > 0) line.emplace(progress, !args.quiet);
    };
    const EnsembleResults results = run_until_precise(scenarios, options, rule, &progress, after_round);
    line.reset();
    if (caught_signal()) throw Interrupted("interrupted");
    write_results(results, args.out);
    std::cout << format_run_table(results, find_baseline(results, args.baseline), args.totals)
              << format_precision(results);
    if (const std::string warning = precision_warning(results); !warning.empty())
        std::cerr << "codev: warning: " << warning << "\n";
    std::cerr << "codev: wrote " << args.out << "\n";
    return 0;
}

}  // namespace codev::cli
