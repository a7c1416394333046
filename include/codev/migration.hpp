// Migration: returns and departures (docs/model.md 7.9).
//
// Returns are drawn in the social pass over migrants (social.hpp);
// departures are drawn per commune here.
#pragma once

#include <cstdint>

#include "codev/params.hpp"
#include "codev/world.hpp"

namespace codev {

// Identity of the k-th newcomer from commune c: never equal to an initial
// migrant's id (a slot index), so its random stream is its own.
inline std::uint64_t newcomer_id(std::size_t commune, std::uint32_t k) {
    return (std::uint64_t(1) << 63) | (std::uint64_t(commune) << 32) | k;
}

// Frees the slot of a migrant who returned home (and leaves any association).
void free_slot(World& world, std::size_t commune, std::int32_t slot);

// Newcomers from commune c this month: Poisson(rate * alive), capped by the
// commune's room (max_migrant_share * population - alive) and its free
// slots. Newcomers draw corridor, income and propensity like the initial
// population (docs/model.md 5) and join no association. Returns their number.
std::int64_t depart(World& world, const Params& params, std::size_t commune, std::int64_t alive);

// At the first month of every model year after the first, each commune's
// residents grow by population_growth_per_year (rounded to a person). The
// coverage at month 0 stays, so unmet need grows (docs/model.md 7.10).
void grow_population(World& world, const Params& params);

}  // namespace codev
