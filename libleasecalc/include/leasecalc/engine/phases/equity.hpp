#pragma once
// Equity phase: the deal keeps its cash; shareholders fund whatever would take the balance below
// zero (the capex that debt does not cover, and any later shortfall) and receive the balance at
// each distribution date: every month end (the default), or each deal quarter's or year's end as
// the model chooses, and always at the horizon.
//
// Netting: at a distribution date the deal keeps back what the months after it, before the next
// distribution date, would otherwise call from the shareholders (the deepest running shortfall of
// their free cash flow to equity over those months), so that no distribution is called back
// before the next date; at a date, the month's call and distribution net to one flow. With
// monthly distributions every month is a date and nothing is kept back: the shareholders receive
// or fund exactly each month's free cash flow to equity, so an all-equity deal's equity IRR is
// its post-tax project IRR. Quarterly or yearly dates only hold cash back longer, which at a
// positive rate can only lower the equity IRR.
//
// Reads: the deal's distribution frequency and the ledger's free cash flow to equity, complete
// once income tax is assessed (the last cash line of the other phases). Writes:
// Line::equity_contributed, equity_distributed, cash_balance.

#include "leasecalc/engine/ledger.hpp"
#include "leasecalc/engine/phases/booking.hpp"
#include "leasecalc/engine/phases/income_tax.hpp"
#include "leasecalc/engine/statements.hpp"
#include "leasecalc/time/frequency.hpp"

#include <algorithm>

namespace leasecalc::engine::phases {

template <num::Numeric Num>
void fund_and_distribute_equity(time::Frequency distributions, const IncomeTaxAssessed&, Ledger<Num>& ledger) {
  const int last = ledger.months() - 1;
  const int period = time::months_per_period(distributions);
  const Months<Num> to_equity = monthly_sums_of_lines<in_free_cash_flow_to_equity>(ledger);
  Num cash(0);
  // Distributions fall at each period's last month and the last month: the next period's end is
  // stepped to, not found by a division every month.
  int period_end = period - 1;
  for (int m = 0; m <= last; ++m) {
    const bool ends_period = m == period_end;
    if (ends_period) period_end += period;
    cash += at(to_equity, m);
    if (cash < 0) {
      ledger(Line::equity_contributed, m) = -cash;
      cash = 0;
    }
    if ((ends_period || m == last) && cash > 0) {
      Num running(0), kept_back(0);  // the deepest call of the months before the next date
      for (int n = m + 1; n < std::min(period_end, last); ++n) {
        running += at(to_equity, n);
        kept_back = std::max(kept_back, -running);
      }
      const Num distributed = cash - std::min(cash, kept_back);
      if (distributed > 0) {
        ledger(Line::equity_distributed, m) = -distributed;
        cash -= distributed;
      }
    }
    ledger(Line::cash_balance, m) = cash;
  }
}

}  // namespace leasecalc::engine::phases
