// Tests of the counter-based streams (rng.hpp, docs/architecture.md 4.3: a golden test pins
// the first draws so a library upgrade cannot silently change results).
#include "codev/rng.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <vector>

#include "codev/philox_batch.hpp"

using namespace codev;

TEST_CASE("The streams' first words are pinned (golden values)", "[rng]") {
    const auto w = draw4(StreamKey{42, 3}, 12345, Process::migrant_month, 17);
    // Regenerate only on purpose, with a line in CHANGELOG.md under "Changed results".
    CHECK(w[0] == 2829472696u);
    CHECK(w[1] == 2037617030u);
    CHECK(w[2] == 3433303650u);
    CHECK(w[3] == 3769914719u);
}

TEST_CASE("Streams differ by seed, replicate, entity, process and month", "[rng]") {
    const auto base = draw4(StreamKey{1, 0}, 5, Process::migrant_month, 3)[0];
    CHECK(draw4(StreamKey{2, 0}, 5, Process::migrant_month, 3)[0] != base);
    CHECK(draw4(StreamKey{1, 1}, 5, Process::migrant_month, 3)[0] != base);
    CHECK(draw4(StreamKey{1, 0}, 6, Process::migrant_month, 3)[0] != base);
    CHECK(draw4(StreamKey{1, 0}, 5, Process::migrant_social, 3)[0] != base);
    CHECK(draw4(StreamKey{1, 0}, 5, Process::migrant_month, 4)[0] != base);
    CHECK(draw4(StreamKey{1, 0}, 5, Process::migrant_month, 3)[0] == base);
}

TEST_CASE("Stream distributions have their moments", "[rng]") {
    const int n = 200000;
    double sum_u = 0, sum_log = 0, sum_beta = 0, sum_poisson = 0;
    for (int i = 0; i < n; ++i) {
        Stream s(StreamKey{9, 0}, std::uint64_t(i), Process::init_migrant, 0);
        sum_u += s.uniform();
        sum_log += std::log(s.lognormal(1000.0, 0.5));
        sum_beta += s.beta(0.2, 10.0);
        sum_poisson += double(s.poisson(3.0));
    }
    // Tolerances: 5 standard errors of each mean.
    CHECK(sum_u / n == Approx(0.5).margin(5 * std::sqrt(1.0 / 12 / n)));
    CHECK(sum_log / n == Approx(std::log(1000.0)).margin(5 * 0.5 / std::sqrt(n)));
    CHECK(sum_beta / n == Approx(0.2).margin(5 * std::sqrt(0.2 * 0.8 / 11 / n)));
    CHECK(sum_poisson / n == Approx(3.0).margin(5 * std::sqrt(3.0 / n)));
}

// Issue 20 item 5: concentrations inside the schema's range (above 0) made
// Boost's draw 0 / 0 = NaN, which reached money as INT64_MIN.
TEST_CASE("Beta draws are in [0, 1] with their mean at any concentration", "[rng]") {
    const int n = 20000;
    for (const double concentration : {5e-324, 1e-10, 0.015, 1e13, 1.7e308}) {
        double sum = 0;
        for (int i = 0; i < n; ++i) {
            Stream s(StreamKey{9, 0}, std::uint64_t(i), Process::init_migrant, 0);
            const double x = s.beta(0.3, concentration);
            REQUIRE(x >= 0.0);
            REQUIRE(x <= 1.0);
            sum += x;
        }
        INFO("concentration " << concentration);
        // At most Bernoulli(0.3)'s spread: 5 standard errors of the mean.
        CHECK(sum / n == Approx(0.3).margin(5 * std::sqrt(0.3 * 0.7 / n)));
    }
}

// ---------------------------------------------------------------------------
// Batched Philox (philox_batch.hpp): every level gives Random123's words.

namespace {

// A small deterministic generator for test inputs (splitmix64).
std::uint64_t mix(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

std::vector<SimdLevel> levels_to_test() {
    std::vector<SimdLevel> levels;
    for (SimdLevel l : {SimdLevel::scalar, SimdLevel::avx2, SimdLevel::avx512})
        if (l <= simd_supported()) levels.push_back(l);
    return levels;
}

}  // namespace

TEST_CASE("Batched Philox equals r123::Philox4x32 on many counters, at every level", "[rng][simd]") {
    INFO("CPU supports up to " << simd_level_name(simd_supported()));
    if (simd_supported() != SimdLevel::avx512) WARN("AVX-512 kernels not testable on this CPU");
    std::uint64_t state = 2024;
    // Ids: initial migrants (slot indices), newcomers (2^63 | commune << 32 | k),
    // edge values, and random 64-bit ids; lengths cover the vector tails.
    std::vector<std::uint64_t> ids = {0,
                                      1,
                                      2,
                                      0xFFFFFFFFull,
                                      0x100000000ull,
                                      ~0ull,
                                      ~0ull - 1,
                                      1ull << 63,
                                      (1ull << 63) | 1,
                                      (1ull << 63) | (699ull << 32) | 12345,
                                      0x7FFFFFFFull};
    for (std::uint64_t k = 0; k < 300; ++k) ids.push_back((1ull << 63) | ((k % 700) << 32) | (k * 7919));
    for (std::uint64_t k = 0; k < 3000; ++k) ids.push_back(k);
    for (int k = 0; k < 5000; ++k) ids.push_back(mix(state));
    const std::vector<StreamKey> keys = {{0, 0},          {42, 3}, {7, 0}, {1099511627781ull, 2}, {~0ull, 0xFFFFFFFFu},
                                         {mix(state), 17}};
    const std::vector<std::uint32_t> months = {0, 1, 17, 239, 0xFFFFFF, 0x1000000, 0xFFFFFFFFu};
    const std::vector<Process> processes = {Process::migrant_month, Process::newcomer, Process::selection};
    const std::vector<std::size_t> lengths = {0, 1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 255, 256, 257, ids.size()};
    std::size_t checked = 0;
    for (SimdLevel level : levels_to_test()) {
        INFO("level " << simd_level_name(level));
        for (const StreamKey& key : keys)
            for (std::uint32_t month : months)
                for (Process process : processes)
                    for (std::uint32_t index : {0u, 1u, 0xFFFFFFFFu}) {
                        // One length per combination (rotating), all of ids for month 17.
                        const std::size_t n = month == 17 ? ids.size() : lengths[checked % lengths.size()];
                        const std::size_t offset = checked % 5 < n ? checked % 5 : 0;  // unaligned starts too
                        const std::size_t m = n - offset;
                        std::vector<std::uint32_t> w0(m + 1, 0xDEADBEEF), w1(m + 1, 0xDEADBEEF), w2(m + 1, 0xDEADBEEF),
                            w3(m + 1, 0xDEADBEEF);
                        draw4_batch(key, ids.data() + offset, m, process, month, index, w0.data(), w1.data(), w2.data(),
                                    w3.data(), level);
                        for (std::size_t i = 0; i < m; ++i) {
                            // The reference: Random123 itself, keyed and countered by hand.
                            const r123::Philox4x32::key_type k = {
                                {std::uint32_t(key.seed),
                                 std::uint32_t(key.seed >> 32) ^ (key.replicate * 0x9E3779B9u)}};
                            const std::uint64_t id = ids[offset + i];
                            const r123::Philox4x32::ctr_type c = {{std::uint32_t(id), std::uint32_t(id >> 32),
                                                                   (std::uint32_t(process) << 24) | (month & 0xFFFFFFu),
                                                                   index}};
                            const auto ref = r123::Philox4x32()(c, k);
                            if (w0[i] != ref[0] || w1[i] != ref[1] || w2[i] != ref[2] || w3[i] != ref[3]) {
                                FAIL("mismatch at id " << id << " month " << month << " index " << index);
                            }
                            ++checked;
                        }
                        // Nothing written past the end.
                        REQUIRE(w0[m] == 0xDEADBEEF);
                        REQUIRE(w3[m] == 0xDEADBEEF);
                    }
    }
    CHECK(checked > 100000);
}

TEST_CASE("The SIMD level can be lowered and never exceeds the CPU's", "[rng][simd]") {
    const SimdLevel before = set_simd_level(SimdLevel::scalar);
    CHECK(simd_level() == SimdLevel::scalar);
    set_simd_level(SimdLevel::avx512);
    CHECK(simd_level() == simd_supported());
    set_simd_level(before);
}

// ---------------------------------------------------------------------------
// bernoulli_threshold: the integer form of bernoulli() used by the kernels.

TEST_CASE("bernoulli_threshold agrees with bernoulli for every class of p and word", "[rng][simd]") {
    const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
    const double two32 = 4294967296.0;
    std::vector<double> ps = {0.0,
                              -0.0,
                              -1.0,
                              -inf,
                              inf,
                              nan,
                              1.0,
                              2.0,
                              1e300,
                              1.7e308,
                              0.5,
                              0.25,
                              1e-300,
                              std::numeric_limits<double>::denorm_min(),
                              std::numeric_limits<double>::min(),
                              std::nextafter(1.0, 0.0),
                              std::nextafter(1.0, 2.0),
                              1.0 / two32,
                              0.002,
                              0.01,
                              0.1,
                              0.6,
                              0.0043,
                              0.0135,
                              0.05,
                              0.7};
    // p exactly on a word boundary k / 2^32 and one ulp either side.
    for (std::uint64_t k : {1ull, 2ull, 3ull, 1000ull, 0x7FFFFFFFull, 0x80000000ull, 0xFFFFFFFEull, 0xFFFFFFFFull}) {
        const double p = double(k) / two32;
        ps.insert(ps.end(), {p, std::nextafter(p, 0.0), std::nextafter(p, 1.0)});
    }
    std::uint64_t state = 99;
    for (int i = 0; i < 2000; ++i) ps.push_back(double(mix(state) >> 11) / 9007199254740992.0);  // [0, 1)
    for (int i = 0; i < 200; ++i)
        ps.push_back(std::ldexp(double(mix(state) >> 11), -53 - int(mix(state) % 60)));  // tiny
    std::size_t checked = 0;
    for (double p : ps) {
        const std::uint64_t t = bernoulli_threshold(p);
        REQUIRE(t <= (std::uint64_t(1) << 32));
        std::vector<std::uint32_t> words = {0u, 1u, 2u, 0x7FFFFFFFu, 0x80000000u, 0xFFFFFFFEu, 0xFFFFFFFFu};
        // The boundary: the last word below the threshold and the first at it.
        for (std::int64_t d = -2; d <= 2; ++d) {
            const std::int64_t w = std::int64_t(t) + d;
            if (w >= 0 && w <= 0xFFFFFFFFll) words.push_back(std::uint32_t(w));
        }
        for (int i = 0; i < 20; ++i) words.push_back(std::uint32_t(mix(state)));
        for (std::uint32_t w : words) {
            INFO("p = " << p << " w = " << w << " threshold = " << t);
            REQUIRE((std::uint64_t(w) < t) == bernoulli(w, p));
            ++checked;
        }
    }
    CHECK(checked > 50000);
}
