// Process groups (include/codev/distributed.hpp). With CODEV_HAVE_MPI (CMake
// found MPI and CODEV_WITH_MPI is on) a launch by mpirun joins
// MPI_COMM_WORLD; only the main thread calls MPI (MPI_THREAD_FUNNELED), TBB
// threads never do.
#include "codev/distributed.hpp"

#include <sched.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <thread>

#ifdef CODEV_HAVE_MPI
#include <mpi.h>
#endif

namespace codev {

namespace {

int environment_int(const char* name) {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') return 0;
    char* end = nullptr;
    const long number = std::strtol(value, &end, 10);
    return (*end == '\0' && number > 0 && number < 1'000'000) ? int(number) : 0;
}

int affinity_cores() {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) != 0) return int(std::thread::hardware_concurrency());
    return CPU_COUNT(&set);
}

#ifdef CODEV_HAVE_MPI
class MpiGroup : public ProcessGroup {
  public:
    MpiGroup(int& argc, char**& argv) {
        int provided = 0;
        MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
        MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
        MPI_Comm_size(MPI_COMM_WORLD, &size_);
        MPI_Comm node;  // the processes sharing this machine's memory
        MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &node);
        MPI_Comm_size(node, &local_size_);
        MPI_Comm_free(&node);
    }
    ~MpiGroup() override { MPI_Finalize(); }
    int rank() const override { return rank_; }
    int size() const override { return size_; }
    int local_size() const override { return local_size_; }
    bool all(bool ok) const override {
        int mine = ok ? 1 : 0, every = 0;
        MPI_Allreduce(&mine, &every, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
        return every == 1;
    }
    std::string broadcast(const std::string& text) const override {
        std::uint64_t size = text.size();
        MPI_Bcast(&size, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
        std::string bytes = rank_ == 0 ? text : std::string(size, '\0');
        for (std::uint64_t at = 0; at < size; at += PIECE)
            MPI_Bcast(bytes.data() + at, int(std::min(PIECE, size - at)), MPI_CHAR, 0, MPI_COMM_WORLD);
        return bytes;
    }
    void send(int to, const std::string& bytes) const override {
        std::uint64_t size = bytes.size();
        MPI_Send(&size, 1, MPI_UINT64_T, to, 0, MPI_COMM_WORLD);
        for (std::uint64_t at = 0; at < size; at += PIECE)
            MPI_Send(bytes.data() + at, int(std::min(PIECE, size - at)), MPI_CHAR, to, 0, MPI_COMM_WORLD);
    }
    void abort_all(int status) const override {
        if (size_ > 1) MPI_Abort(MPI_COMM_WORLD, status);
    }
    std::string receive(int from) const override {
        std::uint64_t size = 0;
        MPI_Recv(&size, 1, MPI_UINT64_T, from, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        std::string bytes(size, '\0');
        for (std::uint64_t at = 0; at < size; at += PIECE)
            MPI_Recv(bytes.data() + at, int(std::min(PIECE, size - at)), MPI_CHAR, from, 0, MPI_COMM_WORLD,
                     MPI_STATUS_IGNORE);
        return bytes;
    }

  private:
    static constexpr std::uint64_t PIECE = std::uint64_t{1} << 30;  // MPI counts are int
    int rank_ = 0, size_ = 1, local_size_ = 1;
};
#endif

}  // namespace

// A group of one has nobody to talk to.
void ProcessGroup::send(int to, const std::string&) const {
    throw std::logic_error("no process " + std::to_string(to) + " to send to in a group of one");
}

std::string ProcessGroup::receive(int from) const {
    throw std::logic_error("no process " + std::to_string(from) + " to receive from in a group of one");
}

bool built_with_mpi() {
#ifdef CODEV_HAVE_MPI
    return true;
#else
    return false;
#endif
}

// Open MPI's mpirun sets OMPI_COMM_WORLD_SIZE; PMIx and PMI launchers
// (srun --mpi=pmix, MPICH's mpiexec) set PMIX_RANK or PMI_RANK.
bool launched_by_mpi() {
    return std::getenv("OMPI_COMM_WORLD_SIZE") != nullptr || std::getenv("PMIX_RANK") != nullptr ||
           std::getenv("PMI_RANK") != nullptr;
}

std::unique_ptr<ProcessGroup> join_process_group([[maybe_unused]] int& argc, [[maybe_unused]] char**& argv) {
    if (!launched_by_mpi()) return std::make_unique<ProcessGroup>();
#ifdef CODEV_HAVE_MPI
    return std::make_unique<MpiGroup>(argc, argv);
#else
    if (environment_int("OMPI_COMM_WORLD_SIZE") > 1)
        throw std::runtime_error(
            "launched by mpirun with several processes, but this codev was built without MPI "
            "(install Open MPI and rebuild with -DCODEV_WITH_MPI=ON), so each would run every job");
    return std::make_unique<ProcessGroup>();
#endif
}

int default_threads(const ProcessGroup& group) {
    if (const int slurm = environment_int("SLURM_CPUS_PER_TASK"); slurm > 0) return slurm;
    const int cores = std::max(1, affinity_cores());
    const int machine = std::max(1, int(std::thread::hardware_concurrency()));
    // Processes bound to their own cores already see only those.
    if (group.local_size() > 1 && cores >= machine) return std::max(1, cores / group.local_size());
    return cores;
}

}  // namespace codev
