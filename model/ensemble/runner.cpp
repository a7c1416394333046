// The one runner (runner.hpp): plans of jobs, and the loop that runs them.
//
// Jobs are handed out in order from one counter to as many workers as there
// are threads (not split by TBB's parallel_for), so that a sink grouping jobs
// into blocks (shards.cpp) has at most about `threads` blocks open: memory
// stays a few blocks, and a kill loses at most those blocks' jobs. Inside a
// job the model's own loops use the same arena, so a run of fewer jobs than
// threads still uses every thread.
#include "codev/ensemble/runner.hpp"

#include <tbb/task_arena.h>
#include <tbb/task_group.h>

#include <exception>
#include <memory>
#include <mutex>

#include "codev/initialisation.hpp"

namespace codev {

void check_replicates(int replicates) {
    if (replicates < 1 || replicates > MAX_REPLICATES)
        throw ScenarioError("--replicates: " + std::to_string(replicates) + " is out of range (allowed: 1 to " +
                            std::to_string(MAX_REPLICATES) + ")");
}

JobPlan scenarios_plan(std::vector<Scenario> scenarios, int replicates, std::uint64_t seed, std::string command_line) {
    JobPlan plan;
    plan.kind = "run";
    plan.scenarios = scenarios.size();
    plan.replicates = replicates;
    plan.seed = seed;
    plan.command_line = std::move(command_line);
    for (const Scenario& s : scenarios) plan.description += (plan.description.empty() ? "" : " ") + s.name;
    auto shared = std::make_shared<const std::vector<Scenario>>(std::move(scenarios));
    plan.scenario = [shared](std::size_t s) { return shared->at(s); };
    return plan;
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
    for (const ProgrammeParams& p : scenario.params.programmes) {
        info.programme_names.push_back(p.name);
        info.programme_funders.push_back(p.funder);
    }
    return info;
}

namespace {

class JobLoop {
  public:
    JobLoop(const JobPlan& plan, const std::vector<Job>& jobs, const RunnerOptions& options, RunProgress* progress,
            const JobSink& sink)
        : plan_(plan), jobs_(jobs), options_(options), progress_(progress), sink_(sink) {}

    void run() {
        const int threads = options_.threads > 0 ? options_.threads : tbb::this_task_arena::max_concurrency();
        tbb::task_arena arena(threads);
        arena.execute([&] {
            tbb::task_group workers;
            for (int t = 0; t < threads; ++t) workers.run([this] { work(); });
            workers.wait();
        });
        if (error_) std::rethrow_exception(error_);
    }

  private:
    void work() {
        try {
            for (std::size_t i; !abort_ && (i = next_.fetch_add(1)) < jobs_.size();) {
                sink_(i, run_one(jobs_[i]));
                if (progress_) progress_->jobs_done.fetch_add(1, std::memory_order_relaxed);
            }
        } catch (...) {
            std::lock_guard<std::mutex> lock(mutex_);
            // The first failure is the news; others are the abort it caused.
            if (!error_) error_ = std::current_exception();
            abort_ = true;
        }
    }

    JobRecord run_one(const Job& job) {
        const Scenario scenario = plan_.scenario(job.scenario);
        Simulation simulation(scenario.params, plan_.seed, std::uint32_t(job.replicate), options_.run);
        const bool finished = simulation.run([&] {
            if (abort_.load(std::memory_order_relaxed)) return true;
            if (!progress_) return false;
            if (simulation.world().month >= 0)  // progress counts recorded months (the spin-up's are not)
                progress_->months_done.fetch_add(1, std::memory_order_relaxed);
            return progress_->stop.load(std::memory_order_relaxed);
        });
        if (!finished) throw Interrupted("run interrupted");
        return simulation.take_record();
    }

    const JobPlan& plan_;
    const std::vector<Job>& jobs_;
    const RunnerOptions& options_;
    RunProgress* progress_;
    const JobSink& sink_;
    std::atomic<std::size_t> next_{0};
    std::atomic<bool> abort_{false};
    std::mutex mutex_;
    std::exception_ptr error_;
};

}  // namespace

void run_jobs(const JobPlan& plan, const std::vector<Job>& jobs, const RunnerOptions& options, RunProgress* progress,
              const JobSink& sink) {
    if (!jobs.empty()) JobLoop(plan, jobs, options, progress, sink).run();
}

}  // namespace codev
