#pragma once
// Fleet-value phase: each delivery depreciated for the books and for tax from its month, and the
// fleet sold at residual value in the horizon's last month.
//
// Reads: the deal and the capex payments. Writes: Line::book_depreciation, tax_depreciation,
// book_value, tax_value, sale_proceeds, gain_on_sale. Returns the taxable gain on the sale
// (proceeds less tax value), which the ledger does not carry and the income-tax phase needs.

#include "leasecalc/deal/deal.hpp"
#include "leasecalc/engine/ledger.hpp"
#include "leasecalc/engine/phases/booking.hpp"
#include "leasecalc/engine/phases/capex.hpp"
#include "leasecalc/engine/schedules.hpp"

#include <algorithm>

namespace leasecalc::engine::phases {

// Sale proceeds less the fleet's tax written-down value, taxed in the horizon's deal year.
template <num::Numeric Num>
struct SaleGain {
  Num taxable{0};
};

// The fleet's value at the end of deal month `month` by the model's residual rule: each delivery
// made by then at its capitalised cost times the residual share for its age. The sale at the
// horizon fetches this, rounded to the cent; the loan-to-value covenant tests the debt against it.
// A market path (deal::Deal::market_index) moves it with the month's market rent.
template <num::Numeric Num>
Num fleet_residual_value(const deal::Deal& deal, const CapexPayments<Num>& capex, int month) {
  Num value(0);
  for (const auto& payment : capex.deliveries)
    if (payment.month <= month)
      value += payment.capitalised * residual_share<Num>(deal.assets.residual, month + 1 - payment.month);
  if (!deal.market_index.empty()) value *= market_index_at<Num>(deal.market_index, month);
  return value;
}

template <num::Numeric Num>
SaleGain<Num> depreciate_and_sell(const deal::Deal& deal, const CapexPayments<Num>& capex, Ledger<Num>& ledger) {
  const int horizon = deal.horizon_months, last = horizon - 1;
  Num book_value(0), tax_value(0);
  Months<Num> book_total = zero_months<Num>(horizon), tax_total = zero_months<Num>(horizon);
  for (const auto& payment : capex.deliveries) {
    const int months = horizon - payment.month;
    const auto book = depreciation_schedule<Num>(deal.assets.book, payment.capitalised, months);
    const auto tax = depreciation_schedule<Num>(deal.assets.tax, payment.capitalised, months);
    add_rounded_cumulatively(book, payment.month, book_total);
    add_rounded_cumulatively(tax, payment.month, tax_total);
  }
  const Num proceeds = booked(fleet_residual_value(deal, capex, last));
  SaleGain<Num> gain;
  auto payment = capex.deliveries.begin();
  for (int m = 0; m < horizon; ++m) {
    for (; payment != capex.deliveries.end() && payment->month == m; ++payment) {
      book_value += payment->capitalised;
      tax_value += payment->capitalised;
    }
    const Num book_charge = std::min(at(book_total, m), book_value);
    const Num tax_charge = std::min(at(tax_total, m), tax_value);
    ledger(Line::book_depreciation, m) -= book_charge;
    ledger(Line::tax_depreciation, m) -= tax_charge;
    book_value -= book_charge;
    tax_value -= tax_charge;
    if (m == last) {  // sold at the horizon
      ledger(Line::sale_proceeds, m) += proceeds;
      ledger(Line::gain_on_sale, m) += proceeds - book_value;
      gain.taxable = proceeds - tax_value;
      book_value = 0;
      tax_value = 0;
    }
    ledger(Line::book_value, m) = book_value;
    ledger(Line::tax_value, m) = tax_value;
  }
  return gain;
}

}  // namespace leasecalc::engine::phases
