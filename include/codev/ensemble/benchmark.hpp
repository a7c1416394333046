// `codev bench`: times the monthly step of a large world and prints one JSON
// line (issue: performance). The same JSON keys are printed by the Python
// references in bench/, so the three can be compared side by side.
#pragma once

#include <cstdint>
#include <string>

#include "codev/scenario/scenario.hpp"

namespace codev {

struct BenchOptions {
    std::int64_t migrants = 2000000;  // national size (docs/model.md 2.4)
    int communes = 700;
    int months = 24;  // timed months
    int warmup = 3;   // months run before timing (projects under way)
    int threads = 0;  // 0: all cores
    std::uint64_t seed = 1;
};

struct BenchResult {
    std::int64_t migrants = 0;
    int months = 0, threads = 0;
    double init_seconds = 0;
    double step_seconds = 0;  // full monthly step, all timed months
    double core_seconds = 0;  // labour + remittances + contributions only
    double migrant_steps_per_second = 0;
    double core_migrant_steps_per_second = 0;
    double bytes_per_migrant = 0;  // world state per migrant (all per-slot arrays)
    double write_seconds = 0;      // writing this run's results file
};

// Builds the scenario's world at the benchmark's size and times it.
BenchResult run_benchmark(const Scenario& scenario, const BenchOptions& options);

// One JSON line with the keys shared with bench/reference_*.py.
std::string bench_json(const BenchResult& result);

}  // namespace codev
