// Statepoints from the command line (state_options.hpp).
#include "state_options.hpp"

namespace codev::cli {

void add_state_options(CLI::App& command, StateArgs& args) {
    command.add_option("--from", args.from,
                       "continue the statepoints in DIR (one scenario's replicates, written by --save-state) under "
                       "the scenarios given: only what starts at or after their month may differ");
    command.add_option("--save-state", args.save_state,
                       "save each scenario's replicates' state at the start of MONTH (a month number, negative in "
                       "the spin-up, or YYYY-MM) in --state-dir/SCENARIO/, for a later --from");
    command
        .add_option("--state-dir", args.state_dir, "directory of --save-state (default: OUT without .h5, + .states)")
        ->default_str("");
}

}  // namespace codev::cli
