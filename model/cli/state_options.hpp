// `codev run --save-state MONTH`, `--from DIR` and `--checkpoint-every N`:
// statepoints from the command line (docs/statepoints.md). Kept apart from
// main.cpp: the options, their checks, and the runner settings they make.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "codev/scenario/scenario.hpp"
#include "codev/state/statepoint.hpp"

namespace codev::cli {

struct StateArgs {
    std::string from;        // a directory of one scenario's statepoints
    std::string save_state;  // a month: a whole number (negative in the spin-up) or YYYY-MM
    std::string state_dir;   // where --save-state writes ("": beside --out)
};

// --from, --save-state and --state-dir on `command`.
void add_state_options(CLI::App& command, StateArgs& args);

// What the options make, checked against the scenarios before anything runs.
struct StateSetup {
    std::shared_ptr<const StartStates> from;
    std::optional<int> save_month;
    std::string save_directory;
};

// Opens --from's statepoints (the run's seed becomes theirs: `seed` is
// set, and a --seed given that differs is an error) and checks every
// scenario continues them; resolves --save-state's month for every
// scenario and makes its directory. Throws StatepointError or ScenarioError.
StateSetup state_setup(const StateArgs& args, const std::vector<Scenario>& scenarios, int replicates,
                       bool seed_given, std::uint64_t& seed, const std::string& out);

// A month of a scenario from text: a whole number of months from month 0
// (negative in the spin-up), or YYYY-MM when the scenario has a start_date.
int parse_month(const std::string& text, const Params& params, const std::string& option);

}  // namespace codev::cli
