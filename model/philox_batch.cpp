// Batched Philox4x32-10 (philox_batch.hpp) and the run-time choice of the
// instruction-set level of the migrant kernels.
#include "codev/philox_batch.hpp"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>

#include "philox_simd.hpp"

namespace codev {
namespace {

SimdLevel detect() {
#if CODEV_HAVE_X86_KERNELS
    __builtin_cpu_init();
    // libgcc's and compiler-rt's checks include the OS's support of the
    // register state (XGETBV), not just the CPUID bits.
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512vl"))
        return SimdLevel::avx512;
    if (__builtin_cpu_supports("avx2")) return SimdLevel::avx2;
#endif
    return SimdLevel::scalar;
}

SimdLevel from_environment(SimdLevel supported) {
    const char* v = std::getenv("CODEV_SIMD");
    if (v == nullptr) return supported;
    SimdLevel wanted = supported;
    if (std::strcmp(v, "scalar") == 0)
        wanted = SimdLevel::scalar;
    else if (std::strcmp(v, "avx2") == 0)
        wanted = SimdLevel::avx2;
    else if (std::strcmp(v, "avx512") == 0)
        wanted = SimdLevel::avx512;
    return std::min(wanted, supported);
}

std::atomic<int>& current_level() {
    static std::atomic<int> level{int(from_environment(simd_supported()))};
    return level;
}

void draw4_scalar(const StreamKey& key, const std::uint64_t* ids, std::size_t n, Process process, std::uint32_t month,
                  std::uint32_t index, std::uint32_t* w0, std::uint32_t* w1, std::uint32_t* w2, std::uint32_t* w3) {
    for (std::size_t i = 0; i < n; ++i) {
        const auto w = draw4(key, ids[i], process, month, index);
        w0[i] = w[0];
        w1[i] = w[1];
        w2[i] = w[2];
        w3[i] = w[3];
    }
}

#if CODEV_HAVE_X86_KERNELS
CODEV_KERNELS_BEGIN

CODEV_TARGET_AVX512 void draw4_avx512(const StreamKey& key, const std::uint64_t* ids, std::size_t n, Process process,
                                      std::uint32_t month, std::uint32_t index, std::uint32_t* w0, std::uint32_t* w1,
                                      std::uint32_t* w2, std::uint32_t* w3) {
    const simd::PhiloxRoundKeys keys = simd::round_keys(key);
    const std::uint32_t word2 = philox_counter_word2(process, month);
    std::size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const __m512i ia = _mm512_loadu_si512(ids + i), ib = _mm512_loadu_si512(ids + i + 8);
        const __m512i c2 = _mm512_set1_epi64(word2), c3 = _mm512_set1_epi64(index);
        __m512i a[4] = {ia, _mm512_srli_epi64(ia, 32), c2, c3}, b[4] = {ib, _mm512_srli_epi64(ib, 32), c2, c3};
        simd::philox16_avx512(a, b, keys);
        std::uint32_t* out[4] = {w0, w1, w2, w3};
        for (int k = 0; k < 4; ++k) {
            _mm256_storeu_si256(reinterpret_cast<__m256i*>(out[k] + i), _mm512_cvtepi64_epi32(a[k]));
            _mm256_storeu_si256(reinterpret_cast<__m256i*>(out[k] + i + 8), _mm512_cvtepi64_epi32(b[k]));
        }
    }
    for (; i < n; i += 8) {
        const __mmask8 in = n - i >= 8 ? __mmask8(0xFF) : __mmask8((1u << (n - i)) - 1);
        __m512i x0, x1, x2, x3;
        simd::philox8_avx512_ids(_mm512_maskz_loadu_epi64(in, ids + i), word2, index, keys, x0, x1, x2, x3);
        // vpmovqd keeps the low half of each 64-bit lane: the word.
        _mm512_mask_cvtepi64_storeu_epi32(w0 + i, in, x0);
        _mm512_mask_cvtepi64_storeu_epi32(w1 + i, in, x1);
        _mm512_mask_cvtepi64_storeu_epi32(w2 + i, in, x2);
        _mm512_mask_cvtepi64_storeu_epi32(w3 + i, in, x3);
    }
}

CODEV_TARGET_AVX2 inline void store_low_halves(std::uint32_t* out, __m256i x) {
    const __m256i pick = _mm256_setr_epi32(0, 2, 4, 6, 1, 3, 5, 7);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out), _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(x, pick)));
}

CODEV_TARGET_AVX2 void draw4_avx2(const StreamKey& key, const std::uint64_t* ids, std::size_t n, Process process,
                                  std::uint32_t month, std::uint32_t index, std::uint32_t* w0, std::uint32_t* w1,
                                  std::uint32_t* w2, std::uint32_t* w3) {
    const simd::PhiloxRoundKeys keys = simd::round_keys(key);
    const __m256i word2 = _mm256_set1_epi64x(philox_counter_word2(process, month)), word3 = _mm256_set1_epi64x(index);
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256i ia = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(ids + i));
        const __m256i ib = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(ids + i + 4));
        __m256i a[4] = {ia, _mm256_srli_epi64(ia, 32), word2, word3};
        __m256i b[4] = {ib, _mm256_srli_epi64(ib, 32), word2, word3};
        simd::philox4x2_avx2(a, b, keys);
        std::uint32_t* out[4] = {w0, w1, w2, w3};
        for (int k = 0; k < 4; ++k) {
            store_low_halves(out[k] + i, a[k]);
            store_low_halves(out[k] + i + 4, b[k]);
        }
    }
    draw4_scalar(key, ids + i, n - i, process, month, index, w0 + i, w1 + i, w2 + i, w3 + i);
}

CODEV_KERNELS_END
#endif

}  // namespace

SimdLevel simd_supported() {
    static const SimdLevel level = detect();
    return level;
}

SimdLevel simd_level() { return SimdLevel(current_level().load(std::memory_order_relaxed)); }

SimdLevel set_simd_level(SimdLevel level) {
    return SimdLevel(current_level().exchange(int(std::min(level, simd_supported())), std::memory_order_relaxed));
}

const char* simd_level_name(SimdLevel level) {
    switch (level) {
        case SimdLevel::avx512:
            return "avx512";
        case SimdLevel::avx2:
            return "avx2";
        default:
            return "scalar";
    }
}

void draw4_batch(const StreamKey& key, const std::uint64_t* ids, std::size_t n, Process process, std::uint32_t month,
                 std::uint32_t index, std::uint32_t* w0, std::uint32_t* w1, std::uint32_t* w2, std::uint32_t* w3,
                 SimdLevel level) {
    level = std::min(level, simd_supported());
#if CODEV_HAVE_X86_KERNELS
    if (level == SimdLevel::avx512) return draw4_avx512(key, ids, n, process, month, index, w0, w1, w2, w3);
    if (level == SimdLevel::avx2) return draw4_avx2(key, ids, n, process, month, index, w0, w1, w2, w3);
#endif
    draw4_scalar(key, ids, n, process, month, index, w0, w1, w2, w3);
}

}  // namespace codev
