// Shocks and time paths (docs/model.md 7.1; step 1 of section 3).
#include "codev/shocks.hpp"

#include <algorithm>
#include <cmath>

namespace codev {
namespace {

bool applies(const std::vector<int>& targets, int index) {
    return targets.empty() || std::find(targets.begin(), targets.end(), index) != targets.end();
}

// Corridor conditions before shocks: the corridor's hazards, its wage path,
// and its fees, or the fee policy's where the scenario sets one.
CorridorMonth unshocked(const Params& params, const CorridorParams& c, int month) {
    CorridorMonth m;
    m.p_job_loss = c.p_job_loss;
    m.p_job_find = c.p_job_find;
    m.wage_multiplier = c.wage_multiplier.at(month);
    m.formal_fee_pct = params.formal_fee_pct.empty() ? c.formal_fee_pct : params.formal_fee_pct.at(month);
    m.formal_fee_fixed =
        params.formal_fee_fixed_xof.empty() ? c.formal_fee_fixed_xof : params.formal_fee_fixed_xof.at(month);
    m.informal_fee_pct = c.informal_fee_pct;
    // Amounts respond to the fee relative to the corridor's own: exactly 1
    // (exp(0)) when no fee policy moves it.
    m.amount_factor = std::exp(params.behaviour.fee_semi_elasticity * (c.formal_fee_pct - m.formal_fee_pct));
    return m;
}

void apply_host_shock(std::vector<CorridorMonth>& corridors, const ShockParams& shock) {
    for (std::size_t k = 0; k < corridors.size(); ++k) {
        if (!applies(shock.corridors, int(k))) continue;
        CorridorMonth& m = corridors[k];
        if (shock.kind == ShockParams::Kind::formal_channel_closed) {
            // Overlapping closures multiply their substitutions, like the
            // multipliers of other shocks (docs/model.md 7.1).
            m.formal_closed = true;
            m.informal_substitution *= shock.informal_substitution;
            continue;
        }
        m.p_job_loss = std::min(1.0, m.p_job_loss * shock.job_loss_multiplier);
        m.p_job_find = std::min(1.0, m.p_job_find * shock.job_find_multiplier);
        m.wage_multiplier *= shock.wage_multiplier;
    }
}

// The corridor with the largest share of migrants (the first by name on a tie).
std::size_t home_corridor(const Params& params) {
    std::size_t home = 0;
    for (std::size_t k = 1; k < params.corridors.size(); ++k)
        if (params.corridors[k].share_of_migrants > params.corridors[home].share_of_migrants) home = k;
    return home;
}

}  // namespace

void step_shocks(World& world, const Params& params) {
    MonthConditions& m = world.conditions;
    const int month = world.month;
    m.corridor.resize(params.corridors.size());
    for (std::size_t k = 0; k < params.corridors.size(); ++k)
        m.corridor[k] = unshocked(params, params.corridors[k], month);
    const std::size_t communes = world.communes.size();
    m.risk_m.assign(communes, 1.0);
    m.delay_m.assign(communes, 1.0);
    for (const ShockParams& shock : params.shocks) {
        if (month < shock.start_month || month > shock.end_month) continue;
        if (shock.kind != ShockParams::Kind::origin_crisis) {
            apply_host_shock(m.corridor, shock);
            continue;
        }
        for (std::size_t c = 0; c < communes; ++c) {
            if (!applies(shock.communes, int(c))) continue;
            m.risk_m[c] *= shock.risk_multiplier;
            m.delay_m[c] *= shock.delay_multiplier;
        }
    }
    // Dues follow members' wages (docs/model.md 7.4): exactly 1 while wages
    // are at their level, whatever the elasticity.
    for (CorridorMonth& k : m.corridor)
        k.dues_scale = std::pow(k.wage_multiplier, params.behaviour.dues_income_elasticity);
    // Associations pool their members' money where most of them live and send
    // it home by that corridor's formal channel, the informal one while closed.
    const CorridorMonth& home = m.corridor[home_corridor(params)];
    m.association_fee_pct = home.formal_closed ? home.informal_fee_pct : home.formal_fee_pct;
}

}  // namespace codev
