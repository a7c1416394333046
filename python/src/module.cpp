// codev._core: the compiled core seen from Python. The library's exceptions
// become Python's: a scenario or results-file error is a ValueError with the
// library's one-line message (a statepoint's too) (the CLI prints the same line), a stopped run a
// KeyboardInterrupt. Others keep pybind11's defaults (RuntimeError).
#include <exception>
#include <stdexcept>

#include "bindings.hpp"
#include "codev/ensemble/ensemble.hpp"
#include "codev/results/results_file.hpp"
#include "codev/scenario/scenario.hpp"
#include "codev/state/statepoint.hpp"

namespace {

void translate(std::exception_ptr error) {
    try {
        if (error) std::rethrow_exception(error);
    } catch (const codev::ScenarioError& e) {
        PyErr_SetString(PyExc_ValueError, e.what());
    } catch (const codev::ResultsError& e) {
        PyErr_SetString(PyExc_ValueError, e.what());
    } catch (const codev::StatepointError& e) {
        PyErr_SetString(PyExc_ValueError, e.what());
    } catch (const std::invalid_argument& e) {
        PyErr_SetString(PyExc_ValueError, e.what());
    } catch (const codev::Interrupted& e) {
        PyErr_SetString(PyExc_KeyboardInterrupt, e.what());
    }
}

}  // namespace

PYBIND11_MODULE(_core, m) {
    m.doc() = "codev's compiled core (private: use the codev package)";
    pybind11::register_exception_translator(&translate);
    codev::python::bind_scenario(m);
    codev::python::bind_run(m);
    codev::python::bind_results(m);
    codev::python::bind_sweep(m);
    codev::python::bind_indicators(m);
}
