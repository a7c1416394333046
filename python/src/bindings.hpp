// The pybind11 bindings of codev._core, one bind_<area>.cpp per area
// (docs/architecture.md 1). Private to the package: users import `codev`, never `_core`.
#pragma once

#include <pybind11/pybind11.h>

namespace codev::python {

void bind_scenario(pybind11::module_& m);
void bind_run(pybind11::module_& m);
void bind_results(pybind11::module_& m);
void bind_sweep(pybind11::module_& m);
void bind_indicators(pybind11::module_& m);

}  // namespace codev::python
