// Tests of the project life cycle (docs/model.md 7.7).
#include "codev/projects.hpp"

#include <catch2/catch.hpp>

#include "codev/initialisation.hpp"
#include "codev/shocks.hpp"
#include "test_world.hpp"

using namespace codev;

namespace {

// A world with one implementing project of association 0, ready to complete.
World world_with_project(const Params& p, std::int64_t treasury, std::int64_t overrun) {
    World w = initialise_world(p, StreamKey{8, 0});
    step_shocks(w, p);
    Project pr;
    pr.association = 0;
    pr.commune = w.associations.commune[0];
    pr.sector = Sector::water;
    pr.state = ProjectState::implementing;
    pr.cost_xof = 30000000;
    pr.overrun_xof = overrun;
    pr.start_month = 0;
    pr.duration_months = 1;
    w.projects.push_back(pr);
    w.associations.project[0] = 0;
    w.associations.stage[0] = Stage::implementing;
    w.associations.treasury_xof[0] = treasury;
    w.month = 1;
    return w;
}

}  // namespace

TEST_CASE("The abandonment hazard multiplies h0, commune risk, shocks, TA and registration", "[projects]") {
    Params p = testing::small_params(2000);
    p.sectors[0].abandonment_hazard = 0.01;
    p.associations.unregistered_hazard_factor = 2.0;
    World w = world_with_project(p, 0, 0);
    w.communes.risk[w.projects[0].commune] = 1.5;
    w.associations.registered[0] = 0;
    CHECK(abandonment_hazard(w, p, w.projects[0]) == Approx(0.01 * 1.5 * 2.0));
    w.associations.registered[0] = 1;
    CHECK(abandonment_hazard(w, p, w.projects[0]) == Approx(0.015));
}

TEST_CASE("A project completes when its overrun is paid, serving people within the unmet need", "[projects]") {
    Params p = testing::small_params(2000);
    p.sectors[0].abandonment_hazard = 0.0;
    World w = world_with_project(p, 5000000, 3000000);
    const std::size_t c = std::size_t(w.projects[0].commune);
    const std::int64_t need = w.communes.population[c] - w.communes.served_initial[c][0];
    step_projects(w, p);
    CHECK(w.projects[0].state == ProjectState::operating);
    CHECK(w.associations.treasury_xof[0] == 2000000);
    CHECK(w.events.association_spending == 3000000);
    CHECK(w.projects[0].served == std::min(p.sectors[0].beneficiaries, need));
    CHECK(w.communes.served[c][0] == w.projects[0].served);
    CHECK(w.associations.stage[0] == Stage::idle);
}

TEST_CASE("A project whose overrun cannot be paid stalls", "[projects]") {
    Params p = testing::small_params(2000);
    p.sectors[0].abandonment_hazard = 0.0;
    World w = world_with_project(p, 1000000, 3000000);
    step_projects(w, p);
    CHECK(w.projects[0].state == ProjectState::implementing);
    CHECK(w.projects[0].stalled);
    CHECK(w.associations.treasury_xof[0] == 1000000);
}

TEST_CASE("A project under way outside the pipeline finishes without touching the association's next idea",
          "[projects]") {
    Params p = testing::small_params(2000);
    p.sectors[0].abandonment_hazard = 0.0;
    p.associations.projects_under_way_max = 2;
    World w = world_with_project(p, 1000000, 3000000);
    // The works left the pipeline when they began; the pipeline holds the next idea.
    w.associations.project[0] = -1;
    w.associations.stage[0] = Stage::idle;
    w.associations.under_way[0] = 1;
    Project idea = w.projects[0];
    idea.state = ProjectState::fundraising;
    w.projects.push_back(idea);
    w.associations.project[0] = 1;
    w.associations.stage[0] = Stage::fundraising;
    step_projects(w, p);  // cannot pay its overrun: stalls
    CHECK(w.projects[0].stalled);
    CHECK(w.associations.stalled[0] == 1);
    w.month = 2;
    w.associations.treasury_xof[0] = 3000000;
    step_projects(w, p);  // pays it and completes
    CHECK(w.projects[0].state == ProjectState::operating);
    CHECK(w.associations.under_way[0] == 0);
    CHECK(w.associations.stalled[0] == 0);
    CHECK(w.associations.project[0] == 1);
    CHECK(w.associations.stage[0] == Stage::fundraising);
}

TEST_CASE("An operating project pays maintenance m x C / 12 and breaks down at b1 when it cannot", "[projects]") {
    Params p = testing::small_params(2000);
    p.sectors[0].abandonment_hazard = 0.0;
    p.sectors[0].maintenance_share_per_year = 0.12;
    p.sectors[0].breakdown_hazard = 0.0;
    p.sectors[0].breakdown_hazard_unpaid = 1.0;
    World w = world_with_project(p, 400000, 0);
    step_projects(w, p);  // completes
    w.month = 2;
    step_projects(w, p);  // pays 300,000 of maintenance
    CHECK(w.associations.treasury_xof[0] == 100000);
    CHECK(w.events.maintenance_paid == 300000);
    CHECK(w.projects[0].state == ProjectState::operating);
    w.month = 3;
    step_projects(w, p);  // cannot pay: breaks down with b1 = 1
    CHECK(w.projects[0].state == ProjectState::broken);
    CHECK(w.communes.served[std::size_t(w.projects[0].commune)][0] == 0);
}

namespace {

// A broken project of association 0 whose repair the treasury can pay, after
// `months` months of the repair rule.
ProjectState after_months_broken(double repair_rate, int months) {
    Params p = testing::small_params(2000);
    p.sectors[0].abandonment_hazard = 0.0;
    p.sectors[0].repair_rate = repair_rate;
    p.sectors[0].decommission_after_broken_months = 1000;
    World w = world_with_project(p, 100000000, 0);
    step_projects(w, p);  // completes
    Project& pr = w.projects[0];
    pr.state = ProjectState::broken;
    pr.broken_since = w.month;
    w.communes.served[std::size_t(pr.commune)][0] -= pr.served;
    pr.served = 0;
    for (int t = 0; t < months && w.projects[0].state == ProjectState::broken; ++t) {
        ++w.month;
        step_projects(w, p);
    }
    return w.projects[0].state;
}

}  // namespace

TEST_CASE("A broken project is repaired only once its repair is organised, at repair_rate a month", "[projects]") {
    CHECK(after_months_broken(1.0, 1) == ProjectState::operating);  // as soon as affordable
    CHECK(after_months_broken(0.0, 120) == ProjectState::broken);   // never organised, though affordable
    // At 0.03 a month the repair waits, but within 20 years it is organised
    // but for a chance of 0.97^240 < 0.1 %.
    CHECK(after_months_broken(0.03, 240) == ProjectState::operating);
}
