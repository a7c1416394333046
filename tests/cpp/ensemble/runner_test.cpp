// The one runner (include/codev/ensemble/runner.hpp, background.hpp): every
// job reaches the sink once, a failure or a stop ends the run with its own
// error, the same plan gives the same records in memory, in shards and in the
// background, and the in-memory results file is the file written to disk.
#include "codev/ensemble/runner.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>

#include "codev/ensemble/background.hpp"
#include "codev/ensemble/ensemble.hpp"
#include "codev/ensemble/shards.hpp"
#include "codev/results/results_file.hpp"
#include "same_records.hpp"
#include "temporary_directory.hpp"
#include "test_world.hpp"

using namespace codev;
using Catch::Matchers::Contains;

namespace {

using codev::testing::require_same_records;
using codev::testing::TemporaryDirectory;

Scenario scenario(const std::string& name, const Params& p) {
    Scenario s;
    s.name = name;
    s.params = p;
    return s;
}

JobPlan two_scenario_plan(int replicates) {
    const Params base = testing::small_params(2000, 12);
    Params policy = base;
    policy.programmes = {testing::share_programme()};
    return scenarios_plan({scenario("base", base), scenario("policy", policy)}, replicates, 5, "test");
}

std::vector<Job> every_job(const JobPlan& plan) {
    std::vector<Job> jobs;
    for (std::size_t s = 0; s < plan.scenarios; ++s)
        for (int r = 0; r < plan.replicates; ++r) jobs.push_back({s, r});
    return jobs;
}

}  // namespace

TEST_CASE("The runner hands every job's record to the sink once and counts it", "[runner]") {
    const JobPlan plan = two_scenario_plan(3);
    const std::vector<Job> jobs = every_job(plan);
    std::mutex mutex;
    std::multiset<std::size_t> seen;
    RunProgress progress;
    RunnerOptions options;
    options.threads = 2;
    run_jobs(plan, jobs, options, &progress, [&](std::size_t i, JobRecord&& record) {
        CHECK(record.months == 12);
        std::lock_guard<std::mutex> lock(mutex);
        seen.insert(i);
    });
    CHECK(seen == std::multiset<std::size_t>{0, 1, 2, 3, 4, 5});
    CHECK(progress.jobs_done == 6);
    CHECK(progress.months_done == 6 * 12);
}

TEST_CASE("A failing job ends the run with its own error, not the stop it causes", "[runner]") {
    const JobPlan plan = two_scenario_plan(4);
    RunnerOptions options;
    options.threads = 2;
    CHECK_THROWS_WITH(run_jobs(plan, every_job(plan), options, nullptr,
                               [](std::size_t i, JobRecord&&) {
                                   if (i == 2) throw ResultsError("disk full");
                               }),
                      "disk full");
}

TEST_CASE("A stopped run throws Interrupted", "[runner]") {
    const JobPlan plan = two_scenario_plan(2);
    RunProgress progress;
    progress.stop = true;
    CHECK_THROWS_AS(run_jobs(plan, every_job(plan), RunnerOptions{}, &progress, [](std::size_t, JobRecord&&) {}),
                    Interrupted);
}

TEST_CASE("One plan gives the same records in memory, in the background and through shards", "[runner]") {
    TemporaryDirectory dir("runner-test");
    const JobPlan plan = two_scenario_plan(3);
    RunnerOptions options;
    options.threads = 2;
    const EnsembleResults memory = run_ensemble(plan, options);
    CHECK(memory.replicates == 3);
    CHECK(memory.scenarios.size() == 2);

    const auto background = start_in_memory(plan, options);
    background->wait();
    require_same_records(memory, background->outcome().results);
    CHECK(background->progress().jobs_done == 6);
    CHECK(background->progress().jobs_total == 6);

    ShardOptions shards;
    shards.out = dir.file("sharded.h5");
    shards.block_jobs = 2;
    shards.threads = 2;
    const auto sharded = start_sharded(plan, shards);
    sharded->wait();
    CHECK(sharded->outcome().shards.assembled);
    require_same_records(memory, read_results(shards.out));
}

TEST_CASE("A background run stopped before its end throws Interrupted and writes nothing", "[runner]") {
    const JobPlan plan = two_scenario_plan(50);
    const auto run = start_in_memory(plan, RunnerOptions{});
    run->stop();
    run->wait();
    CHECK_THROWS_AS(run->outcome(), Interrupted);
}

TEST_CASE("The results file made in memory is the file written to disk", "[runner]") {
    TemporaryDirectory dir("runner-test");
    const EnsembleResults results = run_ensemble(two_scenario_plan(2), RunnerOptions{});
    const std::string written = dir.file("written.h5"), image = dir.file("image.h5");
    write_results(results, written);
    std::ofstream(image, std::ios::binary) << results_image(results);
    require_same_records(results, read_results(image));
    // The description past its first line, which names the file, without the
    // time each was made (a second apart when the machine is loaded).
    const auto described = [](const std::string& path) {
        std::string text = describe_results(path);
        text = text.substr(text.find('\n'));
        const auto created = text.find("created");
        return created == std::string::npos ? text : text.erase(created, text.find('\n', created) - created);
    };
    CHECK(described(image) == described(written));
}
