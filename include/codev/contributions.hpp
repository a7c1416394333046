// Collective contributions: dues and project contributions with the price
// effect of the match (MODEL.md 7.3).
//
// The rule is here; it runs inside the fused monthly pass over migrants
// (economy.hpp).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "codev/money.hpp"
#include "codev/params.hpp"
#include "codev/world.hpp"

namespace codev {

// The price effect: a member of an association raising money for a project
// whose expected public share is s gives (1 - s)^-epsilon times the base
// contribution. s is clamped below 0.99 so the multiplier stays finite.
double price_effect(double public_share, double epsilon);

// Sets each association's multiplier for the month: the price effect while it
// raises money for a project (fundraising), 1 while it waits for a
// programme's decision (saving to do the project alone if refused) or covers
// an overrun (no programme matches either), 0 otherwise.
void set_raising_multipliers(World& world, const Params& params);

struct MemberPayment {
    std::int64_t dues = 0, contribution = 0;
    std::int64_t fee = 0;  // what sending dues + contribution home costs; the treasury gets the rest
};

// A member's monthly payment: dues min(dues_a, dues_cap_share * y), plus
// trust * k * y * multiplier while the association raises money; the
// transfer home costs the fee share fee_pct of both (the corridor's
// association_fee_pct, in [0, 1], so the fee never exceeds the payment).
inline MemberPayment member_payment(std::int64_t dues_xof, double income, double trust, double raising_multiplier,
                                    double fee_pct, const BehaviourParams& b) {
    MemberPayment p;
    p.dues = std::min<std::int64_t>(dues_xof, round_small_xof(b.dues_cap_share * income));
    if (raising_multiplier > 0.0)
        p.contribution = round_small_xof(trust * b.contribution_share * income * raising_multiplier);
    p.fee = round_small_xof(fee_pct * double(p.dues + p.contribution));
    return p;
}

}  // namespace codev
