#pragma once
// Equity phase: the deal keeps its cash; shareholders fund whatever would take the balance below
// zero (the capex that debt does not cover, and any later shortfall) and receive the balance at
// each deal year's end and at the horizon.
//
// Reads: the ledger's free cash flow to equity, complete once income tax is assessed (the last
// cash line of the other phases). Writes: Line::equity_contributed, equity_distributed,
// cash_balance.

#include "leasecalc/engine/ledger.hpp"
#include "leasecalc/engine/phases/income_tax.hpp"
#include "leasecalc/engine/statements.hpp"

namespace leasecalc::engine::phases {

template <num::Numeric Num>
void fund_and_distribute_equity(const IncomeTaxAssessed&, Ledger<Num>& ledger) {
  const int last = ledger.months() - 1;
  Num cash(0);
  for (int m = 0; m <= last; ++m) {
    cash += free_cash_flow_to_equity(ledger, m);
    if (cash < 0) {
      ledger(Line::equity_contributed, m) = -cash;
      cash = 0;
    }
    if ((m % 12 == 11 || m == last) && cash > 0) {
      ledger(Line::equity_distributed, m) = -cash;
      cash = 0;
    }
    ledger(Line::cash_balance, m) = cash;
  }
}

}  // namespace leasecalc::engine::phases
