// Names, units and meanings of the observables (docs/model.md section 8).
#include "codev/records.hpp"

#include <unistd.h>

#include <algorithm>

namespace codev {

const std::array<SeriesInfo, SERIES_COUNT> MONTHLY_SERIES = {{
    {"migrants", "1", "migrants abroad (end of month)", false},
    {"migrants_employed", "1", "migrants employed (end of month)", false},
    {"association_members", "1", "members of hometown associations (end of month)", false},
    {"remit_formal", "XOF", "individual remittances sent through formal channels", true},
    {"remit_informal", "XOF", "individual remittances sent through informal channels", true},
    {"remit_fees", "XOF", "fees paid on individual remittances", true},
    {"dues_paid", "XOF", "dues paid into association treasuries", true},
    {"contributions_paid", "XOF", "project contributions paid into association treasuries", true},
    {"association_spending", "XOF", "paid out of treasuries for projects, overruns included", true},
    {"maintenance_paid", "XOF", "paid out of treasuries for maintenance and repair", true},
    {"association_treasury", "XOF", "sum of association treasuries (end of month)", false},
    {"programme_budget_available", "XOF", "uncommitted budget of all programmes (end of month)", false},
    {"programme_disbursed", "XOF", "programme grants paid to projects", true},
    {"technical_assistance_paid", "XOF", "technical assistance paid by programmes", true},
    {"commune_cofinancing_paid", "XOF", "communes' co-financing paid to projects", true},
    {"loan_disbursed", "XOF", "loan money drawn into programme budgets for accepted projects", true},
    {"debt_service_paid", "XOF", "interest and principal on programme loans paid from programme budgets", true},
    {"programme_budget_opened", "XOF", "grant budget the programmes opened (loans not included)", true},
    {"programme_committed", "XOF", "programme money committed to approved projects (grants and technical assistance)",
     true},
    {"programme_returned", "XOF", "unpaid grants returned to programme budgets by abandoned projects", true},
    {"cofinanced_projects_completed", "1", "projects completed with a programme's grant", true},
    {"cofinanced_association_spending", "XOF", "paid out of treasuries for co-financed projects, overruns included",
     true},
    {"association_fees", "XOF", "transfer fees on the dues and contributions sent home by associations", true},
    {"solidarity_spending", "XOF",
     "money passed to members' solidarity funds: idle associations' above their reserve, dissolved ones' all", true},
    {"associations_active", "1", "active associations (end of month)", false},
    {"associations_dormant", "1", "dormant associations: no project, no dues (end of month)", false},
    {"associations_registered", "1", "registered associations, active or dormant (end of month)", false},
    {"associations_founded", "1", "associations founded", true},
    {"associations_dissolved", "1", "associations dissolved", true},
    {"registrations", "1", "associations that registered, with a programme's support or without", true},
    {"registrations_supported", "1", "associations that registered with a programme's support", true},
    {"association_treasury_opening", "XOF",
     "treasuries the recorded run opens with, at month 0 only: what the spin-up left (0 without one)", true},
    {"reinsertion_grants_paid", "XOF", "reinsertion grants programmes paid to returning migrants", true},
    {"reinsertion_businesses_started", "1", "returnees' businesses started with a reinsertion grant", true},
    {"reinsertion_businesses_open", "1", "businesses started with a reinsertion grant still open (end of month)",
     false},
    {"reinsertion_jobs", "1", "people those businesses employ, the returnees included (end of month)", false},
}};

const std::array<SeriesInfo, SECTOR_SERIES_COUNT> SECTOR_MONTHLY_SERIES = {{
    {"projects_started", "1", "projects that started implementation", true},
    {"projects_completed", "1", "projects completed", true},
    {"projects_abandoned", "1", "projects abandoned during implementation", true},
    {"projects_operating", "1", "completed projects working (end of month)", false},
    {"projects_broken", "1", "completed projects broken down (end of month)", false},
    {"people_served", "1",
     "people served by working projects in the sector (end of month); a person served in two sectors counts in both",
     false},
    {"projects_in_service_opening", "1",
     "completed projects working or broken the recorded run opens with, at month 0 only: the spin-up's", true},
}};

// Names are prefixed "programme_" in the results file (docs/results-format.md).
const std::array<SeriesInfo, PROGRAMME_SERIES_COUNT> PROGRAMME_MONTHLY_SERIES = {{
    {"programme_grants_disbursed", "XOF", "grant tranches the programme paid to projects", true},
    {"programme_assistance_paid", "XOF",
     "technical assistance, skills missions and registration support the programme paid", true},
    {"programme_loan_disbursed", "XOF", "loan money the programme drew from its lender", true},
    {"programme_debt_service_paid", "XOF", "interest and principal the programme's budget paid on its loan", true},
    {"programme_budget_committed", "XOF", "budget the programme committed to projects and registrations", true},
    {"programme_projects_approved", "1", "applications the programme accepted", true},
    {"programme_skills_missions", "1", "accepted projects that got a skills mission (its cost is in assistance paid)",
     true},
    {"programme_reinsertion_grants_paid", "XOF", "reinsertion grants the programme paid to returning migrants", true},
    {"programme_reinsertion_businesses_started", "1", "returnees' businesses the programme's grants started", true},
}};

void JobRecord::resize(int months_, int communes_, int programmes_, int rules_) {
    months = months_;
    rules = rules_;
    rule_fired.assign(std::size_t(months_) * std::size_t(std::max(rules_, 0)), 0);
    years = (months_ + 11) / 12;
    communes = communes_;
    programmes = programmes_;
    programme_monthly.assign(std::size_t(months) * programmes * PROGRAMME_SERIES_COUNT, 0);
    programme_completed.assign(std::size_t(months) * programmes * SECTOR_COUNT, 0);
    monthly.assign(std::size_t(months) * SERIES_COUNT, 0);
    sector_monthly.assign(std::size_t(months) * SECTOR_SERIES_COUNT * SECTOR_COUNT, 0);
    mean_trust.assign(months, 0.0);
    idea_to_completion_months.assign(months, 0);
    completed_value.assign(months, 0);
    yearly_people_served.assign(std::size_t(years) * communes * SECTOR_COUNT, 0);
    yearly_projects_operating.assign(std::size_t(years) * communes * SECTOR_COUNT, 0);
    yearly_population.assign(std::size_t(years) * communes, 0);
}

double record_bytes(int months, int communes, int programmes) {
    const double m = months, years = (months + 11) / 12;
    constexpr double word = 8;  // int64 and double alike
    const double monthly = m *
                           (SERIES_COUNT + SECTOR_SERIES_COUNT * SECTOR_COUNT + 3 +
                            double(programmes) * (PROGRAMME_SERIES_COUNT + SECTOR_COUNT)) *
                           word;
    return monthly + 2 * years * double(communes) * SECTOR_COUNT * word;
}

double physical_memory_bytes() {
    const long pages = sysconf(_SC_PHYS_PAGES);
    const long page_size = sysconf(_SC_PAGE_SIZE);
    if (pages <= 0 || page_size <= 0) return 0;
    return static_cast<double>(pages) * static_cast<double>(page_size);
}

}  // namespace codev
