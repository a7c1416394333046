// Runs (include/codev/ensemble/runner.hpp, background.hpp): plans of jobs and
// the one background run that codev.run and codev.sweep wait on in short
// slices with the GIL released, driving the progress bar and stopping it on
// Ctrl-C. A run held in memory gives its results file as bytes (an HDF5
// image made in memory), which xarray opens without a temporary file.
#include <pybind11/stl.h>

#include <chrono>
#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bindings.hpp"
#include "codev/ensemble/background.hpp"
#include "codev/ensemble/sweep.hpp"
#include "codev/results/results_file.hpp"
#include "codev/state/start.hpp"

namespace py = pybind11;

namespace codev::python {

namespace {

RunnerOptions runner_options(int threads, bool check) {
    RunnerOptions options;
    options.threads = threads;
    options.run.check_invariants = check;
    return options;
}

// `triggers` empty: a fixed number of replicates; else rounds until they are
// met (precision.hpp). The rule is checked here, so a mistake raises
// ValueError before anything runs.
std::unique_ptr<BackgroundRun> in_memory(JobPlan plan, int threads, bool check,
                                         const std::vector<std::pair<std::string, double>>& triggers,
                                         std::string baseline, bool paired, int batch, int max_replicates,
                                         const StateSetup& states) {
    std::optional<PrecisionRule> rule;
    if (!triggers.empty()) {
        rule.emplace();
        for (const auto& [indicator, tolerance] : triggers)
            rule->triggers.push_back(make_trigger(indicator, tolerance));
        rule->baseline = std::move(baseline);
        rule->paired = paired;
        rule->batch = batch;
        rule->max_replicates = max_replicates;
    }
    RunnerOptions options = runner_options(threads, check);
    options.from = states.from;
    options.save_month = states.save_month;
    options.save_directory = states.save_directory;
    return start_in_memory(std::move(plan), std::move(options), std::move(rule));
}

// The statepoints a run continues or saves, checked against its scenarios;
// gives them and the run's seed (the statepoints' when it continues them).
std::pair<StateSetup, std::uint64_t> setup_states(const std::vector<Scenario>& scenarios, int replicates,
                                                  std::optional<std::uint64_t> seed, const std::string& from,
                                                  const std::string& save_state, const std::string& state_dir,
                                                  const std::string& out) {
    std::uint64_t chosen = seed.value_or(0);
    StateSetup setup = state_setup(from, save_state, state_dir, scenarios, replicates, seed.has_value(), chosen, out);
    return {std::move(setup), chosen};
}

std::unique_ptr<BackgroundRun> sharded(JobPlan plan, std::string out, bool resume, int threads, bool check) {
    ShardOptions options;
    options.out = std::move(out);
    options.resume = resume;
    options.threads = threads;
    options.run = runner_options(threads, check).run;
    return start_sharded(std::move(plan), std::move(options));
}

bool wait_seconds(const BackgroundRun& run, double seconds) {
    return run.wait_for(std::chrono::milliseconds(std::llround(seconds * 1000.0)));
}

void write(const BackgroundRun& run, const std::string& path) {
    write_results(run.outcome().results, path, run.outcome().factors);
}

py::bytes image(const BackgroundRun& run) {
    std::string bytes;
    {
        py::gil_scoped_release release;
        bytes = results_image(run.outcome().results, run.outcome().factors);
    }
    return py::bytes(bytes);
}

}  // namespace

void bind_run(py::module_& m) {
    using Release = py::call_guard<py::gil_scoped_release>;
    py::class_<JobPlan>(m, "JobPlan", "The jobs of a run or sweep (codev::JobPlan)")
        .def_readonly("scenarios", &JobPlan::scenarios)
        .def_readonly("replicates", &JobPlan::replicates);
    m.def("scenarios_plan", &scenarios_plan, py::arg("scenarios"), py::arg("replicates"), py::arg("seed"),
          py::arg("command_line"));
    m.def("sweep_plan", &sweep_plan, py::arg("base"), py::arg("design"), py::arg("replicates"), py::arg("seed"),
          py::arg("command_line"), py::arg("description"));
    py::class_<BackgroundRun>(m, "Run", "A run on a thread of its own (codev::BackgroundRun)")
        .def("wait", &wait_seconds, py::arg("seconds"), Release())
        .def("join", &BackgroundRun::wait, Release())
        .def("stop", &BackgroundRun::stop)
        .def_property_readonly("months_done", [](const BackgroundRun& r) { return r.progress().months_done.load(); })
        .def_property_readonly("months_total", [](const BackgroundRun& r) { return r.progress().months_total.load(); })
        .def_property_readonly("jobs_done", [](const BackgroundRun& r) { return r.progress().jobs_done.load(); })
        .def_property_readonly("jobs_total", [](const BackgroundRun& r) { return r.progress().jobs_total.load(); })
        .def(
            "result", [](const BackgroundRun& run) { run.outcome(); }, Release())
        .def("write", &write, py::arg("path"), Release())
        .def("image", &image);
    py::class_<StateSetup>(m, "StateSetup", "Statepoints a run continues or saves (codev::StateSetup)")
        .def(py::init<>())
        .def_property_readonly("from_month",
                               [](const StateSetup& s) -> std::optional<int> {
                                   return s.from ? std::optional<int>(s.from->month) : std::nullopt;
                               })
        .def_readonly("save_month", &StateSetup::save_month)
        .def_readonly("save_directory", &StateSetup::save_directory);
    m.def("state_setup", &setup_states, py::arg("scenarios"), py::arg("replicates"), py::arg("seed"),
          py::arg("from_states"), py::arg("save_state"), py::arg("state_dir"), py::arg("out"));
    m.def("run_in_memory", &in_memory, py::arg("plan"), py::arg("threads"), py::arg("check"),
          py::arg("triggers") = std::vector<std::pair<std::string, double>>{}, py::arg("baseline") = "",
          py::arg("paired") = false, py::arg("batch") = 0, py::arg("max_replicates") = DEFAULT_MAX_REPLICATES,
          py::arg("states") = StateSetup{});
    m.def("run_sharded", &sharded, py::arg("plan"), py::arg("out"), py::arg("resume"), py::arg("threads"),
          py::arg("check"));
}

}  // namespace codev::python
