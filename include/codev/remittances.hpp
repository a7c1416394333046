// Individual remittances and the choice of channel (docs/model.md 7.3).
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
// It is the probability as if the channel were open, closed or not: a
// closure's partial substitution is defined by it (docs/model.md 7.3).
void prepare_channels(World& world, const Params& params);

struct Remittance {
    std::int64_t amount = 0;  // R, sent
    std::int64_t fee = 0;     // cost of the transfer; the household receives R - fee
    bool formal = false;
};

enum class Channel : std::uint8_t { none, informal, formal };

// The channel of an amount R > 0 (XOF) with formal cost c_f and informal
// cost c_i, drawn with `word` (word 1 of the migrant's month block), with
// p_open the formal probability as if the channel were open (the corridor's
// p_formal_flat, else the logit on R). Open: formal iff u(word) < p_open.
// Closed with substitution s: a migrant who would have sent informally
// (u >= p_open) still does; one who would have sent formally sends
// informally iff u < s p_open, else sends nothing (Channel::none). With s = 1
// everyone sends informally, and no probability is computed.
inline Channel remittance_channel(double amount, double formal_cost, double informal_cost, std::uint32_t word,
                                  const CorridorMonth& c, const BehaviourParams& b) {
    if (c.formal_closed && c.informal_substitution >= 1.0) return Channel::informal;
    double p_open = c.p_formal_flat;
    if (p_open < 0.0)
        p_open = formal_channel_probability(amount, formal_cost, informal_cost, b.channel_alpha, b.channel_beta);
    if (!bernoulli(word, p_open)) return Channel::informal;
    if (!c.formal_closed) return Channel::formal;
    return bernoulli(word, c.informal_substitution * p_open) ? Channel::informal : Channel::none;
}

// One migrant's monthly remittance R = propensity x income x the corridor's
// amount factor (the response to the fee) through the channel drawn with
// `word` (word 1 of the migrant's month block); nothing (amount and fee 0)
// when R <= 0 or when a closed channel's sender does not substitute.
inline Remittance remit(double propensity, double income, std::uint32_t word, const CorridorMonth& c,
                        const BehaviourParams& b) {
    Remittance r;
    r.amount = round_small_xof(propensity * income * c.amount_factor);
    if (r.amount <= 0) return Remittance{};
    const double amount = double(r.amount);
    const double formal_cost = std::min(amount, c.formal_fee_pct * amount + c.formal_fee_fixed);
    const double informal_cost = c.informal_fee_pct * amount;
    const Channel channel = remittance_channel(amount, formal_cost, informal_cost, word, c, b);
    if (channel == Channel::none) return Remittance{};
    r.formal = channel == Channel::formal;
    r.fee = round_small_xof(r.formal ? formal_cost : informal_cost);
    return r;
}

}  // namespace codev
