// The association pipeline: idea, fundraising, application, start (docs/model.md 7.5).
#pragma once

#include "codev/params.hpp"
#include "codev/world.hpp"

namespace codev {

// People of commune c not yet served in sector s (the gap of docs/model.md 7.5).
std::int64_t unmet_need(const World& world, std::size_t c, int s);

// Advances every association's project one step, in association order:
// idle associations may start a project idea (sector of greatest weighted
// unmet need, cost drawn, best programme chosen); fundraising ones apply or
// start once the treasury covers their share; approved ones start after the
// decision delay.
void step_pipeline(World& world, const Params& params);

// Turns a project to self-financing: no programme, no commune money, the
// association's target becomes the whole cost (docs/model.md 7.5).
void switch_to_self_financing(Project& project);

// Starts implementation of an approved or self-financed project: the
// association pays its share, the commune its co-financing, the programme
// its technical assistance; duration and overrun are drawn.
void start_project(World& world, const Params& params, std::int32_t project);

}  // namespace codev
