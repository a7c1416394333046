// Policies that react (include/codev/rules.hpp, docs/model.md 7.6.11): rules
// read from a scenario with one-line errors, fired in order on observables
// measured before any acts, recorded, and exact under statepoints and forks.
#include "codev/rules.hpp"

#include <catch2/catch.hpp>

#include "codev/ensemble/ensemble.hpp"
#include "codev/scenario/scenario.hpp"
#include "codev/simulation.hpp"
#include "codev/state/fork.hpp"
#include "state/state_test_support.hpp"

using namespace codev;
using Catch::Matchers::Contains;

namespace {

const std::string SOURCE_DIR = CODEV_SOURCE_DIR;

// A small scenario with one programme (`codev`) and `rules` appended.
Scenario with_rules(const std::string& rules) {
    const std::string text = "extends = \"" + SOURCE_DIR +
                             "/tests/data/small/codev-share-70.toml\"\nmonths = 48\n"
                             "[world]\nmigrants = 5000\n" +
                             rules;
    return parse_scenario(text, "rules", "<rules>", SOURCE_DIR);
}

std::string error_of(const std::string& rules) {
    try {
        with_rules(rules);
    } catch (const ScenarioError& e) {
        return e.what();
    }
    return "(no error)";
}

JobRecord run(const Params& p, std::uint64_t seed = 3) {
    Simulation sim(p, seed, 0, RunOptions{true});
    sim.run([] { return false; });
    return sim.take_record();
}

std::vector<int> months_fired(const JobRecord& r, int rule) {
    std::vector<int> months;
    for (int m = 0; m < r.months; ++m)
        if (r.fired(m, rule)) months.push_back(m);
    return months;
}

const char* EXTRA_CALL = R"(
[[rules]]
name = "late-call"
if = "month"
above = 5
programme = "codev"
action = "extra_call"
max_firings = 2
every_months = 4
)";

}  // namespace

TEST_CASE("A rule is read with every key checked, and written back", "[rules]") {
    const Scenario s = with_rules(EXTRA_CALL);
    REQUIRE(s.params.rules.size() == 1);
    const RuleParams& r = s.params.rules[0];
    CHECK(r.name == "late-call");
    CHECK(r.observable == RuleParams::Observable::month);
    CHECK(r.above);
    CHECK(r.threshold == 5);
    CHECK(r.programme_index == 0);
    CHECK(r.action == RuleParams::Action::extra_call);
    CHECK(r.max_firings == 2);
    const Scenario again = parse_scenario(s.toml, "again", "<resolved>", "");
    CHECK(again.toml == s.toml);
    CHECK(again.params.rules[0].programme_index == 0);
}

TEST_CASE("A bad rule gets one line with its place and key", "[rules]") {
    const std::string head = "\n[[rules]]\nname = \"r\"\nprogramme = \"codev\"\n";
    CHECK_THAT(error_of(head + "if = \"budget_left\"\nabove = 1\naction = \"pause\"\nvalue = 3\n"),
               Contains("rules[0].if: \"budget_left\"") && Contains("budget_unspent_share"));
    CHECK_THAT(error_of(head + "if = \"month\"\nabove = 1\naction = \"stop\"\n"),
               Contains("rules[0].action") && Contains("extra_call"));
    CHECK_THAT(error_of(head + "if = \"month\"\nabove = 1\naction = \"pause\"\nvalu = 3\n"),
               Contains("rules[0].valu") && Contains("value"));
    CHECK_THAT(error_of(head + "if = \"month\"\nabove = 1\nbelow = 2\naction = \"end\"\n"),
               Contains("rules[0].below: given with `above`"));
    CHECK_THAT(error_of(head + "if = \"month\"\naction = \"end\"\n"), Contains("no threshold"));
    CHECK_THAT(error_of(head + "if = \"month\"\nabove = 1\naction = \"pause\"\n"),
               Contains("rules[0].action: this action needs a `value`"));
    CHECK_THAT(error_of(head + "if = \"month\"\nabove = 1\naction = \"end\"\nvalue = 2\n"),
               Contains("rules[0].value: the action takes no value"));
    CHECK_THAT(error_of(head + "if = \"month\"\nabove = 1\naction = \"set_share\"\nvalue = 0.9\n"),
               Contains("over-financed"));
    CHECK_THAT(
        error_of("\n[[rules]]\nname = \"r\"\nprogramme = \"nope\"\nif = \"month\"\nabove = 1\naction = \"end\"\n"),
        Contains("rules[0].programme: \"nope\" is not a programme of this scenario"));
    CHECK_THAT(error_of("\n[[rules]]\nname = \"r\"\nif = \"month\"\nabove = 1\naction = \"end\"\n"),
               Contains("no `programme`"));
    CHECK_THAT(error_of(std::string(EXTRA_CALL) + EXTRA_CALL),
               Contains("rules[1].name: \"late-call\" names two rules"));
    CHECK_THAT(error_of(head + "if = \"month\"\nabove = 1\naction = \"end\"\ncheck_months = [13]\n"),
               Contains("rules[0].check_months"));
    CHECK_THAT(error_of(head + "if = \"month\"\nabove = 1\naction = \"pause\"\nvalue = 1e15\n"),
               Contains("rules[0].value: ") && Contains("months is out of range (allowed: 0 to 12000 for a pause)"));
    // The location is the file and line of the key.
    CHECK_THAT(error_of(head + "if = \"month\"\nabove = 1\naction = \"stop\"\n"), Contains("<rules>:"));
}

TEST_CASE("A rule fires when due, at most as often as allowed, and is recorded", "[rules]") {
    Params p = with_rules(EXTRA_CALL).params;
    const JobRecord r = run(p);
    CHECK(months_fired(r, 0) == std::vector<int>{6, 10});  // above 5, every 4 months, twice
    SECTION("checked only in the months of the year given, from its month") {
        p.rules[0].check_months = {3};
        p.rules[0].from_month = 16;
        p.rules[0].max_firings = 5;
        p.rules[0].every_months = 1;
        CHECK(months_fired(run(p), 0) == std::vector<int>{26, 38});
    }
}

TEST_CASE("An extra call accepts projects outside the calendar; a pause and an end stop calls", "[rules]") {
    Params p = with_rules("").params;
    p.programmes[0].call_months = {3};
    const auto approved = [](const JobRecord& r, int m) { return r.at(m, 0, ProgrammeSeries::projects_approved); };
    const JobRecord fixed = run(p);
    RuleParams call;
    call.name = "call";
    call.observable = RuleParams::Observable::month;
    call.threshold = 29;  // fires in month 30, a June
    call.programme = "codev";
    call.programme_index = 0;
    call.action = RuleParams::Action::extra_call;
    p.rules = {call};
    const JobRecord extra = run(p);
    CHECK(approved(fixed, 30) == 0);
    CHECK(approved(extra, 30) > 0);
    for (int m = 0; m < 30; ++m) CHECK(approved(extra, m) == approved(fixed, m));  // nothing before it changes

    RuleParams pause = call;
    pause.name = "pause";
    pause.action = RuleParams::Action::pause;
    pause.threshold = 13;  // from month 14, two years without a call
    pause.value = 24;
    p.rules = {pause};
    const JobRecord paused = run(p);
    std::int64_t fixed_in_pause = 0;
    for (int m = 14; m < 38; ++m) {
        CHECK(approved(paused, m) == 0);
        fixed_in_pause += approved(fixed, m);
    }
    CHECK(fixed_in_pause > 0);  // the fixed twin approved projects then

    RuleParams end = pause;
    end.name = "end";
    end.action = RuleParams::Action::end;
    end.value = 0;
    p.rules = {end};
    const JobRecord ended = run(p);
    for (int m = 14; m < 48; ++m) CHECK(approved(ended, m) == 0);
}

TEST_CASE("Rules see the state the last month left, before any of them acts", "[rules]") {
    Params p = with_rules("").params;
    p.months = 120;
    p.world.migrants = 20000;
    for (SectorParams& s : p.sectors) s.breakdown_hazard = s.breakdown_hazard_unpaid = 0.05;
    RuleParams repairs;
    repairs.name = "repairs";
    repairs.observable = RuleParams::Observable::broken_share;
    repairs.threshold = 0.0;
    repairs.programme = "codev";
    repairs.programme_index = 0;
    repairs.action = RuleParams::Action::fund_repairs;
    repairs.value = 1e12;
    repairs.max_firings = 100;
    repairs.every_months = 1;
    RuleParams watcher = repairs;  // watches what the repairs change, after them in the file
    watcher.name = "watcher";
    watcher.action = RuleParams::Action::extra_call;
    p.rules = {repairs, watcher};
    Simulation sim(p, 5, 0, RunOptions{true});
    sim.run([] { return false; });
    const JobRecord& r = sim.record();
    REQUIRE(!months_fired(r, 0).empty());
    CHECK(months_fired(r, 0) == months_fired(r, 1));  // the watcher saw the broken share before the repairs
    std::int64_t assistance = 0;
    for (int m = 0; m < r.months; ++m) assistance += r.at(m, 0, ProgrammeSeries::assistance_paid);
    CHECK(assistance > 0);  // the repairs were paid by the programme (invariants checked every month)
}

TEST_CASE("A rule's changes hold in the policy from the month it fires", "[rules]") {
    Params p = with_rules("").params;
    World w;
    w.programmes.assign(1, ProgrammeState{});
    Params policy = p;
    w.programmes[0].rule_share = 0.5;
    w.programmes[0].rule_cap_xof = 1000;
    w.programmes[0].rule_end_year = 2;
    apply_rule_changes(p, w, policy);
    CHECK(policy.programmes[0].share == 0.5);
    CHECK(policy.programmes[0].cap_xof == 1000);
    CHECK(policy.programmes[0].end_year == 2);
    CHECK(policy.programmes[0].ratio == p.programmes[0].ratio);
    w.programmes[0] = ProgrammeState{};
    apply_rule_changes(p, w, policy);
    CHECK(policy.programmes[0].share == p.programmes[0].share);
}

TEST_CASE("Rules are exact under statepoints and forks", "[rules]") {
    Params p = testing::rich_params();
    RuleParams share;
    share.name = "share";
    share.observable = RuleParams::Observable::budget_unspent_share;
    share.threshold = 0.3;
    share.programme = p.programmes[0].name;
    share.programme_index = 0;
    share.action = RuleParams::Action::set_share;
    share.value = 0.5;
    share.check_months = {10};
    share.from_month = 12;
    p.rules = {share};
    Simulation whole(p, 11, 2, RunOptions{true});
    whole.run([] { return false; });
    REQUIRE(!months_fired(whole.record(), 0).empty());
    Simulation first(p, 11, 2);
    first.run_to(40, [] { return false; });
    Simulation rest(p, first.state());
    rest.run([] { return false; });
    testing::require_same_state(rest.state(), whole.state());

    Params later = p;  // the same, with a second rule from month 36
    RuleParams pause = share;
    pause.name = "pause";
    pause.action = RuleParams::Action::pause;
    pause.value = 6;
    pause.from_month = 36;
    later.rules.push_back(pause);
    CHECK(first_difference_month(p, later) == 36);
    const Scenario a = testing::named_scenario("a", p), b = testing::named_scenario("b", later);
    RunnerOptions forked, separate;
    separate.fork_window = 1;
    const EnsembleResults x = run_ensemble(scenarios_plan({a, b}, 2, 4, "t"), forked, nullptr);
    const EnsembleResults y = run_ensemble(scenarios_plan({a, b}, 2, 4, "t"), separate, nullptr);
    CHECK(x.scenarios[1].forked_from == "a");
    CHECK(x.scenarios[1].fork_month == 36);
    testing::require_same_records(x, y);
}
