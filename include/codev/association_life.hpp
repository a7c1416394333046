// Associations come and go (docs/model.md 7.5.1): founding, registration,
// dormancy, revival and dissolution. A programme's support to registration
// (7.6.8) is in programmes.cpp.
#pragma once

#include "codev/world.hpp"

namespace codev {

// The probability of at least one event in a month at a yearly rate.
double monthly_probability(double rate_per_year);

// Lists each commune's active associations, the ones migrants can join, in
// index order (World::joinable, Communes::joinable_count).
void list_joinable(World& world);

// Step 5a: each association's month of life (in index order), then each
// commune's founding (in commune order). Serial, like the pipeline.
void step_association_life(World& world, const Params& params);

}  // namespace codev
