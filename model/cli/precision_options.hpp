// `codev run --precision INDICATOR=TOL ...`: replicates added in rounds until
// every trigger is met (include/codev/precision.hpp). Kept apart from main.cpp:
// the options, and the run with its round lines, table and warning.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "codev/ensemble/ensemble.hpp"
#include "codev/ensemble/precision.hpp"
#include "sharded.hpp"

namespace codev::cli {

struct PrecisionArgs {
    std::vector<std::string> triggers;  // "INDICATOR=TOL", repeatable
    std::string baseline;               // set from `run --baseline`: differences with this scenario
    bool paired = false;
    int batch = 0;
    int max_replicates = DEFAULT_MAX_REPLICATES;

    bool wanted() const { return !triggers.empty(); }
};

// --precision, --paired, --batch, --max-replicates on `command`.
void add_precision_options(CLI::App& command, PrecisionArgs& args);

// Runs `scenarios` until the triggers are met, writes args.out and prints the
// summary table and the precision table; a line on stderr after each round
// and a warning when the maximum was reached first. Exit status 0 either way
// (the file records precision_met). Throws ScenarioError for a bad rule,
// before anything runs, and Interrupted on SIGINT / SIGTERM.
int run_precise(const std::vector<Scenario>& scenarios, const EnsembleOptions& options, const PrecisionArgs& precision,
                const EnsembleArgs& args);

}  // namespace codev::cli
