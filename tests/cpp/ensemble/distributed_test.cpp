// Process groups (include/codev/distributed.hpp): a plain process is a group
// of one, and its default threads follow Slurm's allocation or its cores.
#include "codev/ensemble/distributed.hpp"

#include <sched.h>
#include <stdlib.h>

#include <catch2/catch.hpp>

using namespace codev;

namespace {

// A group of `size` processes on one machine, for the thread rule.
struct Neighbours : ProcessGroup {
    int size_;
    explicit Neighbours(int size) : size_(size) {}
    int size() const override { return size_; }
    int local_size() const override { return size_; }
};

int cores() {
    cpu_set_t set;
    CPU_ZERO(&set);
    sched_getaffinity(0, sizeof set, &set);
    return CPU_COUNT(&set);
}

}  // namespace

TEST_CASE("A process not launched by mpirun is a group of one", "[distributed]") {
    if (launched_by_mpi()) return;  // the suite itself under mpirun: nothing to check
    int argc = 1;
    char name[] = "codev_tests";
    char* args[] = {name, nullptr};
    char** argv = args;
    const auto group = join_process_group(argc, argv);
    CHECK(group->rank() == 0);
    CHECK(group->size() == 1);
    CHECK(group->all(true));
    CHECK_FALSE(group->all(false));
}

TEST_CASE("Default threads follow SLURM_CPUS_PER_TASK, else the cores shared by the processes", "[distributed]") {
    const char* saved = getenv("SLURM_CPUS_PER_TASK");
    const std::string restore = saved ? saved : "";
    unsetenv("SLURM_CPUS_PER_TASK");
    CHECK(default_threads(ProcessGroup()) == cores());
    CHECK(default_threads(Neighbours(2)) >= 1);
    CHECK(default_threads(Neighbours(2)) <= std::max(1, cores()));
    CHECK(default_threads(Neighbours(1000)) == 1);
    setenv("SLURM_CPUS_PER_TASK", "3", 1);
    CHECK(default_threads(Neighbours(4)) == 3);
    if (saved)
        setenv("SLURM_CPUS_PER_TASK", restore.c_str(), 1);
    else
        unsetenv("SLURM_CPUS_PER_TASK");
}
