// Tests of dues and project contributions (docs/model.md 7.4).
#include "codev/contributions.hpp"

#include <catch2/catch.hpp>
#include <cmath>

#include "codev/params.hpp"
#include "codev/world.hpp"

using namespace codev;

TEST_CASE("The price effect is (1 - s)^-epsilon, and 1 without a match or with epsilon = 0", "[contributions]") {
    CHECK(price_effect(0.0, 0.3) == Approx(1.0));
    CHECK(price_effect(0.9, 0.3) == Approx(std::pow(0.1, -0.3)));
    CHECK(price_effect(0.9, 0.0) == Approx(1.0));
    CHECK(price_effect(1.0, 1.0) == Approx(100.0));  // s clamped at 0.99
}

TEST_CASE("Dues are bounded by a share of income; contributions flow only while raising money", "[contributions]") {
    BehaviourParams b;
    b.dues_cap_share = 0.05;
    b.contribution_share = 0.01;
    // Income 400,000: the cap (20,000) does not bind dues of 5,000.
    CHECK(member_payment(5000, 1.0, 400000, 0.5, 0.0, b).dues == 5000);
    CHECK(member_payment(5000, 1.0, 400000, 0.5, 0.0, b).contribution == 0);
    // Income 60,000: dues capped at 3,000.
    CHECK(member_payment(5000, 1.0, 60000, 0.5, 0.0, b).dues == 3000);
    // trust 0.5 x k 0.01 x 400,000 x multiplier 2 = 4,000.
    CHECK(member_payment(5000, 1.0, 400000, 0.5, 2.0, b).contribution == 4000);
}

TEST_CASE("Dues follow the member's income: a wage cut or a lost job lowers them", "[contributions]") {
    BehaviourParams b;
    b.dues_cap_share = 0.05;
    b.fallback_income_share = 0.2;
    CorridorMonth recession;
    recession.wage_multiplier = 0.9;
    // Elasticity 1: dues move in proportion to income.
    b.dues_income_elasticity = 1.0;
    recession.dues_scale = std::pow(recession.wage_multiplier, b.dues_income_elasticity);
    CHECK(member_payment(5000, dues_scale(true, recession, jobless_dues_scale(b)), 400000, 0.5, 0.0, b).dues == 4500);
    CHECK(member_payment(5000, dues_scale(false, recession, jobless_dues_scale(b)), 80000, 0.5, 0.0, b).dues == 1000);
    // Elasticity 0: the full amount whatever the member earns, up to the cap.
    b.dues_income_elasticity = 0.0;
    recession.dues_scale = std::pow(recession.wage_multiplier, b.dues_income_elasticity);
    CHECK(member_payment(5000, dues_scale(true, recession, jobless_dues_scale(b)), 400000, 0.5, 0.0, b).dues == 5000);
    CHECK(member_payment(5000, dues_scale(false, recession, jobless_dues_scale(b)), 80000, 0.5, 0.0, b).dues == 4000);
    // At normal wages the scale is exactly 1 whatever the elasticity.
    CorridorMonth normal;
    CHECK(normal.dues_scale == 1.0);
}

TEST_CASE("An association's inflow pays the fee share of its channel, never more than the inflow", "[contributions]") {
    CHECK(association_fee(9000, 0.05) == 450);
    CHECK(association_fee(9000, 0.0) == 0);
    CHECK(association_fee(9000, 1.0) == 9000);
    CHECK(association_fee(0, 0.065) == 0);
}

TEST_CASE("Members give at mu = 1 while a finished project waits for its overrun, in the pipeline or out of it",
          "[contributions]") {
    Params p;
    p.behaviour.epsilon = 0.5;
    World w;
    w.associations.resize(3);
    Project fundraising;
    fundraising.expected_public_share = 0.75;
    w.projects = {fundraising};
    // 0: idle, a project under way waits for its overrun; 1: raising money for
    // a matched idea while another waits for its overrun; 2: idle, nothing stalled.
    w.associations.stalled[0] = 1;
    w.associations.project[1] = 0;
    w.associations.stage[1] = Stage::fundraising;
    w.associations.stalled[1] = 1;
    set_raising_multipliers(w, p);
    CHECK(w.associations.raising_multiplier[0] == 1.0f);
    CHECK(w.associations.raising_multiplier[1] == Approx(price_effect(0.75, 0.5)));
    CHECK(w.associations.raising_multiplier[2] == 0.0f);
}
