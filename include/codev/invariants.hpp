// Invariant checks of MODEL.md section 9, run every month on demand
// (`codev run --check`, and always in the test suite).
#pragma once

#include <stdexcept>

#include "codev/params.hpp"
#include "codev/results.hpp"
#include "codev/world.hpp"

namespace codev {

class InvariantViolation : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Checks the month just recorded (world.month) against the month before.
// Throws InvariantViolation naming the month, the entity and the values.
void check_invariants(const World& world, const Params& params, const JobRecord& record);

}  // namespace codev
