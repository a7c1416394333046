// Simulation: owns one run's world and steps it month by month
// (docs/model.md section 3). A Simulation reads its Params and never changes them.
#pragma once

#include <algorithm>
#include <cstdint>

#include "codev/params.hpp"
#include "codev/records.hpp"
#include "codev/world.hpp"

namespace codev {

// Everything a run carries from one month to the next: its world (whose
// month is the next to run) and what it recorded so far.
struct SimulationState {
    World world;
    JobRecord record;
};

struct RunOptions {
    bool check_invariants = false;  // verify docs/model.md section 9 every month
};

class Simulation {
  public:
    Simulation(const Params& params, std::uint64_t seed, std::uint32_t replicate, RunOptions options = {});
    // Continues a state (a statepoint, or a fork's trunk) under `params`; the
    // state must fit them (check_state_fits, state/statepoint.hpp).
    Simulation(const Params& params, SimulationState state, RunOptions options = {});
    // Advances one month: the ten processes of docs/model.md section 3, in
    // order; a month of the spin-up (negative months) has no programmes and
    // is not recorded (docs/model.md 5.1).
    void step();
    // Runs to the horizon. `should_stop` is polled every month; returns false if stopped.
    // Runs the spin-up too: the simulation starts at month -spinup_months.
    template <class StopFn>
    bool run(StopFn&& should_stop) {
        return run_to(params_.months, should_stop);
    }
    // Runs until the month `end` is next (or the horizon): a trunk stops at its fork.
    template <class StopFn>
    bool run_to(int end, StopFn&& should_stop) {
        while (world_.month < std::min(end, params_.months)) {
            if (should_stop()) return false;
            step();
        }
        return true;
    }
    const World& world() const { return world_; }
    World& world() { return world_; }
    const JobRecord& record() const { return record_; }
    JobRecord take_record() { return std::move(record_); }
    // A copy of the state now, to save or to fork from.
    SimulationState state() const { return {world_, record_}; }
    const Params& params() const { return params_; }
    // What the month's processes read: the scenario with what its rules changed.
    const Params& policy() const { return policy_; }

  private:
    const Params& params_;
    Params policy_;
    RunOptions options_;
    World world_;
    JobRecord record_;
};

}  // namespace codev
