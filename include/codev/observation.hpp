// Observation: the month's flows and stocks into the job record (docs/model.md 3 step 10, section 8).
#pragma once

#include "codev/params.hpp"
#include "codev/records.hpp"
#include "codev/world.hpp"

namespace codev {

// Records world.month into `record`: commune tallies added in commune order,
// the month's events, treasuries, budgets, and project stocks per sector; at
// the end of each model year (and at the horizon) the per-commune stocks.
// The stocks the recorded run opens with (docs/model.md 5.1), into month 0's
// opening series, before month 0's processes run.
void record_opening(const World& world, JobRecord& record);

void observe(const World& world, const Params& params, JobRecord& record);

// Clears the per-month counters that processes add to (start of a month).
void reset_month_counters(World& world);

}  // namespace codev
