// Ensembles: (scenario x replicate) jobs run side by side with TBB, each job
// also parallel inside (docs/architecture.md 2.3).
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <thread>
#include <vector>

#include "codev/records.hpp"
#include "codev/scenario/scenario.hpp"
#include "codev/simulation.hpp"

namespace codev {

// Replicates per scenario of a run or sweep: at most this many.
inline constexpr int MAX_REPLICATES = 100000;
// Throws ScenarioError "--replicates: N is out of range (allowed: 1 to 100000)".
void check_replicates(int replicates);

// Throws ScenarioError when the records of `replicates` replicates of each
// scenario, all kept in memory until written, would not fit this machine's
// memory: refused in a second rather than std::bad_alloc after hours.
// run_ensemble calls it; a sharded run (--block-jobs) streams records instead.
void check_ensemble_memory(const std::vector<Scenario>& scenarios, int replicates);

// Shared between a running ensemble and whoever watches it (a progress line,
// a Python callback, a signal handler). Only atomics: safe from any thread.
struct EnsembleProgress {
    std::atomic<std::int64_t> months_done{0};
    // Months of replicates 0 .. the end of the current run: grows from batch
    // to batch of a precision-driven run, as months_done does.
    std::atomic<std::int64_t> months_total{0};
    std::atomic<bool> stop{false};
};

struct EnsembleOptions {
    int replicates = 1;
    int first_replicate = 0;  // runs replicates first_replicate .. first_replicate + replicates - 1
    std::uint64_t seed = 0;
    int threads = 0;  // 0: all cores
    RunOptions run;
    std::string command_line;
};

// Thrown when the ensemble was stopped through EnsembleProgress::stop.
class Interrupted : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Runs every (scenario, replicate) job. The result of a job depends only on
// its scenario, the seed and its replicate: not on threads, job order, or
// which batch (first_replicate) it was run in.
EnsembleResults run_ensemble(const std::vector<Scenario>& scenarios, const EnsembleOptions& options,
                             EnsembleProgress* progress = nullptr);

// Total months an ensemble will simulate (for progress).
std::int64_t ensemble_months(const std::vector<Scenario>& scenarios, int replicates);

// Describes a scenario's world for the results file (communes, text).
ScenarioInfo describe_scenario(const Scenario& scenario, std::uint64_t seed);

// An ensemble run on a thread of its own, so that whoever started it stays
// responsive: the Python API waits in short slices with the GIL released,
// updates its progress bar and turns Ctrl-C into stop(). Destroying a running
// BackgroundEnsemble stops it and waits for it.
class BackgroundEnsemble {
  public:
    // What runs on the thread: run_ensemble, or rounds of it (precision.hpp).
    using Runner = std::function<EnsembleResults(EnsembleProgress&)>;

    BackgroundEnsemble(std::vector<Scenario> scenarios, EnsembleOptions options);
    // `months_total`: the months known at the start; the runner may raise it.
    BackgroundEnsemble(Runner run, std::int64_t months_total);
    ~BackgroundEnsemble();
    BackgroundEnsemble(const BackgroundEnsemble&) = delete;
    BackgroundEnsemble& operator=(const BackgroundEnsemble&) = delete;

    // Waits at most `timeout`; true once the run has ended (finished, failed or stopped).
    bool wait_for(std::chrono::milliseconds timeout) const;
    // Waits for the end of the run.
    void wait() const;
    // Asks every job to stop after its current month (EnsembleProgress::stop).
    void stop();
    std::int64_t months_done() const { return progress_.months_done.load(std::memory_order_relaxed); }
    std::int64_t months_total() const { return std::max(months_total_, progress_.months_total.load()); }
    // Waits for the end of the run and gives its results; rethrows what the
    // run threw (Interrupted after stop()).
    const EnsembleResults& results() const;

  private:
    void start(Runner run);
    EnsembleProgress progress_;
    std::int64_t months_total_ = 0;
    std::shared_future<EnsembleResults> results_;
    std::thread thread_;
};

}  // namespace codev
