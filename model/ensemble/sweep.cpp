// Sweep designs (include/codev/sweep.hpp): which points a sweep runs, and
// the scenario of each point. Factors and their types: sweep_factors.cpp.
#include "codev/ensemble/sweep.hpp"

#include <algorithm>
#include <boost/random/sobol.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>
#include <memory>
#include <numeric>
#include <sstream>

#include "codev/rng.hpp"
#include "codev/scenario/input_file.hpp"
#include "sweep_detail.hpp"

namespace codev {

using namespace sweep_detail;

namespace {

// Designs beyond this many points are almost surely a typo (a grid of 10
// factors x 10 levels); they would also not fit a results file.
constexpr std::size_t MAX_POINTS = 10'000'000;

// ---- the designs ------------------------------------------------------------

Design grid(std::vector<Column>& columns, int n) {
    std::size_t points = 1;
    for (const Column& column : columns) {
        points *= column.levels(n);
        if (points > MAX_POINTS) fail("--design grid: more than " + std::to_string(MAX_POINTS) + " points");
    }
    for (std::size_t i = 0; i < points; ++i) {
        std::size_t rest = i;  // mixed-radix digits, the last factor fastest
        std::vector<std::size_t> level(columns.size());
        for (std::size_t d = columns.size(); d-- > 0;) {
            level[d] = rest % columns[d].levels(n);
            rest /= columns[d].levels(n);
        }
        for (std::size_t d = 0; d < columns.size(); ++d) columns[d].add_level(level[d], columns[d].levels(n));
    }
    return finish(columns);
}

// One point in each of n strata per factor: stratum order a random
// permutation, position within the stratum uniform (McKay et al. 1979).
Design latin_hypercube(std::vector<Column>& columns, int n, std::uint64_t seed) {
    const std::size_t count = std::size_t(n), dims = columns.size();
    std::vector<std::vector<double>> u(count, std::vector<double>(dims));
    for (std::size_t d = 0; d < dims; ++d) {
        Stream shuffle(StreamKey{seed, 0}, d, Process::sweep_design, 0);
        Stream position(StreamKey{seed, 0}, d, Process::sweep_design, 1);
        std::vector<std::size_t> stratum(count);
        std::iota(stratum.begin(), stratum.end(), std::size_t{0});
        for (std::size_t i = count; i-- > 1;) {  // Fisher-Yates
            boost::random::uniform_int_distribution<std::size_t> pick(0, i);
            std::swap(stratum[i], stratum[pick(shuffle)]);
        }
        for (std::size_t i = 0; i < count; ++i) u[i][d] = (double(stratum[i]) + position.uniform()) / double(count);
    }
    for (const auto& point : u)
        for (std::size_t d = 0; d < dims; ++d) columns[d].add_unit(point[d]);
    return finish(columns);
}

// Saltelli (2002) / SALib's saltelli.sample(calc_second_order=False) layout:
// for each base point i, the rows A_i, AB_i^1 .. AB_i^D, B_i, where AB_i^k is
// A_i with its k-th value taken from B_i. SALib's sobol.analyze reads the
// model outputs of exactly these rows.
Design saltelli(std::vector<Column>& columns, int n) {
    const std::size_t dims = columns.size();
    if (std::size_t(n) * (dims + 2) > MAX_POINTS)
        fail("--design sobol: more than " + std::to_string(MAX_POINTS) + " points");
    boost::random::sobol sequence(2 * dims);
    const auto unit = [&] { return std::min(double(sequence()) / 18446744073709551616.0, std::nextafter(1.0, 0.0)); };
    for (int i = 0; i < n; ++i) {
        std::vector<double> a(dims), b(dims);
        for (double& x : a) x = unit();
        for (double& x : b) x = unit();
        for (std::size_t row = 0; row < dims + 2; ++row)
            for (std::size_t d = 0; d < dims; ++d) {
                const bool from_b = row == dims + 1 || row == d + 1;
                columns[d].add_unit(from_b ? b[d] : a[d]);
            }
    }
    return finish(columns);
}

std::size_t index_width(std::size_t points) {
    std::size_t width = 1;
    for (std::size_t last = points > 0 ? points - 1 : 0; last >= 10; last /= 10) ++width;
    return std::max<std::size_t>(4, width);
}

}  // namespace

DesignKind parse_design_kind(const std::string& name) {
    if (name == "grid") return DesignKind::grid;
    if (name == "lhs") return DesignKind::lhs;
    if (name == "sobol") return DesignKind::sobol;
    fail("--design: '" + name + "' is not a design (allowed: grid, lhs, sobol)");
}

std::string Design::toml_value(std::size_t point, std::size_t factor) const {
    const FactorValues& column = columns.at(factor);
    switch (types.at(factor)) {
        case FactorType::integer:
            return std::to_string(std::get<std::vector<std::int64_t>>(column.values).at(point));
        case FactorType::real:
            return real_text(std::get<std::vector<double>>(column.values).at(point));
        case FactorType::boolean:
            return std::get<std::vector<std::string>>(column.values).at(point);
        case FactorType::text:
            return quoted(std::get<std::vector<std::string>>(column.values).at(point));
    }
    return "";
}

Design make_design(const Scenario& base, const std::vector<Factor>& factors, DesignKind kind, int n,
                   std::uint64_t seed) {
    std::vector<Column> columns = columns_for(base, factors);
    for (std::size_t d = 0; d < factors.size(); ++d)
        if (!factors[d].listed() && (columns[d].type() == FactorType::boolean || columns[d].type() == FactorType::text))
            fail("--factor " + factors[d].key + ": a " +
                 (columns[d].type() == FactorType::text ? "text" : "true/false") + " parameter takes listed values (" +
                 factors[d].key + "=a,b), not a range");
    const bool ranged = std::any_of(factors.begin(), factors.end(), [](const Factor& f) { return !f.listed(); });
    if (kind == DesignKind::grid && ranged && n < 2)
        fail("--n: a grid needs at least 2 levels per ranged factor (got " + std::to_string(n) + ")");
    if (kind != DesignKind::grid && (n < 1 || std::size_t(n) > MAX_POINTS))
        fail("--n: " + std::to_string(n) + " is out of range (allowed: 1 to " + std::to_string(MAX_POINTS) + ")");
    switch (kind) {
        case DesignKind::grid:
            return grid(columns, n);
        case DesignKind::lhs:
            return latin_hypercube(columns, n, seed);
        case DesignKind::sobol:
            return saltelli(columns, n);
    }
    return {};
}

Design matrix_design(const Scenario& base, const std::vector<std::string>& keys,
                     const std::vector<std::vector<double>>& rows) {
    std::vector<Factor> factors;
    for (const std::string& key : keys) factors.push_back(Factor{key, 0.0, 0.0, {}});
    // Listed levels stand for "any value": the type then comes from the base only.
    std::vector<Column> columns = columns_for(base, factors);
    if (rows.empty()) fail("the design has no points");
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (rows[i].size() != keys.size())
            fail("design row " + std::to_string(i) + " has " + std::to_string(rows[i].size()) + " values for " +
                 std::to_string(keys.size()) + " factors");
        for (std::size_t d = 0; d < keys.size(); ++d) {
            if (!std::isfinite(rows[i][d])) fail("design row " + std::to_string(i) + ": " + keys[d] + " is not finite");
            columns[d].add_number(rows[i][d]);
        }
    }
    return finish(columns);
}

Design csv_design(const Scenario& base, const std::string& path) {
    std::string text, reason;
    if (!read_input_file(path, text, reason)) fail("--design-csv: cannot read '" + path + "' (" + reason + ")");
    strip_byte_order_mark(text);
    if (const std::size_t bad = invalid_utf8_at(text); bad < text.size())
        fail(path + ":" + std::to_string(1 + std::count(text.begin(), text.begin() + long(bad), '\n')) +
             ": not UTF-8 text (save the file as UTF-8)");
    std::istringstream in(text);
    std::vector<std::vector<std::string>> rows;
    std::vector<std::size_t> lines;
    std::vector<std::string> header;
    std::string line;
    for (std::size_t number = 1; std::getline(in, line); ++number) {
        if (trim(line).empty() || trim(line).starts_with('#')) continue;
        std::vector<std::string> cells = split(line, ',');
        for (std::string& cell : cells)
            if (cell.size() >= 2 && cell.front() == '"' && cell.back() == '"') cell = cell.substr(1, cell.size() - 2);
        if (header.empty()) {
            header = cells;
            continue;
        }
        if (cells.size() != header.size())
            fail(path + ":" + std::to_string(number) + ": " + std::to_string(cells.size()) + " values for " +
                 std::to_string(header.size()) + " columns");
        rows.push_back(std::move(cells));
        lines.push_back(number);
    }
    if (header.empty() || rows.empty()) fail(path + ": no header of dotted keys and points under it");
    std::vector<Factor> factors;
    for (const std::string& key : header) factors.push_back(Factor{key, 0.0, 0.0, {}});
    std::vector<Column> columns = columns_for(base, factors);
    for (std::size_t i = 0; i < rows.size(); ++i)
        for (std::size_t d = 0; d < header.size(); ++d) try {
                columns[d].add_text(rows[i][d]);
            } catch (const ScenarioError& error) {
                fail(path + ":" + std::to_string(lines[i]) + ": " + error.what());
            }
    return finish(columns);
}

Scenario sweep_point(const Scenario& base, const Design& design, std::size_t point) {
    Scenario scenario = base;
    for (std::size_t d = 0; d < design.columns.size(); ++d) {
        const std::string value = design.toml_value(point, d);
        try {
            scenario = with_override(scenario, design.columns[d].key, value);
        } catch (const ScenarioError& error) {
            fail("sweep point " + std::to_string(point) + " (" + design.columns[d].key + " = " + value +
                 "): " + error.what());
        }
    }
    std::string index = std::to_string(point);
    index.insert(0, index_width(design.points()) - std::min(index.size(), index_width(design.points())), '0');
    scenario.name = base.name + "-" + index;
    return scenario;
}

JobPlan sweep_plan(Scenario base, Design design, int replicates, std::uint64_t seed, std::string command_line,
                   std::string description) {
    JobPlan plan;
    plan.kind = "sweep";
    plan.scenarios = design.points();
    plan.factors = design.columns;
    plan.replicates = replicates;
    plan.seed = seed;
    plan.command_line = std::move(command_line);
    plan.description = std::move(description);
    auto shared = std::make_shared<const std::pair<Scenario, Design>>(std::move(base), std::move(design));
    plan.scenario = [shared](std::size_t s) { return sweep_point(shared->first, shared->second, s); };
    return plan;
}

}  // namespace codev
