// Scenario loading, validation and writing (include/codev/scenario.hpp).
//
// The resolved TOML table (extends applied) is read section by section
// through the parameter schema (scenario_schema.cpp); checks that involve
// several parameters follow, each pointing at the line of the value at fault.
#include "codev/scenario/scenario.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <numeric>

#include "codev/records.hpp"
#include "scenario_detail.hpp"

namespace codev {

using namespace scenario_detail;

namespace {

constexpr std::array<std::string_view, 13> TOP_TABLES = {
    "world",  "corridors", "behaviour", "associations", "sectors", "fees",     "programmes",
    "shocks", "rules",     "migration", "communes",     "extends", "appraisal"};

// Names become dotted keys and results labels: keep them plain.
bool is_plain_name(std::string_view name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
    });
}

void check_name(const toml::node& node, const std::string& key, std::string_view name) {
    if (!is_plain_name(name)) fail_at(node, key, "a name may use only letters, digits, '_' and '-'");
}

bool sums_to_one(const std::vector<double>& v) {
    return std::abs(std::accumulate(v.begin(), v.end(), 0.0) - 1.0) <= 1e-9;
}

void read_corridors(const toml::table& root, Params& p) {
    const toml::node* node = root.get("corridors");
    if (!node) return;  // require_corridors says so, after the other sections are checked
    const auto& table = read_table(*node, "corridors");
    double total = 0;
    for (auto&& [name, value] : table) {  // toml++ tables iterate in key order: corridors ordered by name
        const std::string prefix = join_key("corridors", name.str());
        check_name(value, prefix, name.str());
        CorridorParams c;
        c.name = name.str();
        read_section(read_table(value, prefix), c, corridor_schema(), prefix);
        total += c.share_of_migrants;
        p.corridors.push_back(std::move(c));
        // The model stores a migrant's corridor in one byte.
        if (p.corridors.size() > 255) fail_at(value, prefix, "too many corridors (allowed: at most 255)");
    }
    // Shares of one diaspora: they must add up, or the migrants would not.
    if (!table.empty() && std::abs(total - 1.0) > 1e-6)
        fail_at(table, "corridors",
                "share_of_migrants adds up to " + format_number(total) + " over the corridors (allowed: a sum of 1)");
}

// Last of the section checks, so an empty or mistyped file reports its own
// mistakes before the missing corridor.
void require_corridors(const toml::table& root, const Params& p) {
    if (p.corridors.empty())
        fail_at(node_or(root, "corridors"), "corridors",
                "a scenario needs at least one corridor (add a [corridors.NAME] table)");
}

void read_sectors(const toml::table& root, Params& p) {
    const toml::node* node = root.get("sectors");
    if (!node) return;
    const std::vector<std::string> names(SECTOR_NAMES.begin(), SECTOR_NAMES.end());
    for (auto&& [name, value] : read_table(*node, "sectors")) {
        const std::string prefix = join_key("sectors", name.str());
        auto it = std::find(names.begin(), names.end(), name.str());
        if (it == names.end()) fail_at(value, prefix, unknown_problem("sectors", name.str(), names, "sector"));
        auto& sector = p.sectors[static_cast<std::size_t>(it - names.begin())];
        read_section(read_table(value, prefix), sector, sector_schema(), prefix);
    }
}

// Calls and tranches (docs/model.md 7.6): when the programme decides and pays.
void check_schedule(const toml::table& t, const ProgrammeParams& g, const std::string& prefix) {
    auto months = g.call_months;
    std::sort(months.begin(), months.end());
    if (months.empty())
        fail_at(node_or(t, "call_months"), prefix + ".call_months", "needs at least one month (allowed: 1 to 12)");
    if (auto twice = std::adjacent_find(months.begin(), months.end()); twice != months.end())
        fail_at(node_or(t, "call_months"), prefix + ".call_months",
                "month " + std::to_string(*twice) + " is listed twice (allowed: distinct months 1 to 12)");
    if (g.tranche_shares.empty() || !sums_to_one(g.tranche_shares))
        fail_at(node_or(t, "tranche_shares"), prefix + ".tranche_shares",
                "the shares must add up to 1 (they add up to " +
                    format_number(std::accumulate(g.tranche_shares.begin(), g.tranche_shares.end(), 0.0)) + ")");
    if (g.tranche_at.size() != g.tranche_shares.size())
        fail_at(node_or(t, "tranche_at"), prefix + ".tranche_at",
                "needs one entry per tranche share (" + std::to_string(g.tranche_shares.size()) + ")");
    if (!std::is_sorted(g.tranche_at.begin(), g.tranche_at.end()))
        fail_at(node_or(t, "tranche_at"), prefix + ".tranche_at", "must not decrease (tranches are paid in order)");
    if (g.end_year < g.start_year)
        fail_at(node_or(t, "end_year"), prefix + ".end_year", "ends before start_year " + std::to_string(g.start_year));
}

// Who pays what: public + commune shares cannot exceed the cost; a loan
// disburses all of its amount and repays within its tenor.
void check_financing(const toml::table& t, const ProgrammeParams& g, const std::string& prefix) {
    if (g.rule == Rule::share && g.share + g.commune_share > 1.0 + 1e-12)
        fail_at(node_or(t, "share"), prefix + ".share",
                "share + commune_share is " + format_number(g.share + g.commune_share) +
                    ", the project would be over-financed (allowed: at most 1)");
    // The ratio rule's public part of the cost is r / (1 + r) before the cap.
    const double ratio_share = g.ratio / (1.0 + g.ratio);
    if (g.rule == Rule::ratio && ratio_share + g.commune_share > 1.0 + 1e-12)
        fail_at(node_or(t, "commune_share"), prefix + ".commune_share",
                "ratio / (1 + ratio) + commune_share is " + format_number(ratio_share + g.commune_share) +
                    ", the project would be over-financed (allowed: at most 1)");
    const toml::table* loan = t.get_as<toml::table>("loan");
    if (!loan) return;
    if (!sums_to_one(g.loan.disbursement))
        fail_at(node_or(*loan, "disbursement"), prefix + ".loan.disbursement",
                "the shares must add up to 1 (one share per programme year)");
    if (g.loan.tenor_years < g.loan.grace_years)
        fail_at(node_or(*loan, "tenor_years"), prefix + ".loan.tenor_years",
                "shorter than grace_years (the tenor includes the grace)");
}

// A sub-table's presence enables its component (docs/model.md 6.1).
template <class Component>
void read_component(const toml::table& t, const char* key, const std::string& prefix, Component& component,
                    const Schema<Component>& schema) {
    const toml::node* node = t.get(key);
    if (!node) return;
    component.enabled = true;
    const std::string k = prefix + "." + key;
    read_section(read_table(*node, k), component, schema, k);
}

ProgrammeParams read_programme(const toml::table& t, std::string_view name, const std::string& prefix) {
    static constexpr std::array<std::string_view, 5> handled = {"technical_assistance", "registration_support",
                                                                "skills_missions", "reinsertion", "loan"};
    ProgrammeParams g;
    g.name = name;
    read_section(t, g, programme_schema(), prefix, handled);
    read_component(t, "technical_assistance", prefix, g.technical_assistance, assistance_schema());
    read_component(t, "registration_support", prefix, g.registration_support, registration_support_schema());
    read_component(t, "skills_missions", prefix, g.skills_missions, skills_missions_schema());
    read_component(t, "reinsertion", prefix, g.reinsertion, reinsertion_schema());
    read_component(t, "loan", prefix, g.loan, loan_schema());
    // No sector: a programme for returnees' businesses only (7.6.10).
    if (std::none_of(g.eligible_sectors.begin(), g.eligible_sectors.end(), [](bool on) { return on; }) &&
        !g.reinsertion.enabled)
        fail_at(node_or(t, "sectors"), prefix + ".sectors",
                "needs at least one sector (or a [reinsertion] table: a programme for returnees' businesses only)");
    check_schedule(t, g, prefix);
    check_financing(t, g, prefix);
    return g;
}

// Programmes, like corridors, come in the order of their names.
void read_programmes(const toml::table& root, Params& p) {
    const toml::node* node = root.get("programmes");
    if (!node) return;
    for (auto&& [name, value] : read_table(*node, "programmes")) {
        const std::string prefix = join_key("programmes", name.str());
        check_name(value, prefix, name.str());
        p.programmes.push_back(read_programme(read_table(value, prefix), name.str(), prefix));
        // A project stores its programme's index in one signed byte.
        if (p.programmes.size() > 100) fail_at(value, prefix, "too many programmes (allowed: at most 100)");
    }
}

// Needs the corridors (named) and the commune count (indexed).
ShockParams read_shock(const toml::table& t, const std::string& prefix, const Params& p) {
    static constexpr std::array<std::string_view, 1> handled = {"corridors"};
    ShockParams s;
    read_section(t, s, shock_schema(), prefix, handled);
    if (const toml::node* list = t.get("corridors")) {
        const auto names = read_strings(*list, prefix + ".corridors");
        std::vector<std::string> valid;
        for (const auto& c : p.corridors) valid.push_back(c.name);
        for (std::size_t i = 0; i < names.size(); ++i) {
            auto it = std::find(valid.begin(), valid.end(), names[i]);
            if (it == valid.end())
                fail_at((*list->as_array())[i], prefix + ".corridors",
                        format_string(names[i]) +
                            " is not a corridor of this scenario (allowed: " + format_strings(valid) + ")");
            s.corridors.push_back(static_cast<int>(it - valid.begin()));
        }
    }
    const int communes = p.communes.empty() ? p.world.communes : static_cast<int>(p.communes.size());
    for (int c : s.communes)
        if (c >= communes)
            fail_at(node_or(t, "communes"), prefix + ".communes",
                    "commune " + std::to_string(c) + " does not exist (allowed: 0 to " + std::to_string(communes - 1) +
                        ")");
    if (s.end_month < s.start_month)
        fail_at(node_or(t, "end_month"), prefix + ".end_month",
                "ends before start_month " + std::to_string(s.start_month) + " (end_month is inclusive)");
    // Only a closure substitutes (docs/model.md 7.1).
    if (const toml::node* n = t.get("informal_substitution"); n && s.kind != ShockParams::Kind::formal_channel_closed) {
        const auto& fields = shock_schema();
        const auto kind = std::find_if(fields.begin(), fields.end(), [](const auto& f) { return f.key == "kind"; });
        fail_at(*n, prefix + ".informal_substitution",
                "set on a shock of kind " + kind->write(s) + " (allowed: only on kind \"formal_channel_closed\")");
    }
    return s;
}

void read_shocks(const toml::table& root, Params& p) {
    const toml::node* node = root.get("shocks");
    if (!node) return;
    const auto* list = node->as_array();
    if (!list) fail_at(*node, "shocks", "expected an array of tables [[shocks]], got " + type_name(*node));
    for (std::size_t i = 0; i < list->size(); ++i) {
        const std::string prefix = "shocks[" + std::to_string(i) + "]";
        p.shocks.push_back(read_shock(read_table((*list)[i], prefix), prefix, p));
    }
}

// Needs the programmes (named).
RuleParams read_rule(const toml::table& t, const std::string& prefix, const Params& p) {
    RuleParams r;
    read_section(t, r, rule_schema(), prefix);
    for (const char* key : {"name", "if", "programme", "action"})
        if (!t.get(key))
            fail_at(t, prefix,
                    std::string("no `") + key + "` (a rule needs a name, an `if`, a programme and an action)");
    if (t.get("above") && t.get("below"))
        fail_at(*t.get("below"), prefix + ".below", "given with `above` (allowed: one of them)");
    if (!t.get("above") && !t.get("below")) fail_at(t, prefix, "no threshold (give `above = X` or `below = X`)");
    std::vector<std::string> names;
    for (std::size_t i = 0; i < p.programmes.size(); ++i) {
        names.push_back(p.programmes[i].name);
        if (p.programmes[i].name == r.programme) r.programme_index = int(i);
    }
    if (r.programme_index < 0)
        fail_at(*t.get("programme"), prefix + ".programme",
                format_string(r.programme) + " is not a programme of this scenario (allowed: " + format_strings(names) +
                    ")");
    using A = RuleParams::Action;
    const bool needs_value = RuleParams::takes_value(r.action);
    if (needs_value && !t.get("value")) fail_at(*t.get("action"), prefix + ".action", "this action needs a `value`");
    if (!needs_value && t.get("value")) fail_at(*t.get("value"), prefix + ".value", "the action takes no value");
    const ProgrammeParams& programme = p.programmes[std::size_t(r.programme_index)];
    if (r.action == A::set_share && r.value + programme.commune_share > 1)
        fail_at(*t.get("value"), prefix + ".value",
                "share + the programme's commune_share is " + format_number(r.value + programme.commune_share) +
                    ", the project would be over-financed (allowed: at most 1)");
    if (r.action == A::set_ratio && r.value <= 0)
        fail_at(*t.get("value"), prefix + ".value", "a ratio must be above 0");
    if (r.action == A::pause && r.value > 12000)
        fail_at(*t.get("value"), prefix + ".value",
                format_number(r.value) + " months is out of range (allowed: 0 to 12000 for a pause)");
    return r;
}

void read_rules(const toml::table& root, Params& p) {
    const toml::node* node = root.get("rules");
    if (!node) return;
    const auto* list = node->as_array();
    if (!list) fail_at(*node, "rules", "expected an array of tables [[rules]], got " + type_name(*node));
    for (std::size_t i = 0; i < list->size(); ++i) {
        const std::string prefix = "rules[" + std::to_string(i) + "]";
        p.rules.push_back(read_rule(read_table((*list)[i], prefix), prefix, p));
        for (std::size_t j = 0; j + 1 < p.rules.size(); ++j)
            if (p.rules[j].name == p.rules.back().name)
                fail_at((*list)[i], prefix + ".name", format_string(p.rules.back().name) + " names two rules");
    }
    if (p.rules.size() > 1000) fail_at(*node, "rules", "too many rules (allowed: at most 1000)");
}

// Roughly what the world will hold (docs/model.md 2.4): ~40 bytes
// per migrant slot, plus associations, their projects and the communes ...
double estimated_bytes(const Params& p) {
    const double slots = static_cast<double>(p.world.migrants) * (1.0 + p.world.slot_slack);
    const double associations =
        static_cast<double>(p.world.migrants) * p.associations.member_share / std::max(1.0, p.associations.size_mean);
    const double projects = associations * std::min(1.0, p.associations.idea_rate * p.months);
    const double communes = p.communes.empty() ? p.world.communes : static_cast<double>(p.communes.size());
    // ... and one replicate's record (a run keeps at least one).
    const int months = p.months;
    return 40.0 * slots + 256.0 * associations + 160.0 * projects + 1024.0 * communes +
           record_bytes(months, int(communes));
}

void check_memory(const toml::table& root, const Params& p) {
    const double physical = physical_memory_bytes();
    if (physical <= 0) return;  // unknown machine: do not guess
    const double needed = estimated_bytes(p);
    if (needed <= physical) return;
    const auto* world = root.get_as<toml::table>("world");
    const toml::node& at = world ? node_or(*world, "migrants") : static_cast<const toml::node&>(root);
    auto gib = [](double bytes) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.1f", bytes / (1024.0 * 1024.0 * 1024.0));
        return std::string(buf);
    };
    fail_at(at, "world.migrants",
            "this world needs about " + gib(needed) + " GiB of memory, more than this machine has (" + gib(physical) +
                " GiB)");
}

template <class T>
void read_optional_section(const toml::table& root, std::string_view key, T& out, const Schema<T>& schema) {
    static constexpr std::array<std::string_view, 0> none{};
    if (const toml::node* node = root.get(key)) read_section(read_table(*node, key), out, schema, key, none);
}

Params build_params(const toml::table& root) {
    Params p;
    read_section(root, p, top_schema(), "", TOP_TABLES);
    read_optional_section(root, "world", p.world, world_schema());
    read_corridors(root, p);
    read_optional_section(root, "behaviour", p.behaviour, behaviour_schema());
    read_optional_section(root, "associations", p.associations, association_schema());
    read_sectors(root, p);
    read_optional_section(root, "fees", p, fees_schema());
    read_programmes(root, p);
    read_optional_section(root, "migration", p.migration, migration_schema());
    read_optional_section(root, "appraisal", p.appraisal, appraisal_schema());
    require_corridors(root, p);
    read_communes(root, p);
    read_shocks(root, p);
    read_rules(root, p);
    check_memory(root, p);
    return p;
}

Scenario make_scenario(const toml::table& root, std::string name, std::string path) {
    Scenario s;
    s.name = std::move(name);
    s.path = std::move(path);
    s.params = build_params(root);
    s.toml = params_to_toml(s.params);
    return s;
}

template <class T>
void write_table(std::string& out, const std::string& header, const T& value, const Schema<T>& schema) {
    out += "\n[" + header + "]\n";
    write_section(out, value, schema, true);
}

// A component's table, when it is enabled.
template <class Component>
void write_component(std::string& out, const ProgrammeParams& g, const char* key, const Component& component,
                     const Schema<Component>& schema) {
    if (component.enabled) write_table(out, "programmes." + g.name + "." + key, component, schema);
}

void write_programme(std::string& out, const ProgrammeParams& g) {
    write_table(out, "programmes." + g.name, g, programme_schema());
    write_component(out, g, "technical_assistance", g.technical_assistance, assistance_schema());
    write_component(out, g, "registration_support", g.registration_support, registration_support_schema());
    write_component(out, g, "skills_missions", g.skills_missions, skills_missions_schema());
    write_component(out, g, "reinsertion", g.reinsertion, reinsertion_schema());
    write_component(out, g, "loan", g.loan, loan_schema());
}

void write_shock(std::string& out, const ShockParams& s, const Params& p) {
    out += "\n[[shocks]]\n";
    write_section(out, s, shock_schema(), true);
    std::vector<std::string> names;
    for (int c : s.corridors) names.push_back(p.corridors.at(static_cast<std::size_t>(c)).name);
    out += "# corridors hit, by name (empty: all)\ncorridors = " + format_strings(names) + "\n";
}

}  // namespace

std::string params_to_toml(const Params& p) {
    std::string out =
        "# codev scenario, fully resolved: every parameter, extends applied.\n"
        "# Each key is preceded by its meaning [unit; allowed values; default].\n\n";
    write_section(out, p, top_schema(), true);
    write_table(out, "world", p.world, world_schema());
    for (const auto& c : p.corridors) write_table(out, "corridors." + c.name, c, corridor_schema());
    write_table(out, "behaviour", p.behaviour, behaviour_schema());
    write_table(out, "associations", p.associations, association_schema());
    for (std::size_t s = 0; s < SECTOR_COUNT; ++s)
        write_table(out, std::string("sectors.") + SECTOR_NAMES[s], p.sectors[s], sector_schema());
    write_table(out, "fees", p, fees_schema());
    for (const auto& g : p.programmes) write_programme(out, g);
    write_table(out, "migration", p.migration, migration_schema());
    write_table(out, "appraisal", p.appraisal, appraisal_schema());
    for (const auto& s : p.shocks) write_shock(out, s, p);
    for (const auto& r : p.rules) {
        out += "\n[[rules]]\n";
        write_section(out, r, rule_schema(), true);
    }
    write_communes(out, p);
    return out;
}

Scenario load_scenario(const std::string& path) {
    std::vector<std::string> files;
    const toml::table root = load_tree(path, &files);
    const std::string name = std::filesystem::path(path).stem().string();
    // The name labels the scenario in results files; Results.scenario() and
    // the report look it up by the same rule (a space or a dot broke them).
    if (!is_plain_name(name))
        throw ScenarioError(path + ":1: scenario name '" + name +
                            "' (the file name without .toml) may use only letters, digits, '_' and '-'");
    Scenario s = make_scenario(root, name, path);
    s.sources = std::move(files);
    if (const auto* world = root.get_as<toml::table>("world"))
        if (const auto* csv = world->get_as<std::string>("communes_csv"); csv && !csv->get().empty())
            s.sources.push_back(csv->get());
    return s;
}

Scenario parse_scenario(std::string_view text, const std::string& name, const std::string& origin,
                        const std::string& base_dir) {
    // Messages need a file name; text from memory gets a stand-in.
    const std::string where = origin.empty() ? "<string>" : origin;
    const toml::table root = resolve_tree(parse_toml(text, where), where, base_dir);
    return make_scenario(root, name, "");
}

namespace {

template <class T>
void document(std::vector<ParameterDoc>& out, const std::string& table, const Schema<T>& schema) {
    const T defaults{};
    for (const auto& f : schema) out.push_back({table, f.key, f.unit, f.doc, f.allowed, f.write(defaults)});
}

}  // namespace

std::vector<ParameterDoc> parameter_docs() {
    std::vector<ParameterDoc> out;
    document(out, "", top_schema());
    document(out, "world", world_schema());
    document(out, "corridors.*", corridor_schema());
    document(out, "behaviour", behaviour_schema());
    document(out, "associations", association_schema());
    document(out, "sectors.*", sector_schema());
    document(out, "fees", fees_schema());
    document(out, "programmes.*", programme_schema());
    document(out, "programmes.*.technical_assistance", assistance_schema());
    document(out, "programmes.*.registration_support", registration_support_schema());
    document(out, "programmes.*.skills_missions", skills_missions_schema());
    document(out, "programmes.*.reinsertion", reinsertion_schema());
    document(out, "programmes.*.loan", loan_schema());
    document(out, "migration", migration_schema());
    document(out, "appraisal", appraisal_schema());
    document(out, "shocks.*", shock_schema());
    document(out, "rules.*", rule_schema());
    return out;
}

Scenario with_override(const Scenario& scenario, const std::string& dotted_key, const std::string& toml_value) {
    // The resolved text has no extends and inline communes: nothing relative.
    toml::table root = parse_toml(scenario.toml, "<" + scenario.name + " resolved>");
    set_dotted(root, dotted_key, toml_value);
    Scenario s = make_scenario(root, scenario.name, scenario.path);
    return s;
}

}  // namespace codev
