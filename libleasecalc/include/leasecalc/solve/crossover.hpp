#pragma once
// When one deal overtakes another: the month after which its cumulative cash is ahead for good,
// and the use of capacity at which the two cost the same over their life (rent versus build:
// renting pays for what is used, owned servers cost the same whatever the use). Loops around
// project(); the cash is the pre-tax free cash flow to the firm, undiscounted, as the payback.

#include "leasecalc/deal/deal.hpp"
#include "leasecalc/engine/metrics.hpp"
#include "leasecalc/engine/project.hpp"
#include "leasecalc/solve/variants.hpp"

#include <boost/math/tools/roots.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace leasecalc::solve {

struct Crossover {
  std::optional<double> months;  // from the start, interpolated within the month
  std::string note;              // why there is none, or that the challenger leads from the start
};

// Months until the challenger's cumulative pre-tax cash is at or above the incumbent's for good:
// the payback of the difference of their flows. Over the months both deals run.
template <num::Numeric Num>
Crossover crossover_month(const engine::Ledger<Num>& incumbent, const engine::Ledger<Num>& challenger) {
  const int months = std::min(incumbent.months(), challenger.months());
  std::vector<double> difference;
  for (int m = 0; m < months; ++m)
    difference.push_back(num::to_double(engine::free_cash_flow_pre_tax(challenger, m) -
                                        engine::free_cash_flow_pre_tax(incumbent, m)));
  const std::optional<double> payback = engine::detail::payback_months(difference);
  if (!payback) return {std::nullopt, "not within " + std::to_string(months) + " months"};
  if (*payback == 0) return {0.0, "ahead from the start"};
  return {payback, ""};
}

inline Crossover crossover_month(const deal::Deal& incumbent, const deal::Deal& challenger) {
  return crossover_month(engine::project<double>(incumbent), engine::project<double>(challenger));
}

// Pre-tax cash over the months both run, challenger less incumbent.
inline double life_cash_advantage(const deal::Deal& incumbent, const deal::Deal& challenger) {
  const auto a = engine::project<double>(incumbent);
  const auto b = engine::project<double>(challenger);
  double advantage = 0;
  for (int m = 0; m < std::min(a.months(), b.months()); ++m)
    advantage += engine::free_cash_flow_pre_tax(b, m) - engine::free_cash_flow_pre_tax(a, m);
  return advantage;
}

struct UsageCrossover {
  std::optional<double> usage_factor;  // share of each model's use at which the two break even
  bool challenger_ahead_above = true;  // whether the challenger is ahead above it (or below)
  std::string note;
};

// The usage factor in [0, max_factor] (both deals' use scaled alike, see with_usage_factor) at
// which their pre-tax cash over the common months is equal.
inline UsageCrossover break_even_usage(const deal::Deal& incumbent, const deal::Deal& challenger,
                                       double max_factor = 1.0) {
  const auto advantage = [&](double factor) {
    const auto scale = num::from_double<deal::Decimal>(factor);
    return life_cash_advantage(with_usage_factor(incumbent, scale), with_usage_factor(challenger, scale));
  };
  const double low = advantage(0.0), high = advantage(max_factor);
  if (low == high) return {std::nullopt, true, "the use of capacity changes neither deal's advantage"};
  if ((low < 0) == (high < 0))
    return {std::nullopt, true, std::string(low < 0 ? "the challenger is behind" : "the challenger is ahead") +
                              " at every use from 0% to " + std::to_string(static_cast<int>(max_factor * 100)) + "%"};
  std::uintmax_t iterations = 100;
  const auto [a, b] = boost::math::tools::toms748_solve(advantage, 0.0, max_factor, low, high,
                                                        boost::math::tools::eps_tolerance<double>(40), iterations);
  return {0.5 * (a + b), high > 0, ""};
}

}  // namespace leasecalc::solve
