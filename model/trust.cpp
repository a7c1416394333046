// Trust and membership (docs/model.md 7.8).
#include "codev/trust.hpp"

#include "codev/association_life.hpp"

namespace codev {

float updated_trust(float trust, int own_completed, int other_completed, int own_abandoned, int other_abandoned,
                    const BehaviourParams& b) {
    double t = trust;
    for (int i = 0; i < own_completed; ++i) t += b.trust_up * (1.0 - t);
    for (int i = 0; i < other_completed; ++i) t += b.trust_spill * b.trust_up * (1.0 - t);
    for (int i = 0; i < own_abandoned; ++i) t -= b.trust_down * t;
    for (int i = 0; i < other_abandoned; ++i) t -= b.trust_spill * b.trust_down * t;
    return float(t);
}

double membership_flag_probability(const Params& params) {
    return std::max(params.behaviour.join_rate, monthly_probability(params.associations.leave_rate_per_year));
}

}  // namespace codev
