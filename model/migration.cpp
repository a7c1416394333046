// Migration (docs/model.md 7.9).
//
// Returns free slots in the commune's own range; departures fill them. The
// departure count depends only on the commune's migrant count, which no
// policy changes, so scenarios keep the same population draw for draw.
#include "codev/migration.hpp"

#include <algorithm>
#include <cmath>

#include "codev/initialisation.hpp"

namespace codev {

void free_slot(World& world, std::size_t commune, std::int32_t slot) {
    world.migrants.flags[slot] = 0;
    world.migrants.association[slot] = NO_ASSOCIATION;
    world.free_slots[world.communes.first_slot[commune] + world.free_count[commune]++] = slot;
}

std::int64_t depart(World& world, const Params& params, std::size_t c, std::int64_t alive) {
    Stream stream(world.key, std::uint64_t(c), Process::departures, std::uint32_t(world.month));
    const MigrationParams& mp = params.migration;
    const auto room = std::int64_t(std::floor(mp.max_migrant_share * double(world.communes.population[c]))) - alive;
    const std::int64_t count = std::min({stream.poisson(mp.departure_rate * double(alive)),
                                         std::max<std::int64_t>(0, room), std::int64_t(world.free_count[c])});
    for (std::int64_t k = 0; k < count; ++k) {
        const std::int32_t slot = world.free_slots[world.communes.first_slot[c] + --world.free_count[c]];
        draw_migrant(world, params, std::size_t(slot), newcomer_id(c, world.communes.departures_made[c]++),
                     Process::newcomer);
    }
    return count;
}

void grow_population(World& world, const Params& params) {
    // Residents grow from month 0's (the scenario's) population: not in the spin-up.
    if (world.month <= 0 || world.month % 12 != 0) return;
    const double growth = 1.0 + params.world.population_growth_per_year;
    // Growth is never negative (the loader's range), so people served stay
    // within the population (invariant 9.2).
    for (std::int64_t& p : world.communes.population) p = std::llround(double(p) * growth);
}

}  // namespace codev
