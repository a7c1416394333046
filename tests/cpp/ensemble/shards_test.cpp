// Sharded ensembles (include/codev/shards.hpp): blocks cut the jobs into
// ordinary results files; a sharded run, whole or in pieces, resumed or
// not, assembles to the file of a plain run.
#include "codev/ensemble/shards.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "codev/ensemble/ensemble.hpp"
#include "codev/ensemble/sweep.hpp"
#include "same_records.hpp"
#include "temporary_directory.hpp"

using namespace codev;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

using codev::testing::require_same_records;
using codev::testing::TemporaryDirectory;

std::vector<Scenario> small_scenarios() {
    const std::string dir = std::string(CODEV_SOURCE_DIR) + "/tests/data/small/";
    std::vector<Scenario> scenarios;
    for (const char* name : {"mali-kayes-baseline", "codev-share-70", "three-for-one"}) {
        Scenario s = load_scenario(dir + name + ".toml");
        scenarios.push_back(with_override(s, "months", "24"));  // short: the suite stays fast
        scenarios.back().name = name;
    }
    return scenarios;
}

}  // namespace

TEST_CASE("Blocks are whole scenarios, or one scenario's replicates when it does not fit", "[shards]") {
    const BlockLayout few(5, 3, 7);  // 2 scenarios x 3 replicates per block
    REQUIRE(few.count() == 3);
    CHECK(few.block(2).first_scenario == 4);
    CHECK(few.block(2).scenarios == 1);
    CHECK(few.block(2).first_job == 12);
    CHECK(few.block(2).jobs == 3);
    const BlockLayout many(2, 10, 4);  // replicates 0-3, 4-7, 8-9 of each scenario
    REQUIRE(many.count() == 6);
    CHECK(many.block(5).first_scenario == 1);
    CHECK(many.block(5).first_replicate == 8);
    CHECK(many.block(5).replicates == 2);
    for (const BlockLayout* layout : {&few, &many}) {
        std::size_t job = 0;
        for (std::size_t b = 0; b < layout->count(); ++b) {
            const Block block = layout->block(b);
            REQUIRE(block.first_job == job);
            for (std::size_t j = 0; j < block.jobs; ++j) REQUIRE(layout->block_of_job(job++) == b);
        }
        CHECK(job == (layout == &few ? 15u : 20u));
    }
}

TEST_CASE("A sharded run, in pieces and resumed, assembles to the file of a plain run", "[shards]") {
    TemporaryDirectory dir("shards-test");
    const std::vector<Scenario> scenarios = small_scenarios();
    EnsembleOptions plain;
    plain.replicates = 3;
    plain.seed = 11;
    const EnsembleResults expected = run_ensemble(scenarios, plain);

    const JobPlan plan = scenarios_plan(scenarios, 3, 11, "test");
    ShardOptions options;
    options.out = dir.file("sharded.h5");
    options.block_jobs = 2;  // replicates 0-1 and 2 of each scenario: 6 blocks
    options.jobs = std::make_pair(std::size_t(0), std::size_t(5));
    RunProgress progress;
    ShardOutcome outcome = run_sharded(plan, options, &progress);
    CHECK(outcome.blocks == 6);
    CHECK(outcome.blocks_run == 3);  // blocks starting at jobs 0, 2 and 3
    CHECK_FALSE(outcome.assembled);
    CHECK(progress.jobs_done == 5);
    CHECK_THROWS_WITH(assemble_shards(options.out, false), Contains("3 of 6 blocks are not finished"));

    options.jobs.reset();
    CHECK_THROWS_WITH(run_sharded(plan, options), Contains("add --resume"));
    options.resume = true;
    JobPlan other = plan;
    other.seed = 12;
    CHECK_THROWS_WITH(run_sharded(other, options), Contains("seed 11 there, 12 here"));
    outcome = run_sharded(plan, options);
    CHECK(outcome.blocks_found == 3);
    CHECK(outcome.blocks_run == 3);
    CHECK(outcome.assembled);
    CHECK_FALSE(fs::exists(shard_directory(options.out)));
    require_same_records(expected, read_results(options.out));
}

TEST_CASE("A sweep's plan names its points and carries the factor values", "[shards]") {
    TemporaryDirectory dir("shards-test");
    const Scenario base = small_scenarios()[1];
    Design design = make_design(base, {parse_factor("behaviour.epsilon=0,0.6")}, DesignKind::grid, 0, 0);
    const JobPlan plan = sweep_plan(base, design, 1, 3, "test", "grid");
    ShardOptions options;
    options.out = dir.file("sweep.h5");
    run_sharded(plan, options);
    const ResultsOutline outline = read_outline(options.out);
    CHECK(outline.scenarios == std::vector<std::string>{"codev-share-70-0000", "codev-share-70-0001"});
    REQUIRE(outline.factors.size() == 1);
    CHECK(std::get<std::vector<double>>(outline.factors[0].values) == std::vector<double>{0.0, 0.6});
    const EnsembleResults results = read_results(options.out);
    CHECK(results.records[0].monthly != results.records[1].monthly);  // epsilon moves contributions
}
