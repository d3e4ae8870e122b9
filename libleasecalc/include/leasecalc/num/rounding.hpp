#pragma once
// Explicit rounding of money. Booked amounts are rounded once, where they are booked, with a
// stated rule; nothing is rounded implicitly.

#include "leasecalc/num/numeric.hpp"

#include <cmath>

namespace leasecalc::num {

enum class Rounding {
  half_even,  // banker's rounding: ties go to the even digit (IEEE 754 default, many ledgers)
  half_up,    // ties away from zero, as the spreadsheet ROUND() function does
};

// The integer nearest `x`, ties to the even one: std::nearbyint in the default rounding mode, sign
// of zero included. Below 2^51 in magnitude, x + 1.5 x 2^52 is a double whose last place is 1, so
// the addition itself rounds x; a call into libm cost more than the rest of booking an amount.
inline double nearest_even(double x) {
  constexpr double shift = 0x1.8p52;
  if (!(std::fabs(x) < 0x1p51)) return std::nearbyint(x);  // already whole, or not finite
  return std::copysign((x + shift) - shift, x);
}

// Round `value` to `decimals` places after the point (2 = cents) under `rule`.
template <Numeric T>
T round_to(const T& value, int decimals, Rounding rule = Rounding::half_even) {
  if constexpr (std::same_as<T, double>) {
    // The same rule on the scaled double, in the hardware's rounding (ties to even by default).
    const double scale = powi(10.0, decimals);
    const double scaled = value * scale;
    return (rule == Rounding::half_even ? nearest_even(scaled) : std::round(scaled)) / scale;
  }
  const T scale = powi(T(10), decimals);
  const bool negative = value < 0;
  const T scaled = (negative ? -value : value) * scale;  // magnitude; sign restored at the end
  T whole = floor(scaled);
  const T fraction = scaled - whole;
  const T half = T(1) / T(2);
  if (fraction > half) {
    whole += 1;
  } else if (fraction == half) {
    const bool whole_is_odd = floor(whole / 2) * 2 != whole;
    if (rule == Rounding::half_up || whole_is_odd) whole += 1;
  }
  const T rounded = whole / scale;
  return negative ? -rounded : rounded;
}

template <Numeric T>
T round_cents(const T& value, Rounding rule = Rounding::half_even) {
  // Every booked amount of a fast projection comes here: round_to's arithmetic, spelt out so that
  // it is inlined where it is booked.
  if constexpr (std::same_as<T, double>)
    if (rule == Rounding::half_even) return nearest_even(value * 100.0) / 100.0;
  return round_to(value, 2, rule);
}

}  // namespace leasecalc::num
