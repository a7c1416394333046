// Params: every parameter of the model as plain data (no behaviour).
//
// A scenario file is parsed and validated once into Params (scenario.hpp);
// the model never reads TOML. Each field has one default here, one unit in
// its name or comment, and its valid range is enforced by the loader.
// Section numbers refer to docs/model.md; figures to docs/sources.md.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace codev {

// The five sectors of docs/model.md 6.1, in the order used by every
// per-sector array and by the `sector` dimension of the results file.
inline constexpr int SECTOR_COUNT = 5;
enum class Sector : std::uint8_t { water = 0, health = 1, education = 2, energy = 3, agriculture = 4 };
inline constexpr std::array<const char*, SECTOR_COUNT> SECTOR_NAMES = {"water", "health", "education", "energy",
                                                                       "agriculture"};

// A time path: piecewise-linear in the month, constant before the first and
// after the last point. An empty path means "not set" where a path is optional.
struct Path {
    std::vector<std::pair<int, double>> points;  // (month, value), months strictly increasing

    static Path constant(double v) { return Path{{{0, v}}}; }
    bool empty() const { return points.empty(); }
    double at(int month) const;
};

// Host-country corridor (docs/model.md 2.2, 7.2, 7.3).
struct CorridorParams {
    std::string name;
    double share_of_migrants = 1.0;       // share of the diaspora living in this corridor
    double income_median_xof = 900000.0;  // median monthly income (XOF/month), lognormal
    double income_sigma = 0.5;            // lognormal sigma of base income
    double p_job_loss = 0.01;             // monthly job-loss probability
    double p_job_find = 0.10;             // monthly job-finding probability
    Path wage_multiplier = Path::constant(1.0);
    double formal_fee_pct = 0.065;      // formal transfer cost, share of the amount
    double formal_fee_fixed_xof = 0.0;  // formal transfer fixed fee per month (XOF)
    double informal_fee_pct = 0.04;     // informal transfer cost, share of the amount
    double propensity_mean = 0.15;      // mean share of income remitted (Beta)
};

// Synthetic communes (when no CSV is given) or communes from a CSV file.
struct CommuneParams {
    std::string name;
    int region = 0;                                    // index into WorldParams::regions
    std::int64_t population = 15000;                   // residents
    double diaspora_weight = 1.0;                      // relative size of the commune's diaspora
    double risk = 1.0;                                 // implementation-risk multiplier (security)
    std::int64_t cofinancing_budget_xof_per_year = 0;  // commune money for co-financing
};

struct WorldParams {
    std::int64_t migrants = 200000;  // initial number of migrants
    int communes = 130;              // number of synthetic communes (ignored with communes_csv)
    std::string
        communes_csv;  // optional CSV: name,region,population,diaspora_weight[,risk][,cofinancing_budget_xof_per_year]
    std::vector<std::string> regions = {"region"};
    double commune_population_median = 15000.0;
    double commune_population_sigma = 0.6;
    double diaspora_weight_sigma = 0.8;  // lognormal spread of diaspora weights across communes
    std::int64_t commune_cofinancing_budget_xof_per_year = 20000000;                // default for synthetic communes
    std::array<double, SECTOR_COUNT> initial_coverage = {0.5, 0.5, 0.5, 0.3, 0.3};  // share of population served
    double slot_slack = 0.25;                 // spare migrant slots per commune for departures
    double population_growth_per_year = 0.0;  // residents grow by this share every model year (docs/model.md 7.10)
};

// Migrant behaviour (docs/model.md 7.2-7.4, 7.8).
struct BehaviourParams {
    double fallback_income_share = 0.2;      // income when unemployed, share of base income
    double propensity_concentration = 10.0;  // Beta(a, b) with a + b = concentration
    double channel_alpha = 0.0;              // logit intercept of the informal channel
    double channel_beta = 40.0;              // logit slope on the cost difference per XOF sent
    double dues_cap_share = 0.05;            // dues bounded by this share of income
    // Dues follow the member's income: dues_a x (y / normal income)^this
    // (docs/model.md 7.4). 0: the full amount whatever the member earns.
    double dues_income_elasticity = 1.0;
    // Amounts sent x exp(this x (corridor's formal fee share - the month's)):
    // the share by which amounts rise per unit fall of the formal fee share
    // (docs/model.md 7.3; Kpodar and Imam 2022 find more than one franc sent
    // per franc of fees saved).
    double fee_semi_elasticity = 1.0;
    double contribution_share = 0.01;  // k: base project contribution share of income
    double epsilon = 0.3;              // elasticity of contributions to the match
    double trust_initial_mean = 0.5;   // Beta mean of initial trust
    double trust_concentration = 8.0;
    double trust_up = 0.10;    // a_up
    double trust_spill = 0.3;  // a_spill (share of a_up felt by other associations)
    double trust_down = 0.15;  // a_down
    double join_rate = 0.004;  // j: monthly joining probability per unit of trust
};

struct AssociationParams {
    double member_share = 0.35;              // initial share of migrants in an association
    double size_mean = 100.0;                // mean members per association
    double size_sigma = 0.5;                 // lognormal sigma of association size
    std::int64_t dues_xof_per_month = 5000;  // monthly dues per member
    double registered_share = 0.6;           // share of associations registered
    double idea_rate = 0.05;                 // monthly probability an idle association starts a project
    double need_noise = 0.2;                 // sd of the noise in the sector choice
    int max_tries = 3;                       // rejections before self-financing or dropping
    int max_fundraising_months = 120;        // give up a project idea after this long
    // Sectors within reach (docs/model.md 7.5): an idea goes only to a sector
    // whose members' share, at its median cost and the best programme's
    // match, the association could raise within this many months at last
    // month's rate, with what it holds. 0: every sector is within reach.
    int planning_months = 0;
    // Projects under way (docs/model.md 7.5): an association may have this
    // many projects started and not finished, its pipeline's included. Above
    // 1, a project whose works have begun leaves the pipeline, which takes
    // the next idea while the works go on; 1: one project at a time.
    int projects_under_way_max = 1;
    // Reserve rule (docs/model.md 7.5): an idle association keeps the upkeep
    // of what it owns for reserve_upkeep_years and passes the rest to its
    // members' solidarity fund (emergencies, repatriation of bodies).
    bool solidarity_fund = false;
    double reserve_upkeep_years = 1.0;
    double initial_age_months_max = 240.0;  // associations' initial ages are uniform in [0, this]
    // Associations come and go (docs/model.md 7.5.1). Every rate 0 (the
    // defaults) keeps the associations of month 0 for the whole run.
    double communes_without_association_share = 0.0;  // communes with no association at month 0
    double founding_rate_per_year = 0.0;              // foundings a year in a commune with unorganised migrants
    double registration_rate_per_year = 0.0;          // registrations a year of an unregistered active association
    int dormancy_after_idle_months = 0;               // an association idle this long goes dormant (0: never)
    double revival_rate_per_year = 0.0;               // revivals a year of a dormant association
    int dissolution_after_dormant_months = 0;         // a dormant association dissolves after this long (0: never)
    double leave_rate_per_year = 0.0;                 // a member's yearly leaving rate at trust 0 (times 1 - trust)
    double unregistered_hazard_factor =
        1.5;  // abandonment hazard multiplier of unregistered associations (docs/model.md 7.7)
};

struct SectorParams {
    double weight = 1.0;            // weight in the sector choice (docs/model.md 7.5)
    double cost_median_xof = 31e6;  // project cost, lognormal (docs/sources.md §3, §8)
    double cost_sigma = 0.6;
    double duration_median_months = 12.0;  // lognormal (docs/model.md 7.7)
    double duration_sigma = 0.4;
    std::int64_t beneficiaries = 2000;         // people served by one working project
    double abandonment_hazard = 0.003;         // h0, monthly
    double overrun_sigma = 0.2;                // overrun factor = exp(|N(0, sigma)|) >= 1
    double maintenance_share_per_year = 0.02;  // m: maintenance m*C/12 per month
    double breakdown_hazard = 0.01;            // b0, monthly, maintenance paid
    double breakdown_hazard_unpaid = 0.05;     // b1, monthly, maintenance not paid
    double repair_cost_share = 0.05;           // repair costs this share of C
    double repair_rate = 1.0;  // monthly probability a broken project's repair is organised (then paid if affordable)
    int decommission_after_broken_months = 60;
};

enum class Rule : std::uint8_t { share, ratio };
enum class CarryOver : std::uint8_t { none, full };
enum class Selection : std::uint8_t { first_come, need_ranked, lottery };

struct LoanParams {
    bool enabled = false;
    std::int64_t amount_xof = 0;
    double interest_rate = 0.0;        // yearly, on the outstanding principal
    int grace_years = 0;               // interest only
    int tenor_years = 0;               // total life including grace
    std::vector<double> disbursement;  // share of the amount disbursed in programme year 0, 1, ...
};

// Support to associations' registration (docs/model.md 7.6.8): while the
// programme is active, an unregistered active association registers with
// this extra yearly rate, and each registration costs the budget cost_xof.
struct RegistrationSupport {
    bool enabled = false;
    double rate_per_year = 0.0;
    std::int64_t cost_xof = 0;
};

struct TechnicalAssistance {
    bool enabled = false;
    std::int64_t cost_xof = 0;    // paid from the budget per project
    double failure_factor = 1.0;  // multiplies the abandonment hazard (< 1)
    double overrun_factor = 1.0;  // multiplies the overrun sigma (< 1)
};

// Missions of diaspora professionals or association members that help design,
// cost and plan the upkeep of a project the programme accepts (docs/model.md
// 7.6.9), beyond the operator's technical assistance: at most
// `missions_per_year` accepted projects a year get one, in the order the
// calls accept them.
struct SkillsMissions {
    bool enabled = false;
    int missions_per_year = 0;
    std::int64_t cost_xof = 0;      // per mission, committed and paid at approval
    double failure_factor = 1.0;    // multiplies the abandonment hazard
    double overrun_factor = 1.0;    // multiplies the overrun sigma
    double breakdown_factor = 1.0;  // multiplies the breakdown hazards once the project works
};

// Returning migrants' productive and reinsertion projects (docs/model.md
// 7.6.10): a share of the migrants who return home get a grant for a small
// business (transport, trade, livestock...), which employs a few people
// until it closes.
struct Reinsertion {
    bool enabled = false;
    double take_up = 0.0;            // share of returnees who get a grant (while money and the yearly number last)
    std::int64_t grant_xof = 0;      // per business, committed and paid at once from the budget
    std::int64_t support_xof = 0;    // per business: the operator who studies and follows it (as assistance)
    int max_per_year = 1000000;      // grants a year at most
    double closure_hazard = 0.0;     // monthly probability a business closes
    double jobs_per_business = 0.0;  // people it employs while open, the returnee included
};

// A public co-financing programme (docs/model.md 7.6).
struct ProgrammeParams {
    std::string name;
    // Who pays the programme's grants and assistance (a donor, the State, a
    // regional bank...): the results follow money by funder (docs/model.md 8).
    std::string funder = "unspecified";
    Rule rule = Rule::share;
    double share = 0.7;               // share rule: public part of cost
    double ratio = 3.0;               // ratio rule: public XOF per migrant XOF
    std::int64_t cap_xof = 30000000;  // per-project cap on the public grant
    std::int64_t floor_xof = 0;       // smallest grant given: a project whose grant would be smaller is not eligible
    std::int64_t budget_per_year_xof = 1000000000;
    CarryOver carry_over = CarryOver::none;
    std::int64_t total_budget_xof = 0;  // cap over the programme's life (0: none)
    std::array<bool, SECTOR_COUNT> eligible_sectors = {true, true, true, true, true};
    bool require_registered = true;
    int min_association_age_months = 12;
    std::vector<int> call_months = {3};  // months of the year (1-12) with a call
    Selection selection = Selection::first_come;
    double approval_probability = 0.6;  // technical review pass rate (docs/sources.md §8)
    int decision_delay_months = 3;
    std::vector<double> tranche_shares = {0.5, 0.5};  // shares of the grant
    std::vector<double> tranche_at = {0.0, 0.5};      // at these fractions of the duration
    TechnicalAssistance technical_assistance;
    RegistrationSupport registration_support;
    SkillsMissions skills_missions;
    Reinsertion reinsertion;
    double commune_share = 0.0;  // commune co-financing share of cost
    int start_year = 0;          // active from this model year (0-based)
    int end_year = 1000;         // to this model year, inclusive
    LoanParams loan;
};

struct ShockParams {
    enum class Kind : std::uint8_t { host_recession, origin_crisis, formal_channel_closed };
    Kind kind = Kind::host_recession;
    int start_month = 0;
    int end_month = 0;           // inclusive
    std::vector<int> corridors;  // indices; empty = all (host shocks)
    std::vector<int> communes;   // indices; empty = all (origin shocks)
    double job_loss_multiplier = 1.0;
    double job_find_multiplier = 1.0;
    double wage_multiplier = 1.0;
    double risk_multiplier = 1.0;
    double delay_multiplier = 1.0;
    // formal_channel_closed only: the share of the money that would have gone
    // formally that is sent informally instead; the rest is not sent
    // (docs/model.md 7.1, 7.3). 1: full substitution.
    double informal_substitution = 1.0;
};

// A policy that reacts (docs/model.md 7.6.11): at the start of a month, from
// `from_month` on and in `check_months` of the year (every month when
// empty), a rule that has fired fewer than `max_firings` times, the last at
// least `every_months` ago, fires when its observable is above (or below)
// its threshold; its action then changes the programme it names.
struct RuleParams {
    // Names in the scenario file and the results, in the order of the enums below.
    static constexpr std::array<const char*, 4> OBSERVABLE_NAMES = {"budget_unspent_share", "broken_share",
                                                                    "remittance_change", "month"};
    static constexpr std::array<const char*, 7> ACTION_NAMES = {"set_share",    "set_ratio", "set_cap", "extra_call",
                                                                "fund_repairs", "pause",     "end"};
    enum class Observable : std::uint8_t {
        budget_unspent_share,  // of the programme: share of this year's budget not committed yet
        broken_share,          // of `sector`'s projects in service: the share broken
        remittance_change,     // remittances of the last 12 months against the 12 before, minus 1
        month,                 // the model month
    };
    enum class Action : std::uint8_t {
        set_share,     // the programme's share becomes `value`
        set_ratio,     // its ratio becomes `value`
        set_cap,       // its cap per project becomes `value` XOF
        extra_call,    // it runs a call this month (while active and not paused)
        fund_repairs,  // it pays, from its budget and up to `value` XOF, the repair of broken `sector` projects
        pause,         // it runs no call for `value` months
        end,           // it runs no more calls, and closes at the end of the year
    };
    std::string name;
    Observable observable = Observable::budget_unspent_share;
    bool above = true;  // fires when the observable is above the threshold (else below)
    double threshold = 0.0;
    std::string programme;     // the programme acted on (and observed, for budget_unspent_share)
    int programme_index = -1;  // its place in Params::programmes (set when the scenario is read)
    Action action = Action::extra_call;
    double value = 0.0;
    Sector sector = Sector::water;  // broken_share, fund_repairs
    int from_month = 0;
    int max_firings = 1;
    int every_months = 12;
    std::vector<int> check_months;  // months of the year 1-12; empty: every month

    // Whether the action takes a `value` (the others refuse one).
    static bool takes_value(Action a) {
        return a == Action::set_share || a == Action::set_ratio || a == Action::set_cap || a == Action::fund_repairs ||
               a == Action::pause;
    }
};

struct MigrationParams {
    double return_hazard = 0.002;    // monthly, per migrant
    double departure_rate = 0.002;   // monthly departures per current migrant of the commune
    double max_migrant_share = 0.5;  // migrants of a commune at most this share of its population
};

// A text shown to people in the report's languages (title, description).
struct LocalisedText {
    std::string en, fr;
};

// A model parameter the appraisal draws uniformly between low and high (its
// declared range), to show results over parameter uncertainty.
struct UncertainParam {
    std::string key;  // dotted scenario key, e.g. "associations.idea_rate"
    double low = 0.0, high = 0.0;
};

// The economic analysis of the funding brief (docs/appraisal.md). The model
// never reads it: it is carried to the results file with the scenario.
struct AppraisalParams {
    double discount_rate = 0.12;  // the funder's rate, besides 6, 10 and 12 %
    // What a person served for a year is worth, per sector (0: not valued).
    std::array<double, SECTOR_COUNT> benefit_xof_per_person_year{};
    // Declared range of those values, as factors on them: [low, high].
    std::vector<double> benefit_range = {1.0, 1.0};
    std::vector<UncertainParam> uncertain;
};

struct Params {
    int months = 240;
    // Months simulated before month 0, without programmes and unrecorded, so
    // that month 0 starts from the state the rules lead to (docs/model.md 5.1).
    int spinup_months = 0;
    std::string start_date;     // optional "YYYY-MM-DD" of month 0
    bool baseline = false;      // the run's baseline: effects are measured against it (not inherited)
    LocalisedText title;        // what the report calls it (not inherited)
    LocalisedText description;  // one paragraph on what it does (not inherited)
    WorldParams world;
    std::vector<CommuneParams> communes;  // filled from CSV, else generated at init
    std::vector<CorridorParams> corridors;
    BehaviourParams behaviour;
    AssociationParams associations;
    std::array<SectorParams, SECTOR_COUNT> sectors;
    Path formal_fee_pct;  // fee policy: when set, overrides all corridors
    Path formal_fee_fixed_xof;
    std::vector<ProgrammeParams> programmes;
    std::vector<ShockParams> shocks;
    std::vector<RuleParams> rules;  // policies that react, in the order they are checked
    MigrationParams migration;
    AppraisalParams appraisal;
};

}  // namespace codev
