// Precision-driven replicates (issue 7): a run adds replicates in rounds
// until the 95% confidence interval of each named indicator (summary.hpp's
// per-job indicators) is narrow enough, for every scenario or for every
// difference with a baseline scenario, as OpenMC's triggers do for particle
// transport. docs/decision-analysis.md (section 5) describes the rule;
// docs/results-format.md ("Precision") what the results file records.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "codev/ensemble/runner.hpp"
#include "codev/records.hpp"
#include "codev/scenario/scenario.hpp"

namespace codev {

// The 95% interval half-width of `indicator` must fall under `tolerance`
// (in the indicator's units).
struct PrecisionTrigger {
    std::string indicator;
    double tolerance = 0.0;
};

inline constexpr int DEFAULT_MAX_REPLICATES = 1000;

struct PrecisionRule {
    std::vector<PrecisionTrigger> triggers;
    // Measure each scenario's difference with this one ("": each scenario's
    // own mean): the difference of means of independent samples (Welch), or,
    // when `paired`, the mean of replicate-by-replicate differences, which
    // common random numbers make much narrower.
    std::string baseline;
    bool paired = false;
    int batch = 0;  // replicates added per round; 0: as many as the first round
    int max_replicates = DEFAULT_MAX_REPLICATES;
};

// A trigger from an indicator name and a tolerance. Throws ScenarioError
// (one line naming the allowed indicators) for an unknown name, and for a
// tolerance that is not positive and finite.
PrecisionTrigger make_trigger(const std::string& indicator, double tolerance);
// The same from "INDICATOR=TOLERANCE", e.g. "projects_completed_total=5".
PrecisionTrigger parse_trigger(const std::string& text);

// Throws ScenarioError unless `rule` can run: triggers given and distinct,
// a paired rule has a baseline, the baseline is one of `scenarios` and not
// the only one, 1 <= initial_replicates <= max_replicates <= MAX_REPLICATES.
void check_rule(const PrecisionRule& rule, const std::vector<Scenario>& scenarios, int initial_replicates);

// The p-quantile of Student's t distribution with `degrees_of_freedom`
// (p in (0, 1), degrees_of_freedom > 0, not necessarily whole).
double student_t_quantile(double p, double degrees_of_freedom);

// Half-width of the 95% confidence interval of the mean of `values`,
// t(0.975, n-1) s / sqrt(n), NaN values left out: NaN when none is left,
// +infinity for one.
double half_width(const std::vector<double>& values);
// The same for the difference of the means of two independent samples
// (Welch's interval, with Welch-Satterthwaite degrees of freedom).
double welch_half_width(const std::vector<double>& a, const std::vector<double>& b);

// Half-widths of every trigger for every scenario of `results`,
// [scenario * triggers + trigger]; NaN for the baseline itself (when the rule
// has one) and where the indicator is undefined in every replicate.
std::vector<double> precision_half_widths(const EnsembleResults& results, const PrecisionRule& rule);

// A new outcome for `rule` before any replicate has run.
PrecisionOutcome start_outcome(const PrecisionRule& rule, const std::vector<Scenario>& scenarios,
                               int initial_replicates);
// Records the half-widths measured with `replicates` replicates: a trigger is
// met when every half-width it has is under its tolerance (NaN ones do not
// count); it needed the replicates from which it stayed met.
void record_check(PrecisionOutcome& outcome, std::vector<double> half_widths, int replicates);
// Replicates of the next round after `replicates`, 0 to stop: when every
// trigger is met or max_replicates is reached.
int next_round(const PrecisionOutcome& outcome, int replicates);

// Called after each round of a precision-driven run (run_ensemble in
// ensemble.hpp, whose stop rule this is) with the results so far (their
// `precision` filled) and the replicates of the next round (0: the last).
using RoundCallback = std::function<void(const EnsembleResults&, int next_round)>;

// For `codev run`: one line after a round (the widest half-width of each
// trigger against its tolerance, and what comes next); a table at the end
// (half-widths per scenario and trigger, replicates each trigger needed);
// a warning when the rule was not met ("" when it was).
std::string format_round(const EnsembleResults& results, int next_round);
std::string format_precision(const EnsembleResults& results);
std::string precision_warning(const EnsembleResults& results);

}  // namespace codev
