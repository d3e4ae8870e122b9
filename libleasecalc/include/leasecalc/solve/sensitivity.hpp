#pragma once
// Sensitivities: which inputs move a deal's returns most. A tornado shocks one input at a time
// down and up and records the change in each headline figure; a two-way grid crosses price and
// billed volume. Loops around project() in the fast (double) mode over the modified copies of
// solve/variants.hpp; they own no finance logic.

#include "leasecalc/deal/deal.hpp"
#include "leasecalc/engine/metrics.hpp"
#include "leasecalc/engine/project.hpp"
#include "leasecalc/solve/progress.hpp"
#include "leasecalc/solve/variants.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leasecalc::solve {

// The figures a scenario is judged on.
struct Outcome {
  std::optional<double> project_irr;  // post-tax, effective annual
  std::optional<double> equity_irr;
  std::optional<double> net_margin;   // net income / lease revenue over the life
  // Net income / revenue in the first deal year: where the depreciation life shows (over the life,
  // the gain or loss on the sale at the horizon undoes a shorter or longer book life).
  std::optional<double> first_year_net_margin;
  double npv = 0;                     // project, post-tax, at the deal's discount rate
  std::optional<double> minimum_dscr;  // none without debt service
};

// What of engine::metrics an outcome reads.
inline constexpr engine::MetricsWanted outcome_metrics{.project_irr_pre_tax = false, .sources_and_uses = false};

template <num::Numeric Num>
Outcome outcome_of(const engine::Metrics<Num>& metrics) {
  return {metrics.project_irr_post_tax.rate, metrics.equity_irr.rate,
          metrics.net_margin.empty() ? std::nullopt : metrics.net_margin.back(),
          metrics.net_margin.size() < 2 ? std::nullopt : metrics.net_margin.front(),
          num::to_double(metrics.project_npv), metrics.minimum_dscr};
}

// Projects the deal in double and takes its outcome.
Outcome outcome_of(const deal::Deal& deal);

// The figure a tornado is sorted by, or a grid shows.
enum class Measure { project_irr, equity_irr, net_margin, first_year_net_margin, npv, minimum_dscr };
inline constexpr Measure all_measures[] = {Measure::project_irr,           Measure::equity_irr, Measure::net_margin,
                                           Measure::first_year_net_margin, Measure::npv,        Measure::minimum_dscr};

std::optional<double> value_of(const Outcome& outcome, Measure measure);
std::string_view measure_key(Measure measure);    // "project_irr", as on the command line and in JSON
std::string_view measure_label(Measure measure);  // "Project IRR, post-tax"
std::optional<Measure> parse_measure(std::string_view key);

// The inputs a bid committee argues about.
enum class Input {
  contract_price,          // every contract's price (on-demand price curves included)
  billed_volume,           // servers billed by every contract (utilisation)
  server_price,            // price per server: the capex
  debt_rate,               // every tranche's annual rate
  power_tariff,            // tariff per kWh
  residual_value,          // value of the fleet sold at the horizon
  book_depreciation_life,  // accounting life
  tax_depreciation_life,   // tax life
  income_tax_rate,
  price_decay,             // market price decay of on-demand rental and re-leases
};
std::string_view input_key(Input input);    // "contract_price"
std::string_view input_label(Input input);  // "Contract prices"

// Why changing `input` cannot change this deal (no debt, power paid by the customer, ...), or
// nothing when it can.
std::optional<std::string> inapplicable(const deal::Deal& deal, Input input);

// Billed units over units in service in the busiest month: how far billed volume can rise before
// the contracts bill more servers than there are.
double peak_billed_share(const deal::Deal& deal);

// How an input is shown: a multiple of the model's value, a rate, an amount or a count of months.
enum class InputUnit { factor, rate, amount, months };

struct ShockedCase {
  double input_value;  // the input as shocked, in `TornadoRow::unit`
  Outcome outcome;
};

struct TornadoRow {
  Input input;
  InputUnit unit = InputUnit::factor;
  double base_value = 1;
  std::optional<ShockedCase> low, high;  // the input lowered and raised; none when skipped
  std::string note;                      // why a case is skipped, or what else is worth knowing

  // The range of the measure over the low, base and high cases that have it; none when fewer
  // than two of them do.
  std::optional<double> swing(Measure measure, const Outcome& base) const;
};

struct TornadoOptions {
  double shock = 0.10;           // relative change of each input, down and up
  int life_change_months = 12;   // depreciation lives shortened and lengthened by this (60 -> 48, 72)
  Measure sort_by = Measure::npv;
};

struct Tornado {
  TornadoOptions options;
  Outcome base;
  std::vector<TornadoRow> rows;     // by swing of `options.sort_by`, largest first
  std::vector<TornadoRow> skipped;  // inputs that do not apply to the deal, with the reason
};

Tornado tornado(const deal::Deal& deal, const TornadoOptions& options = {});

// A measure over price factors (rows) x billed-volume factors (columns).
struct TwoWayGrid {
  Measure measure = Measure::npv;
  std::vector<double> price_factors;
  std::vector<double> volume_factors;
  std::vector<std::optional<double>> values;  // row-major
  std::string note;                           // volume factors left out, and why

  const std::optional<double>& at(std::size_t price, std::size_t volume) const {
    return values[price * volume_factors.size() + volume];
  }
};

// `step` either side of 1: {1 - below x step, ..., 1, ..., 1 + above x step}; factors that are
// not positive are left out.
std::vector<double> factors_around_one(double step, int below, int above);

// Volume factors that would bill more servers than are in service are left out (with a note).
// `progress` hears of the cells done.
TwoWayGrid price_volume_grid(const deal::Deal& deal, Measure measure, const std::vector<double>& price_factors,
                             const std::vector<double>& volume_factors, const Progress& progress = {});

}  // namespace leasecalc::solve
