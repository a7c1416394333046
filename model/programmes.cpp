// Programmes (docs/model.md 7.6): budgets, loans, calls, selection, tranches.
//
// Programmes run serially, in the order of the scenario, once per month after
// the association pipeline: they touch few entities (applications, projects),
// and a fixed order makes the competition for one budget deterministic.
#include "codev/programmes.hpp"

#include <algorithm>
#include <cmath>

#include "codev/association_life.hpp"
#include "codev/money.hpp"
#include "codev/pipeline.hpp"
#include "codev/rng.hpp"

namespace codev {

std::int64_t public_amount(const ProgrammeParams& programme, std::int64_t cost_xof) {
    const double c = double(cost_xof);
    const double raw =
        programme.rule == Rule::share ? programme.share * c : programme.ratio * c / (1.0 + programme.ratio);
    return std::min(programme.cap_xof, round_xof(std::floor(raw)));
}

std::int64_t commune_amount(const ProgrammeParams& programme, std::int64_t cost_xof) {
    return round_xof(std::floor(programme.commune_share * double(cost_xof)));
}

std::uint32_t programme_stream_key(const std::string& name) {
    std::uint32_t hash = 2166136261u;  // FNV-1a
    for (const char c : name) hash = (hash ^ std::uint8_t(c)) * 16777619u;
    return hash;
}

bool programme_active(const ProgrammeParams& pp, int year) { return year >= pp.start_year && year <= pp.end_year; }

namespace {

bool active(const ProgrammeParams& pp, int year) { return programme_active(pp, year); }

}  // namespace

bool is_eligible(const World& world, const Params& params, int p, std::int32_t a, Sector sector) {
    const ProgrammeParams& pp = params.programmes[p];
    const Associations& as = world.associations;
    if (!pp.eligible_sectors[int(sector)] || !active(pp, world.month / 12)) return false;
    if (as.status[a] != Status::active || world.month < 0) return false;  // none is open in the spin-up
    if (pp.require_registered && !as.registered[a]) return false;
    return world.month - as.created_month[a] >= pp.min_association_age_months;
}

int best_programme(const World& world, const Params& params, std::int32_t a, Sector sector, std::int64_t cost_xof) {
    int best = -1;
    std::int64_t best_amount = 0;
    for (int p = 0; p < int(params.programmes.size()); ++p) {
        if (!is_eligible(world, params, p, a, sector)) continue;
        // Below the floor the programme does not consider the project at all.
        const std::int64_t grant = public_amount(params.programmes[p], cost_xof);
        if (grant < params.programmes[p].floor_xof) continue;
        const std::int64_t amount = grant + commune_amount(params.programmes[p], cost_xof);
        if (amount > best_amount) best = p, best_amount = amount;
    }
    return best;
}

namespace {

// The loan money the programme may have drawn by the end of programme year k
// (docs/model.md 7.6.4): the cumulative shares of the availability schedule,
// the last year reaching the whole amount; 0 outside the schedule, whose end
// cancels what was never drawn.
std::int64_t loan_ceiling(const LoanParams& loan, int programme_year) {
    const int years = int(loan.disbursement.size());
    if (!loan.enabled || programme_year < 0 || programme_year >= years) return 0;
    if (programme_year + 1 == years) return loan.amount_xof;
    double share = 0.0;
    for (int y = 0; y <= programme_year; ++y) share += loan.disbursement[y];
    return std::min(loan.amount_xof, round_xof(share * double(loan.amount_xof)));
}

std::int64_t loan_drawable(const ProgrammeParams& pp, const ProgrammeState& st, int year) {
    return std::max<std::int64_t>(0, loan_ceiling(pp.loan, year - pp.start_year) - st.loan_disbursed_total_xof);
}

// Pays what it can of the debt service due (and of earlier arrears) from
// the budget: the State's budget line for the programme services its loan
// before it funds new commitments. What it cannot pay stays in arrears.
void pay_debt_service(World& world, ProgrammeState& st, std::int64_t due) {
    st.debt_arrears_xof = add_xof(st.debt_arrears_xof, due);
    const std::int64_t paid = std::min(st.debt_arrears_xof, st.available_xof);
    st.debt_arrears_xof -= paid;
    st.available_xof -= paid;
    st.debt_service_total_xof += paid;
    st.month[int(ProgrammeSeries::debt_service_paid)] += paid;
    world.events.debt_service_paid += paid;
}

void open_year(World& world, const ProgrammeParams& pp, ProgrammeState& st, int year) {
    std::int64_t fresh = 0;
    if (active(pp, year)) {
        fresh = pp.budget_per_year_xof;
        if (pp.total_budget_xof > 0) fresh = std::min(fresh, pp.total_budget_xof - st.granted_total_xof);
        st.granted_total_xof += fresh;
        world.events.programme_budget_opened = add_xof(world.events.programme_budget_opened, fresh);
    }
    // Without carry-over, what was not committed last year lapses. Carried
    // budgets grow year on year: the sum is checked (MoneyOverflow).
    if (pp.carry_over == CarryOver::none) {
        st.lapsed_total_xof += st.available_xof;
        st.available_xof = 0;
    }
    st.available_xof = add_xof(st.available_xof, fresh);
    pay_debt_service(world, st, 0);  // arrears first
    st.year_budget_xof = st.available_xof;
    st.committed_this_year_xof = 0;
    st.missions_this_year = 0;
    st.reinsertions_this_year = 0;
}

// Interest on the outstanding principal every month; after the grace period,
// the principal in equal monthly instalments of what was drawn, over the
// rest of the tenor. Both fall due on the programme's budget.
void service_debt(World& world, const ProgrammeParams& pp, ProgrammeState& st) {
    const LoanParams& loan = pp.loan;
    if (!loan.enabled) return;
    std::int64_t interest = 0, principal = 0;
    if (st.loan_outstanding_xof > 0) {
        interest = round_xof(double(st.loan_outstanding_xof) * loan.interest_rate / 12.0);
        const int months_in = world.month - pp.start_year * 12;
        if (months_in >= loan.grace_years * 12) {
            const int repayment_months = std::max(1, (loan.tenor_years - loan.grace_years) * 12);
            principal = std::min(st.loan_outstanding_xof,
                                 round_xof(std::ceil(double(st.loan_disbursed_total_xof) / repayment_months)));
        }
        st.loan_outstanding_xof -= principal;
        st.principal_due_total_xof += principal;
    }
    pay_debt_service(world, st, interest + principal);
}

// Draws on the loan what an accepted project needs beyond the budget, if
// the schedule allows it: loan money follows commitments (docs/model.md
// 7.6.4). Returns whether the budget then covers the need.
bool cover_from_loan(World& world, const ProgrammeParams& pp, ProgrammeState& st, std::int64_t need) {
    if (need <= st.available_xof) return true;
    const std::int64_t draw = need - st.available_xof;
    if (draw > loan_drawable(pp, st, world.month / 12)) return false;
    st.available_xof += draw;
    st.year_budget_xof += draw;
    st.loan_outstanding_xof = add_xof(st.loan_outstanding_xof, draw);
    st.loan_disbursed_total_xof = add_xof(st.loan_disbursed_total_xof, draw);
    st.month[int(ProgrammeSeries::loan_disbursed)] += draw;
    world.events.loan_disbursed = add_xof(world.events.loan_disbursed, draw);
    return true;
}

// Calendar month (1-12) of model month t: with a start date, month 0 is the
// start date's month; without one, month 0 is January.
int calendar_month(const Params& params, int month) {
    int first = 1;
    if (params.start_date.size() >= 7) first = std::stoi(params.start_date.substr(5, 2));
    return (first - 1 + month) % 12 + 1;
}

bool is_call_month(const Params& params, const ProgrammeParams& pp, int month) {
    return std::find(pp.call_months.begin(), pp.call_months.end(), calendar_month(params, month)) !=
           pp.call_months.end();
}

struct Application {
    std::int32_t association;
    std::int32_t project;
    double order_key;  // smaller first
    bool passes_review;
};

std::vector<Application> applications(const World& world, const Params& params, int p) {
    const ProgrammeParams& pp = params.programmes[p];
    std::vector<Application> list;
    const Associations& a = world.associations;
    for (std::int32_t i = 0; i < std::int32_t(a.size()); ++i) {
        if (a.stage[i] != Stage::applying || world.projects[a.project[i]].programme != p) continue;
        const Project& pr = world.projects[a.project[i]];
        // An association applies to one programme at a time, so (association,
        // month) names the application: the draw does not depend on the
        // programme's place among the scenario's programmes, and a programme
        // added to a scenario leaves the others' reviews as they were
        // (mali-codev-history and its futures share their past).
        const auto w = draw4(world.key, std::uint64_t(i), Process::selection, std::uint32_t(world.month), 0);
        double key = 0.0;
        if (pp.selection == Selection::first_come) key = pr.applied_month;
        if (pp.selection == Selection::lottery) key = u01(w[1]);
        // need_ranked: largest unmet need per XOF of public money first.
        if (pp.selection == Selection::need_ranked)
            key = -double(unmet_need(world, std::size_t(pr.commune), int(pr.sector))) /
                  double(std::max<std::int64_t>(1, pr.public_xof));
        list.push_back({i, a.project[i], key, bernoulli(w[0], pp.approval_probability)});
    }
    std::stable_sort(list.begin(), list.end(),
                     [](const Application& x, const Application& y) { return x.order_key < y.order_key; });
    return list;
}

// The association gives up the programme and raises the whole cost itself.
void self_finance(World& world, std::int32_t association, Project& pr) {
    switch_to_self_financing(pr);
    pr.state = ProjectState::fundraising;
    world.associations.stage[association] = Stage::fundraising;
}

// A rejected application tries again at the next call, or after max_tries
// the association turns to self-financing the whole cost (docs/model.md 7.5).
void reject(World& world, const Params& params, const Application& app) {
    Project& pr = world.projects[app.project];
    if (++pr.tries < params.associations.max_tries) return;
    self_finance(world, app.association, pr);
}

// Applications still waiting when their programme has closed for good turn
// to self-financing: no call will ever answer them.
void release_closed(World& world, int p) {
    Associations& a = world.associations;
    for (std::int32_t i = 0; i < std::int32_t(a.size()); ++i)
        if (a.stage[i] == Stage::applying && world.projects[a.project[i]].programme == p)
            self_finance(world, i, world.projects[a.project[i]]);
}

// Commits `amount` of the programme's available budget (invariants 3 and 7
// of docs/model.md 9): the one path of every commitment.
void commit(World& world, ProgrammeState& st, std::int64_t amount) {
    st.available_xof -= amount;
    st.committed_this_year_xof += amount;
    st.committed_total_xof += amount;
    st.month[int(ProgrammeSeries::budget_committed)] += amount;
    world.events.programme_committed += amount;
}

// Whether the next project this programme accepts gets a skills mission
// (docs/model.md 7.6.9): while this year's missions last.
bool mission_left(const ProgrammeParams& pp, const ProgrammeState& st) {
    return pp.skills_missions.enabled && st.missions_this_year < pp.skills_missions.missions_per_year;
}

// What accepting the project commits: the grant, the technical assistance
// and a skills mission, if one is left.
std::int64_t commitment(const ProgrammeParams& pp, const ProgrammeState& st, const Project& pr) {
    const std::int64_t ta = pp.technical_assistance.enabled ? pp.technical_assistance.cost_xof : 0;
    const std::int64_t mission = mission_left(pp, st) ? pp.skills_missions.cost_xof : 0;
    return pr.public_xof + ta + mission;
}

void accept(World& world, const Params& params, int p, const Application& app) {
    const ProgrammeParams& pp = params.programmes[p];
    ProgrammeState& st = world.programmes[p];
    Project& pr = world.projects[app.project];
    pr.technical_assistance = pp.technical_assistance.enabled;
    commit(world, st, commitment(pp, st, pr));
    // The mission comes while the project is prepared: paid at approval.
    if (mission_left(pp, st)) {
        pr.skills_mission = 1;
        ++st.missions_this_year;
        ++st.month[int(ProgrammeSeries::skills_missions)];
        st.month[int(ProgrammeSeries::assistance_paid)] += pp.skills_missions.cost_xof;
        world.events.technical_assistance_paid += pp.skills_missions.cost_xof;
    }
    world.communes.cofinancing_left_xof[pr.commune] -= pr.commune_xof;
    pr.state = ProjectState::approved;
    ++st.month[int(ProgrammeSeries::projects_approved)];
    const double delay = pp.decision_delay_months * world.conditions.delay_m[pr.commune];
    pr.start_month = world.month + int(std::lround(delay));
    world.associations.stage[app.association] = Stage::approved;
}

void run_call(World& world, const Params& params, int p) {
    const ProgrammeParams& pp = params.programmes[p];
    for (const Application& app : applications(world, params, p)) {
        const Project& pr = world.projects[app.project];
        // The loan is drawn only for an application that passes everything
        // else and does not fit the budget.
        const bool admissible = app.passes_review &&
                                pr.commune_xof <= world.communes.cofinancing_left_xof[pr.commune] &&
                                is_eligible(world, params, p, app.association, pr.sector);
        if (admissible && cover_from_loan(world, pp, world.programmes[p], commitment(pp, world.programmes[p], pr)))
            accept(world, params, p, app);
        else
            reject(world, params, app);
    }
}

// Registration support (docs/model.md 7.6.8): each unregistered active
// association, in index order, registers at the support's rate if the
// programme can pay the file within what is available and this year's
// budget; the cost is committed and paid at once, as technical assistance.
void support_registrations(World& world, const ProgrammeParams& pp, ProgrammeState& st) {
    const RegistrationSupport& rs = pp.registration_support;
    Associations& as = world.associations;
    const double p_register = monthly_probability(rs.rate_per_year);
    for (std::int32_t a = 0; a < std::int32_t(as.size()); ++a) {
        if (as.status[a] != Status::active || as.registered[a]) continue;
        // Index 0 is the association's own registration draw; a programme's is
        // keyed by its name, not its place, so that forks can match programmes by name.
        const auto w = draw4(world.key, std::uint64_t(a), Process::association_life, std::uint32_t(world.month),
                             programme_stream_key(pp.name) | 1u);
        if (!bernoulli(w[0], p_register)) continue;
        if (!try_commit(world, st, rs.cost_xof)) continue;
        st.month[int(ProgrammeSeries::assistance_paid)] += rs.cost_xof;
        world.events.technical_assistance_paid += rs.cost_xof;
        as.registered[a] = 1;
        ++world.events.registrations;
        ++world.events.registrations_supported;
    }
}

// Pays every tranche whose point in the project's duration has been reached;
// the last tranche pays the remainder so the grant is paid exactly.
void pay_tranches(World& world, const Params& params) {
    for (Project& pr : world.projects) {
        if (pr.state != ProjectState::implementing || pr.programme < 0) continue;
        const ProgrammeParams& pp = params.programmes[pr.programme];
        const double elapsed = double(world.month - pr.start_month) / double(std::max(1, pr.duration_months));
        const int n = int(pp.tranche_shares.size());
        while (pr.tranches_paid < n && elapsed >= pp.tranche_at[pr.tranches_paid]) {
            const bool last = pr.tranches_paid + 1 == n;
            const std::int64_t amount =
                last ? pr.public_xof - pr.paid_programme_xof
                     : round_xof(std::floor(pp.tranche_shares[pr.tranches_paid] * double(pr.public_xof)));
            pr.paid_programme_xof += amount;
            world.programmes[pr.programme].month[int(ProgrammeSeries::grants_disbursed)] += amount;
            world.events.programme_disbursed += amount;
            ++pr.tranches_paid;
        }
    }
}

}  // namespace

bool try_commit(World& world, ProgrammeState& st, std::int64_t amount) {
    if (st.available_xof < amount || st.committed_this_year_xof + amount > st.year_budget_xof) return false;
    commit(world, st, amount);
    return true;
}

void step_programmes(World& world, const Params& params) {
    const int year = world.month / 12;
    if (world.month % 12 == 0) {
        world.communes.cofinancing_left_xof = world.communes.cofinancing_budget_xof_per_year;
        for (std::size_t p = 0; p < params.programmes.size(); ++p)
            open_year(world, params.programmes[p], world.programmes[p], year);
    }
    for (std::size_t p = 0; p < params.programmes.size(); ++p) {
        const ProgrammeParams& pp = params.programmes[p];
        service_debt(world, pp, world.programmes[p]);
        if (pp.registration_support.enabled && active(pp, year)) support_registrations(world, pp, world.programmes[p]);
        // Rules may add a call, or pause the calendar's (docs/model.md 7.6.11).
        const ProgrammeState& st = world.programmes[p];
        const bool call = is_call_month(params, pp, world.month) || st.extra_call_month == world.month;
        if (active(pp, year) && call && world.month >= st.paused_until) run_call(world, params, int(p));
        if (year > pp.end_year && world.month % 12 == 0) release_closed(world, int(p));
    }
    pay_tranches(world, params);
}

}  // namespace codev
