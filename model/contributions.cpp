// Collective contributions (docs/model.md 7.4).
#include "codev/contributions.hpp"

#include <algorithm>

namespace codev {

double price_effect(double public_share, double epsilon) {
    return std::pow(1.0 - std::clamp(public_share, 0.0, 0.99), -epsilon);
}

void set_raising_multipliers(World& world, const Params& params) {
    Associations& a = world.associations;
    for (std::size_t i = 0; i < a.size(); ++i) {
        float multiplier = 0.0f;
        if (a.project[i] >= 0) {
            const Project& p = world.projects[a.project[i]];
            if (a.stage[i] == Stage::fundraising)
                multiplier = float(price_effect(p.expected_public_share, params.behaviour.epsilon));
            // Waiting for a programme's decision, members keep saving towards
            // doing the project alone (no match on that money).
            if (a.stage[i] == Stage::applying) multiplier = 1.0f;
        }
        // Covering an overrun is not matched either: members give while a
        // finished project waits for it (departure D8), at least at mu = 1.
        if (a.stalled[i] > 0) multiplier = std::max(multiplier, 1.0f);
        a.raising_multiplier[i] = multiplier;
    }
}

}  // namespace codev
