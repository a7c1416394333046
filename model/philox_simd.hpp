// Philox4x32-10 rounds on vectors (internal to model/: philox_batch.cpp and
// the fused migrant kernels in economy.cpp and social.cpp).
//
// Random123's round (philox.h, _philox4x32round) maps the counter
// (c0, c1, c2, c3) with the round key (k0, k1) to
//   (hi(M1 c2) ^ c1 ^ k0,  lo(M1 c2),  hi(M0 c0) ^ c3 ^ k1,  lo(M0 c0))
// and adds (W0, W1) to the key between rounds. Here each counter word of a
// lane lives in the low 32 bits of a 64-bit lane: _mm*_mul_epu32 multiplies
// exactly those low halves into a full 64-bit product (lo in the low half,
// hi in the high half), so a round is two multiplies, two moves of the high
// halves down and two three-way XORs for 8 (AVX-512) or 4 (AVX2) counters.
// The high halves of the lanes may hold garbage: only the low 32 bits are
// ever read. Tested against r123::Philox4x32 in tests/cpp/rng_test.cpp.
//
// Compiled for the target through function attributes, never with -m flags,
// so the binary runs on any x86-64 and picks a kernel at run time
// (philox_batch.hpp). Floating-point code in these targets must not be
// contracted into FMA (results would change): codev_core builds with
// -ffp-contract=off (CMakeLists.txt).
#pragma once

#include <cstdint>

#include "codev/rng.hpp"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define CODEV_HAVE_X86_KERNELS 1
#include <immintrin.h>
#define CODEV_TARGET_AVX512 __attribute__((target("avx512f,avx512dq,avx512bw,avx512vl")))
#define CODEV_TARGET_AVX2 __attribute__((target("avx2")))
// GCC 12 reports the deliberately undefined pass-through operands inside its
// AVX-512 intrinsics as uninitialised once they are inlined (GCC PR 105593),
// at the place they are inlined into: the kernels are wrapped in these.
#if defined(__clang__)
#define CODEV_KERNELS_BEGIN
#define CODEV_KERNELS_END
#else
#define CODEV_KERNELS_BEGIN                                                              \
    _Pragma("GCC diagnostic push") _Pragma("GCC diagnostic ignored \"-Wuninitialized\"") \
        _Pragma("GCC diagnostic ignored \"-Wmaybe-uninitialized\"")
#define CODEV_KERNELS_END _Pragma("GCC diagnostic pop")
#endif
#else
#define CODEV_HAVE_X86_KERNELS 0
#endif

namespace codev::simd {

inline constexpr int PHILOX_ROUNDS = 10;
inline constexpr std::uint32_t PHILOX_M0 = 0xD2511F53u, PHILOX_M1 = 0xCD9E8D57u;
inline constexpr std::uint32_t PHILOX_W0 = 0x9E3779B9u, PHILOX_W1 = 0xBB67AE85u;

// The ten round keys of a key, as 64-bit values for broadcasting.
struct PhiloxRoundKeys {
    std::uint64_t k0[PHILOX_ROUNDS], k1[PHILOX_ROUNDS];
};

inline PhiloxRoundKeys round_keys(const StreamKey& key) {
    const Philox::key_type k = philox_key(key);
    PhiloxRoundKeys r{};
    std::uint32_t a = k[0], b = k[1];
    for (int i = 0; i < PHILOX_ROUNDS; ++i, a += PHILOX_W0, b += PHILOX_W1) {
        r.k0[i] = a;
        r.k1[i] = b;
    }
    return r;
}

#if CODEV_HAVE_X86_KERNELS
CODEV_KERNELS_BEGIN

// Eight counters (c0..c3 in the low halves of 64-bit lanes) through the ten
// rounds, in place: on return x0..x3 hold the four output words.
CODEV_TARGET_AVX512 inline void philox8_avx512(__m512i& x0, __m512i& x1, __m512i& x2, __m512i& x3,
                                               const PhiloxRoundKeys& keys) {
    const __m512i m0 = _mm512_set1_epi64(PHILOX_M0), m1 = _mm512_set1_epi64(PHILOX_M1);
    for (int r = 0; r < PHILOX_ROUNDS; ++r) {
        const __m512i p0 = _mm512_mul_epu32(x0, m0), p1 = _mm512_mul_epu32(x2, m1);
        // hi(p) to the low half by a dword shuffle (port 5), not a shift
        // (port 0, where the multiplies go): only the low half matters.
        x0 = _mm512_ternarylogic_epi64(_mm512_shuffle_epi32(p1, _MM_PERM_CDAB), x1,
                                       _mm512_set1_epi64(std::int64_t(keys.k0[r])), 0x96);
        x1 = p1;
        x2 = _mm512_ternarylogic_epi64(_mm512_shuffle_epi32(p0, _MM_PERM_CDAB), x3,
                                       _mm512_set1_epi64(std::int64_t(keys.k1[r])), 0x96);
        x3 = p0;
    }
}

// Two groups of eight counters, their rounds interleaved: the multiplies of
// one chain fill the latency of the other's (a round is 7 cycles deep).
CODEV_TARGET_AVX512 inline void philox16_avx512(__m512i (&a)[4], __m512i (&b)[4], const PhiloxRoundKeys& keys) {
    const __m512i m0 = _mm512_set1_epi64(PHILOX_M0), m1 = _mm512_set1_epi64(PHILOX_M1);
    for (int r = 0; r < PHILOX_ROUNDS; ++r) {
        const __m512i k0 = _mm512_set1_epi64(std::int64_t(keys.k0[r])),
                      k1 = _mm512_set1_epi64(std::int64_t(keys.k1[r]));
        const __m512i pa0 = _mm512_mul_epu32(a[0], m0), pa1 = _mm512_mul_epu32(a[2], m1);
        const __m512i pb0 = _mm512_mul_epu32(b[0], m0), pb1 = _mm512_mul_epu32(b[2], m1);
        a[0] = _mm512_ternarylogic_epi64(_mm512_shuffle_epi32(pa1, _MM_PERM_CDAB), a[1], k0, 0x96);
        b[0] = _mm512_ternarylogic_epi64(_mm512_shuffle_epi32(pb1, _MM_PERM_CDAB), b[1], k0, 0x96);
        a[1] = pa1;
        b[1] = pb1;
        a[2] = _mm512_ternarylogic_epi64(_mm512_shuffle_epi32(pa0, _MM_PERM_CDAB), a[3], k1, 0x96);
        b[2] = _mm512_ternarylogic_epi64(_mm512_shuffle_epi32(pb0, _MM_PERM_CDAB), b[3], k1, 0x96);
        a[3] = pa0;
        b[3] = pb0;
    }
}

// The words of draw4(key, ids[i], ., ., .) for eight 64-bit ids: counter word 0
// is the id's low half (the low half of the lane), word 1 its high half.
CODEV_TARGET_AVX512 inline void philox8_avx512_ids(__m512i ids, std::uint32_t word2, std::uint32_t word3,
                                                   const PhiloxRoundKeys& keys, __m512i& w0, __m512i& w1, __m512i& w2,
                                                   __m512i& w3) {
    w0 = ids;
    w1 = _mm512_srli_epi64(ids, 32);
    w2 = _mm512_set1_epi64(word2);
    w3 = _mm512_set1_epi64(word3);
    philox8_avx512(w0, w1, w2, w3, keys);
}

// Four counters per vector, two vectors at once (the multiplies' latency is
// hidden by the second chain).
CODEV_TARGET_AVX2 inline void philox4x2_avx2(__m256i (&a)[4], __m256i (&b)[4], const PhiloxRoundKeys& keys) {
    const __m256i m0 = _mm256_set1_epi64x(PHILOX_M0), m1 = _mm256_set1_epi64x(PHILOX_M1);
    for (int r = 0; r < PHILOX_ROUNDS; ++r) {
        const __m256i k0 = _mm256_set1_epi64x(std::int64_t(keys.k0[r])),
                      k1 = _mm256_set1_epi64x(std::int64_t(keys.k1[r]));
        const __m256i pa0 = _mm256_mul_epu32(a[0], m0), pa1 = _mm256_mul_epu32(a[2], m1);
        const __m256i pb0 = _mm256_mul_epu32(b[0], m0), pb1 = _mm256_mul_epu32(b[2], m1);
        a[0] = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(pa1, 32), a[1]), k0);
        a[1] = pa1;
        a[2] = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(pa0, 32), a[3]), k1);
        a[3] = pa0;
        b[0] = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(pb1, 32), b[1]), k0);
        b[1] = pb1;
        b[2] = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(pb0, 32), b[3]), k1);
        b[3] = pb0;
    }
}

CODEV_KERNELS_END
#endif

}  // namespace codev::simd
