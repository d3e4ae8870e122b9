#pragma once
// Monte Carlo ranges: many scenarios, each a copy of the deal with its uncertain inputs drawn
// from stated distributions, projected in the fast (double) mode. A loop around project() over
// the modified copies of solve/variants.hpp; it owns no finance logic.
//
// Reproducible bit for bit: each uncertain input draws from its own std::mt19937_64, seeded from
// the run's seed and the input, so the draws do not depend on the thread count, and adding an
// input or more runs leaves the other draws as they were. Values come from the distribution's
// quantile function (Boost.Math) at the uniform draw: a truncated normal is exact, not rejected.

#include "leasecalc/deal/deal.hpp"
#include "leasecalc/deal/uncertainty.hpp"
#include "leasecalc/deal/warnings.hpp"
#include "leasecalc/solve/progress.hpp"
#include "leasecalc/solve/sensitivity.hpp"

#include <Eigen/Core>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace leasecalc::solve {

// The description of what is uncertain is the deal's vocabulary (deal/uncertainty.hpp); these
// names let callers of the Monte Carlo run keep speaking of it here.
using deal::Distribution;
using deal::is_relative_change;
using deal::Normal;
using deal::Triangular;
using deal::UncertainInput;
using deal::UncertainQuantity;
using deal::Uncertainty;
using deal::Uniform;
using deal::uncertainty_key;

// The distribution's value at cumulative probability `u` in (0, 1).
double quantile(const Distribution& distribution, double u);

// The sensitivity input an uncertain quantity changes.
Input sensitivity_input(UncertainQuantity quantity);

// The deal with `quantity` changed by `change`, as described for deal::UncertainInput. Drawn
// values are kept in the input's natural range: multiples floored at zero, shares capped at 100%,
// rates floored at zero. No change gives the deal unchanged.
deal::Deal with_change(const deal::Deal& deal, UncertainQuantity quantity, double change);


// runs x inputs: each scenario's drawn change of each input.
Eigen::MatrixXd draw_changes(const Uncertainty& uncertainty);

// Mean, standard deviation and percentiles of a measure over the scenarios that have it.
struct Summary {
  int scenarios = 0;  // with a value; the others have no IRR, or no debt service
  double mean = 0, standard_deviation = 0;  // sample (n - 1) standard deviation
  double p5 = 0, p25 = 0, p50 = 0, p75 = 0, p95 = 0;
};

// The p-th percentile (0..1) of sorted values, interpolating linearly between order statistics
// (spreadsheet PERCENTILE.INC).
double percentile(const std::vector<double>& sorted, double p);
std::optional<Summary> summarise(std::vector<double> values);

struct MonteCarloResult {
  Uncertainty uncertainty;
  Outcome base;                   // the deal as modelled
  Eigen::MatrixXd changes;        // runs x inputs, as drawn (utilisation capped at what the fleet serves)
  Eigen::ArrayXXd outcomes;       // runs x all_measures; read only where `defined`
  Eigen::Array<bool, Eigen::Dynamic, Eigen::Dynamic> defined;
  std::array<std::optional<Summary>, std::size(all_measures)> summaries;  // none when no scenario has it
  std::array<int, std::size(all_measures)> undefined{};                   // scenarios without the measure
  double probability_npv_negative = 0;
  // Among the scenarios with debt service; none without debt.
  std::optional<double> probability_dscr_below_covenant;
  std::vector<std::string> notes;  // uncertain inputs that cannot change this deal
  int utilisation_draws_capped = 0;  // scenarios whose utilisation was drawn above what the fleet serves
  std::vector<deal::Warning> warnings;  // the capped draws, at `uncertainty.utilisation`

  const std::optional<Summary>& summary(Measure measure) const { return summaries[static_cast<std::size_t>(measure)]; }
  int scenarios_without(Measure measure) const { return undefined[static_cast<std::size_t>(measure)]; }
};

// `threads` workers (at least one) share the scenarios; the result is the same on any number.
// `progress` hears of the scenarios done as each worker finishes a batch.
MonteCarloResult monte_carlo(const deal::Deal& deal, const Uncertainty& uncertainty, unsigned threads = 1,
                             const Progress& progress = {});

}  // namespace leasecalc::solve
