#pragma once
// Statements from the ledger: the subtotals of a month (revenue, EBITDA, free cash flow, ...) and
// the annual P&L and cash-flow tables. Deal years are 12-month periods from the deal's start.

#include "leasecalc/engine/ledger.hpp"

#include <string>
#include <vector>

namespace leasecalc::engine {

// ---- one month's subtotals -------------------------------------------------------------------

template <num::Numeric Num>
Num revenue(const Ledger<Num>& l, int m) {
  return l(Line::committed_revenue, m) + l(Line::on_demand_revenue, m) + l(Line::sla_credits, m) +
         l(Line::termination_fees, m) + l(Line::vat_refund_income, m);
}

// Running costs paid in cash (negative).
template <num::Numeric Num>
Num running_costs_paid(const Ledger<Num>& l, int m) {
  return l(Line::electricity, m) + l(Line::data_centre_rent, m) + l(Line::other_running_costs, m) +
         l(Line::hardware_replacements, m);
}

template <num::Numeric Num>
Num operating_costs(const Ledger<Num>& l, int m) {
  return running_costs_paid(l, m) + l(Line::credit_losses, m);
}

template <num::Numeric Num>
Num ebitda(const Ledger<Num>& l, int m) {
  return revenue(l, m) + operating_costs(l, m);
}

template <num::Numeric Num>
Num ebit(const Ledger<Num>& l, int m) {
  return ebitda(l, m) + l(Line::book_depreciation, m) + l(Line::gain_on_sale, m);
}

template <num::Numeric Num>
Num pre_tax_income(const Ledger<Num>& l, int m) {
  return ebit(l, m) + l(Line::interest, m) + l(Line::financing_fees, m);
}

template <num::Numeric Num>
Num net_income(const Ledger<Num>& l, int m) {
  return pre_tax_income(l, m) + l(Line::income_tax, m);
}

// Cash from operations after tax, before financing: the cash available for debt service.
template <num::Numeric Num>
Num operating_cash_flow(const Ledger<Num>& l, int m) {
  return l(Line::customer_receipts, m) + running_costs_paid(l, m) + l(Line::vat_paid, m) +
         l(Line::vat_refunded, m) + l(Line::income_tax, m);
}

// Debt service: interest, fees and principal paid (negative).
template <num::Numeric Num>
Num debt_service(const Ledger<Num>& l, int m) {
  return l(Line::interest, m) + l(Line::financing_fees, m) + l(Line::principal_repaid, m);
}

// Debt service plus any debt repaid early at the horizon.
template <num::Numeric Num>
Num debt_outflows(const Ledger<Num>& l, int m) {
  return debt_service(l, m) + l(Line::debt_prepaid, m);
}

// Free cash flow to the firm before any income tax: the project's own cash.
template <num::Numeric Num>
Num free_cash_flow_pre_tax(const Ledger<Num>& l, int m) {
  return l(Line::customer_receipts, m) + running_costs_paid(l, m) + l(Line::vat_paid, m) +
         l(Line::vat_refunded, m) + l(Line::capex, m) + l(Line::sale_proceeds, m);
}

// Free cash flow to the firm after the tax it would pay with no debt.
template <num::Numeric Num>
Num free_cash_flow_to_firm(const Ledger<Num>& l, int m) {
  return free_cash_flow_pre_tax(l, m) + l(Line::unlevered_income_tax, m);
}

// Free cash flow to equity: what the shareholders put in (negative) or take out.
template <num::Numeric Num>
Num free_cash_flow_to_equity(const Ledger<Num>& l, int m) {
  return free_cash_flow_pre_tax(l, m) + l(Line::income_tax, m) + l(Line::debt_drawn, m) +
         debt_outflows(l, m);
}

// What the shareholders receive (positive) or put in (negative) in a month.
template <num::Numeric Num>
Num equity_cash_flow(const Ledger<Num>& l, int m) {
  return -(l(Line::equity_contributed, m) + l(Line::equity_distributed, m));
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

// The annual P&L; the last column is the whole life.
template <num::Numeric Num>
Table<Num> income_statement(const Ledger<Num>& l) {
  using detail::annual_row;
  using detail::line;
  Table<Num> t{detail::year_columns(l), {}};
  t.rows.push_back(annual_row(l, "Committed revenue", line<Num>(Line::committed_revenue)));
  t.rows.push_back(annual_row(l, "On-demand revenue", line<Num>(Line::on_demand_revenue)));
  t.rows.push_back(annual_row(l, "SLA credits", line<Num>(Line::sla_credits)));
  t.rows.push_back(annual_row(l, "Termination fees", line<Num>(Line::termination_fees)));
  t.rows.push_back(annual_row(l, "VAT refund income", line<Num>(Line::vat_refund_income)));
  t.rows.push_back(annual_row(l, "Revenue", revenue<Num>, true));
  t.rows.push_back(annual_row(l, "Electricity", line<Num>(Line::electricity)));
  t.rows.push_back(annual_row(l, "Data-centre rent", line<Num>(Line::data_centre_rent)));
  for (std::size_t i = 0; i < l.running_cost_names().size(); ++i)
    t.rows.push_back(annual_row(l, l.running_cost_names()[i],
                                [i](const Ledger<Num>& g, int m) { return g.running_cost(i, m); }));
  t.rows.push_back(annual_row(l, "Hardware replacements", line<Num>(Line::hardware_replacements)));
  t.rows.push_back(annual_row(l, "Credit losses", line<Num>(Line::credit_losses)));
  t.rows.push_back(annual_row(l, "EBITDA", ebitda<Num>, true));
  t.rows.push_back(annual_row(l, "Depreciation", line<Num>(Line::book_depreciation)));
  t.rows.push_back(annual_row(l, "Gain on sale of fleet", line<Num>(Line::gain_on_sale)));
  t.rows.push_back(annual_row(l, "EBIT", ebit<Num>, true));
  t.rows.push_back(annual_row(l, "Interest", line<Num>(Line::interest)));
  t.rows.push_back(annual_row(l, "Financing fees", line<Num>(Line::financing_fees)));
  t.rows.push_back(annual_row(l, "Pre-tax income", pre_tax_income<Num>, true));
  t.rows.push_back(annual_row(l, "Income tax", line<Num>(Line::income_tax)));
  t.rows.push_back(annual_row(l, "Net income", net_income<Num>, true));
  return t;
}

// The annual cash-flow statement; the last column is the whole life.
template <num::Numeric Num>
Table<Num> cash_flow_statement(const Ledger<Num>& l) {
  using detail::annual_row;
  using detail::line;
  using detail::year_end_row;
  Table<Num> t{detail::year_columns(l), {}};
  t.rows.push_back(annual_row(l, "Customer receipts", line<Num>(Line::customer_receipts)));
  t.rows.push_back(annual_row(l, "Running costs paid", running_costs_paid<Num>));
  t.rows.push_back(annual_row(l, "VAT paid", line<Num>(Line::vat_paid)));
  t.rows.push_back(annual_row(l, "VAT refunded", line<Num>(Line::vat_refunded)));
  t.rows.push_back(annual_row(l, "Income tax paid", line<Num>(Line::income_tax)));
  t.rows.push_back(annual_row(l, "Operating cash flow", operating_cash_flow<Num>, true));
  t.rows.push_back(annual_row(l, "Capex", line<Num>(Line::capex)));
  t.rows.push_back(annual_row(l, "Sale of fleet", line<Num>(Line::sale_proceeds)));
  t.rows.push_back(annual_row(l, "Debt drawn", line<Num>(Line::debt_drawn)));
  t.rows.push_back(annual_row(l, "Interest paid", line<Num>(Line::interest)));
  t.rows.push_back(annual_row(l, "Financing fees paid", line<Num>(Line::financing_fees)));
  t.rows.push_back(annual_row(l, "Principal repaid", line<Num>(Line::principal_repaid)));
  t.rows.push_back(annual_row(l, "Debt repaid at sale", line<Num>(Line::debt_prepaid)));
  t.rows.push_back(annual_row(l, "Free cash flow to equity", free_cash_flow_to_equity<Num>, true));
  t.rows.push_back(annual_row(l, "Equity contributed", line<Num>(Line::equity_contributed)));
  t.rows.push_back(annual_row(l, "Equity distributed", line<Num>(Line::equity_distributed)));
  t.rows.push_back(year_end_row(l, "Cash at year end", Line::cash_balance));
  t.rows.push_back(annual_row(l, "Free cash flow to firm (pre-tax)", free_cash_flow_pre_tax<Num>, true));
  t.rows.push_back(annual_row(l, "Free cash flow to firm (post-tax)", free_cash_flow_to_firm<Num>, true));
  return t;
}

}  // namespace leasecalc::engine
