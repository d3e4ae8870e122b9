#pragma once
// project(): a deal, month by month, into a ledger. A pure function of the deal: the same deal
// gives the same ledger, bit for bit, on any thread.
//
// Timing: month m runs from start + m months to start + m + 1 months, and every cash movement of
// the month happens at its end. Servers are in service from their delivery month. In the horizon's
// last month the fleet is sold at residual value, debt still outstanding is repaid and
// receivables still due are collected. Booked amounts are rounded to the cent (half-even), so a
// decimal ledger reconciles to the cent.
//
// The projection runs in phases (engine/phases/), each a function of what it reads that books
// its own ledger lines and returns what later phases read. The order is fixed by the types: a
// phase takes the results of the phases it depends on.

#include "leasecalc/deal/deal.hpp"
#include "leasecalc/deal/limits.hpp"
#include "leasecalc/engine/ledger.hpp"
#include "leasecalc/engine/phases/advance_payments.hpp"
#include "leasecalc/engine/phases/balances.hpp"
#include "leasecalc/engine/phases/booking.hpp"
#include "leasecalc/engine/phases/capex.hpp"
#include "leasecalc/engine/phases/debt.hpp"
#include "leasecalc/engine/phases/debt_sizing.hpp"
#include "leasecalc/engine/phases/equity.hpp"
#include "leasecalc/engine/phases/fleet_value.hpp"
#include "leasecalc/engine/phases/guarantees.hpp"
#include "leasecalc/engine/phases/income_tax.hpp"
#include "leasecalc/engine/phases/revenue.hpp"
#include "leasecalc/engine/phases/running_costs.hpp"
#include "leasecalc/engine/phases/sale_leaseback.hpp"
#include "leasecalc/engine/phases/vat.hpp"
#include "leasecalc/engine/phases/waterfall.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

namespace leasecalc::engine {

// The loader validates model files field by field; a deal built in code gets these checks, which
// guard every division and curve lookup so that no input yields a NaN.
inline void require_projectable(const deal::Deal& deal) {
  const auto require = [](bool ok, const char* what) {
    if (!ok) throw std::invalid_argument(what);
  };
  require(deal.horizon_months > 0, "the horizon must be at least one month");
  // The loader's domain bounds (deal::limits), so that month and count arithmetic cannot wrap.
  using namespace deal::limits;
  require(deal.horizon_months <= max_months, "the horizon must be at most 600 months");
  const int start_year = deal.start.year();  // a calendar conversion
  require(start_year >= first_year && start_year <= last_year,
          "the start must lie from 1900-01-01 to 2200-12-31");
  require(deal.cluster.servers >= 0, "the cluster cannot have a negative number of servers");
  require(deal.cluster.servers <= max_count, "the cluster can have at most 10,000,000 servers");
  for (const auto& delivery : deal.cluster.deliveries)
    require(delivery.servers >= 0 && delivery.servers <= max_count, "a delivery holds from 0 to 10,000,000 servers");
  // The phases after capex walk the deliveries and the months in step.
  require(std::ranges::is_sorted(deal.cluster.deliveries, {}, [](const auto& delivery) { return delivery.date; }),
          "deliveries must be in date order");
  require(deal.tax.income.fiscal_year_start_month >= 1 && deal.tax.income.fiscal_year_start_month <= 12,
          "the fiscal year must start in a month from 1 (January) to 12 (December)");
  for (const auto* policy : {&deal.assets.book, &deal.assets.tax})
    require(std::holds_alternative<deal::Macrs>(policy->method) || policy->life_months > 0,
            "a depreciation life must be at least one month");
  for (const auto* policy : {&deal.assets.book, &deal.assets.tax})
    require(policy->life_months <= max_months, "a depreciation life must be at most 600 months");
  require(deal.running_costs.data_centre.basis != deal::DataCentre::Basis::per_rack_month ||
              deal.running_costs.data_centre.units_per_rack > 0,
          "a rack must hold at least one server");
  // Annual rates as the loader bounds them above, so that (1 + rate)^years stays finite; below,
  // only what keeps 1 + rate positive, as a shocked rate in a study may dip under zero.
  // The bounds as decimals once: a comparison with an int builds the decimal afresh each time.
  static const deal::Decimal zero(0), one(1), minus_one(-1), most_rate(max_annual_rate);
  const auto rate_ok = [](const deal::Decimal& rate) { return rate > minus_one && rate <= most_rate; };
  const char* const rate_range = "an annual rate must be above -100% and at most 1000%";
  require(rate_ok(deal.discount_rate), rate_range);
  for (const auto* escalator : {&deal.running_costs.electricity.escalator, &deal.running_costs.data_centre.escalator})
    require(rate_ok(escalator->annual_rate), rate_range);
  for (const auto& cost : deal.running_costs.others) require(rate_ok(cost.escalator.annual_rate), rate_range);
  if (const auto* decay = std::get_if<deal::ResidualExponential>(&deal.assets.residual))
    require(rate_ok(decay->annual_decay), rate_range);
  for (const auto& tranche : deal.debt) {
    require(rate_ok(tranche.annual_rate) && rate_ok(tranche.commitment_fee), rate_range);
    if (tranche.floating) {
      require(rate_ok(tranche.floating->margin) && rate_ok(tranche.floating->floor), rate_range);
      for (const auto& point : tranche.floating->base) require(rate_ok(point.rate), rate_range);
      for (const auto& step : tranche.floating->margin_steps) require(rate_ok(step.margin), rate_range);
    }
  }
  require(deal.waterfall.reserve_months >= 0 && deal.waterfall.reserve_months <= max_months,
          "a debt-service reserve covers from 0 to 600 months");
  require(deal.waterfall.cash_sweep >= zero && deal.waterfall.cash_sweep <= one, "a cash sweep is a share from 0% to 100%");
  for (const auto& tranche : deal.debt) {
    require(tranche.term_months > 0, "a debt tranche's term must be at least one month");
    if (tranche.kind == deal::DebtTranche::Kind::sale_leaseback) {
      require(tranche.sale_leaseback.has_value(), "a sale-leaseback needs its advance rate and repurchase");
      const auto& terms = *tranche.sale_leaseback;
      require(terms.advance_rate > 0 && terms.advance_rate <= 1,
              "a sale-leaseback's advance rate must be above 0% and at most 100%");
      require(!terms.repurchase_share_of_cost || (*terms.repurchase_share_of_cost >= 0 &&
                                                  *terms.repurchase_share_of_cost <= terms.advance_rate),
              "a sale-leaseback's repurchase share of cost must be from 0% to its advance rate");
      require(terms.repurchase_price >= 0, "a sale-leaseback's repurchase price cannot be negative");
    }
    // Sculpted payments divide the CFADS by the target DSCR; greater-of ones also need the LTV.
    const bool sculpts = tranche.amortisation == deal::Amortisation::sculpted ||
                         tranche.amortisation == deal::Amortisation::greater_of;
    require(!sculpts || (tranche.sizing && tranche.sizing->target_dscr),
            "sculpted and greater-of amortisation need sizing with a target DSCR");
    require(tranche.amortisation != deal::Amortisation::greater_of || tranche.sizing->maximum_ltv,
            "greater-of amortisation needs sizing with a maximum LTV");
    require(!tranche.sizing || !tranche.sizing->target_dscr || *tranche.sizing->target_dscr > 0,
            "a target DSCR must be above zero");
    require(!tranche.availability_months || *tranche.availability_months >= 1,
            "an availability window must be at least one month");
    require(tranche.original_issue_discount >= zero && tranche.original_issue_discount < one,
            "an original issue discount must be from 0% to below 100%");
    require(tranche.term_months <= max_months && tranche.grace_months >= 0 && tranche.grace_months <= max_months,
            "a debt tranche's term and grace must be at most 600 months");
  }
  for (const auto& contract : deal.contracts) {
    if (const auto* take_or_pay = std::get_if<deal::TakeOrPay>(&contract)) {
      require(rate_ok(take_or_pay->escalator.annual_rate), rate_range);
      require(take_or_pay->term_months > 0, "a take-or-pay term must be at least one month");
      require(take_or_pay->term_months <= max_lease_months, "a take-or-pay term must be at most 360 months");
      require(take_or_pay->re_lease.follow_on_term_months <= max_months, "a follow-on term must be at most 600 months");
      require(take_or_pay->ramp_months >= 0, "a ramp cannot be negative");
      const auto includes_vat = [](const deal::Price& price) { return price.vat == deal::VatBasis::included; };
      require((!includes_vat(take_or_pay->price) &&
               !(take_or_pay->re_lease.market_price && includes_vat(*take_or_pay->re_lease.market_price))) ||
                  take_or_pay->vat_rate > zero,
              "a price including VAT needs the contract's VAT rate (vat_rate above 0%)");
      require(take_or_pay->re_lease.mode != deal::ReLease::Mode::on_demand ||
                  !take_or_pay->re_lease.utilisation.points.empty(),
              "a re-lease on demand needs a utilisation");
    } else {
      const auto& on_demand = std::get<deal::OnDemand>(contract);
      require(!on_demand.price.points.empty(), "an on-demand contract needs a price");
      require(!on_demand.utilisation.points.empty(), "an on-demand contract needs a utilisation");
    }
  }
}

// The ledger, and how each sized debt tranche was sized (engine/phases/debt_sizing.hpp).
template <num::Numeric Num>
struct Projection {
  Ledger<Num> ledger;
  std::vector<TrancheSizing<Num>> debt_sizing;
};

// What a projection of the deal books the same at any price of its contracts: the capex, the
// fleet's depreciation and sale, and the debt on its stated terms (not a tranche sized on the
// contracts). Booked once by a solve that tries many prices (a bid, a break-even price); each trial
// copies it (phases::Bookings), and its ledger is the one the projection without it gives, bit for
// bit. Valid for the deal it was booked from and for any that differs from it in its contracts'
// prices alone.
template <num::Numeric Num>
struct Prebooked {
  phases::CapexPayments<Num> capex;
  phases::Bookings<Num> capex_bookings;
  phases::SaleGain<Num> sale;
  phases::Bookings<Num> fleet_bookings;
  std::optional<phases::Bookings<Num>> stated_debt;
};

template <num::Numeric Num>
Prebooked<Num> prebook(const deal::Deal& deal) {
  using namespace phases;
  require_projectable(deal);
  Ledger<Num> alone = empty_ledger<Num>(deal);  // each phase books on it alone; its bookings are taken off
  CapexPayments<Num> capex = pay_capex(deal, alone);
  Bookings<Num> capex_bookings = Bookings<Num>::take(alone);
  const SaleGain<Num> sale = depreciate_and_sell(deal, capex, alone);
  Bookings<Num> fleet_bookings = Bookings<Num>::take(alone);
  std::optional<Bookings<Num>> stated_debt;
  if (std::ranges::none_of(deal.debt, [](const auto& tranche) { return tranche.sizing.has_value(); })) {
    (void)schedule_debt(deal, capex, alone);
    stated_debt = Bookings<Num>::take(alone);
  }
  return {std::move(capex), std::move(capex_bookings), sale, std::move(fleet_bookings), std::move(stated_debt)};
}

// `prebooked`: none, or the deal's prebook() (or that of a deal differing from it in its contracts'
// prices alone).
template <num::Numeric Num>
Projection<Num> project_with_sizing(const deal::Deal& deal, const Prebooked<Num>* prebooked = nullptr) {
  using namespace phases;
  require_projectable(deal);
  Ledger<Num> ledger = empty_ledger<Num>(deal);
  std::optional<CapexPayments<Num>> paid;
  const CapexPayments<Num>& capex = prebooked && prebooked->capex_bookings.copy_into(ledger)
                                        ? prebooked->capex
                                        : paid.emplace(pay_capex(deal, ledger));
  const Revenue<Num> revenue = book_revenue(deal, ledger);
  time_advance_payments_for_tax(deal, revenue.advances, ledger);
  const RunningCostsCharged running_costs = charge_running_costs(deal, capex, revenue.units, ledger);
  buy_unsold_capacity(deal, running_costs, ledger);
  const SaleGain<Num> sold = prebooked && prebooked->fleet_bookings.copy_into(ledger)
                                 ? prebooked->sale
                                 : depreciate_and_sell(deal, capex, ledger);
  const SaleGain<Num> sale_gain = guarantee_residual_value(deal, capex, sold, ledger);
  const VatSettled vat = settle_vat(deal, capex, revenue.output_vat, sale_gain, ledger);
  SizedDebt<Num> sized = size_debt(deal, capex, sale_gain, ledger);
  const IncomeTaxAssessed income_tax =
      schedule_debt_and_waterfall(deal, capex, running_costs, vat, sale_gain, sized.terms, ledger,
                                  prebooked && prebooked->stated_debt ? &*prebooked->stated_debt : nullptr);
  carry_customer_balances(revenue.balance_flows, ledger);
  fund_and_distribute_equity(deal.distributions, income_tax, ledger);
  return {std::move(ledger), std::move(sized.sizing)};
}

template <num::Numeric Num>
Ledger<Num> project(const deal::Deal& deal, const Prebooked<Num>* prebooked = nullptr) {
  return project_with_sizing<Num>(deal, prebooked).ledger;
}

}  // namespace leasecalc::engine
