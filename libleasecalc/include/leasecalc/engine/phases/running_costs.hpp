#pragma once
// Running-costs phase: power for the units in service (at load when earning revenue, idle
// otherwise), data-centre rent, hardware replacements and the named running costs.
//
// Reads: the deal; the capex payments (O&M is quoted on the equipment invoiced to date); the
// revenue units (the power draw); the ledger's units_in_service (booked by the capex phase) and
// committed_revenue, on_demand_revenue and sla_credits (booked by the revenue phase, for costs
// quoted as a share of revenue). Writes: Line::electricity, data_centre_rent,
// hardware_replacements, other_running_costs and the ledger's named running costs.

#include "leasecalc/deal/deal.hpp"
#include "leasecalc/engine/ledger.hpp"
#include "leasecalc/engine/phases/booking.hpp"
#include "leasecalc/engine/phases/capex.hpp"
#include "leasecalc/engine/phases/revenue.hpp"
#include "leasecalc/engine/schedules.hpp"

#include <algorithm>
#include <optional>
#include <vector>

namespace leasecalc::engine::phases {

// The running costs are booked: the operating lines of the P&L are complete.
struct RunningCostsCharged {};

template <num::Numeric Num>
RunningCostsCharged charge_running_costs(const deal::Deal& deal, const CapexPayments<Num>& capex,
                                         const RevenueUnits<Num>& units, Ledger<Num>& ledger) {
  const int horizon = deal.horizon_months;
  const auto& costs = deal.running_costs;
  const auto& sku = deal.cluster.sku;
  const Num kw_load = as<Num>(sku.kw_load);
  const Num kw_idle = as<Num>(sku.kw_idle);
  const Num hours = as<Num>(deal::hours_per_month);
  const Num take_or_pay_load = as<Num>(costs.electricity.take_or_pay_load);
  const Num failures_a_month = as<Num>(deal.cluster.annual_failure_rate) / Num(12);
  const Num replacement_cost = as<Num>(deal.cluster.replacement_cost);
  const auto& power = costs.electricity;
  const Num power_price = as<Num>(power.pue) * hours * as<Num>(power.tariff_per_kwh);
  Escalation<Num> power_escalator(as<Num>(power.escalator.annual_rate));
  const auto& dc = costs.data_centre;
  const Num rent = as<Num>(dc.price);
  Escalation<Num> rent_escalator(as<Num>(dc.escalator.annual_rate));
  const Num units_per_rack = as<Num>(dc.units_per_rack);
  struct OtherCost {
    Num value;
    Escalation<Num> escalator;
    Num rented_gpus;
    std::optional<CurveValues<Num>> utilisation;
  };
  std::vector<OtherCost> others;
  for (const auto& cost : costs.others) {
    others.push_back({as<Num>(cost.value), Escalation<Num>(as<Num>(cost.escalator.annual_rate)), as<Num>(cost.rented_gpus), {}});
    if (cost.basis == deal::RunningCost::Basis::rented_gpu_month) others.back().utilisation.emplace(cost.utilisation);
  }
  Num hardware_cost(0);  // invoiced to date, VAT included: the equipment value O&M is quoted on
  auto payment = capex.deliveries.begin();
  for (int m = 0; m < horizon; ++m) {
    for (; payment != capex.deliveries.end() && payment->month <= m; ++payment)
      hardware_cost += payment->net + payment->input_vat;
    const int year = m / 12;
    const Num in_service = ledger(Line::units_in_service, m);
    const Num committed = at(units.committed, m);
    const Num on_demand = at(units.on_demand_used, m);
    const Num idle = std::max(Num(0), in_service - committed - on_demand);

    if (!costs.electricity.paid_by_customer) {
      const Num kw = committed * (kw_idle + (kw_load - kw_idle) * take_or_pay_load) + on_demand * kw_load +
                     idle * kw_idle;
      const Num price = deal.power_index.empty() ? power_price : power_price * market_index_at<Num>(deal.power_index, m);
      ledger(Line::electricity, m) -= booked(kw * price * power_escalator.after(year));
    }
    // (Nil rent or failures book nothing, without the rounding.)
    if (rent != 0) {
      const Num billed = dc.basis == deal::DataCentre::Basis::per_kw_month ? in_service * kw_load
                                                                           : num::ceil(in_service / units_per_rack);
      ledger(Line::data_centre_rent, m) -= booked(billed * rent * rent_escalator.after(year));
    }
    if (failures_a_month != 0)
      ledger(Line::hardware_replacements, m) -= booked(in_service * failures_a_month * replacement_cost);

    const Num revenue = ledger(Line::committed_revenue, m) + ledger(Line::on_demand_revenue, m) +
                        ledger(Line::sla_credits, m);
    // The month's total is carried in a local and stored once: the ledger's line would be loaded
    // and stored again for each cost (the compiler cannot tell it from the cost's own line).
    Num other_costs = ledger(Line::other_running_costs, m);
    for (std::size_t i = 0; i < costs.others.size(); ++i) {
      const auto& cost = costs.others[i];
      const Num& value = others[i].value;
      Num amount(0);
      switch (cost.basis) {
        case deal::RunningCost::Basis::per_year: amount = value / Num(12); break;
        case deal::RunningCost::Basis::share_of_hardware_per_year: amount = hardware_cost * value / Num(12); break;
        case deal::RunningCost::Basis::per_gpu_month: amount = in_service * Num(sku.gpus_per_unit) * value; break;
        case deal::RunningCost::Basis::share_of_revenue: amount = revenue * value; break;
        case deal::RunningCost::Basis::rented_gpu_month:
          amount = others[i].rented_gpus * value * others[i].utilisation->at(m);
          break;
      }
      const Num charge = booked(amount * others[i].escalator.after(year));
      ledger.running_cost(i, m) -= charge;
      other_costs -= charge;
    }
    ledger(Line::other_running_costs, m) = other_costs;
  }
  return {};
}

}  // namespace leasecalc::engine::phases
