// The tables `codev run` prints at the end: by default what each policy adds
// against a baseline (effects.hpp), or the totals of each scenario.
#pragma once

#include <string>
#include <vector>

#include "codev/records.hpp"
#include "codev/results/effects.hpp"

namespace codev {

// The indicators of every job, [scenario][replicate].
std::vector<std::vector<JobIndicators>> ensemble_indicators(const EnsembleResults& results);

// The baseline of `results`: `requested` when given (ScenarioError when it is
// not a scenario of the run), else the one scenario whose TOML declares
// `baseline = true` (ScenarioError when several do), else "".
std::string find_baseline(const EnsembleResults& results, const std::string& requested);

// The effects of every scenario but the baseline, in run order. Throws
// ScenarioError when a policy cannot be compared with the baseline (another
// horizon or another number of communes).
std::vector<PolicyEffects> ensemble_effects(const EnsembleResults& results, const std::string& baseline);

// Policies whose unspent share of the money made available exceeds this
// get a warning: a larger budget would buy them nothing.
inline constexpr double UNSPENT_WARNING_SHARE = 0.25;

// The effect table: one column per policy, one row per effect, each "mean
// [5% - 95%]", then a warning line per policy leaving more than
// UNSPENT_WARNING_SHARE of its money unspent.
std::string format_effects(const std::vector<PolicyEffects>& effects, const std::string& baseline, int replicates);

// The totals of each scenario (no ratio of public money to outcomes): projects
// completed and working, people reached, programme and public money, and the
// unspent share of the money made available.
std::string format_totals(const EnsembleResults& results);

// What `codev run` prints: the effect table when there is a baseline (given
// or declared) and another scenario, else the totals; `totals` forces them.
std::string format_run_table(const EnsembleResults& results, const std::string& baseline, bool totals);

}  // namespace codev
