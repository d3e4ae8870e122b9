#pragma once
// Guarantees phase: the floors a third party puts under the fleet (deal::Guarantees,
// docs/structures.md).
//
// - Capacity backstop: in each month of its window, the units in service that no customer bills
//   (in service less contracted, never negative) are bought at the backstop's price, until the
//   cap is used up; the month that reaches the cap is paid what is left of it. It is revenue,
//   collected in the month it is earned (a customer receipt), with no VAT. It comes after the
//   running costs: the capacity is charged power as idle, as it was before the buyer took it, and
//   costs quoted as a share of revenue are not charged on it.
// - Residual value guarantee: when the sale at the horizon fetches less than the floor (a share of
//   the fleet's capitalised cost), the guarantor pays the difference with the sale, to the cent. It
//   is taxed with the gain on sale.
//
// Reads: the deal, the capex payments, the ledger's units in service and contracted, and the sale
// proceeds. Writes: Line::capacity_backstop, customer_receipts, residual_value_guarantee. Returns
// the taxable gain on the sale with the guarantee's payment added.

#include "leasecalc/deal/deal.hpp"
#include "leasecalc/engine/ledger.hpp"
#include "leasecalc/engine/phases/booking.hpp"
#include "leasecalc/engine/phases/capex.hpp"
#include "leasecalc/engine/phases/fleet_value.hpp"
#include "leasecalc/engine/phases/running_costs.hpp"
#include "leasecalc/engine/schedules.hpp"

#include <algorithm>

namespace leasecalc::engine::phases {

// The backstop's revenue is booked.
struct CapacityBackstopped {};

template <num::Numeric Num>
CapacityBackstopped buy_unsold_capacity(const deal::Deal& deal, const RunningCostsCharged&, Ledger<Num>& ledger) {
  if (!deal.guarantees.capacity_backstop) return {};
  const deal::CapacityBackstop& backstop = *deal.guarantees.capacity_backstop;
  const Num price = as<Num>(deal::unit_month_price(backstop.price, deal.cluster.sku));
  const Num cap = as<Num>(backstop.cap);
  const int first = std::max(0, month_index(deal.start, backstop.from));
  const int last = std::min(deal.horizon_months - 1, month_index(deal.start, backstop.until));
  Num paid(0);
  for (int m = first; m <= last && paid < cap; ++m) {
    const Num unsold =
        std::max(Num(0), ledger(Line::units_in_service, m) - ledger(Line::units_contracted, m));
    const Num bought = std::min(booked(unsold * price), cap - paid);
    ledger(Line::capacity_backstop, m) += bought;
    ledger(Line::customer_receipts, m) += bought;
    paid += bought;
  }
  return {};
}

template <num::Numeric Num>
SaleGain<Num> guarantee_residual_value(const deal::Deal& deal, const CapexPayments<Num>& capex, SaleGain<Num> gain,
                                       Ledger<Num>& ledger) {
  if (!deal.guarantees.residual_value) return gain;
  const int last = deal.horizon_months - 1;
  const Num floor = booked(fleet_cost(capex, last) * as<Num>(deal.guarantees.residual_value->floor_share));
  const Num shortfall = floor - ledger(Line::sale_proceeds, last);
  if (shortfall > 0) {
    ledger(Line::residual_value_guarantee, last) += shortfall;
    gain.taxable += shortfall;
  }
  return gain;
}

}  // namespace leasecalc::engine::phases
