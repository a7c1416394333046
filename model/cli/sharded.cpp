// The sharded commands (sharded.hpp).
#include "sharded.hpp"

#include <filesystem>
#include <iostream>

#include "codev/ensemble/sweep.hpp"
#include "codev/results/results_file.hpp"
#include "codev/results/summary.hpp"
#include "codev/scenario/scenario.hpp"
#include "progress.hpp"
#include "shipped.hpp"
#include "signals.hpp"

namespace codev::cli {

namespace {

// "START:END" -> [START, END)
std::pair<std::size_t, std::size_t> job_range(const std::string& text) {
    const auto colon = text.find(':');
    std::size_t first = 0, last = 0, used = 0, used_last = 0;
    try {
        if (colon == std::string::npos) throw std::invalid_argument(text);
        first = std::stoull(text.substr(0, colon), &used);
        last = std::stoull(text.substr(colon + 1), &used_last);
    } catch (const std::logic_error&) {
        throw ScenarioError("--jobs: '" + text + "' is not START:END (job numbers, END excluded)");
    }
    if (used != colon || used_last != text.size() - colon - 1 || first >= last)
        throw ScenarioError("--jobs: '" + text + "' is not START:END with START < END");
    return {first, last};
}

std::string sweep_description(const SweepArgs& sweep) {
    if (!sweep.design_csv.empty()) return "design-csv " + sweep.design_csv;
    std::string text = "design " + sweep.design + ", n " + std::to_string(sweep.n) + ", factors";
    for (const std::string& factor : sweep.factors) text += " " + factor;
    return text;
}

}  // namespace

void add_shard_options(CLI::App& command, ShardArgs& args) {
    command.add_flag("--resume", args.resume, "continue an interrupted run from its finished blocks (in OUT.shards/)");
    command.add_option("--jobs", args.jobs,
                       "run only the blocks whose first job is in START:END (END excluded) and leave the shards "
                       "for `codev assemble` (cluster job arrays)");
    command.add_option("--block-jobs", args.block_jobs, "jobs per shard (default: about 8 MiB of records)")
        ->default_str("")  // 0 stands for the size the help says
        ->check(CLI::Range(std::size_t(1), std::size_t(1) << 20));
    command.add_flag("--keep-shards", args.keep_shards, "keep OUT.shards/ after assembling");
    command
        .add_option("--checkpoint-every", args.checkpoint_months,
                    "save each job's state every N simulated months in OUT.shards/checkpoints/, so that --resume "
                    "continues a long job where it stopped (0: only finished blocks are kept)")
        ->check(CLI::Range(0, 1000000));
    command.add_flag("--no-forks", args.no_forks,
                     "run every job from its first month, without sharing the past of scenarios that differ only "
                     "later (the same results, slower: to check or time forks)");
}

void add_sweep_options(CLI::App& command, SweepArgs& args) {
    command.add_option("base", args.base, "base scenario (TOML), or the name of a shipped scenario")->required();
    command
        .add_option("--factor,-f", args.factors,
                    "KEY=LOW:HIGH or KEY=V1,V2,... (a dotted key, e.g. programmes.codev.share=0.5:0.9); repeat")
        ->default_str("");
    command.add_option("--design,-d", args.design, "grid, lhs or sobol (Saltelli's scheme)")
        ->check(CLI::IsMember({"grid", "lhs", "sobol"}));
    command
        .add_option("--n,-n", args.n,
                    "grid: levels per ranged factor; lhs: points; sobol: base points (N * (factors + 2) points)")
        ->default_str("");  // no default: required with --factor
    command.add_option("--design-csv", args.design_csv,
                       "run the points of a CSV file (a header of dotted keys, one point per line)");
}

JobPlan sweep_command_plan(const SweepArgs& sweep, const EnsembleArgs& args, const std::string& command_line,
                           const std::function<void(const std::vector<std::string>&)>& check_out) {
    const Scenario base = load_scenario(scenario_argument(sweep.base));
    check_replicates(args.replicates);
    std::vector<std::string> inputs = base.sources;
    if (!sweep.design_csv.empty()) inputs.push_back(sweep.design_csv);
    check_out(inputs);
    Design design;
    if (!sweep.design_csv.empty()) {
        if (!sweep.factors.empty() || sweep.n != 0)
            throw ScenarioError("--design-csv gives the points: leave out --factor and --n");
        design = csv_design(base, sweep.design_csv);
    } else {
        std::vector<Factor> factors;
        for (const std::string& spec : sweep.factors) factors.push_back(parse_factor(spec));
        design = make_design(base, factors, parse_design_kind(sweep.design), sweep.n, args.seed);
    }
    return sweep_plan(base, std::move(design), args.replicates, args.seed, command_line, sweep_description(sweep));
}

int run_sharded_command(const JobPlan& plan, const EnsembleArgs& args, const ShardArgs& shards,
                        const ProcessGroup& group, bool print_table, const codev::StateSetup& states) {
    ShardOptions options;
    options.out = args.out;
    options.block_jobs = shards.block_jobs;
    options.resume = shards.resume;
    options.keep_shards = shards.keep_shards;
    if (!shards.jobs.empty()) options.jobs = job_range(shards.jobs);
    options.threads = args.threads > 0 ? args.threads : default_threads(group);
    options.run.check_invariants = args.check;
    options.checkpoint_months = shards.checkpoint_months;
    options.forks = !shards.no_forks;
    options.from = states.from;
    options.save_month = states.save_month;
    options.save_directory = states.save_directory;
    RunProgress progress;
    stop_on_signals(progress.stop);
    ShardOutcome outcome;
    {
        ProgressLine line(progress, !args.quiet && group.rank() == 0, Count::jobs);
        outcome = run_sharded(plan, options, &progress, group);
    }
    if (group.rank() != 0) return 0;
    if (!outcome.assembled) {
        std::cerr << "codev: ran " << outcome.blocks_run << " block(s)";
        if (group.size() > 1) std::cerr << " on process 0 of " << group.size();
        std::cerr << "; " << outcome.blocks_found << " of " << outcome.blocks << " were done before. Shards are in "
                  << shard_directory(args.out) << "; when every block is done: codev assemble " << args.out << "\n";
        return 0;
    }
    if (print_table) {
        const EnsembleResults results = read_results(args.out);
        std::cout << format_run_table(results, find_baseline(results, args.baseline), args.totals);
    }
    std::cerr << "codev: wrote " << args.out << " (" << plan.scenarios << " scenarios x " << plan.replicates
              << " replicates";
    if (outcome.blocks_found > 0) std::cerr << "; " << outcome.blocks_found << " blocks resumed";
    std::cerr << ")\n";
    return 0;
}

int assemble_command(const std::string& out, bool keep_shards) {
    assemble_shards(out, keep_shards);
    std::cerr << "codev: wrote " << out << "\n";
    return 0;
}

}  // namespace codev::cli
