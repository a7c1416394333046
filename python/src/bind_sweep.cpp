// Sweeps (include/codev/sweep.hpp, shards.hpp): designs, and a sharded run
// in the background that codev.sweep waits on in short slices with the GIL
// released, as codev.run does with an Ensemble.
#include <pybind11/chrono.h>
#include <pybind11/stl.h>

#include <chrono>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "codev/ensemble/shards.hpp"
#include "codev/ensemble/sweep.hpp"

namespace py = pybind11;

namespace codev::python {

namespace {

Factor range_factor(std::string key, double low, double high) { return Factor{std::move(key), low, high, {}}; }

Factor listed_factor(std::string key, std::vector<std::string> levels) {
    return Factor{std::move(key), 0.0, 0.0, std::move(levels)};
}

Design design_of(const Scenario& base, const std::vector<Factor>& factors, const std::string& kind, int n,
                 std::uint64_t seed) {
    return make_design(base, factors, parse_design_kind(kind), n, seed);
}

std::unique_ptr<BackgroundShardedRun> start(JobPlan plan, std::string out, bool resume, int threads, bool check) {
    ShardOptions options;
    options.out = std::move(out);
    options.resume = resume;
    options.threads = threads;
    options.run.check_invariants = check;
    return std::make_unique<BackgroundShardedRun>(std::move(plan), std::move(options));
}

bool wait_seconds(const BackgroundShardedRun& run, double seconds) {
    return run.wait_for(std::chrono::milliseconds(std::llround(seconds * 1000.0)));
}

// The design's values by dotted key, as Python lists (for reports and tests).
py::dict design_columns(const Design& design) {
    py::dict columns;
    for (const FactorValues& column : design.columns)
        columns[py::str(column.key)] = std::visit([](const auto& values) { return py::cast(values); }, column.values);
    return columns;
}

}  // namespace

void bind_sweep(py::module_& m) {
    using Release = py::call_guard<py::gil_scoped_release>;
    py::class_<Factor>(m, "Factor", "A swept parameter (codev::Factor)");
    py::class_<Design>(m, "Design", "The points of a sweep (codev::Design)")
        .def_property_readonly("points", &Design::points)
        .def_property_readonly("columns", &design_columns);
    py::class_<JobPlan>(m, "JobPlan", "The jobs of a sweep (codev::JobPlan)")
        .def_readonly("scenarios", &JobPlan::scenarios)
        .def_readonly("replicates", &JobPlan::replicates);
    m.def("range_factor", &range_factor, py::arg("key"), py::arg("low"), py::arg("high"));
    m.def("listed_factor", &listed_factor, py::arg("key"), py::arg("levels"));
    m.def("make_design", &design_of, py::arg("base"), py::arg("factors"), py::arg("kind"), py::arg("n"),
          py::arg("seed"));
    m.def("matrix_design", &matrix_design, py::arg("base"), py::arg("keys"), py::arg("rows"));
    m.def("csv_design", &csv_design, py::arg("base"), py::arg("path"));
    m.def("sweep_point", &sweep_point, py::arg("base"), py::arg("design"), py::arg("point"));
    m.def("sweep_plan", &sweep_plan, py::arg("base"), py::arg("design"), py::arg("replicates"), py::arg("seed"),
          py::arg("command_line"), py::arg("description"));
    m.def("assemble_shards", &assemble_shards, py::arg("out"), py::arg("keep_shards"), Release());
    py::class_<BackgroundShardedRun>(m, "ShardedRun", "A sharded run on a thread of its own")
        .def(py::init(&start), py::arg("plan"), py::arg("out"), py::arg("resume"), py::arg("threads"), py::arg("check"))
        .def("wait", &wait_seconds, py::arg("seconds"), Release())
        .def("join", &BackgroundShardedRun::wait, Release())
        .def("stop", &BackgroundShardedRun::stop)
        .def_property_readonly("jobs_done", &BackgroundShardedRun::jobs_done)
        .def_property_readonly("jobs_total", &BackgroundShardedRun::jobs_total)
        .def(
            "result", [](const BackgroundShardedRun& run) { run.outcome(); }, Release());
}

}  // namespace codev::python
