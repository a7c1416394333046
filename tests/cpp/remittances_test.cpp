// Tests of individual remittances and channel choice (docs/model.md 7.3).
#include "codev/remittances.hpp"

#include <catch2/catch.hpp>
#include <cmath>

#include "codev/economy.hpp"
#include "codev/initialisation.hpp"
#include "codev/labour.hpp"
#include "codev/shocks.hpp"
#include "test_world.hpp"

using namespace codev;

TEST_CASE("The formal channel probability follows the logit of docs/model.md 7.3", "[remittances]") {
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
    CHECK(after.formal > before.formal);
    CHECK(after.fees < before.fees);
    // Amounts rise with the cut (docs/model.md 7.3), and only through it:
    // without the response the same migrants send the same total.
    CHECK(after.formal + after.informal > before.formal + before.informal);
    p.behaviour.fee_semi_elasticity = 0.0;
    World flat = initialise_world(p, StreamKey{3, 0});
    const Totals unmoved = remit_once(p, flat);
    CHECK(unmoved.formal + unmoved.informal == before.formal + before.informal);
}

TEST_CASE("A closed channel's would-be formal sender substitutes below s p_open, else sends nothing", "[remittances]") {
    // docs/model.md 7.3: with p_open = 0.5 and s = 0.4, u < 0.2 sends
    // informally, 0.2 <= u < 0.5 sends nothing, u >= 0.5 sends informally
    // as it would have anyway.
    BehaviourParams b;
    CorridorMonth c;
    c.formal_fee_pct = 0.06;
    c.informal_fee_pct = 0.04;
    c.p_formal_flat = 0.5;
    c.formal_closed = true;
    c.informal_substitution = 0.4;
    auto word = [](double u) { return std::uint32_t(u * 4294967296.0); };
    for (double u : {0.0, 0.1, 0.199}) {
        const Remittance r = remit(0.1, 100000.0, word(u), c, b);
        CHECK((r.amount == 10000 && r.fee == 400 && !r.formal));
    }
    for (double u : {0.201, 0.3, 0.499}) {
        const Remittance r = remit(0.1, 100000.0, word(u), c, b);
        CHECK((r.amount == 0 && r.fee == 0 && !r.formal));
    }
    for (double u : {0.5, 0.9}) {  // would have sent informally anyway: unchanged, informal
        const Remittance r = remit(0.1, 100000.0, word(u), c, b);
        CHECK((r.amount == 10000 && r.fee == 400 && !r.formal));
    }
    c.formal_closed = false;  // open, the substitution plays no part
    CHECK(remit(0.1, 100000.0, word(0.3), c, b).formal);
    CHECK(remit(0.1, 100000.0, word(0.6), c, b).amount == 10000);
}

namespace {

// One month in the same world (same draws) with the formal channel open, and
// with every corridor's closed at substitution s. One corridor has a fixed
// fee, so its formal probability is the per-migrant logit.
struct OpenAndClosed {
    Totals open, closed;
    double would_be_formal = 0, would_be_formal_squares = 0;  // sum of R and of R^2 over would-be formal senders
    std::int64_t informal_fees = 0;                           // fees of those who send informally when open
};

OpenAndClosed open_and_closed(double substitution) {
    Params p = testing::small_params(100000);
    p.corridors[1].formal_fee_fixed_xof = 500.0;
    OpenAndClosed out;
    World open = initialise_world(p, StreamKey{3, 0});
    out.open = remit_once(p, open);
    for (std::size_t s = 0; s < open.migrants.size(); ++s) {
        if (!(open.migrants.flags[s] & Migrants::ALIVE)) continue;
        const auto w1 = draw4(open.key, open.migrants.id[s], Process::migrant_month, std::uint32_t(open.month))[1];
        const Remittance r = remit(open.migrants.propensity[s], migrant_income(open, p, s), w1,
                                   open.conditions.corridor[open.migrants.corridor[s]], p.behaviour);
        if (r.formal) {
            out.would_be_formal += double(r.amount);
            out.would_be_formal_squares += double(r.amount) * double(r.amount);
        } else {
            out.informal_fees += r.fee;
        }
    }
    ShockParams closed;
    closed.kind = ShockParams::Kind::formal_channel_closed;
    closed.end_month = 5;
    closed.informal_substitution = substitution;
    p.shocks = {closed};
    World w = initialise_world(p, StreamKey{3, 0});
    out.closed = remit_once(p, w);
    return out;
}

}  // namespace

TEST_CASE("A closure with full substitution sends all of the open channel's money informally", "[remittances]") {
    const OpenAndClosed r = open_and_closed(1.0);
    REQUIRE(double(r.open.formal) == r.would_be_formal);
    CHECK(r.closed.formal == 0);
    CHECK(r.closed.informal == r.open.formal + r.open.informal);
    CHECK(r.closed.received == r.closed.informal - r.closed.fees);
}

TEST_CASE("A closure without substitution sends only what would have gone informally", "[remittances]") {
    const OpenAndClosed r = open_and_closed(0.0);
    CHECK(r.closed.formal == 0);
    CHECK(r.closed.informal == r.open.informal);
    CHECK(r.closed.fees == r.informal_fees);  // no fee for money not sent
    CHECK(r.closed.received == r.closed.informal - r.closed.fees);
}

TEST_CASE("A closure moves the share s of the would-be formal money to the informal channel", "[remittances]") {
    for (double s : {0.3, 0.5, 0.8}) {
        INFO("substitution " << s);
        const OpenAndClosed r = open_and_closed(s);
        REQUIRE(double(r.open.formal) == r.would_be_formal);
        CHECK(r.closed.formal == 0);
        // Each would-be formal sender substitutes with probability s
        // (P(u < s p | u < p) = s), independently: the substituted money is a
        // sum of R Bernoulli(s), within 5 standard deviations of s times the
        // would-be formal money.
        const double substituted = double(r.closed.informal - r.open.informal);
        const double sd = std::sqrt(s * (1.0 - s) * r.would_be_formal_squares);
        CHECK(substituted == Approx(s * r.would_be_formal).margin(5.0 * sd));
        CHECK(sd < 0.02 * s * r.would_be_formal);  // a sample large enough for the check to mean something
    }
}

TEST_CASE("A migrant sends propensity x income x the corridor's amount factor", "[remittances]") {
    BehaviourParams b;
    CorridorMonth c;
    c.formal_fee_pct = 0.03;
    c.informal_fee_pct = 0.04;
    c.p_formal_flat = 1.0;
    c.amount_factor = std::exp(1.0 * (0.065 - 0.03));  // a cut from 6.5 % to 3 % at semi-elasticity 1
    const Remittance r = remit(0.1, 100000.0, 0, c, b);
    CHECK(r.amount == round_small_xof(10000.0 * c.amount_factor));
    CHECK(r.amount > 10000);
    CHECK(r.fee == round_small_xof(0.03 * double(r.amount)));
}
