// Which shard directory each process of a group writes to, and gathering
// the shards of processes that cannot see process 0's (shard_detail.hpp).
//
// With a shared file system every process writes its shards straight into
// the one directory. Without one (each machine its own disks) a process
// writes to a directory of its own, and once every job is done it sends its
// shards, one at a time, to process 0 over MPI. Only the main threads talk
// MPI, and only between the phases of run_sharded.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "shard_detail.hpp"

namespace codev::shard_detail {

namespace {

namespace fs = std::filesystem;

bool forced_gather() {
    const char* value = std::getenv("CODEV_GATHER_SHARDS");
    return value != nullptr && std::string(value) == "1";
}

// "block_jobs finished-flags", as process 0 tells the others.
std::string site_text(std::size_t block_jobs, const std::vector<char>& finished) {
    std::string text = std::to_string(block_jobs) + " ";
    for (char f : finished) text += f ? '1' : '0';
    return text;
}

std::string read_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) throw ResultsError("cannot read shard '" + path + "'");
    return bytes;
}

// Written as every results file is: temporary name, then rename.
void write_bytes(const std::string& path, const std::string& bytes) {
    const std::string temporary = path + ".tmp-" + std::to_string(getpid());
    {
        std::ofstream out(temporary, std::ios::binary);
        out.write(bytes.data(), std::streamsize(bytes.size()));
        if (!out.flush()) throw ResultsError("cannot write shard '" + path + "'");
    }
    if (!finished_shard(temporary)) throw ResultsError("shard '" + path + "' arrived damaged");
    std::error_code error;
    fs::rename(temporary, path, error);
    if (error) throw ResultsError("cannot rename '" + temporary + "' to '" + path + "': " + error.message());
}

}  // namespace

// A shard exists only once complete (written, synced, renamed), but a
// directory copied around or a file system without fsync may still hold a
// damaged one: that block is run again.
bool finished_shard(const std::string& shard) {
    std::error_code error;
    if (!fs::exists(shard, error)) return false;
    try {
        read_outline(shard);
        return true;
    } catch (const ResultsError&) {
        fs::remove(shard, error);
        return false;
    }
}

ShardSite find_site(const ProcessGroup& group, const std::string& directory, const PlanSurvey& survey,
                    std::size_t scenarios, int replicates) {
    ShardSite site;
    site.directory = directory;
    std::string text;
    if (group.rank() == 0) {
        site.block_jobs = read_manifest(directory).block_jobs;
        const BlockLayout layout(scenarios, replicates, site.block_jobs);
        for (std::size_t b = 0; b < layout.count(); ++b)
            site.finished.push_back(finished_shard(shard_path(directory, b)) ? 1 : 0);
        text = site_text(site.block_jobs, site.finished);
    }
    if (group.size() == 1) return site;
    std::istringstream told(group.broadcast(text));
    std::string flags;
    told >> site.block_jobs >> flags;
    site.finished.assign(flags.begin(), flags.end());
    for (char& f : site.finished) f = f == '1' ? 1 : 0;
    const bool sees = group.rank() == 0 || (!forced_gather() && fs::exists(fs::path(directory) / "manifest.toml"));
    site.any_gathered = !group.all(sees);
    if (!sees) {
        site.gathered = true;
        site.directory = (fs::temp_directory_path() / ("codev-shards-" + survey.hash + "-process-" +
                                                       std::to_string(group.rank()) + "-" + std::to_string(getpid())))
                             .string();
        std::error_code error;
        fs::create_directories(site.directory, error);
        if (error) throw ResultsError("cannot make '" + site.directory + "': " + error.message());
    }
    return site;
}

void gather_shards(const ProcessGroup& group, const ShardSite& site, const std::vector<std::size_t>& blocks,
                   const std::string& directory) {
    if (group.rank() != 0) {
        group.send(0, std::to_string(site.gathered ? blocks.size() : 0));
        if (!site.gathered) return;
        for (std::size_t b : blocks) {
            group.send(0, std::to_string(b));
            group.send(0, read_bytes(shard_path(site.directory, b)));
        }
        std::error_code ignored;
        fs::remove_all(site.directory, ignored);
        return;
    }
    // Process 0 receives everything even after a failure, so no sender waits forever.
    std::exception_ptr error;
    for (int from = 1; from < group.size(); ++from) {
        const std::size_t count = std::stoull(group.receive(from));
        for (std::size_t i = 0; i < count; ++i) {
            const std::size_t block = std::stoull(group.receive(from));
            const std::string bytes = group.receive(from);
            try {
                if (!error) write_bytes(shard_path(directory, block), bytes);
            } catch (...) {
                error = std::current_exception();
            }
        }
    }
    if (error) std::rethrow_exception(error);
}

}  // namespace codev::shard_detail
