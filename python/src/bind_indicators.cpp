// Indicators and effects (include/codev/indicators.hpp, effects.hpp): their
// names and units, and the effects of a policy computed by the same C++ the
// CLI prints, from the per-job indicators stored in a results file.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <stdexcept>

#include "bindings.hpp"
#include "codev/results/effects.hpp"
#include "codev/results/summary.hpp"

namespace py = pybind11;

namespace codev::python {

namespace {

// values[replicate][indicator] in the order of JOB_INDICATORS,
// sectors[replicate][sector indicator][sector] in that of JOB_SECTOR_INDICATORS.
std::vector<JobIndicators> jobs_from(const py::array_t<double, py::array::c_style | py::array::forcecast>& values,
                                     const py::array_t<double, py::array::c_style | py::array::forcecast>& sectors) {
    if (values.ndim() != 2 || values.shape(1) != JOB_INDICATOR_COUNT || sectors.ndim() != 3 ||
        sectors.shape(0) != values.shape(0) || sectors.shape(1) != py::ssize_t(JOB_SECTOR_INDICATORS.size()) ||
        sectors.shape(2) != SECTOR_COUNT)
        throw std::invalid_argument("indicator arrays of the wrong shape");
    std::vector<JobIndicators> jobs(std::size_t(values.shape(0)));
    const auto v = values.unchecked<2>();
    const auto k = sectors.unchecked<3>();
    for (py::ssize_t r = 0; r < values.shape(0); ++r) {
        for (py::ssize_t i = 0; i < JOB_INDICATOR_COUNT; ++i) jobs[std::size_t(r)].*JOB_INDICATORS[i].value = v(r, i);
        for (std::size_t i = 0; i < JOB_SECTOR_INDICATORS.size(); ++i)
            for (int s = 0; s < SECTOR_COUNT; ++s)
                (jobs[std::size_t(r)].*JOB_SECTOR_INDICATORS[i].value)[s] = k(r, py::ssize_t(i), s);
    }
    return jobs;
}

py::tuple estimate(const Estimate& e) { return py::make_tuple(e.value, e.p5, e.p95); }

py::dict effects_dict(const PolicyEffects& effects) {
    py::dict out;
    for (std::size_t e = 0; e < EFFECTS.size(); ++e) out[EFFECTS[e].name] = estimate(effects.values[e]);
    py::list completed, working;
    for (int s = 0; s < SECTOR_COUNT; ++s) {
        completed.append(estimate(effects.additional_projects_completed_by_sector[s]));
        working.append(estimate(effects.additional_projects_working_by_sector[s]));
    }
    out["additional_projects_completed_by_sector"] = completed;
    out["additional_projects_working_by_sector"] = working;
    return out;
}

}  // namespace

void bind_indicators(py::module_& m) {
    py::list indicators, sector_indicators, effects;
    for (const IndicatorInfo& i : JOB_INDICATORS) indicators.append(py::make_tuple(i.name, i.units, i.long_name));
    for (const SectorIndicatorInfo& i : JOB_SECTOR_INDICATORS)
        sector_indicators.append(py::make_tuple(i.name, i.units, i.long_name));
    for (const EffectInfo& e : EFFECTS) effects.append(py::make_tuple(e.name, e.units, e.long_name));
    m.attr("JOB_INDICATORS") = indicators;
    m.attr("JOB_SECTOR_INDICATORS") = sector_indicators;
    m.attr("EFFECTS") = effects;
    m.attr("UNSPENT_WARNING_SHARE") = UNSPENT_WARNING_SHARE;
    m.attr("SECTOR_NAMES") = std::vector<std::string>(SECTOR_NAMES.begin(), SECTOR_NAMES.end());
    m.def(
        "policy_effects",
        [](const std::string& scenario, const py::array_t<double, py::array::c_style | py::array::forcecast>& policy,
           const py::array_t<double, py::array::c_style | py::array::forcecast>& policy_sectors,
           const py::array_t<double, py::array::c_style | py::array::forcecast>& baseline,
           const py::array_t<double, py::array::c_style | py::array::forcecast>& baseline_sectors) {
            return effects_dict(
                policy_effects(scenario, jobs_from(policy, policy_sectors), jobs_from(baseline, baseline_sectors)));
        },
        py::arg("scenario"), py::arg("policy"), py::arg("policy_sectors"), py::arg("baseline"),
        py::arg("baseline_sectors"));
}

}  // namespace codev::python
