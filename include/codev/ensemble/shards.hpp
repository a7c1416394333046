// Ensembles run in blocks of jobs, each block saved to a shard file as soon
// as it finishes, and the results file assembled from the shards
// (docs/cluster.md). So a run's memory is a few blocks whatever its size, an
// interrupted run resumes from its finished blocks, and the processes of an
// MPI launch or the tasks of a cluster job array share one ensemble's jobs.
//
// A job is (scenario, replicate), numbered scenario * replicates + replicate.
// The shards of FILE.h5 are FILE.h5.shards/block-NNNNNN.h5, ordinary results
// files written under a temporary name and renamed (a shard that exists is
// complete), beside manifest.toml, which says which ensemble they belong to.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "codev/ensemble/distributed.hpp"
#include "codev/ensemble/ensemble.hpp"
#include "codev/ensemble/sweep.hpp"
#include "codev/results/results_file.hpp"
#include "codev/scenario/scenario.hpp"

namespace codev {

// The jobs of an ensemble, described without running them. Scenarios are
// made on demand (a sweep of a million points holds its design, not a
// million scenarios).
struct JobPlan {
    std::string kind = "run";  // "run" or "sweep", recorded in the manifest
    std::size_t scenarios = 0;
    std::function<Scenario(std::size_t)> scenario;  // scenario s, validated; callable from any thread
    std::vector<FactorValues> factors;              // sweep factors: one value per scenario each
    int replicates = 1;
    std::uint64_t seed = 0;
    std::string command_line;
    std::string description;  // one line for the manifest (the design, for a sweep)
};

// The plan of `codev run`: the given scenarios (names must differ).
JobPlan scenarios_plan(std::vector<Scenario> scenarios, int replicates, std::uint64_t seed, std::string command_line);

// The plan of `codev sweep`: point i of `design` is sweep_point(base, design, i).
JobPlan sweep_plan(Scenario base, Design design, int replicates, std::uint64_t seed, std::string command_line,
                   std::string description);

// Contiguous jobs whose records form an ordinary results file: whole
// scenarios with all their replicates, or (when one scenario has more
// replicates than a block holds) one scenario and a range of its replicates.
struct Block {
    std::size_t index = 0;
    std::size_t first_scenario = 0, scenarios = 0;
    int first_replicate = 0, replicates = 0;
    std::size_t first_job = 0, jobs = 0;
};

// How an ensemble of scenarios x replicates is cut into blocks of at most
// `block_jobs` jobs.
class BlockLayout {
  public:
    BlockLayout(std::size_t scenarios, int replicates, std::size_t block_jobs);
    std::size_t count() const { return count_; }
    Block block(std::size_t b) const;
    std::size_t block_of_job(std::size_t job) const;

  private:
    std::size_t scenarios_;
    std::size_t replicates_;
    std::size_t scenarios_per_block_ = 1;  // when a scenario fits in a block
    std::size_t blocks_per_scenario_ = 1;  // when it does not
    std::size_t replicates_per_block_;
    std::size_t count_;
};

struct ShardOptions {
    std::string out;             // the results file; its shards go to out + ".shards/"
    std::size_t block_jobs = 0;  // jobs per block; 0: about 8 MiB of records per block
    bool resume = false;         // continue from the shards already there
    bool keep_shards = false;    // keep the shard directory after assembling
    // Run only the blocks whose first job is in [first, last) and do not
    // assemble (a task of a cluster job array).
    std::optional<std::pair<std::size_t, std::size_t>> jobs;
    int threads = 0;  // 0: every core
    RunOptions run;
};

// Shared with whoever watches a sharded run (a progress line, Python, a
// signal handler): atomics and numbers fixed before the jobs start.
struct ShardProgress {
    EnsembleProgress months;                  // months simulated in this call; stop asks the jobs to stop
    std::atomic<std::int64_t> jobs_done{0};   // jobs finished in this call
    std::atomic<std::int64_t> jobs_total{0};  // jobs this process runs in this call
    std::atomic<std::int64_t> jobs_found{0};  // jobs of blocks finished before (resumed)
    std::atomic<std::int64_t> jobs_all{0};    // every job of the ensemble
    std::atomic<bool> started{false};         // the numbers above are set
};

struct ShardOutcome {
    std::size_t blocks = 0;        // blocks of the ensemble
    std::size_t blocks_run = 0;    // run by this process in this call
    std::size_t blocks_found = 0;  // finished before this call
    bool assembled = false;        // the results file was written (by this process)
};

// Thrown on the other processes of a group when one of them failed (that
// one throws its own error).
class GroupError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// "FILE.h5" -> "FILE.h5.shards"
std::string shard_directory(const std::string& out);

// Runs `plan` in blocks, writing each block's shard as it finishes, then
// (unless options.jobs) assembles options.out and removes the shards. Every
// scenario is validated first (ScenarioError, before anything is written).
// Without options.resume an existing shard directory is an error; with it,
// the blocks whose shards exist are skipped, and a directory left by another
// ensemble (other scenarios, seed, replicates or codev) is refused. Every
// process of `group` calls this: process 0 prepares the directory and
// assembles, block b runs on process b % size. Throws Interrupted when
// progress->months.stop is set (finished blocks stay for a resume).
ShardOutcome run_sharded(const JobPlan& plan, const ShardOptions& options, ShardProgress* progress = nullptr,
                         const ProcessGroup& group = ProcessGroup());

// A sharded run of one process on a thread of its own, so that whoever
// started it stays responsive (codev.sweep in Python waits in short slices
// with the GIL released and turns Ctrl-C into stop()), as BackgroundEnsemble.
// Destroying a running one stops it and waits for it.
class BackgroundShardedRun {
  public:
    BackgroundShardedRun(JobPlan plan, ShardOptions options);
    ~BackgroundShardedRun();
    BackgroundShardedRun(const BackgroundShardedRun&) = delete;
    BackgroundShardedRun& operator=(const BackgroundShardedRun&) = delete;

    // Waits at most `timeout`; true once the run has ended (finished, failed or stopped).
    bool wait_for(std::chrono::milliseconds timeout) const;
    void wait() const;
    // Asks every job to stop after its current month; finished blocks stay.
    void stop();
    // Jobs done (those found finished by a resumed run included) and all
    // jobs; 0 and 0 until the scenarios have been checked.
    std::int64_t jobs_done() const;
    std::int64_t jobs_total() const;
    // Waits for the end and gives the outcome; rethrows what the run threw
    // (Interrupted after stop()).
    const ShardOutcome& outcome() const;

  private:
    JobPlan plan_;
    ShardOptions options_;
    ShardProgress progress_;
    std::shared_future<ShardOutcome> outcome_;
    std::thread thread_;
};

// Assembles `out` from its complete shard directory (every block finished),
// reading one shard at a time; removes the directory unless `keep_shards`.
// Throws ResultsError naming missing or mismatched shards.
void assemble_shards(const std::string& out, bool keep_shards);

}  // namespace codev
