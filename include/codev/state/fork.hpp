// Forks: scenarios whose parameters act alike up to a month share the
// months before it (docs/statepoints.md, "Forks"). The past is run once,
// under either scenario, and each continues from a copy of its state; the
// results are those of separate runs, bit for bit, because every draw is a
// counter of (seed, replicate, entity, process, month) and nothing before
// the fork month depends on what differs.
#pragma once

#include <vector>

#include "codev/params.hpp"
#include "codev/simulation.hpp"

namespace codev {

// The first month at which scenarios a and b can act differently: b.months
// when they act alike throughout; -spinup_months (nothing shared) when they
// differ in anything that acts from the start. Only dated differences share
// a past: programmes (matched by name) that differ or exist in one only act
// from their start year (or, when only their end year differs, from the
// year after the earlier end), the programmes of both from the earliest
// start of any when their order differs; shocks from their start month;
// fee paths from the first month their values differ.
int first_difference_month(const Params& a, const Params& b);

// Where a scenario of a group starts: from the first month (parent -1), or
// as a fork of an earlier scenario of the group (its index) at `month`.
struct ForkOrigin {
    int parent = -1;
    int month = 0;
};

// The forks of a group of scenarios, in order: each forks from the earlier
// scenario it shares the longest past with (on a tie, the first), looked for
// among the first 16 and the last 48 before it; a parent always starts at or
// before the month its children fork. Scenarios that share nothing start
// from the first month.
std::vector<ForkOrigin> plan_forks(const std::vector<const Params*>& group);

// The state of a trunk run under `from` at month M = trunk.world.month,
// made the state of a scenario `to` with first_difference_month(from, to)
// >= M: the programmes `to` starts before M keep the state of the trunk's
// programme of the same name (moved to their place in `to`, and their
// projects with them); the others start with the state of a programme that
// has not started.
SimulationState fork_state(const SimulationState& trunk, const Params& from, const Params& to);

}  // namespace codev
