// Returning migrants' productive and reinsertion projects (docs/model.md
// 7.6.10): a programme's grants to migrants who come home for a small
// business, and the businesses that stay open.
#pragma once

#include <cstdint>
#include <string>

#include "codev/params.hpp"
#include "codev/world.hpp"

namespace codev {

// Step 9b, after migration: for every active programme with a reinsertion
// component, commune by commune, each of the month's returnees gets a grant
// with probability `take_up` while the budget and `max_per_year` allow; then
// each open business closes with probability `closure_hazard`.
void step_reinsertion(World& world, const Params& params);

}  // namespace codev
