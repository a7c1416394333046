// Initialisation: the synthetic population of docs/model.md section 5.
#pragma once

#include <cstdint>

#include "codev/params.hpp"
#include "codev/world.hpp"

namespace codev {

// Builds the world of month 0 from the params; deterministic in (seed, replicate)
// and parallel over communes.
World initialise_world(const Params& params, const StreamKey& key);

// The communes of the run: the scenario's own list, or synthetic ones drawn
// from the world parameters (lognormal populations and diaspora weights).
std::vector<CommuneParams> resolve_communes(const Params& params, const StreamKey& key);

// Draws a migrant's corridor, income, propensity, trust and employment into
// `slot` from the stream of `id`, as at initialisation (docs/model.md 5) and for
// newcomers (docs/model.md 7.9). The migrant joins no association.
void draw_migrant(World& world, const Params& params, std::size_t slot, std::uint64_t id, Process process);

}  // namespace codev
