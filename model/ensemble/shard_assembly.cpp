// Assembling a results file from its shards (include/codev/shards.hpp).
// Two passes, each holding one shard at a time: the outlines (names, dates,
// sizes, factor values: small) make the file's variables; then the streaming
// writer asks for each scenario in turn, and the shard holding it is read
// whole (a block of records) and handed over scenario by scenario.
#include <filesystem>

#include "shard_detail.hpp"

namespace codev {

using namespace shard_detail;

namespace {

namespace fs = std::filesystem;

// The final file's outline from every shard's, checked against the layout.
ResultsOutline assembled_outline(const Manifest& manifest, const BlockLayout& layout, const std::string& directory) {
    ResultsOutline outline;
    outline.replicates = manifest.replicates;
    outline.seed = manifest.seed;
    outline.command_line = manifest.command_line;
    for (std::size_t b = 0; b < layout.count(); ++b) {
        const Block block = layout.block(b);
        const std::string path = shard_path(directory, b);
        const ResultsOutline shard = read_outline(path);
        // The plan's hash and the block number tell a shard of another ensemble,
        // or one copied over another block, that has the right sizes.
        if (shard.scenarios.size() != block.scenarios || shard.replicates != block.replicates ||
            shard.first_replicate != block.first_replicate || shard.seed != manifest.seed ||
            shard.shard_plan_hash != manifest.plan_hash || shard.shard_block != long(b))
            throw ResultsError("shard '" + path + "' does not hold block " + std::to_string(b) +
                               " of this ensemble: remove it and run its jobs again (--resume)");
        outline.months = std::max(outline.months, shard.months);
        outline.communes = std::max(outline.communes, shard.communes);
        outline.programmes = std::max(outline.programmes, shard.programmes);
        outline.rules = std::max(outline.rules, shard.rules);
        if (block.first_replicate != 0) continue;  // a scenario's later replicates: described already
        outline.scenarios.insert(outline.scenarios.end(), shard.scenarios.begin(), shard.scenarios.end());
        outline.start_dates.insert(outline.start_dates.end(), shard.start_dates.begin(), shard.start_dates.end());
        if (outline.factors.empty())
            outline.factors = shard.factors;
        else if (shard.factors.size() == outline.factors.size())
            for (std::size_t d = 0; d < shard.factors.size(); ++d) factor_append(outline.factors[d], shard.factors[d]);
        else
            throw ResultsError("shard '" + path + "' has other sweep factors than block 0");
    }
    return outline;
}

// Serves scenario s from the shard(s) holding it, keeping the last shard read.
class ShardReader {
  public:
    ShardReader(const BlockLayout& layout, const std::string& directory, int replicates)
        : layout_(layout), directory_(directory), replicates_(std::size_t(replicates)) {}

    ScenarioRecords operator()(std::size_t s) {
        ScenarioRecords scenario;
        const std::size_t first = layout_.block_of_job(s * replicates_);
        const std::size_t last = layout_.block_of_job(s * replicates_ + replicates_ - 1);
        for (std::size_t b = first; b <= last; ++b) {
            const Block block = layout_.block(b);
            load(b);
            const std::size_t local = s - block.first_scenario, width = std::size_t(block.replicates);
            if (b == first) scenario.info = loaded_.scenarios.at(local);
            const auto begin = loaded_.records.begin() + std::ptrdiff_t(local * width);
            scenario.records.insert(scenario.records.end(), std::make_move_iterator(begin),
                                    std::make_move_iterator(begin + std::ptrdiff_t(width)));
        }
        return scenario;
    }

  private:
    void load(std::size_t b) {
        if (block_ == b) return;
        loaded_ = EnsembleResults{};  // one block in memory at a time
        loaded_ = read_results(shard_path(directory_, b));
        block_ = b;
    }

    const BlockLayout& layout_;
    const std::string& directory_;
    std::size_t replicates_;
    std::size_t block_ = std::size_t(-1);
    EnsembleResults loaded_;
};

}  // namespace

void assemble_shards(const std::string& out, bool keep_shards) {
    check_writable(out);
    const std::string directory = shard_directory(out);
    const Manifest manifest = read_manifest(directory);
    const BlockLayout layout(manifest.scenarios, manifest.replicates, manifest.block_jobs);
    std::size_t missing = 0, first_missing = 0;
    for (std::size_t b = layout.count(); b-- > 0;)
        if (!fs::exists(shard_path(directory, b))) {
            ++missing;
            first_missing = b;
        }
    if (missing > 0) {
        const Block block = layout.block(first_missing);
        throw ResultsError("cannot assemble '" + out + "': " + std::to_string(missing) + " of " +
                           std::to_string(layout.count()) + " blocks are not finished (the first is block " +
                           std::to_string(first_missing) + ", jobs " + std::to_string(block.first_job) + " to " +
                           std::to_string(block.first_job + block.jobs - 1) + "); run them first (--resume or --jobs)");
    }
    const ResultsOutline outline = assembled_outline(manifest, layout, directory);
    if (outline.scenarios.size() != manifest.scenarios)
        throw ResultsError("the shards in '" + directory + "' hold " + std::to_string(outline.scenarios.size()) +
                           " scenarios, the manifest says " + std::to_string(manifest.scenarios));
    ShardReader reader(layout, directory, manifest.replicates);
    write_results(outline, std::ref(reader), out);
    if (keep_shards) return;
    std::error_code ignored;
    fs::remove_all(directory, ignored);
}

}  // namespace codev
