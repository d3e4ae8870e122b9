#pragma once
// Sale-leaseback phase (deal::SaleLeaseback, docs/structures.md): the fleet delivered by the sale
// month is sold to an investor for the advance rate times its capitalised cost, at the end of the
// sale month, and rented back.
//
// Accounting: the repurchase keeps the fleet on the operator's books, so the sale is a financing.
// The proceeds are booked as debt drawn; each month's rent is interest on the balance (under the
// tranche's day count and compounding) and principal; the repurchase price is the balance left
// after the rents and is paid with the last rent, as the last principal. The fleet stays with the
// depreciation and sale phase. The rents are the level payment, fixed at the sale, that brings the
// proceeds down to the repurchase price over the term at the lease rate: the debt phase's balloon
// schedule (phases/debt.hpp) with the repurchase price as the balloon, so that both follow one
// timing rule. An upfront fee on the proceeds is paid at the sale; a term past the horizon is
// settled from the sale of the fleet, like any debt.
//
// Reads: the deal and the capex payments. Writes the debt lines: Line::debt_drawn,
// financing_fees, interest, principal_repaid, debt_prepaid, debt_outstanding.

#include "leasecalc/deal/deal.hpp"
#include "leasecalc/engine/ledger.hpp"
#include "leasecalc/engine/phases/booking.hpp"
#include "leasecalc/engine/phases/capex.hpp"
#include "leasecalc/engine/phases/debt.hpp"

#include <concepts>
#include <stdexcept>

namespace leasecalc::engine::phases {

// A sale-leaseback's terms in money: the sale month, the proceeds and the repurchase price.
template <num::Numeric Num>
struct SaleLeasebackTerms {
  int sale_month = 0;
  int repurchase_month = 0;  // the last rent's month, possibly past the horizon
  Num cost{0};               // capitalised cost of the fleet sold
  Num proceeds{0};
  Num repurchase_price{0};
};

template <num::Numeric Num>
SaleLeasebackTerms<Num> sale_leaseback_terms(const deal::Deal& deal, const deal::DebtTranche& tranche,
                                             const CapexPayments<Num>& capex) {
  const deal::SaleLeaseback& terms = *tranche.sale_leaseback;
  SaleLeasebackTerms<Num> t;
  t.sale_month = terms.sale ? month_index(deal.start, *terms.sale)
                            : (capex.deliveries.empty() ? 0 : capex.deliveries.back().month);
  if (t.sale_month < 0 || t.sale_month >= deal.horizon_months)
    throw std::invalid_argument("a sale-leaseback's sale falls outside the deal's horizon");
  t.repurchase_month = t.sale_month + tranche.term_months;
  t.cost = fleet_cost(capex, t.sale_month);
  t.proceeds = booked(t.cost * as<Num>(terms.advance_rate));
  t.repurchase_price = terms.repurchase_share_of_cost ? booked(t.cost * as<Num>(*terms.repurchase_share_of_cost))
                                                      : as<Num>(terms.repurchase_price);
  return t;
}

template <num::Numeric Num>
void lease_back(const deal::Deal& deal, const deal::DebtTranche& tranche, const CapexPayments<Num>& capex,
                Ledger<Num>& ledger) {
  const SaleLeasebackTerms<Num> t = sale_leaseback_terms(deal, tranche, capex);
  if (!(t.proceeds > 0)) return;
  if (t.repurchase_price > t.proceeds)
    throw std::invalid_argument("a sale-leaseback's repurchase price cannot exceed its proceeds");
  ledger(Line::debt_drawn, t.sale_month) += t.proceeds;
  ledger(Line::financing_fees, t.sale_month) -= booked(t.proceeds * as<Num>(tranche.upfront_fee));
  // The rents as a balloon loan drawn once: the balloon's share of the amount drawn is the
  // repurchase price, which the schedule books to the cent.
  deal::DebtTranche rents = tranche;
  rents.amortisation = deal::Amortisation::balloon;
  if constexpr (std::same_as<Num, num::Decimal>) rents.balloon_share = t.repurchase_price / t.proceeds;
  else rents.balloon_share = deal::Decimal(t.repurchase_price / t.proceeds);
  rents.grace_months = 0;
  rents.maturity = deal::Maturity::common;
  Months<Num> draws = zero_months<Num>(deal.horizon_months);
  at(draws, t.sale_month) = t.proceeds;
  const auto accrued = debt_detail::accrual<Num>(rents, deal.start, t.repurchase_month + 1);
  debt_detail::service_loan(rents, debt_detail::Loan<Num>{t.sale_month, t.sale_month, t.sale_month + 1,
                                                          t.repurchase_month, std::move(draws), {}},
                            accrued, DebtTerms<Num>{}, ledger, static_cast<Months<Num>*>(nullptr));
}

// Every sale-leaseback of the deal; the debt phase schedules the other tranches.
template <num::Numeric Num>
DebtScheduled lease_back_sold_fleet(const deal::Deal& deal, const CapexPayments<Num>& capex, const DebtScheduled& debt,
                                    Ledger<Num>& ledger) {
  for (const auto& tranche : deal.debt)
    if (tranche.kind == deal::DebtTranche::Kind::sale_leaseback) lease_back(deal, tranche, capex, ledger);
  return debt;
}

}  // namespace leasecalc::engine::phases
