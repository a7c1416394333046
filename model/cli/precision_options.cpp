// `codev run --precision` (precision_options.hpp).
#include "precision_options.hpp"

namespace codev::cli {

PrecisionRule precision_rule(const PrecisionArgs& args) {
    PrecisionRule rule;
    for (const std::string& text : args.triggers) rule.triggers.push_back(parse_trigger(text));
    rule.baseline = args.baseline;
    rule.paired = args.paired;
    rule.batch = args.batch;
    rule.max_replicates = args.max_replicates;
    return rule;
}

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

}  // namespace codev::cli
