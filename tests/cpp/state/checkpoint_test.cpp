// Checkpoints (RunnerOptions::checkpoint_months, docs/statepoints.md §3): a
// job that finds its checkpoint continues from it, and the records are those
// of a run from the first month.
#include <catch2/catch.hpp>
#include <filesystem>

#include "codev/ensemble/runner.hpp"
#include "codev/version.hpp"
#include "state_test_support.hpp"
#include "temporary_directory.hpp"

using namespace codev;
using codev::testing::TemporaryDirectory;

namespace {

std::vector<JobRecord> run_all(const JobPlan& plan, const RunnerOptions& options) {
    std::vector<Job> jobs;
    for (std::size_t s = 0; s < plan.scenarios; ++s)
        for (int r = 0; r < plan.replicates; ++r) jobs.push_back({s, r});
    std::vector<JobRecord> records(jobs.size());
    run_jobs(plan, jobs, options, nullptr, [&](std::size_t i, JobRecord&& r) { records[i] = std::move(r); });
    return records;
}

}  // namespace

TEST_CASE("A job continues from its checkpoint, which gives the records of a run from the first month",
          "[checkpoint]") {
    const Params base = testing::rich_params();
    Params policy = base;
    policy.programmes[0].share = 0.5;
    const JobPlan plan = scenarios_plan(
        {testing::named_scenario("base", base), testing::named_scenario("policy", policy)}, 2, 8, "test");
    TemporaryDirectory dir("checkpoint");
    RunnerOptions plain;
    plain.threads = 2;
    const std::vector<JobRecord> expected = run_all(plan, plain);

    RunnerOptions options = plain;
    options.checkpoint_months = 12;
    options.checkpoint_directory = dir.path.string();
    const std::vector<JobRecord> first = run_all(plan, options);
    for (std::size_t j = 0; j < first.size(); ++j) testing::require_same_record(first[j], expected[j]);
    // The last checkpoint of each job is there (none at the horizon).
    const Statepoint last = read_statepoint(checkpoint_file(dir.path.string(), 1, 1));
    CHECK(last.state.world.month == 60);
    CHECK(last.scenario_name == "policy");

    SECTION("a job resumed from a checkpoint equals the run from the first month") {
        const std::vector<JobRecord> resumed = run_all(plan, options);
        for (std::size_t j = 0; j < resumed.size(); ++j) testing::require_same_record(resumed[j], expected[j]);
    }
    SECTION("the checkpoint is what the job continues from") {
        Statepoint altered = last;
        altered.state.world.associations.treasury_xof[0] += 1000000000;  // a state no run made
        write_statepoint(checkpoint_file(dir.path.string(), 1, 1), altered);
        const std::vector<JobRecord> resumed = run_all(plan, options);
        CHECK(resumed[3].monthly != expected[3].monthly);
        testing::require_same_record(resumed[2], expected[2]);
    }
    SECTION("a checkpoint of another scenario, or cut short, is not used") {
        Statepoint other = last;
        other.scenario_toml = params_to_toml(base);
        other.state.world.associations.treasury_xof[0] += 1000000000;
        write_statepoint(checkpoint_file(dir.path.string(), 1, 1), other);
        std::filesystem::resize_file(checkpoint_file(dir.path.string(), 0, 0), 100);
        const std::vector<JobRecord> resumed = run_all(plan, options);
        for (std::size_t j = 0; j < resumed.size(); ++j) testing::require_same_record(resumed[j], expected[j]);
    }
}
