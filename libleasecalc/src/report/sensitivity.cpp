#include "leasecalc/report/sensitivity.hpp"
#include "warnings_json.hpp"

#include "text.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <ostream>

namespace leasecalc::report {

using solve::Measure;
using text::format;
using text::pad_left;
using text::pad_right;

MonteCarloReport make_monte_carlo_report(const deal::Deal& deal, const solve::Uncertainty& uncertainty,
                                         bool uncertainty_from_model, const MonteCarloOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  MonteCarloReport report{deal.name, deal.currency, uncertainty_from_model, options.threads, 0,
                          solve::monte_carlo(deal, uncertainty, options.threads, options.progress), {}, {}, 0, {}, {}};
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  report.equity_target = options.equity_target.value_or(num::to_double(deal.discount_rate));
  report.breaking_points = solve::breaking_points(deal, uncertainty, report.equity_target);
  if (options.breach_level) {
    report.breach_level = options.breach_level;
    report.debt_at_breach = solve::largest_debt_at_breach(deal, uncertainty, *options.breach_level, options.threads);
  }
  return report;
}

SensitivityReport make_sensitivity_report(const deal::Deal& deal, const solve::TornadoOptions& options, bool with_grid,
                                          const solve::Progress& progress) {
  SensitivityReport report{deal.name, deal.currency, solve::tornado(deal, options), std::nullopt, {}};
  if (with_grid)
    report.grid = solve::price_volume_grid(deal, options.sort_by, solve::factors_around_one(options.shock, 2, 2),
                                           solve::factors_around_one(options.shock, 4, 2), progress);
  return report;
}

namespace {

bool is_rate(Measure measure) {
  return measure == Measure::project_irr || measure == Measure::equity_irr || measure == Measure::net_margin ||
         measure == Measure::first_year_net_margin;
}

// A measure's value for the reader: rates in %, NPV in the scale, DSCR as a multiple.
std::string shown(Measure measure, const std::optional<double>& value, const Scale& scale) {
  if (!value) return "n/a";
  if (is_rate(measure)) return format("%.2f%%", *value * 100);
  if (measure == Measure::npv) return format("%.2f", *value / scale.divisor);
  return format("%.2fx", *value);
}

// A change in a measure: rates in points, NPV in the scale, DSCR as a multiple.
std::optional<double> change(Measure measure, const std::optional<solve::ShockedCase>& shocked, const solve::Outcome& base) {
  if (!shocked) return std::nullopt;
  const auto after = solve::value_of(shocked->outcome, measure), before = solve::value_of(base, measure);
  if (!after || !before) return std::nullopt;
  return *after - *before;
}

std::string shown_change(Measure measure, const std::optional<double>& value, const Scale& scale) {
  if (!value) return "n/a";
  const double shown = is_rate(measure) ? *value * 100 : measure == Measure::npv ? *value / scale.divisor : *value;
  return std::abs(shown) < 0.005 ? "0.00" : format("%+.2f", shown);  // no "-0.00" for a rounding residue
}

std::string amount(double value) {
  if (std::abs(value) < 100) return format("%.4g", value);
  std::string digits = format("%.0f", std::abs(value));
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<std::size_t>(i), ",");
  return (value < 0 ? "-" : "") + digits;
}

std::string input_value(solve::InputUnit unit, const std::optional<double>& value) {
  if (!value) return "-";
  switch (unit) {
    case solve::InputUnit::factor: return format("x%.2f", *value);
    case solve::InputUnit::rate: return format("%.2f%%", *value * 100);
    case solve::InputUnit::amount: return amount(*value);
    case solve::InputUnit::months: return format("%.0f", *value);
  }
  return "";
}

std::string unit_of(Measure measure, const Scale& scale, const std::string& currency) {
  if (is_rate(measure)) return "pts";
  if (measure == Measure::npv) return (scale.label.empty() ? "" : scale.label + " ") + currency;
  return "x";
}

}  // namespace

std::string measure_text(Measure measure, const std::optional<double>& value, const Scale& scale) {
  return shown(measure, value, scale);
}

std::string input_value_text(solve::InputUnit unit, const std::optional<double>& value) { return input_value(unit, value); }

void write_table(std::ostream& out, const SensitivityReport& r, const Scale& scale) {
  const auto& t = r.tornado;
  out << "Sensitivity of " << r.deal_name << ": each input " << format("%g%%", t.options.shock * 100)
      << " down and up, one at a time (depreciation lives " << t.options.life_change_months
      << " months shorter and longer);\nsorted by the swing in " << solve::measure_label(t.options.sort_by) << ".\n\n";
  constexpr std::size_t input_width = 30, case_width = 6, value_width = 12, column_width = 13;
  out << pad_right("", input_width + case_width) << pad_left("input", value_width);
  for (Measure m : solve::all_measures) out << pad_left(std::string(solve::measure_key(m)), column_width + (m == Measure::first_year_net_margin ? 4 : 0));
  out << "\n" << pad_right("", input_width + case_width + value_width);
  for (Measure m : solve::all_measures)
    out << pad_left("(" + unit_of(m, scale, r.currency) + ")", column_width + (m == Measure::first_year_net_margin ? 4 : 0));
  out << "\n" << pad_right("  Base case", input_width + case_width + value_width);
  for (Measure m : solve::all_measures)
    out << pad_left(shown(m, solve::value_of(t.base, m), scale), column_width + (m == Measure::first_year_net_margin ? 4 : 0));
  out << "\n  Change from the base case:\n";
  for (const auto& row : t.rows) {
    for (const bool raised : {false, true}) {
      const auto& shocked = raised ? row.high : row.low;
      out << pad_right(raised ? "" : "  " + std::string(solve::input_label(row.input)), input_width)
          << pad_right(raised ? "high" : "low", case_width)
          << pad_left(shocked ? input_value(row.unit, shocked->input_value) : "skipped", value_width);
      if (shocked)
        for (Measure m : solve::all_measures)
          out << pad_left(shown_change(m, change(m, shocked, t.base), scale),
                          column_width + (m == Measure::first_year_net_margin ? 4 : 0));
      out << "\n";
    }
  }
  out << "  Inputs as modelled: ";
  bool first = true;
  for (const auto& row : t.rows) {
    if (row.unit == solve::InputUnit::factor) continue;
    out << (first ? "" : ", ") << solve::input_label(row.input) << " " << input_value(row.unit, row.base_value)
        << (row.unit == solve::InputUnit::months ? " months" : "");
    first = false;
  }
  out << "\n";
  for (const auto& row : t.rows)
    if (!row.note.empty()) out << "  " << solve::input_label(row.input) << ": " << row.note << "\n";
  if (!t.skipped.empty()) {
    out << "\nNot shocked (they cannot change this deal):\n";
    for (const auto& row : t.skipped) out << "  " << solve::input_label(row.input) << ": " << row.note << "\n";
  }
  if (r.grid) {
    const auto& g = *r.grid;
    out << "\n" << solve::measure_label(g.measure)
        << (g.measure == Measure::npv ? " (" + unit_of(g.measure, scale, r.currency) + ")" : "")
        << " by contract price (rows) and billed volume (columns), as shares of the model's\n"
        << pad_left("price \\ volume", 16);
    for (double v : g.volume_factors) out << pad_left(format("%.0f%%", v * 100), 11);
    out << "\n";
    for (std::size_t i = 0; i < g.price_factors.size(); ++i) {
      out << pad_left(format("%.0f%%", g.price_factors[i] * 100), 16);
      for (std::size_t j = 0; j < g.volume_factors.size(); ++j) out << pad_left(shown(g.measure, g.at(i, j), scale), 11);
      out << "\n";
    }
    if (!g.note.empty()) out << "  " << g.note << "\n";
  }
}

void write_csv(std::ostream& out, const SensitivityReport& r) {
  using text::csv_field;
  using text::csv_number;
  const auto& t = r.tornado;
  out << "input,case,input_value";
  for (Measure m : solve::all_measures) out << "," << solve::measure_key(m) << ",change_in_" << solve::measure_key(m);
  out << ",note\n";
  const auto line = [&](std::string_view input, const char* which, const std::optional<double>& value,
                        const std::optional<solve::ShockedCase>& shocked, const std::string& note) {
    out << input << "," << which << "," << csv_number(value);
    for (Measure m : solve::all_measures)
      out << "," << csv_number(shocked ? solve::value_of(shocked->outcome, m) : std::nullopt) << ","
          << csv_number(change(m, shocked, t.base));
    out << "," << csv_field(note) << "\n";
  };
  line("base", "base", std::nullopt, solve::ShockedCase{1, t.base}, "");
  for (const auto& row : t.rows) {
    line(solve::input_key(row.input), "low", row.low ? std::optional(row.low->input_value) : std::nullopt, row.low, row.note);
    line(solve::input_key(row.input), "high", row.high ? std::optional(row.high->input_value) : std::nullopt, row.high,
         row.note);
  }
  for (const auto& row : t.skipped) line(solve::input_key(row.input), "skipped", std::nullopt, std::nullopt, row.note);
  if (r.grid) {
    out << "\nprice_factor,volume_factor," << solve::measure_key(r.grid->measure) << "\n";
    for (std::size_t i = 0; i < r.grid->price_factors.size(); ++i)
      for (std::size_t j = 0; j < r.grid->volume_factors.size(); ++j)
        out << csv_number(r.grid->price_factors[i]) << "," << csv_number(r.grid->volume_factors[j]) << ","
            << csv_number(r.grid->at(i, j)) << "\n";
  }
}

namespace {

using nlohmann::json;

json optional_json(const std::optional<double>& value) { return value ? json(*value) : json(nullptr); }

json outcome_json(const solve::Outcome& outcome) {
  json values = json::object();
  for (Measure m : solve::all_measures) values[std::string(solve::measure_key(m))] = optional_json(solve::value_of(outcome, m));
  return values;
}

json case_json(const std::optional<solve::ShockedCase>& shocked) {
  if (!shocked) return nullptr;
  return {{"input_value", shocked->input_value}, {"outcome", outcome_json(shocked->outcome)}};
}

std::string_view unit_key(solve::InputUnit unit) {
  switch (unit) {
    case solve::InputUnit::factor: return "factor";
    case solve::InputUnit::rate: return "rate";
    case solve::InputUnit::amount: return "amount";
    case solve::InputUnit::months: return "months";
  }
  return "";
}

}  // namespace

void write_json(std::ostream& out, const SensitivityReport& r) {
  const auto& t = r.tornado;
  json rows = json::array(), skipped = json::array();
  for (const auto& row : t.rows)
    rows.push_back({{"input", solve::input_key(row.input)}, {"unit", unit_key(row.unit)}, {"base_value", row.base_value},
                    {"low", case_json(row.low)}, {"high", case_json(row.high)},
                    {"swing", optional_json(row.swing(t.options.sort_by, t.base))}, {"note", row.note}});
  for (const auto& row : t.skipped) skipped.push_back({{"input", solve::input_key(row.input)}, {"note", row.note}});
  json document = {{"schema", "leasecalc.sensitivity/1"},
                   {"deal", {{"name", r.deal_name}, {"currency", r.currency}}},
                   {"shock", t.options.shock},
                   {"life_change_months", t.options.life_change_months},
                   {"sorted_by", solve::measure_key(t.options.sort_by)},
                   {"base", outcome_json(t.base)},
                   {"tornado", rows},
                   {"skipped", skipped},
                   {"warnings", warnings_json(r.warnings)}};
  if (r.grid) {
    json values = json::array();
    for (std::size_t i = 0; i < r.grid->price_factors.size(); ++i) {
      json row = json::array();
      for (std::size_t j = 0; j < r.grid->volume_factors.size(); ++j) row.push_back(optional_json(r.grid->at(i, j)));
      values.push_back(row);
    }
    document["grid"] = {{"measure", solve::measure_key(r.grid->measure)}, {"price_factors", r.grid->price_factors},
                        {"volume_factors", r.grid->volume_factors}, {"values", values}, {"note", r.grid->note}};
  }
  out << document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

// ---- Monte Carlo -----------------------------------------------------------------------------

std::string describe(const deal::MarketPath& market) {
  if (!market.paths.empty()) return std::to_string(market.paths.size()) + " given paths, taken in turn";
  std::string text = format("drift %+g%% a year", market.drift * 100) + format(", volatility %g%%", market.volatility * 100);
  if (market.reversion != 0)
    text += format(", pulled at %g%% a year", market.reversion * 100) +
            format(" toward a trend of %+g%% a year", market.trend * 100);
  if (!market.generation_months.empty()) {
    text += ", new GPU generations in months";
    for (const int month : market.generation_months) text += " " + std::to_string(month);
  }
  return text;
}

namespace {

std::string percent_with_error(const solve::Estimate& e) {
  return format("%.1f%%", e.value * 100) + format(" +/- %.1f", e.standard_error * 100);
}

void write_lender_table(std::ostream& out, const solve::MonteCarloResult& mc, const Scale& scale,
                        const std::string& currency) {
  const auto& l = mc.lender;
  out << "\nWhat lenders ask (";
  if (l.dscr_threshold) out << "minimum DSCR " << format("%.2fx", *l.dscr_threshold);
  if (l.dscr_threshold && l.ltv_threshold) out << ", ";
  if (l.ltv_threshold) out << "maximum LTV " << format("%.1f%%", *l.ltv_threshold * 100);
  out << (l.covenants_from_model ? ", the model's covenants" : ", tested quarterly from month 11 on the trailing 12 months")
      << "; probabilities +/- one standard error, in points):\n";
  out << "  Covenant breach over the life:    " << percent_with_error(l.breach_over_life) << "\n";
  out << "  Cash trapped over the life:       " << percent_with_error(l.cash_trap_over_life) << "\n";
  out << "  Funding shortfall over the life:  " << percent_with_error(l.funding_shortfall_over_life) << "\n";
  if (l.first_breach_month)
    out << "  First breach (deal month):        P5 " << format("%.0f", l.first_breach_month->p5) << ", P50 "
        << format("%.0f", l.first_breach_month->p50) << ", P95 " << format("%.0f", l.first_breach_month->p95) << "\n";
  out << "  Expected loss to the lenders:     " << format("%.2f", l.expected_loss.value / scale.divisor) << " +/- "
      << format("%.2f", l.expected_loss.standard_error / scale.divisor) << " "
      << (scale.label.empty() ? "" : scale.label + " ") << currency << " (probability of a loss "
      << percent_with_error(l.probability_of_loss) << ")\n";
  out << "  " << pad_right("Quarter", 9);
  for (const char* column : {"DSCR breach", "LTV breach", "cash trap", "shortfall", "1st breach"}) out << pad_left(column, 13);
  out << "\n";
  for (const auto& q : l.quarters) {
    if (q.dscr_breach.value == 0 && q.ltv_breach.value == 0 && q.cash_trap.value == 0 && q.funding_shortfall.value == 0)
      continue;
    out << "  " << pad_right("Q" + std::to_string(q.quarter + 1), 9);
    for (const auto* e : {&q.dscr_breach, &q.ltv_breach, &q.cash_trap, &q.funding_shortfall, &q.first_breach})
      out << pad_left(format("%.1f%%", e->value * 100), 13);
    out << "\n";
  }
  out << "  (quarters in which nothing happens in any scenario are left out)\n";
}

// A change as the section writes it: relative in %, the debt rate and the price decay in points.
std::string change_text(deal::UncertainQuantity input, double change) {
  return solve::is_relative_change(input) ? format("%+.1f%%", change * 100) : format("%+.2f pts", change * 100);
}

}  // namespace

std::string level_text(const solve::BreakingPoint& point, double level) {
  const bool rate = point.input == deal::UncertainQuantity::debt_rate || point.input == deal::UncertainQuantity::price_decay ||
                    (point.input == deal::UncertainQuantity::residual && point.unit == "of cost");
  return rate ? format("%.2f%%", level * 100) : format("%.4g", level);
}

std::string breaking_text(const solve::BreakingPoint& point, const std::optional<double>& change) {
  if (!change) return "not in range";
  std::string text = change_text(point.input, *change);
  if (const auto level = point.level(*change)) text += " (" + level_text(point, *level) + ")";
  return text;
}

namespace {

void write_breaking_points(std::ostream& out, const MonteCarloReport& r) {
  if (r.breaking_points.empty()) return;
  out << "\nWhat kills this deal: each input alone, the change from the model (and its level) at which\n"
      << "the project NPV reaches zero, the equity IRR falls to " << format("%.1f%%", r.equity_target * 100)
      << ", or the first covenant breach appears, searched over the range it is drawn from:\n";
  out << "  " << pad_right("input", 14);
  for (const char* column : {"NPV zero", "equity target", "first breach"}) out << pad_left(column, 28);
  out << "   level as modelled\n";
  for (const auto& point : r.breaking_points) {
    out << "  " << pad_right(std::string(solve::uncertainty_key(point.input)), 14);
    if (!point.note.empty()) {
      out << "ignored, " << point.note << "\n";
      continue;
    }
    for (const auto* change : {&point.npv_zero, &point.equity_target_missed, &point.first_breach})
      out << pad_left(breaking_text(point, *change), 28);
    out << "   " << (point.base_level ? level_text(point, *point.base_level) + " " + point.unit : "") << "\n";
  }
}

json breaking_points_json(const MonteCarloReport& r) {
  json points = json::array();
  for (const auto& point : r.breaking_points) {
    json entry = {{"input", solve::uncertainty_key(point.input)},
                  {"change", solve::is_relative_change(point.input) ? "relative" : "points"},
                  {"searched", {point.low, point.high}},
                  {"base_level", optional_json(point.base_level)},
                  {"unit", point.unit},
                  {"note", point.note}};
    for (const auto& [key, change] : {std::pair{"npv_zero", &point.npv_zero},
                                      {"equity_target_missed", &point.equity_target_missed},
                                      {"first_breach", &point.first_breach}})
      entry[key] = {{"change", optional_json(*change)},
                    {"level", optional_json(*change ? point.level(**change) : std::nullopt)}};
    points.push_back(entry);
  }
  return {{"equity_target", r.equity_target}, {"inputs", points}};
}

const char* sampling_key(deal::Sampling sampling) {
  switch (sampling) {
    case deal::Sampling::latin_hypercube: return "latin_hypercube";
    case deal::Sampling::sobol: return "sobol";
    default: return "random";
  }
}

json estimate_json(const solve::Estimate& e) { return {{"value", e.value}, {"standard_error", e.standard_error}}; }

json debt_at_breach_json(const MonteCarloReport& r) {
  if (!r.breach_level) return nullptr;
  json found = nullptr;
  if (const auto& d = r.debt_at_breach)
    found = {{"factor", d->factor}, {"debt_drawn", d->debt_drawn}, {"breach", estimate_json(d->breach)},
             {"at_search_limit", d->at_search_limit}};
  return {{"level", *r.breach_level}, {"debt", found}};
}

json lender_json(const solve::LenderRisk& l) {
  json quarters = json::array();
  for (const auto& q : l.quarters)
    quarters.push_back({{"quarter", q.quarter + 1},
                        {"dscr_breach", estimate_json(q.dscr_breach)},
                        {"ltv_breach", estimate_json(q.ltv_breach)},
                        {"cash_trap", estimate_json(q.cash_trap)},
                        {"funding_shortfall", estimate_json(q.funding_shortfall)},
                        {"first_breach", estimate_json(q.first_breach)}});
  json first = nullptr;
  if (l.first_breach_month)
    first = {{"scenarios", l.first_breach_month->scenarios}, {"mean", l.first_breach_month->mean},
             {"p5", l.first_breach_month->p5},  {"p25", l.first_breach_month->p25},
             {"p50", l.first_breach_month->p50}, {"p75", l.first_breach_month->p75},
             {"p95", l.first_breach_month->p95}};
  return {{"dscr_threshold", optional_json(l.dscr_threshold)},
          {"ltv_threshold", optional_json(l.ltv_threshold)},
          {"covenants_from_model", l.covenants_from_model},
          {"breach_over_life", estimate_json(l.breach_over_life)},
          {"cash_trap_over_life", estimate_json(l.cash_trap_over_life)},
          {"funding_shortfall_over_life", estimate_json(l.funding_shortfall_over_life)},
          {"first_breach_month", first},
          {"expected_loss", estimate_json(l.expected_loss)},
          {"probability_of_loss", estimate_json(l.probability_of_loss)},
          {"quarters", quarters}};
}

}  // namespace

std::string describe(const solve::UncertainInput& input) {
  // Relative changes in %, absolute ones in points of the annual rate.
  const char* unit = solve::is_relative_change(input.input) ? "%" : " pts";
  const auto v = [unit](double x) { return format("%+g", x * 100) + unit; };
  return std::visit(
      [&](const auto& d) -> std::string {
        using D = std::decay_t<decltype(d)>;
        if constexpr (std::is_same_v<D, solve::Normal>) {
          std::string text = "normal: mean " + v(d.mean) + ", sd " + format("%g", d.sd * 100) + unit;
          if (d.min) text += ", min " + v(*d.min);
          if (d.max) text += ", max " + v(*d.max);
          return text;
        } else if constexpr (std::is_same_v<D, solve::Uniform>) {
          return "uniform: low " + v(d.low) + ", high " + v(d.high);
        } else {
          return "triangular: low " + v(d.low) + ", mode " + v(d.mode) + ", high " + v(d.high);
        }
      },
      input.change);
}

void write_table(std::ostream& out, const MonteCarloReport& r, const Scale& scale) {
  const auto& mc = r.result;
  const auto& u = mc.uncertainty;
  out << "Monte Carlo ranges of " << r.deal_name << ": " << u.runs << " scenarios, seed " << u.seed << ", "
      << r.threads << (r.threads == 1 ? " thread, " : " threads, ") << format("%.2f s", r.seconds) << "\n"
      << "Uncertain inputs (" << (r.uncertainty_from_model ? "the model's uncertainty section" : "the defaults")
      << "), as changes from the model:\n";
  for (const auto& input : u.inputs)
    out << "  " << pad_right(std::string(solve::uncertainty_key(input.input)), 14) << describe(input) << "\n";
  out << "\n" << pad_right("", 26);
  for (const char* column : {"base", "mean", "sd", "P5", "P25", "P50", "P75", "P95"}) out << pad_left(column, 10);
  out << pad_left("without", 10) << "\n";
  for (Measure m : solve::all_measures) {
    std::string label = std::string(solve::measure_label(m));
    if (m == Measure::npv) label = "NPV, project (" + (scale.label.empty() ? "" : scale.label + " ") + r.currency + ")";
    out << pad_right("  " + label, 26) << pad_left(shown(m, solve::value_of(mc.base, m), scale), 10);
    const auto& s = mc.summary(m);
    const auto spread = [&](double value) {
      return is_rate(m) ? format("%.2f%%", value * 100) : m == Measure::npv ? format("%.2f", value / scale.divisor)
                                                                             : format("%.2fx", value);
    };
    if (s)
      for (double value : {s->mean, s->standard_deviation, s->p5, s->p25, s->p50, s->p75, s->p95})
        out << pad_left(spread(value), 10);
    else
      for (int i = 0; i < 7; ++i) out << pad_left("n/a", 10);
    out << pad_left(std::to_string(mc.scenarios_without(m)), 10) << "\n";
  }
  out << "  'without': scenarios with no value (no IRR: flows without a unique root; no DSCR: no debt\n"
         "  service), left out of the statistics.\n\n";
  out << "Probability that the project NPV is negative: " << format("%.1f%%", mc.probability_npv_negative * 100) << "\n";
  out << "Probability that the minimum DSCR is below " << format("%.2fx", u.dscr_covenant) << ": ";
  if (mc.probability_dscr_below_covenant)
    out << format("%.1f%%", *mc.probability_dscr_below_covenant * 100) << " (of the "
        << mc.summary(Measure::minimum_dscr)->scenarios << " scenarios with debt service)\n";
  else
    out << "n/a (no debt service)\n";
  if (mc.project_payback_months) {
    const auto& p = *mc.project_payback_months;
    out << "Project payback (months): mean " << format("%.1f", p.mean) << ", P5 " << format("%.1f", p.p5) << ", P50 "
        << format("%.1f", p.p50) << ", P95 " << format("%.1f", p.p95) << "; " << mc.scenarios_without_payback
        << " scenarios never pay back\n";
  }
  if (u.market) out << "Market rent on a monthly path: " << describe(*u.market) << "\n";
  if (u.events.any()) {
    out << "Drawn events: a customer default in " << percent_with_error(mc.customer_default_drawn)
        << " of the scenarios (re-leased after " << u.events.re_lease_after_months << " months), an early exit in "
        << percent_with_error(mc.early_termination_drawn);
    if (u.events.delivery_delay_months) out << ", a late delivery in " << percent_with_error(mc.late_delivery_drawn);
    if (u.events.power_shock) out << ", a power-price shock in " << percent_with_error(mc.power_shock_drawn);
    out << "\n";
    if (u.events.fleet_events())
      out << "Server-months held by customers but unbilled (servers late, or failed with no spare left): mean "
          << format("%.1f", mc.unbilled_unit_months.value) << " +/- " << format("%.1f", mc.unbilled_unit_months.standard_error)
          << " a scenario\n";
  }
  write_lender_table(out, mc, scale, r.currency);
  write_breaking_points(out, r);
  if (r.breach_level) {
    out << "\nLargest debt whose covenant breach probability stays at or below "
        << format("%.1f%%", *r.breach_level * 100) << ": ";
    if (!r.debt_at_breach)
      out << "none (the deal breaches more often than that with no debt, or has no debt to scale)\n";
    else
      out << format("%.2f", r.debt_at_breach->debt_drawn / scale.divisor) << " "
          << (scale.label.empty() ? "" : scale.label + " ") << r.currency << " drawn, "
          << format("%.3fx", r.debt_at_breach->factor) << " the model's debt (breach probability "
          << percent_with_error(r.debt_at_breach->breach) << ")"
          << (r.debt_at_breach->at_search_limit ? "; the search stops at 4x" : "") << "\n";
  }
  out << "\nConvergence:\n";
  for (const auto& note : mc.convergence) out << "  " << note << "\n";
  for (const auto& note : mc.notes) out << "  " << note << "\n";
}

void write_csv(std::ostream& out, const MonteCarloReport& r) {
  using text::csv_number;
  const auto& mc = r.result;
  out << "measure,base,scenarios,without,mean,sd,p5,p25,p50,p75,p95\n";
  for (Measure m : solve::all_measures) {
    out << solve::measure_key(m) << "," << csv_number(solve::value_of(mc.base, m));
    const auto& s = mc.summary(m);
    out << "," << (s ? s->scenarios : 0) << "," << mc.scenarios_without(m);
    if (s)
      for (double value : {s->mean, s->standard_deviation, s->p5, s->p25, s->p50, s->p75, s->p95})
        out << "," << csv_number(value);
    else
      out << ",,,,,,,";
    out << "\n";
  }
  out << "\nprobability,value\n"
      << "npv_negative," << csv_number(mc.probability_npv_negative) << "\n"
      << "minimum_dscr_below_covenant," << csv_number(mc.probability_dscr_below_covenant) << "\n"
      << "covenant_breach_over_life," << csv_number(mc.lender.breach_over_life.value) << "\n"
      << "cash_trap_over_life," << csv_number(mc.lender.cash_trap_over_life.value) << "\n"
      << "funding_shortfall_over_life," << csv_number(mc.lender.funding_shortfall_over_life.value) << "\n"
      << "lender_loss," << csv_number(mc.lender.probability_of_loss.value) << "\n";
  out << "\nquarter,dscr_breach,ltv_breach,cash_trap,funding_shortfall,first_breach\n";
  for (const auto& q : mc.lender.quarters)
    out << q.quarter + 1 << "," << csv_number(q.dscr_breach.value) << "," << csv_number(q.ltv_breach.value) << ","
        << csv_number(q.cash_trap.value) << "," << csv_number(q.funding_shortfall.value) << ","
        << csv_number(q.first_breach.value) << "\n";
}

void write_json(std::ostream& out, const MonteCarloReport& r) {
  const auto& mc = r.result;
  json inputs = json::array();
  for (const auto& input : mc.uncertainty.inputs)
    inputs.push_back({{"input", solve::uncertainty_key(input.input)},
                      {"change", solve::is_relative_change(input.input) ? "relative" : "points"},
                      {"distribution", describe(input)}});
  json measures = json::object();
  for (Measure m : solve::all_measures) {
    const auto& s = mc.summary(m);
    json summary = {{"base", optional_json(solve::value_of(mc.base, m))}, {"without", mc.scenarios_without(m)}};
    summary["scenarios"] = s ? s->scenarios : 0;
    if (s)
      for (const auto& [key, value] : {std::pair{"mean", s->mean}, {"sd", s->standard_deviation}, {"p5", s->p5},
                                       {"p25", s->p25}, {"p50", s->p50}, {"p75", s->p75}, {"p95", s->p95}})
        summary[key] = value;
    if (s) summary["mean_standard_error"] = s->mean_standard_error;
    measures[std::string(solve::measure_key(m))] = summary;
  }
  json payback = nullptr;
  if (const auto& p = mc.project_payback_months)
    payback = {{"scenarios", p->scenarios}, {"without", mc.scenarios_without_payback}, {"mean", p->mean},
               {"mean_standard_error", p->mean_standard_error}, {"p5", p->p5}, {"p25", p->p25}, {"p50", p->p50},
               {"p75", p->p75}, {"p95", p->p95}};
  json document = {{"schema", "leasecalc.montecarlo/1"},
                   {"deal", {{"name", r.deal_name}, {"currency", r.currency}}},
                   {"runs", mc.uncertainty.runs},
                   {"seed", mc.uncertainty.seed},
                   {"uncertainty_from_model", r.uncertainty_from_model},
                   {"inputs", inputs},
                   {"measures", measures},
                   {"probability_npv_negative", mc.probability_npv_negative},
                   {"dscr_covenant", mc.uncertainty.dscr_covenant},
                   {"probability_dscr_below_covenant", optional_json(mc.probability_dscr_below_covenant)},
                   {"probability_npv_negative_standard_error", mc.probability_npv_negative_standard_error},
                   {"project_payback_months", payback},
                   {"market", mc.uncertainty.market ? json(describe(*mc.uncertainty.market)) : json(nullptr)},
                   {"sampling", sampling_key(mc.uncertainty.sampling)},
                   {"lender", lender_json(mc.lender)},
                   {"events",
                    {{"customer_default", mc.uncertainty.events.customer_default},
                     {"re_lease_after_months", mc.uncertainty.events.re_lease_after_months},
                     {"early_termination_probability", mc.uncertainty.events.early_termination_probability},
                     {"termination_fee_months", mc.uncertainty.events.termination_fee_months},
                     {"scenarios_with_customer_default", estimate_json(mc.customer_default_drawn)},
                     {"scenarios_with_early_termination", estimate_json(mc.early_termination_drawn)},
                     {"scenarios_with_late_delivery", estimate_json(mc.late_delivery_drawn)},
                     {"scenarios_with_power_shock", estimate_json(mc.power_shock_drawn)},
                     {"unbilled_unit_months", estimate_json(mc.unbilled_unit_months)}}},
                   {"convergence", mc.convergence},
                   {"breaking_points", breaking_points_json(r)},
                   {"max_debt_at_breach", debt_at_breach_json(r)},
                   {"notes", mc.notes},
                   {"utilisation_draws_capped", mc.utilisation_draws_capped},
                   {"warnings", warnings_json(r.warnings)}};
  out << document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

void write_scenarios_csv(std::ostream& out, const solve::MonteCarloResult& mc) {
  using text::csv_number;
  out << "scenario";
  for (const auto& input : mc.uncertainty.inputs) out << "," << solve::uncertainty_key(input.input) << "_change";
  for (Measure m : solve::all_measures) out << "," << solve::measure_key(m);
  out << ",first_breach_month,lender_loss\n";
  for (Eigen::Index i = 0; i < mc.outcomes.rows(); ++i) {
    out << i;
    for (Eigen::Index j = 0; j < mc.changes.cols(); ++j) out << "," << csv_number(mc.changes(i, j));
    for (Eigen::Index k = 0; k < mc.outcomes.cols(); ++k)
      out << "," << (mc.defined(i, k) ? csv_number(mc.outcomes(i, k)) : std::string());
    const auto row = static_cast<std::size_t>(i);
    out << "," << (mc.first_breach_months[row] >= 0 ? std::to_string(mc.first_breach_months[row]) : std::string()) << ","
        << csv_number(mc.lender_losses[row]) << "\n";
  }
}

}  // namespace leasecalc::report
