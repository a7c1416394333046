// Tests of the labour process (docs/model.md 7.2).
#include "codev/labour.hpp"

#include <catch2/catch.hpp>
#include <cmath>

#include "codev/economy.hpp"
#include "codev/initialisation.hpp"
#include "codev/shocks.hpp"
#include "test_world.hpp"

using namespace codev;

namespace {

double employment_rate(const World& w, int corridor) {
    double alive = 0, employed = 0;
    for (std::size_t s = 0; s < w.migrants.size(); ++s) {
        if (!(w.migrants.flags[s] & Migrants::ALIVE) || w.migrants.corridor[s] != corridor) continue;
        ++alive;
        employed += (w.migrants.flags[s] & Migrants::EMPLOYED) != 0;
    }
    return employed / alive;
}

World run_labour(const Params& p, int months) {
    World w = initialise_world(p, StreamKey{7, 0});
    for (w.month = 0; w.month < months; ++w.month) {
        step_shocks(w, p);
        step_economy(w, p);
    }
    return w;
}

}  // namespace

TEST_CASE("The long-run employment rate is p_find / (p_find + p_loss)", "[labour]") {
    Params p = testing::small_params(40000);
    p.corridors[0].p_job_loss = 0.02;
    p.corridors[0].p_job_find = 0.08;
    const World w = run_labour(p, 100);
    const double expected = 0.08 / (0.08 + 0.02);
    // Migrants are independent: the snapshot rate has binomial sd sqrt(p(1-p)/n).
    const double n = 0.6 * 40000;
    const double tolerance = 4.0 * std::sqrt(expected * (1 - expected) / n);
    CHECK(employment_rate(w, 0) == Approx(expected).margin(tolerance));
    const double expected_ci = 0.15 / (0.15 + 0.03);
    CHECK(employment_rate(w, 1) ==
          Approx(expected_ci).margin(4.0 * std::sqrt(expected_ci * (1 - expected_ci) / (0.4 * 40000))));
}

TEST_CASE("A recession that doubles the job-loss hazard moves employment to its new stationary rate", "[labour]") {
    Params p = testing::small_params(40000);
    ShockParams recession;
    recession.kind = ShockParams::Kind::host_recession;
    recession.start_month = 0;
    recession.end_month = 1000;
    recession.corridors = {0};
    recession.job_loss_multiplier = 2.0;
    p.shocks = {recession};
    const World w = run_labour(p, 150);
    const double expected = 0.10 / (0.10 + 0.02);
    CHECK(employment_rate(w, 0) == Approx(expected).margin(4.0 * std::sqrt(expected * (1 - expected) / 24000)));
}

TEST_CASE("Income is base income times the wage multiplier when employed, the fallback share when not", "[labour]") {
    Params p = testing::small_params(100);
    p.corridors[0].wage_multiplier = Path{{{0, 1.0}, {10, 0.5}}};
    World w = initialise_world(p, StreamKey{1, 0});
    w.month = 5;
    step_shocks(w, p);
    for (std::size_t s = 0; s < w.migrants.size(); ++s) {
        if (!(w.migrants.flags[s] & Migrants::ALIVE)) continue;
        const double base = w.migrants.base_income_xof[s];
        const double expected = (w.migrants.flags[s] & Migrants::EMPLOYED)
                                    ? base * (w.migrants.corridor[s] == 0 ? 0.75 : 1.0)
                                    : base * p.behaviour.fallback_income_share;
        CHECK(migrant_income(w, p, s) == Approx(expected));
    }
}

TEST_CASE("The labour rule keeps or changes the state by the corridor's hazards", "[labour]") {
    CorridorMonth c;
    c.p_job_loss = 0.25;
    c.p_job_find = 0.5;
    // A word below p x 2^32 fires the Bernoulli.
    CHECK_FALSE(next_employed(true, 0x3FFFFFFFu, c));  // u just under 0.25: the job is lost
    CHECK(next_employed(true, 0x40000000u, c));        // u = 0.25: kept
    CHECK(next_employed(false, 0x7FFFFFFFu, c));       // u just under 0.5: found
    CHECK_FALSE(next_employed(false, 0x80000000u, c));
    CHECK(stationary_employment(0.25, 0.5) == Approx(2.0 / 3.0));
}
