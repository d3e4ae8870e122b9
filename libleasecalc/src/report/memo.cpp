#include "leasecalc/report/memo.hpp"

#include "svg.hpp"
#include "text.hpp"

#include "leasecalc/version.hpp"

#include <algorithm>
#include <cmath>
#include <ostream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <variant>

namespace leasecalc::report {

using text::format;

namespace {

using svg::escaped;

// "1,024" and "62,663.00": digits grouped in threes, as a reader of a memo expects.
std::string grouped(double value, int decimals) {
  std::string digits = format(decimals == 0 ? "%.0f" : "%.2f", std::abs(value));
  const std::size_t point = digits.find('.');
  for (auto i = static_cast<long>(point == std::string::npos ? digits.size() : point) - 3; i > 0; i -= 3)
    digits.insert(static_cast<std::size_t>(i), ",");
  return (value < 0 && digits.find_first_not_of("0.,") != std::string::npos ? "-" : "") + digits;
}

std::string unit_text(const Scale& scale, const std::string& currency) {
  return (scale.label.empty() ? "" : scale.label + " ") + currency;
}

// An amount in words: "26.62 亿 CNY".
std::string money(double value, const Scale& scale, const std::string& currency) {
  return format("%.2f", value / scale.divisor) + " " + unit_text(scale, currency);
}

const MetricInfo& metric(std::string_view key) {
  for (const auto& info : run_metrics())
    if (info.key == key) return info;
  throw std::logic_error("no run metric '" + std::string(key) + "'");
}

// A run metric as the terminal table shows it.
std::string shown(const RunReport& run, std::string_view key, const Scale& scale) {
  const MetricInfo& info = metric(key);
  return shown_value(info, info.value(run), scale);
}

// What kills this deal: each uncertain input alone, the value at which the NPV reaches zero, the
// equity IRR misses its target and the first covenant breach appears (as `montecarlo` prints it).
void write_breaking_points_html(std::ostream& out, const MonteCarloReport& report) {
  if (report.breaking_points.empty()) return;
  out << "<h3>What kills this deal</h3>\n<p>Each input alone, moved over the range it is drawn from: the change "
         "from the model (and the input's level) at which the project NPV reaches zero, the equity IRR falls to "
      << format("%.1f%%", report.equity_target * 100)
      << ", or the first covenant breach appears.</p>\n<table class=\"statement\" id=\"breaking-points\">\n"
         "<thead><tr><th>input</th><th>NPV zero</th><th>equity target</th><th>first breach</th>"
         "<th>as modelled</th></tr></thead>\n<tbody>\n";
  for (const auto& point : report.breaking_points) {
    out << "<tr><th>" << escaped(std::string(solve::uncertainty_key(point.input))) << "</th>";
    if (!point.note.empty()) {
      out << "<td colspan=\"4\">ignored, " << escaped(point.note) << "</td></tr>\n";
      continue;
    }
    for (const auto* change : {&point.npv_zero, &point.equity_target_missed, &point.first_breach})
      out << "<td>" << escaped(breaking_text(point, *change)) << "</td>";
    out << "<td>" << escaped(point.base_level ? level_text(point, *point.base_level) + " " + point.unit : "") << "</td></tr>\n";
  }
  out << "</tbody></table>\n";
}

std::string amortisation_name(const deal::DebtTranche& tranche) {
  switch (tranche.kind) {
    case deal::DebtTranche::Kind::term_loan: return "term loan";
    case deal::DebtTranche::Kind::finance_lease: return "finance lease";
    case deal::DebtTranche::Kind::sale_leaseback: return "sale-leaseback";
  }
  return "debt";
}

// The years of a statement, without its life column.
std::vector<std::string> years(const RunReport& run) {
  std::vector<std::string> columns = run.income_statement.columns;
  if (!columns.empty() && columns.back() == "Total") columns.pop_back();
  return columns;
}

svg::Series row_series(const engine::Table<double>& table, std::string_view name, std::size_t years, double divisor) {
  svg::Series series{std::string(name), {}};
  if (const auto* row = table.find(name))
    for (std::size_t y = 0; y < years && y < row->values.size(); ++y) series.values.emplace_back(row->values[y] / divisor);
  return series;
}

const LedgerRow* ledger_row(const RunReport& run, std::string_view key) {
  for (const auto& row : run.ledger)
    if (row.key == key) return &row;
  return nullptr;
}

void write_statement(std::ostream& out, std::string_view title, const engine::Table<double>& table, const Scale& scale,
                     const std::string& currency) {
  out << "<table class=\"statement\">\n<caption>" << escaped(title) << " (" << escaped(unit_text(scale, currency))
      << ")</caption>\n<thead><tr><th></th>";
  for (const auto& column : table.columns) out << "<th>" << escaped(column) << "</th>";
  out << "</tr></thead>\n<tbody>\n";
  for (const auto& row : table.rows) {
    out << "<tr" << (row.subtotal ? " class=\"subtotal\"" : "") << "><th>" << escaped(row.name) << "</th>";
    for (double value : row.values) out << "<td>" << escaped(formatted(MetricFormat::amount, value, scale)) << "</td>";
    out << "</tr>\n";
  }
  out << "</tbody></table>\n";
}

constexpr const char* style = R"css(
:root { --ink: #1d2330; --muted: #5b6472; --rule: #d5d9e0; --accent: #1f5fa8; --band: #f4f6f9; }
* { box-sizing: border-box; }
body { font-family: "Helvetica Neue", Arial, "Noto Sans", "Noto Sans CJK SC", sans-serif; color: var(--ink);
       margin: 0 auto; max-width: 1100px; padding: 24px 32px 48px; line-height: 1.45; font-size: 14px; }
header h1 { margin: 0 0 4px; font-size: 26px; }
header p { margin: 0; color: var(--muted); }
h2 { font-size: 18px; border-bottom: 2px solid var(--accent); padding-bottom: 4px; margin-top: 32px; }
p.deal { font-size: 15px; }
table { border-collapse: collapse; margin: 8px 0 18px; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { padding: 3px 10px; border-bottom: 1px solid var(--rule); }
td { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th { text-align: left; font-weight: normal; }
thead th { font-weight: 600; text-align: right; border-bottom: 2px solid var(--ink); }
thead th:first-child { text-align: left; }
tr.subtotal th, tr.subtotal td { font-weight: 600; background: var(--band); }
table.headline td { font-size: 16px; font-weight: 600; text-align: right; }
table.headline td.note { font-size: 12px; font-weight: normal; color: var(--muted); text-align: left; white-space: normal; }
.charts { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 16px 28px; }
.charts .wide { grid-column: 1 / -1; max-width: 760px; }
svg.chart { width: 100%; max-width: 760px; height: auto; display: block; }
@media (max-width: 1000px) { .charts { grid-template-columns: minmax(0, 1fr); } }
svg.chart text { font-family: inherit; fill: var(--ink); }
svg.chart .chart-title { font-size: 14px; font-weight: 600; }
svg.chart .tick, svg.chart .legend { font-size: 11px; fill: var(--muted); }
svg.chart .label { font-size: 12px; }
svg.chart .case { font-size: 9px; fill: var(--muted); }
svg.chart .marker { font-size: 11px; fill: #c0392b; }
.statements { overflow-x: auto; }
dl.assumptions { display: grid; grid-template-columns: minmax(160px, 24%) 1fr; gap: 4px 16px; }
dl.assumptions dt { font-family: "DejaVu Sans Mono", monospace; font-size: 12px; color: var(--accent); }
dl.assumptions dd { margin: 0; }
.muted, footer { color: var(--muted); font-size: 12px; }
ul.warnings li { color: #8a4b00; }
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { max-width: none; padding: 0; font-size: 10.5px; }
  h2 { break-after: avoid; margin-top: 18px; }
  section, table, svg.chart { break-inside: avoid; }
  .statements { overflow: visible; }
  th, td { padding: 2px 6px; }
  .charts { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); }
  a { color: inherit; text-decoration: none; }
}
)css";

}  // namespace

std::string deal_paragraph(const deal::Deal& deal, const RunReport& run, const Scale& scale) {
  const auto& cluster = deal.cluster;
  std::string text = deal.name + ": " + grouped(cluster.servers, 0) + " " + cluster.sku.name + " " +
                     (cluster.sku.unit_kind == deal::UnitKind::rack ? "racks" : "servers") + " (" +
                     grouped(static_cast<double>(cluster.servers) * cluster.sku.gpus_per_unit, 0) + " GPUs) costing " +
                     money(run.metrics.capex, scale, deal.currency) + " with VAT, held for " +
                     std::to_string(deal.horizon_months) + " months from " + run.start + " and sold at the horizon. ";
  std::vector<std::string> contracts;
  for (const auto& contract : deal.contracts) {
    std::visit(
        [&](const auto& c) {
          using C = std::decay_t<decltype(c)>;
          std::string said = c.name + " (";
          if constexpr (std::is_same_v<C, deal::TakeOrPay>)
            said += "take-or-pay, " + grouped(num::to_double(c.servers), 0) + " units for " + std::to_string(c.term_months) +
                    " months";
          else
            said += "on demand, " + grouped(num::to_double(c.servers), 0) + " units offered";
          for (const auto& price : run.break_even_prices)
            if (price.contract == c.name) said += ", at " + grouped(price.quoted_price, 2) + " " + deal.currency + " " + price.price_unit;
          contracts.push_back(said + ")");
        },
        contract);
  }
  if (!contracts.empty()) {
    text += contracts.size() == 1 ? "It earns its rent from one contract: " : "It earns its rent from " +
                                                                                  std::to_string(contracts.size()) + " contracts: ";
    for (std::size_t i = 0; i < contracts.size(); ++i) text += (i ? "; " : "") + contracts[i];
    text += ". ";
  }
  if (deal.debt.empty()) {
    text += "It is funded by equity alone (" + money(run.metrics.equity_invested, scale, deal.currency) + "). ";
  } else {
    text += "It borrows " + money(run.metrics.debt_drawn, scale, deal.currency) + " (";
    for (std::size_t i = 0; i < deal.debt.size(); ++i) {
      const auto& tranche = deal.debt[i];
      text += (i ? "; " : "") + tranche.name + ": " + amortisation_name(tranche) + ", " +
              format("%.2f%%", num::to_double(tranche.annual_rate) * 100) + (tranche.floating ? " at the start" : "") +
              " over " + std::to_string(tranche.term_months) + " months";
    }
    text += ") and its shareholders put in " + money(run.metrics.equity_invested, scale, deal.currency) + ". ";
  }
  text += "Cash flows are discounted at " + format("%.2f%%", run.discount_rate * 100) + " a year.";
  return text;
}

Memo make_memo(const deal::Deal& deal, const MemoOptions& options, std::vector<io::ModelComment> assumptions,
               const solve::Progress& progress) {
  Memo memo;
  memo.deal = deal;
  memo.run = make_run_report<num::Decimal>(deal, true);
  memo.tornado = solve::tornado(deal, options.tornado);
  memo.monte_carlo = make_monte_carlo_report(deal, options.uncertainty, options.uncertainty_from_model,
                                             {options.threads, std::nullopt, std::nullopt, progress});
  if (deal.covenants.minimum_dscr) memo.dscr_covenant = num::to_double(*deal.covenants.minimum_dscr);
  memo.assumptions = std::move(assumptions);
  return memo;
}

void write_html(std::ostream& out, const Memo& memo, const Scale& scale) {
  const RunReport& run = memo.run;
  const auto& m = run.metrics;
  const std::string unit = unit_text(scale, run.currency);
  const std::vector<std::string> year_columns = years(run);
  const auto amount_axis = [&](double v) { return format("%.2f", v); };
  const auto percent_axis = [](double v) { return format("%.0f%%", v * 100); };

  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      // Nothing may be fetched: no script, font, image or style from anywhere.
      << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<title>Deal memo: " << escaped(run.deal_name) << "</title>\n<style>" << style << "</style>\n</head>\n<body>\n";
  out << "<header>\n<h1>" << escaped(run.deal_name) << "</h1>\n<p>Deal memo. " << run.horizon_months << " months from "
      << run.start << "; amounts in " << escaped(unit) << " (exact decimal ledger); discount rate "
      << format("%.2f%%", run.discount_rate * 100) << ".</p>\n</header>\n";

  out << "<section id=\"deal\">\n<h2>The deal</h2>\n<p class=\"deal\">" << escaped(deal_paragraph(memo.deal, run, scale)) << "</p>\n</section>\n";

  // ---- headline figures
  out << "<section id=\"headline\">\n<h2>Headline figures</h2>\n<table class=\"headline\">\n";
  const auto headline = [&](std::string_view label, const std::string& value, const std::string& note = {}) {
    out << "<tr><th>" << escaped(label) << "</th><td>" << escaped(value) << "</td><td class=\"note\">" << escaped(note)
        << "</td></tr>\n";
  };
  for (const auto& price : run.break_even_prices)
    headline("Price: " + price.contract, grouped(price.quoted_price, 2) + " " + run.currency + " " + price.price_unit,
             "as modelled");
  for (const auto key : {"project_irr_post_tax", "project_irr_pre_tax", "equity_irr", "project_npv", "net_margin",
                         "minimum_dscr", "moic"}) {
    const MetricInfo& info = metric(key);
    headline(info.label, shown(run, key, scale), info.format == MetricFormat::amount ? unit : "");
  }
  const std::string target = format("%.2f%%", run.target.annual_rate * 100);
  for (const auto& price : run.break_even_prices)
    headline("Break-even price: " + price.contract,
             grouped(price.break_even_price, 2) + " " + run.currency + " " + price.price_unit,
             "earns " + std::string(solve::names_of(run.target.basis).name) + " " + target);
  if (run.break_even_prices.empty() || !run.break_even_price_factor)
    headline("Break-even price, change from the model", shown(run, "break_even_price_change", scale));
  headline("Utilisation billed in the model", shown(run, "utilisation", scale));
  headline("Break-even utilisation", shown(run, "break_even_utilisation", scale),
           "billed volume that earns " + std::string(solve::names_of(run.target.basis).name) + " " + target);
  out << "</table>\n</section>\n";

  // ---- statements
  out << "<section id=\"statements\">\n<h2>Annual statements</h2>\n<div class=\"statements\">\n";
  write_statement(out, "Income statement", run.income_statement, scale, run.currency);
  write_statement(out, "Cash flow", run.cash_flow, scale, run.currency);
  out << "<table class=\"statement\">\n<caption>Margins and DSCR</caption>\n<thead><tr><th></th>";
  for (const auto& column : run.income_statement.columns) out << "<th>" << escaped(column) << "</th>";
  out << "</tr></thead>\n<tbody>\n";
  for (const auto& series : run_series()) {
    const MetricInfo as_metric{series.key, "", series.label, series.format, series.when_null, nullptr};
    out << "<tr><th>" << escaped(series.label) << (series.has_total ? "" : " (total: minimum)") << "</th>";
    for (const auto& value : series.values(run))
      out << "<td>" << escaped(value ? shown_value(as_metric, {value, ""}, scale) : "-") << "</td>";
    if (!series.has_total) out << "<td>" << escaped(m.minimum_dscr ? format("%.2fx", *m.minimum_dscr) : "-") << "</td>";
    out << "</tr>\n";
  }
  out << "</tbody></table>\n</div>\n</section>\n";

  // ---- charts
  out << "<section id=\"charts\">\n<h2>Cash flows, debt and margins</h2>\n<div class=\"charts\">\n<div class=\"wide\">\n";
  std::vector<svg::Series> flows;
  for (const auto* name : {"Operating cash flow", "Free cash flow to firm (post-tax)", "Free cash flow to equity"})
    if (run.cash_flow.find(name)) flows.push_back(row_series(run.cash_flow, name, year_columns.size(), scale.divisor));
  out << svg::bar_chart("Cash flows by year (" + unit + ")", year_columns, flows, amount_axis) << "</div>\n";

  // The debt outstanding at each month end.
  std::vector<std::string> month_labels = run.months;
  if (const LedgerRow* debt = ledger_row(run, "debt_outstanding")) {
    svg::Series balance{"Debt outstanding", {}};
    for (double value : debt->values) balance.values.emplace_back(value / scale.divisor);
    out << "<div>\n"
        << svg::line_chart("Debt outstanding at month end (" + unit + ")", month_labels, {balance}, amount_axis, 12)
        << "</div>\n";
  }
  std::optional<svg::Reference> covenant;
  if (memo.dscr_covenant) covenant = svg::Reference{*memo.dscr_covenant, format("covenant %.2fx", *memo.dscr_covenant)};
  else if (!m.dscr.empty()) covenant = svg::Reference{memo.monte_carlo.result.uncertainty.dscr_covenant,
                                                      format("lenders' minimum %.2fx (no covenant in the model)",
                                                             memo.monte_carlo.result.uncertainty.dscr_covenant)};
  out << "<div>\n"
      << svg::bar_chart("DSCR by year", year_columns, {{"DSCR", {m.dscr.begin(), m.dscr.end()}}},
                        [](double v) { return format("%.2fx", v); }, covenant)
      << "</div>\n";
  std::vector<svg::Series> margins;
  for (const auto& series : run_series()) {
    if (!series.has_total) continue;
    const auto& values = series.values(run);
    margins.push_back({std::string(series.label),
                       {values.begin(), values.begin() + static_cast<std::ptrdiff_t>(std::min(values.size(), year_columns.size()))}});
  }
  out << "<div class=\"wide\">\n" << svg::bar_chart("Margins by year", year_columns, margins, percent_axis) << "</div>\n";
  out << "</div>\n</section>\n";

  // ---- tornado
  const auto& tornado = memo.tornado;
  const solve::Measure measure = tornado.options.sort_by;
  const auto measure_axis = [&](double v) {
    return measure == solve::Measure::npv ? format("%.2f", v / scale.divisor) : measure_text(measure, v, scale);
  };
  out << "<section id=\"tornado\">\n<h2>Sensitivity</h2>\n<p>Each input " << format("%g%%", tornado.options.shock * 100)
      << " down and up, one at a time (depreciation lives " << tornado.options.life_change_months
      << " months shorter and longer), and the " << escaped(solve::measure_label(measure))
      << (measure == solve::Measure::npv ? " (" + escaped(unit) + ")" : "") << " it gives; the largest swing first.</p>\n";
  std::vector<svg::TornadoBar> bars;
  for (const auto& row : tornado.rows) {
    svg::TornadoBar bar{std::string(solve::input_label(row.input)), {}, {}, {}, {}};
    if (row.low) {
      bar.low = solve::value_of(row.low->outcome, measure);
      bar.low_label = input_value_text(row.unit, row.low->input_value);
    }
    if (row.high) {
      bar.high = solve::value_of(row.high->outcome, measure);
      bar.high_label = input_value_text(row.unit, row.high->input_value);
    }
    bars.push_back(std::move(bar));
  }
  const auto base = solve::value_of(tornado.base, measure);
  if (base)
    out << svg::tornado_chart(std::string(solve::measure_label(measure)) + " with each input lowered and raised", *base,
                              bars, measure_axis);
  else
    out << "<p class=\"muted\">The base case has no " << escaped(solve::measure_label(measure)) << ".</p>\n";
  if (!tornado.skipped.empty()) {
    out << "<p class=\"muted\">Not shocked: ";
    for (std::size_t i = 0; i < tornado.skipped.size(); ++i)
      out << (i ? "; " : "") << escaped(solve::input_label(tornado.skipped[i].input)) << " (" << escaped(tornado.skipped[i].note) << ")";
    out << ".</p>\n";
  }
  out << "</section>\n";

  // ---- Monte Carlo
  const auto& mc = memo.monte_carlo.result;
  out << "<section id=\"montecarlo\">\n<h2>Monte Carlo range</h2>\n<p>" << mc.uncertainty.runs
      << " scenarios (seed " << mc.uncertainty.seed << ") drawn from "
      << (memo.monte_carlo.uncertainty_from_model ? "the model's uncertainty section" : "the documented defaults")
      << ", as changes from the model: ";
  for (std::size_t i = 0; i < mc.uncertainty.inputs.size(); ++i)
    out << (i ? "; " : "") << escaped(solve::uncertainty_key(mc.uncertainty.inputs[i].input)) << " "
        << escaped(describe(mc.uncertainty.inputs[i]));
  out << ".</p>\n<table class=\"statement\">\n<thead><tr><th></th>";
  for (const char* column : {"base", "mean", "P5", "P50", "P95", "without"}) out << "<th>" << column << "</th>";
  out << "</tr></thead>\n<tbody>\n";
  for (const solve::Measure each : solve::all_measures) {
    std::string label(solve::measure_label(each));
    if (each == solve::Measure::npv) label += " (" + unit + ")";
    out << "<tr><th>" << escaped(label) << "</th><td>" << escaped(measure_text(each, solve::value_of(mc.base, each), scale))
        << "</td>";
    if (const auto& s = mc.summary(each))
      for (double value : {s->mean, s->p5, s->p50, s->p95}) out << "<td>" << escaped(measure_text(each, value, scale)) << "</td>";
    else
      for (int i = 0; i < 4; ++i) out << "<td>n/a</td>";
    out << "<td>" << mc.scenarios_without(each) << "</td></tr>\n";
  }
  out << "</tbody></table>\n<p>Probability that the project NPV is negative: "
      << format("%.1f%%", mc.probability_npv_negative * 100) << ". Probability that the minimum DSCR is below "
      << format("%.2fx", mc.uncertainty.dscr_covenant) << ": "
      << (mc.probability_dscr_below_covenant ? format("%.1f%%", *mc.probability_dscr_below_covenant * 100)
                                             : std::string("n/a (no debt service)"))
      << ".</p>\n<div class=\"charts\">\n";
  for (const solve::Measure each : {solve::Measure::project_irr, solve::Measure::equity_irr}) {
    const auto column = static_cast<Eigen::Index>(each);
    std::vector<double> values;
    for (Eigen::Index i = 0; i < mc.outcomes.rows(); ++i)
      if (mc.defined(i, column)) values.push_back(mc.outcomes(i, column));
    std::vector<svg::Marker> markers;
    if (const auto& s = mc.summary(each)) markers = {{s->p5, "P5"}, {s->p50, "P50"}, {s->p95, "P95"}};
    out << "<div>\n"
        << svg::histogram(std::string(solve::measure_label(each)) + " over the scenarios", values, 30, markers,
                          [](double v) { return format("%.1f%%", v * 100); })
        << "</div>\n";
  }
  out << "</div>\n";
  for (const auto& note : mc.notes) out << "<p class=\"muted\">" << escaped(note) << "</p>\n";
  write_breaking_points_html(out, memo.monte_carlo);
  out << "</section>\n";

  // ---- assumptions
  out << "<section id=\"assumptions\">\n<h2>Stated assumptions</h2>\n";
  if (memo.assumptions.empty()) {
    out << "<p class=\"muted\">The model states none in its comments.</p>\n";
  } else {
    out << "<p class=\"muted\">The model's own comments, by the field they speak of.</p>\n<dl class=\"assumptions\">\n";
    for (const auto& comment : memo.assumptions)
      out << "<dt>" << escaped(comment.field.empty() ? "the model" : comment.field) << "</dt><dd>" << escaped(comment.text)
          << "</dd>\n";
    out << "</dl>\n";
  }
  if (!memo.warnings.empty()) {
    out << "<h3>Warnings</h3>\n<ul class=\"warnings\">\n";
    for (const auto& warning : memo.warnings) out << "<li>" << escaped(warning.text()) << "</li>\n";
    out << "</ul>\n";
  }
  out << "</section>\n<footer><p>Prepared with leasecalc " << escaped(version())
      << " from the model file; every figure is the engine's, as <code>leasecalc run</code>, <code>sensitivity</code> and "
         "<code>montecarlo</code> show it.</p></footer>\n</body>\n</html>\n";
}

}  // namespace leasecalc::report
