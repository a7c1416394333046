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

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "codev/ensemble/distributed.hpp"
#include "codev/ensemble/runner.hpp"
#include "codev/results/results_file.hpp"
#include "codev/scenario/scenario.hpp"

namespace codev {

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
    // Checkpoints of jobs under way every this many months (0: none), in
    // out + ".shards/checkpoints/": a resumed run continues each job from
    // its last one instead of from its first month (docs/statepoints.md).
    int checkpoint_months = 0;
    bool forks = true;                        // share the pasts of scenarios (RunnerOptions::fork_window)
    std::shared_ptr<const StartStates> from;  // RunnerOptions::from
    std::optional<int> save_month;            // RunnerOptions::save_month
    std::string save_directory;
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
// progress->stop is set (finished blocks stay for a resume). The jobs run
// in the runner of runner.hpp; this is its shard sink.
ShardOutcome run_sharded(const JobPlan& plan, const ShardOptions& options, RunProgress* progress = nullptr,
                         const ProcessGroup& group = ProcessGroup());

// Assembles `out` from its complete shard directory (every block finished),
// reading one shard at a time; removes the directory unless `keep_shards`.
// Throws ResultsError naming missing or mismatched shards.
void assemble_shards(const std::string& out, bool keep_shards);

}  // namespace codev
