// Programmes: the public co-financing instruments (docs/model.md 7.6).
#pragma once

#include <cstdint>
#include <string>

#include "codev/params.hpp"
#include "codev/world.hpp"

namespace codev {

// Public grant for a project of cost C (XOF): `share` rule min(cap, s*C);
// `ratio` rule min(cap, r*M) with the migrants' part M = C / (1 + r).
std::int64_t public_amount(const ProgrammeParams& programme, std::int64_t cost_xof);

// Commune co-financing for a project of cost C: share_commune * C.
std::int64_t commune_amount(const ProgrammeParams& programme, std::int64_t cost_xof);

// Whether association `a` may apply to programme `p` for a project in `sector`
// now (sector, registration, association age, active years).
bool is_eligible(const World& world, const Params& params, int p, std::int32_t a, Sector sector);

// The programme that would pay the most (grant plus commune co-financing) for
// this project, -1 when none is open to the association.
int best_programme(const World& world, const Params& params, std::int32_t a, Sector sector, std::int64_t cost_xof);

// A programme's key in random streams (reinsertion, supported registration):
// a hash of its name, so that adding a programme to a scenario, wherever it
// falls in the list, leaves the others' draws as they were.
std::uint32_t programme_stream_key(const std::string& name);

// Whether programme `p` is active in model year `year` (start_year to end_year).
bool programme_active(const ProgrammeParams& programme, int year);

// Commits `amount` of the programme's budget if what is available and this
// year's budget allow it (invariants 3 and 7 of docs/model.md 9): the one
// path of every commitment. False, and nothing changes, when they do not.
bool try_commit(World& world, ProgrammeState& state, std::int64_t amount);

// Year-start budgets and loan disbursements, debt service, calls with
// selection, and tranche payments, for every programme (docs/model.md 7.6).
void step_programmes(World& world, const Params& params);

}  // namespace codev
