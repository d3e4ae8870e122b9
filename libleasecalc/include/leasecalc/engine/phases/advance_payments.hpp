#pragma once
// Advance-payments phase: when the prepayments (advance payments, carried as deferred revenue) are
// taxable income, under deal::advance_payments_rule:
//
// - as_earned: as the books earn them (what is applied of each to the invoices, kept on a default,
//   less what is refunded on an early exit); taxable and book revenue agree.
// - as_received: in full in the tax year of receipt.
// - deferral (US IRC §451(c), Treas. Reg. §1.451-8(c)): in the tax year of receipt what the books
//   earn of it in that year, the rest in the next tax year.
//
// Each month's memo line is the change of the advances taxed and not yet earned (the part of the
// deferred revenue tax has already included): under deferral, those received in an earlier tax
// year enter in the first month of the next one. In the tax base, the line turns book revenue
// into taxable revenue; cumulated, it is the deductible temporary difference of the deferred
// revenue (a deferred tax asset, engine/phases/income_tax.hpp). An advance unearned at the horizon
// leaves it on the closing balance sheet, as it leaves the deferred revenue.
//
// Reads: the deal and the advance payments. Writes: Line::advances_taxed_less_earned.

#include "leasecalc/deal/deal.hpp"
#include "leasecalc/engine/ledger.hpp"
#include "leasecalc/engine/phases/booking.hpp"
#include "leasecalc/engine/phases/revenue.hpp"
#include "leasecalc/engine/tax_years.hpp"

#include <vector>

namespace leasecalc::engine::phases {

template <num::Numeric Num>
void time_advance_payments_for_tax(const deal::Deal& deal, const std::vector<AdvancePayment<Num>>& advances,
                                   Ledger<Num>& ledger) {
  using Rule = deal::IncomeTax::AdvancePayments;
  const Rule rule = deal::advance_payments_rule(deal);
  if (rule == Rule::as_earned || advances.empty()) return;
  std::vector<Num> unearned;  // of each advance, at the month's end
  for (const auto& advance : advances) unearned.push_back(advance.amount);
  Num taxed_before(0);
  for (const TaxYear& year : tax_years(deal.start, deal.horizon_months, deal.tax.income.fiscal_year_start_month)) {
    for (int m = year.first_month; m < year.end_month; ++m) {
      Num taxed(0);  // received, taxed, not yet earned
      for (std::size_t i = 0; i < advances.size(); ++i) {
        const auto& advance = advances[i];
        if (advance.received_month > m) continue;
        unearned[i] -= at(advance.released, m);
        if (rule == Rule::as_received || advance.received_month < year.first_month) taxed += unearned[i];
      }
      ledger(Line::advances_taxed_less_earned, m) += taxed - taxed_before;
      taxed_before = taxed;
    }
  }
}

}  // namespace leasecalc::engine::phases
