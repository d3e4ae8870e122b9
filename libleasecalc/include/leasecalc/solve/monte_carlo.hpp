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

// A normal distribution, truncated to [min, max] when they are given. sd 0 is the mean itself.
struct Normal {
  double mean = 0, sd = 0;
  std::optional<double> min, max;
};
struct Uniform {
  double low = 0, high = 0;
};
struct Triangular {
  double low = 0, mode = 0, high = 0;
};
using Distribution = std::variant<Normal, Uniform, Triangular>;

// The distribution's value at cumulative probability `u` in (0, 1).
double quantile(const Distribution& distribution, double u);

// An input whose change from the model is uncertain. Changes are relative (-0.15 = 15% lower)
// except for the debt rate and the price decay, which move by points (0.01 = one point a year).
struct UncertainInput {
  Input input;
  Distribution change;
};

// The inputs a scenario may draw: price, price_decay, utilisation (billed volume), residual,
// power_tariff, debt_rate and server_price, by their key in a model file's `uncertainty:`.
inline constexpr Input uncertain_inputs[] = {Input::contract_price, Input::price_decay,  Input::billed_volume,
                                             Input::residual_value, Input::power_tariff, Input::debt_rate,
                                             Input::server_price};
std::string_view uncertainty_key(Input input);  // "price", "utilisation", ...
bool is_relative_change(Input input);

// The deal with `input` changed by `change`, as described for UncertainInput. Drawn values are
// kept in the input's natural range: multiples floored at zero, shares capped at 100%, rates
// floored at zero. No change gives the deal unchanged.
deal::Deal with_change(const deal::Deal& deal, Input input, double change);

struct Uncertainty {
  int runs = 2000;
  std::uint64_t seed = 42;
  double dscr_covenant = 1.2;  // the lenders' minimum DSCR
  std::vector<UncertainInput> inputs;

  // What `leasecalc montecarlo` uses for a model without an `uncertainty:` section
  // (docs/sensitivity.md).
  static Uncertainty defaults();
};

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
  Eigen::MatrixXd changes;        // runs x inputs, as drawn
  Eigen::ArrayXXd outcomes;       // runs x all_measures; read only where `defined`
  Eigen::Array<bool, Eigen::Dynamic, Eigen::Dynamic> defined;
  std::array<std::optional<Summary>, std::size(all_measures)> summaries;  // none when no scenario has it
  std::array<int, std::size(all_measures)> undefined{};                   // scenarios without the measure
  double probability_npv_negative = 0;
  // Among the scenarios with debt service; none without debt.
  std::optional<double> probability_dscr_below_covenant;
  std::vector<std::string> notes;  // uncertain inputs that cannot change this deal

  const std::optional<Summary>& summary(Measure measure) const { return summaries[static_cast<std::size_t>(measure)]; }
  int scenarios_without(Measure measure) const { return undefined[static_cast<std::size_t>(measure)]; }
};

// `threads` workers (at least one) share the scenarios; the result is the same on any number.
MonteCarloResult monte_carlo(const deal::Deal& deal, const Uncertainty& uncertainty, unsigned threads = 1);

}  // namespace leasecalc::solve
