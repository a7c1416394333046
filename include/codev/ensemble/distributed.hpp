// The processes that share an ensemble's jobs: those of one MPI launch
// (`mpirun -np K codev ...`, docs/architecture.md 2.3: block b runs on process b mod size), or this process alone. MPI
// is started only when the process was launched by an MPI launcher, so a plain `codev` never needs it.
#pragma once

#include <memory>
#include <string>

namespace codev {

// A group of processes that run one ensemble together; rank 0 prepares and
// assembles. The default is a group of one.
class ProcessGroup {
  public:
    virtual ~ProcessGroup() = default;
    virtual int rank() const { return 0; }
    virtual int size() const { return 1; }
    // Processes of this group on this machine (this one included).
    virtual int local_size() const { return 1; }
    // A collective call (every process makes it): true on every process when
    // `ok` is true on every process. Also a barrier.
    virtual bool all(bool ok) const { return ok; }
    // A collective call: process 0's `text`, on every process.
    virtual std::string broadcast(const std::string& text) const { return text; }
    // Bytes from this process to process `to`, which must receive() them.
    virtual void send(int to, const std::string& bytes) const;
    virtual std::string receive(int from) const;
    // Ends every process of the group with `status` (MPI_Abort), for a stop
    // that reached this process only: the others would not see it before
    // their next collective call, after all their work. A group of one
    // returns: its caller ends it in the ordinary way.
    virtual void abort_all(int status) const { (void)status; }
};

// True when this build can distribute with MPI (CMake option CODEV_WITH_MPI
// and MPI found).
bool built_with_mpi();

// True when an MPI launcher (mpirun, mpiexec, srun --mpi) started this process.
bool launched_by_mpi();

// The group of this process: MPI_COMM_WORLD when launched by an MPI launcher
// (MPI is initialised here and finalised when the group is destroyed: make
// one per process, early in main), else a group of one. Throws
// std::runtime_error when launched by mpirun with several processes but
// built without MPI (each would otherwise run every job).
std::unique_ptr<ProcessGroup> join_process_group(int& argc, char**& argv);

// Worker threads for one process of `group` when none are asked for:
// SLURM_CPUS_PER_TASK when Slurm sets it, else the cores this process may
// run on, divided among the group's processes on this machine when they are
// not bound to cores of their own, so that runs sharing a node do not
// oversubscribe it. At least 1.
int default_threads(const ProcessGroup& group);

}  // namespace codev
