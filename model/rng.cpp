// Boost.Random distributions over the counter-based streams (rng.hpp).
//
// Boost's distributions are used for their well-tested algorithms; each call
// constructs a distribution object on the stack (no allocation), so a Stream
// can live inside a parallel loop body.
#include "codev/rng.hpp"

#include <boost/random/binomial_distribution.hpp>
#include <boost/random/gamma_distribution.hpp>
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

// Past this concentration a Beta draw's spread (sd below 0.5 / sqrt(1e12) =
// 5e-7) is below what the float that stores it resolves, and Boost's gamma
// rejection for shapes this large loses its precision (it may never accept).
constexpr double BETA_POINT_MASS = 1e12;

// Boost's beta_distribution (gamma(a) / (gamma(a) + gamma(b)), drawn in that
// order) with its two ways to fail closed: both gamma draws underflowing to 0
// (tiny shapes: 0 / 0 is NaN, which would reach money as INT64_MIN) and huge
// shapes (inf / inf). Tiny shapes draw from the limit as the concentration
// goes to 0, Bernoulli(mean); huge ones return the mean, their limit.
double Stream::beta(double mean, double concentration) {
    if (mean <= 0.0) return 0.0;
    if (mean >= 1.0) return 1.0;
    if (!(concentration <= BETA_POINT_MASS)) return mean;
    const double a = mean * concentration, b = (1.0 - mean) * concentration;
    if (a > 0.0 && b > 0.0) {  // else a shape underflowed: Boost's gamma needs a positive one
        const double x = boost::random::gamma_distribution<double>(a)(*this);
        const double y = boost::random::gamma_distribution<double>(b)(*this);
        const double sum = x + y;
        if (sum > 0.0 && std::isfinite(sum)) return x / sum;
    }
    return uniform() < mean ? 1.0 : 0.0;
}

std::int64_t Stream::poisson(double mean) {
    if (mean <= 0.0) return 0;
    return boost::random::poisson_distribution<std::int64_t, double>(mean)(*this);
}

std::int64_t Stream::binomial(std::int64_t trials, double p) {
    if (trials <= 0 || !(p > 0.0)) return 0;
    if (p >= 1.0) return trials;
    return boost::random::binomial_distribution<std::int64_t, double>(trials, p)(*this);
}

}  // namespace codev
