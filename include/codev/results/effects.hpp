// What a policy adds: each policy scenario against a baseline, replicate by
// replicate under common random numbers (replicate r of every scenario draws
// the same random numbers), from the indicators of indicators.hpp.
// docs/indicators.md gives each effect's formula and estimator.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "codev/results/indicators.hpp"

namespace codev {

// A central value and its 90 % range over replicates (5th and 95th
// percentiles, linear between order statistics). NaN where undefined; a cost
// per additional person is +infinity in a replicate that adds nobody.
struct Estimate {
    double value, p5, p95;
};

// How an effect is computed from the baseline's (b) and the policy's (p)
// indicators of replicate r.
enum class Measure {
    difference,    // p.a - b.a; central value the mean
    level,         // p.a, the policy's own value; central value the mean
    cost_ratio,    // (p.a - b.a) / (p.b - b.b), +inf where the denominator <= 0; central: ratio of the means
    built_anyway,  // 1 - (p.a - b.a) / p.b; central: 1 - mean(p.a - b.a) / mean(p.b)
};

struct EffectInfo {
    const char* name;
    Measure measure;
    double JobIndicators::*a;
    double JobIndicators::*b;  // cost_ratio and built_anyway only
    const char* units;
    const char* long_name;
};
inline constexpr int EFFECT_COUNT = 32;
extern const std::array<EffectInfo, EFFECT_COUNT> EFFECTS;

// The effects of one policy.
struct PolicyEffects {
    std::string scenario;
    std::array<Estimate, EFFECT_COUNT> values;  // in the order of EFFECTS
    std::array<Estimate, SECTOR_COUNT> additional_projects_completed_by_sector, additional_projects_working_by_sector;
};

// The effects of `policy` against `baseline`, each the indicators of the
// same replicates in the same order. Throws std::invalid_argument when their
// counts differ or are zero.
PolicyEffects policy_effects(const std::string& scenario, const std::vector<JobIndicators>& policy,
                             const std::vector<JobIndicators>& baseline);

// The entry of EFFECTS named `name`, or nullptr.
const EffectInfo* find_effect(const std::string& name);

// Mean and 5-95 % range of `values`, NaN left out (NaN throughout when all are).
Estimate spread(std::vector<double> values);

}  // namespace codev
