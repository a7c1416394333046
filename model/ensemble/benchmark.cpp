// The benchmark behind `codev bench` (docs/performance.md).
//
// Migrant-steps per second = migrants alive x months / seconds. The "core"
// figure times only the fused labour + remittances + contributions pass
// (docs/model.md 7.2-7.4), the part the Python references implement. "simd" names
// the kernels used (philox_batch.hpp; CODEV_SIMD=scalar|avx2|avx512 lowers it).
#include "codev/ensemble/benchmark.hpp"

#include <tbb/global_control.h>
#include <tbb/info.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "codev/economy.hpp"
#include "codev/ensemble/ensemble.hpp"
#include "codev/philox_batch.hpp"
#include "codev/results/results_file.hpp"
#include "codev/shocks.hpp"
#include "codev/simulation.hpp"

namespace codev {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

template <class T>
std::size_t bytes(const std::vector<T>& v) {
    return v.capacity() * sizeof(T);
}

// Every per-slot array of the world (the per-association, per-commune and
// per-project state is added too, though it is small next to migrants).
double world_bytes(const World& w) {
    const Migrants& m = w.migrants;
    std::size_t total = bytes(m.id) + bytes(m.base_income_xof) + bytes(m.propensity) + bytes(m.trust) +
                        bytes(m.association) + bytes(m.corridor) + bytes(m.flags) + bytes(w.free_slots);
    const Associations& a = w.associations;
    total +=
        a.size() * (3 * sizeof(std::int64_t) + 8 * sizeof(std::int32_t) + 2 * sizeof(std::uint8_t) + sizeof(float));
    total += bytes(w.projects) + w.communes.size() * 160;
    return double(total);
}

double time_write(const Scenario& scenario, const BenchOptions& options, JobRecord record) {
    EnsembleResults results;
    results.scenarios.push_back(describe_scenario(scenario, options.seed));
    results.replicates = 1;
    results.months = record.months;
    results.seed = options.seed;
    results.records.push_back(std::move(record));
    const auto path = std::filesystem::temp_directory_path() / ("codev-bench-" + std::to_string(getpid()) + ".h5");
    const auto start = Clock::now();
    write_results(results, path.string());
    const double seconds = seconds_since(start);
    std::filesystem::remove(path);
    return seconds;
}

}  // namespace

BenchResult run_benchmark(const Scenario& base, const BenchOptions& options) {
    Scenario scenario = with_override(base, "world.migrants", std::to_string(options.migrants));
    if (scenario.params.communes.empty())
        scenario = with_override(scenario, "world.communes", std::to_string(options.communes));
    scenario = with_override(scenario, "months", std::to_string(options.warmup + options.months));
    scenario = with_override(scenario, "spinup_months", "0");  // the warm-up months serve instead
    const int threads = options.threads > 0 ? options.threads : tbb::info::default_concurrency();
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, std::size_t(threads));
    BenchResult r;
    r.threads = threads;
    r.months = options.months;
    auto start = Clock::now();
    Simulation simulation(scenario.params, options.seed, 0);
    r.init_seconds = seconds_since(start);
    for (int t = 0; t < options.warmup; ++t) simulation.step();
    start = Clock::now();
    for (int t = 0; t < options.months; ++t) simulation.step();
    r.step_seconds = seconds_since(start);
    double alive = 0;
    for (int t = options.warmup; t < options.warmup + options.months; ++t)
        alive += double(simulation.record().at(t, Series::migrants));
    r.migrants = std::int64_t(alive / options.months);
    r.migrant_steps_per_second = alive / r.step_seconds;
    World& world = simulation.world();
    start = Clock::now();
    for (int t = 0; t < options.months; ++t) {
        step_shocks(world, scenario.params);
        step_economy(world, scenario.params);
    }
    r.core_seconds = seconds_since(start);
    r.core_migrant_steps_per_second = alive / r.core_seconds;
    r.bytes_per_migrant = world_bytes(world) / double(std::max<std::int64_t>(1, r.migrants));
    r.write_seconds = time_write(scenario, options, simulation.take_record());
    return r;
}

std::string bench_json(const BenchResult& r) {
    char line[768];
    std::snprintf(
        line, sizeof line,
        "{\"implementation\": \"codev\", \"migrants\": %lld, \"months\": %d, \"threads\": %d, "
        "\"migrant_steps_per_second\": %.4g, \"migrant_steps_per_second_per_thread\": %.4g, "
        "\"core_migrant_steps_per_second\": %.4g, \"core_migrant_steps_per_second_per_thread\": %.4g, "
        "\"bytes_per_migrant\": %.1f, \"init_seconds\": %.3f, \"step_seconds\": %.3f, \"write_seconds\": %.3f, "
        "\"simd\": \"%s\"}",
        static_cast<long long>(r.migrants), r.months, r.threads, r.migrant_steps_per_second,
        r.migrant_steps_per_second / r.threads, r.core_migrant_steps_per_second,
        r.core_migrant_steps_per_second / r.threads, r.bytes_per_migrant, r.init_seconds, r.step_seconds,
        r.write_seconds, simd_level_name(simd_level()));
    return line;
}

}  // namespace codev
