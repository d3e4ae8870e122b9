#pragma once
// Fleet-value phase: each delivery depreciated for the books and for tax from its month, and the
// fleet sold at residual value in the horizon's last month. The methods defined by year run by
// tax year (engine/schedules.hpp); MACRS takes the mid-quarter convention for the deliveries of a
// tax year in which more than 40% of the capitalised cost placed in service (before any bonus
// depreciation) came in the year's last three months, unless the model forces a convention.
//
// The sale price is the residual value, VAT aside; the buyer pays output VAT on top of it at
// deal::vat_rate_on_sale (the equipment's rate by default under proper accounting, nil under the
// broker convention), remitted through the VAT account by the VAT phase.
//
// Reads: the deal and the capex payments. Writes: Line::book_depreciation, tax_depreciation,
// book_value, tax_value, sale_proceeds, vat_on_sale, gain_on_sale. Returns the taxable gain on the
// sale (proceeds less tax value), which the ledger does not carry and the income-tax phase needs,
// and the sale's output VAT, which the VAT phase remits.

#include "leasecalc/deal/deal.hpp"
#include "leasecalc/engine/ledger.hpp"
#include "leasecalc/engine/phases/booking.hpp"
#include "leasecalc/engine/phases/capex.hpp"
#include "leasecalc/engine/schedules.hpp"
#include "leasecalc/engine/tax_years.hpp"

#include <algorithm>
#include <vector>

namespace leasecalc::engine::phases {

// The sale at the horizon, as tax sees it: the proceeds less the fleet's tax written-down value,
// taxed in the horizon's tax year; and the output VAT charged to the buyer.
template <num::Numeric Num>
struct SaleGain {
  Num taxable{0};
  Num output_vat{0};
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

// Where each delivery starts in its tax year, and whether the 40% test puts its tax year on the
// mid-quarter convention; in the order of the deliveries.
template <num::Numeric Num>
std::vector<Placement> placements(const deal::Deal& deal, const CapexPayments<Num>& capex) {
  const int fiscal_start = deal.tax.income.fiscal_year_start_month;
  const auto years = tax_years(deal.start, deal.horizon_months, fiscal_start);
  const auto year_of = [&](int month) {
    return std::ranges::find_if(years, [&](const TaxYear& y) { return month < y.end_month; }) - years.begin();
  };
  std::vector<Num> placed(years.size(), Num(0)), placed_last_quarter(years.size(), Num(0));
  std::vector<Placement> result;
  for (const auto& payment : capex.deliveries) {
    const int left = months_left_in_fiscal_year(deal.start, payment.month, fiscal_start);
    const auto year = static_cast<std::size_t>(year_of(payment.month));
    placed[year] += payment.capitalised;
    if (left <= 3) placed_last_quarter[year] += payment.capitalised;
    result.push_back({left, false});
  }
  for (std::size_t i = 0; i < result.size(); ++i) {
    const auto year = static_cast<std::size_t>(year_of(capex.deliveries[i].month));
    result[i].mid_quarter = placed[year] > 0 && placed_last_quarter[year] * Num(10) > placed[year] * Num(4);
  }
  return result;
}

template <num::Numeric Num>
SaleGain<Num> depreciate_and_sell(const deal::Deal& deal, const CapexPayments<Num>& capex, Ledger<Num>& ledger) {
  const int horizon = deal.horizon_months, last = horizon - 1;
  Num book_value(0), tax_value(0);
  Months<Num> book_total = zero_months<Num>(horizon), tax_total = zero_months<Num>(horizon);
  const std::vector<Placement> placed = placements(deal, capex);
  const bool tax_as_book = deal.assets.tax == deal.assets.book;  // one schedule, worked out once
  for (std::size_t i = 0; i < capex.deliveries.size(); ++i) {
    const auto& payment = capex.deliveries[i];
    const int months = horizon - payment.month;
    const auto book = depreciation_schedule<Num>(deal.assets.book, payment.capitalised, months, placed[i]);
    add_rounded_cumulatively(book, payment.month, book_total);
    if (!tax_as_book)
      add_rounded_cumulatively(depreciation_schedule<Num>(deal.assets.tax, payment.capitalised, months, placed[i]),
                               payment.month, tax_total);
  }
  if (tax_as_book) tax_total = book_total;
  const Num proceeds = booked(fleet_residual_value(deal, capex, last));
  const Num output_vat = booked(proceeds * as<Num>(deal::vat_rate_on_sale(deal)));
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
      ledger(Line::vat_on_sale, m) += output_vat;
      gain.output_vat = output_vat;
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
