// Collective contributions: dues and project contributions with the price
// effect of the match (docs/model.md 7.4).
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
};

// Dues of a member as a multiple of its association's dues: its income over
// its normal income (the wage multiplier when employed, the fallback share
// when not) to the power dues_income_elasticity. 1 at normal income.
inline double dues_scale(bool employed, const CorridorMonth& corridor, double jobless_dues_scale) {
    return employed ? corridor.dues_scale : jobless_dues_scale;
}

// What a jobless member pays of its association's dues.
inline double jobless_dues_scale(const BehaviourParams& b) {
    return std::pow(b.fallback_income_share, b.dues_income_elasticity);
}

// A member's monthly payment: dues min(dues_a * scale, dues_cap_share * y)
// (scale from dues_scale()), plus trust * k * y * multiplier while the
// association raises money.
inline MemberPayment member_payment(std::int64_t dues_xof, double scale, double income, double trust,
                                    double raising_multiplier, const BehaviourParams& b) {
    MemberPayment p;
    p.dues =
        std::min<std::int64_t>(round_small_xof(double(dues_xof) * scale), round_small_xof(b.dues_cap_share * income));
    if (raising_multiplier > 0.0)
        p.contribution = round_small_xof(trust * b.contribution_share * income * raising_multiplier);
    return p;
}

// The fee on what an association received this month (its inflow), sent
// home at the fee share fee_pct in [0, 1] (docs/model.md 7.4).
inline std::int64_t association_fee(std::int64_t inflow_xof, double fee_pct) {
    return round_small_xof(fee_pct * double(inflow_xof));
}

}  // namespace codev
