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
// The same change made to `deal` itself (a loop's scratch deal, not copied). A loop over changes
// of the residual passes `residual_by_age` (residual_curve_by_age of the deal): an exponential
// rule is then scaled from that curve instead of being worked out again for every change.
void apply_change(deal::Deal& deal, UncertainQuantity quantity, double change,
                  const std::optional<deal::ResidualCurve>& residual_by_age = std::nullopt);
// An exponential residual rule as the curve by whole month of age, up to the horizon, that
// with_residual_factor scales (decimal exponentials); none for a fixed share or a curve.
std::optional<deal::ResidualCurve> residual_curve_by_age(const deal::Deal& deal);


// runs x inputs: each scenario's drawn change of each input.
Eigen::MatrixXd draw_changes(const Uncertainty& uncertainty);

// Every draw of a run: the inputs' changes (as draw_changes) and, with a drawn market path, each
// scenario's overall market shock, a standard normal (solve/market_path.hpp). Each input and the
// market draw from their own stream; correlations (a Gaussian copula through the Cholesky factor
// of the matrix) and the Latin hypercube act on those streams' uniforms.
struct Draws {
  Eigen::MatrixXd changes;        // runs x inputs
  Eigen::VectorXd market_shocks;  // runs, or empty
};
Draws draw(const Uncertainty& uncertainty);

// The factor F with F F' = the correlation matrix (pivoted LDL', so a semi-definite matrix has one
// too); std::invalid_argument when the matrix is not positive semi-definite.
Eigen::MatrixXd correlation_factor(const Eigen::MatrixXd& correlations);

// Mean, standard deviation and percentiles of a measure over the scenarios that have it.
struct Summary {
  int scenarios = 0;  // with a value; the others have no IRR, or no debt service
  double mean = 0, standard_deviation = 0;  // sample (n - 1) standard deviation
  double mean_standard_error = 0;           // standard_deviation / sqrt(scenarios)
  double p5 = 0, p25 = 0, p50 = 0, p75 = 0, p95 = 0;
};

// A probability (or a mean) estimated from the scenarios, with its standard error.
struct Estimate {
  double value = 0;
  double standard_error = 0;
};

// The p-th percentile (0..1) of sorted values, interpolating linearly between order statistics
// (spreadsheet PERCENTILE.INC).
double percentile(const std::vector<double>& sorted, double p);
std::optional<Summary> summarise(std::vector<double> values);

// What lenders ask, by deal quarter (months 3q .. 3q + 2): the share of scenarios with a covenant
// breach on a test date in the quarter, a month end with cash trapped by a lock-up, a month whose
// shortfall the shareholders must fund; and the share whose first breach falls in it.
struct QuarterRisk {
  int quarter = 0;  // deal quarter, from 0
  Estimate dscr_breach, ltv_breach, cash_trap, funding_shortfall, first_breach;
};

struct LenderRisk {
  // The DSCR and LTV tests counted: the model's covenants, or, when it sets none, a minimum DSCR of
  // Uncertainty::dscr_covenant tested each quarter from the end of the first deal year on the
  // trailing 12 months (reported only; solve::tested_covenants).
  std::optional<double> dscr_threshold, ltv_threshold;
  bool covenants_from_model = false;
  std::vector<QuarterRisk> quarters;
  Estimate breach_over_life;  // a DSCR or LTV breach on any test date
  Estimate cash_trap_over_life;
  Estimate funding_shortfall_over_life;
  std::optional<Summary> first_breach_month;  // deal month, among the scenarios with a breach
  // Loss to the lenders if they enforce at the first funding shortfall (the deal cannot pay from
  // its own cash): the debt outstanding then less the fleet's value, when positive. Its mean over
  // all scenarios, and the probability of a loss.
  Estimate expected_loss;
  Estimate probability_of_loss;
};

struct MonteCarloResult {
  Uncertainty uncertainty;
  Outcome base;                   // the deal as modelled
  Eigen::MatrixXd changes;        // runs x inputs, as drawn (utilisation capped at what the fleet serves)
  Eigen::ArrayXXd outcomes;       // runs x all_measures; read only where `defined`
  Eigen::Array<bool, Eigen::Dynamic, Eigen::Dynamic> defined;
  std::array<std::optional<Summary>, std::size(all_measures)> summaries;  // none when no scenario has it
  std::array<int, std::size(all_measures)> undefined{};                   // scenarios without the measure
  std::optional<Summary> project_payback_months;  // over the scenarios that pay back
  int scenarios_without_payback = 0;
  double probability_npv_negative = 0;
  double probability_npv_negative_standard_error = 0;
  // Among the scenarios with debt service; none without debt.
  std::optional<double> probability_dscr_below_covenant;
  LenderRisk lender;
  // Shares of the scenarios in which a customer defaults, or leaves early, a delivery lot is late,
  // a power-price shock strikes (Uncertainty::events).
  Estimate customer_default_drawn, early_termination_drawn, late_delivery_drawn, power_shock_drawn;
  // The server-months customers hold but are not billed for (servers late or failed with no spare
  // left), their mean over the scenarios; kept per scenario.
  Estimate unbilled_unit_months;
  std::vector<double> unbilled_by_scenario;
  // Kept per scenario (for --scenarios): the first breach's deal month (-1: none) and the lenders' loss.
  std::vector<int> first_breach_months;
  std::vector<double> lender_losses;
  std::vector<std::string> convergence;  // how many runs a given precision needs
  std::vector<std::string> notes;  // uncertain inputs that cannot change this deal
  int utilisation_draws_capped = 0;  // scenarios whose utilisation was drawn above what the fleet serves
  std::vector<deal::Warning> warnings;  // the capped draws, at `uncertainty.utilisation`

  const std::optional<Summary>& summary(Measure measure) const { return summaries[static_cast<std::size_t>(measure)]; }
  int scenarios_without(Measure measure) const { return undefined[static_cast<std::size_t>(measure)]; }
};

// A scenario's power tariff relative to the model's by deal month [0, months) under the shocks of
// deal::PowerShock, from a generator seeded by the run's seed and the scenario alone.
std::vector<double> power_index(const deal::PowerShock& shock, int months, std::uint64_t seed, std::uint64_t scenario);

// The fleet a scenario serves with (deal::Events: delivery delay, GPU failures): the deliveries'
// months late, and by deal month the servers the model has in service that are missing (late, or
// failed with no spare to stand in) and the share of what customers hold that is billed. Servers
// idle in the model stand in first; `held` is what the customers hold by month in the model.
struct FleetShortfall {
  std::vector<int> months_late;  // by delivery lot, in the model's order
  std::vector<double> late, unreplaced, billed_share;
  double unbilled_unit_months = 0;
};
FleetShortfall fleet_shortfall(const deal::Deal& deal, const std::vector<int>& months_late, double failure_rate,
                               int repair_months, double late_delivery_credit, const std::vector<double>& held);

// Scenario `scenario` of the run: the deal as monte_carlo projects it (its inputs changed, its
// events drawn, its market path and its devices), for inspection and tests.
deal::Deal monte_carlo_scenario(const deal::Deal& deal, const Uncertainty& uncertainty, Eigen::Index scenario);

// `threads` workers (at least one) share the scenarios; the result is the same on any number.
// `progress` hears of the scenarios done as each worker finishes a batch.
MonteCarloResult monte_carlo(const deal::Deal& deal, const Uncertainty& uncertainty, unsigned threads = 1,
                             const Progress& progress = {});

}  // namespace leasecalc::solve
