// Sweeps: scenarios made from one base scenario by setting some of its
// parameters (the factors, named by dotted keys) to the values of a design:
// a full grid, a Latin hypercube, Saltelli's scheme for Sobol' indices, or
// points given by hand (docs/cluster.md, README "Sweeps and clusters").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "codev/ensemble/runner.hpp"
#include "codev/results/results_file.hpp"
#include "codev/scenario/scenario.hpp"

namespace codev {

// A parameter to vary: a range "key=low:high" or listed values "key=a,b,c".
struct Factor {
    std::string key;                  // dotted key, e.g. "programmes.codev.share"
    double low = 0.0, high = 0.0;     // the range, when no levels are listed
    std::vector<std::string> levels;  // listed values, as TOML value texts

    bool listed() const { return !levels.empty(); }
};

// Parses "KEY=LOW:HIGH" or "KEY=V1,V2,...". Throws ScenarioError with one
// line naming the text ("--factor 'x': ...").
Factor parse_factor(const std::string& spec);

enum class DesignKind { grid, lhs, sobol };

// "grid", "lhs" or "sobol"; throws ScenarioError for anything else.
DesignKind parse_design_kind(const std::string& name);

// How a factor's values are written into the scenario: as the base scenario
// holds the key (an integer key gets whole numbers, rounded).
enum class FactorType { integer, real, boolean, text };

// N points x D factors. Column d holds factor d's value at every point, typed
// as the parameter is (FactorValues: reals, integers, or texts for booleans
// and strings); the columns are also the file's factor coordinates.
struct Design {
    std::vector<FactorType> types;
    std::vector<FactorValues> columns;

    std::size_t points() const { return columns.empty() ? 0 : columns.front().size(); }
    // The TOML text of factor d's value at point i, as with_override takes it.
    std::string toml_value(std::size_t point, std::size_t factor) const;
};

// The design of `kind` over `factors` for a sweep of `base`:
// - grid: every combination of n levels per ranged factor (low to high,
//   evenly spaced, ends included) and of the listed values; the first factor
//   varies slowest (as itertools.product);
// - lhs: n points, one in each of n equal strata of every factor, strata and
//   positions drawn from the seed (Process::sweep_design streams);
// - sobol: Saltelli's scheme without second-order terms for n base points:
//   n * (D + 2) points in SALib's layout (per base point: A, AB_1..AB_D, B),
//   A and B the two halves of Boost's unscrambled Sobol' sequence in 2D
//   dimensions (its first point is scipy's qmc.Sobol point 1).
// Listed factors take level floor(u * count) of a uniform u in LHS and Sobol.
// Throws ScenarioError (bad n, no factors, a key twice, a range on a text key).
Design make_design(const Scenario& base, const std::vector<Factor>& factors, DesignKind kind, int n,
                   std::uint64_t seed);

// A design given as N rows of D numbers for the named keys (SALib,
// scipy.stats.qmc or by hand); integer keys are rounded.
Design matrix_design(const Scenario& base, const std::vector<std::string>& keys,
                     const std::vector<std::vector<double>>& rows);

// A design read from CSV: a header of dotted keys, one point per line
// (numbers, or text for text parameters). Blank lines and lines starting
// with '#' are skipped. Throws ScenarioError "FILE:LINE: ..." for a bad cell.
Design csv_design(const Scenario& base, const std::string& path);

// The scenario of point i: `base` with every factor set, named
// "<base name>-<i>" with i zero-padded to at least 4 digits (width fixed by
// the number of points). Throws ScenarioError when a value is not allowed.
Scenario sweep_point(const Scenario& base, const Design& design, std::size_t point);

// The plan of `codev sweep` and codev.sweep: point i of `design` is
// sweep_point(base, design, i), made when its jobs run.
JobPlan sweep_plan(Scenario base, Design design, int replicates, std::uint64_t seed, std::string command_line,
                   std::string description);

}  // namespace codev
