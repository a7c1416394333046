// Observation (docs/model.md section 8).
#include "codev/observation.hpp"

#include <algorithm>
#include <cmath>

#include "codev/money.hpp"

namespace codev {

void reset_month_counters(World& world) {
    world.events = MonthEvents{};
    for (ProgrammeState& p : world.programmes) {
        p.month = {};
        p.completed_month = {};
    }
    std::fill(world.associations.completed_now.begin(), world.associations.completed_now.end(), 0);
    std::fill(world.associations.abandoned_now.begin(), world.associations.abandoned_now.end(), 0);
    std::fill(world.communes.completed_now.begin(), world.communes.completed_now.end(), 0);
    std::fill(world.communes.abandoned_now.begin(), world.communes.abandoned_now.end(), 0);
}

void record_opening(const World& world, JobRecord& record) {
    std::int64_t treasury = 0;
    for (std::int64_t v : world.associations.treasury_xof) treasury = add_xof(treasury, v);
    record.at(0, Series::association_treasury_opening) = treasury;
    for (const Project& pr : world.projects)
        if (pr.state == ProjectState::operating || pr.state == ProjectState::broken)
            ++record.at(0, SectorSeries::projects_in_service_opening, int(pr.sector));
}

namespace {

void record_tallies(const World& world, JobRecord& r, int t) {
    CommuneTally sum;
    // Money sums are checked (add_xof): an overflow is reported, never wrapped.
    for (const CommuneTally& c : world.tally) {
        sum.alive += c.alive;
        sum.employed += c.employed;
        sum.members += c.members;
        sum.remit_formal = add_xof(sum.remit_formal, c.remit_formal);
        sum.remit_informal = add_xof(sum.remit_informal, c.remit_informal);
        sum.remit_fees = add_xof(sum.remit_fees, c.remit_fees);
        sum.dues = add_xof(sum.dues, c.dues);
        sum.contributions = add_xof(sum.contributions, c.contributions);
        sum.association_fees = add_xof(sum.association_fees, c.association_fees);
        sum.member_trust_sum += c.member_trust_sum;
    }
    r.at(t, Series::migrants) = sum.alive;
    r.at(t, Series::migrants_employed) = sum.employed;
    r.at(t, Series::association_members) = sum.members;
    r.at(t, Series::remit_formal) = sum.remit_formal;
    r.at(t, Series::remit_informal) = sum.remit_informal;
    r.at(t, Series::remit_fees) = sum.remit_fees;
    r.at(t, Series::dues_paid) = sum.dues;
    r.at(t, Series::contributions_paid) = sum.contributions;
    r.at(t, Series::association_fees) = sum.association_fees;
    r.mean_trust[t] = sum.members > 0 ? sum.member_trust_sum / double(sum.members) : 0.0;
}

void record_events(const World& world, const Params& params, JobRecord& r, int t) {
    const MonthEvents& e = world.events;
    r.at(t, Series::association_spending) = e.association_spending;
    r.at(t, Series::maintenance_paid) = e.maintenance_paid;
    r.at(t, Series::solidarity_spending) = e.solidarity_spending;
    r.at(t, Series::programme_disbursed) = e.programme_disbursed;
    r.at(t, Series::technical_assistance_paid) = e.technical_assistance_paid;
    r.at(t, Series::commune_cofinancing_paid) = e.commune_cofinancing_paid;
    r.at(t, Series::loan_disbursed) = e.loan_disbursed;
    r.at(t, Series::debt_service_paid) = e.debt_service_paid;
    r.at(t, Series::programme_budget_opened) = e.programme_budget_opened;
    r.at(t, Series::programme_committed) = e.programme_committed;
    r.at(t, Series::programme_returned) = e.programme_returned;
    r.at(t, Series::cofinanced_projects_completed) = e.cofinanced_completed;
    r.at(t, Series::cofinanced_association_spending) = e.cofinanced_association_spending;
    r.at(t, Series::reinsertion_grants_paid) = e.reinsertion_grants_paid;
    r.at(t, Series::reinsertion_businesses_started) = e.reinsertion_businesses_started;
    double jobs = 0.0;
    for (std::size_t p = 0; p < world.programmes.size(); ++p)
        for (const std::int64_t open : world.programmes[p].businesses) {
            r.at(t, Series::reinsertion_businesses_open) += open;
            jobs += double(open) * params.programmes[p].reinsertion.jobs_per_business;
        }
    r.at(t, Series::reinsertion_jobs) = std::int64_t(std::llround(jobs));
    for (int s = 0; s < SECTOR_COUNT; ++s) {
        r.at(t, SectorSeries::projects_started, s) = e.started[s];
        r.at(t, SectorSeries::projects_completed, s) = e.completed[s];
        r.at(t, SectorSeries::projects_abandoned, s) = e.abandoned[s];
    }
    r.idea_to_completion_months[t] = e.idea_to_completion_months;
    r.completed_value[t] = e.completed_value;
    r.at(t, Series::associations_founded) = e.associations_founded;
    r.at(t, Series::associations_dissolved) = e.associations_dissolved;
    r.at(t, Series::registrations) = e.registrations;
    r.at(t, Series::registrations_supported) = e.registrations_supported;
    const Associations& as = world.associations;
    for (std::size_t a = 0; a < as.size(); ++a) {
        const bool active = as.status[a] == Status::active, dormant = as.status[a] == Status::dormant;
        r.at(t, Series::associations_active) += active;
        r.at(t, Series::associations_dormant) += dormant;
        r.at(t, Series::associations_registered) += (active || dormant) && as.registered[a];
    }
    std::int64_t treasury = 0, available = 0;
    for (std::int64_t v : world.associations.treasury_xof) treasury = add_xof(treasury, v);
    for (const ProgrammeState& p : world.programmes) available = add_xof(available, p.available_xof);
    r.at(t, Series::association_treasury) = treasury;
    r.at(t, Series::programme_budget_available) = available;
    for (int p = 0; p < r.programmes; ++p) {
        const ProgrammeState& state = world.programmes[std::size_t(p)];
        for (int k = 0; k < PROGRAMME_SERIES_COUNT; ++k) r.at(t, p, ProgrammeSeries(k)) = state.month[k];
        for (int s = 0; s < SECTOR_COUNT; ++s) r.completed(t, p, s) = state.completed_month[s];
    }
}

void record_projects(const World& world, JobRecord& r, int t, bool year_end) {
    for (const Project& pr : world.projects) {
        const int s = int(pr.sector);
        if (pr.state == ProjectState::operating) {
            ++r.at(t, SectorSeries::projects_operating, s);
            r.at(t, SectorSeries::people_served, s) += pr.served;
            if (year_end) ++r.yearly_operating(t / 12, pr.commune, s);
        } else if (pr.state == ProjectState::broken) {
            ++r.at(t, SectorSeries::projects_broken, s);
        }
    }
    if (!year_end) return;
    for (std::size_t c = 0; c < world.communes.size(); ++c) {
        for (int s = 0; s < SECTOR_COUNT; ++s) r.yearly_served(t / 12, int(c), s) = world.communes.served[c][s];
        r.population(t / 12, int(c)) = world.communes.population[c];
    }
}

}  // namespace

void observe(const World& world, const Params& params, JobRecord& record) {
    const int t = world.month;
    record_tallies(world, record, t);
    record_events(world, params, record, t);
    record_projects(world, record, t, t % 12 == 11 || t + 1 == params.months);
}

}  // namespace codev
