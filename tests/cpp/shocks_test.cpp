// Tests of the month's conditions from shocks (shocks.cpp, docs/model.md 7.1)
// and of the shock keys of a scenario file.
#include "codev/shocks.hpp"

#include <catch2/catch.hpp>
#include <cmath>

#include "codev/initialisation.hpp"
#include "codev/scenario/scenario.hpp"
#include "test_world.hpp"

using namespace codev;

namespace {

ShockParams closure(int start, int end, std::vector<int> corridors, double substitution) {
    ShockParams s;
    s.kind = ShockParams::Kind::formal_channel_closed;
    s.start_month = start;
    s.end_month = end;
    s.corridors = std::move(corridors);
    s.informal_substitution = substitution;
    return s;
}

const CorridorMonth& conditions_at(World& w, const Params& p, int month, std::size_t corridor) {
    w.month = month;
    step_shocks(w, p);
    return w.conditions.corridor[corridor];
}

}  // namespace

TEST_CASE("A closure closes its corridors' formal channel with its substitution for its window", "[shocks]") {
    Params p = testing::small_params(500);
    p.shocks = {closure(3, 5, {1}, 0.4)};
    World w = initialise_world(p, StreamKey{1, 0});
    CHECK(!conditions_at(w, p, 2, 1).formal_closed);
    CHECK(conditions_at(w, p, 2, 1).informal_substitution == 1.0);
    CHECK(conditions_at(w, p, 3, 1).formal_closed);
    CHECK(conditions_at(w, p, 3, 1).informal_substitution == 0.4);
    CHECK(conditions_at(w, p, 5, 1).informal_substitution == 0.4);
    CHECK(!conditions_at(w, p, 4, 0).formal_closed);  // another corridor
    CHECK(conditions_at(w, p, 4, 0).informal_substitution == 1.0);
    CHECK(!conditions_at(w, p, 6, 1).formal_closed);
    CHECK(conditions_at(w, p, 6, 1).informal_substitution == 1.0);
}

TEST_CASE("Overlapping closures multiply their substitutions", "[shocks]") {
    Params p = testing::small_params(500);
    ShockParams recession;  // a recession on the same corridor leaves the substitution alone
    recession.start_month = 0;
    recession.end_month = 10;
    recession.wage_multiplier = 0.9;
    p.shocks = {closure(0, 10, {}, 0.5), recession, closure(4, 6, {0}, 0.6)};
    World w = initialise_world(p, StreamKey{1, 0});
    CHECK(conditions_at(w, p, 2, 0).informal_substitution == 0.5);
    CHECK(conditions_at(w, p, 5, 0).informal_substitution == 0.5 * 0.6);
    CHECK(conditions_at(w, p, 5, 1).informal_substitution == 0.5);
    CHECK(conditions_at(w, p, 5, 0).wage_multiplier == 0.9);
}

TEST_CASE("informal_substitution is read on closures and round-trips through the resolved text", "[shocks][scenario]") {
    const std::string text = R"(
[corridors.france]
[[shocks]]
kind = "formal_channel_closed"
start_month = 2
end_month = 4
informal_substitution = 0.25
[[shocks]]
kind = "host_recession"
wage_multiplier = 0.9
[[shocks]]
kind = "formal_channel_closed"
)";
    const Scenario s = parse_scenario(text, "closure", "<string>", "");
    REQUIRE(s.params.shocks.size() == 3);
    CHECK(s.params.shocks[0].informal_substitution == 0.25);
    CHECK(s.params.shocks[2].informal_substitution == 1.0);  // the default: full substitution
    // The recession's resolved table has no informal_substitution, which would be an error there.
    const Scenario again = parse_scenario(s.toml, "closure", "<resolved>", "");
    CHECK(again.toml == s.toml);
    CHECK(again.params.shocks[0].informal_substitution == 0.25);
    CHECK(again.params.shocks[1].kind == ShockParams::Kind::host_recession);
}

TEST_CASE("Amounts respond to a fee policy by the semi-elasticity, and not without one", "[shocks][remittances]") {
    Params p = testing::small_params(500);
    p.behaviour.fee_semi_elasticity = 1.5;
    World w = initialise_world(p, StreamKey{1, 0});
    const double own = p.corridors[0].formal_fee_pct;
    CHECK(conditions_at(w, p, 0, 0).amount_factor == 1.0);  // the corridor's own fee: no change, exactly
    p.formal_fee_pct = Path{{{0, own}, {10, 0.03}}};
    CHECK(conditions_at(w, p, 0, 0).amount_factor == 1.0);
    CHECK(conditions_at(w, p, 10, 0).amount_factor == Approx(std::exp(1.5 * (own - 0.03))));
    CHECK(conditions_at(w, p, 5, 0).amount_factor > 1.0);
    p.formal_fee_pct = Path::constant(own + 0.02);  // a dearer channel: less is sent
    CHECK(conditions_at(w, p, 0, 0).amount_factor == Approx(std::exp(-1.5 * 0.02)));
}

TEST_CASE("Associations send home from their home corridor, informally while its formal channel is closed",
          "[shocks]") {
    Params p = testing::small_params(500);  // france holds 60 % of the migrants: the home corridor
    p.corridors[0].formal_fee_pct = 0.05;
    p.shocks = {closure(3, 5, {0}, 0.4), closure(7, 8, {1}, 0.4)};
    World w = initialise_world(p, StreamKey{1, 0});
    auto fee_at = [&](int month) {
        conditions_at(w, p, month, 0);
        return w.conditions.association_fee_pct;
    };
    CHECK(fee_at(2) == 0.05);
    CHECK(fee_at(3) == p.corridors[0].informal_fee_pct);
    CHECK(fee_at(7) == 0.05);  // another corridor's closure
}
