// Runs on a thread of their own (background.hpp).
#include "codev/ensemble/background.hpp"

#include <memory>
#include <utility>

namespace codev {

BackgroundRun::BackgroundRun(Work work) {
    std::packaged_task<RunOutcome()> task([this, work = std::move(work)] { return work(progress_); });
    outcome_ = task.get_future().share();
    thread_ = std::thread(std::move(task));
}

BackgroundRun::~BackgroundRun() {
    stop();
    thread_.join();
}

bool BackgroundRun::wait_for(std::chrono::milliseconds timeout) const {
    return outcome_.wait_for(timeout) == std::future_status::ready;
}

void BackgroundRun::wait() const { outcome_.wait(); }

void BackgroundRun::stop() { progress_.stop.store(true); }

const RunOutcome& BackgroundRun::outcome() const { return outcome_.get(); }

std::unique_ptr<BackgroundRun> start_in_memory(JobPlan plan, RunnerOptions options,
                                               std::optional<PrecisionRule> until) {
    if (until) {
        std::vector<Scenario> scenarios;
        for (std::size_t s = 0; s < plan.scenarios; ++s) scenarios.push_back(plan.scenario(s));
        check_rule(*until, scenarios, plan.replicates);
    }
    return std::make_unique<BackgroundRun>(
        [plan = std::move(plan), options, until = std::move(until)](RunProgress& progress) {
            RunOutcome outcome;
            outcome.results = run_ensemble(plan, options, &progress, until ? &*until : nullptr);
            outcome.factors = plan.factors;
            return outcome;
        });
}

std::unique_ptr<BackgroundRun> start_sharded(JobPlan plan, ShardOptions options) {
    return std::make_unique<BackgroundRun>(
        [plan = std::move(plan), options = std::move(options)](RunProgress& progress) {
            RunOutcome outcome;
            outcome.shards = run_sharded(plan, options, &progress);
            return outcome;
        });
}

}  // namespace codev
