// The migrants' monthly economy: docs/model.md section 3, steps 2-4 (labour,
// individual remittances, collective contributions) in one pass.
#pragma once

#include "codev/params.hpp"
#include "codev/world.hpp"

namespace codev {

// For every alive migrant, in one pass over its commune's slots: labour
// (labour.hpp), then the remittance (remittances.hpp), then dues and
// contributions to its association (contributions.hpp). One Philox block per
// migrant and month serves all four per-migrant draws of the month (words 2
// and 3 are kept for the social pass, social.hpp). Sums go to the commune
// tallies and the association treasuries.
void step_economy(World& world, const Params& params);

}  // namespace codev
