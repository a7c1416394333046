// Results files (include/codev/results_file.hpp): the checks and messages of
// `codev info`, reused by codev.open; the file itself is read by xarray.
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "codev/results/results_file.hpp"
#include "codev/version.hpp"

namespace py = pybind11;

namespace codev::python {

void bind_results(py::module_& m) {
    m.def("describe_results", &describe_results, py::arg("path"));
    m.def("check_writable", &check_writable, py::arg("path"), py::arg("inputs") = std::vector<std::string>{});
    m.def("codev_version", &codev_version);
    m.def("git_commit", &codev_git_commit);
    m.attr("RESULTS_FORMAT_VERSION") = RESULTS_FORMAT_VERSION;
}

}  // namespace codev::python
