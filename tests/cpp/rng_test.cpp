// Tests of the counter-based streams (rng.hpp, STYLE.md 5: a golden test pins
// the first draws so a library upgrade cannot silently change results).
#include <catch2/catch.hpp>
#include <cmath>

#include "codev/rng.hpp"

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
