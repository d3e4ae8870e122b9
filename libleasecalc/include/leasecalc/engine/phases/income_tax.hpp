#pragma once
// Income-tax phase: current tax by tax year (engine/tax_years.hpp: fiscal years, calendar years
// by default) on the year's taxable income, after losses carried forward (first in, first out,
// expiring after the stated tax years, offsetting at most the stated share of the year's income);
// paid at each tax year's end. Assessed twice: on the deal as it is (levered), and as
// if it had no debt (unlevered, for the post-tax project IRR).
//
// The current tax expense (levered only) is accrued over the tax year's months as IAS 34 does for
// interim periods, at the year's effective rate: the year's current tax is allocated to its months
// pro rata to each month's taxable income (the gain on sale for tax falls in the horizon's month),
// rounded cumulatively so that the months add up to the year's tax to the cent. A month with a
// taxable loss takes a credit. When the year's tax is nil nothing is accrued; when it is positive on
// a taxable income that is not (which the rules above cannot produce), it is spread evenly. What is
// accrued and not yet paid is the income tax payable, nil again after each year's payment.
//
// Deferred tax (levered only), measured at each tax year's end: the tax rate times the fleet's book
// value less its tax written-down value, less the tax rate times the losses carried forward
// recognised as an asset, less the tax rate times the advance payments taxed and not yet earned
// (Line::advances_taxed_less_earned cumulated, engine/phases/advance_payments.hpp). Losses are recognised only up to the fleet's taxable difference (the
// deferred tax liability they can be set against; IAS 12.35 with no other evidence of future
// profit); a deductible difference of the fleet is recognised in full, since the sale at the
// horizon realises it. The year's deferred tax expense is the change in that balance; like the
// current tax it is recognised over the year's months (IAS 34: the year's effective rate, deferred
// tax included, on each interim period's income): the year's whole tax expense, current and
// deferred, is allocated to its months pro rata to each month's pre-tax book income (rounded
// cumulatively; evenly if the year's pre-tax income is nil), and each month's deferred tax is its
// share less the current tax it accrued. So the net margins of periods that straddle tax years
// follow the book income, not the month the tax year ends in. At the horizon the
// fleet is sold, both values are nil and the balance comes back to nil: over the life the deferred
// tax nets to zero and the tax expense equals the tax paid (but for the tax on advances taxed and
// still unearned at the horizon, an asset like the deferred revenue left then); losses still unused
// then lapse with the deal and were never recognised.
//
// Reads: the deal; the ledger lines of tax_base_lines(), complete once the running costs are
// charged (revenue before them), the VAT settled and the debt scheduled; the taxable gain on the
// sale; the book and tax values. Writes: Line::taxable_income, income_tax, unlevered_income_tax,
// tax_losses, current_tax, income_tax_payable, deferred_tax,
// deferred_tax_liability.

#include "leasecalc/deal/deal.hpp"
#include "leasecalc/engine/ledger.hpp"
#include "leasecalc/engine/phases/booking.hpp"
#include "leasecalc/engine/phases/debt.hpp"
#include "leasecalc/engine/phases/fleet_value.hpp"
#include "leasecalc/engine/phases/running_costs.hpp"
#include "leasecalc/engine/phases/vat.hpp"
#include "leasecalc/engine/schedules.hpp"
#include "leasecalc/engine/statements.hpp"
#include "leasecalc/engine/tax_years.hpp"

#include <algorithm>
#include <span>
#include <utility>

namespace leasecalc::engine::phases {

// The ledger lines whose monthly sum is taxable income, as the table of lines marks them: the P&L
// before book depreciation and the gain on sale, with the tax depreciation instead. Interest and
// financing fees are deducted only in the levered assessment. Each part is summed on its own, in
// the table's order, so the fast (double) ledger adds in one fixed order.
struct TaxBaseLines {
  std::span<const Line> operating;
  std::span<const Line> financing;
};

inline TaxBaseLines tax_base_lines() {
  static constexpr auto financing = lines_where<detail::only_in_levered_tax_base>();
  return {unlevered_tax_base_lines, financing};
}

// Income tax is assessed: every cash line of the ledger is complete.
struct IncomeTaxAssessed {};

template <num::Numeric Num>
IncomeTaxAssessed assess_income_tax(const deal::Deal& deal, const RunningCostsCharged&, const VatSettled&,
                                    const DebtScheduled&, const SaleGain<Num>& sale_gain, Ledger<Num>& ledger) {
  const int horizon = deal.horizon_months, last = horizon - 1;
  const auto& rules = deal.tax.income;
  const Num offset_cap = as<Num>(rules.loss_offset_cap), tax_rate = as<Num>(rules.rate);
  const TaxBaseLines lines = tax_base_lines();
  const std::vector<TaxYear> years = tax_years(deal.start, horizon, rules.fiscal_year_start_month);
  // Each month's base in its two parts, and its pre-tax book income (which the tax lines written
  // below are not part of).
  const Months<Num> operating_bases = monthly_sums(ledger, lines.operating);
  const Months<Num> financing_bases = monthly_sums(ledger, lines.financing);
  const Months<Num> pre_tax_incomes = monthly_sums_of_lines<detail::in_pre_tax_income>(ledger);
  Months<Num> month_bases, accrued, expense;  // of the tax year
  month_bases.reserve(static_cast<std::size_t>(horizon));
  Num advances_taxed(0);  // taxed and not yet earned, at the tax year's end
  for (const bool levered : {true, false}) {
    std::vector<std::pair<int, Num>> losses;  // (tax year incurred, amount left), oldest first
    Num deferred_liability(0);               // at the previous tax year's end
    for (int year = 0; year < static_cast<int>(years.size()); ++year) {
      const int first = years[static_cast<std::size_t>(year)].first_month;
      const int end = years[static_cast<std::size_t>(year)].end_month, close = end - 1;
      // The year's taxable income, summed in one fixed order (the fast ledger's tax must not
      // depend on how the months are grouped), and month by month, the weights of the accrual.
      // (Each month's base is written in place, not pushed: a push may call the allocator, and the
      // year's sum would then be stored and loaded around it every month.)
      Num base(0);
      month_bases.resize(static_cast<std::size_t>(end - first));
      for (int m = first; m < end; ++m) {
        const Num& operating = at(operating_bases, m);
        base += operating;
        Num month_base = operating;
        if (levered) {
          const Num& financing = at(financing_bases, m);
          base += financing;
          month_base += financing;
        }
        at(month_bases, m - first) = month_base;
      }
      if (close == last) {
        base += sale_gain.taxable;
        month_bases.back() += sale_gain.taxable;
      }
      std::erase_if(losses, [&](const auto& loss) { return year - loss.first > rules.loss_carry_forward_years; });
      Num taxable = base;
      if (base < 0) {
        losses.emplace_back(year, -base);
        taxable = 0;
      } else {
        Num allowance = booked(base * offset_cap);
        for (auto& [incurred, left] : losses) {
          const Num used = std::min(left, allowance);
          left -= used;
          allowance -= used;
          taxable -= used;
        }
        std::erase_if(losses, [](const auto& loss) { return loss.second == 0; });
      }
      const Num tax = booked(taxable * tax_rate);
      if (levered) {
        ledger(Line::taxable_income, close) = base;
        ledger(Line::income_tax, close) -= tax;
        allocate_pro_rata(tax, std::span<const Num>(month_bases), accrued);
        Num payable(0);
        for (int m = first; m < end; ++m) {
          ledger(Line::current_tax, m) -= at(accrued, m - first);
          payable += at(accrued, m - first) + ledger(Line::income_tax, m);
          ledger(Line::income_tax_payable, m) = payable;
        }
        Num pool(0);
        for (const auto& loss : losses) pool += loss.second;
        for (int m = first; m < end; ++m) ledger(Line::tax_losses, m) = pool;
        const Num fleet_difference = ledger(Line::book_value, close) - ledger(Line::tax_value, close);
        const Num recognised_losses = std::min(pool, std::max(fleet_difference, Num(0)));
        advances_taxed += ledger.total(Line::advances_taxed_less_earned, first, end);
        const Num liability = booked((fleet_difference - recognised_losses - advances_taxed) * tax_rate);
        // The year's tax expense, current and deferred, recognised as the book income is: pro rata
        // to each month's pre-tax income; the deferred tax of a month is its share of the expense
        // less the current tax it accrued.
        allocate_pro_rata(tax + liability - deferred_liability,
                          std::span<const Num>(pre_tax_incomes).subspan(static_cast<std::size_t>(first),
                                                                        static_cast<std::size_t>(end - first)),
                          expense);
        Num carried = deferred_liability;
        for (int m = first; m < end; ++m) {
          const Num deferred = at(expense, m - first) - at(accrued, m - first);
          ledger(Line::deferred_tax, m) -= deferred;
          carried += deferred;
          ledger(Line::deferred_tax_liability, m) = carried;
        }
        deferred_liability = liability;
      } else {
        ledger(Line::unlevered_income_tax, close) -= tax;
      }
    }
  }
  return {};
}

}  // namespace leasecalc::engine::phases
