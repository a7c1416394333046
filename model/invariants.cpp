// Invariants (docs/model.md section 9, items 1-4 and 7); items 5-6 (determinism and
// common random numbers) are properties of whole runs, tested in
// tests/cpp/ensemble/determinism_test.cpp.
#include "codev/invariants.hpp"

#include <algorithm>
#include <string>

namespace codev {
namespace {

[[noreturn]] void fail(int month, const std::string& what) {
    throw InvariantViolation("invariant violated in month " + std::to_string(month) + ": " + what);
}

// 9.1: the sum of treasuries moves by exactly the recorded flows.
void check_treasury_balance(const JobRecord& r, int t) {
    const std::int64_t before = t > 0 ? r.at(t - 1, Series::association_treasury) : 0;
    const std::int64_t flows = r.at(t, Series::association_treasury_opening) + r.at(t, Series::dues_paid) +
                               r.at(t, Series::contributions_paid) - r.at(t, Series::association_fees) -
                               r.at(t, Series::association_spending) - r.at(t, Series::maintenance_paid) -
                               r.at(t, Series::solidarity_spending);
    const std::int64_t change = r.at(t, Series::association_treasury) - before;
    if (change != flows)
        fail(t, "treasuries changed by " + std::to_string(change) +
                    " XOF but opening + dues + contributions - transfer fees - spending - "
                    "maintenance - solidarity = " +
                    std::to_string(flows) + " XOF");
}

// 9.2: nothing negative; people served within the population.
void check_non_negative(const World& w, int t) {
    for (std::size_t a = 0; a < w.associations.size(); ++a)
        if (w.associations.treasury_xof[a] < 0)
            fail(t,
                 "association " + std::to_string(a) + " treasury is " + std::to_string(w.associations.treasury_xof[a]));
    for (std::size_t p = 0; p < w.programmes.size(); ++p)
        if (w.programmes[p].available_xof < 0)
            fail(t, "programme " + std::to_string(p) + " budget is " + std::to_string(w.programmes[p].available_xof));
    for (std::size_t c = 0; c < w.communes.size(); ++c) {
        if (w.communes.cofinancing_left_xof[c] < 0)
            fail(t, "commune " + std::to_string(c) + " co-financing budget is negative");
        for (int s = 0; s < SECTOR_COUNT; ++s) {
            const std::int64_t served = w.communes.served[c][s], total = served + w.communes.served_initial[c][s];
            if (served < 0 || total > w.communes.population[c])
                fail(t, "commune " + std::to_string(c) + " sector " + SECTOR_NAMES[s] + " serves " +
                            std::to_string(total) + " of " + std::to_string(w.communes.population[c]) + " people");
        }
    }
}

// The highest cap a programme's projects may have had: its own, or one a
// rule set (docs/model.md 7.6.11).
std::int64_t highest_cap(const Params& params, int programme) {
    std::int64_t cap = params.programmes[std::size_t(programme)].cap_xof;
    for (const RuleParams& r : params.rules)
        if (r.programme_index == programme && r.action == RuleParams::Action::set_cap)
            cap = std::max(cap, std::int64_t(r.value));
    return cap;
}

// 9.3: no project paid above its cap; no year's commitments above the year's budget.
void check_caps(const World& w, const Params& params, int t) {
    for (std::size_t i = 0; i < w.projects.size(); ++i) {
        const Project& pr = w.projects[i];
        if (pr.paid_programme_xof > pr.public_xof ||
            (pr.programme >= 0 && pr.public_xof > highest_cap(params, pr.programme)))
            fail(t, "project " + std::to_string(i) + " grant " + std::to_string(pr.public_xof) + " (paid " +
                        std::to_string(pr.paid_programme_xof) + ") exceeds its cap");
    }
    for (std::size_t p = 0; p < w.programmes.size(); ++p)
        if (w.programmes[p].committed_this_year_xof > w.programmes[p].year_budget_xof)
            fail(t, "programme " + params.programmes[p].name + " committed " +
                        std::to_string(w.programmes[p].committed_this_year_xof) +
                        " XOF this year, above its budget of " + std::to_string(w.programmes[p].year_budget_xof));
}

// 9.4: operating + broken change only by completions and decommissioning
// (breakdowns and repairs move projects between the two).
void check_project_counts(const World& w, const JobRecord& r, int t) {
    for (int s = 0; s < SECTOR_COUNT; ++s) {
        auto stock = [&](int m) {
            return m < 0 ? 0 : r.at(m, SectorSeries::projects_operating, s) + r.at(m, SectorSeries::projects_broken, s);
        };
        const std::int64_t change = stock(t) - stock(t - 1);
        const std::int64_t expected = r.at(t, SectorSeries::projects_in_service_opening, s) +
                                      r.at(t, SectorSeries::projects_completed, s) - w.events.decommissioned[s];
        if (change != expected)
            fail(t, std::string("sector ") + SECTOR_NAMES[s] + ": operating + broken changed by " +
                        std::to_string(change) + ", completions - decommissions = " + std::to_string(expected));
    }
}

// 9.7: every programme's budget balances: grants, loan draws and returned
// grants in; commitments, debt service paid and lapsed budget out; the rest
// available. The loan owed is what was drawn less the principal fallen due.
void check_budget_ledger(const World& w, const Params& params, int t) {
    for (std::size_t p = 0; p < w.programmes.size(); ++p) {
        const ProgrammeState& s = w.programmes[p];
        const std::int64_t in = s.granted_total_xof + s.loan_disbursed_total_xof + s.returned_total_xof;
        const std::int64_t out = s.committed_total_xof + s.debt_service_total_xof + s.lapsed_total_xof;
        if (in != out + s.available_xof)
            fail(t, "programme " + params.programmes[p].name + " took in " + std::to_string(in) + " XOF but spent " +
                        std::to_string(out) + " and holds " + std::to_string(s.available_xof));
        if (s.loan_outstanding_xof != s.loan_disbursed_total_xof - s.principal_due_total_xof || s.debt_arrears_xof < 0)
            fail(t, "programme " + params.programmes[p].name + " owes " + std::to_string(s.loan_outstanding_xof) +
                        " XOF of a loan drawn to " + std::to_string(s.loan_disbursed_total_xof) + " less " +
                        std::to_string(s.principal_due_total_xof) + " of principal due");
    }
}

// 9.8: the programmes' own series add up to the national ones, so money
// followed by programme or funder is the money of the national series.
void check_programme_series(const JobRecord& r, int t) {
    constexpr std::array<std::pair<ProgrammeSeries, Series>, 7> SAME = {{
        {ProgrammeSeries::grants_disbursed, Series::programme_disbursed},
        {ProgrammeSeries::assistance_paid, Series::technical_assistance_paid},
        {ProgrammeSeries::loan_disbursed, Series::loan_disbursed},
        {ProgrammeSeries::debt_service_paid, Series::debt_service_paid},
        {ProgrammeSeries::budget_committed, Series::programme_committed},
        {ProgrammeSeries::reinsertion_grants_paid, Series::reinsertion_grants_paid},
        {ProgrammeSeries::reinsertion_businesses_started, Series::reinsertion_businesses_started},
    }};
    for (const auto& [mine, national] : SAME) {
        std::int64_t sum = 0;
        for (int p = 0; p < r.programmes; ++p) sum += r.at(t, p, mine);
        if (sum != r.at(t, national))
            fail(t, std::string(PROGRAMME_MONTHLY_SERIES[std::size_t(mine)].name) + " sums to " + std::to_string(sum) +
                        " over the programmes, " + MONTHLY_SERIES[std::size_t(national)].name + " is " +
                        std::to_string(r.at(t, national)));
    }
    std::int64_t completed = 0;
    for (int p = 0; p < r.programmes; ++p)
        for (int s = 0; s < SECTOR_COUNT; ++s) completed += r.completed(t, p, s);
    if (completed != r.at(t, Series::cofinanced_projects_completed))
        fail(t, "the programmes' co-financed completions sum to " + std::to_string(completed) +
                    ", cofinanced_projects_completed is " +
                    std::to_string(r.at(t, Series::cofinanced_projects_completed)));
}

}  // namespace

// Every recorded series is a count or an amount of XOF: none is ever negative.
// A NaN that reached money shows here as INT64_MIN, and as a NaN mean trust.
void check_record_month(const JobRecord& record, int t) {
    for (int s = 0; s < SERIES_COUNT; ++s)
        if (record.at(t, Series(s)) < 0)
            fail(t,
                 std::string(MONTHLY_SERIES[std::size_t(s)].name) + " is " + std::to_string(record.at(t, Series(s))));
    const double trust = record.mean_trust[std::size_t(t)];
    if (!(trust >= 0.0 && trust <= 1.0)) fail(t, "mean_trust is " + std::to_string(trust) + ", not in [0, 1]");
}

void check_invariants(const World& world, const Params& params, const JobRecord& record) {
    const int t = world.month;
    check_treasury_balance(record, t);
    check_non_negative(world, t);
    check_caps(world, params, t);
    check_project_counts(world, record, t);
    check_budget_ledger(world, params, t);
    check_programme_series(record, t);
}

}  // namespace codev
