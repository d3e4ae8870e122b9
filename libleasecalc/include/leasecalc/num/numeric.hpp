#pragma once
// One numeric policy, two instantiations: the financial code is written once as templates over
// `Num`, instantiated for `double` (fast, for sweeps) and `Decimal` (exact, for booked money).

#include <boost/multiprecision/cpp_dec_float.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <concepts>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>

namespace leasecalc::num {

// A decimal (radix-10) float with 34 significant digits: 0.1 and every cent amount are exact,
// so ledgers reconcile to the cent. Expression templates are off so that generic code can use
// `auto` and std algorithms without dangling proxies.
using Decimal = boost::multiprecision::number<boost::multiprecision::cpp_dec_float<34>,
                                              boost::multiprecision::et_off>;

template <class T>
concept Numeric = std::same_as<T, double> || std::same_as<T, Decimal>;

// ---- conversions -----------------------------------------------------------------------------

// Exact parse of a plain decimal literal ("2.6", "-1e3").
template <Numeric T>
T from_string(std::string_view text) {
  if constexpr (std::same_as<T, double>) {
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size())
      throw std::invalid_argument("not a number: '" + std::string(text) + "'");
    return value;
  } else {
    // Validate with the double parser first: Boost accepts some malformed strings silently.
    (void)from_string<double>(text);
    return Decimal(std::string(text));
  }
}

// A double enters the decimal world through its shortest round-trip representation, so 0.1
// becomes exactly 0.1 rather than 0.1000000000000000055511151231257827.
template <Numeric T>
T from_double(double value) {
  if constexpr (std::same_as<T, double>) {
    return value;
  } else {
    if (!std::isfinite(value)) throw std::domain_error("non-finite value cannot become a Decimal");
    char buffer[32];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    return Decimal(std::string(buffer, end));
  }
}

inline double to_double(double value) { return value; }

namespace detail {

// Boost's conversion of a Decimal to double without its string streams, which cost microseconds
// (most of a Monte Carlo scenario whose deal holds drawn products, such as a scaled residual
// curve, read month by month): Boost writes the value to 19 significant digits (to nearest, an
// exact tie to even) and reads that text back as the nearest double. Here the same two roundings
// are made on the 19 leading digits as an integer; `scaled` is the value x 10^shift, with 17
// digits before the point. A value within 10^-25 of a tie at the 19th digit takes Boost's own
// path: the scaling may drop a last limb, whose digits could decide it.
inline double boost_rounded_to_double(const Decimal& value, const Decimal& scaled, int shift) {
  Decimal wide = boost::multiprecision::abs(scaled);
  wide.backend().mul_unsigned_long_long(100);  // 19 digits before the point
  Decimal whole;
  whole.backend() = wide.backend().extract_integer_part();
  const Decimal fraction = wide - whole;  // in [0, 1)
  static const Decimal half("0.5"), near_tie("1e-25");
  if (boost::multiprecision::abs(Decimal(fraction - half)) < near_tie) return value.convert_to<double>();
  unsigned long long digits = whole.backend().extract_unsigned_long_long();
  if (fraction > half) ++digits;  // at most 10^19, within an unsigned long long
  char text[48];
  char* end = std::to_chars(text, text + 24, digits).ptr;
  *end++ = 'e';
  end = std::to_chars(end, text + sizeof text, -(shift + 2)).ptr;
  double magnitude = 0;
  std::from_chars(text, end, magnitude);  // correctly rounded, as the stream's strtod
  return value < 0 ? -magnitude : magnitude;
}

}  // namespace detail

// Boost converts a Decimal to double through a string stream, which costs microseconds; the fast
// (double) mode converts every model input, so this reads up to 17 significant digits as an exact
// integer and divides by an exact power of ten: one correctly rounded operation for decimals of up
// to 15 significant digits (model inputs, cent amounts below 10^13), within an ulp otherwise.
// Longer values (drawn or scaled products, quotients) get Boost's own result, by its roundings.
inline double to_double(const Decimal& value) {
  if (!boost::multiprecision::isfinite(value) || value == 0) return value.convert_to<double>();
  double mantissa = 0;
  int exponent = 0;  // value ~ mantissa x 10^exponent, 1 <= |mantissa| < 10
  value.backend().extract_parts(mantissa, exponent);
  const int shift = 16 - exponent;  // value x 10^shift has 17 digits before the point
  if (shift < 0 || shift > 22) return value.convert_to<double>();
  constexpr double exact_powers_of_ten[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                            1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                            1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  // Scaled by single-limb multiplications (a cpp_dec_float limb holds 8 digits), which Boost does
  // in one short loop, instead of full products.
  constexpr unsigned long long limb_powers_of_ten[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000};
  Decimal scaled = value;
  for (int left = shift; left > 0; left -= 7) scaled.backend().mul_unsigned_long_long(limb_powers_of_ten[std::min(left, 7)]);
  if (!scaled.backend().isint()) return detail::boost_rounded_to_double(value, scaled, shift);
  long long digits = scaled.backend().extract_signed_long_long();
  // Without its trailing zeros, a value of up to 15 significant digits (every cent amount below
  // 10^13) is an integer below 2^53, exact in double: one rounding in all, so correctly rounded.
  int power = shift;
  while (power > 0 && digits % 10 == 0) {
    digits /= 10;
    --power;
  }
  return static_cast<double>(digits) / exact_powers_of_ten[power];
}

// The shortest decimal text that reads back as exactly `value`, in plain (not exponent) notation:
// 0.08 for the double nearest 0.08, not 0.080000000000000002. A decimal of up to 15 significant
// digits (every cent amount below 10^13) goes to double and comes back out as the same digits, so
// amounts booked to the cent are written as booked. Non-finite values have no text here.
inline std::string to_text(double value) {
  if (!std::isfinite(value)) throw std::domain_error("a non-finite value has no decimal text");
  if (value == 0) return "0";  // and not "-0"
  char buffer[400];            // the longest fixed-notation double (about 330 characters)
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
  if (ec != std::errc{}) throw std::runtime_error("to_text: buffer too small");
  return std::string(buffer, end);
}

// ---- elementary functions with one spelling for both types -----------------------------------

inline double abs(double x) { return std::fabs(x); }
inline double pow(double x, double y) { return std::pow(x, y); }
inline double exp(double x) { return std::exp(x); }
inline double log(double x) { return std::log(x); }
inline double log1p(double x) { return std::log1p(x); }  // log(1 + x), exact for small x
inline double floor(double x) { return std::floor(x); }
inline double ceil(double x) { return std::ceil(x); }
inline double sqrt(double x) { return std::sqrt(x); }
inline bool isfinite(double x) { return std::isfinite(x); }

inline Decimal abs(const Decimal& x) { return boost::multiprecision::abs(x); }
inline Decimal pow(const Decimal& x, const Decimal& y) { return boost::multiprecision::pow(x, y); }
inline Decimal exp(const Decimal& x) { return boost::multiprecision::exp(x); }
inline Decimal log(const Decimal& x) { return boost::multiprecision::log(x); }
// 1 + x keeps 34 digits, so the small rates that defeat double keep 20 or more here.
inline Decimal log1p(const Decimal& x) { return boost::multiprecision::log(Decimal(1) + x); }
inline Decimal floor(const Decimal& x) { return boost::multiprecision::floor(x); }
inline Decimal ceil(const Decimal& x) { return boost::multiprecision::ceil(x); }
inline Decimal sqrt(const Decimal& x) { return boost::multiprecision::sqrt(x); }
inline bool isfinite(const Decimal& x) { return boost::multiprecision::isfinite(x); }

// Integer powers by repeated squaring: exact in Decimal, and faster than pow in both types.
template <Numeric T>
T powi(T base, long long exponent) {
  if (exponent < 0) return T(1) / powi(base, -exponent);
  T result(1);
  while (exponent > 0) {
    if (exponent & 1) result *= base;
    base *= base;
    exponent >>= 1;
  }
  return result;
}

}  // namespace leasecalc::num
