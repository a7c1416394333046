// Sweeps (include/codev/ensemble/sweep.hpp): factors and designs; their
// plans run as any other (bind_run.cpp).
#include <pybind11/stl.h>

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
    m.def("range_factor", &range_factor, py::arg("key"), py::arg("low"), py::arg("high"));
    m.def("listed_factor", &listed_factor, py::arg("key"), py::arg("levels"));
    m.def("make_design", &design_of, py::arg("base"), py::arg("factors"), py::arg("kind"), py::arg("n"),
          py::arg("seed"));
    m.def("matrix_design", &matrix_design, py::arg("base"), py::arg("keys"), py::arg("rows"));
    m.def("csv_design", &csv_design, py::arg("base"), py::arg("path"));
    m.def("sweep_point", &sweep_point, py::arg("base"), py::arg("design"), py::arg("point"));
    m.def("assemble_shards", &assemble_shards, py::arg("out"), py::arg("keep_shards"), Release());
}

}  // namespace codev::python
