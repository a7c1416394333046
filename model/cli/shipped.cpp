// Shipped scenarios found by name (model/cli/shipped.hpp).
#include "shipped.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <system_error>

#include "codev/scenario/scenario.hpp"

namespace codev::cli {

namespace fs = std::filesystem;

std::vector<std::string> shipped_scenario_folders() {
    std::vector<std::string> folders;
    if (const char* set = std::getenv("CODEV_SCENARIOS"); set != nullptr && *set != '\0') folders.push_back(set);
#ifdef CODEV_SOURCE_SCENARIOS
    folders.push_back(CODEV_SOURCE_SCENARIOS);
#endif
    std::error_code error;
    const fs::path executable = fs::read_symlink("/proc/self/exe", error);
    if (!error) folders.push_back((executable.parent_path().parent_path() / "share" / "codev" / "scenarios").string());
    return folders;
}

std::vector<std::string> shipped_scenario_names() {
    std::set<std::string> names;
    for (const std::string& folder : shipped_scenario_folders()) {
        std::error_code error;
        for (fs::directory_iterator it(folder, error), end; !error && it != end; it.increment(error))
            if (it->path().extension() == ".toml" && it->is_regular_file(error)) names.insert(it->path().stem());
    }
    return {names.begin(), names.end()};
}

std::string scenario_argument(const std::string& argument) {
    std::error_code error;
    const bool a_name = argument.find('/') == std::string::npos && fs::path(argument).extension() != ".toml" &&
                        !argument.empty() && !fs::exists(argument, error);
    if (!a_name) return argument;
    for (const std::string& folder : shipped_scenario_folders()) {
        const fs::path candidate = fs::path(folder) / (argument + ".toml");
        if (fs::is_regular_file(candidate, error)) return candidate.string();
    }
    std::string shipped;
    for (const std::string& name : shipped_scenario_names()) shipped += (shipped.empty() ? "" : ", ") + name;
    throw ScenarioError("no scenario file '" + argument + "', and no shipped scenario of that name (shipped: " +
                        (shipped.empty() ? "none found" : shipped) + ")");
}

}  // namespace codev::cli
