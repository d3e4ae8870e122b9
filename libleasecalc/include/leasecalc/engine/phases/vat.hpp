#pragma once
// VAT phase: output VAT is remitted net of the input-VAT credit; the credit left is carried
// forward and refunded, wholly or in part, under the deal's refund rule. The output VAT on the sale
// of the fleet is remitted like the output VAT on rent, in the horizon's month: it first absorbs
// the credit still carried then, which comes back in cash through the sale.
//
// Reads: the deal, the capex payments (input VAT, credited in the delivery month), the output VAT
// on revenue and on the sale. Writes: Line::vat_paid, vat_refunded, vat_refund_income (when the refund is booked as
// income), vat_credit, vat_in_fleet_and_credit (the input VAT capitalised, less the refunds
// booked as income, when the deal capitalises its input VAT: the broker convention).

#include "leasecalc/deal/deal.hpp"
#include "leasecalc/engine/ledger.hpp"
#include "leasecalc/engine/phases/booking.hpp"
#include "leasecalc/engine/phases/capex.hpp"
#include "leasecalc/engine/phases/fleet_value.hpp"
#include "leasecalc/engine/phases/revenue.hpp"
#include "leasecalc/engine/schedules.hpp"

#include <algorithm>

namespace leasecalc::engine::phases {

// VAT is settled: its cash lines and the refund booked as income are complete.
struct VatSettled {};

template <num::Numeric Num>
VatSettled settle_vat(const deal::Deal& deal, const CapexPayments<Num>& capex, const OutputVat<Num>& output_vat,
                      const SaleGain<Num>& sale, Ledger<Num>& ledger) {
  const int horizon = deal.horizon_months, last = horizon - 1;
  const auto& rule = deal.tax.vat;
  Num credit(0), counted_twice(0);
  auto payment = capex.deliveries.begin();
  for (int m = 0; m < horizon; ++m) {
    for (; payment != capex.deliveries.end() && payment->month == m; ++payment) {
      credit += payment->input_vat;
      counted_twice += payment->capitalised - payment->net;
    }
    const Num output = at(output_vat.by_month, m) + (m == last ? sale.output_vat : Num(0));
    const Num offset = std::min(credit, output);
    credit -= offset;
    ledger(Line::vat_paid, m) -= output - offset;
    const bool refund_due = (rule.refund == deal::Vat::Refund::annual && (m % 12 == 11 || m == last)) ||
                            (rule.refund == deal::Vat::Refund::once && m == rule.refund_month);
    if (refund_due && credit > 0) {
      const Num refund = booked(credit * as<Num>(rule.refund_share));
      credit -= refund;
      ledger(Line::vat_refunded, m) += refund;
      if (rule.refund_booked_as_income) {
        ledger(Line::vat_refund_income, m) += refund;
        counted_twice -= refund;
      }
    }
    ledger(Line::vat_credit, m) = credit;
    ledger(Line::vat_in_fleet_and_credit, m) = counted_twice;
  }
  return {};
}

}  // namespace leasecalc::engine::phases
