// Projects (docs/model.md 7.7): implementation, completion, maintenance, breakdown,
// repair and decommissioning.
//
// Projects are walked serially in index order: several projects of one
// association pay from the same treasury, and the order decides who is paid
// first when money is short. Projects are few next to migrants.
#include "codev/projects.hpp"

#include <algorithm>
#include <cmath>

#include "codev/money.hpp"
#include "codev/pipeline.hpp"
#include "codev/rng.hpp"

namespace codev {

double abandonment_hazard(const World& world, const Params& params, const Project& pr) {
    double h = params.sectors[int(pr.sector)].abandonment_hazard * world.communes.risk[pr.commune] *
               world.conditions.risk_m[pr.commune];
    if (pr.technical_assistance) h *= params.programmes[pr.programme].technical_assistance.failure_factor;
    if (pr.skills_mission) h *= params.programmes[pr.programme].skills_missions.failure_factor;
    if (!world.associations.registered[pr.association]) h *= params.associations.unregistered_hazard_factor;
    return h;
}

namespace {

// People the project can serve now: its beneficiaries, bounded by the
// commune's unmet need so people served never exceed the population.
void serve(World& world, const Params& params, Project& pr) {
    const int s = int(pr.sector);
    pr.served = std::min(params.sectors[s].beneficiaries, unmet_need(world, std::size_t(pr.commune), s));
    world.communes.served[pr.commune][s] += pr.served;
}

void unserve(World& world, Project& pr) {
    world.communes.served[pr.commune][int(pr.sector)] -= pr.served;
    pr.served = 0;
}

// The project is done with (completed or abandoned): it frees the
// association's pipeline, or, when it had left the pipeline as its works
// began (projects_under_way_max > 1), one of its projects under way.
void finish_association_project(World& world, Project& pr) {
    Associations& as = world.associations;
    const std::int32_t a = pr.association;
    if (pr.stalled) {
        pr.stalled = false;
        --as.stalled[a];
    }
    if (as.project[a] >= 0 && &world.projects[std::size_t(as.project[a])] == &pr) {
        as.stage[a] = Stage::idle;
        as.project[a] = -1;
    } else {
        --as.under_way[a];
    }
}

void abandon(World& world, const Params& params, Project& pr) {
    pr.state = ProjectState::abandoned;
    if (pr.programme >= 0) {
        // The grant not yet paid goes back to the programme's budget.
        ProgrammeState& st = world.programmes[pr.programme];
        const std::int64_t unpaid = pr.public_xof - pr.paid_programme_xof;
        st.available_xof += unpaid;
        st.year_budget_xof += unpaid;
        st.returned_total_xof += unpaid;
        world.events.programme_returned += unpaid;
    }
    (void)params;
    finish_association_project(world, pr);
    ++world.associations.abandoned_now[pr.association];
    ++world.associations.failed_total[pr.association];
    ++world.communes.abandoned_now[pr.commune];
    ++world.events.abandoned[int(pr.sector)];
}

void complete(World& world, const Params& params, Project& pr) {
    pr.state = ProjectState::operating;
    pr.completion_month = world.month;
    serve(world, params, pr);
    finish_association_project(world, pr);
    ++world.associations.completed_now[pr.association];
    ++world.associations.completed_total[pr.association];
    ++world.communes.completed_now[pr.commune];
    ++world.events.completed[int(pr.sector)];
    world.events.idea_to_completion_months += world.month - pr.idea_month;
    world.events.completed_value += pr.cost_xof + pr.overrun_xof;
    if (pr.programme >= 0) {
        ++world.events.cofinanced_completed;
        ++world.programmes[pr.programme].completed_month[int(pr.sector)];
    }
}

void implement(World& world, const Params& params, Project& pr, std::uint32_t abandon_word) {
    if (bernoulli(abandon_word, abandonment_hazard(world, params, pr))) return abandon(world, params, pr);
    if (world.month - pr.start_month < pr.duration_months) return;
    // The overrun is found at the end of the works and paid by the association
    // (extra fundraising); until it is paid the project stalls (docs/model.md 7.7).
    std::int64_t& treasury = world.associations.treasury_xof[pr.association];
    if (treasury < pr.overrun_xof) {
        if (!pr.stalled) ++world.associations.stalled[pr.association];
        pr.stalled = true;
        return;
    }
    treasury -= pr.overrun_xof;
    world.events.association_spending += pr.overrun_xof;
    if (pr.programme >= 0) world.events.cofinanced_association_spending += pr.overrun_xof;
    complete(world, params, pr);
}

void operate(World& world, const Params& params, Project& pr, std::uint32_t breakdown_word) {
    const SectorParams& sp = params.sectors[int(pr.sector)];
    std::int64_t& treasury = world.associations.treasury_xof[pr.association];
    const std::int64_t due = round_xof(std::floor(sp.maintenance_share_per_year * double(pr.cost_xof) / 12.0));
    double hazard = sp.breakdown_hazard_unpaid;
    if (treasury >= due) {
        treasury -= due;
        world.events.maintenance_paid += due;
        hazard = sp.breakdown_hazard;
    }
    // A mission that planned the upkeep makes breakdowns rarer (7.6.9).
    if (pr.skills_mission) hazard *= params.programmes[pr.programme].skills_missions.breakdown_factor;
    if (!bernoulli(breakdown_word, hazard)) return;
    pr.state = ProjectState::broken;
    pr.broken_since = world.month;
    unserve(world, pr);
}

}  // namespace

std::int64_t repair_cost(const Params& params, const Project& project) {
    return round_xof(std::floor(params.sectors[int(project.sector)].repair_cost_share * double(project.cost_xof)));
}

void repair(World& world, const Params& params, Project& project) {
    project.state = ProjectState::operating;
    project.broken_since = -1;
    serve(world, params, project);
}

namespace {

// A repair needs organising (a diagnosis, parts, a mechanic, the money
// gathered) before it can be paid: it is organised in a month with
// probability repair_rate, and then paid by the association if it can.
void repair_or_decommission(World& world, const Params& params, Project& pr, std::uint32_t repair_word) {
    const SectorParams& sp = params.sectors[int(pr.sector)];
    std::int64_t& treasury = world.associations.treasury_xof[pr.association];
    const std::int64_t cost = repair_cost(params, pr);
    if (bernoulli(repair_word, sp.repair_rate) && treasury >= cost) {
        treasury -= cost;
        world.events.maintenance_paid += cost;
        repair(world, params, pr);
    } else if (world.month - pr.broken_since >= sp.decommission_after_broken_months) {
        pr.state = ProjectState::decommissioned;
        ++world.events.decommissioned[int(pr.sector)];
    }
}

}  // namespace

void step_projects(World& world, const Params& params) {
    const std::uint32_t month = std::uint32_t(world.month);
    for (std::size_t i = 0; i < world.projects.size(); ++i) {
        Project& pr = world.projects[i];
        const auto state = pr.state;
        if (state != ProjectState::implementing && state != ProjectState::operating && state != ProjectState::broken)
            continue;
        const auto w = draw4(world.key, std::uint64_t(i), Process::project_month, month);
        if (state == ProjectState::implementing)
            implement(world, params, pr, w[0]);
        else if (state == ProjectState::operating)
            operate(world, params, pr, w[1]);
        else
            repair_or_decommission(world, params, pr, w[2]);
    }
}

}  // namespace codev
