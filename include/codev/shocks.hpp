// Shocks: this month's multipliers per corridor and per commune (docs/model.md 7.1).
#pragma once

#include "codev/params.hpp"
#include "codev/world.hpp"

namespace codev {

// Sets world.conditions for world.month from the time paths (wage
// multipliers, fee policy) and the scheduled shocks active this month.
// Multipliers of overlapping shocks multiply.
void step_shocks(World& world, const Params& params);

}  // namespace codev
