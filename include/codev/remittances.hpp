// Individual remittances and the choice of channel (MODEL.md 7.2).
//
// The rule is here; it runs inside the fused monthly pass over migrants
// (economy.hpp).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "codev/money.hpp"
#include "codev/params.hpp"
#include "codev/rng.hpp"
#include "codev/world.hpp"

namespace codev {

// Probability of the formal channel for an amount R (XOF) given the formal
// cost c_f and informal cost c_i: 1 / (1 + exp(beta * (c_f - c_i) / R + alpha)).
double formal_channel_probability(double amount, double formal_cost, double informal_cost, double alpha, double beta);

// Sets each corridor's amount-independent formal probability for the month
// when it has no fixed fee, so the monthly pass needs no exp() per migrant.
void prepare_channels(World& world, const Params& params);

struct Remittance {
    std::int64_t amount = 0;  // R, sent
    std::int64_t fee = 0;     // cost of the transfer; the household receives R - fee
    bool formal = false;
};

// One migrant's monthly remittance R = propensity x income through the channel
// drawn with `word` (word 1 of the migrant's month block).
inline Remittance remit(double propensity, double income, std::uint32_t word, const CorridorMonth& c,
                        const BehaviourParams& b) {
    Remittance r;
    r.amount = round_small_xof(propensity * income);
    if (r.amount <= 0) return Remittance{};
    const double amount = double(r.amount);
    const double formal_cost = std::min(amount, c.formal_fee_pct * amount + c.formal_fee_fixed);
    const double informal_cost = c.informal_fee_pct * amount;
    double p_formal = c.p_formal_flat;
    if (c.formal_closed) p_formal = 0.0;
    else if (p_formal < 0.0) p_formal = formal_channel_probability(amount, formal_cost, informal_cost, b.channel_alpha, b.channel_beta);
    r.formal = bernoulli(word, p_formal);
    r.fee = round_small_xof(r.formal ? formal_cost : informal_cost);
    return r;
}

}  // namespace codev
