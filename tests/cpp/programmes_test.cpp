// Tests of the programmes (docs/model.md 7.6).
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

namespace {

// A share programme with an interest-free loan available in programme year 0
// only, repaid over one year from the start (no grace).
Params loan_world(std::int64_t budget_per_year) {
    Params p = testing::small_params(4000, 36);
    ProgrammeParams pr = testing::share_programme();
    pr.budget_per_year_xof = budget_per_year;
    pr.loan = LoanParams{true, 5000000000, 0.0, 0, 1, {1.0}};
    p.programmes = {pr};
    return p;
}

// The programme's state at the horizon; every month's invariants, the
// programme ledger included (docs/model.md 9.7), are checked on the way.
ProgrammeState run_programme(const Params& p, JobRecord& record) {
    Simulation sim(p, 11, 0, RunOptions{true});
    sim.run([] { return false; });
    const ProgrammeState st = sim.world().programmes[0];
    record = sim.take_record();
    return st;
}

}  // namespace

TEST_CASE("A loan is not drawn while the budget covers the accepted projects", "[programmes]") {
    JobRecord r;
    const ProgrammeState st = run_programme(loan_world(5000000000), r);
    CHECK(st.committed_total_xof > 0);
    CHECK(total(r, Series::loan_disbursed) == 0);
    CHECK(total(r, Series::debt_service_paid) == 0);
}

TEST_CASE("Without a budget, a loan pays exactly the accepted projects and its service falls into arrears",
          "[programmes]") {
    JobRecord r;
    const ProgrammeState st = run_programme(loan_world(0), r);
    REQUIRE(st.committed_total_xof > 0);
    CHECK(total(r, Series::loan_disbursed) == st.committed_total_xof);
    CHECK(st.committed_total_xof < 5000000000);  // never drawn into an idle budget
    // A budget line of 0 pays only from grants returned by abandoned
    // projects: the rest of the principal, all due within the year after the
    // draws, is owed as arrears.
    CHECK(st.loan_outstanding_xof == 0);
    CHECK(total(r, Series::debt_service_paid) + st.debt_arrears_xof == st.loan_disbursed_total_xof);
    CHECK(total(r, Series::debt_service_paid) <= st.returned_total_xof);
    CHECK(st.debt_arrears_xof > 0);
}

TEST_CASE("A loan's debt service is paid from the programme's budget before new commitments", "[programmes]") {
    JobRecord r;
    const ProgrammeState st = run_programme(loan_world(40000000), r);
    REQUIRE(st.loan_disbursed_total_xof > 0);
    // Interest-free, so the service is the principal: paid from the budget or owed.
    CHECK(total(r, Series::debt_service_paid) + st.debt_arrears_xof == st.loan_disbursed_total_xof);
    CHECK(total(r, Series::debt_service_paid) > 0);
    CHECK(st.debt_service_total_xof == total(r, Series::debt_service_paid));
}

TEST_CASE("With interest, the debt service paid exceeds the principal repaid", "[programmes]") {
    Params p = loan_world(40000000);
    p.programmes[0].loan.interest_rate = 0.06;
    p.programmes[0].loan.tenor_years = 3;
    p.months = 48;
    JobRecord r;
    const ProgrammeState st = run_programme(p, r);
    REQUIRE(st.loan_disbursed_total_xof > 0);
    CHECK(total(r, Series::debt_service_paid) + st.debt_arrears_xof > st.principal_due_total_xof);
}

namespace {

// The smallest grant of the projects that aimed at programme 0.
std::int64_t smallest_grant_aimed(const Params& p) {
    Simulation sim(p, 11, 0, RunOptions{true});
    sim.run([] { return false; });
    std::int64_t smallest = -1;
    for (const Project& pr : sim.world().projects)
        if (pr.programme == 0 && (smallest < 0 || pr.public_xof < smallest)) smallest = pr.public_xof;
    return smallest;
}

}  // namespace

TEST_CASE("A project whose grant would fall below the floor does not aim at the programme", "[programmes]") {
    Params p = testing::small_params(4000, 24);
    p.programmes = {testing::share_programme()};
    const std::int64_t floor = 20000000;  // a 70 % grant of at least 20 M: a cost of at least 28.6 M
    const std::int64_t without = smallest_grant_aimed(p);
    REQUIRE(without >= 0);
    CHECK(without < floor);  // without a floor, smaller projects do apply
    p.programmes[0].floor_xof = floor;
    const std::int64_t with = smallest_grant_aimed(p);
    REQUIRE(with >= 0);
    CHECK(with >= floor);
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

TEST_CASE("A programme's registration support registers associations and pays from its budget", "[programmes]") {
    Params p = testing::small_params(30000, 24);
    p.associations.size_mean = 20;
    p.associations.registered_share = 0.0;
    p.associations.idea_rate = 0.0;
    ProgrammeParams g = testing::share_programme();
    g.registration_support = {true, 1e6, 1000000};  // every unregistered association, 1 M XOF each
    g.budget_per_year_xof = 50000000;               // enough for 50 a year
    p.programmes = {g};
    Simulation sim(p, 9, 0, RunOptions{true});  // invariants checked every month (budget ledger, caps)
    sim.step();
    const World& w = sim.world();
    const std::int64_t n = std::int64_t(w.associations.size());
    REQUIRE(n > 50);
    CHECK(w.events.registrations_supported == 50);  // the budget binds
    CHECK(w.events.registrations == 50);
    CHECK(w.events.technical_assistance_paid == 50 * 1000000);
    CHECK(w.events.programme_committed == 50 * 1000000);
    CHECK(w.programmes[0].available_xof == 0);
    CHECK(sim.record().at(0, Series::registrations_supported) == 50);
    CHECK(sim.record().at(0, Series::associations_registered) == 50);
    for (int t = 1; t < 12; ++t) sim.step();
    CHECK(sim.record().at(11, Series::associations_registered) == 50);  // no budget left this year
    sim.step();                                                         // a new year, a new budget
    CHECK(sim.record().at(12, Series::associations_registered) == std::min<std::int64_t>(n, 100));
}

TEST_CASE("Each programme records its own money and projects, which add up to the national series", "[programmes]") {
    // An older programme with a grant funder hands over to a newer one with
    // a loan (docs/model.md 8; invariant 9.8 is checked every month here).
    Params p = testing::small_params(20000, 72);
    ProgrammeParams old_one = testing::share_programme();
    old_one.name = "fsp";
    old_one.funder = "france";
    old_one.end_year = 2;
    old_one.technical_assistance.enabled = true;
    old_one.technical_assistance.cost_xof = 1000000;
    ProgrammeParams new_one = testing::share_programme();
    new_one.name = "ctc";
    new_one.funder = "afdb";
    new_one.start_year = 3;
    new_one.budget_per_year_xof = 0;
    new_one.loan.enabled = true;
    new_one.loan.amount_xof = 2000000000;
    new_one.loan.disbursement = {0.5, 0.5};
    p.programmes = {old_one, new_one};
    const JobRecord r = run(p);
    REQUIRE(r.programmes == 2);
    std::int64_t grants[2] = {0, 0}, loans[2] = {0, 0}, assistance[2] = {0, 0}, approved_late[2] = {0, 0};
    std::int64_t completed = 0;
    for (int t = 0; t < r.months; ++t)
        for (int q = 0; q < 2; ++q) {
            grants[q] += r.at(t, q, ProgrammeSeries::grants_disbursed);
            loans[q] += r.at(t, q, ProgrammeSeries::loan_disbursed);
            assistance[q] += r.at(t, q, ProgrammeSeries::assistance_paid);
            if (t >= 36) approved_late[q] += r.at(t, q, ProgrammeSeries::projects_approved);
            for (int s = 0; s < SECTOR_COUNT; ++s) completed += r.completed(t, q, s);
        }
    CHECK(grants[0] > 0);
    CHECK(grants[1] > 0);
    CHECK(grants[0] + grants[1] == total(r, Series::programme_disbursed));
    CHECK(loans[0] == 0);  // only the second borrows
    CHECK(loans[1] == total(r, Series::loan_disbursed));
    CHECK(assistance[0] > 0);
    CHECK(assistance[1] == 0);     // no assistance in the second
    CHECK(approved_late[0] == 0);  // the first has closed by year 3
    CHECK(approved_late[1] > 0);
    CHECK(completed == total(r, Series::cofinanced_projects_completed));
}

TEST_CASE("Skills missions go to the first projects a programme accepts each year, within the yearly number",
          "[programmes]") {
    Params p = testing::small_params(20000, 96);
    ProgrammeParams pr = testing::share_programme();
    pr.skills_missions.enabled = true;
    pr.skills_missions.missions_per_year = 2;
    pr.skills_missions.cost_xof = 1100000;
    p.programmes = {pr};
    Simulation sim(p, 5, 0, RunOptions{true});  // the budget ledger and invariant 8 checked every month
    sim.run([] { return false; });
    const JobRecord r = sim.take_record();
    std::int64_t approved = 0, missions = 0;
    for (int year = 0; year < r.years; ++year) {
        std::int64_t in_year = 0;
        for (int t = 12 * year; t < 12 * year + 12; ++t) {
            in_year += r.at(t, 0, ProgrammeSeries::skills_missions);
            approved += r.at(t, 0, ProgrammeSeries::projects_approved);
        }
        CHECK(in_year <= 2);
        missions += in_year;
    }
    REQUIRE(approved > missions);  // more projects than missions: the number binds
    CHECK(missions > 0);
    std::int64_t flagged = 0;
    for (const Project& project : sim.world().projects) flagged += project.skills_mission;
    CHECK(flagged == missions);
    CHECK(total(r, Series::technical_assistance_paid) == missions * 1100000);  // no other assistance here
}

TEST_CASE("A project with a skills mission is abandoned and breaks down at its factors' rates", "[programmes]") {
    // Factors of 0: a project a mission helped is never abandoned and never
    // breaks down, while the others do (docs/model.md 7.6.9).
    Params p = testing::small_params(20000, 120);
    for (SectorParams& s : p.sectors) {
        s.abandonment_hazard = 0.02;
        s.breakdown_hazard = 0.02;
    }
    ProgrammeParams pr = testing::share_programme();
    pr.skills_missions.enabled = true;
    pr.skills_missions.missions_per_year = 3;
    pr.skills_missions.failure_factor = 0.0;
    pr.skills_missions.breakdown_factor = 0.0;
    p.programmes = {pr};
    Simulation sim(p, 8, 0, RunOptions{true});
    sim.run([] { return false; });
    int helped = 0, others_failed = 0;
    for (const Project& project : sim.world().projects) {
        if (project.skills_mission) {
            ++helped;
            CHECK(project.state != ProjectState::abandoned);
            CHECK(project.state != ProjectState::broken);
            CHECK(project.state != ProjectState::decommissioned);
            CHECK(project.broken_since < 0);
        } else if (project.state == ProjectState::abandoned || project.broken_since >= 0) {
            ++others_failed;
        }
    }
    CHECK(helped > 0);
    CHECK(others_failed > 0);
}
