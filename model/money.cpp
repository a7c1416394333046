// Rounding of real amounts to whole francs (docs/model.md 2.1 and 4.4).
#include "codev/money.hpp"

#include <cmath>

namespace codev {

std::int64_t round_xof(double amount) {
    // 9.2e18 is the last double below INT64_MAX: anything larger cannot be held.
    if (!std::isfinite(amount) || std::fabs(amount) >= 9.2e18)
        throw MoneyOverflow("amount of XOF is not representable");
    return std::llround(amount);
}

}  // namespace codev
