// Scenarios shipped with codev, found by name: `codev run mali-kayes-baseline`
// works from any directory once codev is installed (docs/architecture.md).
#pragma once

#include <string>
#include <vector>

namespace codev::cli {

// The folders searched for shipped scenarios, in order: $CODEV_SCENARIOS,
// the source tree's scenarios/ for a build made in a checkout (a dev build
// or an editable install: an edited scenario is the one run), and the
// installed copy beside the executable (../share/codev/scenarios, where
// `pip install` puts it).
std::vector<std::string> shipped_scenario_folders();

// `argument` itself when it names a file, a path or a .toml; else the shipped
// scenario of that name (NAME.toml in the first folder that has it). Throws
// codev::ScenarioError naming the shipped scenarios when there is none.
std::string scenario_argument(const std::string& argument);

// The names of the shipped scenarios (file stems), sorted.
std::vector<std::string> shipped_scenario_names();

}  // namespace codev::cli
