// Projects: implementation, completion, maintenance, breakdown, repair (docs/model.md 7.7).
#pragma once

#include <cstdint>

#include "codev/params.hpp"
#include "codev/world.hpp"

namespace codev {

// Monthly abandonment hazard of an implementing project:
// h0 * risk(commune) * risk multiplier(t) * TA factor * (registered ? 1 : unregistered factor).
double abandonment_hazard(const World& world, const Params& params, const Project& project);

// What repairing a broken project costs: repair_cost_share of its cost.
std::int64_t repair_cost(const Params& params, const Project& project);

// A broken project works again (paid by its association, or by a programme's
// rule: docs/model.md 7.6.11) and serves again.
void repair(World& world, const Params& params, Project& project);

// Walks every project in index order: implementing projects may be abandoned,
// or complete once their duration has passed and any overrun is paid;
// operating projects pay maintenance and may break down; broken projects are
// repaired when the treasury allows, or decommissioned after a while.
void step_projects(World& world, const Params& params);

}  // namespace codev
