// Boost.Random distributions over the counter-based streams (rng.hpp).
//
// Boost's distributions are used for their well-tested algorithms; each call
// constructs a distribution object on the stack (no allocation), so a Stream
// can live inside a parallel loop body.
#include "codev/rng.hpp"

#include <boost/random/beta_distribution.hpp>
#include <boost/random/lognormal_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <cmath>

namespace codev {

double Stream::normal() { return boost::random::normal_distribution<double>(0.0, 1.0)(*this); }

double Stream::lognormal(double median, double sigma) {
    if (sigma <= 0.0) return median;
    return boost::random::lognormal_distribution<double>(std::log(median), sigma)(*this);
}

double Stream::beta(double mean, double concentration) {
    if (mean <= 0.0) return 0.0;
    if (mean >= 1.0) return 1.0;
    return boost::random::beta_distribution<double>(mean * concentration, (1.0 - mean) * concentration)(*this);
}

std::int64_t Stream::poisson(double mean) {
    if (mean <= 0.0) return 0;
    return boost::random::poisson_distribution<std::int64_t, double>(mean)(*this);
}

}  // namespace codev
