// Ensembles of jobs (docs/architecture.md 2.3): TBB across jobs and inside each job.
#include "codev/ensemble/ensemble.hpp"

#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>

#include "codev/initialisation.hpp"

namespace codev {

void check_replicates(int replicates) {
    if (replicates < 1 || replicates > MAX_REPLICATES)
        throw ScenarioError("--replicates: " + std::to_string(replicates) + " is out of range (allowed: 1 to " +
                            std::to_string(MAX_REPLICATES) + ")");
}

std::int64_t ensemble_months(const std::vector<Scenario>& scenarios, int replicates) {
    std::int64_t total = 0;
    for (const Scenario& s : scenarios) total += std::int64_t(s.params.months) * replicates;
    return total;
}

ScenarioInfo describe_scenario(const Scenario& scenario, std::uint64_t seed) {
    ScenarioInfo info;
    info.name = scenario.name;
    info.toml = scenario.toml;
    info.start_date = scenario.params.start_date;
    // Communes are the same in every replicate (initialisation.cpp): replicate 0 describes them all.
    for (const CommuneParams& c : resolve_communes(scenario.params, StreamKey{seed, 0})) {
        info.commune_population.push_back(c.population);
        info.commune_region.push_back(c.region);
        info.commune_names.push_back(c.name);
    }
    return info;
}

namespace {

JobRecord run_job(const Scenario& scenario, const EnsembleOptions& options, int replicate, EnsembleProgress* progress) {
    Simulation simulation(scenario.params, options.seed, std::uint32_t(replicate), options.run);
    const bool finished = simulation.run([&] {
        if (!progress) return false;
        if (simulation.world().month >= 0)  // progress counts recorded months (the spin-up's are not)
            progress->months_done.fetch_add(1, std::memory_order_relaxed);
        return progress->stop.load(std::memory_order_relaxed);
    });
    if (!finished) throw Interrupted("run interrupted");
    return simulation.take_record();
}

}  // namespace

void check_ensemble_memory(const std::vector<Scenario>& scenarios, int replicates) {
    const double physical = physical_memory_bytes();
    if (physical <= 0) return;  // unknown machine: do not guess
    double needed = 0;
    for (const Scenario& s : scenarios) {
        const int communes = s.params.communes.empty() ? s.params.world.communes : int(s.params.communes.size());
        needed += record_bytes(s.params.months, communes) * replicates;
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
                        " GiB): use fewer replicates, or --block-jobs N to write them to shards as they finish");
}

EnsembleResults run_ensemble(const std::vector<Scenario>& scenarios, const EnsembleOptions& options,
                             EnsembleProgress* progress) {
    check_ensemble_memory(scenarios, options.first_replicate + options.replicates);
    EnsembleResults results;
    results.replicates = options.replicates;
    results.seed = options.seed;
    results.command_line = options.command_line;
    for (const Scenario& s : scenarios) {
        results.scenarios.push_back(describe_scenario(s, options.seed));
        results.months = std::max(results.months, s.params.months);
    }
    const std::size_t jobs = scenarios.size() * std::size_t(options.replicates);
    results.records.resize(jobs);
    // Replicates before this batch were counted in months_done already.
    if (progress) progress->months_total = ensemble_months(scenarios, options.first_replicate + options.replicates);
    const int threads = options.threads > 0 ? options.threads : tbb::this_task_arena::max_concurrency();
    tbb::task_arena arena(threads);
    arena.execute([&] {
        tbb::parallel_for(std::size_t(0), jobs, [&](std::size_t j) {
            const std::size_t s = j / std::size_t(options.replicates);
            const int replicate = options.first_replicate + int(j % std::size_t(options.replicates));
            results.records[j] = run_job(scenarios[s], options, replicate, progress);
        });
    });
    return results;
}

BackgroundEnsemble::BackgroundEnsemble(std::vector<Scenario> scenarios, EnsembleOptions options) {
    // Counted here, so known before run_ensemble sets progress_ on its own thread.
    months_total_ = ensemble_months(scenarios, options.replicates);
    start([scenarios = std::move(scenarios), options = std::move(options)](EnsembleProgress& progress) {
        return run_ensemble(scenarios, options, &progress);
    });
}

BackgroundEnsemble::BackgroundEnsemble(Runner run, std::int64_t months_total) : months_total_(months_total) {
    start(std::move(run));
}

void BackgroundEnsemble::start(Runner run) {
    std::packaged_task<EnsembleResults()> task([this, run = std::move(run)] { return run(progress_); });
    results_ = task.get_future().share();
    thread_ = std::thread(std::move(task));
}

BackgroundEnsemble::~BackgroundEnsemble() {
    stop();
    thread_.join();
}

bool BackgroundEnsemble::wait_for(std::chrono::milliseconds timeout) const {
    return results_.wait_for(timeout) == std::future_status::ready;
}

void BackgroundEnsemble::wait() const { results_.wait(); }

void BackgroundEnsemble::stop() { progress_.stop.store(true); }

const EnsembleResults& BackgroundEnsemble::results() const { return results_.get(); }

}  // namespace codev
