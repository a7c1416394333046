// Guarded arithmetic (money.hpp): sums that would leave int64 are reported,
// never wrapped.
#include "codev/money.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

using namespace codev;

TEST_CASE("Money sums that would overflow int64 throw MoneyOverflow", "[money]") {
    const std::int64_t max = std::numeric_limits<std::int64_t>::max();
    CHECK(add_xof(max - 5, 5) == max);
    CHECK_THROWS_AS(add_xof(max - 5, 6), MoneyOverflow);
    CHECK_THROWS_AS(Xof(max) + Xof(1), MoneyOverflow);
    CHECK_THROWS_AS(Xof(std::numeric_limits<std::int64_t>::min()) - Xof(1), MoneyOverflow);
    CHECK((Xof(7) + Xof(5)).value == 12);
}

TEST_CASE("Rounding to whole francs refuses amounts no int64 can hold", "[money]") {
    CHECK(round_xof(2.5) == 3);
    CHECK(round_xof(-2.5) == -3);
    CHECK(round_small_xof(2.5) == 3);
    CHECK(round_small_xof(2.4999) == 2);
    CHECK_THROWS_AS(round_xof(std::nan("")), MoneyOverflow);
    CHECK_THROWS_AS(round_xof(1e19), MoneyOverflow);
    CHECK_THROWS_AS(round_xof(-INFINITY), MoneyOverflow);
}
