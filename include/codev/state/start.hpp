// Runs that continue statepoints or save them (codev run --from, --save-state;
// codev.run(from_states=..., save_state=...)): the options checked against the
// scenarios before anything runs (docs/statepoints.md).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "codev/scenario/scenario.hpp"
#include "codev/state/statepoint.hpp"

namespace codev {

// What the options make: the settings of RunnerOptions and ShardOptions.
struct StateSetup {
    std::shared_ptr<const StartStates> from;
    std::optional<int> save_month;
    std::string save_directory;
};

// `from`: a directory of one scenario's statepoints ("" : none); its seed
// becomes the run's (`seed` is set; a `seed_given` that differs is an
// error) and every scenario must continue them. `save_state`: a month
// (parse_month; "" : none) saved for every scenario in
// `state_dir`/SCENARIO/ (default: `out` with .states for .h5), made here.
// Throws StatepointError, ScenarioError or ResultsError.
StateSetup state_setup(const std::string& from, const std::string& save_state, const std::string& state_dir,
                       const std::vector<Scenario>& scenarios, int replicates, bool seed_given, std::uint64_t& seed,
                       const std::string& out);

// A month of a scenario from text: a whole number of months from month 0
// (negative in the spin-up), or YYYY-MM when the scenario has a start_date.
// `option` names it in messages.
int parse_month(const std::string& text, const Params& params, const std::string& option);

}  // namespace codev
