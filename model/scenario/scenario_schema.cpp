// The table of parameters: each parameter of Params once, with its key, unit,
// allowed range and one line of doc (docs/architecture.md 2.1 and 5). Defaults live in
// params.hpp; params_to_toml prints them beside each key.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>

#include "scenario_detail.hpp"

namespace codev::scenario_detail {

namespace {

constexpr std::array<const char*, 2> RULE_NAMES = {"share", "ratio"};
constexpr std::array<const char*, 2> CARRY_OVER_NAMES = {"none", "full"};
constexpr std::array<const char*, 3> SELECTION_NAMES = {"first_come", "need_ranked", "lottery"};
constexpr std::array<const char*, 3> SHOCK_KIND_NAMES = {"host_recession", "origin_crisis", "formal_channel_closed"};

const Range SHARE = between(0, 1);
// Money inputs are bounded so that no sum the model forms (at most millions of
// migrants over at most 12,000 months) can leave int64 (guarded arithmetic):
// amounts a person earns or pays, and amounts an institution commits.
const Range XOF = between(0, 1e15);
const Range PERSONAL_XOF = {0, 1e9, true, false};
const Range MONTH = between(0, 12000);
const Range SIGMA = between(0, 5);
const Range MULTIPLIER = between(0, 100);

// The Gregorian calendar's first full year: dates are read back with it
// (netCDF's "standard" calendar is Julian before 1582-10-15, ten days off),
// and year 0 does not exist in it.
constexpr int FIRST_YEAR = 1583;

// "YYYY-MM-DD", also accepted as a TOML date (start_date = 2025-01-01).
Field<Params> start_date_field() {
    auto read = [](Params& p, const toml::node& n, const std::string& k) {
        std::string s;
        if (auto d = n.as_date()) {
            char buf[16];
            std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d->get().year, d->get().month, d->get().day);
            s = buf;
        } else {
            s = read_string(n, k);
        }
        int y = 0, m = 0, d = 0;
        char tail = 0;
        const bool shaped = s.size() == 10 && std::sscanf(s.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3;
        const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month(static_cast<unsigned>(m)),
                                              std::chrono::day(static_cast<unsigned>(d))};
        if (!shaped || !ymd.ok()) fail_at(n, k, format_string(s) + " is not a date (allowed: \"YYYY-MM-DD\")");
        if (y < FIRST_YEAR)
            fail_at(n, k,
                    format_string(s) + " is before " + std::to_string(FIRST_YEAR) + " (allowed: from \"" +
                        std::to_string(FIRST_YEAR) + "-01-01\", the Gregorian calendar)");
        p.start_date = s;
    };
    return {"start_date", "", "calendar date of month 0 (optional)", "\"YYYY-MM-DD\"", read, [](const Params& p) {
                return p.start_date.empty() ? std::string() : format_string(p.start_date);
            }};
}

Field<WorldParams> regions_field() {
    auto read = [](WorldParams& w, const toml::node& n, const std::string& k) {
        auto names = read_strings(n, k);
        if (names.empty()) fail_at(n, k, "needs at least one region name");
        w.regions = std::move(names);
    };
    return {"regions",
            "",
            "region names; replaced by the communes' region names when communes are listed",
            "an array of strings",
            read,
            [](const WorldParams& w) { return format_strings(w.regions); }};
}

// A per-sector share, written as an inline table keyed by sector name.
Field<WorldParams> coverage_field() {
    auto read = [](WorldParams& w, const toml::node& n, const std::string& k) {
        for (auto&& [name, value] : read_table(n, k)) {
            const int s = sector_index(value, join_key(k, name.str()), name.str());
            w.initial_coverage[static_cast<std::size_t>(s)] = read_real(value, join_key(k, name.str()), SHARE);
        }
    };
    auto write = [](const WorldParams& w) {
        std::string out = "{ ";
        for (std::size_t s = 0; s < SECTOR_COUNT; ++s)
            out += std::string(s ? ", " : "") + SECTOR_NAMES[s] + " = " + format_number(w.initial_coverage[s]);
        return out + " }";
    };
    return {"initial_coverage",
            "share of population",
            "people served per sector at month 0, share of population",
            "0 to 1 per sector",
            read,
            write};
}

Field<WorldParams> communes_csv_field() {
    auto read = [](WorldParams& w, const toml::node& n, const std::string& k) { w.communes_csv = read_string(n, k); };
    // Never written: once read, the communes are written inline as [[communes]].
    return {"communes_csv", "path", "CSV of communes, relative to the file naming it",
            "a file name",  read,   [](const WorldParams&) { return std::string(); }};
}

Field<ProgrammeParams> sectors_field() {
    auto read = [](ProgrammeParams& p, const toml::node& n, const std::string& k) {
        const auto names = read_strings(n, k);  // none: checked with the components (read_programme)
        p.eligible_sectors.fill(false);
        const auto& a = *n.as_array();
        for (std::size_t i = 0; i < names.size(); ++i)
            p.eligible_sectors[static_cast<std::size_t>(sector_index(a[i], k, names[i]))] = true;
    };
    auto write = [](const ProgrammeParams& p) {
        std::vector<std::string> names;
        for (std::size_t s = 0; s < SECTOR_COUNT; ++s)
            if (p.eligible_sectors[s]) names.emplace_back(SECTOR_NAMES[s]);
        return format_strings(names);
    };
    return {"sectors", "", "eligible sectors", "sector names", read, write};
}

// `title = { en = "...", fr = "..." }`: a text in the report's languages.
Field<Params> text_field(const char* key, LocalisedText Params::*m, std::size_t longest, const char* doc) {
    auto read = [m, longest](Params& p, const toml::node& n, const std::string& k) {
        LocalisedText text;
        for (auto&& [language, value] : read_table(n, k)) {
            const std::string key_of = join_key(k, language.str());
            std::string* into = language.str() == "en" ? &text.en : language.str() == "fr" ? &text.fr : nullptr;
            if (!into) fail_at(value, key_of, "is not a language of the report (allowed: en, fr)");
            *into = read_string(value, key_of);
            if (into->empty() || into->size() > longest)
                fail_at(value, key_of, "needs 1 to " + std::to_string(longest) + " characters");
            if (std::any_of(into->begin(), into->end(), [](char c) { return c >= 0 && c < ' ' && c != '\n'; }))
                fail_at(value, key_of, "may not hold control characters");
        }
        if (text.en.empty()) fail_at(n, k, "needs its English text (en)");
        p.*m = text;
    };
    auto write = [m](const Params& p) {
        const LocalisedText& t = p.*m;
        if (t.en.empty()) return std::string();
        return "{ en = " + format_string(t.en) + (t.fr.empty() ? "" : ", fr = " + format_string(t.fr)) + " }";
    };
    return {key, "", doc, "{ en = \"...\", fr = \"...\" }", read, write};
}

// The appraisal's value of a person served for a year, per sector (XOF).
Field<AppraisalParams> benefit_field() {
    auto read = [](AppraisalParams& a, const toml::node& n, const std::string& k) {
        for (auto&& [name, value] : read_table(n, k)) {
            const int s = sector_index(value, join_key(k, name.str()), name.str());
            a.benefit_xof_per_person_year[static_cast<std::size_t>(s)] =
                read_real(value, join_key(k, name.str()), between(0, 1e9));
        }
    };
    auto write = [](const AppraisalParams& a) {
        std::string out = "{ ";
        for (std::size_t s = 0; s < SECTOR_COUNT; ++s)
            out +=
                std::string(s ? ", " : "") + SECTOR_NAMES[s] + " = " + format_number(a.benefit_xof_per_person_year[s]);
        return out + " }";
    };
    return {"benefit_xof_per_person_year",
            "XOF per person-year",
            "what a person served for a year is worth, per sector (0: not valued)",
            "0 to 1e9 per sector",
            read,
            write};
}

// `benefit_range = [low, high]`: factors on the benefit values.
Field<AppraisalParams> benefit_range_field() {
    Field<AppraisalParams> f = reals("benefit_range", &AppraisalParams::benefit_range, between(0, 100), "factors",
                                     "[low, high] factors on the benefit values: their declared range");
    f.read = [](AppraisalParams& a, const toml::node& n, const std::string& k) {
        a.benefit_range = read_reals(n, k, between(0, 100));
        if (a.benefit_range.size() != 2 || a.benefit_range[0] > a.benefit_range[1])
            fail_at(n, k, "needs [low, high] with low <= high");
    };
    return f;
}

// `uncertain = { "associations.idea_rate" = [0.03, 0.08], ... }`: declared ranges.
Field<AppraisalParams> uncertain_field() {
    auto read = [](AppraisalParams& a, const toml::node& n, const std::string& k) {
        a.uncertain.clear();
        for (auto&& [key, value] : read_table(n, k)) {
            const std::string key_of = join_key(k, "\"" + std::string(key.str()) + "\"");
            const auto range = read_reals(value, key_of, between(-1e15, 1e15));
            if (range.size() != 2 || !(range[0] <= range[1]))
                fail_at(value, key_of, "needs [low, high] with low <= high");
            const bool dotted = key.str().find('.') != std::string_view::npos &&
                                std::all_of(key.str().begin(), key.str().end(), [](char c) {
                                    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.';
                                });
            if (!dotted)
                fail_at(value, key_of, "is not a dotted key of the scenario (e.g. \"associations.idea_rate\")");
            a.uncertain.push_back({std::string(key.str()), range[0], range[1]});
        }
    };
    auto write = [](const AppraisalParams& a) {
        if (a.uncertain.empty()) return std::string();
        std::string out = "{ ";
        for (std::size_t i = 0; i < a.uncertain.size(); ++i)
            out += std::string(i ? ", " : "") + format_string(a.uncertain[i].key) + " = " +
                   format_reals({a.uncertain[i].low, a.uncertain[i].high});
        return out + " }";
    };
    return {"uncertain",
            "",
            "model parameters drawn uniformly in [low, high] for the appraisal's ranges",
            "{ \"dotted.key\" = [low, high], ... }",
            read,
            write};
}

}  // namespace

const Schema<Params>& top_schema() {
    static const Schema<Params> s = {
        integer("months", &Params::months, between(1, 12000), "months", "simulated horizon (docs/model.md 2.1)"),
        integer("spinup_months", &Params::spinup_months, between(0, 12000), "months",
                "months simulated before month 0, without programmes, unrecorded (docs/model.md 5.1)"),
        start_date_field(),
        flag("baseline", &Params::baseline,
             "this scenario is the baseline policies are compared with (not inherited through extends)"),
        text_field("title", &Params::title, 120, "what the report calls the scenario (not inherited)"),
        text_field("description", &Params::description, 1500,
                   "one paragraph on what the scenario does, for the report (not inherited)"),
    };
    return s;
}

const Schema<Params>& fees_schema() {
    static const Schema<Params> s = {
        path("formal_fee_pct", &Params::formal_fee_pct, SHARE, "share of amount",
             "fee policy: formal transfer cost, overrides every corridor when set (docs/model.md 7.3)"),
        path("formal_fee_fixed_xof", &Params::formal_fee_fixed_xof, XOF, "XOF per month",
             "fee policy: formal fixed fee, overrides every corridor when set"),
    };
    return s;
}

const Schema<WorldParams>& world_schema() {
    using W = WorldParams;
    static const Schema<W> s = {
        integer("migrants", &W::migrants, at_least(1), "people", "initial number of migrants"),
        integer("communes", &W::communes, between(1, 1000000), "communes",
                "number of synthetic communes; the count of listed communes when they are listed"),
        communes_csv_field(),
        regions_field(),
        real("commune_population_median", &W::commune_population_median, above(0), "people",
             "median residents of a synthetic commune (lognormal)"),
        real("commune_population_sigma", &W::commune_population_sigma, SIGMA, "", "lognormal sigma of population"),
        real("diaspora_weight_sigma", &W::diaspora_weight_sigma, SIGMA, "",
             "lognormal sigma of the communes' diaspora weights"),
        integer("commune_cofinancing_budget_xof_per_year", &W::commune_cofinancing_budget_xof_per_year, XOF, "XOF/year",
                "commune co-financing budget when not given per commune"),
        coverage_field(),
        real("slot_slack", &W::slot_slack, between(0, 10), "share", "spare migrant slots for departures"),
        real("population_growth_per_year", &W::population_growth_per_year, between(0, 0.1), "share per year",
             "residents of every commune grow by this share each model year"),
    };
    return s;
}

const Schema<CorridorParams>& corridor_schema() {
    using C = CorridorParams;
    static const Schema<C> s = {
        real("share_of_migrants", &C::share_of_migrants, SHARE, "share", "share of the diaspora in this corridor"),
        real("income_median_xof", &C::income_median_xof, PERSONAL_XOF, "XOF/month",
             "median monthly income (lognormal)"),
        real("income_sigma", &C::income_sigma, SIGMA, "", "lognormal sigma of base income"),
        real("p_job_loss", &C::p_job_loss, SHARE, "per month", "job-loss probability (docs/model.md 7.2)"),
        real("p_job_find", &C::p_job_find, SHARE, "per month", "job-finding probability (docs/model.md 7.2)"),
        path("wage_multiplier", &C::wage_multiplier, MULTIPLIER, "factor", "wage multiplier over time"),
        real("formal_fee_pct", &C::formal_fee_pct, SHARE, "share of amount",
             "formal transfer cost (docs/model.md 7.3)"),
        real("formal_fee_fixed_xof", &C::formal_fee_fixed_xof, XOF, "XOF per month", "formal fixed fee"),
        real("informal_fee_pct", &C::informal_fee_pct, SHARE, "share of amount", "informal transfer cost"),
        real("propensity_mean", &C::propensity_mean, open_unit(), "share of income", "mean remitted share (Beta)"),
    };
    return s;
}

const Schema<BehaviourParams>& behaviour_schema() {
    using B = BehaviourParams;
    static const Schema<B> s = {
        real("fallback_income_share", &B::fallback_income_share, SHARE, "share", "income when unemployed"),
        real("propensity_concentration", &B::propensity_concentration, above(0), "", "Beta a + b of propensity"),
        real("channel_alpha", &B::channel_alpha, any_finite(), "",
             "logit intercept of the channel (docs/model.md 7.3)"),
        real("channel_beta", &B::channel_beta, at_least(0), "", "logit slope on cost difference per XOF sent"),
        real("dues_cap_share", &B::dues_cap_share, SHARE, "share of income",
             "dues bounded by this share (docs/model.md 7.4)"),
        real("dues_income_elasticity", &B::dues_income_elasticity, between(0, 2), "",
             "dues x (income / normal income)^this (docs/model.md 7.4)"),
        real("fee_semi_elasticity", &B::fee_semi_elasticity, between(0, 5), "per unit of fee share",
             "amounts sent x exp(this x fall of the formal fee share from the corridor's own)"),
        real("contribution_share", &B::contribution_share, SHARE, "share of income",
             "k, base contribution (docs/model.md 7.4)"),
        real("epsilon", &B::epsilon, between(0, 2), "", "elasticity of contributions to the match (docs/model.md 7.4)"),
        real("trust_initial_mean", &B::trust_initial_mean, open_unit(), "", "Beta mean of initial trust"),
        real("trust_concentration", &B::trust_concentration, above(0), "", "Beta a + b of initial trust"),
        real("trust_up", &B::trust_up, SHARE, "", "a_up, trust gain on a completion (docs/model.md 7.8)"),
        real("trust_spill", &B::trust_spill, SHARE, "",
             "a_spill, share of a_up felt in the commune (docs/model.md 7.8)"),
        real("trust_down", &B::trust_down, SHARE, "", "a_down, trust loss on an abandonment (docs/model.md 7.8)"),
        real("join_rate", &B::join_rate, SHARE, "per month per unit of trust",
             "j, joining probability (docs/model.md 7.8)"),
    };
    return s;
}

const Schema<AssociationParams>& association_schema() {
    using A = AssociationParams;
    static const Schema<A> s = {
        real("member_share", &A::member_share, SHARE, "share", "initial share of migrants in an association"),
        real("size_mean", &A::size_mean, at_least(1), "members", "mean members per association"),
        real("size_sigma", &A::size_sigma, SIGMA, "", "lognormal sigma of association size"),
        integer("dues_xof_per_month", &A::dues_xof_per_month, XOF, "XOF/month", "dues per member (docs/model.md 7.4)"),
        real("registered_share", &A::registered_share, SHARE, "share", "share of associations registered"),
        real("idea_rate", &A::idea_rate, SHARE, "per month", "probability an idle association starts a project"),
        real("need_noise", &A::need_noise, at_least(0), "", "sd of the noise in the sector choice (docs/model.md 7.5)"),
        integer("max_tries", &A::max_tries, between(0, 100), "calls",
                "rejections before giving up (docs/model.md 7.5)"),
        integer("planning_months", &A::planning_months, between(0, 12000), "months",
                "an idea goes only to a sector whose members' share is raised within this (0: any; docs/model.md 7.5)"),
        integer("projects_under_way_max", &A::projects_under_way_max, between(1, 100), "projects",
                "projects an association may have started and not finished, its next idea's included "
                "(1: one at a time; docs/model.md 7.5)"),
        integer("max_fundraising_months", &A::max_fundraising_months, between(1, 12000), "months",
                "give up a project idea after this long"),
        flag("solidarity_fund", &A::solidarity_fund,
             "an idle association passes what exceeds its reserve to its members' solidarity fund"),
        real("reserve_upkeep_years", &A::reserve_upkeep_years, between(0, 100), "years",
             "reserve an idle association keeps: this many years of the upkeep of what it owns"),
        real("initial_age_months_max", &A::initial_age_months_max, MONTH, "months", "initial ages uniform below"),
        real("communes_without_association_share", &A::communes_without_association_share, SHARE, "share",
             "communes with no association at month 0 (docs/model.md 7.5.1)"),
        real("founding_rate_per_year", &A::founding_rate_per_year, between(0, 100), "per commune per year",
             "foundings in a commune with at least half an association of unorganised migrants (docs/model.md 7.5.1)"),
        real("registration_rate_per_year", &A::registration_rate_per_year, between(0, 100), "per year",
             "registrations of an unregistered active association (docs/model.md 7.5.1)"),
        integer("dormancy_after_idle_months", &A::dormancy_after_idle_months, MONTH, "months",
                "an association idle this long goes dormant (0: never; docs/model.md 7.5.1)"),
        real("revival_rate_per_year", &A::revival_rate_per_year, between(0, 100), "per year",
             "revivals of a dormant association (docs/model.md 7.5.1)"),
        integer("dissolution_after_dormant_months", &A::dissolution_after_dormant_months, MONTH, "months",
                "a dormant association dissolves after this long (0: never; docs/model.md 7.5.1)"),
        real("leave_rate_per_year", &A::leave_rate_per_year, between(0, 100), "per year at trust 0",
             "members leave at this rate times 1 - trust (docs/model.md 7.8)"),
        real("unregistered_hazard_factor", &A::unregistered_hazard_factor, MULTIPLIER, "",
             "abandonment hazard multiplier of unregistered associations (docs/model.md 7.7)"),
    };
    return s;
}

const Schema<SectorParams>& sector_schema() {
    using S = SectorParams;
    static const Schema<S> s = {
        real("weight", &S::weight, at_least(0), "", "weight in the sector choice (docs/model.md 7.5)"),
        real("cost_median_xof", &S::cost_median_xof, Range{0, 1e13, true, false}, "XOF",
             "median project cost (lognormal)"),
        real("cost_sigma", &S::cost_sigma, SIGMA, "", "lognormal sigma of cost"),
        real("duration_median_months", &S::duration_median_months, between(0.01, 1200), "months",
             "median duration (lognormal, docs/model.md 7.7)"),
        real("duration_sigma", &S::duration_sigma, SIGMA, "", "lognormal sigma of duration"),
        integer("beneficiaries", &S::beneficiaries, XOF, "people", "people served by one working project"),
        real("abandonment_hazard", &S::abandonment_hazard, SHARE, "per month", "h0 (docs/model.md 7.7)"),
        real("overrun_sigma", &S::overrun_sigma, SIGMA, "", "overrun factor exp(|N(0, sigma)|) (docs/model.md 7.7)"),
        real("maintenance_share_per_year", &S::maintenance_share_per_year, SHARE, "share of cost per year",
             "m, maintenance m*C/12 per month (docs/model.md 7.7)"),
        real("breakdown_hazard", &S::breakdown_hazard, SHARE, "per month", "b0, maintenance paid (docs/model.md 7.7)"),
        real("breakdown_hazard_unpaid", &S::breakdown_hazard_unpaid, SHARE, "per month", "b1, maintenance unpaid"),
        real("repair_cost_share", &S::repair_cost_share, SHARE, "share of cost", "cost of a repair"),
        real("repair_rate", &S::repair_rate, SHARE, "per month",
             "probability a broken project's repair is organised in a month (1: as soon as affordable)"),
        integer("decommission_after_broken_months", &S::decommission_after_broken_months, MONTH, "months",
                "a project broken this long is decommissioned"),
    };
    return s;
}

// Who pays: a short name the results group money by (letters, digits, '_'
// and '-', as scenario and programme names, so it is a clean label).
Field<ProgrammeParams> funder_field() {
    auto read = [](ProgrammeParams& g, const toml::node& n, const std::string& k) {
        const std::string& name = read_string(n, k);
        const bool clean = !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
        });
        if (!clean)
            fail_at(n, k, format_string(name) + " is not a funder name (allowed: 1 to 64 letters, digits, '_' or '-')");
        g.funder = name;
    };
    return {"funder",
            "",
            "who pays the grants and assistance (e.g. \"france\", \"eu\", \"mali\", \"afdb\"): money is followed by "
            "funder",
            "a name of letters, digits, '_' or '-'",
            read,
            [](const ProgrammeParams& g) { return format_string(g.funder); }};
}

const Schema<ProgrammeParams>& programme_schema() {
    using P = ProgrammeParams;
    static const Schema<P> s = {
        funder_field(),
        choice("rule", &P::rule, RULE_NAMES, "share of cost, or ratio per migrant XOF (docs/model.md 7.6)"),
        real("share", &P::share, SHARE, "share of cost", "share rule: public part of cost"),
        real("ratio", &P::ratio, between(0, 1000), "XOF per migrant XOF", "ratio rule: public XOF per migrant XOF"),
        integer("cap_xof", &P::cap_xof, Range{0, 1e15, true, false}, "XOF", "per-project cap on the public grant"),
        integer("floor_xof", &P::floor_xof, XOF, "XOF",
                "smallest grant: a project whose grant would be smaller is not eligible"),
        integer("budget_per_year_xof", &P::budget_per_year_xof, XOF, "XOF/year", "budget per year"),
        choice("carry_over", &P::carry_over, CARRY_OVER_NAMES, "unspent budget carried to next year"),
        integer("total_budget_xof", &P::total_budget_xof, XOF, "XOF", "cap over the programme's life (0: none)"),
        sectors_field(),
        flag("require_registered", &P::require_registered, "only registered associations are eligible"),
        integer("min_association_age_months", &P::min_association_age_months, MONTH, "months", "eligibility age"),
        ints("call_months", &P::call_months, between(1, 12), "month of year", "months with a call"),
        choice("selection", &P::selection, SELECTION_NAMES, "selection among eligible applications"),
        real("approval_probability", &P::approval_probability, SHARE, "", "technical review pass rate"),
        integer("decision_delay_months", &P::decision_delay_months, between(0, 120), "months", "call to decision"),
        reals("tranche_shares", &P::tranche_shares, SHARE, "share of grant", "grant tranches, summing to 1"),
        reals("tranche_at", &P::tranche_at, SHARE, "share of duration", "when each tranche is paid"),
        real("commune_share", &P::commune_share, SHARE, "share of cost", "commune co-financing share"),
        integer("start_year", &P::start_year, between(0, 1000), "model year", "first active year (0-based)"),
        integer("end_year", &P::end_year, between(0, 1000), "model year", "last active year, inclusive"),
    };
    return s;
}

const Schema<TechnicalAssistance>& assistance_schema() {
    using T = TechnicalAssistance;
    static const Schema<T> s = {
        integer("cost_xof", &T::cost_xof, XOF, "XOF per project",
                "paid from the budget per project (docs/model.md 7.6)"),
        real("failure_factor", &T::failure_factor, SHARE, "factor", "multiplies the abandonment hazard"),
        real("overrun_factor", &T::overrun_factor, SHARE, "factor", "multiplies the overrun sigma"),
    };
    return s;
}

const Schema<SkillsMissions>& skills_missions_schema() {
    using M = SkillsMissions;
    static const Schema<M> s = {
        integer("missions_per_year", &M::missions_per_year, between(0, 1000000), "missions per year",
                "accepted projects a year that get a skills mission (docs/model.md 7.6.9)"),
        integer("cost_xof", &M::cost_xof, XOF, "XOF per mission", "committed and paid at approval"),
        real("failure_factor", &M::failure_factor, SHARE, "factor", "multiplies the abandonment hazard"),
        real("overrun_factor", &M::overrun_factor, SHARE, "factor", "multiplies the overrun sigma"),
        real("breakdown_factor", &M::breakdown_factor, SHARE, "factor",
             "multiplies the breakdown hazards once the project works"),
    };
    return s;
}

const Schema<Reinsertion>& reinsertion_schema() {
    using R = Reinsertion;
    static const Schema<R> s = {
        real("take_up", &R::take_up, SHARE, "share of returnees",
             "returnees who get a grant, while money and the yearly number last (docs/model.md 7.6.10)"),
        integer("grant_xof", &R::grant_xof, PERSONAL_XOF, "XOF per business", "committed and paid at once"),
        integer("support_xof", &R::support_xof, PERSONAL_XOF, "XOF per business",
                "the operator who studies and follows the business, committed and paid with the grant"),
        integer("max_per_year", &R::max_per_year, between(0, 1000000), "grants per year", "grants a year at most"),
        real("closure_hazard", &R::closure_hazard, SHARE, "per month", "probability a business closes in a month"),
        real("jobs_per_business", &R::jobs_per_business, between(0, 1000), "people",
             "people a business employs while open, the returnee included"),
    };
    return s;
}

const Schema<RegistrationSupport>& registration_support_schema() {
    using R = RegistrationSupport;
    static const Schema<R> s = {
        real("rate_per_year", &R::rate_per_year, between(0, 100), "per year",
             "extra registrations of an unregistered active association (docs/model.md 7.6.8)"),
        integer("cost_xof", &R::cost_xof, XOF, "XOF per registration", "paid from the budget per registration"),
    };
    return s;
}

const Schema<LoanParams>& loan_schema() {
    using L = LoanParams;
    static const Schema<L> s = {
        integer("amount_xof", &L::amount_xof, XOF, "XOF", "loan principal feeding the budget (docs/model.md 7.6)"),
        real("interest_rate", &L::interest_rate, SHARE, "per year", "on the outstanding principal"),
        integer("grace_years", &L::grace_years, between(0, 100), "years", "interest only"),
        // 0 (the default) repays in one month; 1 to 100 in the years after the grace.
        integer("tenor_years", &L::tenor_years, between(0, 100), "years", "total life including grace"),
        reals("disbursement", &L::disbursement, SHARE, "share of amount", "disbursed in programme years 0, 1, ..."),
    };
    return s;
}

namespace {

// Only a closure substitutes (docs/model.md 7.1): on other kinds the key is
// an error (read_shock), so the resolved text leaves it out there (and so
// its comment shows no default, the default shock being a recession).
Field<ShockParams> informal_substitution_field() {
    using S = ShockParams;
    Field<S> f = real("informal_substitution", &S::informal_substitution, SHARE, "share",
                      "formal_channel_closed only: share of the would-be formal money sent informally (1: all), "
                      "the rest not sent (docs/model.md 7.1)");
    f.write = [](const S& s) {
        return s.kind == S::Kind::formal_channel_closed ? format_number(s.informal_substitution) : std::string();
    };
    return f;
}

}  // namespace

const Schema<ShockParams>& shock_schema() {
    using S = ShockParams;
    static const Schema<S> s = {
        choice("kind", &S::kind, SHOCK_KIND_NAMES, "what the shock hits (docs/model.md 7.1)"),
        integer("start_month", &S::start_month, MONTH, "month", "first month"),
        integer("end_month", &S::end_month, MONTH, "month", "last month, inclusive"),
        ints("communes", &S::communes, between(0, 1e6), "commune index", "communes hit (empty: all)"),
        real("job_loss_multiplier", &S::job_loss_multiplier, MULTIPLIER, "factor", "on the job-loss hazard"),
        real("job_find_multiplier", &S::job_find_multiplier, MULTIPLIER, "factor", "on the job-finding hazard"),
        real("wage_multiplier", &S::wage_multiplier, MULTIPLIER, "factor", "on wages"),
        real("risk_multiplier", &S::risk_multiplier, MULTIPLIER, "factor", "on implementation risk"),
        real("delay_multiplier", &S::delay_multiplier, MULTIPLIER, "factor", "on project durations"),
        informal_substitution_field(),
    };
    return s;
}

namespace {

// A plain name (letters, digits, '_' and '-'), as scenario and programme names.
template <class T>
Field<T> name_field(const char* key, std::string T::*m, const char* doc) {
    auto read = [m](T& t, const toml::node& n, const std::string& k) {
        const std::string& name = read_string(n, k);
        const bool clean = !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
        });
        if (!clean)
            fail_at(n, k, format_string(name) + " is not a name (allowed: 1 to 64 letters, digits, '_' or '-')");
        t.*m = name;
    };
    return {key, "", doc, "a name", read, [m](const T& t) { return format_string(t.*m); }};
}

// `above = X` or `below = X`: the threshold and its side (read_rule checks there is one).
Field<RuleParams> threshold_field(const char* key, bool above) {
    auto read = [above](RuleParams& r, const toml::node& n, const std::string& k) {
        r.threshold = read_real(n, k, between(-1e15, 1e15));
        r.above = above;
    };
    auto write = [above](const RuleParams& r) { return r.above == above ? format_number(r.threshold) : std::string(); };
    return {key,
            "",
            above ? "the rule fires when the observable is above this" : "or when it is below this",
            between(-1e15, 1e15).text(),
            read,
            write};
}

// Written only for the actions that take a value (read_rule refuses it on the others).
Field<RuleParams> value_field() {
    using R = RuleParams;
    Field<R> f = real("value", &R::value, between(0, 1e15), "share, ratio, XOF or months",
                      "set_share, set_ratio: the new value; set_cap, fund_repairs: XOF; pause: months");
    f.write = [](const R& r) { return R::takes_value(r.action) ? format_number(r.value) : std::string(); };
    return f;
}

}  // namespace

const Schema<RuleParams>& rule_schema() {
    using R = RuleParams;
    static const Schema<R> s = {
        name_field("name", &R::name, "the rule's name, in the results (rule_name)"),
        choice("if", &R::observable, R::OBSERVABLE_NAMES, "what the rule watches (docs/model.md 7.6.11)"),
        threshold_field("above", true),
        threshold_field("below", false),
        name_field("programme", &R::programme, "the programme the action changes (and whose budget it watches)"),
        choice("action", &R::action, R::ACTION_NAMES, "what the rule does when it fires (docs/model.md 7.6.11)"),
        value_field(),
        choice("sector", &R::sector, SECTOR_NAMES, "broken_share, fund_repairs: the sector"),
        integer("from_month", &R::from_month, MONTH, "month", "not checked before this month"),
        integer("max_firings", &R::max_firings, between(1, 100000), "firings", "fires at most this many times"),
        integer("every_months", &R::every_months, between(1, 12000), "months", "at least this long between firings"),
        ints("check_months", &R::check_months, between(1, 12), "month of the year",
             "months of the year it is checked (empty: every month)"),
    };
    return s;
}

const Schema<AppraisalParams>& appraisal_schema() {
    using A = AppraisalParams;
    static const Schema<A> s = {
        real("discount_rate", &A::discount_rate, between(0, 1), "per year",
             "the funder's discount rate for the economic analysis (docs/appraisal.md)"),
        benefit_field(),
        benefit_range_field(),
        uncertain_field(),
    };
    return s;
}

const Schema<MigrationParams>& migration_schema() {
    using M = MigrationParams;
    static const Schema<M> s = {
        real("return_hazard", &M::return_hazard, SHARE, "per month",
             "return probability per migrant (docs/model.md 7.9)"),
        real("departure_rate", &M::departure_rate, SHARE, "per month",
             "departures per current migrant (docs/model.md 7.9)"),
        real("max_migrant_share", &M::max_migrant_share, SHARE, "share of population", "cap on a commune's migrants"),
    };
    return s;
}

// Regions are by name in the file, by index in CommuneParams: scenario_communes.cpp.
const Schema<CommuneParams>& commune_schema() {
    using C = CommuneParams;
    static const Schema<C> s = {
        // Bounded so that migrants x weight and the sum over a million communes stay
        // far inside a double (1e306 made the apportioning loop forever).
        real("diaspora_weight", &C::diaspora_weight, between(0, 1e9), "", "relative size of the commune's diaspora"),
        integer("population", &C::population, at_least(1), "people", "residents"),
        real("risk", &C::risk, at_least(0), "factor", "implementation-risk multiplier"),
        integer("cofinancing_budget_xof_per_year", &C::cofinancing_budget_xof_per_year, XOF, "XOF/year",
                "commune money for co-financing"),
    };
    return s;
}

}  // namespace codev::scenario_detail
