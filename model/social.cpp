// The migrants' social month (docs/model.md 3 and 3.1, steps 8-9), fused.
//
// Steps 8 and 9 treat each migrant independently given the month's project
// outcomes, so running them migrant by migrant equals running them process by
// process. The draws are words 2 and 3 of the migrant's month block, which the
// economy pass (economy.cpp) leaves in the flags: RETURNS is the return draw;
// MAY_JOIN says the membership draw passes at the largest probability it can
// have (joining at trust 1, leaving at trust 0), and only then (or for a
// trust the flag proves nothing about) is word 2 drawn again here.
//
// Two kernels give bit-identical results (tests/cpp/economy_test.cpp):
// - scalar: migrant_social() slot by slot, the reference;
// - avx512: eight slots at a time. Trust learns for the eight at once (where
//   the commune had completions or abandonments); then a group in which
//   nobody returns or may join only adds to the stocks, in slot order, and
//   in any other group the slots with an event go through migrant_social(),
//   compiled once, out of line.
#include "codev/social.hpp"

#include "codev/association_life.hpp"
#include "codev/migration.hpp"
#include "codev/parallel.hpp"
#include "codev/philox_batch.hpp"
#include "codev/trust.hpp"
#include "philox_simd.hpp"

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
    for (std::int64_t k = 0; k < count; ++k)
        count_stock(t, nullptr, world.migrants.flags[slots[k]], NO_ASSOCIATION, 0.0f);
}

// What the loop reads and writes, as restrict pointers (see economy.cpp).
struct SocialView {
    std::uint8_t* __restrict flags;
    std::int32_t* __restrict association;
    float* __restrict trust;
    const std::uint64_t* __restrict ids;
    std::int32_t* __restrict members;
    const std::int32_t* __restrict completed_now;
    const std::int32_t* __restrict abandoned_now;
    BehaviourParams b;
    StreamKey key;
    std::uint32_t month;
    int completed, abandoned;  // the commune's outcomes this month
    bool learn;                // trust changes this month
    // A clear MAY_JOIN flag proves that a non-member with trust <= 1 does not
    // join when join_rate >= 0: u(w2) >= join_rate >= join_rate * trust.
    bool flag_decides;
    double leave_month;                       // a member's monthly leaving probability at trust 0
    bool leaving;                             // leave_month > 0
    const std::int32_t* __restrict joinable;  // the commune's active associations (World::joinable)
    std::int32_t first_association;
    std::uint32_t associations;  // the commune's that migrants can join

    SocialView(World& world, const Params& params, std::size_t c)
        : flags(world.migrants.flags.data()),
          association(world.migrants.association.data()),
          trust(world.migrants.trust.data()),
          ids(world.migrants.id.data()),
          members(world.associations.members.data()),
          completed_now(world.associations.completed_now.data()),
          abandoned_now(world.associations.abandoned_now.data()),
          b(params.behaviour),
          key(world.key),
          month(std::uint32_t(world.month)),
          completed(world.communes.completed_now[c]),
          abandoned(world.communes.abandoned_now[c]),
          learn(completed > 0 || abandoned > 0),
          flag_decides(params.behaviour.join_rate >= 0.0),
          leave_month(monthly_probability(params.associations.leave_rate_per_year)),
          leaving(leave_month > 0.0),
          joinable(world.joinable.data()),
          first_association(world.communes.first_association[c]),
          associations(std::uint32_t(world.communes.joinable_count[c])) {}
};

// One alive migrant's social month: trust, joining, return, stocks (the
// rules of trust.hpp and migration.hpp, in the order of docs/model.md 3).
inline void migrant_social(World& world, const SocialView& v, std::size_t c, std::int32_t s, CommuneTally& t) {
    std::int32_t id = v.association[s];
    if (v.learn) {
        const int own_c = id == NO_ASSOCIATION ? 0 : v.completed_now[id];
        const int own_a = id == NO_ASSOCIATION ? 0 : v.abandoned_now[id];
        v.trust[s] = updated_trust(v.trust[s], own_c, v.completed - own_c, own_a, v.abandoned - own_a, v.b);
    }
    const std::uint8_t f = v.flags[s];
    if (id != NO_ASSOCIATION) {
        // A clear flag proves that a member with trust >= 0 stays (trust.hpp).
        if (v.leaving && ((f & Migrants::MAY_JOIN) || !(v.trust[s] >= 0.0f))) {
            const auto w = draw4(v.key, v.ids[s], Process::migrant_month, v.month);
            if (leaves_association(w[2], v.trust[s], v.leave_month)) v.association[s] = id = NO_ASSOCIATION;
        }
    } else if (v.associations > 0 && ((f & Migrants::MAY_JOIN) || !(v.trust[s] <= 1.0f) || !v.flag_decides)) {
        const auto w = draw4(v.key, v.ids[s], Process::migrant_month, v.month);
        const int joined = joined_association(w[2], v.trust[s], v.b.join_rate, v.associations);
        if (joined >= 0) v.association[s] = id = v.joinable[v.first_association + joined];
    }
    if (f & Migrants::RETURNS) {  // bernoulli(w3, return_hazard), drawn by the economy pass
        free_slot(world, c, s);
        ++t.returns;
        return;
    }
    count_stock(t, v.members, f, id, v.trust[s]);
}

void social_scalar(World& world, const SocialView v, std::size_t c, std::int32_t first, std::int32_t end,
                   CommuneTally& t) {
    for (std::int32_t s = first; s < end; ++s)
        if (v.flags[s] & Migrants::ALIVE) migrant_social(world, v, c, s, t);
}

#if CODEV_HAVE_X86_KERNELS

// migrant_social() compiled once, for the vector kernel's rare slots: the
// rules then run the very instructions of the scalar kernel, whatever the
// input (a conversion of NaN to an integer, say, is left to the compiler).
__attribute__((noinline)) void migrant_social_outlined(World& world, const SocialView& v, std::size_t c, std::int32_t s,
                                                       CommuneTally& t) {
    migrant_social(world, v, c, s, t);
}

CODEV_KERNELS_BEGIN

// updated_trust() (trust.cpp) of eight migrants: the same IEEE operations in
// the same order, each event repeated while a lane still has some of that
// kind (own completions, others', own abandonments, others'). The spill-over
// factors are the products trust_spill * trust_up and trust_spill *
// trust_down, rounded as in updated_trust()'s left-to-right expressions.
CODEV_TARGET_AVX512 __m256 learned_trust(const SocialView& v, __m256i a, __mmask8 member, __m256 trust) {
    const __m256i zero = _mm256_setzero_si256();
    const __m256i own_c = _mm256_mmask_i32gather_epi32(zero, member, a, v.completed_now, 4);
    const __m256i own_a = _mm256_mmask_i32gather_epi32(zero, member, a, v.abandoned_now, 4);
    const __m256i counts[4] = {own_c, _mm256_sub_epi32(_mm256_set1_epi32(v.completed), own_c), own_a,
                               _mm256_sub_epi32(_mm256_set1_epi32(v.abandoned), own_a)};
    const double factor[4] = {v.b.trust_up, v.b.trust_spill * v.b.trust_up, v.b.trust_down,
                              v.b.trust_spill * v.b.trust_down};
    const __m512d one = _mm512_set1_pd(1.0);
    __m512d t = _mm512_cvtps_pd(trust);
    for (int kind = 0; kind < 4; ++kind) {
        const __m512d x = _mm512_set1_pd(factor[kind]);
        __m256i i = zero;
        for (__mmask8 more; (more = _mm256_cmpgt_epi32_mask(counts[kind], i)) != 0;
             i = _mm256_add_epi32(i, _mm256_set1_epi32(1))) {
            if (kind < 2)
                t = _mm512_mask_add_pd(t, more, t, _mm512_mul_pd(x, _mm512_sub_pd(one, t)));  // t += x (1 - t)
            else
                t = _mm512_mask_sub_pd(t, more, t, _mm512_mul_pd(x, t));  // t -= x t
        }
    }
    return _mm512_cvtpd_ps(t);
}

// Groups of eight slots of a commune: trust learns (when it does) for the
// whole group at once, then the group is screened for events.
CODEV_TARGET_AVX512 void social_avx512(World& world, const SocialView v, std::size_t c, std::int32_t first,
                                       std::int32_t end, CommuneTally& t) {
    const __m128i alive_bit = _mm_set1_epi8(Migrants::ALIVE), employed_bit = _mm_set1_epi8(Migrants::EMPLOYED),
                  returns_bit = _mm_set1_epi8(Migrants::RETURNS), may_join_bit = _mm_set1_epi8(Migrants::MAY_JOIN);
    const __m256i none = _mm256_set1_epi32(NO_ASSOCIATION);
    constexpr std::int32_t PREFETCH_GROUPS = 16;
    const bool joining = v.associations > 0;
    SocialView learned = v;  // for migrant_social(): trust is updated here already
    learned.learn = false;
    std::int64_t alive_count = 0, employed_count = 0, member_count = 0;
    for (std::int32_t s = first; s < end; s += 8) {
        const __mmask8 in = end - s >= 8 ? __mmask8(0xFF) : __mmask8((1u << (end - s)) - 1);
        const __m128i f = in == 0xFF ? _mm_loadl_epi64(reinterpret_cast<const __m128i*>(v.flags + s))
                                     : _mm_maskz_loadu_epi8(in, v.flags + s);
        const __mmask8 alive = __mmask8(_mm_test_epi8_mask(f, alive_bit));
        if (alive == 0) continue;
        // Joining redraws the month's block from the id: fetch the ids of a
        // group ahead that holds a MAY_JOIN flag (about 1 in 30 groups).
        if (s + 8 * PREFETCH_GROUPS + 8 <= end &&
            _mm_test_epi8_mask(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(v.flags + s + 8 * PREFETCH_GROUPS)),
                               may_join_bit))
            _mm_prefetch(reinterpret_cast<const char*>(v.ids + s + 8 * PREFETCH_GROUPS), _MM_HINT_T0);
        const __m256i a = _mm256_maskz_loadu_epi32(alive, v.association + s);
        __m256 tr = _mm256_maskz_loadu_ps(alive, v.trust + s);
        const __mmask8 member = _mm256_mask_cmpneq_epi32_mask(alive, a, none);
        if (v.learn) {
            tr = learned_trust(v, a, member, tr);
            _mm256_mask_storeu_ps(v.trust + s, alive, tr);
        }
        __mmask8 events = __mmask8(_mm_mask_test_epi8_mask(alive, f, returns_bit));
        if (v.leaving)  // members who may leave (see migrant_social())
            events |= __mmask8(_mm_mask_test_epi8_mask(member, f, may_join_bit)) |
                      _mm256_mask_cmp_ps_mask(member, tr, _mm256_setzero_ps(), _CMP_NGE_UQ);
        if (joining) {
            const __mmask8 non_member = alive & ~member;
            events |= v.flag_decides ? __mmask8(_mm_mask_test_epi8_mask(non_member, f, may_join_bit)) |
                                           _mm256_mask_cmp_ps_mask(non_member, tr, _mm256_set1_ps(1.0f), _CMP_NLE_UQ)
                                     : non_member;
        }
        if (events != 0) {
            // In slot order: the rules for the lanes with an event, and for
            // the others what migrant_social() would do, count_stock().
            for (unsigned m = alive; m != 0; m &= m - 1) {
                const std::int32_t i = s + __builtin_ctz(m);
                if (events & (m & -m))
                    migrant_social_outlined(world, learned, c, i, t);
                else
                    count_stock(t, v.members, v.flags[i], v.association[i], v.trust[i]);
            }
            continue;
        }
        // Everybody stays and nobody joins: count_stock() of each, in slot order.
        alive_count += __builtin_popcount(alive);
        employed_count += __builtin_popcount(_mm_mask_test_epi8_mask(alive, f, employed_bit));
        if (member == 0) continue;
        member_count += __builtin_popcount(member);
        const std::int32_t a0 = v.association[s + __builtin_ctz(member)];
        if (_mm256_mask_cmpneq_epi32_mask(member, a, _mm256_set1_epi32(a0)) == 0) {
            v.members[a0] += __builtin_popcount(member);
        } else {
            for (unsigned m = member; m != 0; m &= m - 1) ++v.members[v.association[s + __builtin_ctz(m)]];
        }
        alignas(32) float trusts[8];
        _mm256_store_ps(trusts, tr);
        double sum = t.member_trust_sum;  // one addition after another, as in count_stock()
        for (unsigned m = member; m != 0; m &= m - 1) sum += trusts[__builtin_ctz(m)];
        t.member_trust_sum = sum;
    }
    t.alive += alive_count;
    t.employed += employed_count;
    t.members += member_count;
}

CODEV_KERNELS_END
#endif

void commune_social(World& world, const Params& params, std::size_t c, SimdLevel level) {
    const SocialView v(world, params, c);
    for (std::int32_t i = v.first_association; i < world.communes.first_association[c + 1]; ++i) v.members[i] = 0;
    const std::int32_t first = world.communes.first_slot[c], end = world.communes.first_slot[c + 1];
    CommuneTally t;
#if CODEV_HAVE_X86_KERNELS
    if (level == SimdLevel::avx512)
        social_avx512(world, v, c, first, end, t);
    else
        social_scalar(world, v, c, first, end, t);
#else
    (void)level;
    social_scalar(world, v, c, first, end, t);
#endif
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
    const SimdLevel level = simd_level();
    for_each_commune(world, [&](std::size_t c) { commune_social(world, params, c, level); });
}

}  // namespace codev
