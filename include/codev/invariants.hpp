// Invariant checks of docs/model.md section 9, run every month on demand
// (`codev run --check`, and always in the test suite).
#pragma once

#include <stdexcept>

#include "codev/params.hpp"
#include "codev/records.hpp"
#include "codev/world.hpp"

namespace codev {

class InvariantViolation : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Checks the month just recorded (world.month) against the month before.
// Throws InvariantViolation naming the month, the entity and the values.
void check_invariants(const World& world, const Params& params, const JobRecord& record);

// The cheap part, run every month of every run (not only with --check): the
// recorded series of month `t` are non-negative and the mean trust is in
// [0, 1], so no NaN or wrapped sum is written with exit status 0.
void check_record_month(const JobRecord& record, int t);

}  // namespace codev
