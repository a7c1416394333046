// The sharded commands of `codev`: `sweep`, `assemble`, and `run` when it is
// distributed (mpirun) or resumable (--resume, --jobs). Thin: arguments to a
// JobPlan and ShardOptions, then include/codev/shards.hpp does the work.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "codev/ensemble/distributed.hpp"
#include "codev/ensemble/shards.hpp"
#include "state_options.hpp"

namespace codev::cli {

// What every ensemble command takes.
struct EnsembleArgs {
    int replicates = 10;
    std::uint64_t seed = 0;
    int threads = 0;
    std::string out;
    bool check = false;
    bool quiet = false;
    std::string baseline;  // `run`: the scenario the effect table compares with ("" : the declared one)
    bool totals = false;   // `run`: print each scenario's totals instead of the effects
};

struct ShardArgs {
    bool resume = false;
    std::string jobs;  // "START:END", job numbers, END excluded
    std::size_t block_jobs = 0;
    bool keep_shards = false;
    int checkpoint_months = 0;  // --checkpoint-every: jobs' states every N months, for --resume
    bool no_forks = false;      // --no-forks: every job from its first month

    // Whether `codev run` should go through shards even in one process.
    bool wanted() const { return resume || !jobs.empty() || block_jobs > 0 || keep_shards || checkpoint_months > 0; }
};

struct SweepArgs {
    std::string base;
    std::vector<std::string> factors;
    std::string design = "grid";
    int n = 0;
    std::string design_csv;
};

void add_shard_options(CLI::App& command, ShardArgs& args);
void add_sweep_options(CLI::App& command, SweepArgs& args);

// The plan of `codev sweep`. Throws ScenarioError for bad factors or points.
// `check_out` is called with the files read (base scenario, its chain, the
// design CSV) once they are known and before the design is made.
JobPlan sweep_command_plan(const SweepArgs& sweep, const EnsembleArgs& args, const std::string& command_line,
                           const std::function<void(const std::vector<std::string>&)>& check_out);

// Runs a plan through shards, with a progress line on process 0; prints the
// comparison table (`print_table`) or a one-line report. Returns the exit status.
int run_sharded_command(const JobPlan& plan, const EnsembleArgs& args, const ShardArgs& shards,
                        const ProcessGroup& group, bool print_table, const codev::StateSetup& states = {});

// `codev assemble FILE.h5`.
int assemble_command(const std::string& out, bool keep_shards);

}  // namespace codev::cli
