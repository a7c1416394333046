// The migrants' monthly economy (docs/model.md 3 and 3.1, steps 2-4), fused.
//
// Steps 2, 3 and 4 each treat every migrant independently, and each migrant's
// step 3 needs only its own step 2, so running the three rules migrant by
// migrant equals running them process by process. Fusing reads each
// migrant's state once and draws one Philox block instead of three: this
// loop is where the model spends its time (docs/model.md 3.1).
//
// Three kernels give bit-identical results (tests/cpp/economy_test.cpp);
// simd_level() (philox_batch.hpp) picks one at run time:
// - scalar: the rules of labour.hpp, remittances.hpp and contributions.hpp,
//   migrant by migrant, one draw4() each. The reference.
// - avx2: the same loop, with the Philox words of a block of slots drawn
//   by the batched, vectorised Philox first.
// - avx512: eight migrants per step, Philox and rules in AVX-512 registers.
//   Its branch-free forms of the rules are listed at economy_avx512(); the
//   rare lanes they do not cover (a formal probability that depends on the
//   amount, open or behind a partly substituted closure) call the scalar
//   rule, compiled once, out of line.
// Every kernel leaves the same state, flags included (world.hpp: RETURNS and
// MAY_JOIN are set here for the social pass).
#include "codev/economy.hpp"

#include <algorithm>

#include "codev/contributions.hpp"
#include "codev/labour.hpp"
#include "codev/parallel.hpp"
#include "codev/philox_batch.hpp"
#include "codev/remittances.hpp"
#include "codev/trust.hpp"
#include "philox_simd.hpp"

namespace codev {
namespace {

// Restrict pointers to what the loop reads and writes, copied into each
// kernel: stores to the one-byte flags would otherwise force the compiler to
// reload every field (a char store may alias anything, but not a local copy
// whose address is not taken).
struct EconomyView {
    const std::uint64_t* __restrict ids;
    const float* __restrict base_income;
    const float* __restrict propensity;
    const float* __restrict trust;
    const std::int32_t* __restrict association;
    const std::uint8_t* __restrict corridor_of;
    std::uint8_t* __restrict flags;
    std::int64_t* __restrict treasury;
    const std::int64_t* __restrict dues;
    const float* __restrict raising;
    const CorridorMonth* __restrict corridors;
    BehaviourParams b;
    double jobless_dues;                             // jobless_dues_scale(b)
    std::uint64_t return_threshold, join_threshold;  // of the RETURNS and MAY_JOIN flags
    StreamKey key;
    std::uint32_t month;

    EconomyView(World& world, const Params& params)
        : ids(world.migrants.id.data()),
          base_income(world.migrants.base_income_xof.data()),
          propensity(world.migrants.propensity.data()),
          trust(world.migrants.trust.data()),
          association(world.migrants.association.data()),
          corridor_of(world.migrants.corridor.data()),
          flags(world.migrants.flags.data()),
          treasury(world.associations.treasury_xof.data()),
          dues(world.associations.dues_xof.data()),
          raising(world.associations.raising_multiplier.data()),
          corridors(world.conditions.corridor.data()),
          b(params.behaviour),
          jobless_dues(jobless_dues_scale(params.behaviour)),
          return_threshold(bernoulli_threshold(params.migration.return_hazard)),
          join_threshold(bernoulli_threshold(membership_flag_probability(params))),
          key(world.key),
          month(std::uint32_t(world.month)) {}
};

// Sums of one commune's pass.
struct EconomySums {
    std::int64_t remit_formal = 0, remit_informal = 0, remit_fees = 0, dues = 0, contributions = 0;
};

// The flags an alive migrant's month leaves for the social pass (world.hpp):
// its return draw bernoulli(w3, return_hazard) and whether its membership
// draw passes at the largest probability it can have,
// bernoulli(w2, membership_flag_probability), both in the integer form
// word < bernoulli_threshold(p) (rng.hpp; equal for every word and p).
constexpr std::uint8_t MONTH_FLAGS = Migrants::EMPLOYED | Migrants::RETURNS | Migrants::MAY_JOIN;
inline std::uint8_t social_flags(std::uint32_t w2, std::uint32_t w3, const EconomyView& v) {
    return std::uint8_t((w3 < v.return_threshold ? Migrants::RETURNS : 0) |
                        (w2 < v.join_threshold ? Migrants::MAY_JOIN : 0));
}

// One alive migrant's month given its four words: the rules, in order.
inline void migrant_month(const EconomyView& v, std::int32_t s, std::uint32_t w0, std::uint32_t w1, std::uint32_t w2,
                          std::uint32_t w3, EconomySums& t) {
    const std::uint8_t f = v.flags[s];
    const CorridorMonth& corridor = v.corridors[v.corridor_of[s]];
    const bool employed = next_employed((f & Migrants::EMPLOYED) != 0, w0, corridor);
    v.flags[s] = std::uint8_t((f & ~MONTH_FLAGS) | (employed ? Migrants::EMPLOYED : 0) | social_flags(w2, w3, v));
    const double y = income(v.base_income[s], employed, corridor, v.b);
    const Remittance r = remit(v.propensity[s], y, w1, corridor, v.b);
    (r.formal ? t.remit_formal : t.remit_informal) += r.amount;  // R = 0 when nothing is sent
    t.remit_fees += r.fee;
    const std::int32_t id = v.association[s];
    if (id == NO_ASSOCIATION) return;
    const MemberPayment pay =
        member_payment(v.dues[id], dues_scale(employed, corridor, v.jobless_dues), y, v.trust[s], v.raising[id], v.b);
    v.treasury[id] += pay.dues + pay.contribution;
    t.dues += pay.dues;
    t.contributions += pay.contribution;
}

// The reference kernel: one draw4() per alive migrant.
void economy_scalar(const EconomyView& view, std::int32_t first, std::int32_t end, EconomySums& t) {
    const EconomyView v = view;  // a local copy: see EconomyView
    for (std::int32_t s = first; s < end; ++s) {
        if (!(v.flags[s] & Migrants::ALIVE)) continue;
        const auto w = draw4(v.key, v.ids[s], Process::migrant_month, v.month);
        migrant_month(v, s, w[0], w[1], w[2], w[3], t);
    }
}

// The words of a block of slots first (batched Philox; spare slots are drawn
// too, and their words are not used), then the scalar rules.
void economy_blocks(const EconomyView& view, std::int32_t first, std::int32_t end, SimdLevel level, EconomySums& t) {
    const EconomyView v = view;
    constexpr std::int32_t BLOCK = 256;
    alignas(64) std::uint32_t w[4][BLOCK];
    for (std::int32_t s0 = first; s0 < end; s0 += BLOCK) {
        const std::int32_t n = std::min(BLOCK, end - s0);
        draw4_batch(v.key, v.ids + s0, std::size_t(n), Process::migrant_month, v.month, 0, w[0], w[1], w[2], w[3],
                    level);
        for (std::int32_t i = 0; i < n; ++i)
            if (v.flags[s0 + i] & Migrants::ALIVE) migrant_month(v, s0 + i, w[0][i], w[1][i], w[2][i], w[3][i], t);
    }
}

// The month's corridor conditions as lookup tables for the AVX-512 kernel
// (up to 16 corridors: one two-register permute per lookup).
struct CorridorTables {
    static constexpr std::size_t MAX = 16;
    bool usable = false;           // at most MAX corridors
    bool wide = false;             // more than 8
    bool any_per_migrant = false;  // some corridor's channel needs remit()'s per-migrant path
    bool any_fixed = false;        // some corridor has a fixed fee (not +-0)
    bool any_unsent = false;       // some closed corridor with a flat probability substitutes partly
    // bernoulli_threshold() of the job-loss, job-finding and formal-channel
    // probabilities: word < threshold is the Bernoulli draw.
    alignas(64) std::uint64_t loss[MAX] = {}, find[MAX] = {}, formal[MAX] = {};
    // A closed channel with substitution s < 1 and the open probability p
    // flat: nothing is sent iff w1 < threshold(p) (formal had it been open)
    // and not w1 < threshold(s p) (substitutes), i.e. unsent_lo <= w1 <
    // unsent_hi. Both 0 elsewhere: an empty range.
    alignas(64) std::uint64_t unsent_lo[MAX] = {}, unsent_hi[MAX] = {};
    // All ones where the formal probability depends on the amount (a fixed
    // fee) and the channel is open or partly substituted: those lanes take
    // remit()'s per-migrant path.
    alignas(64) std::int64_t per_migrant[MAX] = {};
    alignas(64) double wage[MAX] = {}, fee_pct[MAX] = {}, fee_fixed[MAX] = {}, informal_pct[MAX] = {};
    alignas(64) double amount_factor[MAX] = {};
    alignas(64) double dues_scale[MAX] = {};  // an employed member's dues, as a multiple of its association's
    bool any_factor = false;                  // some corridor's amount factor is not 1

    explicit CorridorTables(const std::vector<CorridorMonth>& corridors) {
        if (corridors.size() > MAX) return;
        usable = true;
        wide = corridors.size() > 8;
        for (std::size_t k = 0; k < corridors.size(); ++k) {
            const CorridorMonth& c = corridors[k];
            loss[k] = bernoulli_threshold(c.p_job_loss);
            find[k] = bernoulli_threshold(c.p_job_find);
            // remittance_channel(): when closed, no formal lane, and with full
            // substitution no draw; else the open probability p_formal_flat,
            // or (p_formal_flat < 0) the per-migrant logit.
            const bool partial = c.formal_closed && c.informal_substitution < 1.0;
            const bool per = (!c.formal_closed || partial) && c.p_formal_flat < 0.0;
            per_migrant[k] = per ? -1 : 0;
            any_per_migrant = any_per_migrant || per;
            formal[k] = c.formal_closed || per ? 0 : bernoulli_threshold(c.p_formal_flat);
            if (partial && !per) {
                // The very products and thresholds of remittance_channel().
                unsent_lo[k] = bernoulli_threshold(c.informal_substitution * c.p_formal_flat);
                unsent_hi[k] = bernoulli_threshold(c.p_formal_flat);
                any_unsent = true;
            }
            wage[k] = c.wage_multiplier;
            dues_scale[k] = c.dues_scale;
            fee_pct[k] = c.formal_fee_pct;
            fee_fixed[k] = c.formal_fee_fixed;
            any_fixed = any_fixed || c.formal_fee_fixed != 0.0;
            informal_pct[k] = c.informal_fee_pct;
            amount_factor[k] = c.amount_factor;
            any_factor = any_factor || c.amount_factor != 1.0;
        }
    }
};

#if CODEV_HAVE_X86_KERNELS

// The channels of the lanes whose probability depends on the amount, with
// remit()'s own remittance_channel(). Compiled once, as plain code, and never
// inlined into a vector kernel: those lanes then run the very instructions of
// the scalar kernel.
struct LaneChannels {
    unsigned formal = 0, unsent = 0;  // lane masks
};
__attribute__((noinline)) LaneChannels channel_lanes(unsigned lanes, const double* amount, const double* formal_cost,
                                                     const double* informal_cost, const std::uint64_t* w1,
                                                     const std::uint64_t* corridor, const CorridorMonth* corridors,
                                                     const BehaviourParams& b) {
    LaneChannels out;
    for (unsigned m = lanes; m != 0; m &= m - 1) {
        const int i = __builtin_ctz(m);
        const Channel channel = remittance_channel(amount[i], formal_cost[i], informal_cost[i], std::uint32_t(w1[i]),
                                                   corridors[corridor[i]], b);
        if (channel == Channel::formal) out.formal |= 1u << i;
        if (channel == Channel::none) out.unsent |= 1u << i;
    }
    return out;
}

CODEV_KERNELS_BEGIN

// Table lookups by the corridor index of each lane: one permute of a
// register for up to 8 corridors, of a register pair for up to 16.
struct Table512 {
    __m512i lo, hi;
};
CODEV_TARGET_AVX512 inline Table512 table(const void* values) {
    const auto* p = static_cast<const __m512i*>(values);
    return {_mm512_load_si512(p), _mm512_load_si512(p + 1)};
}
template <bool WIDE>
CODEV_TARGET_AVX512 inline __m512i lookup(const Table512& t, __m512i index) {
    if constexpr (WIDE)
        return _mm512_permutex2var_epi64(t.lo, index, t.hi);
    else
        return _mm512_permutexvar_epi64(index, t.lo);
}
template <bool WIDE>
CODEV_TARGET_AVX512 inline __m512d lookup_pd(const Table512& t, __m512i index) {
    return _mm512_castsi512_pd(lookup<WIDE>(t, index));
}
CODEV_TARGET_AVX512 inline __m512d load_floats(__mmask8 k, const float* p) {
    return _mm512_cvtps_pd(_mm256_maskz_loadu_ps(k, p));
}
// round_small_xof(x) = int64(x + 0.5): vcvttpd2qq truncates like cvttsd2si,
// with the same result (INT64_MIN) outside the int64 range.
CODEV_TARGET_AVX512 inline __m512i round_small(__m512d x) {
    return _mm512_cvttpd_epi64(_mm512_add_pd(x, _mm512_set1_pd(0.5)));
}
// The sum of the lanes, wrapping like the vector adds (no signed overflow in
// the reduction where the scalar kernel's sums do not overflow either).
CODEV_TARGET_AVX512 inline std::int64_t sum_lanes(__m512i x) {
    const __m256i h = _mm256_add_epi64(_mm512_castsi512_si256(x), _mm512_extracti64x4_epi64(x, 1));
    const __m128i q = _mm_add_epi64(_mm256_castsi256_si128(h), _mm256_extracti128_si256(h, 1));
    return std::int64_t(std::uint64_t(_mm_cvtsi128_si64(q)) + std::uint64_t(_mm_extract_epi64(q, 1)));
}
// Lanes [0, n) of a group of eight slots.
CODEV_TARGET_AVX512 inline __mmask8 first_lanes(std::int32_t n) {
    return n >= 8 ? __mmask8(0xFF) : __mmask8((1u << n) - 1);
}
// The flags of a group are read and written as 8 bytes, masked only in a
// commune's last, partial group (the bytes after it are another commune's).
// A 16-byte masked store would overlap the next group's load and stall it
// until the store retires.
CODEV_TARGET_AVX512 inline __mmask8 alive_lanes(const std::uint8_t* flags, __mmask8 in, __m128i& f) {
    f = in == 0xFF ? _mm_loadl_epi64(reinterpret_cast<const __m128i*>(flags)) : _mm_maskz_loadu_epi8(in, flags);
    return __mmask8(_mm_test_epi8_mask(f, _mm_set1_epi8(Migrants::ALIVE)));
}
// Stores the new flags of the alive lanes; the others keep theirs (`old`).
CODEV_TARGET_AVX512 inline void store_flags(std::uint8_t* flags, __mmask8 in, __mmask8 alive, __m128i old,
                                            __m128i flags_new) {
    if (in == 0xFF)
        _mm_storel_epi64(reinterpret_cast<__m128i*>(flags), _mm_mask_mov_epi8(old, alive, flags_new));
    else
        _mm_mask_storeu_epi8(flags, alive, flags_new);
}

// Lanes whose formal probability depends on the amount (a fixed fee): the
// probability and the draws are remit()'s own, lane by lane.
CODEV_TARGET_AVX512 LaneChannels per_migrant_channels(__mmask8 lanes, __m512d amount, __m512d formal_cost,
                                                      __m512d informal_cost, __m512i w1, __m512i corridor,
                                                      const CorridorMonth* corridors, const BehaviourParams& b) {
    alignas(64) double a[8], fc[8], ic[8];
    alignas(64) std::uint64_t w[8], k[8];
    _mm512_store_pd(a, amount);
    _mm512_store_pd(fc, formal_cost);
    _mm512_store_pd(ic, informal_cost);
    _mm512_store_si512(w, w1);
    _mm512_store_si512(k, corridor);
    return channel_lanes(lanes, a, fc, ic, w, k, corridors, b);
}

// Keeps a group's words for the rules: words 0 and 1 (low halves of the
// lanes), and the flags RETURNS and MAY_JOIN from words 3 and 2.
CODEV_TARGET_AVX512 inline void draws_out(const __m512i (&w)[4], std::int32_t g, __m512i return_threshold,
                                          __m512i join_threshold, std::uint64_t* labour_words,
                                          std::uint64_t* channel_words, std::uint64_t* social_bits) {
    const __m512i low32 = _mm512_set1_epi64(0xFFFFFFFFll);
    const __mmask8 returns = _mm512_cmplt_epu64_mask(_mm512_and_si512(w[3], low32), return_threshold);
    const __mmask8 may_join = _mm512_cmplt_epu64_mask(_mm512_and_si512(w[2], low32), join_threshold);
    _mm_storel_epi64(reinterpret_cast<__m128i*>(social_bits + g / 8),
                     _mm_or_si128(_mm_maskz_mov_epi8(returns, _mm_set1_epi8(Migrants::RETURNS)),
                                  _mm_maskz_mov_epi8(may_join, _mm_set1_epi8(Migrants::MAY_JOIN))));
    _mm512_store_si512(labour_words + g, _mm512_and_si512(w[0], low32));
    _mm512_store_si512(channel_words + g, _mm512_and_si512(w[1], low32));
}

// Eight slots at a time, in blocks of 128. First the Philox words of the
// block's alive slots, two groups at a time (their multiply chains
// interleaved): words 0 and 1, and the flags RETURNS and MAY_JOIN from words
// 3 and 2 (w < threshold), go to small stack buffers. Then the rules, and the
// flags are stored. Dead lanes are masked out of every load and store, and a
// group of eight dead slots costs one 8-byte load a phase. The rules, as the
// scalar kernel computes them, in branch-free forms with the same IEEE
// operations in the same order (no FMA: -ffp-contract=off):
// - labour (next_employed): employed stays iff w0 >= threshold(p_loss); a
//   jobless one finds iff w0 < threshold(p_find) (bernoulli_threshold), i.e.
//   employed(t) = (w0 < threshold(employed ? p_loss : p_find)) XOR employed;
// - income: base x (employed ? wage : fallback), one product;
// - R = trunc((propensity y) factor + 0.5), factor the corridor's amount
//   factor (the product skipped in a month where every factor is 1: x 1 is
//   x); nothing sent (and no fee) where R <= 0;
// - formal cost min(R, pct_f R + fixed): vminpd(x, R) returns x iff x < R,
//   like std::min(R, x); informal cost pct_i R. In a month without fixed
//   fees the + 0 is skipped: x + 0 is x except that -0 + +0 is +0, and a
//   cost of -0 or +0 gives the same fee (0) and, the probability being the
//   corridor's then unless pct_f > 1 (so x > 0), the same channel;
// - channel: w1 < threshold(p) for the corridor's p (0 when closed), or
//   remit()'s own remittance_channel() per lane when p depends on the amount
//   (and the channel is open or partly substituted);
// - a closure with substitution s < 1 (docs/model.md 7.3): lanes with
//   threshold(s p) <= w1 < threshold(p) send nothing, so they leave `sent`
//   (no amount, no fee) and stay out of `formal`;
// - fee = trunc(cost + 0.5) of the chosen channel;
// - dues min(trunc(dues_a scale + 0.5), trunc(cap y + 0.5)), scale the
//   corridor's dues_scale when employed, jobless_dues when not; contribution trunc(((T k) y) mu + 0.5)
//   where mu > 0. Treasuries get the lanes' sums: one addition when all the
//   members of the eight slots share an association, else lane by lane.
// The sums are integers, so adding them by lane and then across lanes gives
// the scalar kernel's totals exactly.
template <bool WIDE>
CODEV_TARGET_AVX512 void economy_avx512(const EconomyView& view, std::int32_t first, std::int32_t end,
                                        const CorridorTables& ct, EconomySums& sums) {
    const EconomyView v = view;
    const std::uint8_t* __restrict corridor_of = v.corridor_of;
    std::uint8_t* __restrict flags = v.flags;
    const std::int32_t* __restrict association = v.association;
    std::int64_t* __restrict treasury = v.treasury;
    const simd::PhiloxRoundKeys keys = simd::round_keys(v.key);
    const std::uint32_t word2 = philox_counter_word2(Process::migrant_month, v.month);
    const Table512 t_loss = table(ct.loss), t_find = table(ct.find), t_formal = table(ct.formal),
                   t_per = table(ct.per_migrant), t_wage = table(ct.wage), t_pct = table(ct.fee_pct),
                   t_fixed = table(ct.fee_fixed), t_ipct = table(ct.informal_pct), t_unsent_lo = table(ct.unsent_lo),
                   t_unsent_hi = table(ct.unsent_hi), t_factor = table(ct.amount_factor),
                   t_dues_scale = table(ct.dues_scale);
    const __m128i employed_bit = _mm_set1_epi8(Migrants::EMPLOYED), month_bits = _mm_set1_epi8(MONTH_FLAGS);
    const __m512i return_threshold = _mm512_set1_epi64(std::int64_t(v.return_threshold));
    const __m512i join_threshold = _mm512_set1_epi64(std::int64_t(v.join_threshold));
    const __m512i zero = _mm512_setzero_si512();
    const __m512d jobless_dues = _mm512_set1_pd(v.jobless_dues);
    const __m512d fallback = _mm512_set1_pd(v.b.fallback_income_share), cap = _mm512_set1_pd(v.b.dues_cap_share),
                  share = _mm512_set1_pd(v.b.contribution_share), zero_pd = _mm512_setzero_pd();
    __m512i acc_formal = zero, acc_informal = zero, acc_fees = zero, acc_dues = zero, acc_contributions = zero;
    // Software prefetches, some way ahead: of the ids (a stream the hardware
    // prefetcher follows less far than this loop needs) and of the trust of
    // members (read only for members raising money, so in bursts).
    constexpr std::int32_t BLOCK = 128, PREFETCH = 256;
    alignas(64) std::uint64_t labour_words[BLOCK], channel_words[BLOCK], social_bits[BLOCK / 8];
    for (std::int32_t s0 = first; s0 < end; s0 += BLOCK) {
        const std::int32_t n = std::min(BLOCK, end - s0);
        // Draws: words 0-3 of draw4(key, id, migrant_month, month), for two
        // groups at once (their multiply chains interleaved).
        for (std::int32_t g = 0; g < n; g += 16) {
            __m128i f;
            const __mmask8 alive_a = alive_lanes(flags + s0 + g, first_lanes(n - g), f);
            const __mmask8 alive_b = g + 8 < n ? alive_lanes(flags + s0 + g + 8, first_lanes(n - g - 8), f) : 0;
            if (s0 + g + PREFETCH + 16 <= end) {
                _mm_prefetch(reinterpret_cast<const char*>(v.ids + s0 + g + PREFETCH), _MM_HINT_T0);
                _mm_prefetch(reinterpret_cast<const char*>(v.ids + s0 + g + PREFETCH + 8), _MM_HINT_T0);
            }
            if ((alive_a | alive_b) == 0) continue;
            const __m512i ia = _mm512_maskz_loadu_epi64(alive_a, v.ids + s0 + g);
            const __m512i ib = alive_b != 0 ? _mm512_maskz_loadu_epi64(alive_b, v.ids + s0 + g + 8) : zero;
            const __m512i c2 = _mm512_set1_epi64(word2), c3 = zero;
            __m512i a[4] = {ia, _mm512_srli_epi64(ia, 32), c2, c3}, b[4] = {ib, _mm512_srli_epi64(ib, 32), c2, c3};
            simd::philox16_avx512(a, b, keys);
            draws_out(a, g, return_threshold, join_threshold, labour_words, channel_words, social_bits);
            draws_out(b, g + 8, return_threshold, join_threshold, labour_words, channel_words, social_bits);
        }
        // Rules.
        for (std::int32_t g = 0; g < n; g += 8) {
            const std::int32_t s = s0 + g;
            __m128i f;
            const __mmask8 in = first_lanes(n - g);
            const __mmask8 alive = alive_lanes(flags + s, in, f);
            if (alive == 0) continue;
            const __mmask8 was_employed = __mmask8(_mm_mask_test_epi8_mask(alive, f, employed_bit));
            const __m512i k = _mm512_cvtepu8_epi64(_mm_maskz_loadu_epi8(alive, corridor_of + s));
            // Labour.
            const __m512i w0 = _mm512_load_si512(labour_words + g);
            __mmask8 employed;
            if constexpr (WIDE) {
                employed = _mm512_mask_cmpge_epu64_mask(was_employed, w0, lookup<WIDE>(t_loss, k)) |
                           _mm512_mask_cmplt_epu64_mask(alive & ~was_employed, w0, lookup<WIDE>(t_find, k));
            } else {
                // One lookup in the pair (find, loss) by employment: w0 below
                // it finds a job for the jobless and loses it for the employed.
                const __m512i pair = _mm512_mask_add_epi64(k, was_employed, k, _mm512_set1_epi64(8));
                employed =
                    _mm512_mask_cmplt_epu64_mask(alive, w0, _mm512_permutex2var_epi64(t_find.lo, pair, t_loss.lo)) ^
                    was_employed;
            }
            const __m128i kept = _mm_or_si128(_mm_andnot_si128(month_bits, f),
                                              _mm_loadl_epi64(reinterpret_cast<const __m128i*>(social_bits + g / 8)));
            store_flags(flags + s, in, alive, f, _mm_mask_mov_epi8(kept, employed, _mm_or_si128(kept, employed_bit)));
            const __m512d y = _mm512_mul_pd(load_floats(alive, v.base_income + s),
                                            _mm512_mask_blend_pd(employed, fallback, lookup_pd<WIDE>(t_wage, k)));
            // Remittance.
            __m512d remitted = _mm512_mul_pd(load_floats(alive, v.propensity + s), y);
            if (ct.any_factor) remitted = _mm512_mul_pd(remitted, lookup_pd<WIDE>(t_factor, k));  // x 1 is x
            const __m512i amount = round_small(remitted);
            __mmask8 sent = _mm512_mask_cmpgt_epi64_mask(alive, amount, zero);
            const __m512d r = _mm512_cvtepi64_pd(amount);
            __m512d formal_cost = _mm512_mul_pd(lookup_pd<WIDE>(t_pct, k), r);
            if (ct.any_fixed) formal_cost = _mm512_add_pd(formal_cost, lookup_pd<WIDE>(t_fixed, k));
            formal_cost = _mm512_min_pd(formal_cost, r);
            const __m512d informal_cost = _mm512_mul_pd(lookup_pd<WIDE>(t_ipct, k), r);
            const __m512i w1 = _mm512_load_si512(channel_words + g);
            __mmask8 formal = _mm512_mask_cmplt_epu64_mask(sent, w1, lookup<WIDE>(t_formal, k));
            __mmask8 unsent = 0;
            if (ct.any_unsent) {  // only in months with a partly substituted closure
                unsent = _mm512_mask_cmpge_epu64_mask(sent, w1, lookup<WIDE>(t_unsent_lo, k)) &
                         _mm512_mask_cmplt_epu64_mask(sent, w1, lookup<WIDE>(t_unsent_hi, k));
            }
            if (ct.any_per_migrant) {
                const __m512i per_k = lookup<WIDE>(t_per, k);
                const __mmask8 per = _mm512_mask_test_epi64_mask(sent, per_k, per_k);
                if (per != 0) {
                    const LaneChannels lanes =
                        per_migrant_channels(per, r, formal_cost, informal_cost, w1, k, v.corridors, v.b);
                    formal = (formal & ~per) | __mmask8(lanes.formal);
                    unsent = (unsent & ~per) | __mmask8(lanes.unsent);
                }
            }
            sent &= __mmask8(~unsent);
            const __m512i fee = round_small(_mm512_mask_blend_pd(formal, informal_cost, formal_cost));
            acc_formal = _mm512_mask_add_epi64(acc_formal, formal, acc_formal, amount);
            acc_informal = _mm512_mask_add_epi64(acc_informal, sent & ~formal, acc_informal, amount);
            acc_fees = _mm512_mask_add_epi64(acc_fees, sent, acc_fees, fee);
            // Dues and contributions.
            const __m256i a = _mm256_maskz_loadu_epi32(alive, association + s);
            const __mmask8 member = _mm256_mask_cmpneq_epi32_mask(alive, a, _mm256_set1_epi32(NO_ASSOCIATION));
            if (member == 0) continue;
            if (s + 64 < end) _mm_prefetch(reinterpret_cast<const char*>(v.trust + s + 64), _MM_HINT_T0);
            const std::int32_t a0 = association[s + __builtin_ctz(member)];
            const bool one_association = _mm256_mask_cmpneq_epi32_mask(member, a, _mm256_set1_epi32(a0)) == 0;
            __m512i dues;
            __m512d mu;
            if (one_association) {
                dues = _mm512_set1_epi64(v.dues[a0]);
                mu = _mm512_set1_pd(double(v.raising[a0]));
            } else {
                dues = _mm512_mask_i32gather_epi64(zero, member, a, v.dues, 8);
                mu = _mm512_cvtps_pd(_mm256_mmask_i32gather_ps(_mm256_setzero_ps(), member, a, v.raising, 4));
            }
            const __m512d scale = _mm512_mask_blend_pd(employed, jobless_dues, lookup_pd<WIDE>(t_dues_scale, k));
            dues = round_small(_mm512_mul_pd(_mm512_cvtepi64_pd(dues), scale));
            dues = _mm512_maskz_min_epi64(member, dues, round_small(_mm512_mul_pd(cap, y)));
            const __mmask8 raising = _mm512_mask_cmp_pd_mask(member, mu, zero_pd, _CMP_GT_OQ);
            __m512i contribution = zero;
            if (raising != 0) {
                const __m512d c =
                    _mm512_mul_pd(_mm512_mul_pd(_mm512_mul_pd(load_floats(raising, v.trust + s), share), y), mu);
                contribution = _mm512_maskz_mov_epi64(raising, round_small(c));
            }
            acc_dues = _mm512_add_epi64(acc_dues, dues);
            acc_contributions = _mm512_add_epi64(acc_contributions, contribution);
            const __m512i pay = _mm512_add_epi64(dues, contribution);
            if (one_association) {
                treasury[a0] += sum_lanes(pay);
            } else {
                alignas(64) std::int64_t p[8];
                _mm512_store_si512(p, pay);
                for (unsigned m = member; m != 0; m &= m - 1) {
                    const int i = __builtin_ctz(m);
                    treasury[association[s + i]] += p[i];
                }
            }
        }
    }
    sums.remit_formal += sum_lanes(acc_formal);
    sums.remit_informal += sum_lanes(acc_informal);
    sums.remit_fees += sum_lanes(acc_fees);
    sums.dues += sum_lanes(acc_dues);
    sums.contributions += sum_lanes(acc_contributions);
}

CODEV_KERNELS_END
#endif

// What the commune's associations received in the pass travels home at the
// associations' fee (docs/model.md 7.4): each treasury keeps its inflow net
// of the fee. Outside the migrant loop, once per association and month.
std::int64_t charge_association_fees(World& world, std::size_t c) {
    Associations& as = world.associations;
    std::int64_t fees = 0;
    for (std::int32_t a = world.communes.first_association[c]; a < world.communes.first_association[c + 1]; ++a) {
        const std::int64_t inflow = as.treasury_xof[a] - as.treasury_before[a];
        const std::int64_t fee = association_fee(inflow, world.conditions.association_fee_pct);
        as.treasury_xof[a] -= fee;
        as.inflow_xof[a] = inflow - fee;
        fees += fee;
    }
    return fees;
}

void commune_economy(World& world, const Params& params, std::size_t c, SimdLevel level, const CorridorTables& tables) {
    const EconomyView v(world, params);
    const std::int32_t first = world.communes.first_slot[c], end = world.communes.first_slot[c + 1];
    for (std::int32_t a = world.communes.first_association[c]; a < world.communes.first_association[c + 1]; ++a)
        world.associations.treasury_before[a] = world.associations.treasury_xof[a];
    EconomySums t;
    bool done = false;
#if CODEV_HAVE_X86_KERNELS
    if (level == SimdLevel::avx512 && tables.usable) {
        if (tables.wide)
            economy_avx512<true>(v, first, end, tables, t);
        else
            economy_avx512<false>(v, first, end, tables, t);
        done = true;
    }
#else
    (void)tables;
#endif
    if (!done && level == SimdLevel::scalar)
        economy_scalar(v, first, end, t);
    else if (!done)
        economy_blocks(v, first, end, level, t);
    CommuneTally& out = world.tally[c];
    out.remit_formal = t.remit_formal;
    out.remit_informal = t.remit_informal;
    out.remit_fees = t.remit_fees;
    out.received = t.remit_formal + t.remit_informal - t.remit_fees;
    out.dues = t.dues;
    out.contributions = t.contributions;
    out.association_fees = charge_association_fees(world, c);
}

}  // namespace

void step_economy(World& world, const Params& params) {
    prepare_channels(world, params);
    set_raising_multipliers(world, params);
    const SimdLevel level = simd_level();
    const CorridorTables tables(world.conditions.corridor);
    for_each_commune(world, [&](std::size_t c) { commune_economy(world, params, c, level, tables); });
}

}  // namespace codev
