// Runs that continue statepoints or save them (start.hpp).
#include "codev/state/start.hpp"

#include <charconv>
#include <filesystem>

#include "codev/results/results_file.hpp"

namespace codev {

namespace fs = std::filesystem;

int parse_month(const std::string& text, const Params& params, const std::string& option) {
    int month = 0;
    const char* end = text.data() + text.size();
    if (auto [stop, error] = std::from_chars(text.data(), end, month); error == std::errc() && stop == end)
        return month;
    int year = 0, month_of_year = 0, start_year = 0, start_month = 0;
    if (text.size() == 7 && text[4] == '-' && std::from_chars(text.data(), text.data() + 4, year).ec == std::errc() &&
        std::from_chars(text.data() + 5, end, month_of_year).ec == std::errc() && month_of_year >= 1 &&
        month_of_year <= 12) {
        if (params.start_date.size() < 7 ||
            std::from_chars(params.start_date.data(), params.start_date.data() + 4, start_year).ec != std::errc() ||
            std::from_chars(params.start_date.data() + 5, params.start_date.data() + 7, start_month).ec != std::errc())
            throw ScenarioError(option + ": '" + text +
                                "' is a date, but the scenario has no start_date: give a month number");
        return (year - start_year) * 12 + (month_of_year - start_month);
    }
    throw ScenarioError(option + ": '" + text + "' is neither a month number nor YYYY-MM");
}

StateSetup state_setup(const std::string& from, const std::string& save_state, const std::string& state_dir,
                       const std::vector<Scenario>& scenarios, int replicates, bool seed_given, std::uint64_t& seed,
                       const std::string& out) {
    StateSetup setup;
    if (!from.empty()) {
        auto states = std::make_shared<StartStates>(open_start_states(from, replicates));
        if (seed_given && seed != states->seed)
            throw StatepointError("--from: the statepoints were made with seed " + std::to_string(states->seed) +
                                  ", not " + std::to_string(seed) + " (leave --seed out to use theirs)");
        seed = states->seed;
        for (const Scenario& s : scenarios) check_continues(*states, s.params, s.name);
        setup.from = std::move(states);
    }
    if (!state_dir.empty() && save_state.empty())
        throw ScenarioError("--state-dir: it says where --save-state writes; give --save-state MONTH too");
    if (save_state.empty()) return setup;
    const int month = parse_month(save_state, scenarios.front().params, "--save-state");
    for (const Scenario& s : scenarios) {
        if (parse_month(save_state, s.params, "--save-state") != month)
            throw ScenarioError("--save-state: '" + save_state + "' is not the same month in every scenario");
        if (month < -s.params.spinup_months || month > s.params.months)
            throw ScenarioError("--save-state: month " + std::to_string(month) + " is outside scenario '" + s.name +
                                "' (" + std::to_string(-s.params.spinup_months) + " to " +
                                std::to_string(s.params.months) + ")");
    }
    if (setup.from && month < setup.from->month)
        throw ScenarioError("--save-state: month " + std::to_string(month) + " is before the month " +
                            std::to_string(setup.from->month) + " the run continues from (--from)");
    fs::path directory = state_dir;
    if (directory.empty()) directory = fs::path(out).replace_extension(".states");
    std::error_code error;
    fs::create_directories(directory, error);
    if (error || !fs::is_directory(directory))
        throw ScenarioError("--state-dir: cannot make directory '" + directory.string() + "'" +
                            (error ? ": " + error.message() : ""));
    for (const Scenario& s : scenarios) {
        fs::create_directories(directory / s.name, error);
        check_writable(statepoint_file((directory / s.name).string(), 0));
    }
    setup.save_month = month;
    setup.save_directory = directory.string();
    return setup;
}

}  // namespace codev
