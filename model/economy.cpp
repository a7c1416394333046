// The migrants' monthly economy (MODEL.md 3, steps 2-4), fused.
//
// Steps 2, 3 and 4 each treat every migrant independently, and each migrant's
// step 3 needs only its own step 2, so running the three rules migrant by
// migrant equals running them process by process. Fusing reads each
// migrant's state once and draws one Philox block instead of three: this
// loop is where the model spends its time (docs/performance.md).
#include "codev/economy.hpp"

#include "codev/contributions.hpp"
#include "codev/labour.hpp"
#include "codev/parallel.hpp"
#include "codev/remittances.hpp"

namespace codev {
namespace {

// The loop reads the world through local restrict pointers: stores to the
// one-byte flags would otherwise force the compiler to reload every vector's
// data pointer (a char store may alias anything).
void commune_economy(World& world, const Params& params, std::size_t c) {
    Migrants& m = world.migrants;
    const std::uint64_t* __restrict ids = m.id.data();
    const float* __restrict base_income = m.base_income_xof.data();
    const float* __restrict propensity = m.propensity.data();
    const float* __restrict trust = m.trust.data();
    const std::int32_t* __restrict association = m.association.data();
    const std::uint8_t* __restrict corridor_of = m.corridor.data();
    std::uint8_t* __restrict flags = m.flags.data();
    std::uint64_t* __restrict social_words = m.social_words.data();
    std::int64_t* __restrict treasury = world.associations.treasury_xof.data();
    const std::int64_t* __restrict dues = world.associations.dues_xof.data();
    const float* __restrict raising = world.associations.raising_multiplier.data();
    const CorridorMonth* __restrict corridors = world.conditions.corridor.data();
    const BehaviourParams b = params.behaviour;
    const StreamKey key = world.key;
    const std::uint32_t month = std::uint32_t(world.month);
    CommuneTally t;
    for (std::int32_t s = world.communes.first_slot[c], end = world.communes.first_slot[c + 1]; s < end; ++s) {
        const std::uint8_t f = flags[s];
        if (!(f & Migrants::ALIVE)) continue;
        const CorridorMonth& corridor = corridors[corridor_of[s]];
        const auto w = draw4(key, ids[s], Process::migrant_month, month);
        social_words[s] = (std::uint64_t(w[3]) << 32) | w[2];
        const bool employed = next_employed((f & Migrants::EMPLOYED) != 0, w[0], corridor);
        flags[s] = std::uint8_t((f & ~Migrants::EMPLOYED) | (employed ? Migrants::EMPLOYED : 0));
        const double y = income(base_income[s], employed, corridor, b);
        const Remittance r = remit(propensity[s], y, w[1], corridor, b);
        (r.formal ? t.remit_formal : t.remit_informal) += r.amount;
        t.remit_fees += r.fee;
        const std::int32_t id = association[s];
        if (id == NO_ASSOCIATION) continue;
        const MemberPayment pay = member_payment(dues[id], y, trust[s], raising[id], b);
        treasury[id] += pay.dues + pay.contribution;
        t.dues += pay.dues;
        t.contributions += pay.contribution;
    }
    CommuneTally& out = world.tally[c];
    out.remit_formal = t.remit_formal;
    out.remit_informal = t.remit_informal;
    out.remit_fees = t.remit_fees;
    out.received = t.remit_formal + t.remit_informal - t.remit_fees;
    out.dues = t.dues;
    out.contributions = t.contributions;
}

}  // namespace

void step_economy(World& world, const Params& params) {
    prepare_channels(world, params);
    set_raising_multipliers(world, params);
    for_each_commune(world, [&](std::size_t c) { commune_economy(world, params, c); });
}

}  // namespace codev
