// Whole runs: the invariants of docs/model.md section 9 (items 1-4) every month,
// and the flows the processes must produce.
#include "codev/simulation.hpp"

#include <catch2/catch.hpp>
#include <cmath>

#include "codev/invariants.hpp"
#include "test_world.hpp"

using namespace codev;

namespace {

std::int64_t total(const JobRecord& r, Series s) {
    std::int64_t sum = 0;
    for (int t = 0; t < r.months; ++t) sum += r.at(t, s);
    return sum;
}

std::int64_t total(const JobRecord& r, SectorSeries s) {
    std::int64_t sum = 0;
    for (int t = 0; t < r.months; ++t)
        for (int k = 0; k < SECTOR_COUNT; ++k) sum += r.at(t, s, k);
    return sum;
}

JobRecord checked_run(const Params& p, std::uint64_t seed) {
    Simulation sim(p, seed, 0, RunOptions{true});
    sim.run([] { return false; });
    return sim.take_record();
}

}  // namespace

TEST_CASE("The invariants hold every month with no programme, a share rule and a ratio rule", "[simulation]") {
    Params p = testing::small_params(20000, 120);
    SECTION("no programme") { checked_run(p, 1); }
    SECTION("share rule with technical assistance and a loan") {
        ProgrammeParams pr = testing::share_programme();
        pr.technical_assistance = TechnicalAssistance{true, 1000000, 0.5, 0.5};
        pr.loan = LoanParams{true, 500000000, 0.03, 2, 10, {0.5, 0.5}};
        p.programmes = {pr};
        const JobRecord r = checked_run(p, 2);
        CHECK(total(r, Series::technical_assistance_paid) > 0);
    }
    SECTION("several projects under way, with associations that come and go, after a spin-up") {
        p.associations.projects_under_way_max = 3;
        p.associations.founding_rate_per_year = 0.5;
        p.associations.dormancy_after_idle_months = 12;
        p.associations.dissolution_after_dormant_months = 24;
        p.spinup_months = 24;
        p.programmes = {testing::share_programme()};
        const JobRecord r = checked_run(p, 4);
        CHECK(total(r, SectorSeries::projects_completed) > 0);
    }
    SECTION("ratio rule, two programmes competing") {
        ProgrammeParams ratio = testing::share_programme();
        ratio.name = "three_for_one";
        ratio.rule = Rule::ratio;
        ratio.ratio = 3.0;
        ratio.commune_share = 0.0;
        p.programmes = {testing::share_programme(), ratio};
        const JobRecord r = checked_run(p, 3);
        CHECK(total(r, Series::programme_disbursed) > 0);
    }
}

TEST_CASE("A run produces remittances, dues, projects and people served", "[simulation]") {
    Params p = testing::small_params(20000, 120);
    p.programmes = {testing::share_programme()};
    const JobRecord r = checked_run(p, 4);
    CHECK(total(r, Series::remit_formal) > 0);
    CHECK(total(r, Series::remit_informal) > 0);
    CHECK(total(r, Series::dues_paid) > 0);
    CHECK(total(r, Series::contributions_paid) > 0);
    CHECK(total(r, SectorSeries::projects_started) > 0);
    CHECK(total(r, SectorSeries::projects_completed) > 0);
    std::int64_t served = 0;
    for (int k = 0; k < SECTOR_COUNT; ++k) served += r.at(119, SectorSeries::people_served, k);
    CHECK(served > 0);
    CHECK(r.mean_trust[119] > 0.0);
    CHECK(r.mean_trust[119] < 1.0);
}

TEST_CASE("Matching crowds in contributions when epsilon > 0 and not when epsilon = 0", "[simulation][contributions]") {
    Params p = testing::small_params(20000, 60);
    p.programmes = {testing::share_programme()};
    p.behaviour.epsilon = 0.0;
    const std::int64_t flat = total(checked_run(p, 5), Series::contributions_paid);
    p.behaviour.epsilon = 1.0;
    const std::int64_t elastic = total(checked_run(p, 5), Series::contributions_paid);
    CHECK(elastic > flat);
}

TEST_CASE("The invariant check reports a broken treasury identity", "[invariants]") {
    Params p = testing::small_params(2000, 12);
    Simulation sim(p, 6, 0, RunOptions{false});
    sim.step();
    JobRecord r = sim.record();
    r.at(0, Series::dues_paid) += 1;
    World w = sim.world();
    w.month = 0;
    CHECK_THROWS_AS(check_invariants(w, p, r), InvariantViolation);
    CHECK_THROWS_WITH(check_invariants(w, p, r), Catch::Contains("month 0") && Catch::Contains("treasuries changed"));
}

TEST_CASE("Every commune's residents grow by the yearly rate at each new year", "[simulation]") {
    Params p = testing::small_params(2000, 25);
    p.world.population_growth_per_year = 0.03;
    Simulation sim(p, 5, 0, RunOptions{true});
    const std::vector<std::int64_t> initial = sim.world().communes.population;
    for (int t = 0; t < 12; ++t) sim.step();
    CHECK(sim.world().communes.population == initial);  // year 0: as at the start
    sim.step();                                         // month 12
    for (std::size_t c = 0; c < initial.size(); ++c)
        CHECK(sim.world().communes.population[c] == std::llround(double(initial[c]) * 1.03));
}

TEST_CASE("A spin-up starts month 0 with the treasuries and projects it built, and the invariants hold from there",
          "[simulation][spinup]") {
    Params p = testing::small_params(20000, 36);
    p.spinup_months = 48;
    p.associations.solidarity_fund = true;
    p.programmes = {testing::share_programme()};
    Simulation sim(p, 21, 1, RunOptions{true});  // invariants 1-4 and 7 every recorded month
    CHECK(sim.world().month == -48);
    for (int t = 0; t < 48; ++t) sim.step();
    REQUIRE(sim.world().month == 0);
    for (const Project& pr : sim.world().projects) CHECK(pr.programme == -1);  // no programme before month 0
    std::int64_t treasury = 0, in_service = 0;
    for (std::int64_t v : sim.world().associations.treasury_xof) treasury += v;
    for (const Project& pr : sim.world().projects)
        in_service += pr.state == ProjectState::operating || pr.state == ProjectState::broken;
    CHECK(treasury > 0);
    CHECK(in_service > 0);
    sim.run([] { return false; });
    const JobRecord& r = sim.record();
    // The opening series hold those stocks at month 0 only.
    CHECK(r.at(0, Series::association_treasury_opening) == treasury);
    std::int64_t opening = 0;
    for (int k = 0; k < SECTOR_COUNT; ++k) opening += r.at(0, SectorSeries::projects_in_service_opening, k);
    CHECK(opening == in_service);
    CHECK(total(r, Series::association_treasury_opening) == treasury);
    CHECK(total(r, SectorSeries::projects_in_service_opening) == in_service);
    CHECK(total(r, Series::programme_disbursed) > 0);  // the programme runs from month 0
}

TEST_CASE("Scenarios that differ only in programmes share their spin-up bit for bit", "[simulation][spinup]") {
    Params base = testing::small_params(20000, 12);
    base.spinup_months = 36;
    Params policy = base;
    policy.programmes = {testing::share_programme()};
    Simulation a(base, 5, 2), b(policy, 5, 2);
    for (int t = 0; t < 36; ++t) {
        a.step();
        b.step();
    }
    const World &x = a.world(), &y = b.world();
    CHECK(x.associations.treasury_xof == y.associations.treasury_xof);
    CHECK(x.migrants.association == y.migrants.association);
    CHECK(x.migrants.trust == y.migrants.trust);
    CHECK(x.projects.size() == y.projects.size());
    CHECK(x.communes.served == y.communes.served);
    CHECK(x.communes.population == y.communes.population);  // nobody grows before month 0
}

TEST_CASE("Without a spin-up, the run opens with nothing", "[simulation][spinup]") {
    const JobRecord r = checked_run(testing::small_params(5000, 12), 3);
    CHECK(total(r, Series::association_treasury_opening) == 0);
    CHECK(total(r, SectorSeries::projects_in_service_opening) == 0);
}
