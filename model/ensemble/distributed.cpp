// Process groups (include/codev/distributed.hpp). With CODEV_HAVE_MPI (CMake
// found MPI and CODEV_WITH_MPI is on) a launch by mpirun joins
// MPI_COMM_WORLD; the main thread and one watchdog thread call MPI, one at a
// time (MPI_THREAD_SERIALIZED); TBB threads never do.
#include "codev/ensemble/distributed.hpp"

#include <sched.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

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
// Seconds without a sign of life from a process before the others give up
// on it: CODEV_MPI_TIMEOUT, else a minute. A frozen process (SIGSTOP, a
// machine lost without its connection closing) would otherwise leave the
// others waiting in their next collective call forever.
int silence_limit_seconds() {
    const int seconds = environment_int("CODEV_MPI_TIMEOUT");
    return seconds > 0 ? seconds : 60;
}

// MPI_COMM_WORLD, watched. Every MPI call is made under one lock, and the
// main thread's calls are non-blocking requests polled until done, so a
// watchdog thread can say "alive" every second whatever the main thread is
// doing (running blocks, assembling, waiting for the others). Process 0
// hears from every process and the others hear from process 0; a process
// silent for silence_limit_seconds() ends the run (MPI_Abort) with one
// message, and the finished shards stay for --resume. A process that ends
// normally says goodbye first, so process 0 may assemble alone.
class MpiGroup : public ProcessGroup {
  public:
    MpiGroup(int& argc, char**& argv) {
        int provided = 0;
        MPI_Init_thread(&argc, &argv, MPI_THREAD_SERIALIZED, &provided);
        MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
        MPI_Comm_size(MPI_COMM_WORLD, &size_);
        MPI_Comm node;  // the processes sharing this machine's memory
        MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &node);
        MPI_Comm_size(node, &local_size_);
        MPI_Comm_free(&node);
        if (size_ > 1 && provided >= MPI_THREAD_SERIALIZED) watchdog_ = std::thread([this] { watch(); });
    }
    ~MpiGroup() override {
        if (watchdog_.joinable()) {
            {
                std::lock_guard<std::mutex> lock(quiet_mutex_);
                quiet_ = true;
            }
            quiet_changed_.notify_all();
            watchdog_.join();
            std::lock_guard<std::mutex> lock(mpi_mutex_);
            for (int peer : watched_peers()) send_signal(peer, GOODBYE);
        }
        MPI_Finalize();
    }
    int rank() const override { return rank_; }
    int size() const override { return size_; }
    int local_size() const override { return local_size_; }
    bool all(bool ok) const override {
        int mine = ok ? 1 : 0, every = 0;
        MPI_Request request;
        call([&] { MPI_Iallreduce(&mine, &every, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD, &request); });
        wait(request);
        return every == 1;
    }
    std::string broadcast(const std::string& text) const override {
        std::uint64_t size = text.size();
        MPI_Request request;
        call([&] { MPI_Ibcast(&size, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD, &request); });
        wait(request);
        std::string bytes = rank_ == 0 ? text : std::string(size, '\0');
        for (std::uint64_t at = 0; at < size; at += PIECE) {
            call([&] {
                MPI_Ibcast(bytes.data() + at, int(std::min(PIECE, size - at)), MPI_CHAR, 0, MPI_COMM_WORLD, &request);
            });
            wait(request);
        }
        return bytes;
    }
    void send(int to, const std::string& bytes) const override {
        std::uint64_t size = bytes.size();
        MPI_Request request;
        call([&] { MPI_Isend(&size, 1, MPI_UINT64_T, to, DATA, MPI_COMM_WORLD, &request); });
        wait(request);
        for (std::uint64_t at = 0; at < size; at += PIECE) {
            call([&] {
                MPI_Isend(bytes.data() + at, int(std::min(PIECE, size - at)), MPI_CHAR, to, DATA, MPI_COMM_WORLD,
                          &request);
            });
            wait(request);
        }
    }
    void abort_all(int status) const override {
        if (size_ > 1) MPI_Abort(MPI_COMM_WORLD, status);
    }
    std::string receive(int from) const override {
        std::uint64_t size = 0;
        MPI_Request request;
        call([&] { MPI_Irecv(&size, 1, MPI_UINT64_T, from, DATA, MPI_COMM_WORLD, &request); });
        wait(request);
        std::string bytes(size, '\0');
        for (std::uint64_t at = 0; at < size; at += PIECE) {
            call([&] {
                MPI_Irecv(bytes.data() + at, int(std::min(PIECE, size - at)), MPI_CHAR, from, DATA, MPI_COMM_WORLD,
                          &request);
            });
            wait(request);
        }
        return bytes;
    }

  private:
    static constexpr std::uint64_t PIECE = std::uint64_t{1} << 30;  // MPI counts are int
    static constexpr int DATA = 0, LIFE = 1;                        // message tags
    static constexpr int ALIVE = 0, GOODBYE = 1;                    // what a LIFE message says

    template <class F>
    void call(F&& f) const {
        std::lock_guard<std::mutex> lock(mpi_mutex_);
        f();
    }

    // Polls `request` until it completes, the lock held only while testing.
    void wait(MPI_Request& request) const {
        for (;;) {
            int done = 0;
            call([&] { MPI_Test(&request, &done, MPI_STATUS_IGNORE); });
            if (done) return;
            std::this_thread::sleep_for(std::chrono::microseconds(200));
        }
    }

    // Process 0 watches every other process; the others watch process 0.
    std::vector<int> watched_peers() const {
        std::vector<int> peers;
        if (rank_ != 0) return {0};
        for (int peer = 1; peer < size_; ++peer) peers.push_back(peer);
        return peers;
    }

    // Called with mpi_mutex_ held. The request is freed: a one-int message
    // completes without waiting for its receiver.
    void send_signal(int peer, int what) const {
        static const int words[] = {ALIVE, GOODBYE};
        MPI_Request request;
        MPI_Isend(&words[what], 1, MPI_INT, peer, LIFE, MPI_COMM_WORLD, &request);
        MPI_Request_free(&request);
    }

    void watch() {
        using Clock = std::chrono::steady_clock;
        const std::vector<int> peers = watched_peers();
        std::map<int, Clock::time_point> heard;  // the peers still expected to speak
        for (int peer : peers) heard[peer] = Clock::now();
        const auto limit = std::chrono::seconds(silence_limit_seconds());
        std::unique_lock<std::mutex> quiet(quiet_mutex_);
        while (!quiet_changed_.wait_for(quiet, std::chrono::milliseconds(500), [this] { return quiet_; })) {
            std::lock_guard<std::mutex> lock(mpi_mutex_);
            for (int peer : peers) send_signal(peer, ALIVE);
            for (;;) {
                int waiting = 0, word = 0;
                MPI_Status status;
                MPI_Iprobe(MPI_ANY_SOURCE, LIFE, MPI_COMM_WORLD, &waiting, &status);
                if (!waiting) break;
                MPI_Recv(&word, 1, MPI_INT, status.MPI_SOURCE, LIFE, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
                if (word == GOODBYE)
                    heard.erase(status.MPI_SOURCE);
                else if (heard.count(status.MPI_SOURCE))
                    heard[status.MPI_SOURCE] = Clock::now();
            }
            for (const auto& [peer, when] : heard) {
                if (Clock::now() - when < limit) continue;
                std::cerr << "codev: process " << peer << " of this run has not answered for "
                          << silence_limit_seconds()
                          << " s (stopped, hung or its machine lost; CODEV_MPI_TIMEOUT sets the limit); stopping "
                             "every process; finished blocks are kept: continue with --resume\n"
                          << std::flush;
                MPI_Abort(MPI_COMM_WORLD, 1);
            }
        }
    }

    int rank_ = 0, size_ = 1, local_size_ = 1;
    mutable std::mutex mpi_mutex_;
    std::mutex quiet_mutex_;
    std::condition_variable quiet_changed_;
    bool quiet_ = false;
    std::thread watchdog_;
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
