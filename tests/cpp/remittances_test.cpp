// Tests of individual remittances and channel choice (MODEL.md 7.2).
#include <catch2/catch.hpp>
#include <cmath>

#include "codev/initialisation.hpp"
#include "codev/economy.hpp"
#include "codev/labour.hpp"
#include "codev/remittances.hpp"
#include "codev/shocks.hpp"
#include "test_world.hpp"

using namespace codev;

TEST_CASE("The formal channel probability follows the logit of MODEL.md 7.2", "[remittances]") {
    // c_f - c_i = 0.025 R, beta = 40: exp(1 + alpha).
    CHECK(formal_channel_probability(1000, 65, 40, 0.0, 40.0) == Approx(1.0 / (1.0 + std::exp(1.0))));
    CHECK(formal_channel_probability(1000, 40, 40, 0.0, 40.0) == Approx(0.5));
    CHECK(formal_channel_probability(1000, 40, 65, -1.0, 40.0) == Approx(1.0 / (1.0 + std::exp(-2.0))));
    CHECK(formal_channel_probability(0, 0, 0, 0.0, 40.0) == 0.0);
}

namespace {

struct Totals {
    std::int64_t formal = 0, informal = 0, fees = 0, received = 0;
};

// Runs one month of the economy pass. Labour moves first, so the expected
// amounts are computed from the migrants' state after the pass.
Totals remit_once(const Params& p, World& w) {
    step_shocks(w, p);
    step_economy(w, p);
    Totals t;
    for (const auto& c : w.tally) {
        t.formal += c.remit_formal;
        t.informal += c.remit_informal;
        t.fees += c.remit_fees;
        t.received += c.received;
    }
    return t;
}

}  // namespace

TEST_CASE("Remittances add up to propensity x income, fees apart", "[remittances]") {
    const Params p = testing::small_params(20000);
    World w = initialise_world(p, StreamKey{3, 0});
    const Totals t = remit_once(p, w);
    std::int64_t expected = 0;
    double expected_formal = 0, variance = 0;
    for (std::size_t s = 0; s < w.migrants.size(); ++s) {
        if (!(w.migrants.flags[s] & Migrants::ALIVE)) continue;
        const auto amount = std::llround(double(w.migrants.propensity[s]) * migrant_income(w, p, s));
        expected += amount;
        const auto& c = p.corridors[w.migrants.corridor[s]];
        const double pf = formal_channel_probability(double(amount), c.formal_fee_pct * double(amount),
                                                     c.informal_fee_pct * double(amount), 0.0, 40.0);
        expected_formal += double(amount) * pf;
        variance += double(amount) * double(amount) * pf * (1.0 - pf);
    }
    CHECK(t.formal + t.informal == expected);
    CHECK(t.received == expected - t.fees);
    // The formal total is a sum of independent amount x Bernoulli(p) terms:
    // within 4 standard deviations of its expectation.
    CHECK(double(t.formal) == Approx(expected_formal).margin(4.0 * std::sqrt(variance)));
    // Fees lie between the informal and the formal rate.
    CHECK(double(t.fees) >= 0.04 * double(expected) * 0.999);
    CHECK(double(t.fees) <= 0.065 * double(expected) * 1.001);
}

TEST_CASE("A closed formal channel sends everything through informal channels", "[remittances]") {
    Params p = testing::small_params(5000);
    ShockParams closed;
    closed.kind = ShockParams::Kind::formal_channel_closed;
    closed.start_month = 0;
    closed.end_month = 5;
    p.shocks = {closed};
    World w = initialise_world(p, StreamKey{3, 0});
    const Totals t = remit_once(p, w);
    CHECK(t.formal == 0);
    CHECK(t.informal > 0);
    CHECK(double(t.fees) == Approx(0.04 * double(t.informal)).epsilon(0.001));
}

TEST_CASE("A fee policy path cuts formal fees and moves money to formal channels", "[remittances]") {
    Params p = testing::small_params(20000);
    World base = initialise_world(p, StreamKey{3, 0});
    const Totals before = remit_once(p, base);
    p.formal_fee_pct = Path{{{0, 0.03}}};
    World cut = initialise_world(p, StreamKey{3, 0});
    const Totals after = remit_once(p, cut);
    CHECK(after.formal + after.informal == before.formal + before.informal);
    CHECK(after.formal > before.formal);
    CHECK(after.fees < before.fees);
}
