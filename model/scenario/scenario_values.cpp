// Checked reading of TOML values and their canonical text (scenario_detail.hpp).
//
// Every message is one line "FILE:LINE: KEY: problem (allowed: ...)" so the
// CLI and the Python API can show it as is (docs/architecture.md 4.6).
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "codev/scenario/scenario.hpp"
#include "scenario_detail.hpp"

namespace codev::scenario_detail {

namespace {

// "1" rather than "1.0" in messages: ranges read as prose.
std::string plain_number(double v) {
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    char buf[64];
    // Fixed notation reads best for the magnitudes of money and rates; the
    // shortest form of either notation reads back to exactly v.
    const double a = std::abs(v);
    const bool fixed = a == 0 || (a >= 1e-4 && a < 1e15);
    auto res = fixed ? std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed)
                     : std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, res.ptr);
}

// Optimal string alignment distance: a swap of two neighbours ("wrold")
// counts as one typo, as a reader would count it.
std::size_t edit_distance(std::string_view a, std::string_view b) {
    auto same = [&](std::size_t i, std::size_t j) {
        return std::tolower(static_cast<unsigned char>(a[i])) == std::tolower(static_cast<unsigned char>(b[j]));
    };
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        for (std::size_t j = 1; j <= b.size(); ++j) {
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (same(i - 1, j - 1) ? 0 : 1)});
            if (i > 1 && j > 1 && same(i - 1, j - 2) && same(i - 2, j - 1))
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[a.size()][b.size()];
}

// TOML text of a scalar node for messages ("1.5", "\"abc\"").
std::string value_text(const toml::node& n) {
    if (auto v = n.as_floating_point()) return plain_number(v->get());
    if (auto v = n.as_integer()) return std::to_string(v->get());
    if (auto v = n.as_string()) return format_string(v->get());
    return type_name(n);
}

double number_of(const toml::node& n, std::string_view key, const char* expected) {
    if (auto v = n.as_integer()) return static_cast<double>(v->get());
    if (auto v = n.as_floating_point()) return v->get();
    fail_at(n, key, std::string("expected ") + expected + ", got " + type_name(n));
}

const toml::array& array_of(const toml::node& n, std::string_view key, const char* expected) {
    if (auto a = n.as_array()) return *a;
    fail_at(n, key, std::string("expected ") + expected + ", got " + type_name(n));
}

std::string element_key(std::string_view key, std::size_t i) {
    return std::string(key) + "[" + std::to_string(i) + "]";
}

}  // namespace

bool Range::contains(double v) const {
    if (std::isnan(v)) return false;
    const bool lo_ok = lo_open ? v > lo : v >= lo;
    const bool hi_ok = hi_open ? v < hi : v <= hi;
    return lo_ok && hi_ok;
}

std::string Range::text() const {
    const bool has_lo = lo > -INF;
    const bool has_hi = hi < INF;
    const std::string l = (lo_open ? "greater than " : "at least ") + plain_number(lo);
    const std::string h = (hi_open ? "less than " : "at most ") + plain_number(hi);
    if (has_lo && has_hi && !lo_open && !hi_open) return plain_number(lo) + " to " + plain_number(hi);
    if (has_lo && has_hi) return l + " and " + h;
    if (has_lo) return l;
    if (has_hi) return h;
    return "any finite number";
}

std::string where(const toml::node& node) {
    const auto& src = node.source();
    const std::string file = src.path ? *src.path : std::string("<override>");
    return file + ":" + std::to_string(std::max<long>(1, static_cast<long>(src.begin.line)));
}

void fail_at(const toml::node& node, std::string_view key, const std::string& problem) {
    throw ScenarioError(where(node) + ": " + std::string(key) + ": " + problem);
}

void fail_line(const std::string& file, long line, std::string_view key, const std::string& problem) {
    throw ScenarioError(file + ":" + std::to_string(line) + ": " + std::string(key) + ": " + problem);
}

std::string join_key(std::string_view prefix, std::string_view key) {
    if (prefix.empty()) return std::string(key);
    return std::string(prefix) + "." + std::string(key);
}

std::string type_name(const toml::node& n) {
    switch (n.type()) {
        case toml::node_type::table:
            return "a table";
        case toml::node_type::array:
            return "an array";
        case toml::node_type::string:
            return "a string";
        case toml::node_type::integer:
            return "an integer";
        case toml::node_type::floating_point:
            return "a float";
        case toml::node_type::boolean:
            return "a boolean";
        case toml::node_type::date:
            return "a date";
        case toml::node_type::time:
            return "a time";
        case toml::node_type::date_time:
            return "a date-time";
        default:
            return "nothing";
    }
}

std::string unknown_problem(std::string_view prefix, std::string_view key, const std::vector<std::string>& valid,
                            std::string_view what) {
    const std::string* best = nullptr;
    std::size_t best_d = 0;
    for (const auto& v : valid) {
        const std::size_t d = edit_distance(key, v);
        if (!best || d < best_d) best = &v, best_d = d;
    }
    // A suggestion only when it is plausibly a typo: a third of the word at most.
    if (best && best_d <= std::max<std::size_t>(1, std::min(key.size(), best->size()) / 3))
        return "unknown " + std::string(what) + " (did you mean '" + join_key(prefix, *best) + "'?)";
    std::string list;
    for (const auto& v : valid) list += (list.empty() ? "" : ", ") + v;
    return "unknown " + std::string(what) + " (allowed: " + list + ")";
}

const toml::node& node_or(const toml::table& table, std::string_view key) {
    const toml::node* n = table.get(key);
    return n ? *n : table;
}

std::string format_number(double v) {
    std::string s = plain_number(v);
    // A float must look like one, so the text reads back as the same TOML type.
    if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
    return s;
}

std::string format_string(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (u < 0x20 || u == 0x7f) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", u);
            out += buf;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

std::string check_number(double v, const Range& range) {
    if (!std::isfinite(v)) return plain_number(v) + " is not a finite number (allowed: " + range.text() + ")";
    if (!range.contains(v)) return plain_number(v) + " is out of range (allowed: " + range.text() + ")";
    return "";
}

double read_real(const toml::node& n, std::string_view key, const Range& range) {
    const double v = number_of(n, key, "a number");
    if (auto problem = check_number(v, range); !problem.empty()) fail_at(n, key, problem);
    return v;
}

std::int64_t read_integer(const toml::node& n, std::string_view key, const Range& range) {
    auto v = n.as_integer();
    if (!v) fail_at(n, key, "expected an integer, got " + type_name(n));
    if (!range.contains(static_cast<double>(v->get())))
        fail_at(n, key, value_text(n) + " is out of range (allowed: " + range.text() + ")");
    return v->get();
}

bool read_bool(const toml::node& n, std::string_view key) {
    if (auto v = n.as_boolean()) return v->get();
    fail_at(n, key, "expected true or false, got " + type_name(n));
}

const std::string& read_string(const toml::node& n, std::string_view key) {
    if (auto v = n.as_string()) return v->get();
    fail_at(n, key, "expected a string, got " + type_name(n));
}

std::vector<std::string> read_strings(const toml::node& n, std::string_view key) {
    const auto& a = array_of(n, key, "an array of strings");
    std::vector<std::string> out;
    for (std::size_t i = 0; i < a.size(); ++i) out.push_back(read_string(a[i], element_key(key, i)));
    return out;
}

std::vector<double> read_reals(const toml::node& n, std::string_view key, const Range& range) {
    const auto& a = array_of(n, key, "an array of numbers");
    std::vector<double> out;
    for (std::size_t i = 0; i < a.size(); ++i) out.push_back(read_real(a[i], element_key(key, i), range));
    return out;
}

std::vector<int> read_ints(const toml::node& n, std::string_view key, const Range& range) {
    const auto& a = array_of(n, key, "an array of integers");
    std::vector<int> out;
    for (std::size_t i = 0; i < a.size(); ++i)
        out.push_back(static_cast<int>(read_integer(a[i], element_key(key, i), range)));
    return out;
}

// docs/model.md 6: a path is a number (constant) or [[month, value], ...] with
// strictly increasing months; it is linear between points (Path::at).
Path read_path(const toml::node& n, std::string_view key, const Range& range) {
    if (n.is_number()) return Path::constant(read_real(n, key, range));
    const auto& a = array_of(n, key, "a number or an array of [month, value] pairs");
    if (a.empty()) fail_at(n, key, "a path needs at least one [month, value] pair");
    Path p;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const std::string k = element_key(key, i);
        const auto* pair = a[i].as_array();
        if (!pair || pair->size() != 2) fail_at(a[i], k, "expected a [month, value] pair, got " + type_name(a[i]));
        const int month = static_cast<int>(read_integer((*pair)[0], k, between(0, 12000)));
        if (!p.points.empty() && month <= p.points.back().first)
            fail_at(a[i], k,
                    "months must increase strictly along a path (month " + std::to_string(month) + " follows month " +
                        std::to_string(p.points.back().first) + ")");
        p.points.emplace_back(month, read_real((*pair)[1], k, range));
    }
    return p;
}

int read_choice(const toml::node& n, std::string_view key, std::span<const char* const> names) {
    const std::string& s = read_string(n, key);
    for (std::size_t i = 0; i < names.size(); ++i)
        if (s == names[i]) return static_cast<int>(i);
    std::string list;
    for (const char* name : names) list += (list.empty() ? "" : ", ") + format_string(name);
    fail_at(n, key, format_string(s) + " is not a valid choice (allowed: " + list + ")");
}

const toml::table& read_table(const toml::node& n, std::string_view key) {
    if (auto t = n.as_table()) return *t;
    fail_at(n, key, "expected a table, got " + type_name(n));
}

int sector_index(const toml::node& n, std::string_view key, std::string_view name) {
    for (int s = 0; s < SECTOR_COUNT; ++s)
        if (name == SECTOR_NAMES[static_cast<std::size_t>(s)]) return s;
    fail_at(n, key, format_string(name) + " is not a sector (allowed: water, health, education, energy, agriculture)");
}

std::string format_path(const Path& p) {
    if (p.points.size() == 1 && p.points[0].first == 0) return format_number(p.points[0].second);
    std::string out = "[";
    for (const auto& [month, value] : p.points)
        out += (out.size() > 1 ? ", [" : "[") + std::to_string(month) + ", " + format_number(value) + "]";
    return out + "]";
}

std::string format_reals(const std::vector<double>& v) {
    std::string out = "[";
    for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + format_number(v[i]);
    return out + "]";
}

std::string format_ints(const std::vector<int>& v) {
    std::string out = "[";
    for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + std::to_string(v[i]);
    return out + "]";
}

std::string format_strings(const std::vector<std::string>& v) {
    std::string out = "[";
    for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + format_string(v[i]);
    return out + "]";
}

}  // namespace codev::scenario_detail
