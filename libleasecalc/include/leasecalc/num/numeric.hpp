#pragma once
// One numeric policy, two instantiations: the financial code is written once as templates over
// `Num`, instantiated for `double` (fast, for sweeps) and `Decimal` (exact, for booked money).

#include <boost/core/nvp.hpp>
#include <boost/multiprecision/cpp_dec_float.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>

namespace leasecalc::num {

// A decimal (radix-10) float with 34 significant digits: 0.1 and every cent amount are exact,
// so ledgers reconcile to the cent. Expression templates are off so that generic code can use
// `auto` and std algorithms without dangling proxies.
using Decimal = boost::multiprecision::number<boost::multiprecision::cpp_dec_float<34>,
                                              boost::multiprecision::et_off>;

template <class T>
concept Numeric = std::same_as<T, double> || std::same_as<T, Decimal>;

// ---- conversions -----------------------------------------------------------------------------

namespace detail {

// A Decimal's digits as Boost keeps them: limbs of 8 decimal digits, the first holding the 1 to 8
// leading ones, the value being the sum of limb[i] x 10^(exponent - 8 i). Read through the type's
// serialisation, its one public view of them.
struct DecimalLimbs {
  static constexpr int most = 16;
  std::uint32_t limb[most] = {};
  int limbs = 0;
  long long exponent = 0;
  bool negative = false;

  template <class T>
  DecimalLimbs& operator&(const boost::serialization::nvp<T>& field) {
    if constexpr (std::is_same_v<T, std::uint32_t>) {  // the limbs, in order
      if (limbs < most) limb[limbs] = field.value();
      ++limbs;
    } else if constexpr (std::is_same_v<T, bool>) {  // the sign
      negative = field.value();
    } else if constexpr (std::is_integral_v<T>) {  // the exponent, then the precision
      if (!exponent_read) exponent = field.value();
      exponent_read = true;
    }
    return *this;
  }
  bool exponent_read = false;
};

// Sets a Decimal's limbs, sign and exponent (through its serialisation), leaving its class and
// precision as they are.
struct DecimalLimbsWriter {
  const DecimalLimbs& from;
  int limb = 0;
  bool exponent_written = false;

  template <class T>
  DecimalLimbsWriter& operator&(const boost::serialization::nvp<T>& field) {
    if constexpr (std::is_same_v<T, std::uint32_t>) {
      field.value() = limb < from.limbs ? from.limb[limb] : 0;
      ++limb;
    } else if constexpr (std::is_same_v<T, bool>) {
      field.value() = from.negative;
    } else if constexpr (std::is_integral_v<T>) {
      if (!exponent_written) field.value() = static_cast<T>(from.exponent);
      exponent_written = true;
    }
    return *this;
  }
};

// The decimal a double's shortest text stands for ("-0.0125", "2.6e+22"), built as Boost builds
// it from that text: limbs of 8 digits, the exponent a multiple of 8 and the first limb from 1 to
// 10^8 - 1. Boost's own parse of the text costs microseconds. Text of another shape, or zero,
// takes Boost's parse.
inline Decimal decimal_from_shortest_text(const char* first, const char* last) {
  const auto parsed_by_boost = [&] { return Decimal(std::string(first, last)); };
  const char* p = first;
  const bool negative = p != last && *p == '-';
  if (negative) ++p;
  unsigned long long digits = 0;
  int count = 0;             // significant digits in `digits`
  long long exponent = 0;    // value = digits x 10^exponent
  bool point = false;
  for (; p != last && *p != 'e'; ++p) {
    if (*p == '.') {
      if (point) return parsed_by_boost();
      point = true;
      continue;
    }
    if (*p < '0' || *p > '9') return parsed_by_boost();
    if (point) --exponent;
    if (count == 0 && *p == '0') continue;
    if (++count > 17) return parsed_by_boost();
    digits = digits * 10 + static_cast<unsigned>(*p - '0');
  }
  if (p != last) {
    long long written = 0;
    const char* e = p + 1;
    if (e != last && *e == '+') ++e;
    const auto [end, ec] = std::from_chars(e, last, written);
    if (ec != std::errc{} || end != last || written > 400 || written < -400) return parsed_by_boost();
    exponent += written;
  }
  if (digits == 0) return parsed_by_boost();
  constexpr unsigned long long power_of_ten[] = {1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL,
                                                 10000000ULL, 100000000ULL, 1000000000ULL, 10000000000ULL,
                                                 100000000000ULL, 1000000000000ULL, 10000000000000ULL,
                                                 100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
                                                 100000000000000000ULL};
  // The first digit's power of ten, and the limb exponent at or below it.
  const long long leading = exponent + count - 1;
  const long long limb_exponent = leading >= 0 ? leading / 8 * 8 : -((-leading + 7) / 8 * 8);
  DecimalLimbs limbs;
  limbs.limbs = DecimalLimbs::most;  // those past the digits are zero
  limbs.negative = negative;
  limbs.exponent = limb_exponent;
  const long long up = exponent - limb_exponent;  // value / 10^limb_exponent = digits x 10^up, in [1, 10^8)
  if (up >= 0) {
    limbs.limb[0] = static_cast<std::uint32_t>(digits * power_of_ten[up]);
  } else {
    const long long fraction = -up;                 // digits after the first limb's, at most 16
    const long long padded = (fraction + 7) / 8 * 8;  // to whole limbs
    limbs.limb[0] = static_cast<std::uint32_t>(digits / power_of_ten[fraction]);
    const unsigned long long rest = digits % power_of_ten[fraction] * power_of_ten[padded - fraction];
    for (long long i = padded / 8; i >= 1; --i)
      limbs.limb[i] = static_cast<std::uint32_t>(rest / power_of_ten[8 * (padded / 8 - i)] % power_of_ten[8]);
  }
  Decimal value;
  DecimalLimbsWriter writer{limbs};
  value.backend().serialize(writer, 0u);
  return value;
}

}  // namespace detail


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
    return detail::decimal_from_shortest_text(buffer, end);
  }
}

inline double to_double(double value) { return value; }

namespace detail {

constexpr double exact_powers_of_ten[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                          1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

// `Zeros` trailing zeros off `digits` while they are there and the power allows; the divisor a
// constant, so that the division is a multiplication (a hardware division was most of the cost).
template <int Zeros, long long Divisor>
void strip_trailing_zeros(long long& digits, int& power) {
  while (power >= Zeros && digits % Divisor == 0) {
    digits /= Divisor;
    power -= Zeros;
  }
}

// A decimal's first 17 significant digits as an integer (`digits`, signed) over 10^shift, its
// trailing zeros taken off first: a value of up to 15 significant digits (every cent amount below
// 10^13) is then an integer below 2^53, exact in double, and the quotient is correctly rounded.
inline double seventeen_digits_to_double(long long digits, int shift) {
  // Trailing zeros come off while the power allows, eight, four, two and then one at a time (a
  // division by 10 at a time was a long chain: model inputs carry a dozen such zeros).
  int power = shift;
  strip_trailing_zeros<8, 100000000LL>(digits, power);
  strip_trailing_zeros<4, 10000LL>(digits, power);
  strip_trailing_zeros<2, 100LL>(digits, power);
  strip_trailing_zeros<1, 10LL>(digits, power);
  return static_cast<double>(digits) / exact_powers_of_ten[power];
}

// Boost's own conversion (convert_to<double>) writes the value to 19 significant digits (to
// nearest, an exact tie to even, every digit after the 20th counted) and reads that text back as
// the nearest double, through string streams that cost microseconds. The same two roundings on
// the digits: the first 19 as an integer, the 20th, whether any after it is not zero, and the
// power of ten of the 19th.
inline double boost_rounded_to_double(unsigned long long leading, unsigned next, bool beyond, long long exponent,
                                      bool negative) {
  if (next > 5 || (next == 5 && (beyond || leading % 2 == 1))) ++leading;  // at most 10^19
  char text[48];
  char* end = std::to_chars(text, text + 24, leading).ptr;
  *end++ = 'e';
  end = std::to_chars(end, text + sizeof text, exponent).ptr;
  double magnitude = 0;
  std::from_chars(text, end, magnitude);  // correctly rounded, as the stream's strtod
  return negative ? -magnitude : magnitude;
}

// The value x 10^shift by single-limb multiplications: the first 17 digits when the rest are
// zero, else Boost's own conversion.
inline double scaled_to_double(const Decimal& value, int shift) {
  constexpr unsigned long long limb_powers_of_ten[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000};
  Decimal scaled = value;
  for (int left = shift; left > 0; left -= 7) scaled.backend().mul_unsigned_long_long(limb_powers_of_ten[std::min(left, 7)]);
  if (!scaled.backend().isint()) return value.convert_to<double>();
  return seventeen_digits_to_double(scaled.backend().extract_signed_long_long(), shift);
}

}  // namespace detail

// Boost converts a Decimal to double through a string stream, which costs microseconds; the fast
// (double) mode converts every model input and every drawn product, so this reads the digits
// themselves. A value of up to 17 significant digits is read as an exact integer divided by an
// exact power of ten: one correctly rounded operation for decimals of up to 15 significant digits
// (model inputs, cent amounts below 10^13), within an ulp otherwise. A longer one (a drawn or
// scaled product, a quotient) gets Boost's own result, by its own roundings.
inline double to_double(const Decimal& value) {
  if (value.is_zero()) return 0.0;  // nil inputs are common (no escalator, no failures): no digits to read
  if (!boost::multiprecision::isfinite(value)) return value.convert_to<double>();
  detail::DecimalLimbs parts;
  Decimal(value).backend().serialize(parts, 0u);
  const std::uint32_t* limb = parts.limb;
  if (parts.limbs > detail::DecimalLimbs::most || parts.limbs < 5) return value.convert_to<double>();
  // Up to eight significant digits (most model inputs: 0.13, 2600000, 62663) fill the first limb
  // alone: the value is that limb times a power of ten, both exact in double, so one operation
  // gives the correctly rounded result without the digits being counted and the zeros stripped.
  bool first_limb_only = true;
  for (int i = 1; i < parts.limbs; ++i) first_limb_only = first_limb_only && limb[i] == 0;
  if (first_limb_only && parts.exponent >= -22 && parts.exponent <= 22) {
    const double first = static_cast<double>(limb[0]);
    const double magnitude = parts.exponent >= 0 ? first * detail::exact_powers_of_ten[parts.exponent]
                                                 : first / detail::exact_powers_of_ten[-parts.exponent];
    return parts.negative ? -magnitude : magnitude;
  }
  constexpr unsigned long long power_of_ten[] = {1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL,
                                                 10000000ULL, 100000000ULL, 1000000000ULL, 10000000000ULL,
                                                 100000000000ULL, 1000000000000ULL, 10000000000000ULL,
                                                 100000000000000ULL, 1000000000000000ULL};
  int first = 1;  // the first limb's digits, 1 to 8
  while (first < 8 && limb[0] >= power_of_ten[first]) ++first;
  const long long exponent = parts.exponent + first - 1;  // of the first digit
  const long long shift = 16 - exponent;                  // value x 10^shift has 17 digits before the point
  if (shift < 0 || shift > 22) return value.convert_to<double>();
  // The first four limbs, 25 to 32 digits, as high (first + 8 digits) and low (16) halves.
  const unsigned long long high = limb[0] * power_of_ten[8] + limb[1], low = limb[2] * power_of_ten[8] + limb[3];
  bool in_middle_limbs = false;
  for (int i = 4; i + 1 < parts.limbs; ++i) in_middle_limbs = in_middle_limbs || limb[i] != 0;
  const bool in_last_limb = limb[parts.limbs - 1] != 0;
  // A digit after the 17th: Boost's conversion. One only in the last limb goes the way it always
  // has, by the scaling (which can drop that limb).
  if (low % power_of_ten[7 + first] != 0 || in_middle_limbs) {
    const unsigned long long leading = high * power_of_ten[11 - first] + low / power_of_ten[5 + first];
    const auto next = static_cast<unsigned>(low / power_of_ten[4 + first] % 10);
    const bool beyond = low % power_of_ten[4 + first] != 0 || in_middle_limbs || in_last_limb;
    return detail::boost_rounded_to_double(leading, next, beyond, exponent - 18, parts.negative);
  }
  if (in_last_limb) return detail::scaled_to_double(value, static_cast<int>(shift));
  const auto leading = static_cast<long long>(high * power_of_ten[9 - first] + low / power_of_ten[7 + first]);
  return detail::seventeen_digits_to_double(parts.negative ? -leading : leading, static_cast<int>(shift));
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

// `value` x 10^exponent, exact while its digits fit: "7.5%" is 7.5 x 10^-2. A negative power is
// divided out by whole numbers below 10^8, each one pass over the digits (a Decimal divisor costs
// a Newton iteration for its inverse).
inline Decimal times_power_of_ten(Decimal value, int exponent) {
  if (exponent >= 0) return value * powi(Decimal(10), exponent);
  constexpr unsigned long long divisors[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000};
  for (int left = -exponent; left > 0; left -= 7) value /= divisors[std::min(left, 7)];
  return value;
}

}  // namespace leasecalc::num
