// Every field of a simulation's state that lasts from one month to the next,
// by the name it has in a statepoint file (docs/statepoints.md). The one
// list that the statepoint writer, its reader and the tests that compare
// two states walk: a field added to the world must be added here, and the
// size checks below fail the build until it is.
//
// Not listed, because the month recomputes them before reading them:
// World::conditions (step_shocks, process 1), World::events and each
// programme's `month` and `completed_month` (reset_month_counters), and
// the per-month outcome counts `completed_now` and `abandoned_now`.
#pragma once

#include <type_traits>
#include <vector>

#include "codev/records.hpp"
#include "codev/world.hpp"

namespace codev::state {

// A field of every element of an array of structs (projects, programmes,
// tallies), stored as one column.
template <class Row, class T>
struct Column {
    using row_type = Row;
    using value_type = T;
    T Row::*member;
};

// Guards against a field added to a struct but not to the list: sizes on
// x86-64 (the only target). Update the list, then the size.
static_assert(sizeof(Migrants) == 7 * sizeof(std::vector<int>), "store the new Migrants field in state_fields.hpp");
static_assert(sizeof(Associations) == 20 * sizeof(std::vector<int>),
              "store the new Associations field in state_fields.hpp");
static_assert(sizeof(Communes) == 14 * sizeof(std::vector<int>), "store the new Communes field in state_fields.hpp");
static_assert(sizeof(Project) == 136, "store the new Project field in state_fields.hpp");
static_assert(sizeof(ProgrammeState) ==
                  12 * 8 + 8 + 3 * 8 + 4 * 4 + sizeof(std::vector<int>) + 8 * (PROGRAMME_SERIES_COUNT + SECTOR_COUNT),
              "store the new ProgrammeState field in state_fields.hpp");
static_assert(sizeof(CommuneTally) == 13 * 8, "store the new CommuneTally field in state_fields.hpp");
static_assert(sizeof(World) == 16 + 8 + sizeof(Migrants) + sizeof(Associations) + sizeof(Communes) +
                                   7 * sizeof(std::vector<int>) + sizeof(MonthConditions) + sizeof(MonthEvents),
              "store the new World field in state_fields.hpp");

// Calls, for every stored field of the world:
//   v(name, std::vector<T>&)                  a column (T arithmetic, enum or std::array)
//   v(name, std::vector<Row>&, Column<Row,T>) a field of an array of structs
//   v.ragged(name, std::vector<ProgrammeState>&) each programme's businesses per commune
// W is World or const World.
template <class W, class Visitor>
void visit_world(W& w, Visitor&& v) {
    auto& m = w.migrants;
    v("migrants.id", m.id);
    v("migrants.base_income_xof", m.base_income_xof);
    v("migrants.propensity", m.propensity);
    v("migrants.trust", m.trust);
    v("migrants.association", m.association);
    v("migrants.corridor", m.corridor);
    v("migrants.flags", m.flags);

    auto& a = w.associations;
    v("associations.commune", a.commune);
    v("associations.treasury_xof", a.treasury_xof);
    v("associations.dues_xof", a.dues_xof);
    v("associations.registered", a.registered);
    v("associations.created_month", a.created_month);
    v("associations.status", a.status);
    v("associations.status_since", a.status_since);
    v("associations.last_active_month", a.last_active_month);
    v("associations.stage", a.stage);
    v("associations.project", a.project);
    v("associations.under_way", a.under_way);
    v("associations.stalled", a.stalled);
    v("associations.members", a.members);
    v("associations.raising_multiplier", a.raising_multiplier);
    v("associations.treasury_before", a.treasury_before);
    v("associations.inflow_xof", a.inflow_xof);
    v("associations.completed_total", a.completed_total);
    v("associations.failed_total", a.failed_total);

    auto& c = w.communes;
    v("communes.population", c.population);
    v("communes.region", c.region);
    v("communes.risk", c.risk);
    v("communes.cofinancing_budget_xof_per_year", c.cofinancing_budget_xof_per_year);
    v("communes.cofinancing_left_xof", c.cofinancing_left_xof);
    v("communes.served", c.served);
    v("communes.served_initial", c.served_initial);
    v("communes.first_slot", c.first_slot);
    v("communes.first_association", c.first_association);
    v("communes.joinable_count", c.joinable_count);
    v("communes.migrants", c.migrants);
    v("communes.departures_made", c.departures_made);
    v("free_slots", w.free_slots);
    v("free_count", w.free_count);
    v("joinable", w.joinable);

    using P = Project;
    auto& p = w.projects;
    v("projects.association", p, Column<P, std::int32_t>{&P::association});
    v("projects.commune", p, Column<P, std::int32_t>{&P::commune});
    v("projects.sector", p, Column<P, Sector>{&P::sector});
    v("projects.state", p, Column<P, ProjectState>{&P::state});
    v("projects.programme", p, Column<P, std::int8_t>{&P::programme});
    v("projects.tries", p, Column<P, std::uint8_t>{&P::tries});
    v("projects.tranches_paid", p, Column<P, std::uint8_t>{&P::tranches_paid});
    v("projects.technical_assistance", p, Column<P, std::uint8_t>{&P::technical_assistance});
    v("projects.skills_mission", p, Column<P, std::uint8_t>{&P::skills_mission});
    v("projects.cost_xof", p, Column<P, std::int64_t>{&P::cost_xof});
    v("projects.public_xof", p, Column<P, std::int64_t>{&P::public_xof});
    v("projects.commune_xof", p, Column<P, std::int64_t>{&P::commune_xof});
    v("projects.migrant_target_xof", p, Column<P, std::int64_t>{&P::migrant_target_xof});
    v("projects.paid_migrants_xof", p, Column<P, std::int64_t>{&P::paid_migrants_xof});
    v("projects.paid_programme_xof", p, Column<P, std::int64_t>{&P::paid_programme_xof});
    v("projects.paid_commune_xof", p, Column<P, std::int64_t>{&P::paid_commune_xof});
    v("projects.overrun_xof", p, Column<P, std::int64_t>{&P::overrun_xof});
    v("projects.expected_public_share", p, Column<P, double>{&P::expected_public_share});
    v("projects.overrun_factor", p, Column<P, double>{&P::overrun_factor});
    v("projects.idea_month", p, Column<P, std::int32_t>{&P::idea_month});
    v("projects.applied_month", p, Column<P, std::int32_t>{&P::applied_month});
    v("projects.start_month", p, Column<P, std::int32_t>{&P::start_month});
    v("projects.duration_months", p, Column<P, std::int32_t>{&P::duration_months});
    v("projects.completion_month", p, Column<P, std::int32_t>{&P::completion_month});
    v("projects.broken_since", p, Column<P, std::int32_t>{&P::broken_since});
    v("projects.served", p, Column<P, std::int64_t>{&P::served});
    v("projects.stalled", p, Column<P, bool>{&P::stalled});

    using G = ProgrammeState;
    auto& g = w.programmes;
    v("programmes.available_xof", g, Column<G, std::int64_t>{&G::available_xof});
    v("programmes.year_budget_xof", g, Column<G, std::int64_t>{&G::year_budget_xof});
    v("programmes.committed_this_year_xof", g, Column<G, std::int64_t>{&G::committed_this_year_xof});
    v("programmes.granted_total_xof", g, Column<G, std::int64_t>{&G::granted_total_xof});
    v("programmes.loan_outstanding_xof", g, Column<G, std::int64_t>{&G::loan_outstanding_xof});
    v("programmes.loan_disbursed_total_xof", g, Column<G, std::int64_t>{&G::loan_disbursed_total_xof});
    v("programmes.returned_total_xof", g, Column<G, std::int64_t>{&G::returned_total_xof});
    v("programmes.committed_total_xof", g, Column<G, std::int64_t>{&G::committed_total_xof});
    v("programmes.lapsed_total_xof", g, Column<G, std::int64_t>{&G::lapsed_total_xof});
    v("programmes.debt_service_total_xof", g, Column<G, std::int64_t>{&G::debt_service_total_xof});
    v("programmes.principal_due_total_xof", g, Column<G, std::int64_t>{&G::principal_due_total_xof});
    v("programmes.debt_arrears_xof", g, Column<G, std::int64_t>{&G::debt_arrears_xof});
    v("programmes.missions_this_year", g, Column<G, int>{&G::missions_this_year});
    v("programmes.reinsertions_this_year", g, Column<G, int>{&G::reinsertions_this_year});
    v("programmes.rule_share", g, Column<G, double>{&G::rule_share});
    v("programmes.rule_ratio", g, Column<G, double>{&G::rule_ratio});
    v("programmes.rule_cap_xof", g, Column<G, std::int64_t>{&G::rule_cap_xof});
    v("programmes.rule_end_year", g, Column<G, int>{&G::rule_end_year});
    v("programmes.paused_until", g, Column<G, int>{&G::paused_until});
    v("programmes.extra_call_month", g, Column<G, int>{&G::extra_call_month});
    v.ragged("programmes.businesses", g);

    using R = RuleState;
    v("rules.firings", w.rules, Column<R, std::int32_t>{&R::firings});
    v("rules.last_fired", w.rules, Column<R, std::int32_t>{&R::last_fired});

    using K = CommuneTally;
    auto& t = w.tally;
    v("tally.alive", t, Column<K, std::int64_t>{&K::alive});
    v("tally.employed", t, Column<K, std::int64_t>{&K::employed});
    v("tally.members", t, Column<K, std::int64_t>{&K::members});
    v("tally.remit_formal", t, Column<K, std::int64_t>{&K::remit_formal});
    v("tally.remit_informal", t, Column<K, std::int64_t>{&K::remit_informal});
    v("tally.remit_fees", t, Column<K, std::int64_t>{&K::remit_fees});
    v("tally.received", t, Column<K, std::int64_t>{&K::received});
    v("tally.dues", t, Column<K, std::int64_t>{&K::dues});
    v("tally.contributions", t, Column<K, std::int64_t>{&K::contributions});
    v("tally.association_fees", t, Column<K, std::int64_t>{&K::association_fees});
    v("tally.departures", t, Column<K, std::int64_t>{&K::departures});
    v("tally.returns", t, Column<K, std::int64_t>{&K::returns});
    v("tally.member_trust_sum", t, Column<K, double>{&K::member_trust_sum});
}

// The record of the months already run, the same way (v(name, vector)).
template <class R, class Visitor>
void visit_record(R& r, Visitor&& v) {
    v("record.monthly", r.monthly);
    v("record.sector_monthly", r.sector_monthly);
    v("record.mean_trust", r.mean_trust);
    v("record.idea_to_completion_months", r.idea_to_completion_months);
    v("record.completed_value", r.completed_value);
    v("record.yearly_people_served", r.yearly_people_served);
    v("record.yearly_projects_operating", r.yearly_projects_operating);
    v("record.yearly_population", r.yearly_population);
    v("record.programme_monthly", r.programme_monthly);
    v("record.programme_completed", r.programme_completed);
    v("record.rule_fired", r.rule_fired);
}

}  // namespace codev::state
