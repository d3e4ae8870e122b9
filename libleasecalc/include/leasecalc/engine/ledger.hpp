#pragma once
// The monthly ledger: every line item x month of a projected deal.
//
// Signs: money in is positive, money out negative, so a statement's total is a plain sum.
// Balances (debt outstanding, net book value, ...) are positive amounts at the month's end.

#include "leasecalc/deal/common.hpp"
#include "leasecalc/num/numeric.hpp"

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace leasecalc::engine {

enum class Line : std::size_t {
  // P&L (accrual)
  committed_revenue,      // take-or-pay and follow-on fees as the service is delivered
  on_demand_revenue,      // on-demand rental, including re-leased servers
  sla_credits,            // service credits granted (negative)
  termination_fees,       // early-termination fees
  vat_refund_income,      // VAT refund, only when booked as income (broker convention)
  electricity,            // operator-paid power
  data_centre_rent,
  other_running_costs,    // total of the named running costs (see Ledger::running_costs)
  hardware_replacements,  // failed units replaced, expensed
  credit_losses,          // expected credit loss and bad debt
  book_depreciation,
  gain_on_sale,           // residual proceeds less book value at the horizon
  interest,               // interest on debt
  financing_fees,         // upfront and commitment fees
  income_tax,             // booked and paid at each deal year's end
  // Cash
  customer_receipts,      // fees and output VAT collected, prepayments included
  capex,                  // equipment paid on delivery, input VAT included
  vat_paid,               // output VAT less input credit remitted (negative)
  vat_refunded,           // input-VAT credit refunded in cash
  sale_proceeds,          // fleet sold at residual value at the horizon
  debt_drawn,
  principal_repaid,       // scheduled repayments (negative)
  debt_prepaid,           // debt still outstanding, repaid when the fleet is sold at the horizon
  equity_contributed,     // cash put in by the shareholders when the deal's cash would go negative
  equity_distributed,     // cash paid out to the shareholders at each deal year's end (negative)
  // Memo: tax
  tax_depreciation,
  taxable_income,         // the year's tax base, at each deal year's end (before losses)
  unlevered_income_tax,   // tax as if the deal had no debt (for post-tax project IRR)
  // Balances at month end
  deferred_revenue,       // prepayments received, not yet earned
  receivables,            // billed or earned, not yet collected
  debt_outstanding,
  cash_balance,           // cash retained in the deal between distributions
  book_value,             // net book value of the fleet
  tax_value,              // tax written-down value
  vat_credit,             // input-VAT credit carried forward
  tax_losses,             // losses carried forward
  // Fleet
  units_in_service,
  units_contracted,       // committed or on-demand units with a customer
  count
};

constexpr std::size_t line_count = static_cast<std::size_t>(Line::count);

// The line's name in CSV and JSON output: the enumerator, e.g. "committed_revenue".
constexpr std::string_view line_name(Line line) {
  switch (line) {
    case Line::committed_revenue: return "committed_revenue";
    case Line::on_demand_revenue: return "on_demand_revenue";
    case Line::sla_credits: return "sla_credits";
    case Line::termination_fees: return "termination_fees";
    case Line::vat_refund_income: return "vat_refund_income";
    case Line::electricity: return "electricity";
    case Line::data_centre_rent: return "data_centre_rent";
    case Line::other_running_costs: return "other_running_costs";
    case Line::hardware_replacements: return "hardware_replacements";
    case Line::credit_losses: return "credit_losses";
    case Line::book_depreciation: return "book_depreciation";
    case Line::gain_on_sale: return "gain_on_sale";
    case Line::interest: return "interest";
    case Line::financing_fees: return "financing_fees";
    case Line::income_tax: return "income_tax";
    case Line::customer_receipts: return "customer_receipts";
    case Line::capex: return "capex";
    case Line::vat_paid: return "vat_paid";
    case Line::vat_refunded: return "vat_refunded";
    case Line::sale_proceeds: return "sale_proceeds";
    case Line::debt_drawn: return "debt_drawn";
    case Line::principal_repaid: return "principal_repaid";
    case Line::debt_prepaid: return "debt_prepaid";
    case Line::equity_contributed: return "equity_contributed";
    case Line::equity_distributed: return "equity_distributed";
    case Line::tax_depreciation: return "tax_depreciation";
    case Line::taxable_income: return "taxable_income";
    case Line::unlevered_income_tax: return "unlevered_income_tax";
    case Line::deferred_revenue: return "deferred_revenue";
    case Line::receivables: return "receivables";
    case Line::debt_outstanding: return "debt_outstanding";
    case Line::cash_balance: return "cash_balance";
    case Line::book_value: return "book_value";
    case Line::tax_value: return "tax_value";
    case Line::vat_credit: return "vat_credit";
    case Line::tax_losses: return "tax_losses";
    case Line::units_in_service: return "units_in_service";
    case Line::units_contracted: return "units_contracted";
    case Line::count: break;
  }
  return "unknown";
}


template <num::Numeric Num>
class Ledger {
 public:
  Ledger(deal::Date start, int months, std::vector<std::string> running_cost_names)
      : start_(start),
        months_(months),
        running_cost_names_(std::move(running_cost_names)),
        values_(line_count * static_cast<std::size_t>(months), Num(0)),
        running_costs_(running_cost_names_.size() * static_cast<std::size_t>(months), Num(0)) {}

  deal::Date start() const { return start_; }
  int months() const { return months_; }

  Num& operator()(Line line, int month) { return values_[index(line, month)]; }
  const Num& operator()(Line line, int month) const { return values_[index(line, month)]; }

  // The named running costs (O&M, staff, ...); their sum is Line::other_running_costs.
  const std::vector<std::string>& running_cost_names() const { return running_cost_names_; }
  Num& running_cost(std::size_t which, int month) {
    return running_costs_[which * static_cast<std::size_t>(months_) + static_cast<std::size_t>(month)];
  }
  const Num& running_cost(std::size_t which, int month) const {
    return running_costs_[which * static_cast<std::size_t>(months_) + static_cast<std::size_t>(month)];
  }

  // Sum of a line over months [first, last).
  Num total(Line line, int first, int last) const {
    Num sum(0);
    for (int m = first; m < last; ++m) sum += (*this)(line, m);
    return sum;
  }
  Num total(Line line) const { return total(line, 0, months_); }

 private:
  std::size_t index(Line line, int month) const {
    return static_cast<std::size_t>(line) * static_cast<std::size_t>(months_) +
           static_cast<std::size_t>(month);
  }

  deal::Date start_;
  int months_;
  std::vector<std::string> running_cost_names_;
  std::vector<Num> values_;
  std::vector<Num> running_costs_;
};

}  // namespace leasecalc::engine
