// Individual remittances (docs/model.md 7.3).
//
// R = propensity * y, rounded to the franc. The channel is drawn from a logit
// on the cost difference per franc sent, so a fee policy that lowers formal
// fees moves flows from informal to formal channels. The draw is word 1 of
// the migrant's month block: the same in every scenario, so two fee policies
// differ in channel choices only where their probabilities do. A closure
// reuses that word (docs/model.md 7.3): the migrants it stops from sending
// are among those who would have sent formally, so with full substitution
// (s = 1) it moves exactly the formal money to the informal channel.
#include "codev/remittances.hpp"

namespace codev {

double formal_channel_probability(double amount, double formal_cost, double informal_cost, double alpha, double beta) {
    if (amount <= 0.0) return 0.0;
    return 1.0 / (1.0 + std::exp(beta * (formal_cost - informal_cost) / amount + alpha));
}

void prepare_channels(World& world, const Params& params) {
    for (CorridorMonth& c : world.conditions.corridor) {
        // Without a fixed fee, (c_f - c_i) / R = pct_f - pct_i for every R, so
        // the probability is the same for all of the corridor's migrants.
        c.p_formal_flat =
            c.formal_fee_fixed == 0.0 && c.formal_fee_pct <= 1.0
                ? formal_channel_probability(1.0, c.formal_fee_pct, c.informal_fee_pct, params.behaviour.channel_alpha,
                                             params.behaviour.channel_beta)
                : -1.0;
    }
}

}  // namespace codev
