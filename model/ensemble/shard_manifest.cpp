// The survey of a plan and the manifest of its shard directory
// (shard_detail.hpp). The manifest is what makes --resume safe: shards are
// reused only by the same scenarios (a hash of their resolved TOML), seed,
// replicates, blocks and codev build.
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#include <toml++/toml.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "codev/version.hpp"
#include "shard_detail.hpp"

namespace codev::shard_detail {

namespace {

namespace fs = std::filesystem;

constexpr const char* MANIFEST = "manifest.toml";

// FNV-1a, 64 bits: stable across builds and machines (std::hash is not).
struct Fnv {
    std::uint64_t value = 0xcbf29ce484222325ULL;
    void add(std::string_view text) {
        for (unsigned char c : text) value = (value ^ c) * 0x100000001b3ULL;
        value = (value ^ 0xff) * 0x100000001b3ULL;  // a separator: ("ab", "c") differs from ("a", "bc")
    }
    std::string hex() const {
        char text[24];
        std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(value));
        return text;
    }
};

std::string toml_string(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char escape[8];
            std::snprintf(escape, sizeof escape, "\\u%04x", unsigned(c));
            out += escape;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

std::string manifest_text(const Manifest& m) {
    std::ostringstream out;
    out << "# The shards of one codev ensemble (docs/cluster.md): block-NNNNNN.h5 holds the\n"
        << "# jobs of block N. A resumed run checks that it is the same ensemble.\n"
        << "format = " << m.format << "\nkind = " << toml_string(m.kind) << "\noutput = " << toml_string(m.output)
        << "\ncodev_version = " << toml_string(m.codev_version) << "\ngit_commit = " << toml_string(m.git_commit)
        << "\nseed = " << toml_string(std::to_string(m.seed)) << "  # text: TOML integers are signed"
        << "\nreplicates = " << m.replicates << "\nscenarios = " << m.scenarios << "\nblock_jobs = " << m.block_jobs
        << "\nblocks = " << m.blocks << "\nplan_hash = " << toml_string(m.plan_hash)
        << "\ndescription = " << toml_string(m.description) << "\ncommand_line = " << toml_string(m.command_line)
        << "\n";
    return out.str();
}

Manifest manifest_of(const JobPlan& plan, const PlanSurvey& survey, const ShardOptions& options,
                     std::size_t block_jobs) {
    Manifest m;
    m.kind = plan.kind;
    m.output = fs::path(options.out).filename().string();
    m.codev_version = codev_version();
    m.git_commit = codev_git_commit();
    m.seed = plan.seed;
    m.replicates = plan.replicates;
    m.scenarios = plan.scenarios;
    m.block_jobs = block_jobs;
    m.blocks = BlockLayout(plan.scenarios, plan.replicates, block_jobs).count();
    m.plan_hash = survey.hash;
    m.description = plan.description;
    m.command_line = plan.command_line;
    return m;
}

// The first difference that makes the shards of `there` unusable here.
std::string difference(const Manifest& there, const Manifest& here) {
    const auto differ = [](const std::string& what, const auto& a, const auto& b) {
        std::ostringstream text;
        text << what << " " << a << " there, " << b << " here";
        return text.str();
    };
    if (there.kind != here.kind) return differ("a", there.kind, here.kind);
    if (there.codev_version != here.codev_version || there.git_commit != here.git_commit)
        return differ("made by codev", there.codev_version + " (" + there.git_commit + ")",
                      here.codev_version + " (" + here.git_commit + ")");
    if (there.scenarios != here.scenarios) return differ("scenarios:", there.scenarios, here.scenarios);
    if (there.seed != here.seed) return differ("seed", there.seed, here.seed);
    if (there.replicates != here.replicates) return differ("replicates:", there.replicates, here.replicates);
    if (there.block_jobs != here.block_jobs) return differ("jobs per block:", there.block_jobs, here.block_jobs);
    if (there.plan_hash != here.plan_hash) return "the scenarios differ (another base scenario, factors or design)";
    return "";
}

// Writes the manifest unless one exists (link(2) fails if the name is
// taken, so two tasks starting together cannot both write one). True when
// this call wrote it.
bool create_manifest(const std::string& directory, const Manifest& manifest) {
    char host[256] = "host";
    gethostname(host, sizeof host - 1);
    const fs::path path = fs::path(directory) / MANIFEST;
    const fs::path temporary = path.string() + ".tmp-" + host + "-" + std::to_string(getpid());
    {
        std::ofstream out(temporary);
        out << manifest_text(manifest);
        if (!out.flush()) throw ResultsError("cannot write '" + temporary.string() + "'");
    }
    const int linked = link(temporary.c_str(), path.c_str());
    const int error = errno;
    std::error_code ignored;
    fs::remove(temporary, ignored);
    if (linked == 0) return true;
    if (error == EEXIST) return false;
    throw ResultsError("cannot write '" + path.string() + "': " + std::strerror(error));
}

}  // namespace

PlanSurvey survey_plan(const JobPlan& plan, int threads, const std::atomic<bool>* stop) {
    const std::size_t count = plan.scenarios;
    std::vector<int> communes(count);
    std::vector<std::string> hashes(count);
    std::vector<std::exception_ptr> errors(count);
    PlanSurvey survey;
    survey.scenario_months.resize(count);
    tbb::task_arena arena(threads > 0 ? threads : tbb::task_arena::automatic);
    arena.execute([&] {
        tbb::parallel_for(std::size_t(0), count, [&](std::size_t s) {
            if (stop && stop->load(std::memory_order_relaxed)) return;
            try {
                const Scenario scenario = plan.scenario(s);
                survey.scenario_months[s] = scenario.params.months;
                communes[s] = int(describe_scenario(scenario, plan.seed).commune_population.size());
                Fnv fnv;
                fnv.add(scenario.name);
                fnv.add(scenario.toml);
                hashes[s] = fnv.hex();
            } catch (...) {
                errors[s] = std::current_exception();
            }
        });
    });
    if (stop && stop->load()) throw Interrupted("interrupted while the plan was prepared");
    Fnv all;
    for (std::size_t s = 0; s < count; ++s) {
        if (errors[s]) std::rethrow_exception(errors[s]);
        survey.months = std::max(survey.months, survey.scenario_months[s]);
        survey.communes = std::max(survey.communes, std::size_t(communes[s]));
        all.add(hashes[s]);
    }
    survey.hash = all.hex();
    return survey;
}

Manifest read_manifest(const std::string& directory) {
    const fs::path path = fs::path(directory) / MANIFEST;
    std::error_code error;
    if (!fs::exists(path, error))
        throw ResultsError("'" + directory + "' has no " + MANIFEST + ": it does not hold codev shards");
    try {
        const toml::table t = toml::parse_file(path.string());
        Manifest m;
        m.format = int(t["format"].value_or(0));
        m.kind = t["kind"].value_or(std::string());
        m.output = t["output"].value_or(std::string());
        m.codev_version = t["codev_version"].value_or(std::string());
        m.git_commit = t["git_commit"].value_or(std::string());
        m.seed = std::stoull(t["seed"].value_or(std::string("0")));
        m.replicates = int(t["replicates"].value_or(0));
        m.scenarios = std::size_t(t["scenarios"].value_or(std::int64_t{0}));
        m.block_jobs = std::size_t(t["block_jobs"].value_or(std::int64_t{0}));
        m.blocks = std::size_t(t["blocks"].value_or(std::int64_t{0}));
        m.plan_hash = t["plan_hash"].value_or(std::string());
        m.description = t["description"].value_or(std::string());
        m.command_line = t["command_line"].value_or(std::string());
        if (m.format != 1 || m.replicates < 1 || m.scenarios == 0 || m.block_jobs == 0)
            throw ResultsError("'" + path.string() + "' is not a codev shard manifest of format 1");
        return m;
    } catch (const toml::parse_error& e) {
        throw ResultsError("'" + path.string() + "' is not a codev shard manifest (" + std::string(e.description()) +
                           ")");
    } catch (const std::logic_error&) {  // std::stoull
        throw ResultsError("'" + path.string() + "' has an invalid seed");
    }
}

void prepare_directory(const JobPlan& plan, const PlanSurvey& survey, const ShardOptions& options,
                       const std::string& directory) {
    std::error_code error;
    const bool existed = fs::exists(directory, error);
    if (existed && !options.resume && !options.jobs)
        throw ResultsError(
            "'" + directory + "' holds the shards of an unfinished run of '" + options.out +
            "': add --resume (in Python resume=True) to continue it, or remove the directory to start afresh");
    if (existed && !fs::is_directory(directory, error))
        throw ResultsError("'" + directory + "' is in the way of the shards of '" + options.out + "': remove it");
    fs::create_directories(directory, error);
    if (error) throw ResultsError("cannot make '" + directory + "': " + error.message());
    // An unset block size is the existing directory's, else one for ~8 MiB.
    std::size_t block_jobs = options.block_jobs;
    if (block_jobs == 0)
        block_jobs = fs::exists(fs::path(directory) / MANIFEST) ? read_manifest(directory).block_jobs
                                                                : default_block_jobs(survey);
    const Manifest wanted = manifest_of(plan, survey, options, block_jobs);
    if (create_manifest(directory, wanted)) return;
    const std::string why = difference(read_manifest(directory), wanted);
    if (!why.empty())
        throw ResultsError("'" + directory + "' holds the shards of another ensemble (" + why +
                           "): give the arguments of the run that made it, or remove the directory");
}

FactorValues factor_slice(const FactorValues& factor, std::size_t first, std::size_t count) {
    FactorValues slice{factor.key, factor.units, factor.long_name, {}};
    std::visit(
        [&](const auto& values) {
            using Vector = std::decay_t<decltype(values)>;
            slice.values =
                Vector(values.begin() + std::ptrdiff_t(first), values.begin() + std::ptrdiff_t(first + count));
        },
        factor.values);
    return slice;
}

void factor_append(FactorValues& to, const FactorValues& from) {
    if (to.values.index() != from.values.index())
        throw ResultsError("factor '" + from.key + "' has values of different types in different shards");
    std::visit(
        [&](auto& values) {
            const auto& more = std::get<std::decay_t<decltype(values)>>(from.values);
            values.insert(values.end(), more.begin(), more.end());
        },
        to.values);
}

}  // namespace codev::shard_detail
