// `codev run --save-state MONTH --state-dir DIR` and `--from DIR`:
// statepoints from the command line (docs/statepoints.md); their checks are
// the library's (state/start.hpp). `--checkpoint-every` is a shard option
// (sharded.hpp).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "codev/state/start.hpp"

namespace codev::cli {

struct StateArgs {
    std::string from;        // a directory of one scenario's statepoints
    std::string save_state;  // a month: a whole number (negative in the spin-up) or YYYY-MM
    std::string state_dir;   // where --save-state writes ("": beside --out)
};

// --from, --save-state and --state-dir on `command`.
void add_state_options(CLI::App& command, StateArgs& args);

}  // namespace codev::cli
