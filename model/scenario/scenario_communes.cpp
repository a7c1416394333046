// Communes named by the scenario: from a CSV file (world.communes_csv) or
// inline as [[communes]] (docs/model.md 6.1). params_to_toml writes them inline so
// the resolved text alone reproduces the scenario.
//
// CSV: a header `name,region,population,diaspora_weight` (any order) with
// optional `risk` and `cofinancing_budget_xof_per_year`; lines starting with
// `#` are comments (source notes). Fields are plain: no quoting, so names may
// not contain commas. Cells are checked by the same schema as [[communes]].
#include <algorithm>
#include <charconv>
#include <memory>
#include <sstream>

#include "codev/scenario/input_file.hpp"
#include "codev/scenario/scenario.hpp"
#include "scenario_detail.hpp"

namespace codev::scenario_detail {

namespace {

const std::array<std::string_view, 4> REQUIRED = {"name", "region", "population", "diaspora_weight"};

std::string trim(std::string_view s) {
    const auto b = s.find_first_not_of(" \t\r");
    if (b == std::string_view::npos) return "";
    return std::string(s.substr(b, s.find_last_not_of(" \t\r") - b + 1));
}

std::vector<std::string> split_csv(const std::string& line) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (std::size_t comma; (comma = line.find(',', start)) != std::string::npos; start = comma + 1)
        out.push_back(trim(std::string_view(line).substr(start, comma - start)));
    out.push_back(trim(std::string_view(line).substr(start)));
    return out;
}

int region_index(std::vector<std::string>& regions, const std::string& name) {
    auto it = std::find(regions.begin(), regions.end(), name);
    if (it != regions.end()) return static_cast<int>(it - regions.begin());
    regions.push_back(name);
    return static_cast<int>(regions.size()) - 1;
}

// A CSV cell as a TOML number node, so the schema field checks it exactly as
// it checks [[communes]]; its message is re-anchored to the CSV line.
void read_cell(CommuneParams& c, const std::string& column, const std::string& cell, const std::string& at) {
    const auto& schema = commune_schema();
    auto f = std::find_if(schema.begin(), schema.end(), [&](const auto& x) { return x.key == column; });
    std::int64_t i = 0;
    const char* end = cell.data() + cell.size();
    std::unique_ptr<toml::node> node;
    if (auto r = std::from_chars(cell.data(), end, i); r.ec == std::errc() && r.ptr == end) {
        node = std::make_unique<toml::value<std::int64_t>>(i);
    } else {
        double d = 0;
        auto rd = std::from_chars(cell.data(), end, d);
        if (rd.ec != std::errc() || rd.ptr != end || cell.empty())
            throw ScenarioError(at + ": " + column + ": " + format_string(cell) +
                                " is not a number (allowed: " + f->allowed + ")");
        node = std::make_unique<toml::value<double>>(d);
    }
    try {
        f->read(c, *node, column);
    } catch (const ScenarioError& e) {
        throw ScenarioError(at + std::string(e.what()).substr(where(*node).size()));
    }
}

std::vector<std::string> read_header(const std::string& line, const std::string& at) {
    auto columns = split_csv(line);
    std::vector<std::string> valid(REQUIRED.begin(), REQUIRED.end());
    for (const auto& f : commune_schema())
        if (std::find(valid.begin(), valid.end(), f.key) == valid.end()) valid.push_back(f.key);
    for (std::size_t i = 0; i < columns.size(); ++i) {
        if (std::find(valid.begin(), valid.end(), columns[i]) == valid.end())
            throw ScenarioError(at + ": " + columns[i] + ": " + unknown_problem("", columns[i], valid, "column"));
        if (std::find(columns.begin(), columns.begin() + static_cast<long>(i), columns[i]) !=
            columns.begin() + static_cast<long>(i))
            throw ScenarioError(at + ": " + columns[i] + ": column repeated");
    }
    for (auto need : REQUIRED)
        if (std::find(columns.begin(), columns.end(), need) == columns.end())
            throw ScenarioError(at + ": " + std::string(need) +
                                ": missing column (required: name, region, population, diaspora_weight)");
    return columns;
}

CommuneParams read_row(const std::vector<std::string>& columns, const std::vector<std::string>& cells,
                       const std::string& at, Params& params) {
    if (cells.size() != columns.size())
        throw ScenarioError(at + ": row: " + std::to_string(cells.size()) + " fields, the header has " +
                            std::to_string(columns.size()));
    CommuneParams c;
    c.cofinancing_budget_xof_per_year = params.world.commune_cofinancing_budget_xof_per_year;
    for (std::size_t i = 0; i < columns.size(); ++i) {
        if (columns[i] == "name" || columns[i] == "region") {
            if (cells[i].empty()) throw ScenarioError(at + ": " + columns[i] + ": empty (allowed: a non-empty text)");
            if (columns[i] == "name")
                c.name = cells[i];
            else
                c.region = region_index(params.world.regions, cells[i]);
        } else {
            read_cell(c, columns[i], cells[i], at);
        }
    }
    return c;
}

void read_csv(const toml::node& named_by, Params& params) {
    const std::string& path = params.world.communes_csv;
    std::string text, reason;
    if (!read_input_file(path, text, reason))
        fail_at(named_by, "world.communes_csv", "cannot read '" + path + "' (" + reason + ")");
    strip_byte_order_mark(text);
    if (const std::size_t bad = invalid_utf8_at(text); bad < text.size())
        throw ScenarioError(path + ":" + std::to_string(1 + std::count(text.begin(), text.begin() + long(bad), '\n')) +
                            ": not UTF-8 text (save the file as UTF-8)");
    std::istringstream in(text);
    std::vector<std::string> columns;
    params.world.regions.clear();
    long number = 0;
    for (std::string line; std::getline(in, line);) {
        const std::string at = path + ":" + std::to_string(++number);
        if (trim(line).empty() || trim(line)[0] == '#') continue;
        if (columns.empty())
            columns = read_header(line, at);
        else
            params.communes.push_back(read_row(columns, split_csv(line), at, params));
    }
    if (params.communes.empty()) fail_at(named_by, "world.communes_csv", "'" + path + "' lists no communes");
}

void read_inline(const toml::array& list, Params& params) {
    params.world.regions.clear();
    static constexpr std::array<std::string_view, 2> handled = {"name", "region"};
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string prefix = "communes[" + std::to_string(i) + "]";
        const auto& table = read_table(list[i], prefix);
        for (auto need : REQUIRED)
            if (!table.get(need))
                fail_at(table, join_key(prefix, need), "missing (required: name, region, population, diaspora_weight)");
        CommuneParams c;
        c.cofinancing_budget_xof_per_year = params.world.commune_cofinancing_budget_xof_per_year;
        c.name = read_string(*table.get("name"), join_key(prefix, "name"));
        c.region = region_index(params.world.regions, read_string(*table.get("region"), join_key(prefix, "region")));
        read_section(table, c, commune_schema(), prefix, handled);
        params.communes.push_back(std::move(c));
    }
    if (params.communes.empty()) fail_at(list, "communes", "an empty list (allowed: at least one [[communes]] table)");
}

}  // namespace

void read_communes(const toml::table& root, Params& params) {
    const toml::node* list = root.get("communes");
    const toml::table* world = root.get_as<toml::table>("world");
    const toml::node* csv = world ? world->get("communes_csv") : nullptr;
    if (list && csv && !params.world.communes_csv.empty())
        fail_at(*list, "communes", "both [[communes]] and world.communes_csv are given (allowed: one of them)");
    if (list) {
        const auto* array = list->as_array();
        if (!array) fail_at(*list, "communes", "expected an array of tables [[communes]], got " + type_name(*list));
        read_inline(*array, params);
    } else if (csv && !params.world.communes_csv.empty()) {
        read_csv(*csv, params);
        // The communes are now data of their own, written inline by
        // params_to_toml; the path would make two texts for equal params.
        params.world.communes_csv.clear();
    } else {
        return;  // synthetic communes, generated at init (docs/model.md 5)
    }
    const auto weighted = [](const CommuneParams& c) { return c.diaspora_weight > 0.0; };
    if (std::none_of(params.communes.begin(), params.communes.end(), weighted))
        fail_at(list ? *list : *csv, list ? "communes" : "world.communes_csv",
                "every commune's diaspora_weight is 0 (at least one must be above 0: migrants come from communes)");
    params.world.communes = static_cast<int>(params.communes.size());
}

void write_communes(std::string& out, const Params& params) {
    if (params.communes.empty()) return;
    out += "\n# Communes, one table each, in order (shocks name them by index).\n";
    for (const auto& c : params.communes) {
        out += "[[communes]]\nname = " + format_string(c.name) +
               "\nregion = " + format_string(params.world.regions.at(static_cast<std::size_t>(c.region))) + "\n";
        write_section(out, c, commune_schema(), false);
    }
}

}  // namespace codev::scenario_detail
