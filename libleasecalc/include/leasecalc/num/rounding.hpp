#pragma once
// Explicit rounding of money. Booked amounts are rounded once, where they are booked, with a
// stated rule; nothing is rounded implicitly.

#include "leasecalc/num/numeric.hpp"

namespace leasecalc::num {

enum class Rounding {
  half_even,  // banker's rounding: ties go to the even digit (IEEE 754 default, many ledgers)
  half_up,    // ties away from zero, as the spreadsheet ROUND() function does
};

// Round `value` to `decimals` places after the point (2 = cents) under `rule`.
template <Numeric T>
T round_to(const T& value, int decimals, Rounding rule = Rounding::half_even) {
  if constexpr (std::same_as<T, double>) {
    // The same rule on the scaled double, in the hardware's rounding (ties to even by default).
    const double scale = powi(10.0, decimals);
    const double scaled = value * scale;
    return (rule == Rounding::half_even ? std::nearbyint(scaled) : std::round(scaled)) / scale;
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
  return round_to(value, 2, rule);
}

}  // namespace leasecalc::num
