// Precision-driven replicates (precision.hpp, issue 7): the stop rule of
// run_ensemble's rounds (ensemble.cpp), and what `codev run` prints of it.
#include "codev/ensemble/precision.hpp"

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <limits>
#include <stdexcept>

#include "codev/results/indicators.hpp"
#include "codev/results/summary.hpp"

namespace codev {

namespace {

constexpr double NAN_VALUE = std::numeric_limits<double>::quiet_NaN();
constexpr double INFINITE = std::numeric_limits<double>::infinity();
constexpr double UPPER_95 = 0.975;  // two-sided 95% interval

std::string allowed_indicators() {
    std::string names;
    for (const IndicatorInfo& info : JOB_INDICATORS) names += (names.empty() ? "" : ", ") + std::string(info.name);
    return names;
}

const IndicatorInfo* find_indicator(const std::string& name) { return find_job_indicator(name); }

std::vector<double> without_nan(const std::vector<double>& values) {
    std::vector<double> kept;
    std::copy_if(values.begin(), values.end(), std::back_inserter(kept), [](double v) { return !std::isnan(v); });
    return kept;
}

// Mean and sample variance (n - 1 in the denominator) of at least two values.
std::pair<double, double> mean_and_variance(const std::vector<double>& values) {
    double mean = 0.0;
    for (double v : values) mean += v;
    mean /= double(values.size());
    double squares = 0.0;
    for (double v : values) squares += (v - mean) * (v - mean);
    return {mean, squares / double(values.size() - 1)};
}

std::size_t scenario_index(const EnsembleResults& results, const std::string& name) {
    for (std::size_t s = 0; s < results.scenarios.size(); ++s)
        if (results.scenarios[s].name == name) return s;
    throw ScenarioError("precision baseline '" + name + "' is not a scenario of this run");
}

// The indicator of every job, [scenario][replicate].
std::vector<std::vector<double>> indicator_values(const EnsembleResults& results, const IndicatorInfo& info) {
    const std::size_t replicates = std::size_t(results.replicates);
    std::vector<std::vector<double>> values(results.scenarios.size());
    for (std::size_t s = 0; s < values.size(); ++s)
        for (std::size_t r = 0; r < replicates; ++r)
            values[s].push_back(job_indicators(results.records[s * replicates + r]).*info.value);
    return values;
}

std::vector<double> differences(const std::vector<double>& a, const std::vector<double>& b) {
    std::vector<double> d(a.size());
    std::transform(a.begin(), a.end(), b.begin(), d.begin(), std::minus<>());
    return d;  // NaN wherever either is undefined
}

}  // namespace

PrecisionTrigger make_trigger(const std::string& indicator, double tolerance) {
    if (find_indicator(indicator) == nullptr)
        throw ScenarioError("precision trigger: unknown indicator '" + indicator +
                            "' (allowed: " + allowed_indicators() + ")");
    if (!std::isfinite(tolerance) || tolerance <= 0.0)
        throw ScenarioError("precision trigger '" + indicator + "': the tolerance must be a positive finite number");
    return {indicator, tolerance};
}

PrecisionTrigger parse_trigger(const std::string& text) {
    const std::size_t equals = text.find('=');
    const auto fail = [&](const std::string& why) { throw ScenarioError("precision trigger '" + text + "': " + why); };
    if (equals == std::string::npos) fail("expected INDICATOR=TOLERANCE, e.g. projects_completed_total=5");
    const std::string number = text.substr(equals + 1);
    double tolerance = NAN_VALUE;
    try {
        std::size_t used = 0;
        tolerance = std::stod(number, &used);
        if (used != number.size()) fail("the tolerance '" + number + "' is not a number");
    } catch (const std::logic_error&) {  // invalid_argument, out_of_range
        fail("the tolerance '" + number + "' is not a number");
    }
    return make_trigger(text.substr(0, equals), tolerance);
}

namespace {

int commune_count(const Params& p) { return p.communes.empty() ? p.world.communes : int(p.communes.size()); }

// A difference with a baseline of another horizon or world counts months or
// communes the baseline does not have ("199 more projects").
void check_same_world(const std::vector<Scenario>& scenarios, const std::string& baseline_name) {
    const Scenario& baseline =
        *std::find_if(scenarios.begin(), scenarios.end(), [&](const Scenario& s) { return s.name == baseline_name; });
    for (const Scenario& s : scenarios)
        if (s.params.months != baseline.params.months || commune_count(s.params) != commune_count(baseline.params))
            throw ScenarioError(
                "precision baseline '" + baseline_name + "' (" + std::to_string(baseline.params.months) + " months, " +
                std::to_string(commune_count(baseline.params)) + " communes) cannot be compared with '" + s.name +
                "' (" + std::to_string(s.params.months) + " months, " + std::to_string(commune_count(s.params)) +
                " communes): a policy and its baseline must share the horizon and the world");
}

}  // namespace

void check_rule(const PrecisionRule& rule, const std::vector<Scenario>& scenarios, int initial_replicates) {
    if (rule.triggers.empty()) throw ScenarioError("precision: no trigger given");
    for (std::size_t i = 0; i < rule.triggers.size(); ++i) {
        make_trigger(rule.triggers[i].indicator, rule.triggers[i].tolerance);
        for (std::size_t j = 0; j < i; ++j)
            if (rule.triggers[i].indicator == rule.triggers[j].indicator)
                throw ScenarioError("precision: indicator '" + rule.triggers[i].indicator + "' has two triggers");
    }
    if (rule.paired && rule.baseline.empty())
        throw ScenarioError("precision: paired differences need a baseline scenario");
    if (!rule.baseline.empty()) {
        std::string names;
        bool found = false;
        for (const Scenario& s : scenarios) {
            names += (names.empty() ? "" : ", ") + s.name;
            found = found || s.name == rule.baseline;
        }
        if (!found)
            throw ScenarioError("precision baseline '" + rule.baseline +
                                "' is not a scenario of this run (scenarios: " + names + ")");
        if (scenarios.size() < 2)
            throw ScenarioError("precision baseline '" + rule.baseline + "': no other scenario to compare with it");
        check_same_world(scenarios, rule.baseline);
    }
    if (initial_replicates < 1 || rule.max_replicates < initial_replicates || rule.max_replicates > MAX_REPLICATES)
        throw ScenarioError("precision: max replicates " + std::to_string(rule.max_replicates) +
                            " is out of range (allowed: the initial replicates, " + std::to_string(initial_replicates) +
                            ", to " + std::to_string(MAX_REPLICATES) + ")");
    if (rule.batch < 0 || rule.batch > MAX_REPLICATES)
        throw ScenarioError("precision: batch " + std::to_string(rule.batch) + " is out of range (allowed: 1 to " +
                            std::to_string(MAX_REPLICATES) + ", or 0 for the initial replicates)");
}

double student_t_quantile(double p, double degrees_of_freedom) {
    if (!(p > 0.0 && p < 1.0) || !(degrees_of_freedom > 0.0) || !std::isfinite(degrees_of_freedom))
        throw std::domain_error("student_t_quantile: p must be in (0, 1) and the degrees of freedom positive");
    return boost::math::quantile(boost::math::students_t_distribution<double>(degrees_of_freedom), p);
}

double half_width(const std::vector<double>& values) {
    const std::vector<double> kept = without_nan(values);
    if (kept.empty()) return NAN_VALUE;
    if (kept.size() < 2) return INFINITE;
    const double n = double(kept.size());
    return student_t_quantile(UPPER_95, n - 1.0) * std::sqrt(mean_and_variance(kept).second / n);
}

double welch_half_width(const std::vector<double>& a, const std::vector<double>& b) {
    const std::vector<double> x = without_nan(a), y = without_nan(b);
    if (x.empty() || y.empty()) return NAN_VALUE;
    if (x.size() < 2 || y.size() < 2) return INFINITE;
    const double nx = double(x.size()), ny = double(y.size());
    const double vx = mean_and_variance(x).second / nx, vy = mean_and_variance(y).second / ny;
    if (vx + vy == 0.0) return 0.0;
    const double df = (vx + vy) * (vx + vy) / (vx * vx / (nx - 1.0) + vy * vy / (ny - 1.0));
    return student_t_quantile(UPPER_95, df) * std::sqrt(vx + vy);
}

std::vector<double> precision_half_widths(const EnsembleResults& results, const PrecisionRule& rule) {
    const std::size_t scenarios = results.scenarios.size(), triggers = rule.triggers.size();
    const bool difference = !rule.baseline.empty();
    const std::size_t baseline = difference ? scenario_index(results, rule.baseline) : 0;
    std::vector<double> widths(scenarios * triggers, NAN_VALUE);
    for (std::size_t k = 0; k < triggers; ++k) {
        const IndicatorInfo* info = find_indicator(rule.triggers[k].indicator);
        if (info == nullptr)
            throw ScenarioError("precision trigger: unknown indicator '" + rule.triggers[k].indicator + "'");
        const auto values = indicator_values(results, *info);
        for (std::size_t s = 0; s < scenarios; ++s) {
            double& width = widths[s * triggers + k];
            if (!difference)
                width = half_width(values[s]);
            else if (s != baseline)
                width = rule.paired ? half_width(differences(values[s], values[baseline]))
                                    : welch_half_width(values[s], values[baseline]);
        }
    }
    return widths;
}

PrecisionOutcome start_outcome(const PrecisionRule& rule, const std::vector<Scenario>& scenarios,
                               int initial_replicates) {
    PrecisionOutcome outcome;
    for (const PrecisionTrigger& trigger : rule.triggers) {
        const IndicatorInfo* info = find_indicator(trigger.indicator);
        outcome.indicators.push_back(trigger.indicator);
        outcome.units.push_back(info != nullptr ? info->units : "1");
        outcome.tolerances.push_back(trigger.tolerance);
    }
    outcome.baseline = rule.baseline;
    outcome.paired = rule.paired;
    outcome.initial_replicates = initial_replicates;
    outcome.batch = rule.batch > 0 ? rule.batch : initial_replicates;
    outcome.max_replicates = rule.max_replicates;
    outcome.replicates_needed.assign(rule.triggers.size(), 0);
    outcome.half_widths.assign(scenarios.size() * rule.triggers.size(), NAN_VALUE);
    return outcome;
}

void record_check(PrecisionOutcome& outcome, std::vector<double> half_widths, int replicates) {
    const std::size_t triggers = outcome.indicators.size();
    outcome.half_widths = std::move(half_widths);
    outcome.met = true;
    for (std::size_t k = 0; k < triggers; ++k) {
        bool met = true;
        for (std::size_t i = k; i < outcome.half_widths.size(); i += triggers) {
            const double width = outcome.half_widths[i];
            met = met && (std::isnan(width) || width < outcome.tolerances[k]);
        }
        // A trigger met, then lost in a later round, counts from when it stayed met.
        int& needed = outcome.replicates_needed[k];
        needed = met ? (needed > 0 ? needed : replicates) : 0;
        outcome.met = outcome.met && met;
    }
}

int next_round(const PrecisionOutcome& outcome, int replicates) {
    if (outcome.met || replicates >= outcome.max_replicates) return 0;
    return std::min(outcome.batch, outcome.max_replicates - replicates);
}

// ---- what `codev run` prints -------------------------------------------------

namespace {

// Three significant digits, but whole numbers from 1000 up, so that a
// half-width of 10012 is not shown as 1e+04 against a tolerance of 1e+04.
std::string number(double value) {
    if (std::isnan(value)) return "-";
    if (std::isinf(value)) return "inf";
    char text[48];
    std::snprintf(text, sizeof text, std::fabs(value) >= 1000 ? "%.0f" : "%.3g", value);
    return text;
}

// The widest half-width of trigger k over the scenarios, and its scenario
// (NaN when no scenario has one).
std::pair<double, std::size_t> widest(const PrecisionOutcome& p, std::size_t k) {
    const std::size_t triggers = p.indicators.size();
    std::pair<double, std::size_t> found{NAN_VALUE, 0};
    for (std::size_t i = k; i < p.half_widths.size(); i += triggers)
        if (!std::isnan(p.half_widths[i]) && !(p.half_widths[i] <= found.first))
            found = {p.half_widths[i], i / triggers};
    return found;
}

// Replicates the widest interval would need if it shrinks as 1/sqrt(n).
// "about N", or "more than MAX_REPLICATES" past it: a cast of a larger
// double to int printed negative counts.
std::string estimate(double width, double tolerance, int replicates) {
    const double needed = std::ceil(double(replicates) * (width / tolerance) * (width / tolerance));
    if (!std::isfinite(needed)) return "about ?";
    if (needed > MAX_REPLICATES) return "more than " + std::to_string(MAX_REPLICATES);
    return "about " + std::to_string(int(needed));
}

std::string measured(const PrecisionOutcome& p) {
    if (p.baseline.empty()) return "each scenario's mean";
    return std::string(p.paired ? "the paired difference" : "the difference") + " of each scenario with " + p.baseline;
}

std::string cell(std::string text, std::size_t width) {
    text.resize(std::max(width, text.size() + 2), ' ');
    return text;
}

}  // namespace

std::string format_round(const EnsembleResults& results, int next) {
    const PrecisionOutcome& p = results.precision;
    std::string line = "[codev] precision with " + std::to_string(results.replicates) + " replicates:";
    for (std::size_t k = 0; k < p.indicators.size(); ++k) {
        const auto [width, s] = widest(p, k);
        line += (k ? "; " : " ") + p.indicators[k] + " ";
        if (std::isnan(width))
            line += "not measured";
        else if (width < p.tolerances[k])
            line += "met (" + number(width) + " < " + number(p.tolerances[k]) + ")";
        else
            line += number(width) + " >= " + number(p.tolerances[k]) + " (" + results.scenarios[s].name + ", " +
                    estimate(width, p.tolerances[k], results.replicates) + " replicates needed)";
    }
    if (next > 0) return line + "; adding " + std::to_string(next) + "\n";
    return line + (p.met ? "; done\n" : "; stopping at the maximum\n");
}

std::string format_precision(const EnsembleResults& results) {
    const PrecisionOutcome& p = results.precision;
    const std::string replicates = std::to_string(results.replicates);
    std::string out = p.met ? "precision: every trigger met with " + replicates + " replicates"
                            : "precision: NOT met with " + replicates + " replicates, the maximum";
    out += " (first round " + std::to_string(p.initial_replicates) + ", then rounds of " + std::to_string(p.batch) +
           ", at most " + std::to_string(p.max_replicates) + ")\n";
    out += "half-width of the 95% interval of " + measured(p) + ":\n";
    std::size_t first = std::string("replicates needed").size() + 2;
    for (const ScenarioInfo& info : results.scenarios) first = std::max(first, info.name.size() + 2);
    std::vector<std::string> headers;
    for (std::size_t k = 0; k < p.indicators.size(); ++k)
        headers.push_back(p.indicators[k] + " (< " + number(p.tolerances[k]) + ")");
    const auto row = [&](std::string label, const auto& text_of) {
        std::string line = cell(std::move(label), first);
        for (std::size_t k = 0; k < headers.size(); ++k) line += cell(text_of(k), headers[k].size() + 2);
        while (!line.empty() && line.back() == ' ') line.pop_back();
        return line + "\n";
    };
    out += row("scenario", [&](std::size_t k) { return headers[k]; });
    for (std::size_t s = 0; s < results.scenarios.size(); ++s) {
        const bool baseline = results.scenarios[s].name == p.baseline;
        out += row(results.scenarios[s].name, [&](std::size_t k) {
            return baseline ? std::string("baseline") : number(p.half_widths[s * p.indicators.size() + k]);
        });
    }
    out += row("replicates needed", [&](std::size_t k) {
        return p.replicates_needed[k] > 0 ? std::to_string(p.replicates_needed[k]) : std::string("not met");
    });
    return out;
}

std::string precision_warning(const EnsembleResults& results) {
    const PrecisionOutcome& p = results.precision;
    if (p.empty() || p.met) return "";
    std::string text = "precision not reached with " + std::to_string(results.replicates) + " replicates, the maximum:";
    for (std::size_t k = 0; k < p.indicators.size(); ++k) {
        const auto [width, s] = widest(p, k);
        if (!std::isnan(width) && width >= p.tolerances[k])
            text += " " + p.indicators[k] + " " + number(width) + " >= " + number(p.tolerances[k]) + " (" +
                    results.scenarios[s].name + ", " + estimate(width, p.tolerances[k], results.replicates) +
                    " replicates needed);";
    }
    return text + " the results file records precision_met = 0";
}

}  // namespace codev
