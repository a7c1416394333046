// Money in codev: an exact integer count of CFA francs (XOF).
//
// docs/model.md 2.1: money is int64 XOF so every sum is exact and independent
// of summation order, which is what makes results bit-identical for any number
// of threads. EUR inputs convert at the fixed CFA peg.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace codev {

// 1 EUR = 655.957 XOF (fixed peg, docs/sources.md "Currency").
inline constexpr double XOF_PER_EUR = 655.957;

// Thrown when a money sum would leave the int64 range (issue: guarded arithmetic).
class MoneyOverflow : public std::overflow_error {
  public:
    using std::overflow_error::overflow_error;
};

// A strong type for an amount of XOF. Arithmetic is checked: an overflow
// throws MoneyOverflow instead of wrapping silently.
struct Xof {
    std::int64_t value = 0;

    constexpr Xof() = default;
    constexpr explicit Xof(std::int64_t v) : value(v) {}

    friend Xof operator+(Xof a, Xof b) {
        std::int64_t r;
        if (__builtin_add_overflow(a.value, b.value, &r)) throw MoneyOverflow("XOF sum overflows int64");
        return Xof(r);
    }
    friend Xof operator-(Xof a, Xof b) {
        std::int64_t r;
        if (__builtin_sub_overflow(a.value, b.value, &r)) throw MoneyOverflow("XOF difference overflows int64");
        return Xof(r);
    }
    Xof& operator+=(Xof b) { return *this = *this + b; }
    Xof& operator-=(Xof b) { return *this = *this - b; }
    friend constexpr auto operator<=>(Xof, Xof) = default;
};

// Checked int64 addition for accumulators that hold raw counts of XOF.
inline std::int64_t add_xof(std::int64_t a, std::int64_t b) {
    std::int64_t r;
    if (__builtin_add_overflow(a, b, &r)) throw MoneyOverflow("XOF sum overflows int64");
    return r;
}

// Rounds a real amount of XOF to the nearest franc (half away from zero).
// Checked: throws MoneyOverflow for NaN, infinities and amounts past int64.
std::int64_t round_xof(double amount);

// Rounds a non-negative amount of XOF below 2^53 to the nearest franc, half
// up: the unchecked inline form for the per-migrant loops, where amounts are
// a share of one income (std::llround is an out-of-line libm call there).
inline std::int64_t round_small_xof(double amount) { return std::int64_t(amount + 0.5); }

}  // namespace codev
