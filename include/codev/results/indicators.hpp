// The indicators of one job (scenario x replicate): what a run produced,
// spent and left over, each defined once here (docs/indicators.md gives the
// formulas). The results file stores them as variables along (scenario,
// replicate[, sector]); Python's codev.indicators reads them from there; the
// effects of a policy (effects.hpp) are built from them.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "codev/records.hpp"

namespace codev {

// Every indicator of one job. Money in XOF, counts in projects or people. A
// ratio whose denominator is zero is NaN.
struct JobIndicators {
    // outputs
    double projects_completed_total = 0;             // projects completed over the horizon
    double projects_working = 0;                     // projects in service at the horizon
    double cofinanced_projects_completed_total = 0;  // completed with a programme's grant
    double people_reached = 0;                       // distinct people served by projects at the horizon
    double population = 0;                           // residents of the communes at the horizon
    double value_completed = 0;                      // cost (overruns included) of the projects completed
    // public money, by payer
    double programme_grants = 0;                // grants paid to projects
    double technical_assistance = 0;            // technical assistance paid
    double programme_money = 0;                 // grants + technical assistance
    double commune_cofinancing = 0;             // communes' shares paid
    double public_money = 0;                    // programme money + communes
    double loan_drawn = 0;                      // loan money paid into programme budgets
    double debt_service = 0;                    // interest and principal repaid within the horizon
    double public_money_with_debt_service = 0;  // public money - loan drawn + debt service
    // the programmes' budgets
    double budget_made_available = 0;   // grant budget opened + loan drawn
    double budget_committed = 0;        // committed to approved projects, net of returns
    double budget_committed_share = 0;  // committed / made available
    double budget_unspent_share = 0;    // 1 - (programme money + debt service) / made available
    // the diaspora's money
    double diaspora_project_spending = 0;  // associations' payments into projects
    double diaspora_idle_money = 0;        // associations' treasuries at the horizon
    double cofinancing_leverage = 0;       // diaspora + commune money in co-financed projects per grant XOF
    // the realised split of the money paid into co-financed projects (grants, communes, diaspora)
    double realised_programme_share = 0, realised_commune_share = 0, realised_diaspora_share = 0;
    // households
    double household_receipts = 0;  // remittances received (sent - fees)
    double remittance_fees = 0;     // fees paid on individual remittances
    double formal_share = 0;        // share of remittances sent formally
    double fees_share_of_remittances = 0;
    // time and equity
    double months_idea_to_completion = 0;  // mean over the projects completed
    double served_per_capita_gini = 0;     // across communes, at the horizon
    // the associations (docs/model.md 7.5.1)
    double associations_active_at_horizon = 0;      // active associations at the horizon
    double associations_registered_at_horizon = 0;  // registered associations, active or dormant, at the horizon
    // by sector
    std::array<double, SECTOR_COUNT> projects_completed_by_sector{}, projects_working_by_sector{};
};

// The indicators of one job's record.
JobIndicators job_indicators(const JobRecord& record);

// An indicator's name (the same in C++, the results file, Python, the CLI
// and docs/indicators.md), its member, its units and a one-line description.
struct IndicatorInfo {
    const char* name;
    double JobIndicators::*value;
    const char* units;
    const char* long_name;
};
inline constexpr int JOB_INDICATOR_COUNT = 32;
extern const std::array<IndicatorInfo, JOB_INDICATOR_COUNT> JOB_INDICATORS;

struct SectorIndicatorInfo {
    const char* name;
    std::array<double, SECTOR_COUNT> JobIndicators::*value;
    const char* units;
    const char* long_name;
};
extern const std::array<SectorIndicatorInfo, 2> JOB_SECTOR_INDICATORS;

// The entry of JOB_INDICATORS named `name`, or nullptr.
const IndicatorInfo* find_job_indicator(const std::string& name);

// Gini coefficient of non-negative values, NaN ignored: sum_i sum_j |x_i -
// x_j| / (2 n^2 mean(x)); NaN when there is no value or their sum is 0.
double gini_coefficient(std::vector<double> values);

}  // namespace codev
