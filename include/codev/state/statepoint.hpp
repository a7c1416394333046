// Statepoints: the whole state of one run at the start of a month, in a
// file (docs/statepoints.md). A run continued from a statepoint is
// bit-identical to the run that was not stopped, because the random
// streams are counters of (seed, replicate, entity, process, month): the
// state holds no generator, only the month.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "codev/params.hpp"
#include "codev/simulation.hpp"

namespace codev {

// Version of the statepoint file layout (docs/statepoints.md).
inline constexpr int STATEPOINT_FORMAT_VERSION = 1;

// A statepoint that cannot be written, read, or continued under the given
// parameters. The message is one line naming the file.
class StatepointError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct Statepoint {
    std::string scenario_name;  // the scenario whose months before `state.world.month` made the state
    std::string scenario_toml;  // its full resolved TOML
    std::string model_version;  // codev_version() of the program that wrote it
    SimulationState state;      // its world's key holds the seed and the replicate
};

// Writes atomically (a temporary file renamed into place): an interrupted
// write leaves the previous statepoint, never half of one.
void write_statepoint(const std::string& path, const Statepoint& statepoint);

// Reads and checks a statepoint: every column present with its type, sizes
// that agree, indices in range. Throws StatepointError.
Statepoint read_statepoint(const std::string& path);

// The attributes of a statepoint (its identity, month, seed and replicate),
// without its state: cheap, to check many files before a run.
Statepoint read_statepoint_header(const std::string& path);

// Checks that a state can continue under `params`: the same communes, the
// horizon and the programmes its record was made for. Throws
// StatepointError starting with `where`.
void check_state_fits(const SimulationState& state, const Params& params, const std::string& where);

// The statepoints of one scenario's replicates at one month, that a run
// continues under other policies (codev run --from DIR): DIR/r0000.h5,
// DIR/r0001.h5, ... as `codev run --save-state` writes them.
struct StartStates {
    std::string directory;
    std::string scenario_name;
    Params params;  // the scenario that made them
    int month = 0;  // the month each continues from
    std::uint64_t seed = 0;
    std::vector<std::string> files;  // by replicate
};

// The file of replicate r in a directory of statepoints: DIR/r0007.h5.
std::string statepoint_file(const std::string& directory, int replicate);

// Opens `directory`'s statepoints for `replicates` replicates: all present,
// of one scenario, one month and one seed. Throws StatepointError.
StartStates open_start_states(const std::string& directory, int replicates);

// Throws StatepointError unless `params` (scenario `name`) acts as the
// states' scenario before their month (state/fork.hpp), so that continuing
// them gives what a run from the first month would.
void check_continues(const StartStates& states, const Params& params, const std::string& name);

}  // namespace codev
