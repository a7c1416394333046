// Ensembles held in memory (ensemble.hpp): the memory sink of the runner, and
// precision rounds as its stop rule.
//
// Replicate r of every scenario uses the same random streams whatever the
// round it runs in, so adding rounds never changes the replicates already
// run: the final results are those of a fixed-size run with the final count,
// and a baseline's replicate r is paired with every policy's replicate r
// (common random numbers).
#include "codev/ensemble/ensemble.hpp"

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <memory>
#include <string>

namespace codev {

std::int64_t ensemble_months(const std::vector<Scenario>& scenarios, int replicates) {
    std::int64_t total = 0;
    for (const Scenario& s : scenarios) total += std::int64_t(s.params.months) * replicates;
    return total;
}

void check_ensemble_memory(const std::vector<Scenario>& scenarios, int replicates) {
    const double physical = physical_memory_bytes();
    if (physical <= 0) return;  // unknown machine: do not guess
    double needed = 0;
    for (const Scenario& s : scenarios) {
        const int communes = s.params.communes.empty() ? s.params.world.communes : int(s.params.communes.size());
        needed += record_bytes(s.params.months, communes, int(s.params.programmes.size())) * replicates;
    }
    if (needed <= physical) return;
    auto gib = [](double bytes) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.1f", bytes / (1024.0 * 1024.0 * 1024.0));
        return std::string(buf);
    };
    throw ScenarioError("the records of " + std::to_string(replicates) + " replicates of " +
                        std::to_string(scenarios.size()) + " scenario(s) need about " + gib(needed) +
                        " GiB of memory, more than this machine has (" + gib(physical) +
                        " GiB): use fewer replicates, or write them to shards as they finish (codev run "
                        "--block-jobs N, codev.sweep with out=FILE)");
}

namespace {

// Every scenario of the plan, made once.
std::vector<Scenario> make_scenarios(const JobPlan& plan) {
    if (plan.scenarios == 0 || plan.replicates < 1)
        throw ScenarioError("nothing to run: no scenarios or no replicates");
    std::vector<Scenario> scenarios;
    scenarios.reserve(plan.scenarios);
    for (std::size_t s = 0; s < plan.scenarios; ++s) scenarios.push_back(plan.scenario(s));
    return scenarios;
}

// Room for `added` more replicates after each scenario's `before`, keeping
// records[scenario * replicates + replicate].
void widen(std::vector<JobRecord>& records, std::size_t scenarios, std::size_t before, std::size_t added) {
    std::vector<JobRecord> wider(scenarios * (before + added));
    for (std::size_t s = 0; s < scenarios; ++s) {
        const auto mine = records.begin() + std::ptrdiff_t(s * before);
        std::move(mine, mine + std::ptrdiff_t(before), wider.begin() + std::ptrdiff_t(s * (before + added)));
    }
    records = std::move(wider);
}

}  // namespace

EnsembleResults run_ensemble(const JobPlan& plan, const RunnerOptions& options, RunProgress* progress,
                             const PrecisionRule* until, const RoundCallback& after_round) {
    const std::vector<Scenario> scenarios = make_scenarios(plan);
    if (until) check_rule(*until, scenarios, plan.replicates);
    EnsembleResults results;
    results.seed = plan.seed;
    results.command_line = plan.command_line;
    // The jobs run the scenarios made above, not new ones from the plan.
    JobPlan made = plan;
    made.scenario = [&scenarios](std::size_t s) { return scenarios[s]; };
    const std::vector<ForkOrigin> origins = plan_fork_origins(made, options, 0, scenarios.size());
    for (std::size_t s = 0; s < scenarios.size(); ++s) {
        const std::string parent = origins[s].parent >= 0 ? scenarios[std::size_t(origins[s].parent)].name
                                   : options.from         ? options.from->scenario_name
                                                          : "";
        results.scenarios.push_back(describe_scenario(scenarios[s], plan.seed, origins[s], parent));
        results.months = std::max(results.months, scenarios[s].params.months);
    }
    PrecisionOutcome outcome = until ? start_outcome(*until, scenarios, plan.replicates) : PrecisionOutcome{};
    for (int round = plan.replicates; round > 0;) {
        const int before = results.replicates, total = before + round;
        check_ensemble_memory(scenarios, total);
        widen(results.records, scenarios.size(), std::size_t(before), std::size_t(round));
        std::vector<Job> jobs;
        for (std::size_t s = 0; s < scenarios.size(); ++s)
            for (int r = before; r < total; ++r) jobs.push_back({s, r});
        if (progress) {
            progress->months_total = ensemble_months(scenarios, total);
            progress->jobs_total = std::int64_t(jobs.size()) + progress->jobs_total;
            progress->started = true;
        }
        run_jobs(made, jobs, options, progress, [&](std::size_t i, JobRecord&& record) {
            results.records[jobs[i].scenario * std::size_t(total) + std::size_t(jobs[i].replicate)] = std::move(record);
        });
        results.replicates = total;
        if (!until) break;
        record_check(outcome, precision_half_widths(results, *until), total);
        round = next_round(outcome, total);
        results.precision = outcome;
        if (after_round) after_round(results, round);
    }
    return results;
}

EnsembleResults run_ensemble(std::vector<Scenario> scenarios, const EnsembleOptions& options, RunProgress* progress,
                             const PrecisionRule* until, const RoundCallback& after_round) {
    RunnerOptions runner;
    runner.threads = options.threads;
    runner.run = options.run;
    return run_ensemble(scenarios_plan(std::move(scenarios), options.replicates, options.seed, options.command_line),
                        runner, progress, until, after_round);
}

}  // namespace codev
