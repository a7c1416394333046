// The one runner of every ensemble (docs/architecture.md 2.3): a run is a
// plan of jobs (scenario x replicate) executed by run_jobs, whose records go
// to a sink: memory (ensemble.hpp, with precision rounds as a stop rule),
// shard files (shards.hpp), gathered over MPI (distributed.hpp). `codev run`,
// `codev sweep`, codev.run and codev.sweep all go through it, with one
// progress type and one background run (background.hpp).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "codev/records.hpp"
#include "codev/results/results_file.hpp"
#include "codev/scenario/scenario.hpp"
#include "codev/simulation.hpp"
#include "codev/state/fork.hpp"
#include "codev/state/statepoint.hpp"

namespace codev {

// Replicates per scenario of a run or sweep: at most this many.
inline constexpr int MAX_REPLICATES = 100000;
// Throws ScenarioError "--replicates: N is out of range (allowed: 1 to 100000)".
void check_replicates(int replicates);

// The jobs of an ensemble, described without running them. Scenarios are
// made on demand (a sweep of a million points holds its design, not a
// million scenarios).
struct JobPlan {
    std::string kind = "run";  // "run" or "sweep", recorded in a shard manifest
    std::size_t scenarios = 0;
    std::function<Scenario(std::size_t)> scenario;  // scenario s, validated; callable from any thread
    std::vector<FactorValues> factors;              // sweep factors: one value per scenario each
    int replicates = 1;                             // replicates per scenario (the first round, with precision)
    std::uint64_t seed = 0;
    std::string command_line;
    std::string description;  // one line for a shard manifest (the design, for a sweep)
};

// The plan of `codev run`: the given scenarios (names must differ).
JobPlan scenarios_plan(std::vector<Scenario> scenarios, int replicates, std::uint64_t seed, std::string command_line);

// Shared between a running ensemble and whoever watches it (a progress line,
// a Python callback, a signal handler). Only atomics: safe from any thread.
struct RunProgress {
    std::atomic<std::int64_t> months_done{0};   // simulated months recorded (spin-up months are not)
    std::atomic<std::int64_t> months_total{0};  // of the jobs known so far (grows with precision rounds)
    std::atomic<std::int64_t> jobs_done{0};     // finished, those found done by a resumed run included
    std::atomic<std::int64_t> jobs_total{0};    // every job of the run known so far
    std::atomic<std::int64_t> jobs_found{0};    // finished before this call (a resumed sharded run)
    std::atomic<bool> started{false};           // the totals above are set
    std::atomic<bool> stop{false};              // asks every job to stop after its current month
};

// Thrown when the run was stopped through RunProgress::stop.
class Interrupted : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// One job: a scenario of the plan and a replicate.
struct Job {
    std::size_t scenario = 0;
    int replicate = 0;
};

struct RunnerOptions {
    int threads = 0;  // 0: all cores
    RunOptions run;
    // Scenarios per window whose shared pasts are run once (state/fork.hpp):
    // 1 runs every job from the first month. A sink that groups records by
    // block bounds it (each window's replicates are open together).
    int fork_window = 1024;
    // Every job continues replicate r's statepoint (codev run --from); its
    // scenario must act as theirs before their month (check_continues).
    std::shared_ptr<const StartStates> from;
    // Saves each job's state at the start of this month as
    // save_directory/SCENARIO/rNNNN.h5 (codev run --save-state); no
    // scenario forks after it, so that each saves its own.
    std::optional<int> save_month;
    std::string save_directory;
    // Each job's state every this many months, as checkpoint_directory/sS-rR.h5
    // (0: none); a job that finds its checkpoint continues from it (a
    // resumed sharded run, shards.hpp), and remove_checkpoint drops it.
    int checkpoint_months = 0;
    std::string checkpoint_directory;
};

// The checkpoint file of job (scenario, replicate) in `directory`.
std::string checkpoint_file(const std::string& directory, std::size_t scenario, int replicate);

// Receives the record of jobs[i], on the worker thread that ran it.
using JobSink = std::function<void(std::size_t i, JobRecord&& record)>;

// Runs `jobs` with `threads` workers that take them in order (so the sinks
// that group jobs into blocks hold only a few open blocks), each job also
// parallel inside. A job's record depends only on its scenario, the seed and
// its replicate: not on threads, job order, or the call it ran in. The first
// failure stops the other jobs and is rethrown; after progress->stop,
// Interrupted.
void run_jobs(const JobPlan& plan, const std::vector<Job>& jobs, const RunnerOptions& options, RunProgress* progress,
              const JobSink& sink);

// Where scenarios [first, first + count) of the plan start when run with
// `options` (windows, saved and continued states): parents are indices of
// the plan, -1 for a scenario run from the first month or from options.from.
std::vector<ForkOrigin> plan_fork_origins(const JobPlan& plan, const RunnerOptions& options, std::size_t first,
                                          std::size_t count);

// The window of a sharded run: as many scenarios as keep the records of
// their replicates within about 512 MiB (1 to 1024).
int shard_fork_window(const JobPlan& plan);

// Describes a scenario's world for the results file (communes, text), and
// where it forked (`origin`, with `parent_name` its parent's name).
ScenarioInfo describe_scenario(const Scenario& scenario, std::uint64_t seed, const ForkOrigin& origin = {},
                               const std::string& parent_name = "");

}  // namespace codev
