// Sharded ensembles (include/codev/shards.hpp): blocks, and the runner's
// shard sink. The manifest and the assembly are in shard_manifest.cpp and
// shard_assembly.cpp.
//
// The runner (runner.cpp) hands out jobs in order, so at most about
// `threads` blocks are open at once: memory is bounded by a few blocks, and
// a kill loses at most those blocks' jobs. A job's result depends only on
// its scenario, the seed and its replicate, so which process or thread ran
// it, and whether the run was resumed, cannot change the assembled file.
#include "codev/ensemble/shards.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>

#include "shard_detail.hpp"

namespace codev {

namespace fs = std::filesystem;

// ---- blocks ------------------------------------------------------------------

BlockLayout::BlockLayout(std::size_t scenarios, int replicates, std::size_t block_jobs)
    : scenarios_(scenarios), replicates_(std::size_t(std::max(replicates, 1))) {
    block_jobs = std::max<std::size_t>(block_jobs, 1);
    if (replicates_ <= block_jobs) {
        scenarios_per_block_ = block_jobs / replicates_;
        replicates_per_block_ = replicates_;
        count_ = (scenarios_ + scenarios_per_block_ - 1) / scenarios_per_block_;
    } else {
        blocks_per_scenario_ = (replicates_ + block_jobs - 1) / block_jobs;
        replicates_per_block_ = block_jobs;
        count_ = scenarios_ * blocks_per_scenario_;
    }
}

Block BlockLayout::block(std::size_t b) const {
    Block block;
    block.index = b;
    if (blocks_per_scenario_ == 1) {
        block.first_scenario = b * scenarios_per_block_;
        block.scenarios = std::min(scenarios_per_block_, scenarios_ - block.first_scenario);
        block.replicates = int(replicates_);
    } else {
        block.first_scenario = b / blocks_per_scenario_;
        block.scenarios = 1;
        const std::size_t first = (b % blocks_per_scenario_) * replicates_per_block_;
        block.first_replicate = int(first);
        block.replicates = int(std::min(replicates_per_block_, replicates_ - first));
    }
    block.first_job = block.first_scenario * replicates_ + std::size_t(block.first_replicate);
    block.jobs = block.scenarios * std::size_t(block.replicates);
    return block;
}

std::size_t BlockLayout::block_of_job(std::size_t job) const {
    if (blocks_per_scenario_ == 1) return job / replicates_ / scenarios_per_block_;
    return (job / replicates_) * blocks_per_scenario_ + (job % replicates_) / replicates_per_block_;
}

std::string shard_directory(const std::string& out) { return out + ".shards"; }

namespace shard_detail {

std::string shard_path(const std::string& directory, std::size_t block) {
    char name[32];
    std::snprintf(name, sizeof name, "block-%06zu.h5", block);
    return (fs::path(directory) / name).string();
}

// Records of about 8 MiB per block: a shard of a few MB once compressed,
// and little work lost to a kill.
std::size_t default_block_jobs(const PlanSurvey& survey) {
    const std::size_t months = std::size_t(std::max(survey.months, 1)), years = (months + 11) / 12;
    const std::size_t bytes = 8 * (months * (SERIES_COUNT + SECTOR_SERIES_COUNT * SECTOR_COUNT + 3) +
                                   2 * years * survey.communes * SECTOR_COUNT);
    return std::clamp<std::size_t>((std::size_t{8} << 20) / std::max<std::size_t>(bytes, 1), 1, 4096);
}

// ---- running blocks ----------------------------------------------------------

namespace {

// Writes one finished block as an ordinary results file.
void write_shard(const JobPlan& plan, const RunnerOptions& runner, const std::string& plan_hash, const Block& block,
                 const std::string& path, std::vector<JobRecord> records) {
    std::vector<ScenarioInfo> infos;
    ResultsOutline outline;
    outline.shard_plan_hash = plan_hash;
    outline.shard_block = long(block.index);
    outline.replicates = block.replicates;
    outline.first_replicate = block.first_replicate;
    outline.seed = plan.seed;
    outline.command_line = plan.command_line;
    const std::vector<ForkOrigin> origins = plan_fork_origins(plan, runner, block.first_scenario, block.scenarios);
    for (std::size_t i = 0; i < block.scenarios; ++i) {
        const ForkOrigin& origin = origins[i];
        const std::string parent = origin.parent >= 0 ? plan.scenario(std::size_t(origin.parent)).name
                                   : runner.from      ? runner.from->scenario_name
                                                      : "";
        infos.push_back(describe_scenario(plan.scenario(block.first_scenario + i), plan.seed, origin, parent));
        outline.scenarios.push_back(infos.back().name);
        outline.start_dates.push_back(infos.back().start_date);
        outline.communes = std::max(outline.communes, infos.back().commune_population.size());
        outline.programmes = std::max(outline.programmes, infos.back().programme_names.size());
        outline.rules = std::max(outline.rules, infos.back().rule_names.size());
        outline.months = std::max(outline.months, records[i * std::size_t(block.replicates)].months);
    }
    for (const FactorValues& factor : plan.factors)
        outline.factors.push_back(factor_slice(factor, block.first_scenario, block.scenarios));
    write_results(
        outline,
        [&](std::size_t i) {
            const auto first = records.begin() + std::ptrdiff_t(i * std::size_t(block.replicates));
            return ScenarioRecords{std::move(infos[i]),
                                   {std::make_move_iterator(first), std::make_move_iterator(first + block.replicates)}};
        },
        path);
}

// The shard sink: the records of a block are kept until its last job is
// done, then its shard is written by the worker that finished it.
class BlockSink {
  public:
    BlockSink(const JobPlan& plan, const RunnerOptions& runner, const std::string& plan_hash, const BlockLayout& layout,
              const std::string& directory)
        : plan_(plan), runner_(runner), plan_hash_(plan_hash), layout_(layout), directory_(directory) {}

    void put(std::size_t job, JobRecord&& record) {
        const Block block = layout_.block(layout_.block_of_job(job));
        std::vector<JobRecord> finished;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            OpenBlock& open = open_[block.index];
            if (open.records.empty()) {
                open.records.resize(block.jobs);
                open.remaining = block.jobs;
            }
            open.records[job - block.first_job] = std::move(record);
            if (--open.remaining == 0) {
                finished = std::move(open.records);
                open_.erase(block.index);
            }
        }
        if (finished.empty()) return;
        write_shard(plan_, runner_, plan_hash_, block, shard_path(directory_, block.index), std::move(finished));
        // The block's jobs are safe in their shard: their checkpoints are not needed any more.
        if (runner_.checkpoint_months > 0)
            for (std::size_t j = block.first_job; j < block.first_job + block.jobs; ++j) {
                std::error_code ignored;
                fs::remove(checkpoint_file(runner_.checkpoint_directory, j / std::size_t(plan_.replicates),
                                           int(j % std::size_t(plan_.replicates))),
                           ignored);
            }
    }

  private:
    struct OpenBlock {
        std::vector<JobRecord> records;
        std::size_t remaining = 0;
    };

    const JobPlan& plan_;
    const RunnerOptions& runner_;
    const std::string& plan_hash_;
    const BlockLayout& layout_;
    const std::string& directory_;
    std::mutex mutex_;
    std::map<std::size_t, OpenBlock> open_;
};

// The jobs of `blocks`, in order, through the runner into the shard sink.
void run_blocks(const JobPlan& plan, const std::string& plan_hash, const ShardOptions& options,
                const BlockLayout& layout, const std::string& directory, const std::vector<std::size_t>& blocks,
                RunProgress* progress) {
    std::vector<Job> jobs;
    std::vector<std::size_t> numbers;  // job numbers, scenario * replicates + replicate
    for (std::size_t b : blocks) {
        const Block block = layout.block(b);
        for (std::size_t j = block.first_job; j < block.first_job + block.jobs; ++j) {
            jobs.push_back({j / std::size_t(plan.replicates), int(j % std::size_t(plan.replicates))});
            numbers.push_back(j);
        }
    }
    RunnerOptions runner;
    runner.threads = options.threads;
    runner.run = options.run;
    runner.fork_window = options.forks ? shard_fork_window(plan) : 1;
    runner.from = options.from;
    runner.save_month = options.save_month;
    runner.save_directory = options.save_directory;
    runner.checkpoint_months = options.checkpoint_months;
    runner.checkpoint_directory = (fs::path(directory) / "checkpoints").string();
    if (runner.checkpoint_months > 0) fs::create_directories(runner.checkpoint_directory);
    BlockSink sink(plan, runner, plan_hash, layout, directory);
    run_jobs(plan, jobs, runner, progress,
             [&](std::size_t i, JobRecord&& record) { sink.put(numbers[i], std::move(record)); });
}

// This process's blocks: unfinished ones in the --jobs range and (in a
// group) its share, b % size == rank.
std::vector<std::size_t> blocks_to_run(const BlockLayout& layout, const ShardOptions& options, const ShardSite& site,
                                       const ProcessGroup& group, ShardOutcome& outcome) {
    std::vector<std::size_t> blocks;
    for (std::size_t b = 0; b < layout.count(); ++b) {
        if (site.finished[b]) {
            ++outcome.blocks_found;
            continue;
        }
        const Block block = layout.block(b);
        if (options.jobs && (block.first_job < options.jobs->first || block.first_job >= options.jobs->second))
            continue;
        if (b % std::size_t(group.size()) == std::size_t(group.rank())) blocks.push_back(b);
    }
    return blocks;
}

void set_progress(RunProgress* progress, const JobPlan& plan, const PlanSurvey& survey, const BlockLayout& layout,
                  const std::vector<std::size_t>& blocks, const ShardSite& site) {
    if (!progress) return;
    std::int64_t months = 0, found = 0;
    for (std::size_t b : blocks) {
        const Block block = layout.block(b);
        for (std::size_t s = 0; s < block.scenarios; ++s)
            months += std::int64_t(survey.scenario_months[block.first_scenario + s]) * block.replicates;
    }
    for (std::size_t b = 0; b < layout.count(); ++b)
        if (site.finished[b]) found += std::int64_t(layout.block(b).jobs);
    progress->months_total = months;
    progress->jobs_found = found;
    progress->jobs_done = found;
    // Every job of the ensemble: those of other processes too, so a line
    // that reaches the total means the whole run is done.
    progress->jobs_total = std::int64_t(plan.scenarios) * plan.replicates;
    progress->started = true;
}

}  // namespace

// The exit status of a distributed run stopped by a signal to one process:
// that of a run stopped by SIGTERM (128 + 15), what schedulers send.
constexpr int TERMINATED_STATUS = 143;

// Runs f on every process; if it failed anywhere, every process throws: the
// one that failed its own error, the others GroupError.
template <class F>
void together(const ProcessGroup& group, F&& f) {
    std::exception_ptr error;
    try {
        f();
    } catch (const Interrupted&) {
        // A signal often reaches one process only (kill, a node's SIGTERM):
        // the others would run all their blocks before the collective call
        // below. Every process stops now; the finished shards are kept.
        if (group.size() > 1) {
            std::cerr << "codev: interrupted (process " << group.rank()
                      << "); stopping every process of this run; finished blocks are kept: continue with --resume\n";
            group.abort_all(TERMINATED_STATUS);
        }
        error = std::current_exception();
    } catch (...) {
        error = std::current_exception();
    }
    const bool ok = group.all(!error);
    if (error) std::rethrow_exception(error);
    if (!ok) throw GroupError("another process of this run failed (see its message)");
}

}  // namespace shard_detail

using namespace shard_detail;

ShardOutcome run_sharded(const JobPlan& plan, const ShardOptions& options, RunProgress* progress,
                         const ProcessGroup& group) {
    if (plan.scenarios == 0 || plan.replicates < 1)
        throw ScenarioError("nothing to run: no scenarios or no replicates");
    if (group.rank() == 0) check_writable(options.out);  // only process 0 writes the results file
    const std::size_t jobs = plan.scenarios * std::size_t(plan.replicates);
    if (options.jobs && options.jobs->first >= jobs)  // else it would run nothing and exit 0
        throw ScenarioError("--jobs: " + std::to_string(options.jobs->first) + ":" +
                            std::to_string(options.jobs->second) + " starts past the last job: this run has " +
                            std::to_string(jobs) + " jobs (0:" + std::to_string(jobs) + ")");
    const PlanSurvey survey = survey_plan(plan, options.threads, progress ? &progress->stop : nullptr);
    const std::string directory = shard_directory(options.out);
    together(group, [&] {
        if (group.rank() == 0) prepare_directory(plan, survey, options, directory);
    });
    const ShardSite site = find_site(group, directory, survey, plan.scenarios, plan.replicates);
    const BlockLayout layout(plan.scenarios, plan.replicates, site.block_jobs);
    ShardOutcome outcome;
    outcome.blocks = layout.count();
    const std::vector<std::size_t> blocks = blocks_to_run(layout, options, site, group, outcome);
    set_progress(progress, plan, survey, layout, blocks, site);
    together(group, [&] {
        if (!blocks.empty()) run_blocks(plan, survey.hash, options, layout, site.directory, blocks, progress);
        outcome.blocks_run = blocks.size();
    });
    if (site.any_gathered) together(group, [&] { gather_shards(group, site, blocks, directory); });
    if (options.jobs) return outcome;
    if (group.rank() == 0) {
        assemble_shards(options.out, options.keep_shards);
        outcome.assembled = true;
    }
    return outcome;
}

}  // namespace codev
