// Trust and membership (docs/model.md 7.8).
//
// The rules are here; they run inside the social pass over migrants (social.hpp).
#pragma once

#include <algorithm>
#include <cstdint>

#include "codev/params.hpp"
#include "codev/rng.hpp"

namespace codev {

// Trust after this month's outcomes in the commune: each completion by the
// migrant's own association moves trust up by a_up * (1 - trust), each one by
// another association of the commune by a_spill times that; abandonments move
// it down by a_down * trust (own) or a_spill times that (others).
float updated_trust(float trust, int own_completed, int other_completed, int own_abandoned, int other_abandoned,
                    const BehaviourParams& b);

// Whether a non-member joins an association this month (probability
// j * trust), and which of the commune's `count` associations: -1 for none.
// Given u < q, u / q is uniform on [0, 1), so one word decides both.
inline int joined_association(std::uint32_t word, double trust, double join_rate, std::uint32_t count) {
    const double q = join_rate * trust;
    const double u = u01(word);
    if (count == 0 || u >= q) return -1;
    return int(std::min<std::uint32_t>(count - 1, std::uint32_t(u / q * double(count))));
}

// Whether a member leaves its association this month: probability
// leave_month * (1 - trust), leave_month the monthly form of
// leave_rate_per_year (docs/model.md 7.8). Members who trust collective
// projects stay; one who has lost trust leaves at the full rate.
inline bool leaves_association(std::uint32_t word, double trust, double leave_month) {
    return u01(word) < leave_month * (1.0 - trust);
}

// The largest probability the membership draw (word 2 of a migrant's month)
// can pass with for a migrant whose trust is in [0, 1]: join_rate for a
// non-member at trust 1, the monthly leaving probability for a member at
// trust 0. The economy pass flags MAY_JOIN below it; without the flag, and
// with trust in [0, 1], nobody joins or leaves (social.cpp).
double membership_flag_probability(const Params& params);

}  // namespace codev
