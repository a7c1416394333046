// Tests of returning migrants' reinsertion businesses (docs/model.md 7.6.10).
#include "codev/reinsertion.hpp"

#include <catch2/catch.hpp>

#include "codev/programmes.hpp"
#include "codev/simulation.hpp"
#include "test_world.hpp"

using namespace codev;

namespace {

ProgrammeParams reinsertion_programme(double take_up, double closure_hazard) {
    ProgrammeParams pr = testing::share_programme();
    pr.name = "fsp";
    pr.budget_per_year_xof = 100000000000;  // never binding here
    pr.reinsertion.enabled = true;
    pr.reinsertion.take_up = take_up;
    pr.reinsertion.grant_xof = 2950000;
    pr.reinsertion.support_xof = 790000;
    pr.reinsertion.closure_hazard = closure_hazard;
    pr.reinsertion.jobs_per_business = 3.0;
    return pr;
}

struct Run {
    JobRecord record;
    std::int64_t returns = 0;  // recorded months' returnees
};

Run run(const Params& p, std::uint64_t seed = 3) {
    Simulation sim(p, seed, 0, RunOptions{true});  // the budget ledger and invariant 8 checked every month
    Run out;
    while (sim.world().month < p.months) {
        const bool recorded = sim.world().month >= 0;
        sim.step();
        if (recorded)
            for (const CommuneTally& t : sim.world().tally) out.returns += t.returns;
    }
    out.record = sim.take_record();
    return out;
}

std::int64_t total(const JobRecord& r, Series s) {
    std::int64_t sum = 0;
    for (int t = 0; t < r.months; ++t) sum += r.at(t, s);
    return sum;
}

}  // namespace

TEST_CASE("With a take-up of one every returnee gets a grant, and with no closures every business stays open",
          "[reinsertion]") {
    Params p = testing::small_params(20000, 36);
    p.programmes = {reinsertion_programme(1.0, 0.0)};
    const Run r = run(p);
    REQUIRE(r.returns > 0);
    const std::int64_t started = total(r.record, Series::reinsertion_businesses_started);
    CHECK(started == r.returns);
    CHECK(total(r.record, Series::reinsertion_grants_paid) == started * 2950000);
    CHECK(total(r.record, Series::technical_assistance_paid) == started * 790000);  // the operators; no project TA
    CHECK(total(r.record, Series::programme_committed) >= started * (2950000 + 790000));
    CHECK(r.record.at(35, Series::reinsertion_businesses_open) == started);
    CHECK(r.record.at(35, Series::reinsertion_jobs) == 3 * started);
}

TEST_CASE("Without take-up no grant is given, and a closure hazard of one closes every business the next month",
          "[reinsertion]") {
    Params p = testing::small_params(20000, 24);
    p.programmes = {reinsertion_programme(0.0, 0.0)};
    CHECK(total(run(p).record, Series::reinsertion_businesses_started) == 0);
    p.programmes = {reinsertion_programme(1.0, 1.0)};
    const JobRecord r = run(p).record;
    for (int t = 0; t < r.months; ++t)  // only the month's new businesses are open at its end
        CHECK(r.at(t, Series::reinsertion_businesses_open) == r.at(t, Series::reinsertion_businesses_started));
}

TEST_CASE("Reinsertion grants stop at the yearly number and within the budget", "[reinsertion]") {
    Params p = testing::small_params(20000, 36);
    ProgrammeParams pr = reinsertion_programme(1.0, 0.0);
    pr.reinsertion.max_per_year = 4;
    p.programmes = {pr};
    const JobRecord capped = run(p).record;
    for (int year = 0; year < 3; ++year) {
        std::int64_t started = 0;
        for (int t = 12 * year; t < 12 * year + 12; ++t)
            started += capped.at(t, Series::reinsertion_businesses_started);
        CHECK(started == 4);  // far more returnees than 4 a year
    }
    pr = reinsertion_programme(1.0, 0.0);
    pr.budget_per_year_xof = 10 * (2950000 + 790000);  // room for ten grants a year, before any project
    pr.call_months = {12};                             // calls come after the year's returnees
    p.programmes = {pr};
    const JobRecord poor = run(p).record;
    for (int year = 0; year < 3; ++year) {
        std::int64_t paid = 0;
        for (int t = 12 * year; t < 12 * year + 12; ++t) paid += poor.at(t, Series::reinsertion_grants_paid);
        CHECK(paid <= 10 * 2950000);
        CHECK(paid >= 9 * 2950000);
    }
}

TEST_CASE("A programme added to a scenario leaves another's reinsertion draws unchanged", "[reinsertion]") {
    // Streams are keyed by the programme's name, not its place: "aaa" sorts
    // first and shifts "fsp" to index 1 (docs/model.md 4.1).
    Params p = testing::small_params(20000, 36);
    p.programmes = {reinsertion_programme(0.3, 0.02)};
    const JobRecord alone = run(p).record;
    ProgrammeParams other = testing::share_programme();
    other.name = "aaa";
    p.programmes = {other, reinsertion_programme(0.3, 0.02)};
    const JobRecord with_other = run(p).record;
    REQUIRE(with_other.programmes == 2);
    for (int t = 0; t < alone.months; ++t) {
        CHECK(alone.at(t, 0, ProgrammeSeries::reinsertion_businesses_started) ==
              with_other.at(t, 1, ProgrammeSeries::reinsertion_businesses_started));
        CHECK(alone.at(t, Series::reinsertion_businesses_open) ==
              with_other.at(t, Series::reinsertion_businesses_open));
    }
    CHECK(programme_stream_key("fsp") != programme_stream_key("pac"));
}
