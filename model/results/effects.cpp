// What a policy adds (effects.hpp): paired differences with the baseline,
// replicate by replicate, and the ratios built from them.
//
// Why ratios of paired differences: public money divided by outcomes that
// the baseline has too (every person served, every project completed)
// credits the programme with what would have happened anyway. A cost per
// *additional* person divides the additional money by the additional people.
// Its central value is the ratio of the mean differences (a mean of
// per-replicate ratios is dominated by replicates that add almost nobody);
// its range is that of the per-replicate ratios, +infinity where a replicate
// adds nobody, so an unstable cost shows as an open range, not a number.
#include "codev/results/effects.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace codev {

namespace {

constexpr double NOT_DEFINED = std::numeric_limits<double>::quiet_NaN();
constexpr double UNBOUNDED = std::numeric_limits<double>::infinity();

double mean_of(const std::vector<double>& values) {
    double sum = 0.0;
    for (double v : values) sum += v;
    return values.empty() ? NOT_DEFINED : sum / double(values.size());
}

// Linear between order statistics; +infinity stays +infinity.
double quantile(const std::vector<double>& sorted, double q) {
    const double position = q * double(sorted.size() - 1);
    const auto lo = std::size_t(std::floor(position));
    const auto hi = std::min(lo + 1, sorted.size() - 1);
    const double fraction = position - double(lo);
    if (std::isinf(sorted[hi]) && fraction > 0) return sorted[hi];
    if (std::isinf(sorted[lo])) return sorted[lo];
    return sorted[lo] + fraction * (sorted[hi] - sorted[lo]);
}

std::vector<double> column(const std::vector<JobIndicators>& jobs, double JobIndicators::*member) {
    std::vector<double> values;
    for (const JobIndicators& j : jobs) values.push_back(j.*member);
    return values;
}

std::vector<double> minus(std::vector<double> a, const std::vector<double>& b) {
    for (std::size_t r = 0; r < a.size(); ++r) a[r] -= b[r];
    return a;
}

// Money over outcome, replicate by replicate: +inf when money was spent for
// no additional outcome; NaN when no money was added (a fee policy: there is
// no cost to divide), or when money was saved and nothing added.
double cost(double money, double outcome) {
    if (money == 0) return NOT_DEFINED;
    if (outcome > 0) return money / outcome;
    return money > 0 ? UNBOUNDED : NOT_DEFINED;
}

Estimate cost_ratio(const std::vector<double>& money, const std::vector<double>& outcome) {
    std::vector<double> per_replicate(money.size());
    for (std::size_t r = 0; r < money.size(); ++r) per_replicate[r] = cost(money[r], outcome[r]);
    Estimate e = spread(per_replicate);
    e.value = cost(mean_of(money), mean_of(outcome));
    return e;
}

Estimate built_anyway(const std::vector<double>& additional, const std::vector<double>& cofinanced) {
    std::vector<double> per_replicate(additional.size());
    for (std::size_t r = 0; r < additional.size(); ++r)
        per_replicate[r] = cofinanced[r] > 0 ? 1.0 - additional[r] / cofinanced[r] : NOT_DEFINED;
    Estimate e = spread(per_replicate);
    const double cofinanced_mean = mean_of(cofinanced);
    e.value = cofinanced_mean > 0 ? 1.0 - mean_of(additional) / cofinanced_mean : NOT_DEFINED;
    return e;
}

Estimate effect(const EffectInfo& info, const std::vector<JobIndicators>& policy,
                const std::vector<JobIndicators>& baseline) {
    const std::vector<double> a = column(policy, info.a);
    switch (info.measure) {
        case Measure::difference:
            return spread(minus(a, column(baseline, info.a)));
        case Measure::level:
            return spread(a);
        case Measure::cost_ratio:
            return cost_ratio(minus(a, column(baseline, info.a)),
                              minus(column(policy, info.b), column(baseline, info.b)));
        case Measure::built_anyway:
            return built_anyway(minus(a, column(baseline, info.a)), column(policy, info.b));
    }
    return {NOT_DEFINED, NOT_DEFINED, NOT_DEFINED};
}

std::array<Estimate, SECTOR_COUNT> sector_differences(const std::vector<JobIndicators>& policy,
                                                      const std::vector<JobIndicators>& baseline,
                                                      std::array<double, SECTOR_COUNT> JobIndicators::*member) {
    std::array<Estimate, SECTOR_COUNT> out;
    for (int k = 0; k < SECTOR_COUNT; ++k) {
        std::vector<double> d(policy.size());
        for (std::size_t r = 0; r < policy.size(); ++r) d[r] = (policy[r].*member)[k] - (baseline[r].*member)[k];
        out[k] = spread(d);
    }
    return out;
}

}  // namespace

Estimate spread(std::vector<double> values) {
    values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return std::isnan(v); }), values.end());
    if (values.empty()) return {NOT_DEFINED, NOT_DEFINED, NOT_DEFINED};
    std::sort(values.begin(), values.end());
    return {mean_of(values), quantile(values, 0.05), quantile(values, 0.95)};
}

PolicyEffects policy_effects(const std::string& scenario, const std::vector<JobIndicators>& policy,
                             const std::vector<JobIndicators>& baseline) {
    if (policy.empty() || policy.size() != baseline.size())
        throw std::invalid_argument("effects of '" + scenario + "': " + std::to_string(policy.size()) +
                                    " replicates against the baseline's " + std::to_string(baseline.size()) +
                                    " (they are paired replicate by replicate)");
    PolicyEffects out;
    out.scenario = scenario;
    for (std::size_t e = 0; e < EFFECTS.size(); ++e) out.values[e] = effect(EFFECTS[e], policy, baseline);
    out.additional_projects_completed_by_sector =
        sector_differences(policy, baseline, &JobIndicators::projects_completed_by_sector);
    out.additional_projects_working_by_sector =
        sector_differences(policy, baseline, &JobIndicators::projects_working_by_sector);
    return out;
}

const EffectInfo* find_effect(const std::string& name) {
    for (const EffectInfo& info : EFFECTS)
        if (name == info.name) return &info;
    return nullptr;
}

namespace {

using J = JobIndicators;
constexpr double J::*NONE = nullptr;

}  // namespace

const std::array<EffectInfo, EFFECT_COUNT> EFFECTS = {{
    {"additional_projects_completed", Measure::difference, &J::projects_completed_total, NONE, "1",
     "additional projects completed over the horizon"},
    {"additional_projects_working", Measure::difference, &J::projects_working, NONE, "1",
     "additional projects in service at the horizon"},
    {"additional_people_reached", Measure::difference, &J::people_reached, NONE, "1",
     "additional distinct people served by projects at the horizon"},
    {"additional_programme_grants", Measure::difference, &J::programme_grants, NONE, "XOF",
     "additional programme grants paid"},
    {"additional_technical_assistance", Measure::difference, &J::technical_assistance, NONE, "XOF",
     "additional technical assistance paid"},
    {"additional_programme_money", Measure::difference, &J::programme_money, NONE, "XOF",
     "additional programme money paid (grants and technical assistance)"},
    {"additional_commune_cofinancing", Measure::difference, &J::commune_cofinancing, NONE, "XOF",
     "additional co-financing paid by the communes"},
    {"additional_public_money", Measure::difference, &J::public_money, NONE, "XOF",
     "additional public money paid (programme money and communes)"},
    {"additional_debt_service", Measure::difference, &J::debt_service, NONE, "XOF",
     "additional debt service paid within the horizon"},
    {"additional_public_money_with_debt_service", Measure::difference, &J::public_money_with_debt_service, NONE, "XOF",
     "additional public money counting the loans' cost (public money - loan drawn + debt service)"},
    {"cost_per_additional_person_reached", Measure::cost_ratio, &J::programme_money, &J::people_reached, "XOF",
     "additional programme money per additional person reached"},
    {"cost_per_additional_person_reached_public", Measure::cost_ratio, &J::public_money, &J::people_reached, "XOF",
     "additional public money (programme and communes) per additional person reached"},
    {"cost_per_additional_person_reached_with_debt_service", Measure::cost_ratio, &J::public_money_with_debt_service,
     &J::people_reached, "XOF", "additional public money counting the loans' cost per additional person reached"},
    {"cost_per_additional_working_project", Measure::cost_ratio, &J::programme_money, &J::projects_working, "XOF",
     "additional programme money per additional project in service at the horizon"},
    {"cost_per_additional_working_project_public", Measure::cost_ratio, &J::public_money, &J::projects_working, "XOF",
     "additional public money (programme and communes) per additional project in service"},
    {"cost_per_additional_working_project_with_debt_service", Measure::cost_ratio, &J::public_money_with_debt_service,
     &J::projects_working, "XOF", "additional public money counting the loans' cost per additional project in service"},
    {"cofinanced_projects_completed_total", Measure::level, &J::cofinanced_projects_completed_total, NONE, "1",
     "projects completed with a programme's grant"},
    {"built_anyway_share", Measure::built_anyway, &J::projects_completed_total, &J::cofinanced_projects_completed_total,
     "1", "share of the co-financed projects that would have been built anyway: 1 - additional / co-financed"},
    {"additional_diaspora_project_spending", Measure::difference, &J::diaspora_project_spending, NONE, "XOF",
     "change in the associations' payments into projects (negative: crowded out)"},
    {"additional_diaspora_idle_money", Measure::difference, &J::diaspora_idle_money, NONE, "XOF",
     "change in the associations' treasuries at the horizon"},
    {"additional_associations_active", Measure::difference, &J::associations_active_at_horizon, NONE, "1",
     "change in the active associations at the horizon"},
    {"additional_associations_registered", Measure::difference, &J::associations_registered_at_horizon, NONE, "1",
     "change in the registered associations (active or dormant) at the horizon"},
    {"cofinancing_leverage", Measure::level, &J::cofinancing_leverage, NONE, "XOF per XOF",
     "diaspora and commune money paid into co-financed projects per XOF of programme grant"},
    {"realised_programme_share", Measure::level, &J::realised_programme_share, NONE, "1",
     "share of the money paid into co-financed projects that the programme's grants paid"},
    {"realised_commune_share", Measure::level, &J::realised_commune_share, NONE, "1",
     "share of the money paid into co-financed projects that the communes paid"},
    {"realised_diaspora_share", Measure::level, &J::realised_diaspora_share, NONE, "1",
     "share of the money paid into co-financed projects that the diaspora's associations paid"},
    {"budget_made_available", Measure::level, &J::budget_made_available, NONE, "XOF",
     "programme money made available: grant budget opened and loan drawn"},
    {"budget_committed_share", Measure::level, &J::budget_committed_share, NONE, "1",
     "share of the programme money made available that was committed"},
    {"budget_unspent_share", Measure::level, &J::budget_unspent_share, NONE, "1",
     "share of the programme money made available that was not paid out (grants, assistance, debt service)"},
    {"additional_household_receipts", Measure::difference, &J::household_receipts, NONE, "XOF",
     "additional individual remittances received by households"},
    {"additional_remittance_fees", Measure::difference, &J::remittance_fees, NONE, "XOF",
     "additional fees paid on individual remittances"},
    {"additional_formal_share", Measure::difference, &J::formal_share, NONE, "1",
     "change in the share of individual remittances sent formally"},
}};

}  // namespace codev
