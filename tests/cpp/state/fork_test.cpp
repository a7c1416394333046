// Forks (include/codev/state/fork.hpp, docs/statepoints.md "Forks"): the
// month two scenarios start to act differently, and runs that share their
// past give the records of separate runs, bit for bit, at 1 and 2 threads.
#include "codev/state/fork.hpp"

#include <catch2/catch.hpp>

#include "codev/ensemble/ensemble.hpp"
#include "codev/ensemble/runner.hpp"
#include "state_test_support.hpp"

using namespace codev;

namespace {

ProgrammeParams new_programme(const std::string& name, int start_year) {
    ProgrammeParams pr = testing::share_programme();
    pr.name = name;
    pr.share = 0.8;
    pr.start_year = start_year;
    return pr;
}

EnsembleResults run(const std::vector<Scenario>& scenarios, int fork_window, int threads) {
    RunnerOptions options;
    options.threads = threads;
    options.fork_window = fork_window;
    options.run.check_invariants = true;
    return run_ensemble(scenarios_plan(scenarios, 2, 21, "test"), options, nullptr);
}

}  // namespace

TEST_CASE("Scenarios act alike until their first dated difference", "[fork]") {
    const Params base = testing::rich_params();  // 72 months after a 24-month spin-up
    Params p = base;
    CHECK(first_difference_month(base, p) == 72);
    {  // what names, describes or appraises a scenario changes nothing it simulates
        p.title.en = "Another title";
        p.description.fr = "Une autre description";
        p.appraisal.discount_rate = 0.06;
        p.appraisal.uncertain.push_back({"associations.idea_rate", 0.03, 0.08});
        CHECK(first_difference_month(base, p) == 72);
        p = base;
    }
    SECTION("a programme that starts later acts from its start year") {
        p.programmes.push_back(new_programme("later", 3));
        CHECK(first_difference_month(base, p) == 36);
        CHECK(first_difference_month(p, base) == 36);
    }
    SECTION("a programme's rule that differs acts from its start") {
        p.programmes[0].start_year = 2;
        Params q = p;
        q.programmes[0].share = 0.5;
        CHECK(first_difference_month(p, q) == 24);
        CHECK(first_difference_month(base, p) == 0);  // it started at 0 in base
    }
    SECTION("an end year acts from the year after the earlier end") {
        p.programmes[0].end_year = 3;
        CHECK(first_difference_month(base, p) == 48);
    }
    SECTION("programmes are matched by name, wherever they stand; their order matters") {
        p.programmes.insert(p.programmes.begin(), new_programme("first", 4));
        CHECK(first_difference_month(base, p) == 48);
        Params q = p;
        q.programmes[0].start_year = 1;
        std::swap(q.programmes[0], q.programmes[1]);
        std::swap(p.programmes[0], p.programmes[1]);
        p.programmes[1].start_year = 1;
        CHECK(first_difference_month(p, q) == 72);  // the same programmes in the same order
        std::swap(q.programmes[0], q.programmes[1]);
        CHECK(first_difference_month(p, q) == 0);  // the order of two programmes of both: from the earlier start
    }
    SECTION("a shock acts from its start month, and so do the later shocks of lists that part") {
        ShockParams crisis;
        crisis.kind = ShockParams::Kind::origin_crisis;
        crisis.start_month = 50;
        crisis.end_month = 60;
        crisis.delay_multiplier = 1.5;
        p.shocks.push_back(crisis);
        CHECK(first_difference_month(base, p) == 50);
        p.shocks.insert(p.shocks.begin(), crisis);
        CHECK(first_difference_month(base, p) == 20);  // the recession is now second
    }
    SECTION("a fee path acts from the first month its value differs") {
        Params q = p;
        p.formal_fee_pct.points = {{0, 0.05}, {40, 0.05}};
        q.formal_fee_pct.points = {{0, 0.05}, {40, 0.05}, {50, 0.03}};
        CHECK(first_difference_month(p, q) == 41);
        CHECK(first_difference_month(base, p) == -24);  // a set path overrides every corridor's fee
    }
    SECTION("anything undated differs from the first month; the baseline flag does not act") {
        p.associations.dues_xof_per_month += 1;
        CHECK(first_difference_month(base, p) == -24);
        Params q = base;
        q.baseline = true;
        CHECK(first_difference_month(base, q) == 72);
        q.spinup_months = 12;
        CHECK(first_difference_month(base, q) == -24);
    }
}

TEST_CASE("Each scenario forks from the earlier one it shares the longest past with", "[fork]") {
    const Params base = testing::rich_params();
    Params late = base, later = base, other = base;
    late.programmes.push_back(new_programme("late", 2));
    later.programmes.push_back(new_programme("late", 2));
    later.programmes.push_back(new_programme("later", 4));
    other.associations.idea_rate = 0.1;
    const auto origins = plan_forks({&base, &late, &later, &other});
    CHECK(origins[0].parent == -1);
    CHECK(origins[0].month == -24);
    CHECK(origins[1].parent == 0);
    CHECK(origins[1].month == 24);
    CHECK(origins[2].parent == 1);  // shares 48 months with `late`, 24 with base
    CHECK(origins[2].month == 48);
    CHECK(origins[3].parent == -1);
    // A parent that forks after its child's month hands over its own parent's past.
    const auto reversed = plan_forks({&base, &later, &late});
    CHECK(reversed[1].parent == 0);
    CHECK(reversed[1].month == 24);
    CHECK(reversed[2].parent == 1);
    CHECK(reversed[2].month == 48);
    const auto chained = plan_forks({&later, &late, &base});
    CHECK(chained[1].parent == 0);
    CHECK(chained[2].parent == 0);  // base shares 24 months with either
    CHECK(chained[2].month == 24);
}

TEST_CASE("Runs that share their past give the records of separate runs, at 1 and 2 threads", "[fork]") {
    const Params base = testing::rich_params();
    Params late = base, later = base, cut = base, shocked = base;
    late.programmes.push_back(new_programme("late", 2));
    later.programmes.push_back(new_programme("late", 2));
    later.programmes.push_back(new_programme("later", 4));
    later.programmes[2].reinsertion = Reinsertion{true, 0.5, 1000000, 0, 20, 0.02, 1.0};
    cut.programmes[0].end_year = 2;
    ShockParams crisis;
    crisis.kind = ShockParams::Kind::origin_crisis;
    crisis.start_month = 41;
    crisis.end_month = 60;
    crisis.risk_multiplier = 2.0;
    shocked.shocks.push_back(crisis);
    Params inserted = base;  // a programme put before the started one: moved by name
    inserted.programmes.insert(inserted.programmes.begin(), new_programme("aaa", 3));
    inserted.programmes[0].registration_support = RegistrationSupport{true, 0.5, 100000};
    const std::vector<Scenario> scenarios = {
        testing::named_scenario("base", base),       testing::named_scenario("late", late),
        testing::named_scenario("later", later),     testing::named_scenario("cut", cut),
        testing::named_scenario("shocked", shocked), testing::named_scenario("inserted", inserted)};
    const EnsembleResults separate = run(scenarios, 1, 2);
    for (const ScenarioInfo& info : separate.scenarios) CHECK(info.forked_from.empty());
    for (int threads : {1, 2}) {
        INFO("threads " << threads);
        const EnsembleResults forked = run(scenarios, 1024, threads);
        testing::require_same_records(forked, separate);
        CHECK(forked.scenarios[0].forked_from.empty());
        CHECK(forked.scenarios[0].fork_month == -24);
        CHECK(forked.scenarios[1].forked_from == "base");
        CHECK(forked.scenarios[1].fork_month == 24);
        CHECK(forked.scenarios[2].forked_from == "late");
        CHECK(forked.scenarios[2].fork_month == 48);
        CHECK(forked.scenarios[3].forked_from == "base");
        CHECK(forked.scenarios[3].fork_month == 36);
        CHECK(forked.scenarios[4].forked_from == "base");
        CHECK(forked.scenarios[4].fork_month == 41);
        CHECK(forked.scenarios[5].forked_from == "base");  // 24 months with late
        CHECK(forked.scenarios[5].fork_month == 36);
    }
    // Some jobs only: the parents run to the fork for the children asked for.
    RunnerOptions options;
    options.threads = 2;
    const JobPlan plan = scenarios_plan(scenarios, 2, 21, "test");
    std::vector<JobRecord> records(2);
    run_jobs(plan, {{2, 1}, {4, 0}}, options, nullptr,
             [&](std::size_t i, JobRecord&& r) { records[i] = std::move(r); });
    testing::require_same_record(records[0], separate.records[2 * 2 + 1]);
    testing::require_same_record(records[1], separate.records[4 * 2 + 0]);
}
