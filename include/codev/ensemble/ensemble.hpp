// Ensembles held in memory: the runner's jobs (runner.hpp) with their records
// collected in one EnsembleResults, and precision-driven replicates as a stop
// rule of the same loop (precision.hpp, docs/architecture.md 2.3).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "codev/ensemble/precision.hpp"
#include "codev/ensemble/runner.hpp"
#include "codev/records.hpp"
#include "codev/scenario/scenario.hpp"

namespace codev {

// Throws ScenarioError when the records of `replicates` replicates of each
// scenario, all kept in memory until written, would not fit this machine's
// memory: refused in a second rather than std::bad_alloc after hours. A
// sharded run (`--block-jobs`, codev.sweep with `out`) streams records instead.
void check_ensemble_memory(const std::vector<Scenario>& scenarios, int replicates);

// Total months an ensemble will simulate (for progress).
std::int64_t ensemble_months(const std::vector<Scenario>& scenarios, int replicates);

// Runs every job of `plan` (plan.replicates replicates of every scenario)
// and returns their records, records[scenario * replicates + replicate].
// Every scenario is made (and so validated) once, before any job runs.
// With `until`, adds rounds of replicates until the rule is met or its
// max_replicates is reached; `after_round` is called after each round with
// the results so far (their `precision` filled) and the replicates of the
// next round (0: the last). Replicate r is the same job whatever the round,
// so the results equal those of a fixed run with the final count, plus
// `precision`. Throws ScenarioError (an invalid scenario, check_rule,
// check_ensemble_memory), Interrupted (progress->stop) and what a job throws.
EnsembleResults run_ensemble(const JobPlan& plan, const RunnerOptions& options, RunProgress* progress = nullptr,
                             const PrecisionRule* until = nullptr, const RoundCallback& after_round = {});

// The same for a list of scenarios, the way tests and `codev bench` call it.
struct EnsembleOptions {
    int replicates = 1;
    std::uint64_t seed = 0;
    int threads = 0;  // 0: all cores
    RunOptions run;
    std::string command_line;
};
EnsembleResults run_ensemble(std::vector<Scenario> scenarios, const EnsembleOptions& options,
                             RunProgress* progress = nullptr, const PrecisionRule* until = nullptr,
                             const RoundCallback& after_round = {});

}  // namespace codev
