#pragma once
// What `run` reports on the structures of a deal (deal/structures.hpp, deal::SaleLeaseback;
// docs/structures.md), from its projected ledger:
//
// - The lessee of a lessor SPV: its cost per GPU-hour under the lease against owning the same fleet,
//   each the present value of what it pays over the present value of the GPU-hours it gets (the
//   units its lease bills x GPUs per unit x 730 hours a month), at the lessee's discount rate with
//   every flow at its month end. Leasing: what it pays the SPV (the customer receipts), and the
//   residual value guarantee's payment when the lessee is the guarantor. Owning: the capex (VAT
//   included) less the fleet's sale at the horizon at the model's residual value, plus the running
//   costs the SPV pays. Power the lessee pays under the lease (passed through) is borne either way:
//   added to both sides or left out of both, as the model states. Pre-tax on both sides.
// - A sale-leaseback: the proceeds, rent and repurchase price; the operator's effective cost of the
//   financing (the IRR of the proceeds, net of the upfront fee, against the rents and the
//   repurchase), the investor's IRR (the proceeds paid against the rents and the repurchase
//   received; with no fee, the same flows from the other side: the lease rate as the day count
//   converts it), the investor's IRR had the operator not repurchased (the fleet's value at that
//   date instead of the price) and the operator's equity IRR without the sale-leaseback.
// - The guarantees: the residual value floor and what the guarantor paid; what the capacity
//   backstop paid against its cap.

#include "leasecalc/deal/deal.hpp"
#include "leasecalc/engine/metrics.hpp"
#include "leasecalc/engine/project.hpp"
#include "leasecalc/engine/statements.hpp"

#include <optional>
#include <string>
#include <vector>

namespace leasecalc::engine {

struct LesseeView {
  std::string name;
  double discount_rate = 0;
  bool costs_borne_either_way_included = false;
  bool guarantees_residual_value = false;  // the lessee is the residual value guarantor
  double gpu_hours = 0;                    // over the horizon, undiscounted
  double present_gpu_hours = 0;
  double present_lease_payments = 0;       // rent paid to the SPV (and the guarantee, when its)
  double present_costs_either_way = 0;     // power passed through to it, when included
  double present_capex = 0;                // owning: the fleet bought
  double present_residual = 0;             // owning: the fleet sold at the horizon
  double present_running_costs = 0;        // owning: the running costs the SPV pays
  std::optional<double> lease_cost_per_gpu_hour;  // none without GPU-hours
  std::optional<double> own_cost_per_gpu_hour;
};

struct SaleLeasebackView {
  std::string name;
  int sale_month = 0;
  int repurchase_month = 0;
  bool repurchase_within_horizon = true;
  double cost = 0;      // capitalised cost of the fleet sold
  double proceeds = 0;
  double first_rent = 0;
  double repurchase_price = 0;
  std::optional<double> fleet_value_at_repurchase;  // by the model's residual rule
  AnnualIrr effective_cost;                          // the operator's
  AnnualIrr investor_irr;
  AnnualIrr investor_irr_without_repurchase;
  AnnualIrr equity_irr_without;                      // the deal with this sale-leaseback removed
};

struct GuaranteeView {
  std::optional<double> residual_value_floor;
  double residual_value_guarantee_paid = 0;
  std::string residual_value_guarantor;
  std::optional<double> capacity_backstop_cap;
  double capacity_backstop_paid = 0;
  std::string capacity_backstop_buyer;
};

struct StructureReport {
  std::optional<LesseeView> lessee;
  std::vector<SaleLeasebackView> sale_leasebacks;
  GuaranteeView guarantees;
  bool any() const {
    return lessee || !sale_leasebacks.empty() || guarantees.residual_value_floor || guarantees.capacity_backstop_cap;
  }
};

// The guarantor keyword that names the deal's lessee.
inline bool guarantor_is_lessee(const deal::Deal& deal) {
  return deal.lessee && deal.guarantees.residual_value &&
         (deal.guarantees.residual_value->guarantor == "lessee" ||
          deal.guarantees.residual_value->guarantor == deal.lessee->name);
}

namespace structures_detail {

template <num::Numeric Num>
double present_value(const std::vector<Num>& monthly, const Num& annual_rate) {
  return num::to_double(npv_at_annual_rate(monthly, annual_rate));
}

template <num::Numeric Num>
LesseeView lessee_view(const deal::Deal& deal, const Ledger<Num>& l) {
  const deal::Lessee& lessee = *deal.lessee;
  LesseeView view;
  view.name = lessee.name;
  view.discount_rate = num::to_double(lessee.discount_rate);
  view.costs_borne_either_way_included = lessee.costs_borne_either_way_included;
  view.guarantees_residual_value = guarantor_is_lessee(deal);
  const int months = l.months();
  const Num hours_per_unit = Num(deal.cluster.sku.gpus_per_unit) * as<Num>(deal::hours_per_month);
  std::vector<Num> hours, payments, either_way, capex, residual, running;
  // The power passed through to the lessee, as the SPV would be charged it (a scratch projection).
  std::optional<Ledger<Num>> passed_through;
  if (lessee.costs_borne_either_way_included && deal.running_costs.electricity.paid_by_customer) {
    deal::Deal charged = deal;
    charged.running_costs.electricity.paid_by_customer = false;
    Ledger<Num> scratch = empty_ledger<Num>(charged);
    const auto paid = phases::pay_capex(charged, scratch);
    const auto revenue = phases::book_revenue(charged, scratch);
    (void)phases::charge_running_costs(charged, paid, revenue.units, scratch);
    passed_through = std::move(scratch);
  }
  for (int m = 0; m < months; ++m) {
    hours.push_back(l(Line::units_contracted, m) * hours_per_unit);
    Num paid = l(Line::customer_receipts, m) - l(Line::capacity_backstop, m);
    if (view.guarantees_residual_value) paid += l(Line::residual_value_guarantee, m);
    payments.push_back(paid);
    either_way.push_back(passed_through ? -(*passed_through)(Line::electricity, m) : Num(0));
    capex.push_back(-l(Line::capex, m));
    residual.push_back(l(Line::sale_proceeds, m));
    running.push_back(-running_costs_paid(l, m));
    view.gpu_hours += num::to_double(hours.back());
  }
  const Num rate = as<Num>(lessee.discount_rate);
  view.present_gpu_hours = present_value(hours, rate);
  view.present_lease_payments = present_value(payments, rate);
  view.present_costs_either_way = present_value(either_way, rate);
  view.present_capex = present_value(capex, rate);
  view.present_residual = present_value(residual, rate);
  view.present_running_costs = present_value(running, rate);
  if (view.present_gpu_hours > 0) {
    view.lease_cost_per_gpu_hour = (view.present_lease_payments + view.present_costs_either_way) / view.present_gpu_hours;
    view.own_cost_per_gpu_hour = (view.present_capex - view.present_residual + view.present_running_costs +
                                  view.present_costs_either_way) /
                                 view.present_gpu_hours;
  }
  return view;
}

template <num::Numeric Num>
SaleLeasebackView sale_leaseback_view(const deal::Deal& deal, const deal::DebtTranche& tranche) {
  SaleLeasebackView view;
  view.name = tranche.name;
  // The sale-leaseback alone on a scratch ledger: its own flows, apart from any other debt.
  Ledger<Num> scratch = empty_ledger<Num>(deal);
  const auto capex = phases::pay_capex(deal, scratch);
  const auto terms = phases::sale_leaseback_terms(deal, tranche, capex);
  phases::lease_back(deal, tranche, capex, scratch);
  const int months = scratch.months(), last = months - 1;
  view.sale_month = terms.sale_month;
  view.repurchase_month = terms.repurchase_month;
  view.repurchase_within_horizon = terms.repurchase_month <= last;
  view.cost = num::to_double(terms.cost);
  view.proceeds = num::to_double(terms.proceeds);
  view.repurchase_price = num::to_double(terms.repurchase_price);
  if (terms.sale_month + 1 <= last)
    view.first_rent = -num::to_double(debt_service(scratch, terms.sale_month + 1));
  std::vector<double> operator_flows, investor_flows;
  for (int m = 0; m < months; ++m) {
    const double service = num::to_double(debt_service(scratch, m) + scratch(Line::debt_prepaid, m));
    const double drawn = num::to_double(scratch(Line::debt_drawn, m));
    operator_flows.push_back(drawn + num::to_double(scratch(Line::financing_fees, m)) + service);
    investor_flows.push_back(-drawn - service);
  }
  view.effective_cost = detail::annual_irr(operator_flows);
  view.investor_irr = detail::annual_irr(investor_flows);
  if (view.repurchase_within_horizon) {
    // The deliveries sold, at their age then, by the model's residual rule.
    Num sold(0);
    for (const auto& payment : capex.deliveries)
      if (payment.month <= terms.sale_month)
        sold += payment.capitalised * residual_share<Num>(deal.assets.residual, terms.repurchase_month + 1 - payment.month);
    const double value = num::to_double(phases::booked(sold));
    view.fleet_value_at_repurchase = value;
    std::vector<double> walk_away = investor_flows;
    walk_away[static_cast<std::size_t>(terms.repurchase_month)] += value - view.repurchase_price;
    view.investor_irr_without_repurchase = detail::annual_irr(walk_away);
  } else {
    view.investor_irr_without_repurchase.note = "the term ends after the horizon: the sale repays the rest";
  }
  deal::Deal without = deal;
  std::erase_if(without.debt, [&](const deal::DebtTranche& other) { return other.name == tranche.name; });
  view.equity_irr_without = metrics(without, project<double>(without)).equity_irr;
  return view;
}

}  // namespace structures_detail

template <num::Numeric Num>
StructureReport structure_report(const deal::Deal& deal, const Ledger<Num>& l) {
  StructureReport report;
  if (deal.lessee) report.lessee = structures_detail::lessee_view(deal, l);
  for (const auto& tranche : deal.debt)
    if (tranche.kind == deal::DebtTranche::Kind::sale_leaseback)
      report.sale_leasebacks.push_back(structures_detail::sale_leaseback_view<Num>(deal, tranche));
  const int last = l.months() - 1;
  if (const auto& guarantee = deal.guarantees.residual_value) {
    Ledger<Num> scratch = empty_ledger<Num>(deal);
    const auto capex = phases::pay_capex(deal, scratch);
    report.guarantees.residual_value_floor =
        num::to_double(phases::booked(phases::fleet_cost(capex, last) * as<Num>(guarantee->floor_share)));
    report.guarantees.residual_value_guarantee_paid = num::to_double(l(Line::residual_value_guarantee, last));
    report.guarantees.residual_value_guarantor = guarantee->guarantor;
  }
  if (const auto& backstop = deal.guarantees.capacity_backstop) {
    report.guarantees.capacity_backstop_cap = num::to_double(backstop->cap);
    report.guarantees.capacity_backstop_paid = num::to_double(l.total(Line::capacity_backstop));
    report.guarantees.capacity_backstop_buyer = backstop->buyer;
  }
  return report;
}

}  // namespace leasecalc::engine
