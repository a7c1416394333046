// Tests of trust and membership (docs/model.md 7.8).
#include "codev/trust.hpp"

#include <catch2/catch.hpp>
#include <cmath>

#include "codev/economy.hpp"
#include "codev/initialisation.hpp"
#include "codev/shocks.hpp"
#include "codev/social.hpp"
#include "test_world.hpp"

using namespace codev;

TEST_CASE("Trust moves by a_up on own completions, a_spill x a_up on others', and down on abandonments", "[trust]") {
    BehaviourParams b;
    b.trust_up = 0.1;
    b.trust_spill = 0.5;
    b.trust_down = 0.2;
    CHECK(updated_trust(0.5f, 1, 0, 0, 0, b) == Approx(0.55));
    CHECK(updated_trust(0.5f, 0, 1, 0, 0, b) == Approx(0.525));
    CHECK(updated_trust(0.5f, 0, 0, 1, 0, b) == Approx(0.4));
    CHECK(updated_trust(0.5f, 0, 0, 0, 1, b) == Approx(0.45));
    CHECK(updated_trust(0.5f, 0, 0, 0, 0, b) == Approx(0.5));
}

TEST_CASE("The joining rule fires with probability j x trust and picks associations uniformly", "[trust]") {
    // q = 0.1 x 0.5 = 0.05: words below 0.05 x 2^32 join, spread over 4 associations.
    CHECK(joined_association(0u, 0.5, 0.1, 4) == 0);
    CHECK(joined_association(std::uint32_t(0.05 * 4294967296.0 * 0.3), 0.5, 0.1, 4) == 1);
    CHECK(joined_association(std::uint32_t(0.05 * 4294967296.0 * 0.99), 0.5, 0.1, 4) == 3);
    CHECK(joined_association(std::uint32_t(0.05 * 4294967296.0 * 1.01), 0.5, 0.1, 4) == -1);
    CHECK(joined_association(0u, 0.5, 0.1, 0) == -1);
}

TEST_CASE("Non-members join at rate j x trust, into an association of their own commune", "[trust]") {
    Params p = testing::small_params(40000);
    p.behaviour.join_rate = 0.2;
    p.migration.return_hazard = 0.0;
    p.migration.departure_rate = 0.0;
    World w = initialise_world(p, StreamKey{9, 0});
    step_shocks(w, p);
    step_economy(w, p);
    double expected = 0, initial_members = 0;
    for (std::size_t s = 0; s < w.migrants.size(); ++s) {
        if (!(w.migrants.flags[s] & Migrants::ALIVE)) continue;
        if (w.migrants.association[s] == NO_ASSOCIATION)
            expected += 0.2 * w.migrants.trust[s];
        else
            ++initial_members;
    }
    step_social(w, p);
    for (std::size_t c = 0; c < w.communes.size(); ++c)
        for (std::int32_t s = w.communes.first_slot[c]; s < w.communes.first_slot[c + 1]; ++s) {
            const auto a = w.migrants.association[s];
            if (a == NO_ASSOCIATION) continue;
            CHECK(w.associations.commune[a] == std::int32_t(c));
        }
    // Joiners are a sum of independent Bernoullis: their sd is below sqrt(expected).
    double now_members = 0;
    for (std::size_t s = 0; s < w.migrants.size(); ++s)
        if ((w.migrants.flags[s] & Migrants::ALIVE) && w.migrants.association[s] != NO_ASSOCIATION) ++now_members;
    CHECK(now_members - initial_members == Approx(expected).margin(4.0 * std::sqrt(expected)));
}
