// Tests of returns and departures (docs/model.md 7.9).
#include "codev/migration.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <set>

#include "codev/economy.hpp"
#include "codev/initialisation.hpp"
#include "codev/shocks.hpp"
#include "codev/social.hpp"
#include "test_world.hpp"

using namespace codev;

TEST_CASE("Migrants return at the return hazard and departures follow the diaspora", "[migration]") {
    Params p = testing::small_params(40000);
    p.migration.return_hazard = 0.01;
    p.migration.departure_rate = 0.02;
    p.migration.max_migrant_share = 1.0;
    World w = initialise_world(p, StreamKey{4, 0});
    step_shocks(w, p);
    step_economy(w, p);
    step_social(w, p);
    double returns = 0, departures = 0, alive = 0;
    for (const auto& t : w.tally)
        returns += double(t.returns), departures += double(t.departures), alive += double(t.alive);
    CHECK(returns == Approx(400).margin(4 * std::sqrt(400.0)));
    // Poisson(0.02 x migrants after returns) per commune.
    CHECK(departures == Approx(0.02 * 39600).margin(4 * std::sqrt(0.02 * 39600)));
    CHECK(alive == 40000 - returns + departures);
}

TEST_CASE("Newcomers fill free slots of their own commune and get ids of their own", "[migration]") {
    Params p = testing::small_params(5000);
    p.migration.return_hazard = 0.05;
    p.migration.departure_rate = 0.05;
    p.migration.max_migrant_share = 1.0;
    World w = initialise_world(p, StreamKey{4, 0});
    for (w.month = 0; w.month < 24; ++w.month) {
        step_shocks(w, p);
        step_economy(w, p);
        step_social(w, p);
    }
    std::set<std::uint64_t> ids;
    std::size_t alive = 0;
    for (std::size_t s = 0; s < w.migrants.size(); ++s) {
        if (!(w.migrants.flags[s] & Migrants::ALIVE)) continue;
        ++alive;
        ids.insert(w.migrants.id[s]);
    }
    CHECK(ids.size() == alive);
    CHECK(newcomer_id(3, 7) != newcomer_id(7, 3));
    for (std::size_t c = 0; c < w.communes.size(); ++c)
        CHECK(w.free_count[c] <= w.communes.first_slot[c + 1] - w.communes.first_slot[c]);
}

TEST_CASE("Departures stop when a commune's migrants reach the population cap", "[migration]") {
    Params p = testing::small_params(5000);
    p.migration.return_hazard = 0.0;
    p.migration.departure_rate = 0.5;
    p.migration.max_migrant_share = 0.0;
    World w = initialise_world(p, StreamKey{4, 0});
    step_shocks(w, p);
    step_economy(w, p);
    step_social(w, p);
    for (const auto& t : w.tally) CHECK(t.departures == 0);
}

TEST_CASE("Initial migrants never exceed a commune's cap; the rest go to other communes", "[migration]") {
    Params p = testing::small_params(100000);
    p.world.diaspora_weight_sigma = 2.0;  // very uneven diasporas
    p.migration.max_migrant_share = 0.1;
    World w = initialise_world(p, StreamKey{4, 0});
    std::int64_t total = 0;
    for (std::size_t c = 0; c < w.communes.size(); ++c) {
        CHECK(w.communes.migrants[c] <= std::int64_t(0.1 * double(w.communes.population[c])));
        total += w.communes.migrants[c];
    }
    std::int64_t capacity = 0;
    for (std::size_t c = 0; c < w.communes.size(); ++c)
        capacity += std::int64_t(0.1 * double(w.communes.population[c]));
    CHECK(total == std::min<std::int64_t>(100000, capacity));
}

TEST_CASE("Communes are the same in every replicate", "[migration]") {
    const Params p = testing::small_params(5000);
    const World a = initialise_world(p, StreamKey{4, 0});
    const World b = initialise_world(p, StreamKey{4, 7});
    CHECK(a.communes.population == b.communes.population);
    CHECK(a.communes.migrants == b.communes.migrants);
}
