// Ensembles: (scenario x replicate) jobs run side by side with TBB, each job
// also parallel inside (DESIGN.md, Data flow).
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

#include "codev/results.hpp"
#include "codev/scenario.hpp"
#include "codev/simulation.hpp"

namespace codev {

// Shared between a running ensemble and whoever watches it (a progress line,
// a Python callback, a signal handler). Only atomics: safe from any thread.
struct EnsembleProgress {
    std::atomic<std::int64_t> months_done{0};
    std::int64_t months_total = 0;
    std::atomic<bool> stop{false};
};

struct EnsembleOptions {
    int replicates = 1;
    std::uint64_t seed = 0;
    int threads = 0;            // 0: all cores
    RunOptions run;
    std::string command_line;
};

// Thrown when the ensemble was stopped through EnsembleProgress::stop.
class Interrupted : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Runs every (scenario, replicate) job. The result of a job depends only on
// its scenario, the seed and its replicate: not on threads or job order.
EnsembleResults run_ensemble(const std::vector<Scenario>& scenarios, const EnsembleOptions& options,
                             EnsembleProgress* progress = nullptr);

// Total months an ensemble will simulate (for progress).
std::int64_t ensemble_months(const std::vector<Scenario>& scenarios, int replicates);

// Describes a scenario's world for the results file (communes, text).
ScenarioInfo describe_scenario(const Scenario& scenario, std::uint64_t seed);

}  // namespace codev
