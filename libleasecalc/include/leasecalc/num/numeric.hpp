#pragma once
// One numeric policy, two instantiations: the financial code is written once as templates over
// `Num`, instantiated for `double` (fast, for sweeps) and `Decimal` (exact, for booked money).

#include <boost/multiprecision/cpp_dec_float.hpp>

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
inline double to_double(const Decimal& value) { return value.convert_to<double>(); }

// ---- elementary functions with one spelling for both types -----------------------------------

inline double abs(double x) { return std::fabs(x); }
inline double pow(double x, double y) { return std::pow(x, y); }
inline double exp(double x) { return std::exp(x); }
inline double log(double x) { return std::log(x); }
inline double floor(double x) { return std::floor(x); }
inline double ceil(double x) { return std::ceil(x); }
inline double sqrt(double x) { return std::sqrt(x); }
inline bool isfinite(double x) { return std::isfinite(x); }

inline Decimal abs(const Decimal& x) { return boost::multiprecision::abs(x); }
inline Decimal pow(const Decimal& x, const Decimal& y) { return boost::multiprecision::pow(x, y); }
inline Decimal exp(const Decimal& x) { return boost::multiprecision::exp(x); }
inline Decimal log(const Decimal& x) { return boost::multiprecision::log(x); }
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
