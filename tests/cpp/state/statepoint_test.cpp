// Statepoints (include/codev/state/statepoint.hpp, docs/statepoints.md): a
// run continued from a statepoint file is the run that was not stopped, bit
// for bit, at any thread count; a damaged or foreign file is refused with
// one message.
#include "codev/state/statepoint.hpp"

#include <tbb/task_arena.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "codev/scenario/scenario.hpp"
#include "codev/version.hpp"
#include "results/hdf5_file.hpp"
#include "state_test_support.hpp"
#include "temporary_directory.hpp"

using namespace codev;
using Catch::Matchers::Contains;
using codev::testing::TemporaryDirectory;

namespace {

SimulationState run_whole(const Params& p, int threads) {
    tbb::task_arena arena(threads);
    return arena.execute([&] {
        Simulation sim(p, 11, 2, RunOptions{true});
        sim.run([] { return false; });
        return sim.state();
    });
}

// Runs to `stop`, saves, reads back, continues to the horizon.
SimulationState run_through_file(const Params& p, int stop, int threads, const std::string& path) {
    tbb::task_arena arena(threads);
    return arena.execute([&] {
        {
            Simulation first(p, 11, 2, RunOptions{true});
            first.run_to(stop, [] { return false; });
            write_statepoint(path, Statepoint{"rich", params_to_toml(p), codev_version(), first.state()});
        }
        Statepoint saved = read_statepoint(path);
        CHECK(saved.scenario_name == "rich");
        CHECK(saved.state.world.month == stop);
        CHECK(saved.state.world.key.seed == 11);
        CHECK(saved.state.world.key.replicate == 2);
        check_state_fits(saved.state, p, path);
        Simulation rest(p, std::move(saved.state), RunOptions{true});
        rest.run([] { return false; });
        return rest.state();
    });
}

Statepoint saved_at(const Params& p, int month) {
    Simulation sim(p, 3, 0);
    sim.run_to(month, [] { return false; });
    return Statepoint{"rich", params_to_toml(p), codev_version(), sim.state()};
}

}  // namespace

TEST_CASE("A run continued from a statepoint is the run that was not stopped, at 1 and 2 threads", "[statepoint]") {
    const Params p = testing::rich_params();
    TemporaryDirectory dir("statepoint");
    const SimulationState whole = run_whole(p, 1);
    REQUIRE(whole.world.projects.size() > 10);
    for (int threads : {1, 2}) {
        // in the spin-up, at month 0, in a budget year, at a year's start, at the horizon
        for (int stop : {-10, 0, 29, 48, 72}) {
            INFO("threads " << threads << ", stopped at month " << stop);
            testing::require_same_state(run_through_file(p, stop, threads, dir.file("sp.h5")), whole);
        }
    }
    testing::require_same_state(run_whole(p, 2), whole);
}

TEST_CASE("A statepoint is written whole or not at all, and only where a file may be", "[statepoint]") {
    const Params p = testing::rich_params(24);
    TemporaryDirectory dir("statepoint");
    const Statepoint sp = saved_at(p, 5);
    REQUIRE_THROWS_WITH(write_statepoint(dir.path.string(), sp), Contains("it is a directory"));
    REQUIRE_THROWS_WITH(write_statepoint(dir.file("missing/sp.h5"), sp), Contains("does not exist"));
    write_statepoint(dir.file("sp.h5"), sp);
    CHECK(dir.entries() == 1);  // no temporary file left
}

TEST_CASE("A damaged or foreign statepoint is refused with one message", "[statepoint]") {
    const Params p = testing::rich_params(24);
    TemporaryDirectory dir("statepoint");
    SECTION("no file, a directory, not HDF5") {
        REQUIRE_THROWS_WITH(read_statepoint(dir.file("none.h5")), Contains("no such file"));
        REQUIRE_THROWS_WITH(read_statepoint(dir.path.string()), Contains("not a regular file"));
        std::ofstream(dir.file("text.h5")) << "not hdf5";
        REQUIRE_THROWS_WITH(read_statepoint(dir.file("text.h5")), Contains("not an HDF5 file"));
    }
    SECTION("an HDF5 file that is not a statepoint") {
        hdf5::File::create(dir.file("other.h5")).close();
        REQUIRE_THROWS_WITH(read_statepoint(dir.file("other.h5")), Contains("not a codev statepoint"));
    }
    SECTION("an index out of range") {
        Statepoint sp = saved_at(p, 5);
        sp.state.world.migrants.association[0] = 1 << 30;
        write_statepoint(dir.file("bad.h5"), sp);
        REQUIRE_THROWS_WITH(read_statepoint(dir.file("bad.h5")), Contains("migrants.association"));
    }
    SECTION("a project pointing past the associations") {
        Statepoint sp = saved_at(p, 30);
        REQUIRE(!sp.state.world.projects.empty());
        sp.state.world.projects[0].association = -3;
        write_statepoint(dir.file("bad.h5"), sp);
        REQUIRE_THROWS_WITH(read_statepoint(dir.file("bad.h5")), Contains("a project's association"));
    }
    SECTION("a value that is not finite") {
        Statepoint sp = saved_at(p, 5);
        sp.state.world.migrants.trust[1] = std::numeric_limits<float>::quiet_NaN();
        write_statepoint(dir.file("bad.h5"), sp);
        REQUIRE_THROWS_WITH(read_statepoint(dir.file("bad.h5")),
                            Contains("migrants.trust' holds a value that is not finite"));
    }
    SECTION("columns of different lengths") {
        Statepoint sp = saved_at(p, 5);
        sp.state.world.migrants.flags.pop_back();
        write_statepoint(dir.file("bad.h5"), sp);
        REQUIRE_THROWS_WITH(read_statepoint(dir.file("bad.h5")), Contains("a migrants column has"));
    }
    SECTION("a state that does not fit the scenario") {
        const Statepoint sp = saved_at(p, 5);
        Params other = p;
        other.months = 36;
        REQUIRE_THROWS_WITH(check_state_fits(sp.state, other, "sp.h5"), Contains("sp.h5: it was made for 24 months"));
        other = p;
        other.programmes.push_back(testing::share_programme());
        REQUIRE_THROWS_WITH(check_state_fits(sp.state, other, "sp.h5"),
                            Contains("it has 1 programmes, the scenario 2"));
        other = p;
        other.world.communes = 11;
        REQUIRE_THROWS_WITH(check_state_fits(sp.state, other, "sp.h5"), Contains("communes"));
    }
}
