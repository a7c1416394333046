// The migrants' social month (MODEL.md 3, steps 8-9), fused.
//
// Steps 8 and 9 treat each migrant independently given the month's project
// outcomes, so running them migrant by migrant equals running them process by
// process. The draws are words 2 and 3 of the migrant's month block, kept by
// the economy pass (economy.cpp).
#include "codev/social.hpp"

#include "codev/migration.hpp"
#include "codev/parallel.hpp"
#include "codev/trust.hpp"

namespace codev {
namespace {

// Adds a migrant who stays abroad this month to the commune's end-of-month stocks.
inline void count_stock(CommuneTally& t, std::int32_t* __restrict members, std::uint8_t flags, std::int32_t association,
                        float trust) {
    ++t.alive;
    t.employed += (flags & Migrants::EMPLOYED) != 0;
    if (association == NO_ASSOCIATION) return;
    ++t.members;
    ++members[association];
    t.member_trust_sum += trust;
}

// Adds the month's newcomers (non-members) to the stocks.
void count_newcomers(World& world, std::size_t c, std::int64_t count, CommuneTally& t) {
    const std::int32_t* slots = world.free_slots.data() + world.communes.first_slot[c] + world.free_count[c];
    for (std::int64_t k = 0; k < count; ++k) count_stock(t, nullptr, world.migrants.flags[slots[k]], NO_ASSOCIATION, 0.0f);
}

// The loop reads the world through local restrict pointers (see economy.cpp).
void commune_social(World& world, const Params& params, std::size_t c) {
    Migrants& m = world.migrants;
    Associations& a = world.associations;
    std::uint8_t* __restrict flags = m.flags.data();
    std::int32_t* __restrict association = m.association.data();
    float* __restrict trust = m.trust.data();
    const std::uint64_t* __restrict social_words = m.social_words.data();
    std::int32_t* __restrict members = a.members.data();
    const BehaviourParams b = params.behaviour;
    const double return_hazard = params.migration.return_hazard;
    const int completed = world.communes.completed_now[c], abandoned = world.communes.abandoned_now[c];
    const bool learn = completed > 0 || abandoned > 0;
    const std::int32_t first_association = world.communes.first_association[c];
    const std::int32_t end_association = world.communes.first_association[c + 1];
    const auto associations = std::uint32_t(end_association - first_association);
    for (std::int32_t i = first_association; i < end_association; ++i) members[i] = 0;
    CommuneTally t;
    for (std::int32_t s = world.communes.first_slot[c], end = world.communes.first_slot[c + 1]; s < end; ++s) {
        if (!(flags[s] & Migrants::ALIVE)) continue;
        std::int32_t id = association[s];
        if (learn) {
            const int own_c = id == NO_ASSOCIATION ? 0 : a.completed_now[id];
            const int own_a = id == NO_ASSOCIATION ? 0 : a.abandoned_now[id];
            trust[s] = updated_trust(trust[s], own_c, completed - own_c, own_a, abandoned - own_a, b);
        }
        const std::uint64_t words = social_words[s];
        if (id == NO_ASSOCIATION) {
            const int joined = joined_association(std::uint32_t(words), trust[s], b.join_rate, associations);
            if (joined >= 0) association[s] = id = first_association + joined;
        }
        if (bernoulli(std::uint32_t(words >> 32), return_hazard)) {
            free_slot(world, c, s);
            ++t.returns;
            continue;
        }
        count_stock(t, members, flags[s], id, trust[s]);
    }
    t.departures = depart(world, params, c, t.alive);
    count_newcomers(world, c, t.departures, t);
    world.communes.migrants[c] = std::int32_t(t.alive);
    CommuneTally& out = world.tally[c];
    out.alive = t.alive;
    out.employed = t.employed;
    out.members = t.members;
    out.member_trust_sum = t.member_trust_sum;
    out.returns = t.returns;
    out.departures = t.departures;
}

}  // namespace

void step_social(World& world, const Params& params) {
    for_each_commune(world, [&](std::size_t c) { commune_social(world, params, c); });
}

}  // namespace codev
