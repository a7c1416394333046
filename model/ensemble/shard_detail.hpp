// Private to the sharded ensembles (shards.cpp, shard_manifest.cpp,
// shard_assembly.cpp): the survey of a plan, the manifest, shard paths.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "codev/ensemble/shards.hpp"

namespace codev::shard_detail {

// What every scenario of a plan is, learnt by making (and so validating) each.
struct PlanSurvey {
    std::vector<int> scenario_months;  // months of each scenario
    int months = 0;                    // the longest
    std::size_t communes = 0;          // the most communes
    std::string hash;                  // of every scenario's name and resolved TOML, in order
};

// Makes every scenario of the plan in parallel; throws the ScenarioError of
// the first invalid one (the lowest index, whatever the threads).
// `stop` (when given) is polled: once set, the survey ends by throwing
// Interrupted (a sweep of millions of points takes minutes to survey).
PlanSurvey survey_plan(const JobPlan& plan, int threads, const std::atomic<bool>* stop = nullptr);

// manifest.toml: which ensemble a shard directory belongs to.
struct Manifest {
    int format = 1;
    std::string kind, output, codev_version, git_commit;
    std::uint64_t seed = 0;
    int replicates = 0;
    std::size_t scenarios = 0, block_jobs = 0, blocks = 0;
    std::string plan_hash, description, command_line;
};

// Reads DIR/manifest.toml; throws ResultsError when it is missing or unreadable.
Manifest read_manifest(const std::string& directory);

// Process 0, before any job: makes the directory and its manifest, or checks
// that an existing one (options.resume, options.jobs) belongs to this plan.
void prepare_directory(const JobPlan& plan, const PlanSurvey& survey, const ShardOptions& options,
                       const std::string& directory);

// Where one process of a group writes its shards, and which blocks were
// finished before (process 0's view, the same on every process).
struct ShardSite {
    std::string directory;      // this process's shard directory
    bool gathered = false;      // not process 0's: its shards are sent to process 0 at the end
    bool any_gathered = false;  // some process's shards are sent
    std::size_t block_jobs = 0;
    std::vector<char> finished;  // per block: its shard is in process 0's directory
};

// A collective call after prepare_directory. A process sees process 0's
// shard directory when it finds its manifest there (a shared file system),
// unless CODEV_GATHER_SHARDS=1; one that does not writes to a directory of
// its own under the system's temporary directory.
ShardSite find_site(const ProcessGroup& group, const std::string& directory, const PlanSurvey& survey,
                    std::size_t scenarios, int replicates);

// A collective call after the jobs: the shards that processes wrote to
// directories of their own (`blocks`) are sent to process 0, which writes
// them into `directory`; their directories are removed.
void gather_shards(const ProcessGroup& group, const ShardSite& site, const std::vector<std::size_t>& blocks,
                   const std::string& directory);

// True when `shard` is a complete results file; a damaged one is removed.
bool finished_shard(const std::string& shard);

std::string shard_path(const std::string& directory, std::size_t block);
std::size_t default_block_jobs(const PlanSurvey& survey);

// Factor values of scenarios [first, first + count), and appending them.
FactorValues factor_slice(const FactorValues& factor, std::size_t first, std::size_t count);
void factor_append(FactorValues& to, const FactorValues& from);

}  // namespace codev::shard_detail
