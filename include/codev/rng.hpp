// Counter-based random streams (docs/model.md 4.1).
//
// Every draw comes from Philox4x32-10 keyed by (seed, replicate) with the
// counter (entity, process, month, draw index). Nothing is shared between
// threads and nothing depends on the order in which entities are visited, so
// results are bit-identical for any thread count, and two scenarios share
// every draw that their worlds share (common random numbers).
#pragma once

#include <Random123/philox.h>

#include <cmath>
#include <cstdint>

namespace codev {

// Named processes: one stream family each. Never renumber: results depend on it.
enum class Process : std::uint32_t {
    init_commune = 1,
    init_migrant = 2,
    init_association = 3,
    migrant_month = 4,   // a migrant's month: labour, channel, joining and return (words 0-3)
    migrant_social = 5,  // reserved (formerly the joining and return draws)
    association_idea = 6,
    project_draws = 7,  // cost, duration, overrun of a new project
    selection = 8,
    project_month = 9,  // abandonment, breakdown of a project in a month
    departures = 10,
    newcomer = 11,
    membership = 12,    // reserved
    sweep_design = 13,  // sampling the points of a sweep's design (entity: factor), not a model process
    association_life =
        14,         // an association's month: revival, registration (index 0), supported registration (1 + programme)
    founding = 15,  // a commune's month: founding of an association
    reinsertion = 16,           // a commune's month: returnees who get a programme's reinsertion grant
    reinsertion_survival = 17,  // a commune's month: reinsertion businesses that close
};

struct StreamKey {
    std::uint64_t seed = 0;
    std::uint32_t replicate = 0;
};

using Philox = r123::Philox4x32;

// The Philox key of a (seed, replicate) pair and the counter of a draw: the
// one definition used by draw4() and by the batched form (philox_batch.hpp).
inline Philox::key_type philox_key(const StreamKey& key) {
    return {{static_cast<std::uint32_t>(key.seed),
             static_cast<std::uint32_t>(key.seed >> 32) ^ (key.replicate * 0x9E3779B9u)}};
}

// Word 2 of the counter: the process in the top 8 bits, the month in the low 24.
inline std::uint32_t philox_counter_word2(Process process, std::uint32_t month) {
    return (static_cast<std::uint32_t>(process) << 24) | (month & 0xFFFFFFu);
}

inline Philox::ctr_type philox_counter(std::uint64_t entity, Process process, std::uint32_t month,
                                       std::uint32_t index) {
    return {{static_cast<std::uint32_t>(entity), static_cast<std::uint32_t>(entity >> 32),
             philox_counter_word2(process, month), index}};
}

// Four independent 32-bit words for (entity, process, month, index).
inline Philox::ctr_type draw4(const StreamKey& key, std::uint64_t entity, Process process, std::uint32_t month,
                              std::uint32_t index = 0) {
    return Philox()(philox_counter(entity, process, month, index), philox_key(key));
}

// A 32-bit word as a uniform double in [0, 1).
inline double u01(std::uint32_t w) { return w * (1.0 / 4294967296.0); }

// Bernoulli(p) from one 32-bit word: true with probability p (p clamped to [0, 1]).
inline bool bernoulli(std::uint32_t w, double p) { return u01(w) < p; }

// The integer form of bernoulli() for vectorised loops: for every 32-bit word
// w and every double p (NaN and infinities included),
//   (w < bernoulli_threshold(p)) == bernoulli(w, p).
// Why: u01(w) = w / 2^32 and p * 2^32 are exact (scaling by a power of two;
// an overflow to +inf is caught by the clamp), so u01(w) < p <=> w < p 2^32
// <=> w < ceil(p 2^32) for an integer w. The threshold is clamped to
// [0, 2^32]: 0 when p <= 0 or p is NaN (never), 2^32 when p >= 1 (always).
inline std::uint64_t bernoulli_threshold(double p) {
    const double x = p * 4294967296.0;
    if (!(x > 0.0)) return 0;
    if (x >= 4294967296.0) return std::uint64_t(1) << 32;
    return static_cast<std::uint64_t>(std::ceil(x));
}

// A stream for Boost.Random distributions: a uniform random bit generator that
// walks the draw index of one (entity, process, month) counter. Used where a
// distribution needs an unknown number of words (lognormal, beta, Poisson).
class Stream {
  public:
    using result_type = std::uint32_t;
    Stream(const StreamKey& key, std::uint64_t entity, Process process, std::uint32_t month)
        : key_(key), entity_(entity), process_(process), month_(month) {}
    static constexpr result_type min() { return 0; }
    static constexpr result_type max() { return 0xFFFFFFFFu; }
    result_type operator()() {
        if (used_ == 4) {
            block_ = draw4(key_, entity_, process_, month_, index_++);
            used_ = 0;
        }
        return block_[used_++];
    }
    double uniform() { return u01((*this)()); }
    double normal();  // standard normal (Boost.Random)
    double lognormal(double median, double sigma);
    double beta(double mean, double concentration);
    std::int64_t poisson(double mean);
    std::int64_t binomial(std::int64_t trials, double p);  // 0 when trials <= 0 or p <= 0

  private:
    StreamKey key_;
    std::uint64_t entity_;
    Process process_;
    std::uint32_t month_;
    std::uint32_t index_ = 0;
    Philox::ctr_type block_{};
    int used_ = 4;
};

}  // namespace codev
