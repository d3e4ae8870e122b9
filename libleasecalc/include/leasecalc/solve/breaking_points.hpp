#pragma once
// What kills this deal: for each uncertain input, the value at which the deal breaks, in the
// input's own units rather than as a swing: where the project NPV reaches zero, where the equity
// IRR falls to its target, and where the first DSCR or LTV covenant breach appears. Each is the
// input's change, alone, from the model (solve::with_change), searched over the range its
// distribution draws from (solve::input_for_target); none when the deal does not break there.

#include "leasecalc/deal/deal.hpp"
#include "leasecalc/deal/uncertainty.hpp"
#include "leasecalc/solve/monte_carlo.hpp"

#include <optional>
#include <string>
#include <vector>

namespace leasecalc::solve {

struct BreakingPoint {
  deal::UncertainQuantity input;
  double low = 0, high = 0;  // the changes searched: the distribution's range
  // The change at which each happens (relative, or points for the debt rate and the price decay).
  std::optional<double> npv_zero, equity_target_missed, first_breach;
  // The input's level as modelled, where it is one number, and its unit ("CNY/server-month").
  std::optional<double> base_level;
  std::string unit;
  std::string note;  // why the input cannot change this deal, when it cannot

  // The input's level after `change`, in its unit.
  std::optional<double> level(double change) const;
};

// The DSCR and LTV covenants a scenario is tested on: the model's, or, when it sets none, a minimum
// DSCR of `dscr_covenant` tested each quarter from the end of the first deal year on the trailing
// 12 months, that only reports.
deal::Covenants tested_covenants(const deal::Deal& deal, double dscr_covenant);

// Each uncertain input of `uncertainty`, in order. `equity_target`: the equity IRR the shareholders
// require (annual).
std::vector<BreakingPoint> breaking_points(const deal::Deal& deal, const deal::Uncertainty& uncertainty,
                                           double equity_target);

// The largest debt whose covenant breach probability over the life stays at or below `level`:
// every tranche's amount and share of capex scaled by one factor (a sized tranche keeps its
// sizing), found by bisection over [0, 4] x the model's debt to 1/512, each step a Monte Carlo run
// on the same draws (so the probability moves with the debt alone). None when even no debt breaches
// more often than `level` (a deal without debt has nothing to scale).
struct DebtAtBreach {
  double factor = 0;       // x the model's debt
  double debt_drawn = 0;   // the debt drawn at that factor, in the deal's currency
  Estimate breach;         // the breach probability there
  bool at_search_limit = false;  // 4x the model's debt still breaches no more often than `level`
};
std::optional<DebtAtBreach> largest_debt_at_breach(const deal::Deal& deal, const deal::Uncertainty& uncertainty,
                                                   double level, unsigned threads);

}  // namespace leasecalc::solve
