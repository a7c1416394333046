// Labour: job loss and job finding of migrants (docs/model.md 7.2).
//
// The rule is here; it runs inside the fused monthly pass over migrants
// (economy.hpp), which draws one Philox block per migrant and month.
#pragma once

#include <cstdint>

#include "codev/params.hpp"
#include "codev/rng.hpp"
#include "codev/world.hpp"

namespace codev {

// Employment next month: an employed migrant keeps the job unless a
// Bernoulli(p_loss) fires; a jobless one finds a job with probability p_find.
// `word` is the migrant's labour draw (word 0 of its month block).
inline bool next_employed(bool employed, std::uint32_t word, const CorridorMonth& corridor) {
    return employed ? !bernoulli(word, corridor.p_job_loss) : bernoulli(word, corridor.p_job_find);
}

// Monthly income (XOF): base income times the wage multiplier when employed,
// the fallback share of base income when not.
inline double income(double base_income, bool employed, const CorridorMonth& corridor, const BehaviourParams& b) {
    return employed ? base_income * corridor.wage_multiplier : base_income * b.fallback_income_share;
}

// Income of the migrant in `slot` this month.
inline double migrant_income(const World& world, const Params& params, std::size_t slot) {
    const Migrants& m = world.migrants;
    return income(m.base_income_xof[slot], (m.flags[slot] & Migrants::EMPLOYED) != 0,
                  world.conditions.corridor[m.corridor[slot]], params.behaviour);
}

// Share of time employed in the long run: p_find / (p_find + p_loss).
double stationary_employment(double p_job_loss, double p_job_find);

}  // namespace codev
