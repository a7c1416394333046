// Private to the scenario loader (model/scenario*.cpp): the parameter schema
// machinery. Not installed, not part of the library's interface.
//
// One source of truth (docs/architecture.md 2.1 and 5): each parameter is one Field with its key,
// unit, allowed range, one line of doc, and a reader and a writer bound to its
// member. Loading, validation, params_to_toml and dotted-key overrides all go
// through these tables, so a parameter cannot be read one way and written
// another.
#pragma once

#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "codev/params.hpp"

namespace codev::scenario_detail {

inline constexpr double INF = std::numeric_limits<double>::infinity();

// An interval of allowed values, and its text for messages ("0 to 1").
struct Range {
    double lo = -INF;
    double hi = INF;
    bool lo_open = false;
    bool hi_open = false;

    bool contains(double v) const;
    std::string text() const;
};
inline Range between(double lo, double hi) { return {lo, hi, false, false}; }
inline Range at_least(double lo) { return {lo, INF, false, false}; }
inline Range above(double lo) { return {lo, INF, true, false}; }
inline Range open_unit() { return {0.0, 1.0, true, true}; }
inline Range any_finite() { return {}; }

// ---- errors: one line "FILE:LINE: KEY: problem" -------------------------

std::string where(const toml::node& node);  // "FILE:LINE"
[[noreturn]] void fail_at(const toml::node& node, std::string_view key, const std::string& problem);
[[noreturn]] void fail_line(const std::string& file, long line, std::string_view key, const std::string& problem);
std::string join_key(std::string_view prefix, std::string_view key);
std::string type_name(const toml::node& node);  // "a string", "an integer", ...
// "unknown key (did you mean 'x.y'?)" or "unknown key (allowed: ...)".
std::string unknown_problem(std::string_view prefix, std::string_view key, const std::vector<std::string>& valid,
                            std::string_view what = "key");
const toml::node& node_or(const toml::table& table, std::string_view key);  // the key's node, else the table

// ---- values: checked reads and canonical TOML text ----------------------

std::string format_number(double v);  // shortest text that reads back to v, always a TOML float
std::string format_string(std::string_view s);
std::string check_number(double v, const Range& range);  // "" when fine, else the problem
double read_real(const toml::node& n, std::string_view key, const Range& range);
std::int64_t read_integer(const toml::node& n, std::string_view key, const Range& range);
bool read_bool(const toml::node& n, std::string_view key);
const std::string& read_string(const toml::node& n, std::string_view key);
std::vector<std::string> read_strings(const toml::node& n, std::string_view key);
std::vector<double> read_reals(const toml::node& n, std::string_view key, const Range& range);
std::vector<int> read_ints(const toml::node& n, std::string_view key, const Range& range);
Path read_path(const toml::node& n, std::string_view key, const Range& range);
int read_choice(const toml::node& n, std::string_view key, std::span<const char* const> names);
const toml::table& read_table(const toml::node& n, std::string_view key);
int sector_index(const toml::node& n, std::string_view key, std::string_view name);
std::string format_path(const Path& p);
std::string format_reals(const std::vector<double>& v);
std::string format_ints(const std::vector<int>& v);
std::string format_strings(const std::vector<std::string>& v);

// ---- fields and schemas -------------------------------------------------

template <class T>
struct Field {
    std::string key;
    std::string unit;
    std::string doc;
    std::string allowed;
    std::function<void(T&, const toml::node&, const std::string& dotted)> read;
    std::function<std::string(const T&)> write;  // "" leaves the key out (an unset optional)
};

template <class T>
using Schema = std::vector<Field<T>>;

template <class T>
Field<T> real(const char* key, double T::*m, Range r, const char* unit, const char* doc) {
    return {key,
            unit,
            doc,
            r.text(),
            [m, r](T& t, const toml::node& n, const std::string& k) { t.*m = read_real(n, k, r); },
            [m](const T& t) { return format_number(t.*m); }};
}

template <class T, class I>
Field<T> integer(const char* key, I T::*m, Range r, const char* unit, const char* doc) {
    return {key,
            unit,
            doc,
            r.text(),
            [m, r](T& t, const toml::node& n, const std::string& k) { t.*m = static_cast<I>(read_integer(n, k, r)); },
            [m](const T& t) { return std::to_string(t.*m); }};
}

template <class T>
Field<T> flag(const char* key, bool T::*m, const char* doc) {
    return {key,
            "",
            doc,
            "true or false",
            [m](T& t, const toml::node& n, const std::string& k) { t.*m = read_bool(n, k); },
            [m](const T& t) { return std::string(t.*m ? "true" : "false"); }};
}

template <class T>
Field<T> path(const char* key, Path T::*m, Range r, const char* unit, const char* doc) {
    return {key,
            unit,
            doc,
            r.text() + ", a number or [[month, value], ...]",
            [m, r](T& t, const toml::node& n, const std::string& k) { t.*m = read_path(n, k, r); },
            [m](const T& t) { return (t.*m).empty() ? std::string() : format_path(t.*m); }};
}

template <class T>
Field<T> reals(const char* key, std::vector<double> T::*m, Range r, const char* unit, const char* doc) {
    return {key,
            unit,
            doc,
            "an array of numbers, each " + r.text(),
            [m, r](T& t, const toml::node& n, const std::string& k) { t.*m = read_reals(n, k, r); },
            [m](const T& t) { return format_reals(t.*m); }};
}

template <class T>
Field<T> ints(const char* key, std::vector<int> T::*m, Range r, const char* unit, const char* doc) {
    return {key,
            unit,
            doc,
            "an array of integers, each " + r.text(),
            [m, r](T& t, const toml::node& n, const std::string& k) { t.*m = read_ints(n, k, r); },
            [m](const T& t) { return format_ints(t.*m); }};
}

// An enum stored by name: `names[i]` is the text of enumerator i.
template <class T, class E, std::size_t N>
Field<T> choice(const char* key, E T::*m, const std::array<const char*, N>& names, const char* doc) {
    std::string allowed;
    for (const char* name : names) allowed += (allowed.empty() ? "" : ", ") + format_string(name);
    return {key,
            "",
            doc,
            allowed,
            [m, &names](T& t, const toml::node& n, const std::string& k) {
                t.*m = static_cast<E>(read_choice(n, k, names));
            },
            [m, &names](const T& t) { return format_string(names[static_cast<std::size_t>(t.*m)]); }};
}

template <class T>
std::vector<std::string> keys_of(const Schema<T>& schema, std::span<const std::string_view> extra = {}) {
    std::vector<std::string> keys;
    for (const auto& f : schema) keys.push_back(f.key);
    for (auto k : extra) keys.emplace_back(k);
    return keys;
}

// Reads every key of `table` into `out`; keys in `handled` are left to the
// caller, any other key not in the schema is an error with a suggestion.
template <class T>
void read_section(const toml::table& table, T& out, const Schema<T>& schema, std::string_view prefix,
                  std::span<const std::string_view> handled = {}) {
    for (auto&& [k, node] : table) {
        const std::string_view key = k.str();
        if (std::find(handled.begin(), handled.end(), key) != handled.end()) continue;
        auto f = std::find_if(schema.begin(), schema.end(), [&](const Field<T>& x) { return x.key == key; });
        if (f == schema.end())
            fail_at(node, join_key(prefix, key), unknown_problem(prefix, key, keys_of(schema, handled)));
        f->read(out, node, join_key(prefix, key));
    }
}

// Appends `key = value` lines; with comments, each is preceded by its doc,
// unit, range and default, so the resolved text documents itself.
template <class T>
void write_section(std::string& out, const T& value, const Schema<T>& schema, bool comments) {
    const T defaults{};
    for (const auto& f : schema) {
        const std::string text = f.write(value);
        if (text.empty()) continue;
        if (comments) {
            out += "# " + f.doc + " [" + (f.unit.empty() ? "" : f.unit + "; ") + f.allowed;
            const std::string def = f.write(defaults);
            out += def.empty() ? "]\n" : "; default " + def + "]\n";
        }
        out += f.key + " = " + text + "\n";
    }
}

// The tables of parameters (scenario_schema.cpp).
const Schema<Params>& top_schema();
const Schema<Params>& fees_schema();
const Schema<AppraisalParams>& appraisal_schema();
const Schema<WorldParams>& world_schema();
const Schema<CorridorParams>& corridor_schema();
const Schema<BehaviourParams>& behaviour_schema();
const Schema<AssociationParams>& association_schema();
const Schema<SectorParams>& sector_schema();
const Schema<ProgrammeParams>& programme_schema();
const Schema<TechnicalAssistance>& assistance_schema();
const Schema<RegistrationSupport>& registration_support_schema();
const Schema<SkillsMissions>& skills_missions_schema();
const Schema<Reinsertion>& reinsertion_schema();
const Schema<LoanParams>& loan_schema();
const Schema<ShockParams>& shock_schema();
const Schema<RuleParams>& rule_schema();
const Schema<MigrationParams>& migration_schema();
const Schema<CommuneParams>& commune_schema();

// ---- documents (scenario_tree.cpp) --------------------------------------

// Parses TOML text; syntax errors become ScenarioError "origin:LINE: ...".
toml::table parse_toml(std::string_view text, const std::string& origin);
// Reads `path` and its `extends` chain, merged (child over parent), with
// world.communes_csv made relative to the file that names it.
// `files` (when given) receives the path and every file of its extends chain.
toml::table load_tree(const std::string& path, std::vector<std::string>* files = nullptr);
toml::table resolve_tree(toml::table root, const std::string& origin, const std::string& base_dir);
// Sets the node at a dotted key ("programmes.codev.share", "shocks.0.kind").
void set_dotted(toml::table& root, const std::string& dotted, const std::string& value_text);

// ---- communes (scenario_communes.cpp) -----------------------------------

// Fills params.communes and world.regions from world.communes_csv or from
// the [[communes]] array of `root` (at most one of the two).
void read_communes(const toml::table& root, Params& params);
void write_communes(std::string& out, const Params& params);

}  // namespace codev::scenario_detail
