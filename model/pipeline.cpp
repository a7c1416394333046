// The association pipeline (docs/model.md 7.5).
//
// Associations advance serially in index order: the pipeline creates
// projects (an append to the project list) and competes for commune budgets,
// and a fixed order keeps that deterministic. Associations are thousands, so
// this costs little next to the migrant loops.
#include "codev/pipeline.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "codev/money.hpp"
#include "codev/programmes.hpp"
#include "codev/rng.hpp"

namespace codev {

std::int64_t unmet_need(const World& world, std::size_t c, int s) {
    const Communes& cm = world.communes;
    return std::max<std::int64_t>(0, cm.population[c] - cm.served_initial[c][s] - cm.served[c][s]);
}

namespace {

// The members' share of a project of sector s at its median cost, under the
// programme that would pay most for it (none: the whole cost).
std::int64_t members_share_at_median(const World& world, const Params& params, std::int32_t a, int s) {
    const std::int64_t cost = std::max<std::int64_t>(1, round_xof(params.sectors[s].cost_median_xof));
    const int p = best_programme(world, params, a, Sector(s), cost);
    if (p < 0) return cost;
    const ProgrammeParams& pp = params.programmes[p];
    return std::max<std::int64_t>(0, cost - public_amount(pp, cost) - commune_amount(pp, cost));
}

// Whether association a could raise its share of a sector-s project within
// planning_months at last month's rate, with what it holds: a match brings
// costlier sectors within reach (docs/model.md 7.5).
bool within_reach(const World& world, const Params& params, std::int32_t a, int s) {
    const int months = params.associations.planning_months;
    if (months <= 0) return true;
    const Associations& as = world.associations;
    const double reach = double(as.treasury_xof[a]) + double(std::max<std::int64_t>(0, as.inflow_xof[a])) * months;
    return double(members_share_at_median(world, params, a, s)) <= reach;
}

// Sector of greatest weighted unmet need (as a share of the population), with
// noise, among the sectors where people are still unserved (an association
// does not build what its village already has) and whose cost is within the
// association's reach. -1 when no sector qualifies (no project this month).
// The five noises are drawn in every case, so the stream stays aligned.
int choose_sector(const World& world, const Params& params, std::int32_t a, std::size_t c, Stream& stream) {
    int best = -1;
    double best_score = -1e300;
    const double population = double(std::max<std::int64_t>(1, world.communes.population[c]));
    for (int s = 0; s < SECTOR_COUNT; ++s) {
        const double noise = params.associations.need_noise * stream.normal();
        const std::int64_t need = unmet_need(world, c, s);
        const double score = params.sectors[s].weight * double(need) / population + noise;
        if (params.sectors[s].weight > 0.0 && need > 0 && score > best_score && within_reach(world, params, a, s))
            best = s, best_score = score;
    }
    return best;
}

void start_idea(World& world, const Params& params, std::int32_t a) {
    Associations& as = world.associations;
    const std::size_t c = std::size_t(as.commune[a]);
    Stream stream(world.key, std::uint64_t(a), Process::association_idea, std::uint32_t(world.month));
    if (stream.uniform() >= params.associations.idea_rate) return;
    const int sector = choose_sector(world, params, a, c, stream);
    if (sector < 0) return;
    Project pr;
    pr.association = a;
    pr.commune = std::int32_t(c);
    pr.sector = Sector(sector);
    const SectorParams& sp = params.sectors[int(pr.sector)];
    pr.cost_xof = std::max<std::int64_t>(1, round_xof(stream.lognormal(sp.cost_median_xof, sp.cost_sigma)));
    pr.programme = std::int8_t(best_programme(world, params, a, pr.sector, pr.cost_xof));
    if (pr.programme >= 0) {
        const ProgrammeParams& pp = params.programmes[pr.programme];
        pr.public_xof = public_amount(pp, pr.cost_xof);
        pr.commune_xof = commune_amount(pp, pr.cost_xof);
    }
    pr.migrant_target_xof = std::max<std::int64_t>(0, pr.cost_xof - pr.public_xof - pr.commune_xof);
    pr.expected_public_share = double(pr.public_xof + pr.commune_xof) / double(pr.cost_xof);
    pr.idea_month = world.month;
    as.project[a] = std::int32_t(world.projects.size());
    as.stage[a] = Stage::fundraising;
    world.projects.push_back(pr);
}

void fundraise(World& world, const Params& params, std::int32_t a) {
    Associations& as = world.associations;
    Project& pr = world.projects[as.project[a]];
    if (as.treasury_xof[a] >= pr.migrant_target_xof) {
        if (pr.programme >= 0) {
            pr.state = ProjectState::applied;
            pr.applied_month = world.month;
            as.stage[a] = Stage::applying;
        } else {
            start_project(world, params, as.project[a]);
        }
    } else if (world.month - pr.idea_month >= params.associations.max_fundraising_months) {
        pr.state = ProjectState::dropped;  // the idea is given up; the treasury keeps what was raised
        as.stage[a] = Stage::idle;
        as.project[a] = -1;
    }
}

}  // namespace

void switch_to_self_financing(Project& pr) {
    pr.programme = -1;
    pr.technical_assistance = pr.skills_mission = 0;  // a programme's help goes with it
    pr.public_xof = pr.commune_xof = 0;
    pr.migrant_target_xof = pr.cost_xof;
    pr.expected_public_share = 0.0;
}

void start_project(World& world, const Params& params, std::int32_t index) {
    Project& pr = world.projects[index];
    Associations& as = world.associations;
    const SectorParams& sp = params.sectors[int(pr.sector)];
    Stream stream(world.key, std::uint64_t(pr.association), Process::project_draws, std::uint32_t(world.month));
    const double duration =
        stream.lognormal(sp.duration_median_months, sp.duration_sigma) * world.conditions.delay_m[pr.commune];
    pr.duration_months = std::max(1, int(std::lround(duration)));
    const double ta_overrun =
        pr.technical_assistance ? params.programmes[pr.programme].technical_assistance.overrun_factor : 1.0;
    const double mission_overrun =
        pr.skills_mission ? params.programmes[pr.programme].skills_missions.overrun_factor : 1.0;
    pr.overrun_factor = std::exp(std::fabs(stream.normal() * sp.overrun_sigma * ta_overrun * mission_overrun));
    pr.overrun_xof = round_xof(std::floor((pr.overrun_factor - 1.0) * double(pr.cost_xof)));
    // The association pays its share now (docs/model.md 9, invariant 1: out of the treasury).
    as.treasury_xof[pr.association] -= pr.migrant_target_xof;
    pr.paid_migrants_xof = pr.migrant_target_xof;
    world.events.association_spending += pr.migrant_target_xof;
    if (pr.programme >= 0) world.events.cofinanced_association_spending += pr.migrant_target_xof;
    pr.paid_commune_xof = pr.commune_xof;
    world.events.commune_cofinancing_paid += pr.commune_xof;
    if (pr.technical_assistance) {
        const std::int64_t cost = params.programmes[pr.programme].technical_assistance.cost_xof;
        world.events.technical_assistance_paid += cost;
        world.programmes[pr.programme].month[int(ProgrammeSeries::assistance_paid)] += cost;
    }
    pr.state = ProjectState::implementing;
    pr.start_month = world.month;
    if (params.associations.projects_under_way_max > 1) {
        // The works go on without the pipeline, which takes the next idea
        // (docs/model.md 7.5); step 7 walks every project anyway.
        as.stage[pr.association] = Stage::idle;
        as.project[pr.association] = -1;
        ++as.under_way[pr.association];
    } else {
        as.stage[pr.association] = Stage::implementing;
    }
    ++world.events.started[int(pr.sector)];
}

namespace {

// Each association's reserve: reserve_upkeep_years of the maintenance of the
// projects it owns that work or are broken, plus one repair of each.
std::vector<std::int64_t> reserves(const World& world, const Params& params) {
    std::vector<std::int64_t> reserve(world.associations.size(), 0);
    const double years = params.associations.reserve_upkeep_years;
    for (const Project& pr : world.projects) {
        if (pr.state != ProjectState::operating && pr.state != ProjectState::broken) continue;
        const SectorParams& sp = params.sectors[int(pr.sector)];
        const double upkeep = years * sp.maintenance_share_per_year + sp.repair_cost_share;
        reserve[pr.association] = add_xof(reserve[pr.association], round_xof(std::floor(upkeep * double(pr.cost_xof))));
    }
    return reserve;
}

// The reserve rule: money is raised for a purpose. An association with no
// project in its pipeline keeps its reserve and passes the rest to its
// members' solidarity fund, spent in the host country on emergencies and the
// repatriation of bodies (docs/model.md 7.5).
void pass_surplus_to_solidarity(World& world, std::int32_t a, std::int64_t reserve) {
    std::int64_t& treasury = world.associations.treasury_xof[a];
    if (treasury <= reserve) return;
    world.events.solidarity_spending += treasury - reserve;
    treasury = reserve;
}

}  // namespace

void step_pipeline(World& world, const Params& params) {
    Associations& as = world.associations;
    const bool solidarity = params.associations.solidarity_fund;
    const std::vector<std::int64_t> reserve = solidarity ? reserves(world, params) : std::vector<std::int64_t>{};
    for (std::int32_t a = 0; a < std::int32_t(as.size()); ++a) {
        if (as.status[a] != Status::active) {
            // A dormant association holds no project campaign: idle money above
            // its reserve goes to solidarity, but it draws no ideas (7.5.1).
            if (solidarity && as.status[a] == Status::dormant) pass_surplus_to_solidarity(world, a, reserve[a]);
            continue;
        }
        switch (as.stage[a]) {
            case Stage::idle:
                // Money is kept while works are under way: their overruns
                // are paid at the end (docs/model.md 7.7).
                if (solidarity && as.under_way[a] == 0) pass_surplus_to_solidarity(world, a, reserve[a]);
                if (as.under_way[a] < params.associations.projects_under_way_max) start_idea(world, params, a);
                break;
            case Stage::fundraising:
                fundraise(world, params, a);
                break;
            case Stage::approved: {
                const Project& pr = world.projects[as.project[a]];
                if (world.month >= pr.start_month && as.treasury_xof[a] >= pr.migrant_target_xof)
                    start_project(world, params, as.project[a]);
                break;
            }
            case Stage::applying: {
                // An applicant keeps its application until a call decides,
                // even once it could pay the whole cost: the grant pays for
                // most of the project. Once refused, the grant is uncertain
                // and a year away, so an applicant that can pay the whole
                // cost builds alone rather than wait for the next call
                // (docs/model.md 7.5).
                Project& pr = world.projects[as.project[a]];
                if (pr.tries > 0 && as.treasury_xof[a] >= pr.cost_xof) {
                    switch_to_self_financing(pr);
                    start_project(world, params, as.project[a]);
                }
                break;
            }
            case Stage::implementing:
                break;  // moved on by the programme and project steps
        }
    }
}

}  // namespace codev
