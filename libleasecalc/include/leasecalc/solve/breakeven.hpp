#pragma once
// Break-even and bid prices: loops around project() that scale one input until a net present
// value is zero. They own no finance logic: the projection and the metrics do all of it.

#include "leasecalc/deal/deal.hpp"
#include "leasecalc/engine/metrics.hpp"
#include "leasecalc/engine/project.hpp"

#include <boost/math/tools/roots.hpp>

#include <cmath>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace leasecalc::solve {

// Every contract's price of `deal` set to that of `original` (the same contracts at other prices,
// or `deal` itself) times `factor`, on-demand price curves included: a solve's trials reprice one
// copy of the deal.
inline void price_at_factor(deal::Deal& deal, const deal::Deal& original, const deal::Decimal& factor) {
  for (std::size_t i = 0; i < deal.contracts.size(); ++i) {
    if (auto* take_or_pay = std::get_if<deal::TakeOrPay>(&deal.contracts[i])) {
      take_or_pay->price.amount = std::get<deal::TakeOrPay>(original.contracts[i]).price.amount * factor;
    } else {
      auto& points = std::get<deal::OnDemand>(deal.contracts[i]).price.points;
      const auto& original_points = std::get<deal::OnDemand>(original.contracts[i]).price.points;
      for (std::size_t k = 0; k < points.size(); ++k) points[k].value = original_points[k].value * factor;
    }
  }
}

// Every contract's billed volume (servers) of `deal` set to that of `original` times `factor`.
inline void volume_at_factor(deal::Deal& deal, const deal::Deal& original, const deal::Decimal& factor) {
  for (std::size_t i = 0; i < deal.contracts.size(); ++i)
    std::visit([&](auto& c) { c.servers = std::get<std::decay_t<decltype(c)>>(original.contracts[i]).servers * factor; },
               deal.contracts[i]);
}

// The deal with every contract's price multiplied by `factor` (on-demand price curves included).
inline deal::Deal with_price_factor(deal::Deal deal, const deal::Decimal& factor) {
  price_at_factor(deal, deal, factor);
  return deal;
}

// The deal with every contract's billed volume (servers) multiplied by `factor`.
inline deal::Deal with_volume_factor(deal::Deal deal, const deal::Decimal& factor) {
  volume_at_factor(deal, deal, factor);
  return deal;
}

// Whose cash flows must have a zero NPV.
enum class ReturnBasis { project_post_tax, project_pre_tax, equity };

// How a basis is named: `key` for programs (JSON, CSV), `name` for readers.
struct ReturnBasisNames {
  std::string_view key, name;
};

inline ReturnBasisNames names_of(ReturnBasis basis) {
  switch (basis) {
    case ReturnBasis::project_pre_tax: return {"project_pre_tax", "pre-tax project IRR"};
    case ReturnBasis::equity: return {"equity", "equity IRR"};
    case ReturnBasis::project_post_tax: break;
  }
  return {"project_post_tax", "post-tax project IRR"};
}

// The return a price must earn: an IRR of `annual_rate` on the `basis` flows, that is a zero NPV
// of those flows at that rate. The break-even price is the target at the deal's discount rate.
struct ReturnTarget {
  double annual_rate = 0;
  ReturnBasis basis = ReturnBasis::project_post_tax;
};

// Net present value at an annual rate, in the fast (double) mode, of the flows whose IRR the
// metrics report on that basis (engine/metrics.hpp).
inline double npv(const engine::Ledger<double>& ledger, ReturnBasis basis, double annual_rate) {
  std::vector<double> flows(static_cast<std::size_t>(ledger.months()));
  for (int m = 0; m < ledger.months(); ++m) {
    flows[static_cast<std::size_t>(m)] =
        basis == ReturnBasis::equity             ? engine::equity_cash_flow(ledger, m)
        : basis == ReturnBasis::project_pre_tax ? engine::free_cash_flow_pre_tax(ledger, m)
                                                 : engine::free_cash_flow_to_firm(ledger, m);
  }
  return engine::npv_at_annual_rate(flows, annual_rate);
}

inline double npv(const deal::Deal& deal, ReturnBasis basis, double annual_rate,
                  const engine::Prebooked<double>* prebooked = nullptr) {
  return npv(engine::project<double>(deal, prebooked), basis, annual_rate);
}

struct Solution {
  std::optional<double> factor;  // the multiplier on the scaled input that zeroes the NPV
  std::string note;              // why there is none, when there is none
};

// The smallest factor in (0, 10^6] at which npv(factor) turns from negative to zero, by TOMS 748
// on a bracket found by doubling. NPV rises with the factor for prices and volumes.
inline Solution solve_factor(const std::function<double(double)>& npv_at) {
  const double at_zero = npv_at(0.0);
  if (at_zero >= 0) return {0.0, "the NPV is not negative even at zero"};
  double low = 0.0, high = 1.0;
  double at_high = npv_at(high);
  while (at_high < 0) {
    low = high;
    high *= 2;
    if (high > 1e6) return {std::nullopt, "no factor up to 10^6 brings the NPV to zero"};
    at_high = npv_at(high);
  }
  std::uintmax_t iterations = 100;
  const auto tolerance = boost::math::tools::eps_tolerance<double>(45);
  const auto [a, b] =
      boost::math::tools::toms748_solve(npv_at, low, high, tolerance, iterations);
  return {0.5 * (a + b), ""};
}

// How closely a factor is solved. `tight`: TOMS 748 to 2^-44, the figures `run` prints. `fast`:
// within 1e-9 of the factor, far inside the 1e-6 the fast mode is held to (docs/metrics.md), in as
// few projections as the NPV's shape allows (solve_factor_fast below).
enum class SolvePrecision { tight, fast };

// The NPV is piecewise affine in a price or volume factor (only the tax floor, losses carried and
// such bend it), and the deal's own NPV at factor 1 is known: the secant method from factor 1 and
// `first_guess` (by default a fifth of the way toward the root) lands on the root once two of its
// points lie in the root's piece, usually in two to four projections. Each point is confirmed by
// its own projection: a factor whose NPV is within 1e-9 of the slope times the factor, that is
// within about 1e-9 of the root (cents booked make the NPV a fine staircase, so not exactly zero).
// Nothing when a step strays (a slope that is not positive, a factor outside (0, 10^6]) or seven
// points do not settle; the bracketed solve below then takes over.
inline std::optional<double> secant_factor(const std::function<double(double)>& npv_at, double npv_at_one,
                                           std::optional<double> first_guess = std::nullopt) {
  double previous = 1.0, at_previous = npv_at_one;
  double current = npv_at_one > 0 ? 0.8 : 1.2;  // break-even prices are a fifth or so off quoted ones
  if (first_guess && *first_guess > 0 && *first_guess <= 1e6 && *first_guess != 1.0) current = *first_guess;
  double at_current = npv_at(current);
  for (int point = 0; point < 7; ++point) {
    const double slope = (at_current - at_previous) / (current - previous);
    if (!(slope > 0) || !std::isfinite(slope)) return std::nullopt;  // NPV rises with the factor
    if (std::abs(at_current) <= 1e-9 * slope * current) return current;
    const double factor = current - at_current / slope;
    if (!(factor > 0 && factor <= 1e6)) return std::nullopt;
    // The next secant runs through the two points nearest the root: the newest and the better of
    // the two before it (a first guess far past the root is dropped as soon as it is the worse).
    if (std::abs(at_previous) < std::abs(at_current)) {
      current = previous;
      at_current = at_previous;
    }
    previous = current;
    at_previous = at_current;
    current = factor;
    at_current = npv_at(factor);
  }
  return std::nullopt;
}

// As solve_factor, by regula falsi (the Illinois variant) on the bracket from the NPV at factor 0
// and at 1 (doubled until positive); it stops when the NPV is within 1e-9 of its swing over the
// bracket or the bracket is 1e-10 of the factor wide. `npv_at_one`, when the caller has it (the
// deal as it is), saves a projection.
inline Solution regula_falsi_factor(const std::function<double(double)>& npv_at, std::optional<double> npv_at_one = std::nullopt) {
  const double at_zero = npv_at(0.0);
  if (at_zero >= 0) return {0.0, "the NPV is not negative even at zero"};
  double low = 0.0, high = 1.0, at_low = at_zero;
  double at_high = npv_at_one ? *npv_at_one : npv_at(high);
  while (at_high < 0) {
    low = high;
    at_low = at_high;
    high *= 2;
    if (high > 1e6) return {std::nullopt, "no factor up to 10^6 brings the NPV to zero"};
    at_high = npv_at(high);
  }
  const double close_enough = 1e-9 * (at_high - at_zero);
  if (at_high <= close_enough) return {high, ""};
  int last_side = 0;  // which end moved last: Illinois halves the other end's value when one end repeats
  for (int iteration = 0; iteration < 100; ++iteration) {
    const double factor = (low * at_high - high * at_low) / (at_high - at_low);
    if (!(factor > low && factor < high)) break;  // the bracket is as narrow as doubles go
    const double at_factor = npv_at(factor);
    if (std::abs(at_factor) <= close_enough) return {factor, ""};
    if (at_factor < 0) {
      low = factor;
      at_low = at_factor;
      if (last_side < 0) at_high *= 0.5;
      last_side = -1;
    } else {
      high = factor;
      at_high = at_factor;
      if (last_side > 0) at_low *= 0.5;
      last_side = 1;
    }
    if (high - low <= 1e-10 * high) break;
  }
  return {0.5 * (low + high), ""};
}

// The fast solve: the secant method from the deal's own NPV, or when it strays, regula falsi on a
// bracket (which also says when the NPV is not negative at zero or no factor up to 10^6 is enough).
inline Solution solve_factor_fast(const std::function<double(double)>& npv_at, std::optional<double> npv_at_one = std::nullopt,
                                  std::optional<double> first_guess = std::nullopt) {
  const double at_one = npv_at_one ? *npv_at_one : npv_at(1.0);
  if (const auto factor = secant_factor(npv_at, at_one, first_guess)) return {*factor, ""};
  return regula_falsi_factor(npv_at, at_one);
}

// `first_guess`: where the fast solve looks first (the tight one needs none).
inline Solution solve_factor(const std::function<double(double)>& npv_at, SolvePrecision precision,
                             std::optional<double> npv_at_one = std::nullopt, std::optional<double> first_guess = std::nullopt) {
  return precision == SolvePrecision::fast ? solve_factor_fast(npv_at, npv_at_one, first_guess) : solve_factor(npv_at);
}

// Lowest price multiplier with a zero NPV at `annual_rate`: the break-even price at the deal's
// discount rate, or the bid price that earns a target return (an IRR of `annual_rate`).
inline Solution price_factor_for_return(const deal::Deal& deal, double annual_rate,
                                        ReturnBasis basis = ReturnBasis::project_post_tax,
                                        SolvePrecision precision = SolvePrecision::tight,
                                        std::optional<double> npv_as_it_is = std::nullopt) {
  // The tight solve tries many prices: what no price moves is booked once for them all (the fast one
  // tries one or two, fewer than booking it once would pay for).
  const std::optional<engine::Prebooked<double>> prebooked =
      precision == SolvePrecision::tight ? std::optional(engine::prebook<double>(deal)) : std::nullopt;
  deal::Deal trial = deal;
  return solve_factor([&](double factor) {
    price_at_factor(trial, deal, num::from_double<deal::Decimal>(factor));
    return npv(trial, basis, annual_rate, prebooked ? &*prebooked : nullptr);
  }, precision, npv_as_it_is);
}

// Lowest volume multiplier with a zero NPV at `annual_rate`. `first_guess`, for the fast solve: the
// price multiplier, when known; billing fewer servers and charging less for each cut the same
// revenue, so it is the volume's too when no cost follows the volume billed.
inline Solution volume_factor_for_return(const deal::Deal& deal, double annual_rate,
                                         ReturnBasis basis = ReturnBasis::project_post_tax,
                                         SolvePrecision precision = SolvePrecision::tight,
                                         std::optional<double> npv_as_it_is = std::nullopt,
                                         std::optional<double> first_guess = std::nullopt) {
  deal::Deal trial = deal;
  return solve_factor([&](double factor) {
    volume_at_factor(trial, deal, num::from_double<deal::Decimal>(factor));
    return npv(trial, basis, annual_rate);
  }, precision, npv_as_it_is, first_guess);
}

// Billed units over units in service, over the months with servers in service.
template <num::Numeric Num>
double average_utilisation(const engine::Ledger<Num>& ledger) {
  double billed = 0, in_service = 0;
  for (int m = 0; m < ledger.months(); ++m) {
    billed += num::to_double(ledger(engine::Line::units_contracted, m));
    in_service += num::to_double(ledger(engine::Line::units_in_service, m));
  }
  return in_service > 0 ? billed / in_service : 0.0;
}

}  // namespace leasecalc::solve
