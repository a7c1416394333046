// Running an ensemble in the background (codev::BackgroundEnsemble): the
// Python function codev.run waits on it in short slices with the GIL
// released, drives the progress bar and stops it on Ctrl-C.
#include <pybind11/stl.h>

#include <chrono>
#include <cmath>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "bindings.hpp"
#include "codev/ensemble/ensemble.hpp"
#include "codev/ensemble/precision.hpp"
#include "codev/results/results_file.hpp"

namespace py = pybind11;

namespace codev::python {

namespace {

EnsembleOptions ensemble_options(int replicates, std::uint64_t seed, int threads, bool check,
                                 std::string command_line) {
    EnsembleOptions options;
    options.replicates = replicates;
    options.seed = seed;
    options.threads = threads;
    options.run.check_invariants = check;
    options.command_line = std::move(command_line);
    return options;
}

std::unique_ptr<BackgroundEnsemble> start(std::vector<Scenario> scenarios, int replicates, std::uint64_t seed,
                                          int threads, bool check, std::string command_line) {
    return std::make_unique<BackgroundEnsemble>(
        std::move(scenarios), ensemble_options(replicates, seed, threads, check, std::move(command_line)));
}

// Rounds of replicates until `triggers` are met (precision.hpp): the rule is
// checked here, so a mistake raises ValueError before anything runs.
std::unique_ptr<BackgroundEnsemble> start_precise(std::vector<Scenario> scenarios, int replicates, std::uint64_t seed,
                                                  int threads, bool check, std::string command_line,
                                                  const std::vector<std::pair<std::string, double>>& triggers,
                                                  std::string baseline, bool paired, int batch, int max_replicates) {
    PrecisionRule rule;
    for (const auto& [indicator, tolerance] : triggers) rule.triggers.push_back(make_trigger(indicator, tolerance));
    rule.baseline = std::move(baseline);
    rule.paired = paired;
    rule.batch = batch;
    rule.max_replicates = max_replicates;
    check_rule(rule, scenarios, replicates);
    const std::int64_t months = ensemble_months(scenarios, replicates);
    return std::make_unique<BackgroundEnsemble>(
        [scenarios = std::move(scenarios), rule = std::move(rule),
         options = ensemble_options(replicates, seed, threads, check, std::move(command_line))](
            EnsembleProgress& progress) { return run_until_precise(scenarios, options, rule, &progress); },
        months);
}

bool wait_seconds(const BackgroundEnsemble& ensemble, double seconds) {
    return ensemble.wait_for(std::chrono::milliseconds(std::llround(seconds * 1000.0)));
}

void write(const BackgroundEnsemble& ensemble, const std::string& path) { write_results(ensemble.results(), path); }

}  // namespace

void bind_run(py::module_& m) {
    using Release = py::call_guard<py::gil_scoped_release>;
    py::class_<BackgroundEnsemble>(m, "Ensemble", "An ensemble running on a thread of its own")
        .def(py::init(&start), py::arg("scenarios"), py::arg("replicates"), py::arg("seed"), py::arg("threads"),
             py::arg("check"), py::arg("command_line"))
        .def(py::init(&start_precise), py::arg("scenarios"), py::arg("replicates"), py::arg("seed"), py::arg("threads"),
             py::arg("check"), py::arg("command_line"), py::arg("triggers"), py::arg("baseline"), py::arg("paired"),
             py::arg("batch"), py::arg("max_replicates"))
        .def("wait", &wait_seconds, py::arg("seconds"), Release())
        .def("join", &BackgroundEnsemble::wait, Release())
        .def("stop", &BackgroundEnsemble::stop)
        .def_property_readonly("months_done", &BackgroundEnsemble::months_done)
        .def_property_readonly("months_total", &BackgroundEnsemble::months_total)
        .def("write", &write, py::arg("path"), Release());
}

}  // namespace codev::python
