#pragma once
// Time value of money with spreadsheet semantics (Excel / LibreOffice Calc argument order and
// signs): money paid out is negative, money received positive; `type` 0 = payments at the end of
// each period (arrears), 1 = at the start (advance). Written once over `Num`: exact in Decimal,
// fast in double. Bad arguments throw std::invalid_argument naming the argument.

#include "leasecalc/fin/irr.hpp"
#include "leasecalc/num/numeric.hpp"

#include <cmath>
#include <algorithm>
#include <concepts>
#include <limits>
#include <numbers>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace leasecalc::fin {

// Thrown when every argument is valid but no value answers them (NPER of payments that never
// repay the loan): a spreadsheet's #NUM!, as distinct from bad input (std::invalid_argument).
class NoSolution : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

namespace tvm_detail {

inline void require(bool accepted, const std::string& message) {
  if (!accepted) throw std::invalid_argument(message);
}

// One rule for every function that compounds or discounts at a rate: the rate is above -100%.
// At -100% money vanishes in one period (discounting divides by zero) and below it changes sign
// every period, so no loan, annuity or NPV has a meaning there.
template <num::Numeric Num>
void require_rate_above_minus_one(const Num& rate, const char* function) {
  require(rate > Num(-1), std::string(function) + ": rate must be above -1 (-100%)");
}

template <num::Numeric Num>
void require_type(const Num& type, const char* function) {
  require(type == Num(0) || type == Num(1),
          std::string(function) + ": type must be 0 (end of period) or 1 (start of period)");
}

// (1 + rate)^periods: by repeated squaring when `periods` is whole (exact in Decimal).
template <num::Numeric Num>
Num growth(const Num& rate, const Num& periods) {
  const Num whole = num::floor(periods);
  if (whole == periods && num::abs(periods) <= Num(1000000))
    return num::powi(Num(1) + rate, static_cast<long long>(num::to_double(whole)));
  return num::pow(Num(1) + rate, periods);
}

// (1 + rate)^periods - 1. In double, subtracting 1 from the power loses the digits small rates
// live in (at 1e-9 a period, PMT would be wrong in its fifth digit), so it is expm1(n log1p(rate)).
template <num::Numeric Num>
Num growth_minus_one(const Num& rate, const Num& periods) {
  if constexpr (std::same_as<Num, double>) {
    if (rate > -1) return std::expm1(periods * std::log1p(rate));
  }
  return growth(rate, periods) - Num(1);
}

// (1 + rate)^-periods and 1 minus it, for present values: the same care as above, and finite
// as periods grow without bound (the PV of a perpetuity).
template <num::Numeric Num>
struct Discounting {
  Num factor;      // (1 + rate)^-periods
  Num complement;  // 1 - factor
};

template <num::Numeric Num>
Discounting<Num> discounting(const Num& rate, const Num& periods, const char* function) {
  if constexpr (std::same_as<Num, double>) {
    if (rate > -1) {
      const double exponent = -periods * std::log1p(rate);
      return {std::exp(exponent), -std::expm1(exponent)};
    }
  }
  const Num g = growth(rate, periods);
  require(g != Num(0), std::string(function) + ": rate must be above -1 (-100%)");
  const Num factor = Num(1) / g;
  return {factor, Num(1) - factor};
}

// sum_i c_i (1 + rate)^(n-1-i), c_i the flows of one sign (`sign` +1: the positive ones, -1: the
// magnitudes of the negative ones), as mantissa x 2^exponent (mantissa 0 when there are none).
// Horner's rule with the running sum renormalised every step, so that no length and no rate above
// -100% overflows or underflows it, and its rounding is that of plain Horner.
struct ScaledSum {
  double mantissa = 0;  // in [0.5, 1), or 0
  long long exponent = 0;
};

inline ScaledSum compounded(std::span<const double> values, int sign, double rate) {
  const double growth = 1.0 + rate;
  ScaledSum sum;
  // Shifts are clamped where the result is 0 (or the flow's own scale) anyway.
  const auto shift = [](long long by) { return static_cast<int>(std::clamp(by, -4000LL, 4000LL)); };
  for (const double value : values) {
    const double flow = sign > 0 ? (value > 0 ? value : 0.0) : (value < 0 ? -value : 0.0);
    sum.mantissa *= growth;
    if (flow != 0) {
      const long long flow_exponent = std::ilogb(flow);
      if (sum.mantissa == 0 || flow_exponent > sum.exponent + 512) {  // re-base on the flow's scale
        sum.mantissa = std::ldexp(sum.mantissa, shift(sum.exponent - flow_exponent));
        sum.exponent = flow_exponent;
      }
      sum.mantissa += std::ldexp(flow, shift(-sum.exponent));
    }
    if (sum.mantissa != 0) {
      int binary_exponent = 0;
      sum.mantissa = std::frexp(sum.mantissa, &binary_exponent);
      sum.exponent += binary_exponent;
    }
  }
  return sum;
}

}  // namespace tvm_detail

// NPV(rate, v1..vn) = sum v_i / (1+rate)^i, i from 1: the first value is discounted one period.
template <num::Numeric Num>
Num npv(const Num& rate, std::span<const Num> values) {
  tvm_detail::require_rate_above_minus_one(rate, "NPV");
  const Num factor = Num(1) + rate;
  Num value(0);
  if constexpr (std::is_floating_point_v<Num>) {
    // One multiply a flow, not a divide (4 cycles against 13 on the chain); the discount factor's
    // rounding adds at most n ulps, far inside 1e-9.
    const Num discount = Num(1) / factor;
    for (std::size_t i = values.size(); i-- > 0;) value = (value + values[i]) * discount;  // Horner
  } else {
    for (std::size_t i = values.size(); i-- > 0;) value = (value + values[i]) / factor;  // Horner
  }
  return value;
}

// XNPV(rate, values, dates) = sum v_i / (1+rate)^((d_i - d_1)/365), d_1 the first date given.
template <num::Numeric Num>
Num xnpv(const Num& rate, std::span<const Num> values, std::span<const int> dates) {
  tvm_detail::require_rate_above_minus_one(rate, "XNPV");
  tvm_detail::require(values.size() == dates.size(), "XNPV: needs one date per value");
  tvm_detail::require(!values.empty(), "XNPV: needs at least one value");
  Num value(0);
  for (std::size_t i = 0; i < values.size(); ++i) {
    tvm_detail::require(dates[i] >= dates[0],
                        "XNPV: date " + std::to_string(i + 1) + " precedes the first date");
    const Num years = Num(dates[i] - dates[0]) / Num(365);
    value += values[i] / tvm_detail::growth(rate, years);
  }
  return value;
}

// The three closed forms below are written in g - 1 = (1 + rate)^nper - 1 or 1 - 1 / g alone, so
// that no difference of nearly equal numbers is formed: in double they hold 15 digits at any rate.

// FV(rate, nper, pmt, pv=0, type=0) = -(pv g + pmt (1 + rate type) (g - 1) / rate): value after
// nper periods of pv and the payments.
template <num::Numeric Num>
Num fv(const Num& rate, const Num& nper, const Num& pmt, const Num& pv = Num(0), const Num& type = Num(0)) {
  tvm_detail::require_type(type, "FV");
  tvm_detail::require_rate_above_minus_one(rate, "FV");
  if (rate == Num(0)) return -(pv + pmt * nper);
  const Num g_minus_one = tvm_detail::growth_minus_one(rate, nper);
  return -(pv + g_minus_one * (pv + pmt * (Num(1) + rate * type) / rate));
}

// PV(rate, nper, pmt, fv=0, type=0) = -(fv + pmt (1 + rate type) (g - 1) / rate) / g: value now
// of the payments and fv, computed as -(fv / g + pmt (1 + rate type) (1 - 1 / g) / rate).
template <num::Numeric Num>
Num pv(const Num& rate, const Num& nper, const Num& pmt, const Num& fv = Num(0), const Num& type = Num(0)) {
  tvm_detail::require_type(type, "PV");
  tvm_detail::require_rate_above_minus_one(rate, "PV");
  if (rate == Num(0)) return -(fv + pmt * nper);
  const auto discount = tvm_detail::discounting(rate, nper, "PV");
  return -(fv * discount.factor + pmt * (Num(1) + rate * type) * discount.complement / rate);
}

namespace tvm_detail {

// The level payment, checked and named as `function` (PMT, or PPMT when it is a part of one).
template <num::Numeric Num>
Num level_payment(const Num& rate, const Num& nper, const Num& pv, const Num& fv, const Num& type,
                  const char* function) {
  require_type(type, function);
  require_rate_above_minus_one(rate, function);
  require(nper != Num(0), std::string(function) + ": nper must not be 0");
  if (rate == Num(0)) return -(pv + fv) / nper;
  const Num g_minus_one = growth_minus_one(rate, nper);
  require(g_minus_one != Num(0), std::string(function) + ": rate and nper give no growth; payment undefined");
  return -rate / (Num(1) + rate * type) * (pv + (pv + fv) / g_minus_one);
}

// The interest part of payment `per`, checked and named as `function` (IPMT or PPMT).
template <num::Numeric Num>
Num interest_part(const Num& rate, const Num& per, const Num& nper, const Num& pv, const Num& fv,
                  const Num& type, const char* function) {
  require(per >= Num(1) && per <= nper, std::string(function) + ": per must be between 1 and nper");
  const Num payment = level_payment(rate, nper, pv, fv, type, function);
  if (per == Num(1)) return type == Num(1) ? Num(0) : -pv * rate;
  if (type == Num(1)) return (fin::fv(rate, per - Num(2), payment, pv, Num(1)) - payment) * rate;
  return fin::fv(rate, per - Num(1), payment, pv, Num(0)) * rate;
}

}  // namespace tvm_detail

// PMT(rate, nper, pv, fv=0, type=0) = -(pv g + fv) rate / ((1 + rate type) (g - 1)): the level
// payment that takes pv to fv over nper periods.
template <num::Numeric Num>
Num pmt(const Num& rate, const Num& nper, const Num& pv, const Num& fv = Num(0), const Num& type = Num(0)) {
  return tvm_detail::level_payment(rate, nper, pv, fv, type, "PMT");
}

// IPMT(rate, per, nper, pv, fv=0, type=0): interest part of payment `per` (1 <= per <= nper).
// With type 1 the first payment is made before any interest accrues, so its interest is 0.
template <num::Numeric Num>
Num ipmt(const Num& rate, const Num& per, const Num& nper, const Num& pv, const Num& fv = Num(0),
         const Num& type = Num(0)) {
  return tvm_detail::interest_part(rate, per, nper, pv, fv, type, "IPMT");
}

// PPMT(rate, per, nper, pv, fv=0, type=0) = PMT - IPMT: principal part of payment `per`.
template <num::Numeric Num>
Num ppmt(const Num& rate, const Num& per, const Num& nper, const Num& pv, const Num& fv = Num(0),
         const Num& type = Num(0)) {
  return tvm_detail::level_payment(rate, nper, pv, fv, type, "PPMT") -
         tvm_detail::interest_part(rate, per, nper, pv, fv, type, "PPMT");
}

// NPER(rate, pmt, pv, fv=0, type=0): number of periods for the payments to take pv to fv.
template <num::Numeric Num>
Num nper(const Num& rate, const Num& pmt, const Num& pv, const Num& fv = Num(0), const Num& type = Num(0)) {
  tvm_detail::require_type(type, "NPER");
  tvm_detail::require_rate_above_minus_one(rate, "NPER");
  if (rate == Num(0)) {
    tvm_detail::require(pmt != Num(0), "NPER: pmt must not be 0 when rate is 0");
    return -(pv + fv) / pmt;
  }
  const Num annuity = pmt * (Num(1) + rate * type);
  // The balance moves towards fv only if the payment is not exactly the interest (denominator 0:
  // the balance never moves) and log's argument is positive.
  const Num denominator = annuity + pv * rate;
  if (denominator == Num(0) || !((annuity - fv * rate) / denominator > Num(0)))
    throw NoSolution("NPER: the payments never take pv to fv at this rate");
  // log(ratio) as log1p(ratio - 1), the difference formed without cancellation.
  return num::log1p(-rate * (pv + fv) / (annuity + pv * rate)) / num::log1p(rate);
}

// RATE(nper, pmt, pv, fv=0, type=0, guess=0.1): the rate per period of an annuity; a solver, so
// in double. nper must be a whole number of periods: the annuity is then the cash flows
// pv (+pmt if type 1), pmt, ..., pmt (+fv), whose IRR this is, with IRR's typed outcomes.
inline IrrResult rate(double nper, double pmt, double pv, double fv = 0, double type = 0, double guess = 0.1) {
  tvm_detail::require_type(type, "RATE");
  tvm_detail::require(nper >= 1 && nper == std::floor(nper) && nper <= 1e7,
                      "RATE: nper must be a whole number of periods from 1 to 10,000,000");
  // Payment k at time k (type 0) or k - 1 (type 1).
  return annuity_irr(static_cast<std::size_t>(nper), type == 1 ? pv + pmt : pv, pmt, type == 1 ? fv : pmt + fv, guess);
}

// MIRR(values, finance_rate, reinvest_rate): negative flows financed at finance_rate, positive
// flows reinvested at reinvest_rate, the first value at the end of period 1.
template <num::Numeric Num>
Num mirr(std::span<const Num> values, const Num& finance_rate, const Num& reinvest_rate) {
  tvm_detail::require_rate_above_minus_one(finance_rate, "MIRR");
  tvm_detail::require_rate_above_minus_one(reinvest_rate, "MIRR");
  const std::size_t n = values.size();
  tvm_detail::require(n >= 2, "MIRR: needs at least two values");
  if constexpr (std::same_as<Num, double>) {
    // In double the compounded sums overflow long before the rate does (7,000 flows at 12%:
    // 1.12^7000 = e^793), so MIRR is formed from their logarithms.
    // log(FV of the positives / PV of the negatives), PV = (1 + finance)^-(n-1) x the compounded
    // sum; the binary exponents are subtracted as integers so that no large logarithm cancels.
    const tvm_detail::ScaledSum future = tvm_detail::compounded(values, +1, reinvest_rate);
    const tvm_detail::ScaledSum financed = tvm_detail::compounded(values, -1, finance_rate);
    tvm_detail::require(future.mantissa != 0 && financed.mantissa != 0,
                        "MIRR: needs at least one positive and one negative value");
    const double periods = static_cast<double>(n - 1);
    const double log_ratio = std::log(future.mantissa / financed.mantissa) +
                             static_cast<double>(future.exponent - financed.exponent) * std::numbers::ln2 +
                             periods * std::log1p(finance_rate);
    return std::expm1(log_ratio / periods);
  }
  std::vector<Num> positives(n, Num(0)), negatives(n, Num(0));
  for (std::size_t i = 0; i < n; ++i) (values[i] > Num(0) ? positives : negatives)[i] = values[i];
  const Num npv_positive = npv(reinvest_rate, std::span<const Num>(positives));
  const Num npv_negative = npv(finance_rate, std::span<const Num>(negatives));
  tvm_detail::require(npv_positive != Num(0) && npv_negative != Num(0),
                      "MIRR: needs at least one positive and one negative value");
  const Num periods(static_cast<long long>(n));
  const Num ratio = -npv_positive * tvm_detail::growth(reinvest_rate, periods) /
                    (npv_negative * (Num(1) + finance_rate));
  return num::pow(ratio, Num(1) / (periods - Num(1))) - Num(1);
}

// ---- payback ---------------------------------------------------------------------------------

enum class PaybackStatus { pays_back, never_pays_back };

template <num::Numeric Num>
struct PaybackResult {
  PaybackStatus status = PaybackStatus::never_pays_back;
  Num period = Num(0);  // fractional periods from flow 0; meaningful only when pays_back
  std::string message;
  bool pays_back() const { return status == PaybackStatus::pays_back; }
};

// Payback: flow i at time i (flow 0 is the outlay now). The period at which cumulative cash turns
// non-negative and stays so, interpolated linearly within the period in which it crosses zero.
template <num::Numeric Num>
PaybackResult<Num> payback(std::span<const Num> values) {
  PaybackResult<Num> result;
  Num cumulative(0);
  std::vector<Num> cumulatives;
  cumulatives.reserve(values.size());
  for (const Num& v : values) cumulatives.push_back(cumulative += v);
  if (values.empty() || cumulatives.back() < Num(0)) {
    result.message = "never pays back: cumulative cash is still negative after the last period";
    return result;
  }
  result.status = PaybackStatus::pays_back;
  std::size_t last_negative = values.size();
  for (std::size_t i = values.size(); i-- > 0;)
    if (cumulatives[i] < Num(0)) {
      last_negative = i;
      break;
    }
  if (last_negative == values.size()) return result;  // never negative: paid back at once
  // cumulatives[k] < 0 <= cumulatives[k+1], so values[k+1] > 0.
  const std::size_t k = last_negative;
  result.period = Num(static_cast<long long>(k)) - cumulatives[k] / values[k + 1];
  return result;
}

// Discounted payback: the same on flows discounted at `rate` per period (flow 0 undiscounted).
template <num::Numeric Num>
PaybackResult<Num> discounted_payback(const Num& rate, std::span<const Num> values) {
  tvm_detail::require_rate_above_minus_one(rate, "discounted payback");
  std::vector<Num> discounted;
  discounted.reserve(values.size());
  Num factor(1);
  for (const Num& v : values) {
    discounted.push_back(v / factor);
    factor *= Num(1) + rate;
  }
  auto result = payback(std::span<const Num>(discounted));
  if (!result.pays_back())
    result.message = "never pays back: cumulative discounted cash is still negative after the last period";
  return result;
}

}  // namespace leasecalc::fin
