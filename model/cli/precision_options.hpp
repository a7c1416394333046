// `codev run --precision INDICATOR=TOL ...`: replicates added in rounds until
// every trigger is met (include/codev/ensemble/precision.hpp). Kept apart
// from main.cpp: the options and the rule they make.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "codev/ensemble/precision.hpp"

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

// The rule of the options, checked when the run starts (check_rule).
PrecisionRule precision_rule(const PrecisionArgs& args);

}  // namespace codev::cli
