// Tests of the association pipeline (docs/model.md 7.5).
#include "codev/pipeline.hpp"

#include <catch2/catch.hpp>
#include <cmath>

#include "codev/initialisation.hpp"
#include "codev/programmes.hpp"
#include "codev/shocks.hpp"
#include "test_world.hpp"

using namespace codev;

TEST_CASE("Unmet need is the population not served initially nor by projects", "[pipeline]") {
    const Params p = testing::small_params(2000);
    World w = initialise_world(p, StreamKey{1, 0});
    w.communes.served[0][2] = 100;
    CHECK(unmet_need(w, 0, 2) == w.communes.population[0] - w.communes.served_initial[0][2] - 100);
}

TEST_CASE("Associations pick the programme that pays most and raise the rest", "[pipeline]") {
    Params p = testing::small_params(5000);
    p.associations.idea_rate = 1.0;  // every idle association starts an idea
    ProgrammeParams small = testing::share_programme();
    small.name = "small";
    small.share = 0.3;
    small.commune_share = 0.0;
    small.require_registered = false;
    small.min_association_age_months = 0;
    ProgrammeParams large = small;
    large.name = "large";
    large.share = 0.6;
    p.programmes = {small, large};
    World w = initialise_world(p, StreamKey{2, 0});
    step_shocks(w, p);
    step_pipeline(w, p);
    REQUIRE(w.projects.size() == w.associations.size());
    for (const Project& pr : w.projects) {
        CHECK(pr.programme == 1);
        CHECK(pr.public_xof == public_amount(large, pr.cost_xof));
        CHECK(pr.migrant_target_xof == pr.cost_xof - pr.public_xof);
        CHECK(pr.expected_public_share == Approx(double(pr.public_xof) / double(pr.cost_xof)));
    }
}

TEST_CASE("A fundraising association with enough money applies, or starts at once when self-financed", "[pipeline]") {
    Params p = testing::small_params(5000);
    p.associations.idea_rate = 1.0;
    World w = initialise_world(p, StreamKey{2, 0});
    step_shocks(w, p);
    step_pipeline(w, p);  // ideas, no programme
    w.associations.treasury_xof[0] = w.projects[0].cost_xof;
    w.month = 1;
    step_shocks(w, p);
    step_pipeline(w, p);
    CHECK(w.associations.stage[0] == Stage::implementing);
    CHECK(w.associations.treasury_xof[0] == 0);
    CHECK(w.events.association_spending == w.projects[0].cost_xof);
}

TEST_CASE("An applicant keeps its application until refused, even once it could pay the whole cost", "[pipeline]") {
    Params p = testing::small_params(5000);
    p.associations.idea_rate = 1.0;
    ProgrammeParams pr = testing::share_programme();
    pr.require_registered = false;
    pr.min_association_age_months = 0;
    p.programmes = {pr};
    World w = initialise_world(p, StreamKey{2, 0});
    step_shocks(w, p);
    step_pipeline(w, p);  // ideas aimed at the programme
    REQUIRE(w.projects[0].programme == 0);
    w.associations.treasury_xof[0] = w.projects[0].cost_xof;
    for (int t = 1; t <= 2; ++t) {  // applies, then waits for the call
        w.month = t;
        step_shocks(w, p);
        step_pipeline(w, p);
    }
    CHECK(w.associations.stage[0] == Stage::applying);
    CHECK(w.projects[0].programme == 0);
    CHECK(w.associations.treasury_xof[0] == w.projects[0].cost_xof);
    // Once refused, it builds alone with the money it has.
    w.projects[0].tries = 1;
    w.month = 3;
    step_shocks(w, p);
    step_pipeline(w, p);
    CHECK(w.associations.stage[0] == Stage::implementing);
    CHECK(w.projects[0].programme == -1);
    CHECK(w.associations.treasury_xof[0] == 0);
}

TEST_CASE("With room for two projects under way, the next idea comes while the works of the first go on",
          "[pipeline]") {
    Params p = testing::small_params(5000);
    p.associations.idea_rate = 1.0;
    p.associations.projects_under_way_max = 2;
    World w = initialise_world(p, StreamKey{2, 0});
    const auto month = [&](int t, std::int64_t treasury) {
        w.month = t;
        w.associations.treasury_xof[0] = treasury;
        step_shocks(w, p);
        step_pipeline(w, p);
    };
    const auto projects_of_0 = [&] {
        int n = 0;
        for (const Project& pr : w.projects) n += pr.association == 0;
        return n;
    };
    month(0, 0);  // an idea
    REQUIRE(w.associations.project[0] == 0);
    month(1, w.projects[0].cost_xof);  // self-financed: starts, and leaves the pipeline
    CHECK(w.projects[0].state == ProjectState::implementing);
    CHECK(w.associations.stage[0] == Stage::idle);
    CHECK(w.associations.project[0] == -1);
    CHECK(w.associations.under_way[0] == 1);
    month(2, 0);  // the next idea, while the first is built
    REQUIRE(w.associations.stage[0] == Stage::fundraising);
    const std::int32_t second = w.associations.project[0];
    month(3, w.projects[std::size_t(second)].cost_xof);  // the second starts
    CHECK(w.associations.under_way[0] == 2);
    month(4, 0);  // two under way: no idea, though idea_rate is 1
    CHECK(w.associations.stage[0] == Stage::idle);
    CHECK(projects_of_0() == 2);
}

TEST_CASE("With one project at a time, an association builds its project before taking another idea", "[pipeline]") {
    Params p = testing::small_params(5000);
    p.associations.idea_rate = 1.0;
    REQUIRE(p.associations.projects_under_way_max == 1);
    World w = initialise_world(p, StreamKey{2, 0});
    step_shocks(w, p);
    step_pipeline(w, p);
    w.associations.treasury_xof[0] = w.projects[0].cost_xof;
    for (int t = 1; t <= 3; ++t) {
        w.month = t;
        step_shocks(w, p);
        step_pipeline(w, p);
    }
    CHECK(w.associations.stage[0] == Stage::implementing);
    CHECK(w.associations.project[0] == 0);
    CHECK(w.associations.under_way[0] == 0);
}

TEST_CASE("An idea goes only to a sector where people are unserved", "[pipeline]") {
    Params p = testing::small_params(5000);
    p.associations.idea_rate = 1.0;
    p.associations.need_noise = 5.0;  // noise that would otherwise pick any sector
    World w = initialise_world(p, StreamKey{2, 0});
    for (std::size_t c = 0; c < w.communes.size(); ++c)
        for (int s = 0; s < SECTOR_COUNT; ++s)
            if (s != int(Sector::health))
                w.communes.served[c][s] = w.communes.population[c] - w.communes.served_initial[c][s];
    step_shocks(w, p);
    step_pipeline(w, p);
    REQUIRE(!w.projects.empty());
    for (const Project& pr : w.projects) CHECK(pr.sector == Sector::health);
    // With every sector covered, no idea starts.
    for (std::size_t c = 0; c < w.communes.size(); ++c)
        w.communes.served[c][int(Sector::health)] =
            w.communes.population[c] - w.communes.served_initial[c][int(Sector::health)];
    const std::size_t before = w.projects.size();
    w.month = 1;
    for (std::int32_t a = 0; a < std::int32_t(w.associations.size()); ++a)
        w.associations.stage[a] = Stage::idle, w.associations.project[a] = -1;
    step_shocks(w, p);
    step_pipeline(w, p);
    CHECK(w.projects.size() == before);
}

TEST_CASE("An idea goes only to a sector within reach, and a match brings a costlier one within reach", "[pipeline]") {
    Params p = testing::small_params(5000);
    p.associations.idea_rate = 1.0;
    p.associations.need_noise = 0.0;
    p.associations.planning_months = 12;
    p.sectors[int(Sector::water)].cost_median_xof = 1'000'000;    // within a year of 100,000 a month
    p.sectors[int(Sector::health)].cost_median_xof = 35'000'000;  // out of reach alone
    p.sectors[int(Sector::health)].weight = 10.0;                 // the sector most needed
    ProgrammeParams match = testing::share_programme();
    match.share = 0.7;
    match.commune_share = 0.29;  // members pay 1 %: 350,000 of a health centre
    match.cap_xof = 1'000'000'000'000;
    match.floor_xof = 0;
    match.require_registered = false;
    match.min_association_age_months = 0;
    for (const bool with_match : {false, true}) {
        INFO("with a match: " << with_match);
        Params q = p;
        if (with_match) q.programmes = {match};
        World w = initialise_world(q, StreamKey{2, 0});
        for (std::int32_t a = 0; a < std::int32_t(w.associations.size()); ++a)
            w.associations.treasury_xof[a] = 0, w.associations.inflow_xof[a] = 100'000;
        step_shocks(w, q);
        step_pipeline(w, q);
        REQUIRE(w.projects.size() == w.associations.size());
        for (const Project& pr : w.projects) CHECK(pr.sector == (with_match ? Sector::health : Sector::water));
    }
    // planning_months = 0: every sector is within reach.
    p.associations.planning_months = 0;
    World w = initialise_world(p, StreamKey{2, 0});
    step_shocks(w, p);
    step_pipeline(w, p);
    for (const Project& pr : w.projects) CHECK(pr.sector == Sector::health);
}

TEST_CASE("An idle association keeps its reserve and passes the rest to the solidarity fund", "[pipeline]") {
    Params p = testing::small_params(5000);
    p.associations.idea_rate = 0.0;
    p.associations.solidarity_fund = true;
    p.associations.reserve_upkeep_years = 2.0;
    World w = initialise_world(p, StreamKey{2, 0});
    Project owned;  // association 0 owns one working water project of 20 M
    owned.association = 0;
    owned.commune = w.associations.commune[0];
    owned.sector = Sector::water;
    owned.state = ProjectState::operating;
    owned.cost_xof = 20000000;
    w.projects.push_back(owned);
    w.associations.treasury_xof[0] = 10000000;
    w.associations.treasury_xof[1] = 10000000;  // owns nothing: keeps nothing
    step_shocks(w, p);
    step_pipeline(w, p);
    // Two years of 2 % maintenance and one 5 % repair of 20 M: 1.8 M.
    const SectorParams& water = p.sectors[0];
    const double upkeep = 2.0 * water.maintenance_share_per_year + water.repair_cost_share;
    CHECK(w.associations.treasury_xof[0] == std::int64_t(std::floor(upkeep * 20000000.0)));
    CHECK(w.associations.treasury_xof[1] == 0);
    CHECK(w.events.solidarity_spending == 20000000 - w.associations.treasury_xof[0]);
}

TEST_CASE("An association raising money for a project keeps all of it", "[pipeline]") {
    Params p = testing::small_params(5000);
    p.associations.idea_rate = 1.0;
    p.associations.solidarity_fund = true;
    World w = initialise_world(p, StreamKey{2, 0});
    step_shocks(w, p);
    step_pipeline(w, p);  // every association now raises money for an idea
    w.associations.treasury_xof[0] = 1000;
    w.month = 1;
    step_shocks(w, p);
    step_pipeline(w, p);
    CHECK(w.associations.treasury_xof[0] == 1000);
    CHECK(w.events.solidarity_spending == 0);
}
