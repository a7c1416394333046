// Scenario documents: reading TOML, following `extends`, merging, and
// setting dotted keys for overrides (scenario_detail.hpp).
//
// Nodes are moved, never copied, from child to parent: toml++ keeps a node's
// source position only on moves, and messages must name the file and line
// where each value was written, whichever file of the chain that is.
#include <algorithm>
#include <filesystem>
#include <sstream>

#include "codev/scenario/input_file.hpp"
#include "codev/scenario/scenario.hpp"
#include "scenario_detail.hpp"

namespace codev::scenario_detail {

namespace fs = std::filesystem;

namespace {

// Deeper than any scenario needs (programmes.NAME.loan is 3 levels), and far
// below what a recursive walk of nested tables survives: 200,000 dotted parts
// in one header overflowed the stack of the parser's callers (issue 20, 14).
constexpr int MAX_KEY_DEPTH = 64;
constexpr std::size_t MAX_EXTENDS_CHAIN = 64;

// toml++ may quote the offending bytes; keep the message one printable line.
std::string printable(std::string_view text) {
    std::string out;
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        out += (u < 0x20 || u == 0x7f) ? ' ' : c;
    }
    return out;
}

std::string chain_text(const std::vector<std::string>& chain, const std::string& last) {
    std::string out;
    for (const auto& c : chain) out += c + " -> ";
    return out + last;
}

std::string same_file_key(const std::string& path) {
    std::error_code ec;
    auto canonical = fs::weakly_canonical(path, ec);
    return ec ? fs::path(path).lexically_normal().string() : canonical.string();
}

// Child values replace parent values; tables merge key by key; arrays
// (including [[shocks]]) replace whole (docs/architecture.md 2.1: deep merge, arrays replace).
void merge_into(toml::table& parent, toml::table&& child) {
    for (auto&& [key, node] : child) {
        toml::node* mine = parent.get(key.str());
        if (mine && mine->is_table() && node.is_table()) {
            merge_into(*mine->as_table(), std::move(*node.as_table()));
        } else {
            parent.insert_or_assign(key, std::move(node));
        }
    }
}

// A CSV named in a file is relative to that file (scenario.hpp).
void anchor_csv_path(toml::table& root, const std::string& base_dir) {
    auto* world = root.get_as<toml::table>("world");
    if (!world) return;
    auto* csv = world->get_as<std::string>("communes_csv");
    if (!csv || csv->get().empty() || fs::path(csv->get()).is_absolute()) return;
    csv->get() = (fs::path(base_dir) / csv->get()).lexically_normal().string();
}

toml::table follow_extends(toml::table root, const std::string& base_dir, std::vector<std::string>& chain);

toml::table load_in_chain(const std::string& path, const toml::node* named_by, std::vector<std::string>& chain) {
    for (const auto& c : chain)
        if (same_file_key(c) == same_file_key(path)) fail_at(*named_by, "extends", "cycle " + chain_text(chain, path));
    std::string text, reason;
    if (!read_input_file(path, text, reason)) {
        const std::string problem = "cannot read '" + path + "' (" + reason + ")";
        if (!named_by) throw ScenarioError(path + ":1: " + problem);
        fail_at(*named_by, "extends", problem + "; chain " + chain_text(chain, path));
    }
    if (chain.size() >= MAX_EXTENDS_CHAIN)
        fail_at(*named_by, "extends",
                "a chain of more than " + std::to_string(MAX_EXTENDS_CHAIN) + " files (from '" + chain.front() + "')");
    chain.push_back(path);
    const std::string dir = fs::path(path).parent_path().string();
    return follow_extends(parse_toml(text, path), dir, chain);
}

toml::table follow_extends(toml::table root, const std::string& base_dir, std::vector<std::string>& chain) {
    anchor_csv_path(root, base_dir);
    const toml::node* extends = root.get("extends");
    if (!extends) return root;
    const std::string& name = read_string(*extends, "extends");
    const std::string parent_path = (fs::path(base_dir) / name).lexically_normal().string();
    toml::table parent = load_in_chain(parent_path, extends, chain);
    root.erase("extends");
    // Being the baseline is a property of the file that says so, not of the
    // scenarios built on it: a policy extends its baseline.
    parent.erase("baseline");
    // So are its title and description: a policy named like its baseline would mislead.
    parent.erase("title");
    parent.erase("description");
    merge_into(parent, std::move(root));
    return parent;
}

// Splits "shocks[0].kind" or "shocks.0.kind" into its segments.
std::vector<std::string> split_dotted(const std::string& dotted) {
    std::string flat = dotted;
    std::replace(flat.begin(), flat.end(), '[', '.');
    flat.erase(std::remove(flat.begin(), flat.end(), ']'), flat.end());
    std::vector<std::string> parts;
    std::stringstream in(flat);
    for (std::string part; std::getline(in, part, '.');) parts.push_back(part);
    return parts;
}

bool is_index(const std::string& s) {
    return !s.empty() && s.size() < 9 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The dots of one key (a table header, a key, a key in an inline table),
// counted before toml++ builds the nested tables: dots outside strings and
// comments, between two of the characters that end a key. Floats in an array
// are one dot apart (commas), a quoted "a.b" is one level.
void check_key_depth(std::string_view text, const std::string& origin) {
    long line = 1;
    int dots = 0;
    char quote = 0;  // '"' or '\'' inside a string
    bool comment = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\n') {
            ++line;
            comment = false;
        }
        if (comment) continue;
        if (quote) {
            if (c == '\\' && quote == '"') ++i;  // an escape: the next character is not the end
            if (c == quote) quote = 0;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '#') {
            comment = true;
        } else if (c == '\n' || c == '=' || c == ',' || c == '[' || c == ']' || c == '{' || c == '}') {
            dots = 0;
        } else if (c == '.' && ++dots >= MAX_KEY_DEPTH) {
            throw ScenarioError(origin + ":" + std::to_string(line) + ": a key nested deeper than " +
                                std::to_string(MAX_KEY_DEPTH) + " levels (allowed: at most " +
                                std::to_string(MAX_KEY_DEPTH) + " dotted parts)");
        }
    }
}

}  // namespace

toml::table parse_toml(std::string_view text, const std::string& origin) {
    check_key_depth(text, origin);
    try {
        return toml::parse(text, origin);
    } catch (const toml::parse_error& e) {
        const auto line = std::max<long>(1, static_cast<long>(e.source().begin.line));
        throw ScenarioError(origin + ":" + std::to_string(line) + ": TOML syntax error: " + printable(e.description()));
    }
}

toml::table load_tree(const std::string& path, std::vector<std::string>* files) {
    std::vector<std::string> chain;
    toml::table root = load_in_chain(path, nullptr, chain);
    if (files) *files = std::move(chain);
    return root;
}

toml::table resolve_tree(toml::table root, const std::string& origin, const std::string& base_dir) {
    std::vector<std::string> chain = {origin};
    return follow_extends(std::move(root), base_dir, chain);
}

void set_dotted(toml::table& root, const std::string& dotted, const std::string& value_text) {
    const std::string origin = "<override>";
    const auto parts = split_dotted(dotted);
    if (parts.empty() || std::any_of(parts.begin(), parts.end(), [](const auto& p) { return p.empty(); }))
        fail_line(origin, 1, dotted, "not a dotted key (e.g. programmes.codev.share)");
    if (parts.size() > std::size_t(MAX_KEY_DEPTH))
        fail_line(origin, 1, dotted.substr(0, 64) + "...",
                  "nested deeper than " + std::to_string(MAX_KEY_DEPTH) + " levels");
    toml::table value_doc;
    try {
        value_doc = toml::parse("value = " + value_text, origin);
    } catch (const toml::parse_error&) {
        fail_line(origin, 1, dotted, format_string(value_text) + " is not a TOML value (text needs quotes)");
    }
    toml::node* here = &root;
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
        toml::node* next = nullptr;
        if (auto* t = here->as_table()) {
            next = t->get(parts[i]);
            if (!next) next = t->insert_or_assign(parts[i], toml::table{}).first->second.as_table();
        } else if (auto* a = here->as_array(); a && is_index(parts[i])) {
            next = a->get(std::stoul(parts[i]));
        }
        if (!next) fail_line(origin, 1, dotted, "no such place to set (at '" + parts[i] + "')");
        here = next;
    }
    auto* table = here->as_table();
    if (!table) fail_line(origin, 1, dotted, "cannot set a key inside " + type_name(*here));
    // A table merges into the table it names, key by key, as a child file's
    // tables merge into its parent's: {share = 0.5} changes only the share.
    toml::node& value = *value_doc.get("value");
    toml::node* existing = table->get(parts.back());
    if (existing && existing->is_table() && value.is_table())
        merge_into(*existing->as_table(), std::move(*value.as_table()));
    else
        table->insert_or_assign(parts.back(), std::move(value));
}

}  // namespace codev::scenario_detail
