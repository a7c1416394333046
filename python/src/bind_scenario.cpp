// Scenarios (include/codev/scenario.hpp): load, parse, override. The Python
// class codev.Scenario wraps these.
#include <pybind11/stl.h>

#include <string>

#include "bindings.hpp"
#include "codev/scenario/scenario.hpp"

namespace py = pybind11;

namespace codev::python {

void bind_scenario(py::module_& m) {
    py::class_<Scenario>(m, "Scenario", "A parsed and validated scenario (codev::Scenario)")
        .def_readonly("name", &Scenario::name)
        .def_readonly("path", &Scenario::path)
        .def_readonly("toml", &Scenario::toml)
        .def_readonly("sources", &Scenario::sources)
        .def_property_readonly("months", [](const Scenario& s) { return s.params.months; });
    m.def("load_scenario", &load_scenario, py::arg("path"));
    m.def("parse_scenario", &parse_scenario, py::arg("text"), py::arg("name"), py::arg("origin"), py::arg("base_dir"));
    m.def("with_override", &with_override, py::arg("scenario"), py::arg("dotted_key"), py::arg("toml_value"));
    m.def(
        "parameter_docs",
        [] {
            py::list out;
            for (const auto& d : parameter_docs())
                out.append(py::dict(py::arg("table") = d.table, py::arg("key") = d.key, py::arg("unit") = d.unit,
                                    py::arg("doc") = d.doc, py::arg("allowed") = d.allowed,
                                    py::arg("default") = d.default_value));
            return out;
        },
        "Every parameter of the scenario schema: table, key, unit, doc, allowed values, default (TOML text)");
    m.def(
        "renamed",
        [](Scenario s, std::string name) {
            s.name = std::move(name);
            return s;
        },
        py::arg("scenario"), py::arg("name"));
}

}  // namespace codev::python
