// The migrants' social month: docs/model.md section 3, steps 8-9 (trust and
// membership, then returns and departures) in one pass, ending with the
// end-of-month stocks of each commune.
#pragma once

#include "codev/params.hpp"
#include "codev/world.hpp"

namespace codev {

// For every alive migrant of each commune: trust learns from the month's
// outcomes in the commune (only where there were some), a non-member may join
// an association, then the migrant may return home (trust.hpp,
// migration.hpp); then the commune's departures, and its tallies of migrants,
// employed, members, members' trust, and its associations' member counts.
void step_social(World& world, const Params& params);

}  // namespace codev
