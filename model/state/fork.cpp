// Forks (fork.hpp, docs/statepoints.md "Forks"): when two scenarios start to
// act differently, and a trunk's state handed to a scenario that forks.
#include "codev/state/fork.hpp"

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "codev/scenario/scenario.hpp"

namespace codev {

namespace {

// The TOML of what acts from the first month: everything but the dated
// parts (programmes, shocks, fee paths), and but what says how results are
// compared and shown, not what happens: the baseline flag, the title, the
// description and the appraisal's terms.
std::string undated_toml(Params p) {
    p.programmes.clear();
    p.shocks.clear();
    p.rules.clear();
    p.formal_fee_pct = Path{};
    p.formal_fee_fixed_xof = Path{};
    p.baseline = false;
    p.title = {};
    p.description = {};
    p.appraisal = {};
    return params_to_toml(p);
}

// A programme as TOML, alone in an otherwise default scenario.
std::string programme_toml(const ProgrammeParams& programme) {
    Params p;
    p.programmes = {programme};
    return params_to_toml(p);
}

// A rule as TOML, alone in an otherwise default scenario.
std::string rule_toml(const RuleParams& rule) {
    Params p;
    p.rules = {rule};
    return params_to_toml(p);
}

// A shock as TOML, alone in an otherwise default scenario with the
// scenario's corridors (which the TOML names).
std::string shock_toml(const ShockParams& shock, const std::vector<CorridorParams>& corridors) {
    Params p;
    p.corridors = corridors;
    p.shocks = {shock};
    return params_to_toml(p);
}

// The first month two fee paths give different values (months when never).
int path_difference(const Path& a, const Path& b, int first, int months) {
    if (a.points.empty() != b.points.empty()) return first;  // a set path overrides the corridors' fees
    if (a.points == b.points) return months;
    for (int t = first; t < months; ++t)
        if (a.at(t) != b.at(t)) return t;
    return months;
}

int programme_start(const ProgrammeParams& p) { return 12 * p.start_year; }

std::uint64_t fnv1a(const std::string& text) {
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : text) h = (h ^ c) * 1099511628211ull;
    return h;
}

// A text and its hash: compared by hash to choose among many candidates,
// by text to decide.
struct Text {
    std::string text;
    std::uint64_t hash = 0;
    explicit Text(std::string t) : text(std::move(t)), hash(fnv1a(text)) {}
    bool same(const Text& other, bool exact) const { return hash == other.hash && (!exact || text == other.text); }
};

struct ProgrammeSignature {
    std::string name;
    Text whole, without_end;  // the programme, and the programme with end_year 0
    int start = 0, end_year = 0;
};

struct ShockSignature {
    Text whole;
    int start = 0;
};

struct RuleSignature {
    std::string name;
    Text whole;
    int from = 0;
};

// What the comparison reads, made once per scenario.
struct Signature {
    int months = 0, spinup = 0;
    Text undated;
    std::vector<ProgrammeSignature> programmes;
    std::vector<ShockSignature> shocks;
    std::vector<RuleSignature> rules;
    const Path* fee_pct = nullptr;
    const Path* fee_fixed = nullptr;
};

Signature signature(const Params& p) {
    Signature s{p.months, p.spinup_months,   Text(undated_toml(p)),  {}, {},
                {},       &p.formal_fee_pct, &p.formal_fee_fixed_xof};
    for (const RuleParams& rule : p.rules) s.rules.push_back({rule.name, Text(rule_toml(rule)), rule.from_month});
    for (const ProgrammeParams& programme : p.programmes) {
        ProgrammeParams without_end = programme;
        without_end.end_year = 0;
        s.programmes.push_back({programme.name, Text(programme_toml(programme)), Text(programme_toml(without_end)),
                                programme_start(programme), programme.end_year});
    }
    for (const ShockParams& shock : p.shocks)
        s.shocks.push_back({Text(shock_toml(shock, p.corridors)), shock.start_month});
    return s;
}

// The first month programmes at the same place act differently (months when the same).
int programme_difference(const ProgrammeSignature* a, const ProgrammeSignature* b, int months, bool exact) {
    if (!a || !b) return a ? a->start : b->start;
    if (a->whole.same(b->whole, exact)) return months;
    // An end year acts from the next year (programmes.cpp: active, release_closed).
    if (a->without_end.same(b->without_end, exact)) return 12 * (std::min(a->end_year, b->end_year) + 1);
    return std::min(a->start, b->start);
}

int difference(const Signature& a, const Signature& b, bool exact) {
    const int first = -std::max(a.spinup, b.spinup);
    if (a.months != b.months || a.spinup != b.spinup || !a.undated.same(b.undated, exact)) return first;
    int month = b.months;
    // Programmes are matched by name: their random streams are keyed by it
    // (programmes.hpp), and fork_state moves their state to their new place.
    const auto find = [](const Signature& x, const std::string& name) -> const ProgrammeSignature* {
        for (const ProgrammeSignature& p : x.programmes)
            if (p.name == name) return &p;
        return nullptr;
    };
    std::vector<std::string> common_a, common_b;  // the programmes of both, in each one's order
    int common_start = b.months;
    for (const ProgrammeSignature& pa : a.programmes) {
        const ProgrammeSignature* pb = find(b, pa.name);
        month = std::min(month, programme_difference(&pa, pb, b.months, exact));
        if (pb) common_a.push_back(pa.name), common_start = std::min({common_start, pa.start, pb->start});
    }
    for (const ProgrammeSignature& pb : b.programmes) {
        if (!find(a, pb.name))
            month = std::min(month, pb.start);
        else
            common_b.push_back(pb.name);
    }
    // Their order decides ties between programmes and which call runs first.
    if (common_a != common_b) month = std::min(month, common_start);
    month = std::max(0, month);  // no programme acts in the spin-up (programmes.cpp, is_eligible)
    // Rules (matched by name) act from their from_month, in their order (that of their actions).
    int rules_month = b.months;
    const auto find_rule = [](const Signature& x, const std::string& name) -> const RuleSignature* {
        for (const RuleSignature& r : x.rules)
            if (r.name == name) return &r;
        return nullptr;
    };
    std::vector<std::string> rules_a, rules_b;
    int common_from = b.months;
    for (const RuleSignature& ra : a.rules) {
        const RuleSignature* rb = find_rule(b, ra.name);
        if (!rb || !ra.whole.same(rb->whole, exact))
            rules_month = std::min(rules_month, rb ? std::min(ra.from, rb->from) : ra.from);
        if (rb) rules_a.push_back(ra.name), common_from = std::min({common_from, ra.from, rb->from});
    }
    for (const RuleSignature& rb : b.rules) {
        if (!find_rule(a, rb.name))
            rules_month = std::min(rules_month, rb.from);
        else
            rules_b.push_back(rb.name);
    }
    if (rules_a != rules_b) rules_month = std::min(rules_month, common_from);
    month = std::min(month, std::max(0, rules_month));  // rules are checked in recorded months only
    // Shocks apply in their order; once two lists part, every later shock of either may act differently.
    const std::size_t shocks = std::max(a.shocks.size(), b.shocks.size());
    bool parted = false;
    for (std::size_t i = 0; i < shocks; ++i) {
        const ShockSignature* sa = i < a.shocks.size() ? &a.shocks[i] : nullptr;
        const ShockSignature* sb = i < b.shocks.size() ? &b.shocks[i] : nullptr;
        parted = parted || !sa || !sb || !sa->whole.same(sb->whole, exact);
        if (!parted) continue;
        if (sa) month = std::min(month, sa->start);
        if (sb) month = std::min(month, sb->start);
    }
    month = std::min(month, path_difference(*a.fee_pct, *b.fee_pct, first, b.months));
    month = std::min(month, path_difference(*a.fee_fixed, *b.fee_fixed, first, b.months));
    return std::max(first, month);
}

}  // namespace

int first_difference_month(const Params& a, const Params& b) { return difference(signature(a), signature(b), true); }

std::vector<ForkOrigin> plan_forks(const std::vector<const Params*>& group) {
    std::vector<Signature> signatures;
    signatures.reserve(group.size());
    for (const Params* p : group) signatures.push_back(signature(*p));
    std::vector<ForkOrigin> origins(group.size());
    for (std::size_t s = 0; s < group.size(); ++s) {
        origins[s].month = -group[s]->spinup_months;
        int best = -1, best_month = origins[s].month;
        for (std::size_t t = 0; t < s; ++t) {
            if (t >= 16 && t + 48 < s) continue;
            const int month = difference(signatures[t], signatures[s], false);
            if (month > best_month) best = int(t), best_month = month;
        }
        if (best < 0) continue;
        // The hashes chose; the texts decide (a collision forks later or not at all).
        best_month = difference(signatures[std::size_t(best)], signatures[s], true);
        if (best_month <= origins[s].month) continue;
        // A parent that itself forks after this month holds its own parent's past then.
        while (origins[std::size_t(best)].parent >= 0 && origins[std::size_t(best)].month > best_month)
            best = origins[std::size_t(best)].parent;
        origins[s] = {best, best_month};
    }
    return origins;
}

SimulationState fork_state(const SimulationState& trunk, const Params& from, const Params& to) {
    SimulationState state = trunk;
    const int month = trunk.world.month;
    const std::size_t programmes = to.programmes.size();
    // Programmes `to` has started keep their state (the trunk's programme of
    // the same name); the others have none yet.
    std::vector<int> trunk_index(programmes, -1);
    std::vector<std::int8_t> new_index(from.programmes.size(), -1);
    state.world.programmes.assign(programmes, ProgrammeState{});
    for (std::size_t p = 0; p < programmes; ++p) {
        if (programme_start(to.programmes[p]) >= month) continue;
        for (std::size_t q = 0; q < from.programmes.size(); ++q)
            if (from.programmes[q].name == to.programmes[p].name) trunk_index[p] = int(q);
        if (trunk_index[p] < 0 || std::size_t(trunk_index[p]) >= trunk.world.programmes.size())
            throw std::logic_error("fork at month " + std::to_string(month) + ": programme '" + to.programmes[p].name +
                                   "' started without a past in the trunk");
        state.world.programmes[p] = trunk.world.programmes[std::size_t(trunk_index[p])];
        new_index[std::size_t(trunk_index[p])] = std::int8_t(p);
    }
    for (Project& pr : state.world.projects) {
        if (pr.programme < 0) continue;
        if (new_index[std::size_t(pr.programme)] < 0)
            throw std::logic_error("fork at month " + std::to_string(month) + ": a project of programme '" +
                                   from.programmes[std::size_t(pr.programme)].name + "', which the fork does not keep");
        pr.programme = new_index[std::size_t(pr.programme)];
    }
    // Rules checked before the month keep their state (the trunk's rule of the same name); the others have none.
    const std::size_t rules = to.rules.size();
    std::vector<int> trunk_rule(rules, -1);
    state.world.rules.assign(rules, RuleState{});
    for (std::size_t i = 0; i < rules; ++i) {
        if (to.rules[i].from_month >= month) continue;
        for (std::size_t q = 0; q < from.rules.size(); ++q)
            if (from.rules[q].name == to.rules[i].name) trunk_rule[i] = int(q);
        if (trunk_rule[i] < 0 || std::size_t(trunk_rule[i]) >= trunk.world.rules.size())
            throw std::logic_error("fork at month " + std::to_string(month) + ": rule '" + to.rules[i].name +
                                   "' checked without a past in the trunk");
        state.world.rules[i] = trunk.world.rules[std::size_t(trunk_rule[i])];
    }
    JobRecord& r = state.record;
    const JobRecord& t = trunk.record;
    r.resize(t.months, t.communes, int(programmes), int(rules));
    r.monthly = t.monthly;
    r.sector_monthly = t.sector_monthly;
    r.mean_trust = t.mean_trust;
    r.idea_to_completion_months = t.idea_to_completion_months;
    r.completed_value = t.completed_value;
    r.yearly_people_served = t.yearly_people_served;
    r.yearly_projects_operating = t.yearly_projects_operating;
    r.yearly_population = t.yearly_population;
    for (int m = 0; m < std::min(month, t.months); ++m)
        for (std::size_t p = 0; p < programmes; ++p) {
            const int q = trunk_index[p];
            if (q < 0) continue;
            for (int s = 0; s < PROGRAMME_SERIES_COUNT; ++s)
                r.at(m, int(p), ProgrammeSeries(s)) = t.at(m, q, ProgrammeSeries(s));
            for (int k = 0; k < SECTOR_COUNT; ++k) r.completed(m, int(p), k) = t.completed(m, q, k);
        }
    for (int m = 0; m < std::min(month, t.months); ++m)
        for (std::size_t i = 0; i < rules; ++i)
            if (trunk_rule[i] >= 0) r.fired(m, int(i)) = t.fired(m, trunk_rule[i]);
    return state;
}

}  // namespace codev
