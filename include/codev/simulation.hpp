// Simulation: owns one run's world and steps it month by month
// (docs/model.md section 3). A Simulation reads its Params and never changes them.
#pragma once

#include <cstdint>

#include "codev/params.hpp"
#include "codev/records.hpp"
#include "codev/world.hpp"

namespace codev {

struct RunOptions {
    bool check_invariants = false;  // verify docs/model.md section 9 every month
};

class Simulation {
  public:
    Simulation(const Params& params, std::uint64_t seed, std::uint32_t replicate, RunOptions options = {});
    // Advances one month: the ten processes of docs/model.md section 3, in
    // order; a month of the spin-up (negative months) has no programmes and
    // is not recorded (docs/model.md 5.1).
    void step();
    // Runs to the horizon. `should_stop` is polled every month; returns false if stopped.
    // Runs the spin-up too: the simulation starts at month -spinup_months.
    template <class StopFn>
    bool run(StopFn&& should_stop) {
        while (world_.month < params_.months) {
            if (should_stop()) return false;
            step();
        }
        return true;
    }
    const World& world() const { return world_; }
    World& world() { return world_; }
    const JobRecord& record() const { return record_; }
    JobRecord take_record() { return std::move(record_); }
    const Params& params() const { return params_; }

  private:
    const Params& params_;
    RunOptions options_;
    World world_;
    JobRecord record_;
};

}  // namespace codev
