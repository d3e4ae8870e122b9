#pragma once
// What `leasecalc sensitivity` and `leasecalc montecarlo` show: a tornado (and optionally the
// price x volume grid), and Monte Carlo ranges, each as a terminal table, CSV or JSON.

#include "leasecalc/report/run_report.hpp"
#include "leasecalc/solve/breaking_points.hpp"
#include "leasecalc/solve/monte_carlo.hpp"
#include "leasecalc/solve/sensitivity.hpp"

#include <iosfwd>
#include <optional>
#include <string>

namespace leasecalc::report {

struct SensitivityReport {
  std::string deal_name;
  std::string currency;
  solve::Tornado tornado;
  std::optional<solve::TwoWayGrid> grid;
  std::vector<io::Warning> warnings;  // about the model(s): JSON `warnings` (docs/json-output.md)
};

// The tornado, and with `with_grid` the price x billed-volume grid of the tornado's measure at
// steps of the shock (two down and two up on price; four down and two up on volume). `progress`
// hears of the grid's cells done.
SensitivityReport make_sensitivity_report(const deal::Deal& deal, const solve::TornadoOptions& options, bool with_grid,
                                          const solve::Progress& progress = {});

// A measure as the tables show it (rates in %, NPV at `scale`, DSCR as a multiple; "n/a" for none),
// and a shocked input's value (a factor "x0.90", a rate, an amount, months).
std::string measure_text(solve::Measure measure, const std::optional<double>& value, const Scale& scale);
std::string input_value_text(solve::InputUnit unit, const std::optional<double>& value);

void write_table(std::ostream& out, const SensitivityReport& report, const Scale& scale);
void write_csv(std::ostream& out, const SensitivityReport& report);
void write_json(std::ostream& out, const SensitivityReport& report);

struct MonteCarloReport {
  std::string deal_name;
  std::string currency;
  bool uncertainty_from_model = false;  // or the documented defaults
  unsigned threads = 1;
  double seconds = 0;  // wall-clock time of the scenarios
  solve::MonteCarloResult result;
  std::vector<io::Warning> warnings;  // about the model and the capped draws: JSON `warnings` (docs/json-output.md)
  // What kills this deal: each input's breaking values, and the equity IRR they are held to.
  std::vector<solve::BreakingPoint> breaking_points;
  double equity_target = 0;
  // --max-debt-at-breach: the breach probability held to, and the largest debt that holds it.
  std::optional<double> breach_level;
  std::optional<solve::DebtAtBreach> debt_at_breach;
};

// What a Monte Carlo report asks beyond the draws (the flags of `leasecalc montecarlo`).
struct MonteCarloOptions {
  unsigned threads = 1;
  std::optional<double> equity_target;  // what "what kills this deal" holds the equity IRR to; default the discount rate
  std::optional<double> breach_level;   // --max-debt-at-breach: find the largest debt that holds it
  solve::Progress progress;
};

// The Monte Carlo report the command prints and the Python module returns: the scenarios (timed),
// what kills the deal and, when asked, the largest debt at a breach level. Its warnings are the
// caller's to fill, which knows where the model was read from.
MonteCarloReport make_monte_carlo_report(const deal::Deal& deal, const solve::Uncertainty& uncertainty,
                                         bool uncertainty_from_model, const MonteCarloOptions& options);

// "triangular: low -15%, mode 0%, high +5%"; debt rate and price decay changes in points.
std::string describe(const solve::UncertainInput& input);
// "drift -10% a year, volatility 20%, new GPU generations in months 24 48"
std::string describe(const deal::MarketPath& market);

// An input's level in its unit: rates and shares in %, the rest to four significant digits.
std::string level_text(const solve::BreakingPoint& point, double level);
// A breaking value: the change from the model and the level it gives ("-23.4% (50,540)"), or
// "not in range".
std::string breaking_text(const solve::BreakingPoint& point, const std::optional<double>& change);

void write_table(std::ostream& out, const MonteCarloReport& report, const Scale& scale);
void write_csv(std::ostream& out, const MonteCarloReport& report);
void write_json(std::ostream& out, const MonteCarloReport& report);
// Every scenario, one a row: its drawn changes, measures, first breach month and lenders' loss.
void write_scenarios_csv(std::ostream& out, const solve::MonteCarloResult& result);

}  // namespace leasecalc::report
