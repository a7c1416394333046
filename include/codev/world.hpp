// World: the state of one run as structures of arrays (docs/model.md 2.2).
//
// Migrants live in slots grouped by commune: commune c owns the contiguous
// slot range [commune_first_slot[c], commune_first_slot[c+1]). Its
// associations are the contiguous range [commune_first_association[c], ...).
// A per-commune loop therefore sums into its own associations and its own
// commune without atomics or locks; slots freed by returns are reused by
// departures of the same commune (docs/model.md 7.9).
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "codev/params.hpp"
#include "codev/records.hpp"
#include "codev/rng.hpp"

namespace codev {

inline constexpr std::int32_t NO_ASSOCIATION = -1;

// Per-migrant state: 26 bytes a slot (see docs/performance.md).
struct Migrants {
    std::vector<std::uint64_t> id;          // stable identity for random streams
    std::vector<float> base_income_xof;     // monthly base income
    std::vector<float> propensity;          // share of income remitted
    std::vector<float> trust;               // trust in collective projects, 0..1
    std::vector<std::int32_t> association;  // NO_ASSOCIATION when not a member
    std::vector<std::uint8_t> corridor;
    std::vector<std::uint8_t> flags;  // ALIVE | EMPLOYED | RETURNS | MAY_JOIN
    // ALIVE: the slot holds a migrant abroad. EMPLOYED: this month's job.
    // RETURNS and MAY_JOIN keep words 3 and 2 of this month's (migrant_month)
    // draw from the economy pass to the social pass (one Philox call serves
    // all four per-migrant decisions of a month): RETURNS is the return draw
    // bernoulli(w3, return_hazard); MAY_JOIN is bernoulli(w2, join_rate), the
    // joining draw at trust 1, without which no migrant with trust <= 1 can
    // join (social.cpp redraws w2 for those with it).
    static constexpr std::uint8_t ALIVE = 1, EMPLOYED = 2, RETURNS = 4, MAY_JOIN = 8;
    std::size_t size() const { return id.size(); }
    void resize(std::size_t n);
};

enum class Stage : std::uint8_t { idle, fundraising, applying, approved, implementing };

// Where an association is in its life (docs/model.md 7.5.1). A commune's
// range of associations holds spare slots, `unfounded` until a founding
// fills them; a dissolved association's slot is not reused.
enum class Status : std::uint8_t { unfounded, active, dormant, dissolved };

// Per-association state.
struct Associations {
    std::vector<std::int32_t> commune;
    std::vector<std::int64_t> treasury_xof;
    std::vector<std::int64_t> dues_xof;
    std::vector<std::uint8_t> registered;
    std::vector<std::int32_t> created_month;  // may be negative (founded before month 0)
    std::vector<Status> status;
    std::vector<std::int32_t> status_since;       // month the status began (dormant, dissolved)
    std::vector<std::int32_t> last_active_month;  // last month with a project in the pipeline (or founding)
    std::vector<Stage> stage;
    std::vector<std::int32_t> project;      // current project index, -1 if none
    std::vector<std::int32_t> under_way;    // projects implementing outside the pipeline (projects_under_way_max > 1)
    std::vector<std::int32_t> stalled;      // its projects finished but waiting for their overrun to be paid
    std::vector<std::int32_t> members;      // members at the end of the last membership step
    std::vector<float> raising_multiplier;  // (1 - s)^-epsilon while raising money for a project, else 0
    std::vector<std::int64_t> treasury_before;  // scratch of the economy pass: treasury before the month's payments
    std::vector<std::int64_t> inflow_xof;       // what members paid in this month, net of the transfer fee
    // counts of this month's outcomes (docs/model.md 7.8), reset every month
    std::vector<std::int32_t> completed_now;
    std::vector<std::int32_t> abandoned_now;
    std::vector<std::int32_t> completed_total;
    std::vector<std::int32_t> failed_total;
    std::size_t size() const { return commune.size(); }
    void resize(std::size_t n);
};

enum class ProjectState : std::uint8_t {
    fundraising,
    applied,
    approved,
    implementing,
    operating,
    broken,
    abandoned,
    decommissioned,
    dropped
};

// One project. Projects are few (thousands) next to migrants (millions), so
// they are an array of structs walked in index order.
struct Project {
    std::int32_t association = 0;
    std::int32_t commune = 0;
    Sector sector = Sector::water;
    ProjectState state = ProjectState::fundraising;
    std::int8_t programme = -1;  // -1: self-financed
    std::uint8_t tries = 0;
    std::uint8_t tranches_paid = 0;
    std::uint8_t technical_assistance = 0;
    std::uint8_t skills_mission = 0;  // a skills mission helped prepare it (docs/model.md 7.6.9)
    std::int64_t cost_xof = 0;
    std::int64_t public_xof = 0;          // programme grant committed
    std::int64_t commune_xof = 0;         // commune co-financing committed
    std::int64_t migrant_target_xof = 0;  // what the association must raise before starting
    std::int64_t paid_migrants_xof = 0;
    std::int64_t paid_programme_xof = 0;
    std::int64_t paid_commune_xof = 0;
    std::int64_t overrun_xof = 0;        // extra cost found during implementation
    double expected_public_share = 0.0;  // s of docs/model.md 7.4
    double overrun_factor = 1.0;
    std::int32_t idea_month = 0;
    std::int32_t applied_month = -1;
    std::int32_t start_month = -1;  // decision month + delay, then implementation start
    std::int32_t duration_months = 0;
    std::int32_t completion_month = -1;
    std::int32_t broken_since = -1;
    std::int64_t served = 0;  // people this project serves while working
    bool stalled = false;     // finished but waiting for the overrun to be paid
};

// Per-programme state (docs/model.md 7.6).
struct ProgrammeState {
    std::int64_t available_xof = 0;    // uncommitted budget
    std::int64_t year_budget_xof = 0;  // what this year's commitments may use (docs/model.md 9, invariant 3)
    std::int64_t committed_this_year_xof = 0;
    std::int64_t granted_total_xof = 0;  // grant money put into the budget so far
    std::int64_t loan_outstanding_xof = 0;
    std::int64_t loan_disbursed_total_xof = 0;
    // The budget's ledger (docs/model.md 7.6.4, invariant 7 of section 9): what came in
    // (grants, loan draws, unpaid grants returned) equals what went out
    // (commitments, debt service paid, lapsed budget) plus what is available.
    std::int64_t returned_total_xof = 0, committed_total_xof = 0, lapsed_total_xof = 0;
    std::int64_t debt_service_total_xof = 0;  // paid out of the budget
    std::int64_t principal_due_total_xof = 0;
    std::int64_t debt_arrears_xof = 0;  // debt service fallen due that the budget could not pay yet
    int missions_this_year = 0;         // skills missions given this budget year
    int reinsertions_this_year = 0;     // reinsertion grants given this budget year
    // What rules changed (docs/model.md 7.6.11); negative: nothing.
    double rule_share = -1.0, rule_ratio = -1.0;
    std::int64_t rule_cap_xof = -1;
    int rule_end_year = -1;
    int paused_until = -1;                 // no call before this month (rules' pause and end)
    int extra_call_month = -1;             // a call this month besides the calendar's (rule extra_call)
    std::vector<std::int64_t> businesses;  // per commune: reinsertion businesses open (docs/model.md 7.6.10)
    // This month's flows of the programme and the co-financed projects it
    // saw completed, by sector: reset every month, recorded by observation.
    std::array<std::int64_t, PROGRAMME_SERIES_COUNT> month{};
    std::array<std::int64_t, SECTOR_COUNT> completed_month{};
};

struct Communes {
    std::vector<std::int64_t> population;
    std::vector<std::int32_t> region;
    std::vector<double> risk;
    std::vector<std::int64_t> cofinancing_budget_xof_per_year;
    std::vector<std::int64_t> cofinancing_left_xof;              // this year's commune budget not yet committed
    std::vector<std::array<std::int64_t, SECTOR_COUNT>> served;  // people served per sector
    std::vector<std::array<std::int64_t, SECTOR_COUNT>> served_initial;
    std::vector<std::int32_t> first_slot;         // size communes + 1
    std::vector<std::int32_t> first_association;  // size communes + 1
    // The commune's associations migrants can join (active ones), in index
    // order: World::joinable[first_association[c] + k] for k < joinable_count[c].
    std::vector<std::int32_t> joinable_count;
    std::vector<std::int32_t> migrants;       // alive migrants now
    std::vector<std::int32_t> completed_now;  // completions in the commune this month
    std::vector<std::int32_t> abandoned_now;
    std::vector<std::uint32_t> departures_made;  // count of newcomers so far (for ids)
    std::size_t size() const { return population.size(); }
};

// This month's conditions per corridor: hazards and wages after shocks, and
// transfer costs after the fee policy (set by step_shocks, docs/model.md 7.1).
struct CorridorMonth {
    double p_job_loss = 0, p_job_find = 0, wage_multiplier = 1;
    double formal_fee_pct = 0, formal_fee_fixed = 0, informal_fee_pct = 0;
    bool formal_closed = false;
    // While closed: the share of would-be formal senders who send informally
    // instead (the product over the month's closures; 1 = all of them).
    double informal_substitution = 1;
    // Probability of the formal channel as if it were open, when it does not
    // depend on the amount (no fixed fee), or -1 (set by prepare_channels,
    // remittances.hpp).
    double p_formal_flat = -1;
    // Multiplier of the amounts sent: exp(fee_semi_elasticity x (the
    // corridor's own formal fee - this month's)), 1 when the fee is the
    // corridor's own (docs/model.md 7.3).
    double amount_factor = 1;
    // Dues of an employed member, as a multiple of its association's dues:
    // wage_multiplier^dues_income_elasticity (docs/model.md 7.4).
    double dues_scale = 1;
};

struct MonthConditions {
    std::vector<CorridorMonth> corridor;
    // Fee share on what associations send home: the formal fee of their home
    // corridor (the one with the most migrants), its informal fee while the
    // formal channel is closed (docs/model.md 7.4).
    double association_fee_pct = 0;
    std::vector<double> risk_m, delay_m;  // per commune
};

// Sums of one month's flows and end-of-month stocks of the migrants of one
// commune. Parallel loops over communes write only their own tally; the
// observation step adds the tallies in commune order, so even the floating
// sum of trust is the same for any number of threads.
struct CommuneTally {
    std::int64_t alive = 0, employed = 0, members = 0;
    std::int64_t remit_formal = 0, remit_informal = 0, remit_fees = 0, received = 0;
    std::int64_t dues = 0, contributions = 0, association_fees = 0;
    std::int64_t departures = 0, returns = 0;
    double member_trust_sum = 0.0;
};

// Per-month event counts outside the migrant loops, reset every month.
struct MonthEvents {
    std::int64_t association_spending = 0, maintenance_paid = 0, solidarity_spending = 0;
    std::int64_t programme_disbursed = 0, technical_assistance_paid = 0, commune_cofinancing_paid = 0;
    std::int64_t loan_disbursed = 0, debt_service_paid = 0;
    std::int64_t programme_budget_opened = 0, programme_committed = 0, programme_returned = 0;
    std::int64_t cofinanced_completed = 0, cofinanced_association_spending = 0;
    std::int64_t reinsertion_grants_paid = 0, reinsertion_businesses_started = 0;
    std::array<std::int64_t, SECTOR_COUNT> started{}, completed{}, abandoned{}, decommissioned{};
    std::int64_t idea_to_completion_months = 0, completed_value = 0;
    std::int64_t associations_founded = 0, associations_dissolved = 0;
    std::int64_t registrations = 0, registrations_supported = 0;
};

// Where a rule stands (docs/model.md 7.6.11).
struct RuleState {
    std::int32_t firings = 0;
    std::int32_t last_fired = -1000000;  // the month it last fired
};

struct World {
    StreamKey key;
    int month = 0;
    Migrants migrants;
    Associations associations;
    Communes communes;
    std::vector<Project> projects;
    std::vector<ProgrammeState> programmes;
    std::vector<RuleState> rules;  // per rule of the scenario
    MonthConditions conditions;
    std::vector<CommuneTally> tally;  // per commune, this month
    MonthEvents events;
    std::vector<std::int32_t> free_slots;  // per commune segment [first_slot, first_slot + free_count)
    std::vector<std::int32_t> free_count;  // per commune
    std::vector<std::int32_t> joinable;    // per commune segment, see Communes::joinable_count
};

}  // namespace codev
