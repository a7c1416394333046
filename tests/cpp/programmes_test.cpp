// Tests of the programmes (MODEL.md 7.5).
#include "codev/programmes.hpp"

#include <catch2/catch.hpp>

#include "codev/simulation.hpp"
#include "test_world.hpp"

using namespace codev;

TEST_CASE("The share rule pays s x C up to the cap", "[programmes]") {
    ProgrammeParams p = testing::share_programme();
    CHECK(public_amount(p, 20000000) == 14000000);
    CHECK(public_amount(p, 100000000) == 30000000);  // capped
    CHECK(commune_amount(p, 20000000) == 4000000);
}

TEST_CASE("The ratio rule pays r public XOF per migrant XOF up to the cap", "[programmes]") {
    ProgrammeParams p;
    p.rule = Rule::ratio;
    p.ratio = 3.0;
    p.cap_xof = 45000000;
    // C = 40 M: migrants M = C / 4 = 10 M, public 3 M per M = 30 M.
    CHECK(public_amount(p, 40000000) == 30000000);
    CHECK(public_amount(p, 100000000) == 45000000);
}

namespace {

JobRecord run(const Params& p, std::uint64_t seed = 11) {
    Simulation sim(p, seed, 0, RunOptions{true});
    sim.run([] { return false; });
    return sim.take_record();
}

std::int64_t total(const JobRecord& r, Series s) {
    std::int64_t sum = 0;
    for (int t = 0; t < r.months; ++t) sum += r.at(t, s);
    return sum;
}

}  // namespace

TEST_CASE("A programme never commits more in a year than its budget, and pays each grant exactly", "[programmes]") {
    Params p = testing::small_params(20000, 96);
    ProgrammeParams pr = testing::share_programme();
    pr.budget_per_year_xof = 100000000;  // tight: fewer projects than applications
    p.programmes = {pr};
    Simulation sim(p, 5, 0, RunOptions{true});  // invariant 9.3 checked every month
    sim.run([] { return false; });
    const World& w = sim.world();
    std::int64_t granted = 0, paid = 0;
    for (const Project& project : w.projects) {
        if (project.programme != 0 || project.start_month < 0 || project.state == ProjectState::approved) continue;
        CHECK(project.public_xof <= pr.cap_xof);
        if (project.state == ProjectState::operating || project.state == ProjectState::broken ||
            project.state == ProjectState::decommissioned)
            CHECK(project.paid_programme_xof == project.public_xof);
        granted += project.public_xof;
        paid += project.paid_programme_xof;
    }
    const JobRecord& r = sim.record();
    CHECK(total(r, Series::programme_disbursed) == paid);
    CHECK(paid > 0);
    // Eight years of 100 M each: never more paid than put in.
    CHECK(paid <= 8 * pr.budget_per_year_xof);
}

TEST_CASE("Without carry-over unspent budget lapses; with full carry-over it accumulates", "[programmes]") {
    Params p = testing::small_params(2000, 36);
    ProgrammeParams pr = testing::share_programme();
    pr.call_months = {};  // no calls: nothing is ever committed
    p.programmes = {pr};
    const JobRecord none = run(p);
    CHECK(none.at(35, Series::programme_budget_available) == pr.budget_per_year_xof);
    p.programmes[0].carry_over = CarryOver::full;
    const JobRecord full = run(p);
    CHECK(full.at(35, Series::programme_budget_available) == 3 * pr.budget_per_year_xof);
}

TEST_CASE("A loan's disbursements feed the budget and its debt service repays principal plus interest",
          "[programmes]") {
    Params p = testing::small_params(2000, 120);
    ProgrammeParams pr = testing::share_programme();
    pr.call_months = {};
    pr.loan.enabled = true;
    pr.loan.amount_xof = 1200000000;
    pr.loan.interest_rate = 0.0;
    pr.loan.grace_years = 2;
    pr.loan.tenor_years = 7;
    pr.loan.disbursement = {0.5, 0.5};
    p.programmes = {pr};
    const JobRecord r = run(p);
    CHECK(total(r, Series::loan_disbursed) == 1200000000);
    CHECK(r.at(12, Series::loan_disbursed) == 600000000);
    // Interest-free: the debt service is the principal, repaid over 5 years after 2 of grace.
    CHECK(total(r, Series::debt_service_paid) == 1200000000);
    CHECK(r.at(23, Series::debt_service_paid) == 0);
    CHECK(r.at(24, Series::debt_service_paid) == 20000000);
}

TEST_CASE("With interest, debt service exceeds the principal by the interest on the outstanding balance",
          "[programmes]") {
    Params p = testing::small_params(2000, 24);
    ProgrammeParams pr = testing::share_programme();
    pr.call_months = {};
    pr.loan = LoanParams{true, 1200000000, 0.06, 5, 10, {1.0}};
    p.programmes = {pr};
    const JobRecord r = run(p);
    // Grace period: interest only, 1.2e9 * 0.06 / 12 = 6 M a month.
    CHECK(r.at(0, Series::debt_service_paid) == 6000000);
    CHECK(total(r, Series::debt_service_paid) == 24 * 6000000);
}

TEST_CASE("The three selection rules all stay within budget and pick different projects", "[programmes]") {
    Params p = testing::small_params(20000, 72);
    ProgrammeParams pr = testing::share_programme();
    pr.budget_per_year_xof = 80000000;
    p.programmes = {pr};
    std::vector<std::int64_t> served;
    for (Selection rule : {Selection::first_come, Selection::need_ranked, Selection::lottery}) {
        p.programmes[0].selection = rule;
        const JobRecord r = run(p);  // invariants checked every month
        served.push_back(r.at(71, SectorSeries::people_served, 0) + r.at(71, SectorSeries::people_served, 1));
        CHECK(total(r, Series::programme_disbursed) > 0);
    }
    CHECK((served[0] != served[1] || served[1] != served[2]));
}

TEST_CASE("Associations do not apply to a programme before it opens, and applicants of a closed one self-finance",
          "[programmes]") {
    Params p = testing::small_params(20000, 60);
    ProgrammeParams later = testing::share_programme();
    later.start_year = 3;
    p.programmes = {later};
    Simulation early(p, 12, 0, RunOptions{true});
    for (int t = 0; t < 36; ++t) early.step();
    for (const Project& pr : early.world().projects) CHECK(pr.programme == -1);
    p.programmes[0].start_year = 0;
    p.programmes[0].end_year = 1;
    p.programmes[0].budget_per_year_xof = 1;  // every application is rejected for lack of budget
    p.associations.max_tries = 100;
    Simulation closing(p, 12, 0, RunOptions{true});
    for (int t = 0; t < 25; ++t) closing.step();
    for (std::size_t a = 0; a < closing.world().associations.size(); ++a)
        CHECK(closing.world().associations.stage[a] != Stage::applying);
}

TEST_CASE("Call months are calendar months when the scenario has a start date", "[programmes]") {
    Params p = testing::small_params(20000, 48);
    ProgrammeParams pr = testing::share_programme();
    pr.call_months = {3};
    pr.approval_probability = 1.0;
    pr.decision_delay_months = 0;
    p.programmes = {pr};
    p.start_date = "2020-11-01";  // month 0 is November: March is month 4, 16, 28, 40
    Simulation sim(p, 13, 0, RunOptions{true});
    sim.run([] { return false; });
    int started = 0;
    for (const Project& project : sim.world().projects) {
        if (project.programme != 0 || project.start_month < 0 || project.state == ProjectState::approved) continue;
        // Approved at the call, started by the pipeline the month after.
        CHECK(project.start_month % 12 == 5);
        ++started;
    }
    CHECK(started > 0);
}
