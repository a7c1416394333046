// Batched Philox4x32-10 and the instruction-set level of the migrant loops.
//
// draw4_batch() gives, for a block of entities at once, exactly the words of
// draw4() (rng.hpp), i.e. of r123::Philox4x32: bit for bit, on every CPU.
// Vectorised forms (AVX2, AVX-512) are chosen at run time from what the CPU
// supports; the portable form is draw4() in a loop. The fused migrant loops
// (economy.cpp, social.cpp) use the same level to pick their kernels, and
// every kernel gives the same results (tests/cpp/economy_test.cpp).
#pragma once

#include <cstddef>
#include <cstdint>

#include "codev/rng.hpp"

namespace codev {

// Instruction-set level of the vectorised kernels, in increasing order.
// avx512 needs AVX-512 F, DQ, BW and VL (Skylake-SP and later Xeons).
enum class SimdLevel : int { scalar = 0, avx2 = 1, avx512 = 2 };

// The best level this CPU (and OS) supports.
SimdLevel simd_supported();

// The level the kernels use: simd_supported(), lowered by the environment
// variable CODEV_SIMD=scalar|avx2|avx512 or by set_simd_level(). A level above
// what the CPU supports is lowered to simd_supported().
SimdLevel simd_level();

// Sets the level for all later kernel calls (tests and benchmarks compare
// levels with it); returns the level in use before.
SimdLevel set_simd_level(SimdLevel level);

const char* simd_level_name(SimdLevel level);

// w0[i], w1[i], w2[i], w3[i] = draw4(key, ids[i], process, month, index)
// for i < n. `level` above simd_supported() is lowered.
void draw4_batch(const StreamKey& key, const std::uint64_t* ids, std::size_t n, Process process, std::uint32_t month,
                 std::uint32_t index, std::uint32_t* w0, std::uint32_t* w1, std::uint32_t* w2, std::uint32_t* w3,
                 SimdLevel level = simd_level());

}  // namespace codev
