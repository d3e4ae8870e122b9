#pragma once
// Customer-balances phase: receivables and deferred revenue at each month's end, from the
// revenue phase's flows into them.
//
// Reads: the customer balance flows. Writes: Line::receivables, deferred_revenue.

#include "leasecalc/engine/ledger.hpp"
#include "leasecalc/engine/phases/booking.hpp"
#include "leasecalc/engine/phases/revenue.hpp"

namespace leasecalc::engine::phases {

template <num::Numeric Num>
void carry_customer_balances(const CustomerBalanceFlows<Num>& flows, Ledger<Num>& ledger) {
  Num receivables(0), deferred(0);
  for (int m = 0; m < ledger.months(); ++m) {
    receivables += at(flows.receivable, m);
    deferred += at(flows.deferred, m);
    ledger(Line::receivables, m) = receivables;
    ledger(Line::deferred_revenue, m) = deferred;
  }
}

}  // namespace leasecalc::engine::phases
