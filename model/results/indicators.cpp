// The indicators of one job (indicators.hpp); docs/indicators.md gives each
// formula, unit and what it does not say.
#include "codev/results/indicators.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace codev {

namespace {

constexpr double NOT_DEFINED = std::numeric_limits<double>::quiet_NaN();

double ratio(double numerator, double denominator) { return denominator > 0 ? numerator / denominator : NOT_DEFINED; }

// Sum over the job's months of a monthly series, in double: totals of
// int64 months may exceed int64 over a long horizon (never wrap).
double total(const JobRecord& r, Series s) {
    double sum = 0.0;
    for (int t = 0; t < r.months; ++t) sum += double(r.at(t, s));
    return sum;
}

double at_horizon(const JobRecord& r, Series s) { return r.months > 0 ? double(r.at(r.months - 1, s)) : 0.0; }

// People served by projects in commune c at the horizon, once each: a
// person's chance of being served in sector k is served_k / population,
// independently across sectors, so reached = P (1 - prod_k (1 - served_k / P)).
// It lies between the largest sector's count and min(P, their sum).
double commune_reached(const JobRecord& r, int year, int c, double population) {
    if (population <= 0) return 0.0;
    double unserved = 1.0;
    for (int k = 0; k < SECTOR_COUNT; ++k)
        unserved *= 1.0 - std::clamp(double(r.yearly_served(year, c, k)) / population, 0.0, 1.0);
    return population * (1.0 - unserved);
}

void add_outputs(const JobRecord& r, JobIndicators& j) {
    for (int t = 0; t < r.months; ++t) {
        for (int k = 0; k < SECTOR_COUNT; ++k)
            j.projects_completed_by_sector[k] += double(r.at(t, SectorSeries::projects_completed, k));
        j.value_completed += double(r.completed_value[t]);
    }
    for (int k = 0; k < SECTOR_COUNT; ++k) {
        j.projects_working_by_sector[k] =
            r.months > 0 ? double(r.at(r.months - 1, SectorSeries::projects_operating, k)) : 0.0;
        j.projects_completed_total += j.projects_completed_by_sector[k];
        j.projects_working += j.projects_working_by_sector[k];
    }
    j.cofinanced_projects_completed_total = total(r, Series::cofinanced_projects_completed);
    const int last_year = r.months > 0 ? (r.months - 1) / 12 : -1;
    std::vector<double> per_capita;
    for (int c = 0; c < r.communes && last_year >= 0; ++c) {
        const double population = double(r.population(last_year, c));
        j.population += population;
        j.people_reached += commune_reached(r, last_year, c, population);
        double served = 0.0;
        for (int k = 0; k < SECTOR_COUNT; ++k) served += double(r.yearly_served(last_year, c, k));
        per_capita.push_back(population > 0 ? served / population : NOT_DEFINED);
    }
    j.served_per_capita_gini = gini_coefficient(std::move(per_capita));
    double months = 0.0;
    for (int t = 0; t < r.months; ++t) months += double(r.idea_to_completion_months[t]);
    j.months_idea_to_completion = ratio(months, j.projects_completed_total);
}

void add_money(const JobRecord& r, JobIndicators& j) {
    j.programme_grants = total(r, Series::programme_disbursed);
    j.technical_assistance = total(r, Series::technical_assistance_paid);
    j.programme_money = j.programme_grants + j.technical_assistance;
    j.commune_cofinancing = total(r, Series::commune_cofinancing_paid);
    j.public_money = j.programme_money + j.commune_cofinancing;
    j.loan_drawn = total(r, Series::loan_disbursed);
    j.debt_service = total(r, Series::debt_service_paid);
    j.public_money_with_debt_service = j.public_money - j.loan_drawn + j.debt_service;
    j.budget_made_available = total(r, Series::programme_budget_opened) + j.loan_drawn;
    j.budget_committed = total(r, Series::programme_committed) - total(r, Series::programme_returned);
    j.budget_committed_share = ratio(j.budget_committed, j.budget_made_available);
    // Debt service is paid from the programme's budget (docs/model.md 7.6.4): spent, like the grants.
    j.budget_unspent_share = j.budget_made_available > 0
                                 ? 1.0 - (j.programme_money + j.debt_service) / j.budget_made_available
                                 : NOT_DEFINED;
    j.diaspora_project_spending = total(r, Series::association_spending);
    j.diaspora_idle_money = at_horizon(r, Series::association_treasury);
    j.associations_active_at_horizon = at_horizon(r, Series::associations_active);
    j.associations_registered_at_horizon = at_horizon(r, Series::associations_registered);
    const double cofinanced_diaspora = total(r, Series::cofinanced_association_spending);
    j.cofinancing_leverage = ratio(cofinanced_diaspora + j.commune_cofinancing, j.programme_grants);
    // The split a rule announces (70/20/10) is not the one realised: caps and floors move it.
    const double cofinanced = j.programme_grants + j.commune_cofinancing + cofinanced_diaspora;
    j.realised_programme_share = ratio(j.programme_grants, cofinanced);
    j.realised_commune_share = ratio(j.commune_cofinancing, cofinanced);
    j.realised_diaspora_share = ratio(cofinanced_diaspora, cofinanced);
    const double formal = total(r, Series::remit_formal), informal = total(r, Series::remit_informal);
    j.remittance_fees = total(r, Series::remit_fees);
    j.household_receipts = formal + informal - j.remittance_fees;
    j.formal_share = ratio(formal, formal + informal);
    j.fees_share_of_remittances = ratio(j.remittance_fees, formal + informal);
}

}  // namespace

JobIndicators job_indicators(const JobRecord& record) {
    JobIndicators j;
    add_outputs(record, j);
    add_money(record, j);
    return j;
}

double gini_coefficient(std::vector<double> values) {
    values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return std::isnan(v); }), values.end());
    double sum = 0.0;
    for (double v : values) sum += v;
    if (values.empty() || sum <= 0) return NOT_DEFINED;
    // sum_i sum_j |x_i - x_j| = 2 sum_i (2i - n + 1) x_(i) over the sorted values
    std::sort(values.begin(), values.end());
    const double n = double(values.size());
    double pairs = 0.0;
    for (std::size_t i = 0; i < values.size(); ++i) pairs += 2.0 * (2.0 * double(i) - n + 1.0) * values[i];
    return pairs / (2.0 * n * sum);
}

#define CODEV_INDICATOR(name, units, long_name) \
    { #name, &JobIndicators::name, units, long_name }

const std::array<IndicatorInfo, JOB_INDICATOR_COUNT> JOB_INDICATORS = {{
    CODEV_INDICATOR(projects_completed_total, "1", "projects completed over the horizon, all sectors"),
    CODEV_INDICATOR(projects_working, "1", "completed projects in service at the horizon, all sectors"),
    CODEV_INDICATOR(cofinanced_projects_completed_total, "1", "projects completed with a programme's grant"),
    CODEV_INDICATOR(people_reached, "1",
                    "distinct people served by working projects at the horizon (each person once, whatever the "
                    "number of sectors)"),
    CODEV_INDICATOR(population, "1", "residents of the scenario's communes"),
    CODEV_INDICATOR(value_completed, "XOF", "cost, overruns included, of the projects completed"),
    CODEV_INDICATOR(programme_grants, "XOF", "programme grants paid to projects"),
    CODEV_INDICATOR(technical_assistance, "XOF", "technical assistance paid by the programmes"),
    CODEV_INDICATOR(programme_money, "XOF", "programme money paid: grants and technical assistance"),
    CODEV_INDICATOR(commune_cofinancing, "XOF", "communes' co-financing paid to projects"),
    CODEV_INDICATOR(public_money, "XOF", "public money paid: programme money and communes' co-financing"),
    CODEV_INDICATOR(loan_drawn, "XOF", "loan money paid into programme budgets"),
    CODEV_INDICATOR(debt_service, "XOF", "interest and principal repaid on programme loans within the horizon"),
    CODEV_INDICATOR(public_money_with_debt_service, "XOF",
                    "public money with the loans' cost: public money - loan drawn + debt service"),
    CODEV_INDICATOR(budget_made_available, "XOF", "programme money made available: grant budget opened and loan drawn"),
    CODEV_INDICATOR(budget_committed, "XOF",
                    "programme money committed to approved projects, less unpaid grants returned"),
    CODEV_INDICATOR(budget_committed_share, "1", "share of the programme money made available that was committed"),
    CODEV_INDICATOR(
        budget_unspent_share, "1",
        "share of the programme money made available that was not paid out (grants, assistance, debt service)"),
    CODEV_INDICATOR(diaspora_project_spending, "XOF", "associations' payments into projects, overruns included"),
    CODEV_INDICATOR(diaspora_idle_money, "XOF", "associations' treasuries at the horizon"),
    CODEV_INDICATOR(cofinancing_leverage, "XOF per XOF",
                    "diaspora and commune money paid into co-financed projects per XOF of programme grant"),
    CODEV_INDICATOR(realised_programme_share, "1",
                    "share of the money paid into co-financed projects that the programme's grants paid"),
    CODEV_INDICATOR(realised_commune_share, "1",
                    "share of the money paid into co-financed projects that the communes paid"),
    CODEV_INDICATOR(realised_diaspora_share, "1",
                    "share of the money paid into co-financed projects that the diaspora's associations paid"),
    CODEV_INDICATOR(household_receipts, "XOF", "individual remittances received by households (sent - fees)"),
    CODEV_INDICATOR(remittance_fees, "XOF", "fees paid on individual remittances"),
    CODEV_INDICATOR(formal_share, "1", "share of individual remittances sent through formal channels"),
    CODEV_INDICATOR(fees_share_of_remittances, "1", "fees as a share of individual remittances sent"),
    CODEV_INDICATOR(months_idea_to_completion, "month", "mean months from idea to completion of completed projects"),
    CODEV_INDICATOR(served_per_capita_gini, "1",
                    "Gini coefficient across communes of people served per inhabitant at the horizon"),
    CODEV_INDICATOR(associations_active_at_horizon, "1", "active associations at the horizon"),
    CODEV_INDICATOR(associations_registered_at_horizon, "1",
                    "registered associations, active or dormant, at the horizon"),
}};

#undef CODEV_INDICATOR

const std::array<SectorIndicatorInfo, 2> JOB_SECTOR_INDICATORS = {{
    {"projects_completed_by_sector", &JobIndicators::projects_completed_by_sector, "1",
     "projects completed over the horizon, by sector"},
    {"projects_working_by_sector", &JobIndicators::projects_working_by_sector, "1",
     "completed projects in service at the horizon, by sector"},
}};

const IndicatorInfo* find_job_indicator(const std::string& name) {
    for (const IndicatorInfo& info : JOB_INDICATORS)
        if (name == info.name) return &info;
    return nullptr;
}

}  // namespace codev
