#pragma once
// Statements from the ledger: the subtotals of a month (revenue, EBITDA, free cash flow, ...) and
// the annual P&L and cash-flow tables. Deal years are 12-month periods from the deal's start.

#include "leasecalc/engine/ledger.hpp"

#include <concepts>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace leasecalc::engine {

// ---- one month's subtotals -------------------------------------------------------------------
// Each subtotal sums the lines that the line table (ledger.hpp) makes members of it.

// The sum over the lines for which `Predicate` holds in month m.
template <bool (*Predicate)(Line), num::Numeric Num>
Num sum_of_lines(const Ledger<Num>& l, int m) {
  constexpr auto lines = lines_where<Predicate>();
  Num sum(0);
  for (const Line line : lines) sum += l(line, m);
  return sum;
}

namespace detail {

// The sums of months [first, first + Block) over `lines`, held in registers across the lines, so
// that they are read and written once, not once a line.
template <std::size_t Block>
void add_block_of_rows(std::vector<double>& sums, const Ledger<double>& l, std::span<const Line> lines,
                       std::size_t first) {
  double partial[Block];
  for (std::size_t k = 0; k < Block; ++k) partial[k] = sums[first + k];
  for (const Line line : lines) {
    const double* row = l.row(line).data() + first;
    for (std::size_t k = 0; k < Block; ++k) partial[k] += row[k];
  }
  for (std::size_t k = 0; k < Block; ++k) sums[first + k] = partial[k];
}

}  // namespace detail

// The sums over `lines` for every month at once, a line's row at a time: each month's sum adds the
// lines in the same order as sum_of_lines, so each is the same number, bit for bit.
template <num::Numeric Num>
void add_rows(std::vector<Num>& sums, const Ledger<Num>& l, std::span<const Line> lines) {
  if constexpr (std::same_as<Num, double>) {
    // Each month's sum is a chain of additions, one a line, each waiting on the last: sixteen
    // months at a time keep the processor's adders busy; the months left go in blocks of eight,
    // four, two and one.
    std::size_t first = 0;
    const std::size_t months = sums.size();
    for (; first + 16 <= months; first += 16) detail::add_block_of_rows<16>(sums, l, lines, first);
    if (first + 8 <= months) detail::add_block_of_rows<8>(sums, l, lines, std::exchange(first, first + 8));
    if (first + 4 <= months) detail::add_block_of_rows<4>(sums, l, lines, std::exchange(first, first + 4));
    if (first + 2 <= months) detail::add_block_of_rows<2>(sums, l, lines, std::exchange(first, first + 2));
    if (first < months) detail::add_block_of_rows<1>(sums, l, lines, first);
  } else {
    for (const Line line : lines) {
      const std::span<const Num> row = l.row(line);
      for (std::size_t m = 0; m < sums.size(); ++m) sums[m] += row[m];
    }
  }
}

template <num::Numeric Num>
std::vector<Num> monthly_sums(const Ledger<Num>& l, std::span<const Line> lines) {
  std::vector<Num> sums(static_cast<std::size_t>(l.months()));  // zeros
  add_rows(sums, l, lines);
  return sums;
}

template <bool (*Predicate)(Line), num::Numeric Num>
std::vector<Num> monthly_sums_of_lines(const Ledger<Num>& l) {
  static constexpr auto lines = lines_where<Predicate>();
  return monthly_sums(l, std::span<const Line>(lines));
}

namespace detail {
constexpr bool in_ebit(Line line) { return in_ebitda(line) || is_depreciation_or_sale(line); }
constexpr bool in_pre_tax_income(Line line) { return in_ebit(line) || is_financing_cost(line); }
}  // namespace detail

// Rent earned: committed and on-demand fees after service credits, and termination fees. The
// margins are quoted on it, so that income which is not rent (a VAT refund booked as income) does
// not dilute them.
template <num::Numeric Num>
Num lease_revenue(const Ledger<Num>& l, int m) {
  return sum_of_lines<in_lease_revenue>(l, m);
}

// Lease revenue plus other income.
template <num::Numeric Num>
Num revenue(const Ledger<Num>& l, int m) {
  return sum_of_lines<in_revenue>(l, m);
}

// Running costs paid in cash (negative).
template <num::Numeric Num>
Num running_costs_paid(const Ledger<Num>& l, int m) {
  return sum_of_lines<is_running_cost_paid>(l, m);
}

// Running costs paid and credit losses (negative).
template <num::Numeric Num>
Num operating_costs(const Ledger<Num>& l, int m) {
  return sum_of_lines<is_operating_cost>(l, m);
}

template <num::Numeric Num>
Num ebitda(const Ledger<Num>& l, int m) {
  return sum_of_lines<in_ebitda>(l, m);
}

template <num::Numeric Num>
Num ebit(const Ledger<Num>& l, int m) {
  return sum_of_lines<detail::in_ebit>(l, m);
}

template <num::Numeric Num>
Num pre_tax_income(const Ledger<Num>& l, int m) {
  return sum_of_lines<detail::in_pre_tax_income>(l, m);
}

// Interest, swap settlements and financing fees: between EBIT and pre-tax income (negative).
template <num::Numeric Num>
Num financing_costs(const Ledger<Num>& l, int m) {
  return sum_of_lines<is_financing_cost>(l, m);
}

template <num::Numeric Num>
Num net_income(const Ledger<Num>& l, int m) {
  return sum_of_lines<in_net_income>(l, m);
}

// The month's part of the year's taxable income (before the gain on sale for tax, which the tax
// computation adds at the horizon), as if the deal had no debt: the unlevered base.
template <num::Numeric Num>
Num unlevered_tax_base(const Ledger<Num>& l, int m) {
  return sum_of_lines<detail::in_unlevered_tax_base>(l, m);
}

// What the levered base (the deal as financed) deducts besides: interest, swap settlements and
// financing fees.
template <num::Numeric Num>
Num tax_deductible_financing_costs(const Ledger<Num>& l, int m) {
  return sum_of_lines<detail::only_in_levered_tax_base>(l, m);
}

// Cash from operations after tax, before financing: the cash available for debt service.
template <num::Numeric Num>
Num operating_cash_flow(const Ledger<Num>& l, int m) {
  return sum_of_lines<in_operating_cash_flow>(l, m);
}

// Debt service, as lenders define it: interest (with the net swap settlements, which fix part of
// it) and scheduled principal paid (negative). Financing
// fees (upfront and commitment) are not debt service: they are reported as financing fees; nor is
// the debt repaid from the sale of the fleet at the horizon, nor what the cash sweep prepays.
inline constexpr Line debt_service_lines[] = {Line::interest, Line::swap_settlements, Line::principal_repaid};

template <num::Numeric Num>
Num debt_service(const Ledger<Num>& l, int m) {
  Num service(0);
  for (const Line line : debt_service_lines) service += l(line, m);
  return service;
}

// The senior part of the debt service: what the junior tranche's scheduled service leaves.
template <num::Numeric Num>
Num senior_debt_service(const Ledger<Num>& l, int m) {
  return debt_service(l, m) - l(Line::junior_debt_service, m);
}

// The same for every month at once, a line's row at a time (the waterfall reads it for each
// schedule it draws up).
template <num::Numeric Num>
std::vector<Num> monthly_senior_debt_service(const Ledger<Num>& l) {
  std::vector<Num> service = monthly_sums(l, std::span<const Line>(debt_service_lines));
  const std::span<const Num> junior = l.row(Line::junior_debt_service);
  for (std::size_t m = 0; m < service.size(); ++m) service[m] -= junior[m];
  return service;
}

// Free cash flow to the firm before any income tax: the project's own cash.
template <num::Numeric Num>
Num free_cash_flow_pre_tax(const Ledger<Num>& l, int m) {
  return sum_of_lines<in_free_cash_flow_pre_tax>(l, m);
}

// Free cash flow to the firm after the tax it would pay with no debt.
template <num::Numeric Num>
Num free_cash_flow_to_firm(const Ledger<Num>& l, int m) {
  return sum_of_lines<in_free_cash_flow_to_firm>(l, m);
}

// Free cash flow to equity: the pre-tax firm flow, the tax paid, debt drawn, debt service,
// financing fees, debt swept and repaid at the sale, and the cash put into (or taken out of) the
// reserve and the lock-up; what the shareholders put in (negative) or take out.
template <num::Numeric Num>
Num free_cash_flow_to_equity(const Ledger<Num>& l, int m) {
  return sum_of_lines<in_free_cash_flow_to_equity>(l, m);
}

// What the shareholders receive (positive) or put in (negative) in a month.
template <num::Numeric Num>
Num equity_cash_flow(const Ledger<Num>& l, int m) {
  return -sum_of_lines<is_equity_flow>(l, m);
}

// ---- the balance sheet at a month's end -----------------------------------------------------
// Assets and liabilities are the balance lines the line table puts on the sheet (SheetSide);
// equity is what the shareholders put in less what they took out, and the net income retained,
// both cumulated from the start. The books balance when assets = liabilities + equity, to the cent
// in the exact ledger, every month.

template <num::Numeric Num>
struct BalanceSheet {
  Num assets{0};
  Num liabilities{0};
  Num equity_contributed{0};  // contributed less distributed
  Num retained_earnings{0};   // net income to date
  Num equity() const { return equity_contributed + retained_earnings; }
  // Assets less liabilities and equity: zero when the books balance.
  Num imbalance() const { return assets - liabilities - equity(); }
};

namespace detail {
constexpr bool is_asset(Line line) { return line_info(line).sheet == SheetSide::asset; }
constexpr bool is_liability(Line line) { return line_info(line).sheet == SheetSide::liability; }
}  // namespace detail

// The balance sheet at each month's end, month 0 first.
template <num::Numeric Num>
std::vector<BalanceSheet<Num>> balance_sheets(const Ledger<Num>& l) {
  std::vector<BalanceSheet<Num>> sheets;
  BalanceSheet<Num> sheet;
  for (int m = 0; m < l.months(); ++m) {
    sheet.assets = sum_of_lines<detail::is_asset>(l, m);
    sheet.liabilities = sum_of_lines<detail::is_liability>(l, m);
    sheet.equity_contributed += sum_of_lines<is_equity_flow>(l, m);
    sheet.retained_earnings += net_income(l, m);
    sheets.push_back(sheet);
  }
  return sheets;
}

// ---- tables ----------------------------------------------------------------------------------

template <num::Numeric Num>
struct Table {
  struct Row {
    std::string name;
    std::vector<Num> values;  // one a column
    bool subtotal = false;
  };
  std::vector<std::string> columns;
  std::vector<Row> rows;

  const Row* find(std::string_view name) const {
    for (const auto& row : rows)
      if (row.name == name) return &row;
    return nullptr;
  }
};

struct YearSpan {
  int first_month;
  int end_month;
};

// The deal years: 12-month periods from the start, the last one possibly shorter.
inline std::vector<YearSpan> deal_years(int months) {
  std::vector<YearSpan> years;
  for (int first = 0; first < months; first += 12) years.push_back({first, std::min(first + 12, months)});
  return years;
}

namespace detail {

template <num::Numeric Num, class MonthValue>
typename Table<Num>::Row annual_row(const Ledger<Num>& l, std::string name, MonthValue value,
                                    bool subtotal = false) {
  typename Table<Num>::Row row{std::move(name), {}, subtotal};
  Num life(0);
  for (const auto& year : deal_years(l.months())) {
    Num sum(0);
    for (int m = year.first_month; m < year.end_month; ++m) sum += value(l, m);
    row.values.push_back(sum);
    life += sum;
  }
  row.values.push_back(life);
  return row;
}

// A balance at each deal year's end; the whole-life column holds the final balance.
template <num::Numeric Num>
typename Table<Num>::Row year_end_row(const Ledger<Num>& l, std::string name, Line balance) {
  typename Table<Num>::Row row{std::move(name), {}, false};
  for (const auto& year : deal_years(l.months())) row.values.push_back(l(balance, year.end_month - 1));
  row.values.push_back(l(balance, l.months() - 1));
  return row;
}

template <num::Numeric Num>
std::vector<std::string> year_columns(const Ledger<Num>& l) {
  std::vector<std::string> columns;
  const auto years = deal_years(l.months());
  for (std::size_t y = 0; y < years.size(); ++y) columns.push_back("Y" + std::to_string(y + 1));
  columns.push_back("Total");
  return columns;
}

template <num::Numeric Num>
auto line(Line which) {
  return [which](const Ledger<Num>& l, int m) { return l(which, m); };
}

}  // namespace detail

// The annual P&L; the last column is the whole life. Its lines are the table's P&L lines, group by
// group, each group closed by its subtotal; other running costs are shown by name.
template <num::Numeric Num>
Table<Num> income_statement(const Ledger<Num>& l) {
  using detail::annual_row;
  using detail::line;
  Table<Num> t{detail::year_columns(l), {}};
  const auto lines_of = [&](PnlGroup group) {
    for (const LineInfo& info : line_table) {
      if (info.pnl != group) continue;
      if (info.line == Line::other_running_costs) {
        for (std::size_t i = 0; i < l.running_cost_names().size(); ++i)
          t.rows.push_back(annual_row(l, l.running_cost_names()[i],
                                      [i](const Ledger<Num>& g, int m) { return g.running_cost(i, m); }));
      } else {
        t.rows.push_back(annual_row(l, std::string(info.label), line<Num>(info.line)));
      }
    }
  };
  lines_of(PnlGroup::lease_revenue);
  lines_of(PnlGroup::other_income);
  t.rows.push_back(annual_row(l, "Revenue", revenue<Num>, true));
  lines_of(PnlGroup::operating_cost);
  t.rows.push_back(annual_row(l, "EBITDA", ebitda<Num>, true));
  lines_of(PnlGroup::depreciation_and_sale);
  t.rows.push_back(annual_row(l, "EBIT", ebit<Num>, true));
  lines_of(PnlGroup::financing_cost);
  t.rows.push_back(annual_row(l, "Pre-tax income", pre_tax_income<Num>, true));
  lines_of(PnlGroup::income_tax);
  t.rows.push_back(annual_row(l, "Net income", net_income<Num>, true));
  return t;
}

// A cash line's label in the cash-flow statement: a P&L line paid in cash is "... paid".
inline std::string cash_flow_label(Line line) {
  const LineInfo& info = line_info(line);
  return std::string(info.label) + (info.kind == LineKind::pnl ? " paid" : "");
}

// The cash-flow statement's order: operating (the running costs paid as one row), tax, then capex,
// the sale, the debt and the shareholders. Every cash line of the table is listed once (a test
// checks).
inline constexpr Line cash_flow_order[] = {
    Line::customer_receipts, Line::electricity,        Line::data_centre_rent,   Line::other_running_costs,
    Line::hardware_replacements, Line::vat_paid,       Line::vat_refunded,       Line::vat_on_sale,
    Line::income_tax,        Line::capex,             Line::sale_proceeds,      Line::residual_value_guarantee, Line::debt_drawn,
    Line::interest,          Line::swap_settlements,   Line::financing_fees,     Line::principal_repaid,
    Line::debt_swept,        Line::debt_prepaid,       Line::junior_deferred,    Line::reserve_funded,
    Line::reserve_topped_up, Line::reserve_released,   Line::reserve_drawn,      Line::cash_trapped,       Line::equity_contributed,
    Line::equity_distributed};

// The annual cash-flow statement; the last column is the whole life.
template <num::Numeric Num>
Table<Num> cash_flow_statement(const Ledger<Num>& l) {
  using detail::annual_row;
  using detail::line;
  using detail::year_end_row;
  Table<Num> t{detail::year_columns(l), {}};
  bool running_costs_shown = false;
  for (const Line which : cash_flow_order) {
    if (is_running_cost_paid(which)) {
      if (!running_costs_shown) t.rows.push_back(annual_row(l, "Running costs paid", running_costs_paid<Num>));
      running_costs_shown = true;
    } else {
      t.rows.push_back(annual_row(l, cash_flow_label(which), line<Num>(which)));
    }
    if (which == Line::income_tax)
      t.rows.push_back(annual_row(l, "Operating cash flow", operating_cash_flow<Num>, true));
    else if (which == Line::cash_trapped)
      t.rows.push_back(annual_row(l, "Free cash flow to equity", free_cash_flow_to_equity<Num>, true));
  }
  t.rows.push_back(year_end_row(l, "Cash at year end", Line::cash_balance));
  t.rows.push_back(annual_row(l, "Free cash flow to firm (pre-tax)", free_cash_flow_pre_tax<Num>, true));
  t.rows.push_back(annual_row(l, "Free cash flow to firm (post-tax)", free_cash_flow_to_firm<Num>, true));
  return t;
}

// The balance sheet at each deal year's end; the last column, "End", holds the horizon's end
// (after the sale of the fleet; the last deal year's end). Its lines are the table's balance-sheet lines, assets then liabilities, then
// equity; "Assets less liabilities and equity" is nil when the books balance.
template <num::Numeric Num>
Table<Num> balance_sheet_statement(const Ledger<Num>& l) {
  using detail::year_end_row;
  Table<Num> t{detail::year_columns(l), {}};
  t.columns.back() = "End";
  const auto sheets = balance_sheets(l);
  const auto row_of = [&](std::string name, auto value, bool subtotal) {
    typename Table<Num>::Row row{std::move(name), {}, subtotal};
    for (const auto& year : deal_years(l.months())) row.values.push_back(value(sheets[static_cast<std::size_t>(year.end_month - 1)]));
    row.values.push_back(value(sheets.back()));
    return row;
  };
  for (const SheetSide side : {SheetSide::asset, SheetSide::liability}) {
    for (const LineInfo& info : line_table)
      if (info.sheet == side) t.rows.push_back(year_end_row(l, std::string(info.label), info.line));
    if (side == SheetSide::asset)
      t.rows.push_back(row_of("Total assets", [](const BalanceSheet<Num>& s) { return s.assets; }, true));
    else
      t.rows.push_back(row_of("Total liabilities", [](const BalanceSheet<Num>& s) { return s.liabilities; }, true));
  }
  t.rows.push_back(row_of("Equity contributed less distributed",
                          [](const BalanceSheet<Num>& s) { return s.equity_contributed; }, false));
  t.rows.push_back(row_of("Retained earnings", [](const BalanceSheet<Num>& s) { return s.retained_earnings; }, false));
  t.rows.push_back(row_of("Total equity", [](const BalanceSheet<Num>& s) { return s.equity(); }, true));
  t.rows.push_back(row_of("Assets less liabilities and equity",
                          [](const BalanceSheet<Num>& s) { return s.imbalance(); }, true));
  return t;
}

}  // namespace leasecalc::engine
