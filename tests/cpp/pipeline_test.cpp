// Tests of the association pipeline (MODEL.md 7.4).
#include "codev/pipeline.hpp"

#include <catch2/catch.hpp>

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
