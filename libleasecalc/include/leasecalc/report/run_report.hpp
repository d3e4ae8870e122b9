#pragma once
// What `leasecalc run` shows: the deal summary, the annual statements, the IRR and margin tables
// and the break-even figures, assembled once and written as a terminal table, CSV or JSON.

#include "leasecalc/deal/deal.hpp"
#include "leasecalc/engine/metrics.hpp"
#include "leasecalc/engine/project.hpp"
#include "leasecalc/engine/statements.hpp"
#include "leasecalc/solve/breakeven.hpp"

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leasecalc::report {

// Amounts are shown divided by a scale chosen for the reader: 亿 for CNY deals, M otherwise.
struct Scale {
  double divisor = 1;
  std::string label;  // "亿", "万", "M", "k", "bn", or "" for units
};
Scale default_scale(std::string_view currency);
// "亿", "万", "bn", "M", "k" or "1"; nothing for anything else.
std::optional<Scale> parse_scale(std::string_view text);

struct ContractBreakEven {
  std::string contract;
  double quoted_price;     // in the model's unit
  std::string price_unit;  // "per server-month", "per GPU-hour", ...
  double break_even_price;
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
  // Break-even: the prices and billed volume that just earn the target return (by default the
  // post-tax project IRR equal to the discount rate, i.e. a zero project NPV).
  solve::ReturnTarget target;
  std::vector<ContractBreakEven> break_even_prices;
  std::string break_even_price_note;
  double utilisation = 0;  // billed units over units in service, over the life
  std::optional<double> break_even_utilisation;
  std::string break_even_utilisation_note;
  // The monthly ledger, when asked for: line name -> values by month.
  std::vector<std::string> months;  // "2025-09", ...
  std::vector<std::pair<std::string, std::vector<double>>> ledger;
};

namespace detail {
engine::Table<double> to_double(const engine::Table<double>& table);
engine::Table<double> to_double(const engine::Table<num::Decimal>& table);
engine::Metrics<double> to_double(const engine::Metrics<double>& metrics);
engine::Metrics<double> to_double(const engine::Metrics<num::Decimal>& metrics);
std::string price_unit_name(deal::PriceUnit unit, const deal::Sku& sku);
void add_break_even(RunReport& report, const deal::Deal& deal, const solve::ReturnTarget& target);
}  // namespace detail

// Projects the deal (exactly in Decimal, or fast in double) and assembles the report. The
// break-even figures earn `target`: by default a post-tax project IRR of the discount rate.
template <num::Numeric Num>
RunReport make_run_report(const deal::Deal& deal, bool with_ledger,
                          std::optional<solve::ReturnTarget> target = std::nullopt) {
  const engine::Ledger<Num> ledger = engine::project<Num>(deal);
  RunReport report;
  report.deal_name = deal.name;
  report.currency = deal.currency;
  report.start = time::format_date(deal.start);
  report.horizon_months = deal.horizon_months;
  report.discount_rate = num::to_double(deal.discount_rate);
  report.exact = std::same_as<Num, num::Decimal>;
  report.metrics = detail::to_double(engine::metrics(deal, ledger));
  report.income_statement = detail::to_double(engine::income_statement(ledger));
  report.cash_flow = detail::to_double(engine::cash_flow_statement(ledger));
  report.utilisation = solve::average_utilisation(ledger);
  detail::add_break_even(report, deal, target.value_or(solve::ReturnTarget{report.discount_rate}));
  if (with_ledger) {
    for (int m = 0; m < ledger.months(); ++m) {
      report.months.push_back(time::format_date(engine::month_start(deal.start, m)).substr(0, 7));
    }
    for (std::size_t i = 0; i < engine::line_count; ++i) {
      const auto line = static_cast<engine::Line>(i);
      std::vector<double> values;
      for (int m = 0; m < ledger.months(); ++m) values.push_back(num::to_double(ledger(line, m)));
      report.ledger.emplace_back(std::string(engine::line_name(line)), std::move(values));
    }
    for (std::size_t i = 0; i < ledger.running_cost_names().size(); ++i) {
      std::vector<double> values;
      for (int m = 0; m < ledger.months(); ++m) values.push_back(num::to_double(ledger.running_cost(i, m)));
      report.ledger.emplace_back("running_cost:" + ledger.running_cost_names()[i], std::move(values));
    }
  }
  return report;
}

void write_table(std::ostream& out, const RunReport& report, const Scale& scale);
void write_csv(std::ostream& out, const RunReport& report);
void write_json(std::ostream& out, const RunReport& report);

}  // namespace leasecalc::report
