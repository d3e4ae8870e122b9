#pragma once
// What `leasecalc run` shows: the deal summary, the annual statements, the IRR and margin tables
// and the break-even figures, assembled once and written as a terminal table, CSV or JSON. The
// ledger lines (engine/ledger.hpp) and the metrics (below) are each described in one table that
// every writer iterates.

#include "leasecalc/deal/deal.hpp"
#include "leasecalc/engine/covenants.hpp"
#include "leasecalc/engine/metrics.hpp"
#include "leasecalc/engine/phases/debt_sizing.hpp"
#include "leasecalc/engine/project.hpp"
#include "leasecalc/engine/statements.hpp"
#include "leasecalc/engine/structures.hpp"
#include "leasecalc/io/warning.hpp"
#include "leasecalc/solve/breakeven.hpp"

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leasecalc::report {

// Amounts are shown divided by a scale chosen for the reader.
struct Scale {
  double divisor = 1;
  std::string label;  // "亿", "万", "M", "k", "bn", or "" for units
};
// The scale that suits amounts of the given magnitude (the deal's largest figure): for CNY, 亿 from
// 1亿, 万 from 1万, units below; otherwise M from a million, k from a thousand, units below.
Scale default_scale(std::string_view currency, double magnitude);
// The scale that suits the deal before it is projected, sized by the cost of its servers (for the
// reports that show no statements: sensitivity, Monte Carlo).
Scale default_scale(const deal::Deal& deal);
// "亿", "万", "bn", "M", "k" or "1"; nothing for anything else.
std::optional<Scale> parse_scale(std::string_view text);

struct ContractBreakEven {
  std::string contract;
  double quoted_price;     // in the model's unit
  std::string price_unit;  // "per server-month", "per GPU-hour", ...
  double break_even_price;
};

// One line of the monthly ledger as written: a line of the ledger table, or a named running cost.
struct LedgerRow {
  std::string key;    // the line's key, or "running_cost:NAME"
  std::string label;  // the line's label, or the running cost's name
  engine::LineKind kind = engine::LineKind::pnl;
  std::vector<double> values;  // by month
};

struct RunReport {
  std::string deal_name;
  std::string currency;
  std::string start;  // ISO date
  int horizon_months = 0;
  double discount_rate = 0;
  bool exact = true;  // decimal (exact) or double (fast) statements
  engine::Metrics<double> metrics;
  engine::Table<double> income_statement;
  engine::Table<double> cash_flow;
  engine::Table<double> balance_sheet;  // at each deal year's end
  // Break-even: the prices and billed volume that just earn the target return (by default the
  // post-tax project IRR equal to the discount rate, i.e. a zero project NPV).
  solve::ReturnTarget target;
  std::vector<ContractBreakEven> break_even_prices;
  std::optional<double> break_even_price_factor;  // one factor on every contract price
  std::string break_even_price_note;
  double utilisation = 0;  // billed units over units in service, over the life
  std::optional<double> break_even_utilisation;
  std::string break_even_utilisation_note;
  // Deal months are numbered from 0 (the start's month) in every writer; each is named by its
  // date, "2025-09", one a month.
  std::vector<std::string> months;
  // The monthly ledger, when asked for.
  std::vector<LedgerRow> ledger;
  // The covenant tests on their dates and each tranche against its contracts. The table shows
  // every test date with the monthly ledger; CSV and JSON always do.
  engine::CovenantReport covenants;
  // The lessee's view, the sale-leaseback and the guarantees (docs/structures.md), each shown only
  // when the model has it.
  engine::StructureReport structures;
  // Each tranche sized on the deal: every constraint's amount and the one that binds (none when
  // no tranche is sized; then CSV and JSON carry no sizing either).
  std::vector<engine::TrancheSizing<double>> debt_sizing;
  std::vector<io::Warning> warnings;  // about the model(s): JSON `warnings` (docs/json-output.md)
};

// The deal's largest figure (a total of the statements), from which the default scale follows.
double magnitude(const RunReport& report);

// ---- the metrics, described once -------------------------------------------------------------
// Every writer of `run` and `compare` iterates these tables; adding a metric is one entry.

enum class MetricFormat {
  amount,    // money in the deal's currency, shown at the scale
  rate,      // a fraction shown as a percentage: 8.00%
  irr,       // an IRR: a rate and, in JSON, {"rate", "note"}
  multiple,  // 1.42x
  months,    // 41.3 months
  share,     // a fraction shown to one decimal: 78.8%
  price,     // money per unit, in the deal's currency, not scaled
};

// A metric's value, or why it has none (and, for an IRR with several roots, which one is given).
struct MetricValue {
  std::optional<double> value;
  std::string note;
};

struct MetricInfo {
  std::string_view key;        // in CSV and JSON
  std::string_view section;    // the JSON object it sits in: "summary", "returns" or "break_even"
  std::string_view label;      // in the terminal table
  MetricFormat format;
  std::string_view when_null;  // what a missing value means (the note says why in each case)
  MetricValue (*value)(const RunReport&);
};

// The figures a run reports, in the order the writers show them.
const std::vector<MetricInfo>& run_metrics();

// A figure by deal year, then the whole life where `has_total`.
struct SeriesInfo {
  std::string_view key;
  std::string_view label;
  MetricFormat format;
  std::string_view when_null;
  bool has_total;
  const std::vector<std::optional<double>>& (*values)(const RunReport&);
};

const std::vector<SeriesInfo>& run_series();

// The figures of the deal's structures, in sections "lessee", "sale_leaseback",
// "residual_value_guarantee" and "capacity_backstop"; every writer shows a section only when the
// model has that structure (structure_present).
const std::vector<MetricInfo>& structure_metrics();
bool structure_present(const RunReport& report, std::string_view section);

namespace detail {
// The one sale-leaseback a model may have (the loader allows one).
const engine::SaleLeasebackView& leaseback(const RunReport& report);
// How a covenant's look-back is keyed in CSV and JSON.
std::string_view look_back_key(deal::CovenantLookBack look_back);
engine::Table<double> to_double(const engine::Table<double>& table);
engine::Table<double> to_double(const engine::Table<num::Decimal>& table);
std::string price_unit_name(deal::PriceUnit unit, const deal::Sku& sku);
// The break-even figures; the fast report solves them as closely as its figures are held
// (solve::SolvePrecision), starting from the NPV of its own ledger.
void add_break_even(RunReport& report, const deal::Deal& deal, const solve::ReturnTarget& target,
                    solve::SolvePrecision precision = solve::SolvePrecision::tight,
                    std::optional<double> npv_as_it_is = std::nullopt);

template <num::Numeric Num>
std::vector<engine::TrancheSizing<double>> to_double(const std::vector<engine::TrancheSizing<Num>>& sizing) {
  std::vector<engine::TrancheSizing<double>> result;
  for (const auto& tranche : sizing) {
    engine::TrancheSizing<double> converted{tranche.tranche, {}, tranche.binding, num::to_double(tranche.size),
                                            tranche.rounds, num::to_double(tranche.tax_alternation)};
    for (std::size_t i = 0; i < tranche.limits.size(); ++i)
      if (tranche.limits[i]) converted.limits[i] = num::to_double(*tranche.limits[i]);
    result.push_back(std::move(converted));
  }
  return result;
}
}  // namespace detail

// The headline of the report on a projected ledger of `deal`: the deal, the metrics, the
// utilisation and the break-even figures (which earn `target`: by default a post-tax project IRR
// of the discount rate), without the statements, covenants, structures, debt sizing or months.
// What run_json_headline_text writes and a quote answers with.
template <num::Numeric Num>
RunReport make_headline_report(const deal::Deal& deal, const engine::Ledger<Num>& ledger,
                               std::optional<solve::ReturnTarget> target = std::nullopt) {
  RunReport report;
  report.deal_name = deal.name;
  report.currency = deal.currency;
  report.start = time::format_date(deal.start);
  report.horizon_months = deal.horizon_months;
  report.discount_rate = num::to_double(deal.discount_rate);
  report.exact = std::same_as<Num, num::Decimal>;
  report.metrics = engine::metrics(deal, ledger).converted([](const Num& value) { return num::to_double(value); });
  report.utilisation = solve::average_utilisation(ledger);
  const solve::ReturnTarget break_even_target = target.value_or(solve::ReturnTarget{report.discount_rate});
  if constexpr (std::same_as<Num, double>)
    detail::add_break_even(report, deal, break_even_target, solve::SolvePrecision::fast,
                           solve::npv(ledger, break_even_target.basis, break_even_target.annual_rate));
  else
    detail::add_break_even(report, deal, break_even_target);
  return report;
}

// The report on a projected ledger of `deal`: the headline above, the statements, the covenant
// tests, the structures, the debt sizing and, with `with_ledger`, the monthly ledger.
template <num::Numeric Num>
RunReport make_run_report(const deal::Deal& deal, const engine::Ledger<Num>& ledger, bool with_ledger,
                          std::optional<solve::ReturnTarget> target = std::nullopt) {
  RunReport report = make_headline_report(deal, ledger, target);
  report.income_statement = detail::to_double(engine::income_statement(ledger));
  report.cash_flow = detail::to_double(engine::cash_flow_statement(ledger));
  report.balance_sheet = detail::to_double(engine::balance_sheet_statement(ledger));
  report.covenants = engine::covenant_report(deal, ledger);
  report.structures = engine::structure_report(deal, ledger);
  // The sizing of a sized tranche, from the projection that sized it (the ledger carries the result).
  if (std::ranges::any_of(deal.debt, [](const auto& tranche) { return tranche.sizing.has_value(); }))
    report.debt_sizing = detail::to_double(engine::project_with_sizing<Num>(deal).debt_sizing);
  for (int m = 0; m < ledger.months(); ++m)
    report.months.push_back(time::format_date(engine::month_start(deal.start, m)).substr(0, 7));
  if (with_ledger) {
    const auto by_month = [&](auto value_of) {
      std::vector<double> values;
      for (int m = 0; m < ledger.months(); ++m) values.push_back(num::to_double(value_of(m)));
      return values;
    };
    for (const engine::LineInfo& info : engine::line_table)
      report.ledger.push_back({std::string(info.key), std::string(info.label), info.kind,
                               by_month([&](int m) { return ledger(info.line, m); })});
    for (std::size_t i = 0; i < ledger.running_cost_names().size(); ++i)
      report.ledger.push_back({"running_cost:" + ledger.running_cost_names()[i], ledger.running_cost_names()[i],
                               engine::LineKind::pnl, by_month([&](int m) { return ledger.running_cost(i, m); })});
  }
  return report;
}

// Projects the deal (exactly in Decimal, or fast in double) and assembles the report.
template <num::Numeric Num>
RunReport make_run_report(const deal::Deal& deal, bool with_ledger,
                          std::optional<solve::ReturnTarget> target = std::nullopt) {
  return make_run_report<Num>(deal, engine::project<Num>(deal), with_ledger, target);
}

// A value in the metric's format as the terminal table shows it (amounts at `scale`; "-" for an
// amount that is exactly zero, "0.00" for one that rounds to zero at the scale).
std::string formatted(MetricFormat format, double value, const Scale& scale);
// The metric's value as the terminal table shows it (amounts at `scale`), "n/a (why)" when none.
std::string shown_value(const MetricInfo& metric, const MetricValue& value, const Scale& scale);

// A covenant value as shown: a multiple "1.35x" or a share "62.0%"; a headroom "+12.5%".
std::string covenant_value_text(engine::CovenantFormat format, double value);
std::string headroom_text(double headroom);

void write_table(std::ostream& out, const RunReport& report, const Scale& scale);
void write_csv(std::ostream& out, const RunReport& report);
void write_json(std::ostream& out, const RunReport& report);

}  // namespace leasecalc::report
