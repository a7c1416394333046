// The one parallel loop shape of the model: over communes. A commune owns a
// contiguous range of migrant slots and of associations, so a body that
// writes only to its commune's ranges and its own tally needs no atomics and
// no locks, and its result does not depend on the number of threads.
#pragma once

#include <tbb/parallel_for.h>

#include "codev/world.hpp"

namespace codev {

template <class Body>
void for_each_commune(const World& world, Body&& body) {
    tbb::parallel_for(std::size_t(0), world.communes.size(), [&](std::size_t c) { body(c); });
}

}  // namespace codev
