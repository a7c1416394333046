// Sweep factors (include/codev/sweep.hpp): parsing them, and typing their
// values as the base scenario holds each parameter.
//
// A factor's type comes from the base scenario's resolved TOML, where every
// parameter is written with its type, unit and meaning: an integer parameter
// gets whole numbers (a Latin hypercube over `world.migrants` rounds), a text
// parameter only listed values. The values are kept typed, as the results
// file's factor coordinates, and turned into TOML text only to be set.
#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <sstream>

#include "sweep_detail.hpp"

namespace codev {

namespace sweep_detail {

void fail(const std::string& message) { throw ScenarioError(message); }

std::string trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) return "";
    const auto last = text.find_last_not_of(" \t\r");
    return std::string(text.substr(first, last - first + 1));
}

std::vector<std::string> split(std::string_view text, char separator) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (std::size_t at = text.find(separator); at != std::string_view::npos; at = text.find(separator, start)) {
        parts.push_back(trim(text.substr(start, at - start)));
        start = at + 1;
    }
    parts.push_back(trim(text.substr(start)));
    return parts;
}

// The whole text as a finite number, or nothing.
std::optional<double> number(const std::string& text) {
    double value = 0;
    const char* end = text.data() + text.size();
    const auto [at, error] = std::from_chars(text.data(), end, value);
    if (text.empty() || error != std::errc() || at != end || !std::isfinite(value)) return std::nullopt;
    return value;
}

// Shortest text that reads back to v, always a TOML float ("1.0", "0.25", "1e-05").
std::string real_text(double v) {
    char buffer[64];
    const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, v);
    std::string text(buffer, error == std::errc() ? end : buffer);
    if (text.find_first_of(".eEn") == std::string::npos) text += ".0";  // "nan"/"inf" contain 'n'
    return text;
}

std::string quoted(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        if (static_cast<unsigned char>(c) < 0x20) {
            char escape[8];
            std::snprintf(escape, sizeof escape, "\\u%04x", unsigned(c));
            out += escape;
            continue;
        }
        out += c;
    }
    return out + "\"";
}

namespace {

// ---- what the base scenario says about a key --------------------------------

struct KeyInfo {
    const toml::node* node = nullptr;  // null when the base does not have the key
    std::string units = "1", long_name;
};

// The node at a dotted key ("shocks.0.end_month": an index selects an
// element of an array), or null.
const toml::node* node_at(const toml::table& root, const std::string& dotted) {
    const toml::node* here = &root;
    for (const std::string& part : split(dotted, '.')) {
        if (const auto* table = here->as_table())
            here = table->get(part);
        else if (const auto* array = here->as_array();
                 array && !part.empty() &&
                 std::all_of(part.begin(), part.end(), [](unsigned char c) { return std::isdigit(c) != 0; }))
            here = array->get(std::stoul(part));
        else
            here = nullptr;
        if (here == nullptr) return nullptr;
    }
    return here;
}

// The resolved TOML writes "# doc [unit; allowed; default D]" on the line
// before each key (scenario_detail.hpp, write_section); the unit is absent
// for pure numbers.
void read_doc(const std::string& text, std::size_t line, KeyInfo& info) {
    if (line < 2) return;
    std::istringstream lines(text);
    std::string comment;
    for (std::size_t i = 1; i < line && std::getline(lines, comment);) ++i;
    const auto open = comment.rfind(" [");
    if (!comment.starts_with("# ") || open == std::string::npos || !comment.ends_with("]")) return;
    info.long_name = comment.substr(2, open - 2);
    std::vector<std::string> parts = split(comment.substr(open + 2, comment.size() - open - 3), ';');
    if (!parts.empty() && parts.back().starts_with("default")) parts.pop_back();
    if (parts.size() == 2 && !parts.front().empty()) info.units = parts.front();
}

// What the key is in the base: its node (for the type) and its documentation.
struct BaseKeys {
    toml::table root;
    std::string text;

    explicit BaseKeys(const Scenario& base) : text(base.toml) {
        try {
            root = toml::parse(text, "<" + base.name + " resolved>");
        } catch (const toml::parse_error& error) {
            fail(base.name + ": cannot read the resolved scenario (" + std::string(error.description()) + ")");
        }
    }

    KeyInfo info(const std::string& key) const {
        KeyInfo info;
        info.node = node_at(root, key);
        if (info.node != nullptr) read_doc(text, std::size_t(info.node->source().begin.line), info);
        if (info.long_name.empty()) info.long_name = "sweep factor " + key;
        return info;
    }
};

FactorType type_of(const KeyInfo& info, const Factor& factor) {
    if (info.node != nullptr) {
        if (info.node->is_integer()) return FactorType::integer;
        if (info.node->is_floating_point()) return FactorType::real;
        if (info.node->is_boolean()) return FactorType::boolean;
        if (info.node->is_string()) return FactorType::text;
    }
    // A key the base lacks (or a table or array): the values decide.
    if (!factor.listed()) return FactorType::real;
    const auto all = [&](auto test) { return std::all_of(factor.levels.begin(), factor.levels.end(), test); };
    if (all([](const std::string& t) { return number(t) && t.find_first_of(".eE") == std::string::npos; }))
        return FactorType::integer;
    if (all([](const std::string& t) { return number(t).has_value(); })) return FactorType::real;
    if (all([](const std::string& t) { return t == "true" || t == "false"; })) return FactorType::boolean;
    return FactorType::text;
}

}  // namespace

std::vector<Column> columns_for(const Scenario& base, const std::vector<Factor>& factors) {
    if (factors.empty()) fail("a sweep needs at least one factor (--factor KEY=LOW:HIGH)");
    const BaseKeys keys(base);
    std::vector<Column> columns;
    for (std::size_t d = 0; d < factors.size(); ++d) {
        for (std::size_t e = 0; e < d; ++e)
            if (factors[e].key == factors[d].key) fail("--factor " + factors[d].key + " is given twice");
        const KeyInfo info = keys.info(factors[d].key);
        columns.emplace_back(factors[d], type_of(info, factors[d]), info.units, info.long_name);
    }
    return columns;
}

Design finish(std::vector<Column>& columns) {
    Design design;
    for (Column& column : columns) {
        design.types.push_back(column.type());
        design.columns.push_back(column.take());
    }
    return design;
}

}  // namespace sweep_detail

using namespace sweep_detail;

Factor parse_factor(const std::string& spec) {
    const auto bad = [&](const std::string& why) -> Factor { fail("--factor '" + spec + "': " + why); };
    const auto equals = spec.find('=');
    if (equals == std::string::npos) return bad("expected KEY=LOW:HIGH or KEY=V1,V2,...");
    Factor factor;
    factor.key = trim(std::string_view(spec).substr(0, equals));
    const std::string values = trim(std::string_view(spec).substr(equals + 1));
    if (factor.key.empty() || factor.key.find_first_of(" \t") != std::string::npos)
        return bad("no dotted key before '='");
    if (values.empty()) return bad("no values after '='");
    const std::vector<std::string> range = split(values, ':');
    if (range.size() == 2 && values.find(',') == std::string::npos) {
        const auto low = number(range[0]), high = number(range[1]);
        if (!low || !high) return bad("LOW:HIGH must be two numbers");
        if (*low > *high) return bad("LOW is above HIGH");
        factor.low = *low;
        factor.high = *high;
        return factor;
    }
    factor.levels = split(values, ',');
    if (std::any_of(factor.levels.begin(), factor.levels.end(), [](const std::string& v) { return v.empty(); }))
        return bad("an empty value in the list");
    return factor;
}

}  // namespace codev
