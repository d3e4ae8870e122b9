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

// The deal with every contract's price multiplied by `factor` (on-demand price curves included).
inline deal::Deal with_price_factor(deal::Deal deal, const deal::Decimal& factor) {
  for (auto& contract : deal.contracts) {
    if (auto* take_or_pay = std::get_if<deal::TakeOrPay>(&contract)) {
      take_or_pay->price.amount *= factor;
    } else {
      for (auto& point : std::get<deal::OnDemand>(contract).price.points) point.value *= factor;
    }
  }
  return deal;
}

// The deal with every contract's billed volume (servers) multiplied by `factor`.
inline deal::Deal with_volume_factor(deal::Deal deal, const deal::Decimal& factor) {
  for (auto& contract : deal.contracts)
    std::visit([&](auto& c) { c.servers *= factor; }, contract);
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
inline double npv(const deal::Deal& deal, ReturnBasis basis, double annual_rate) {
  const auto ledger = engine::project<double>(deal);
  std::vector<double> flows(static_cast<std::size_t>(ledger.months()));
  for (int m = 0; m < ledger.months(); ++m) {
    flows[static_cast<std::size_t>(m)] =
        basis == ReturnBasis::equity             ? engine::equity_cash_flow(ledger, m)
        : basis == ReturnBasis::project_pre_tax ? engine::free_cash_flow_pre_tax(ledger, m)
                                                 : engine::free_cash_flow_to_firm(ledger, m);
  }
  return engine::npv_at_annual_rate(flows, annual_rate);
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

// Lowest price multiplier with a zero NPV at `annual_rate`: the break-even price at the deal's
// discount rate, or the bid price that earns a target return (an IRR of `annual_rate`).
inline Solution price_factor_for_return(const deal::Deal& deal, double annual_rate,
                                        ReturnBasis basis = ReturnBasis::project_post_tax) {
  return solve_factor([&](double factor) {
    return npv(with_price_factor(deal, num::from_double<deal::Decimal>(factor)), basis, annual_rate);
  });
}

// Lowest volume multiplier with a zero NPV at `annual_rate`.
inline Solution volume_factor_for_return(const deal::Deal& deal, double annual_rate,
                                         ReturnBasis basis = ReturnBasis::project_post_tax) {
  return solve_factor([&](double factor) {
    return npv(with_volume_factor(deal, num::from_double<deal::Decimal>(factor)), basis, annual_rate);
  });
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
