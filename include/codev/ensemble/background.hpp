// A run on a thread of its own, so that whoever started it stays responsive:
// the Python API (codev.run, codev.sweep) waits in short slices with the GIL
// released, updates its progress bar from the one RunProgress and turns
// Ctrl-C into stop(). The same type carries an in-memory ensemble (with or
// without a precision rule) and a sharded run.
#pragma once

#include <chrono>
#include <functional>
#include <future>
#include <optional>
#include <string>
#include <thread>

#include "codev/ensemble/ensemble.hpp"
#include "codev/ensemble/precision.hpp"
#include "codev/ensemble/runner.hpp"
#include "codev/ensemble/shards.hpp"

namespace codev {

// What a run gives: its records when held in memory, what happened to the
// shards when sharded.
struct RunOutcome {
    EnsembleResults results;            // in memory; empty for a sharded run
    std::vector<FactorValues> factors;  // the plan's (a sweep's factors), for writing `results`
    ShardOutcome shards;                // sharded; empty for a run in memory
};

class BackgroundRun {
  public:
    // What runs on the thread.
    using Work = std::function<RunOutcome(RunProgress&)>;

    explicit BackgroundRun(Work work);
    ~BackgroundRun();  // stops a running run and waits for it
    BackgroundRun(const BackgroundRun&) = delete;
    BackgroundRun& operator=(const BackgroundRun&) = delete;

    // Waits at most `timeout`; true once the run has ended (finished, failed or stopped).
    bool wait_for(std::chrono::milliseconds timeout) const;
    void wait() const;
    // Asks every job to stop after its current month (a sharded run keeps its finished blocks).
    void stop();
    const RunProgress& progress() const { return progress_; }
    // Waits for the end of the run and gives its outcome; rethrows what the
    // run threw (Interrupted after stop()).
    const RunOutcome& outcome() const;

  private:
    RunProgress progress_;
    std::shared_future<RunOutcome> outcome_;
    std::thread thread_;
};

// An ensemble held in memory (run_ensemble), with a precision rule or not.
// The rule is checked here, so a mistake is an error before the thread starts.
std::unique_ptr<BackgroundRun> start_in_memory(JobPlan plan, RunnerOptions options,
                                               std::optional<PrecisionRule> until = std::nullopt);

// A sharded run of this process alone (run_sharded).
std::unique_ptr<BackgroundRun> start_sharded(JobPlan plan, ShardOptions options);

}  // namespace codev
