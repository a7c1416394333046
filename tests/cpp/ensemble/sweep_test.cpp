// Sweep designs (include/codev/sweep.hpp): grid levels and order, one Latin
// hypercube point per stratum, Saltelli's layout on Boost's Sobol' points,
// typed factor values, CSV and matrix designs, and the points' scenarios.
#include "codev/ensemble/sweep.hpp"

#include <unistd.h>

#include <boost/random/sobol.hpp>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <set>

using namespace codev;
using Catch::Matchers::Contains;

namespace {

Scenario policy() { return load_scenario(std::string(CODEV_SOURCE_DIR) + "/tests/data/small/codev-share-70.toml"); }

const std::vector<double>& reals(const Design& design, std::size_t d) {
    return std::get<std::vector<double>>(design.columns.at(d).values);
}

std::string temporary_csv(const std::string& text) {
    static int counter = 0;
    const auto path = std::filesystem::temp_directory_path() /
                      ("codev-sweep-test-" + std::to_string(getpid()) + "-" + std::to_string(counter++) + ".csv");
    std::ofstream(path) << text;
    return path.string();
}

}  // namespace

TEST_CASE("A factor is a range or a list of values", "[sweep]") {
    const Factor range = parse_factor("programmes.codev.share=0.5:0.9");
    CHECK(range.key == "programmes.codev.share");
    CHECK_FALSE(range.listed());
    CHECK(range.low == 0.5);
    CHECK(range.high == 0.9);
    const Factor listed = parse_factor("programmes.codev.rule = share, ratio");
    CHECK(listed.levels == std::vector<std::string>{"share", "ratio"});
    CHECK_THROWS_WITH(parse_factor("behaviour.epsilon"), Contains("expected KEY=LOW:HIGH"));
    CHECK_THROWS_WITH(parse_factor("behaviour.epsilon=1:0"), Contains("LOW is above HIGH"));
    CHECK_THROWS_WITH(parse_factor("behaviour.epsilon=a:b"), Contains("two numbers"));
    CHECK_THROWS_AS(parse_design_kind("random"), ScenarioError);
}

TEST_CASE("A grid has every combination of its levels, the first factor varying slowest", "[sweep]") {
    const Design design =
        make_design(policy(), {parse_factor("programmes.codev.share=0.5:0.7"), parse_factor("behaviour.epsilon=0,0.3")},
                    DesignKind::grid, 3, 0);
    REQUIRE(design.points() == 6);
    CHECK(reals(design, 0) == std::vector<double>{0.5, 0.5, 0.6, 0.6, 0.7, 0.7});
    CHECK(reals(design, 1) == std::vector<double>{0.0, 0.3, 0.0, 0.3, 0.0, 0.3});
    CHECK(design.columns[0].units == "share of cost");
    CHECK(design.toml_value(4, 0) == "0.7");
    CHECK(design.toml_value(0, 1) == "0.0");
    CHECK_THROWS_WITH(make_design(policy(), {parse_factor("behaviour.epsilon=0:1")}, DesignKind::grid, 1, 0),
                      Contains("at least 2 levels"));
}

TEST_CASE("A Latin hypercube puts one point in each stratum of every factor", "[sweep]") {
    const std::vector<Factor> factors = {parse_factor("behaviour.epsilon=0:2"),
                                         parse_factor("programmes.codev.share=0.1:0.6"),
                                         parse_factor("world.migrants=10000:20000")};
    const int n = 50;
    const Design design = make_design(policy(), factors, DesignKind::lhs, n, 7);
    REQUIRE(design.points() == std::size_t(n));
    for (std::size_t d = 0; d < 2; ++d) {
        std::set<int> strata;
        for (double v : reals(design, d)) {
            const double u = (v - factors[d].low) / (factors[d].high - factors[d].low);
            REQUIRE(u >= 0.0);
            REQUIRE(u < 1.0);
            strata.insert(int(u * n));
        }
        CHECK(strata.size() == std::size_t(n));
    }
    // An integer parameter gets whole numbers, written as TOML integers.
    const auto& migrants = std::get<std::vector<std::int64_t>>(design.columns[2].values);
    CHECK(std::set<std::int64_t>(migrants.begin(), migrants.end()).size() == std::size_t(n));
    CHECK(design.toml_value(3, 2) == std::to_string(migrants[3]));
    CHECK(sweep_point(policy(), design, 3).params.world.migrants == migrants[3]);
    // Deterministic in the seed.
    CHECK(reals(make_design(policy(), factors, DesignKind::lhs, n, 7), 0) == reals(design, 0));
    CHECK(reals(make_design(policy(), factors, DesignKind::lhs, n, 8), 0) != reals(design, 0));
}

TEST_CASE("Saltelli's points follow SALib's layout: A, AB_1 .. AB_D, B per base point", "[sweep]") {
    // Boost's Sobol' points 1-4 in 4 dimensions (scipy's qmc.Sobol points 1-4):
    // (.5 .5 .5 .5), (.75 .25 .25 .25), (.25 .75 .75 .75), (.375 .375 .625 .875).
    // With D = 2, A is the first two and B the last two dimensions; factor 0
    // spans 0..2, factor 1 spans 0..1.
    const Design design =
        make_design(policy(), {parse_factor("behaviour.epsilon=0:2"), parse_factor("programmes.codev.share=0:1")},
                    DesignKind::sobol, 4, 0);
    REQUIRE(design.points() == 4 * (2 + 2));
    const std::vector<double> epsilon(reals(design, 0).begin() + 12, reals(design, 0).end());
    const std::vector<double> share(reals(design, 1).begin() + 12, reals(design, 1).end());
    // A = (.375, .375), B = (.625, .875)
    CHECK(epsilon == std::vector<double>{0.75, 1.25, 0.75, 1.25});  // A, AB_1, AB_2, B
    CHECK(share == std::vector<double>{0.375, 0.375, 0.875, 0.875});
    CHECK(reals(design, 0)[0] == 1.0);  // point 1: all 0.5
}

TEST_CASE("The A rows of a Sobol' design are Boost's Sobol' points", "[sweep]") {
    const std::size_t dims = 3, n = 16;
    const Design design =
        make_design(policy(),
                    {parse_factor("behaviour.epsilon=0:1"), parse_factor("programmes.codev.share=0:1"),
                     parse_factor("associations.member_share=0:1")},
                    DesignKind::sobol, int(n), 0);
    boost::random::sobol sequence(2 * dims);
    for (std::size_t i = 0; i < n; ++i) {
        std::vector<double> point(2 * dims);
        for (double& x : point) x = double(sequence()) / 18446744073709551616.0;
        for (std::size_t d = 0; d < dims; ++d) {
            CHECK(reals(design, d)[i * (dims + 2)] == point[d]);                    // A
            CHECK(reals(design, d)[i * (dims + 2) + dims + 1] == point[dims + d]);  // B
        }
    }
}

TEST_CASE("A design from CSV or from a matrix runs the given points", "[sweep]") {
    const std::string csv =
        temporary_csv("# points by hand\nprogrammes.codev.share,world.migrants\n0.55,12000.4\n\n0.6,15000\n");
    const Design design = csv_design(policy(), csv);
    REQUIRE(design.points() == 2);
    CHECK(reals(design, 0) == std::vector<double>{0.55, 0.6});
    CHECK(std::get<std::vector<std::int64_t>>(design.columns[1].values) == std::vector<std::int64_t>{12000, 15000});
    const std::string bad = temporary_csv("behaviour.epsilon\n0.1\nlots\n");
    CHECK_THROWS_WITH(csv_design(policy(), bad), Contains(bad + ":3: behaviour.epsilon: 'lots' is not a number"));
    const Design matrix = matrix_design(policy(), {"behaviour.epsilon"}, {{0.25}, {0.5}, {0.75}});
    CHECK(reals(matrix, 0) == std::vector<double>{0.25, 0.5, 0.75});
    CHECK_THROWS_AS(matrix_design(policy(), {"behaviour.epsilon"}, {{0.25, 1.0}}), ScenarioError);
    std::filesystem::remove(csv);
    std::filesystem::remove(bad);
}

TEST_CASE("A point's scenario is the base with the factors set, named after the point", "[sweep]") {
    const Scenario base = policy();
    const Design design = make_design(base, {parse_factor("behaviour.epsilon=0.1,0.9")}, DesignKind::grid, 0, 0);
    const Scenario point = sweep_point(base, design, 1);
    CHECK(point.name == "codev-share-70-0001");
    CHECK(point.params.behaviour.epsilon == 0.9);
    CHECK(point.params.world.migrants == base.params.world.migrants);
    // A value the loader refuses names the point and the key.
    const Design over = make_design(base, {parse_factor("programmes.codev.share=0.9,0.95")}, DesignKind::grid, 0, 0);
    CHECK_THROWS_WITH(sweep_point(base, over, 1),
                      Contains("sweep point 1 (programmes.codev.share = 0.95)") && Contains("over-financed"));
}
