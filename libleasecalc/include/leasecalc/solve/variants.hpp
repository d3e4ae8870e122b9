#pragma once
// A deal with one input changed: the building blocks of scenario loops (the report's open
// assumptions, the costs it leaves out, a lower utilisation). Each returns a modified copy and
// owns no finance logic: the projection does all of it.

#include "leasecalc/deal/deal.hpp"
#include "leasecalc/engine/schedules.hpp"
#include "leasecalc/solve/breakeven.hpp"

#include <algorithm>
#include <variant>
#include <vector>

namespace leasecalc::solve {

// Every debt tranche at the fixed `annual_rate` (a floating rate becomes that fixed rate).
inline deal::Deal with_debt_rate(deal::Deal deal, const deal::Decimal& annual_rate) {
  for (auto& tranche : deal.debt) {
    tranche.annual_rate = annual_rate;
    tranche.floating.reset();
    tranche.swap.reset();  // a swap fixes a floating base only
  }
  return deal;
}

inline deal::Deal with_income_tax_rate(deal::Deal deal, const deal::Decimal& rate) {
  deal.tax.income.rate = rate;
  return deal;
}

// The broker convention (VAT-inclusive capex, the refund booked as income) or proper accounting
// (capex net of input VAT, the refund cash only).
inline deal::Deal with_vat_refund_booked_as_income(deal::Deal deal, bool as_income) {
  deal.tax.vat.refund_booked_as_income = as_income;
  deal.tax.vat.input_vat_capitalised = as_income;
  return deal;
}

// Power paid by the operator at `tariff_per_kwh` and `pue`, on the catalogue's power per server.
inline deal::Deal with_operator_paid_electricity(deal::Deal deal, const deal::Decimal& tariff_per_kwh,
                                                 const deal::Decimal& pue) {
  auto& electricity = deal.running_costs.electricity;
  electricity.paid_by_customer = false;
  electricity.tariff_per_kwh = tariff_per_kwh;
  electricity.pue = pue;
  return deal;
}

// Data-centre rent paid by the operator per kW-month of the fleet's IT power at full load.
inline deal::Deal with_data_centre_rent_per_kw_month(deal::Deal deal, const deal::Decimal& price) {
  auto& data_centre = deal.running_costs.data_centre;
  data_centre.basis = deal::DataCentre::Basis::per_kw_month;
  data_centre.price = price;
  return deal;
}

// The use made of the capacity multiplied by `factor`: contracts bill that share of their servers,
// and rented GPUs are paid for that share. Owned servers cost the same whatever the use.
inline deal::Deal with_usage_factor(deal::Deal deal, const deal::Decimal& factor) {
  deal = with_volume_factor(std::move(deal), factor);
  for (auto& cost : deal.running_costs.others) {
    if (cost.basis != deal::RunningCost::Basis::rented_gpu_month) continue;
    for (auto& point : cost.utilisation.points) point.value *= factor;
  }
  return deal;
}

// Every server (and spare) invoiced at `factor` times its price; capex lines quoted as a share of
// the servers, and debt drawn as a share of capex, follow.
inline deal::Deal with_server_price_factor(deal::Deal deal, const deal::Decimal& factor) {
  deal.cluster.price_per_server *= factor;
  return deal;
}

// The power tariff multiplied by `factor` (a cost only when the operator pays for power).
inline deal::Deal with_power_tariff_factor(deal::Deal deal, const deal::Decimal& factor) {
  deal.running_costs.electricity.tariff_per_kwh *= factor;
  return deal;
}

// Every debt tranche's annual rate multiplied by `factor`: a floating rate's base points, floor,
// margin and margin steps alike, so that each month's all-in rate is multiplied by it.
inline deal::Deal with_debt_rate_factor(deal::Deal deal, const deal::Decimal& factor) {
  for (auto& tranche : deal.debt) {
    tranche.annual_rate *= factor;
    if (!tranche.floating) continue;
    for (auto& point : tranche.floating->base) point.rate *= factor;
    tranche.floating->floor *= factor;
    tranche.floating->margin *= factor;
    if (auto& grid = tranche.floating->margin_grid)
      for (auto& margin : grid->margin)
        if (margin) *margin *= factor;
    for (auto& step : tranche.floating->margin_steps) step.margin *= factor;
    if (tranche.swap) tranche.swap->fixed_rate *= factor;
  }
  return deal;
}

// Every debt tranche's annual rate moved by `change` (0.01 = one point), floored at zero; a
// floating rate moves by its margin (and margin steps), each floored at zero.
inline deal::Deal with_debt_rate_change(deal::Deal deal, const deal::Decimal& change) {
  const auto moved = [&](const deal::Decimal& rate) { return std::max(deal::Decimal(0), rate + change); };
  for (auto& tranche : deal.debt) {
    tranche.annual_rate = moved(tranche.annual_rate);
    if (!tranche.floating) continue;
    tranche.floating->margin = moved(tranche.floating->margin);
    if (auto& grid = tranche.floating->margin_grid)
      for (auto& margin : grid->margin)
        if (margin) *margin = moved(*margin);
    for (auto& step : tranche.floating->margin_steps) step.margin = moved(step.margin);
  }
  return deal;
}

// The market price decay moved by `change` (0.05 = five points a year faster), on on-demand
// contracts and on re-leases at the end of committed ones; kept between 0% and 100% a year.
inline deal::Deal with_price_decay_change(deal::Deal deal, const deal::Decimal& change) {
  const auto moved = [&](const deal::Decimal& decay) {
    return std::clamp(deal::Decimal(decay + change), deal::Decimal(0), deal::Decimal(1));
  };
  for (auto& contract : deal.contracts) {
    if (auto* take_or_pay = std::get_if<deal::TakeOrPay>(&contract)) {
      if (take_or_pay->re_lease.mode != deal::ReLease::Mode::idle)
        take_or_pay->re_lease.annual_price_decay = moved(take_or_pay->re_lease.annual_price_decay);
    } else {
      auto& on_demand = std::get<deal::OnDemand>(contract);
      on_demand.annual_price_decay = moved(on_demand.annual_price_decay);
    }
  }
  return deal;
}

// The residual value multiplied by `factor`, capped at the hardware's cost. An exponential rule
// cannot be scaled through its parameters, so it becomes the equivalent curve by whole month of
// age (the engine reads the residual at whole-month ages) up to the horizon, scaled.
inline deal::Deal with_residual_factor(deal::Deal deal, const deal::Decimal& factor) {
  const auto scaled = [&](const deal::Decimal& share) { return std::min(deal::Decimal(share * factor), deal::Decimal(1)); };
  if (auto* fixed = std::get_if<deal::ResidualShare>(&deal.assets.residual)) {
    fixed->share = scaled(fixed->share);
  } else if (auto* curve = std::get_if<deal::ResidualCurve>(&deal.assets.residual)) {
    for (auto& point : curve->share_by_age.points) point.value = scaled(point.value);
  } else {
    deal::Curve by_age;
    for (int age = 0; age <= deal.horizon_months; ++age)
      by_age.points.push_back({age, scaled(engine::residual_share<deal::Decimal>(deal.assets.residual, age))});
    deal.assets.residual = deal::ResidualCurve{std::move(by_age)};
  }
  return deal;
}

// Book (accounting) depreciation over `months`; tax depreciation is left as it is.
inline deal::Deal with_book_depreciation_life(deal::Deal deal, int months) {
  deal.assets.book.life_months = months;
  return deal;
}

// Tax depreciation over `months`; book depreciation is left as it is. (MACRS ignores the life.)
inline deal::Deal with_tax_depreciation_life(deal::Deal deal, int months) {
  deal.assets.tax.life_months = months;
  return deal;
}

}  // namespace leasecalc::solve
