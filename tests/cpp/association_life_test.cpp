// Tests of associations' lives (docs/model.md 7.5.1); a programme's support
// to their registration (7.6.8) is tested in programmes_test.cpp.
#include "codev/association_life.hpp"

#include <catch2/catch.hpp>
#include <cmath>

#include "codev/economy.hpp"
#include "codev/initialisation.hpp"
#include "codev/invariants.hpp"
#include "codev/observation.hpp"
#include "codev/pipeline.hpp"
#include "codev/programmes.hpp"
#include "codev/shocks.hpp"
#include "codev/simulation.hpp"
#include "codev/social.hpp"
#include "test_world.hpp"

using namespace codev;

namespace {

// One month of the steps that move associations, as Simulation::step() runs them.
void month(World& w, const Params& p) {
    reset_month_counters(w);
    step_shocks(w, p);
    step_economy(w, p);
    step_association_life(w, p);
    step_pipeline(w, p);
    step_programmes(w, p);
    step_social(w, p);
    ++w.month;
}

std::int64_t count(const World& w, Status status) {
    std::int64_t n = 0;
    for (Status s : w.associations.status) n += s == status;
    return n;
}

std::int64_t members_of(const World& w, std::int32_t a) {
    std::int64_t n = 0;
    for (std::size_t s = 0; s < w.migrants.size(); ++s)
        n += (w.migrants.flags[s] & Migrants::ALIVE) && w.migrants.association[s] == a;
    return n;
}

}  // namespace

TEST_CASE("A yearly rate becomes the monthly probability of at least one event", "[association_life]") {
    CHECK(monthly_probability(0.0) == 0.0);
    CHECK(monthly_probability(1.2) == Approx(1.0 - std::exp(-0.1)));
    CHECK(monthly_probability(1e6) == 1.0);
}

TEST_CASE("With every rate at 0, the associations of month 0 live the whole run", "[association_life]") {
    Params p = testing::small_params(8000, 36);
    World w = initialise_world(p, StreamKey{3, 0});
    const std::int64_t founded = count(w, Status::active);
    REQUIRE(founded == std::int64_t(w.associations.size()));  // no spare slots without foundings
    for (int t = 0; t < p.months; ++t) month(w, p);
    CHECK(count(w, Status::active) == founded);
}

TEST_CASE("A stated share of communes starts without an association, and founding gives them one",
          "[association_life]") {
    Params p = testing::small_params(8000, 24);
    p.associations.communes_without_association_share = 1.0;
    World w = initialise_world(p, StreamKey{4, 0});
    CHECK(count(w, Status::active) == 0);
    for (std::size_t c = 0; c < w.communes.size(); ++c) CHECK(w.communes.joinable_count[c] == 0);
    for (std::size_t s = 0; s < w.migrants.size(); ++s) CHECK(w.migrants.association[s] == NO_ASSOCIATION);

    p.associations.founding_rate_per_year = 1e6;  // every commune founds whenever it may
    World f = initialise_world(p, StreamKey{4, 0});
    const std::int32_t spare = f.communes.first_association[1] - f.communes.first_association[0];
    CHECK(spare == 24);           // at most one a month
    step_association_life(f, p);  // month 0 (before anybody joins in the social step)
    CHECK(f.events.associations_founded == std::int64_t(f.communes.size()));
    for (std::size_t c = 0; c < f.communes.size(); ++c) {
        const std::int32_t a = f.communes.first_association[c];  // the first spare slot
        CHECK(f.associations.status[a] == Status::active);
        CHECK(f.associations.created_month[a] == 0);
        CHECK(f.associations.registered[a] == 0);
        CHECK(f.associations.dues_xof[a] == p.associations.dues_xof_per_month);
        CHECK(f.communes.joinable_count[c] == 1);
        // Its founders: half an association's mean size of the unorganised migrants.
        CHECK(members_of(f, a) == 50);
        CHECK(f.associations.members[a] == 50);
    }
}

TEST_CASE("Spare slots cover the foundings of the whole run, spin-up included, but in one run in a million",
          "[association_life]") {
    Params p = testing::small_params(8000, 24);
    p.associations.communes_without_association_share = 1.0;  // every slot of a commune is a spare one
    p.spinup_months = 12;
    p.associations.founding_rate_per_year = 0.5;
    const auto spare = [&] {
        const World w = initialise_world(p, StreamKey{4, 0});
        return w.communes.first_association[1] - w.communes.first_association[0];
    };
    // The 1 - 1e-6 quantile of Binomial(36, 1 - exp(-0.5 / 12)), computed independently (math.comb).
    CHECK(spare() == 10);
    p.months = 240;
    p.spinup_months = 120;
    p.associations.founding_rate_per_year = 0.05;  // the Kayes baseline's rate over its 360 months
    CHECK(spare() == 10);
    p.associations.founding_rate_per_year = 1e6;  // a founding every month: one slot a month
    CHECK(spare() == 360);
}

TEST_CASE("A commune with no unorganised migrants founds nothing, and a full commune no more", "[association_life]") {
    Params p = testing::small_params(4000, 12);
    p.associations.member_share = 1.0;  // everybody a member at month 0
    p.associations.size_mean = 2;       // one founder each
    p.associations.founding_rate_per_year = 1e6;
    World w = initialise_world(p, StreamKey{5, 0});
    step_association_life(w, p);
    CHECK(w.events.associations_founded == 0);
    // With the members gone, every spare slot fills, one a month, then no more.
    for (std::size_t s = 0; s < w.migrants.size(); ++s) w.migrants.association[s] = NO_ASSOCIATION;
    std::fill(w.associations.members.begin(), w.associations.members.end(), 0);
    CHECK(count(w, Status::unfounded) == std::int64_t(w.communes.size()) * 12);
    for (int t = 0; t < 40; ++t) {
        w.month = t;
        step_association_life(w, p);
    }
    CHECK(count(w, Status::unfounded) == 0);
    CHECK(count(w, Status::active) + count(w, Status::dormant) + count(w, Status::dissolved) ==
          std::int64_t(w.associations.size()));
}

TEST_CASE("An association idle for dormancy_after_idle_months goes dormant: no dues, no ideas, nobody joins",
          "[association_life]") {
    Params p = testing::small_params(6000, 24);
    p.associations.idea_rate = 0.0;  // nobody ever has a project
    p.associations.dormancy_after_idle_months = 5;
    p.behaviour.join_rate = 1.0;
    World w = initialise_world(p, StreamKey{6, 0});
    for (int t = 0; t < 5; ++t) month(w, p);
    CHECK(count(w, Status::dormant) == 0);
    month(w, p);  // month 5: idle since month 0
    CHECK(count(w, Status::dormant) == std::int64_t(w.associations.size()));
    for (std::size_t c = 0; c < w.communes.size(); ++c) CHECK(w.communes.joinable_count[c] == 0);
    for (std::int64_t d : w.associations.dues_xof) CHECK(d == 0);
    const std::int64_t members_before = w.tally[0].members;
    month(w, p);
    std::int64_t dues = 0;
    for (const CommuneTally& t : w.tally) dues += t.dues;
    CHECK(dues == 0);                             // members of a dormant association pay nothing
    CHECK(w.projects.empty());                    // and it draws no ideas
    CHECK(w.tally[0].members <= members_before);  // nobody joins a dormant association
}

TEST_CASE(
    "A dormant association revives at its rate, or dissolves: its members are freed and its money goes to "
    "solidarity",
    "[association_life]") {
    Params p = testing::small_params(6000, 60);
    p.associations.idea_rate = 0.0;
    p.associations.dormancy_after_idle_months = 1;
    p.associations.dissolution_after_dormant_months = 3;
    World w = initialise_world(p, StreamKey{7, 0});
    month(w, p);
    month(w, p);  // month 1: dormant
    REQUIRE(count(w, Status::dormant) == std::int64_t(w.associations.size()));
    w.associations.treasury_xof[0] = 123456;
    const std::int64_t members0 = members_of(w, 0);
    REQUIRE(members0 > 0);
    for (int t = 0; t < 3; ++t) month(w, p);  // months 2-4: dissolved at month 4
    CHECK(count(w, Status::dissolved) == std::int64_t(w.associations.size()));
    CHECK(members_of(w, 0) == 0);
    CHECK(w.associations.treasury_xof[0] == 0);
    CHECK(w.associations.members[0] == 0);

    // Revival at rate 1e6 a year: the month after it went dormant.
    p.associations.revival_rate_per_year = 1e6;
    p.associations.dissolution_after_dormant_months = 0;
    World r = initialise_world(p, StreamKey{7, 0});
    month(r, p);
    month(r, p);  // month 1: dormant
    REQUIRE(count(r, Status::dormant) == std::int64_t(r.associations.size()));
    month(r, p);  // month 2: revived
    CHECK(count(r, Status::active) == std::int64_t(r.associations.size()));
    CHECK(r.associations.dues_xof[0] == p.associations.dues_xof_per_month);
    CHECK(r.associations.last_active_month[0] == 2);
}

TEST_CASE("Unregistered associations register at their rate", "[association_life]") {
    Params p = testing::small_params(30000, 12);
    p.associations.size_mean = 20;  // many associations
    p.associations.registered_share = 0.0;
    p.associations.registration_rate_per_year = 1.2;  // 1 - e^-0.1 a month
    World w = initialise_world(p, StreamKey{8, 0});
    const double n = double(w.associations.size());
    step_association_life(w, p);
    const double expected = n * (1.0 - std::exp(-0.1));
    CHECK(double(w.events.registrations) == Approx(expected).margin(4.0 * std::sqrt(expected)));
    std::int64_t registered = 0;
    for (auto r : w.associations.registered) registered += r;
    CHECK(registered == w.events.registrations);
    CHECK(w.events.registrations_supported == 0);
}

TEST_CASE("Members leave at rate leave x (1 - trust), and the counts follow", "[association_life]") {
    Params p = testing::small_params(40000, 12);
    p.associations.member_share = 0.8;
    p.associations.leave_rate_per_year = 2.4;  // 1 - e^-0.2 a month at trust 0
    p.behaviour.join_rate = 0.0;
    p.migration.return_hazard = 0.0;
    p.migration.departure_rate = 0.0;
    World w = initialise_world(p, StreamKey{10, 0});
    step_shocks(w, p);
    step_economy(w, p);
    double expected = 0, before = 0;
    const double leave_month = 1.0 - std::exp(-0.2);
    for (std::size_t s = 0; s < w.migrants.size(); ++s)
        if ((w.migrants.flags[s] & Migrants::ALIVE) && w.migrants.association[s] != NO_ASSOCIATION) {
            expected += leave_month * (1.0 - w.migrants.trust[s]);
            ++before;
        }
    step_social(w, p);
    double after = 0;
    for (std::size_t s = 0; s < w.migrants.size(); ++s)
        after += (w.migrants.flags[s] & Migrants::ALIVE) && w.migrants.association[s] != NO_ASSOCIATION;
    CHECK(before - after == Approx(expected).margin(4.0 * std::sqrt(expected)));
    std::int64_t counted = 0;
    for (std::int32_t m : w.associations.members) counted += m;
    CHECK(double(counted) == after);
}

TEST_CASE("Associations' lives keep every invariant, and the monthly counts add up", "[association_life]") {
    Params p = testing::small_params(20000, 120);
    p.programmes = {testing::share_programme()};
    p.programmes[0].registration_support = {true, 0.5, 300000};
    p.associations.communes_without_association_share = 0.3;
    p.associations.founding_rate_per_year = 0.3;
    p.associations.registration_rate_per_year = 0.1;
    p.associations.dormancy_after_idle_months = 12;
    p.associations.revival_rate_per_year = 0.2;
    p.associations.dissolution_after_dormant_months = 24;
    p.associations.leave_rate_per_year = 0.2;
    p.associations.solidarity_fund = true;
    Simulation sim(p, 11, 0, RunOptions{true});
    const std::int64_t start = count(sim.world(), Status::active);
    std::int64_t founded = 0, dissolved = 0;
    for (int t = 0; t < p.months; ++t) {
        sim.step();
        const JobRecord& r = sim.record();
        founded += r.at(t, Series::associations_founded);
        dissolved += r.at(t, Series::associations_dissolved);
        CHECK(r.at(t, Series::associations_active) + r.at(t, Series::associations_dormant) ==
              start + founded - dissolved);
        CHECK(r.at(t, Series::associations_registered) <=
              r.at(t, Series::associations_active) + r.at(t, Series::associations_dormant));
    }
    CHECK(founded > 0);
    CHECK(dissolved > 0);
    CHECK(count(sim.world(), Status::dormant) == sim.record().at(p.months - 1, Series::associations_dormant));
}
