// Policies that react (docs/model.md 7.6.11).
//
// Rules run serially at the start of a recorded month, before the shocks,
// in the scenario's order, on observables all measured before any rule acts:
// so the firings of a month do not depend on the order of the rules, only
// their actions do, and no random number is drawn.
#include "codev/rules.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>

#include "codev/programmes.hpp"
#include "codev/projects.hpp"

namespace codev {

bool observe_rule(const World& world, const RuleParams& rule, const JobRecord& record, double& value) {
    using O = RuleParams::Observable;
    switch (rule.observable) {
        case O::budget_unspent_share: {
            const ProgrammeState& st = world.programmes[std::size_t(rule.programme_index)];
            if (st.year_budget_xof <= 0) return false;
            value = double(st.year_budget_xof - st.committed_this_year_xof) / double(st.year_budget_xof);
            return true;
        }
        case O::broken_share: {
            std::int64_t working = 0, broken = 0;
            for (const Project& pr : world.projects) {
                if (pr.sector != rule.sector) continue;
                working += pr.state == ProjectState::operating;
                broken += pr.state == ProjectState::broken;
            }
            if (working + broken == 0) return false;
            value = double(broken) / double(working + broken);
            return true;
        }
        case O::remittance_change: {
            const int t = world.month;  // the months before t are recorded
            if (t < 24) return false;
            double last = 0, before = 0;
            for (int m = t - 24; m < t; ++m) {
                const double sent =
                    double(record.at(m, Series::remit_formal)) + double(record.at(m, Series::remit_informal));
                (m < t - 12 ? before : last) += sent;
            }
            if (before <= 0) return false;
            value = last / before - 1.0;
            return true;
        }
        case O::month:
            value = world.month;
            return true;
    }
    return false;
}

namespace {

bool due(const World& world, const RuleParams& rule, const RuleState& state) {
    if (world.month < rule.from_month || state.firings >= rule.max_firings) return false;
    if (world.month - state.last_fired < rule.every_months) return false;
    const int month_of_year = world.month % 12 + 1;
    return rule.check_months.empty() ||
           std::find(rule.check_months.begin(), rule.check_months.end(), month_of_year) != rule.check_months.end();
}

// The programme pays, from its budget and up to the rule's value, the
// repairs of the sector's broken projects, in index order; paid as
// assistance (committed and paid at once, like supported registrations).
void fund_repairs(World& world, const Params& policy, const RuleParams& rule, ProgrammeState& st) {
    std::int64_t left = std::int64_t(rule.value);
    for (Project& pr : world.projects) {
        if (pr.state != ProjectState::broken || pr.sector != rule.sector) continue;
        const std::int64_t cost = repair_cost(policy, pr);
        if (cost > left || !try_commit(world, st, cost)) continue;
        left -= cost;
        st.month[int(ProgrammeSeries::assistance_paid)] += cost;
        world.events.technical_assistance_paid += cost;
        repair(world, policy, pr);
    }
}

void act(World& world, const Params& policy, const RuleParams& rule) {
    ProgrammeState& st = world.programmes[std::size_t(rule.programme_index)];
    using A = RuleParams::Action;
    switch (rule.action) {
        case A::set_share:
            st.rule_share = rule.value;
            break;
        case A::set_ratio:
            st.rule_ratio = rule.value;
            break;
        case A::set_cap:
            st.rule_cap_xof = std::int64_t(rule.value);
            break;
        case A::extra_call:
            st.extra_call_month = world.month;
            break;
        case A::fund_repairs:
            fund_repairs(world, policy, rule, st);
            break;
        case A::pause:  // the reader bounds the months (12000 at most)
            st.paused_until = std::max(st.paused_until, world.month + int(std::min(rule.value, 12000.0)));
            break;
        case A::end:
            st.paused_until = std::numeric_limits<int>::max();
            st.rule_end_year = world.month / 12;
            break;
    }
}

}  // namespace

void step_rules(World& world, const Params& scenario, const Params& policy, JobRecord& record) {
    const std::size_t n = scenario.rules.size();
    for (const RuleParams& rule : scenario.rules)  // set by the scenario reader; a hand-made Params may miss it
        if (rule.programme_index < 0 || std::size_t(rule.programme_index) >= world.programmes.size())
            throw std::invalid_argument("rule '" + rule.name + "' names no programme of the scenario ('" +
                                        rule.programme + "')");
    std::vector<char> fires(n, 0);
    for (std::size_t r = 0; r < n; ++r) {
        double value = 0;
        const RuleParams& rule = scenario.rules[r];
        if (!due(world, rule, world.rules[r]) || !observe_rule(world, rule, record, value)) continue;
        fires[r] = rule.above ? value > rule.threshold : value < rule.threshold;
    }
    for (std::size_t r = 0; r < n; ++r) {
        if (!fires[r]) continue;
        act(world, policy, scenario.rules[r]);
        ++world.rules[r].firings;
        world.rules[r].last_fired = world.month;
        record.fired(world.month, int(r)) = 1;
    }
}

void apply_rule_changes(const Params& scenario, const World& world, Params& policy) {
    for (std::size_t p = 0; p < scenario.programmes.size(); ++p) {
        const ProgrammeParams& given = scenario.programmes[p];
        const ProgrammeState& st = world.programmes[p];
        ProgrammeParams& now = policy.programmes[p];
        now.share = st.rule_share >= 0 ? st.rule_share : given.share;
        now.ratio = st.rule_ratio >= 0 ? st.rule_ratio : given.ratio;
        now.cap_xof = st.rule_cap_xof >= 0 ? st.rule_cap_xof : given.cap_xof;
        now.end_year = st.rule_end_year >= 0 ? std::min(st.rule_end_year, given.end_year) : given.end_year;
    }
}

}  // namespace codev
