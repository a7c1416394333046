// What one job (scenario x replicate) records, and the ensemble of records
// that the results file is written from. docs/model.md section 8 names every series.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "codev/params.hpp"

namespace codev {

// Monthly national series with no sector dimension. The order of the enum is
// the order of MONTHLY_SERIES below (name, unit, long name).
enum class Series : int {
    migrants,
    migrants_employed,
    association_members,
    remit_formal,
    remit_informal,
    remit_fees,
    dues_paid,
    contributions_paid,
    association_spending,
    maintenance_paid,
    association_treasury,
    programme_budget_available,
    programme_disbursed,
    technical_assistance_paid,
    commune_cofinancing_paid,
    loan_disbursed,
    debt_service_paid,
    programme_budget_opened,
    programme_committed,
    programme_returned,
    cofinanced_projects_completed,
    cofinanced_association_spending,
    association_fees,
    solidarity_spending,
    associations_active,
    associations_dormant,
    associations_registered,
    associations_founded,
    associations_dissolved,
    registrations,
    registrations_supported,
    association_treasury_opening,
    reinsertion_grants_paid,
    reinsertion_businesses_started,
    reinsertion_businesses_open,
    reinsertion_jobs,
    count
};
inline constexpr int SERIES_COUNT = static_cast<int>(Series::count);

// Monthly series with a sector dimension.
enum class SectorSeries : int {
    projects_started,
    projects_completed,
    projects_abandoned,
    projects_operating,
    projects_broken,
    people_served,
    projects_in_service_opening,
    count
};
inline constexpr int SECTOR_SERIES_COUNT = static_cast<int>(SectorSeries::count);

// Monthly series of each programme of the scenario (docs/model.md 8): what
// it paid and what it took on, so that money and projects can be followed
// programme by programme and funder by funder. Their sums over programmes
// are the national series of the same meaning (invariant 10).
enum class ProgrammeSeries : int {
    grants_disbursed,                // = Series::programme_disbursed summed
    assistance_paid,                 // = Series::technical_assistance_paid summed
    loan_disbursed,                  // = Series::loan_disbursed summed
    debt_service_paid,               // = Series::debt_service_paid summed
    budget_committed,                // = Series::programme_committed summed
    projects_approved,               // applications accepted
    skills_missions,                 // accepted projects that got a skills mission
    reinsertion_grants_paid,         // = Series::reinsertion_grants_paid summed
    reinsertion_businesses_started,  // = Series::reinsertion_businesses_started summed
    count
};
inline constexpr int PROGRAMME_SERIES_COUNT = static_cast<int>(ProgrammeSeries::count);

struct SeriesInfo {
    const char* name;
    const char* units;
    const char* long_name;
    bool is_flow;  // flow during the month, else end-of-month stock
};
extern const std::array<SeriesInfo, SERIES_COUNT> MONTHLY_SERIES;
extern const std::array<SeriesInfo, SECTOR_SERIES_COUNT> SECTOR_MONTHLY_SERIES;
extern const std::array<SeriesInfo, PROGRAMME_SERIES_COUNT> PROGRAMME_MONTHLY_SERIES;

// Per-project record of completed projects, for "months from idea to completion".
// Kept as monthly sums so a file stays small: sum of (completion - idea) months
// over projects completed in the month, and the value of completed projects.
struct JobRecord {
    int months = 0;
    int years = 0;
    int communes = 0;
    int programmes = 0;
    // [month][series], int64 counts or XOF
    std::vector<std::int64_t> monthly;
    // [month][series][sector]
    std::vector<std::int64_t> sector_monthly;
    // [month] mean trust of members (0..1)
    std::vector<double> mean_trust;
    // [month] sum over projects completed this month of (completion - idea) months,
    // and the total cost (XOF) of projects completed this month
    std::vector<std::int64_t> idea_to_completion_months;
    std::vector<std::int64_t> completed_value;
    // [year][commune][sector] end-of-year stocks
    std::vector<std::int64_t> yearly_people_served;
    std::vector<std::int64_t> yearly_projects_operating;
    // [year][commune] residents at the end of the year
    std::vector<std::int64_t> yearly_population;
    // [month][programme][ProgrammeSeries], and [month][programme][sector]
    // the co-financed projects completed
    std::vector<std::int64_t> programme_monthly;
    std::vector<std::int64_t> programme_completed;
    // [month][rule]: 1 in the months the rule fired (docs/model.md 7.6.11)
    int rules = 0;
    std::vector<std::int64_t> rule_fired;

    void resize(int months_, int communes_, int programmes_ = 0, int rules_ = 0);
    std::int64_t& fired(int month, int rule) { return rule_fired[std::size_t(month) * rules + rule]; }
    std::int64_t fired(int month, int rule) const { return rule_fired[std::size_t(month) * rules + rule]; }
    std::int64_t& at(int month, Series s) { return monthly[std::size_t(month) * SERIES_COUNT + int(s)]; }
    std::int64_t at(int month, Series s) const { return monthly[std::size_t(month) * SERIES_COUNT + int(s)]; }
    std::int64_t& at(int month, SectorSeries s, int sector) {
        return sector_monthly[(std::size_t(month) * SECTOR_SERIES_COUNT + int(s)) * SECTOR_COUNT + sector];
    }
    std::int64_t at(int month, SectorSeries s, int sector) const {
        return sector_monthly[(std::size_t(month) * SECTOR_SERIES_COUNT + int(s)) * SECTOR_COUNT + sector];
    }
    std::int64_t& yearly_served(int year, int commune, int sector) {
        return yearly_people_served[(std::size_t(year) * communes + commune) * SECTOR_COUNT + sector];
    }
    std::int64_t& yearly_operating(int year, int commune, int sector) {
        return yearly_projects_operating[(std::size_t(year) * communes + commune) * SECTOR_COUNT + sector];
    }
    std::int64_t yearly_served(int year, int commune, int sector) const {
        return yearly_people_served[(std::size_t(year) * communes + commune) * SECTOR_COUNT + sector];
    }
    std::int64_t& population(int year, int commune) {
        return yearly_population[std::size_t(year) * communes + commune];
    }
    std::int64_t population(int year, int commune) const {
        return yearly_population[std::size_t(year) * communes + commune];
    }
    std::int64_t& at(int month, int programme, ProgrammeSeries s) {
        return programme_monthly[(std::size_t(month) * programmes + programme) * PROGRAMME_SERIES_COUNT + int(s)];
    }
    std::int64_t at(int month, int programme, ProgrammeSeries s) const {
        return programme_monthly[(std::size_t(month) * programmes + programme) * PROGRAMME_SERIES_COUNT + int(s)];
    }
    std::int64_t& completed(int month, int programme, int sector) {
        return programme_completed[(std::size_t(month) * programmes + programme) * SECTOR_COUNT + sector];
    }
    std::int64_t completed(int month, int programme, int sector) const {
        return programme_completed[(std::size_t(month) * programmes + programme) * SECTOR_COUNT + sector];
    }
};

// Bytes a JobRecord of `months` and `communes` holds (JobRecord::resize):
// about 700 KB for 20 years of 100 communes, 80 GB for 1,000 years of a
// million. A run keeps one per replicate in memory until it writes them.
double record_bytes(int months, int communes, int programmes = 0);

// This machine's physical memory in bytes; 0 when unknown.
double physical_memory_bytes();

// Static description of a scenario's world stored beside the series.
struct ScenarioInfo {
    std::string name;        // file stem
    std::string toml;        // full resolved TOML text
    std::string start_date;  // "" when the scenario has no calendar
    std::vector<std::int64_t> commune_population;
    std::vector<int> commune_region;
    std::vector<std::string> commune_names;
    // The scenario's programmes, in its order, and who pays each.
    std::vector<std::string> programme_names;
    std::vector<std::string> programme_funders;
    // The scenario's rules, in its order: their names, the programme each
    // changes and its action (docs/model.md 7.6.11).
    std::vector<std::string> rule_names;
    std::vector<std::string> rule_programmes;
    std::vector<std::string> rule_actions;
    // The scenario whose run it continued from `fork_month` on (statepoints.md,
    // "Forks"); "" when it ran from its first month. Its series are the same either way.
    std::string forked_from;
    int fork_month = 0;
};

// What a precision-driven run (precision.hpp) asked for and achieved, as the
// results file records it (docs/results-format.md, "Precision"). No
// triggers: a run with a fixed number of replicates.
struct PrecisionOutcome {
    std::vector<std::string> indicators;  // one per trigger, in the order given
    std::vector<std::string> units;       // per trigger: the indicator's units
    std::vector<double> tolerances;       // per trigger, in those units
    std::string baseline;                 // differences to this scenario; "" for each scenario's mean
    bool paired = false;                  // differences replicate by replicate
    int initial_replicates = 0, batch = 0, max_replicates = 0;
    std::vector<int> replicates_needed;  // per trigger; 0 when not met at the end
    std::vector<double> half_widths;     // [scenario * triggers + trigger] at the end; NaN where not measured
    bool met = false;                    // every trigger met at the final replicate count

    bool empty() const { return indicators.empty(); }
};

// Everything a results file holds.
struct EnsembleResults {
    std::vector<ScenarioInfo> scenarios;
    int replicates = 0;
    int months = 0;  // the longest horizon; shorter scenarios are padded with fill values
    std::uint64_t seed = 0;
    std::string command_line;
    // records[scenario * replicates + replicate]
    std::vector<JobRecord> records;
    PrecisionOutcome precision;  // empty unless replicates were added until precise
};

}  // namespace codev
