#pragma once
// Debt phase: each tranche drawn pro rata to capex as it is paid, then serviced (interest, fees,
// principal under its amortisation) and, in the horizon's last month, repaid from the sale of
// the fleet.
//
// The timing rule (every ledger flow sits at a month end): a drawing is made at the end of its
// month, with the capex it funds. Interest accrues from then and is paid with the principal at the
// following month ends: the payment at the end of month m carries the interest of month m's days
// under the tranche's day count and compounding. The first payment falls one month after the
// drawing, and a term of N months ends with the last payment N months after it (a 60-month loan
// drawn at the end of month 0 is repaid by the end of month 60). Under this rule the lender's IRR
// on its own flows (drawings against debt service) is the quoted rate as its compounding and day
// count convert it: 5% simple under 30/360 is 5%/12 a month.
//
// A floating rate (deal::FloatingRate) sets each month's all-in rate at the month's start; the
// month's factor is that rate under the day count and compounding. A level payment is then
// re-fixed at each change of the all-in rate, as the level payment at the new rate held over the
// payments left: a floating-rate annuity is level between resets.
//
// Level payments (annuity, balloon) are fixed when the amortisation starts, and again after each
// drawing that adds to the balance, as the payment that repays the balance (to the balloon) over
// the payments left under the schedule's own month factors; under 30/360 that is the annuity at
// the nominal monthly rate (rate/12 simple, (1 + rate)^(1/12) - 1 compounded annually). Each
// month's interest follows the day count, the principal is the payment less that interest, and
// the last payment absorbs the rounding, as banks schedule them. Under ACT/360 the debt service
// is thus level while the principal varies with the days.
//
// A tranche's margin grid is priced on the credit class of the contracts it finances
// (deal::credit_priced). A swap's net settlement on a month is the interest at the hedged rate
// (the all-in rate with the swapped share of the base replaced by the fixed rate) less the interest
// at the all-in rate, both on the balance under the tranche's accrual: under simple compounding,
// balance x share x (fixed - base) x the year fraction, and a 100% swap makes the loan's interest
// plus settlement that of a fixed loan at fixed + margin, to the cent.
//
// A tranche sized on the deal (engine/phases/debt_sizing.hpp) arrives with its commitment and, when it is
// sculpted or amortised by the greater-of rule, each month's sculpted debt service (CFADS over the
// target DSCR) and largest balance (the LTV limit on the collateral): `DebtTerms`. Under per-draw
// maturity each drawing's loan carries its share of the drawings made by the month before.
// A tranche with an availability window draws only on the capex paid within it; an original issue
// discount is a financing cost on each drawing's face.
//
// A cash sweep (the amounts the cash waterfall of engine/phases/waterfall.hpp decides) prepays the
// balance at a month's end after its payment; the level payment is then re-fixed on the lower
// balance over the payments left, so the term stays and the payments fall.
//
// A debt-service reserve the loan funds (`waterfall.debt_service_reserve.funded_by: debt`) is a
// drawing added to the first senior tranche's first drawing and to its commitment.
//
// Reads: the deal, the capex payments, the sized terms and the sweep. Writes: Line::debt_drawn,
// financing_fees, interest, swap_settlements, principal_repaid, debt_swept, debt_prepaid,
// debt_outstanding.

#include "leasecalc/deal/credit_pricing.hpp"
#include "leasecalc/deal/deal.hpp"
#include "leasecalc/engine/ledger.hpp"
#include "leasecalc/engine/phases/booking.hpp"
#include "leasecalc/engine/phases/capex.hpp"
#include "leasecalc/engine/schedules.hpp"
#include "leasecalc/time/day_count.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

namespace leasecalc::engine::phases {

// The debt is scheduled: its cash lines, interest and financing fees are complete.
struct DebtScheduled {};

// What the sizing (engine/phases/debt_sizing.hpp) decides for one tranche; empty for a tranche given its
// amount or share of capex.
template <num::Numeric Num>
struct DebtTerms {
  std::optional<Num> commitment;     // the sized face amount
  Months<Num> sculpted_service;      // sculpted, greater_of: CFADS / target DSCR by month
  Months<Num> maximum_balance;       // greater_of: maximum LTV x the collateral's value by month end
  // The debt-service reserve's first deposit when the loan funds it (engine/phases/waterfall.hpp):
  // added to the commitment and to the first drawing, and serviced with it.
  Num reserve_funding = Num(0);
};

namespace debt_detail {

// The interest on one unit of balance over a period of `fraction` of a year at `rate`: simple
// (rate x fraction) or compounded ((1 + rate)^fraction - 1), as the tranche states.
template <num::Numeric Num>
Num accrual_factor(const deal::DebtTranche& tranche, const Num& rate, const Num& fraction) {
  return tranche.compounding == deal::Compounding::simple ? rate * fraction : num::pow(Num(1) + rate, fraction) - Num(1);
}

// Each deal month's annual rate, year fraction under the day count, and accrual factor (interest
// on one unit, paid at the month's end), from month 0 to month `months` - 1. The rate is the
// tranche's fixed rate, or its floating all-in rate at the month's start.
template <num::Numeric Num>
struct Accrual {
  Months<Num> rates, fractions, factors;
  Months<Num> hedged_factors;  // under a swap: the factor at the hedged rate; empty without one
};

template <num::Numeric Num>
Accrual<Num> accrual(const deal::DebtTranche& tranche, deal::Date start, int months) {
  // A floating rate changes only where a point of its curve or a margin step begins: a month under
  // the same point and step as the month before takes its rates, and each new rate is worked out
  // (deal::all_in_rate, in exact arithmetic) and converted once, not every month.
  const auto in_force = [](const auto& dated, deal::Date from, auto date_of) {
    int index = -1;  // the last one begun by `from`, as deal::base_rate and deal::all_in_rate read them
    for (std::size_t k = 0; k < dated.size(); ++k)
      if (date_of(dated[k]) <= from) index = static_cast<int>(k);
    return index;
  };
  std::optional<std::pair<int, int>> rates_for;  // the curve point and margin step `all_in` and `base` are for
  Num all_in(0), base(0);
  const Num fixed_rate = as<Num>(tranche.annual_rate);
  const deal::InterestRateSwap* swap = tranche.floating && tranche.swap ? &*tranche.swap : nullptr;
  const Num swap_share = swap ? as<Num>(swap->share) : Num(0), swap_rate = swap ? as<Num>(swap->fixed_rate) : Num(0);
  // A floating rate is looked up at each month's start; a fixed one needs only the fractions.
  const std::vector<deal::Date::ymd_type> starts =
      tranche.floating ? time::month_starts(start, months) : std::vector<deal::Date::ymd_type>{};
  Accrual<Num> a{zero_months<Num>(months), time::monthly_year_fractions<Num>(tranche.day_count, start, months),
                 zero_months<Num>(months), {}};
  for (int m = 0; m < months; ++m) {
    at(a.rates, m) = fixed_rate;
    if (tranche.floating) {  // the month's start is looked up on the curve
      const deal::Date from(starts[static_cast<std::size_t>(m)]);
      const std::pair<int, int> points{in_force(tranche.floating->base, from, [](const auto& p) { return p.date; }),
                                       in_force(tranche.floating->margin_steps, from, [](const auto& s) { return s.from; })};
      if (points != rates_for) {
        rates_for = points;
        all_in = as<Num>(deal::all_in_rate(*tranche.floating, from));
        if (swap) base = as<Num>(deal::base_rate(*tranche.floating, from));
      }
      at(a.rates, m) = all_in;
      if (swap) {
        const bool active = from >= swap->start && from < swap->end;
        const Num hedged = at(a.rates, m) + swap_share * (swap_rate - base);
        a.hedged_factors.push_back(active ? accrual_factor(tranche, hedged, at(a.fractions, m))
                                          : accrual_factor(tranche, at(a.rates, m), at(a.fractions, m)));
      }
    }
    at(a.factors, m) = accrual_factor(tranche, at(a.rates, m), at(a.fractions, m));
  }
  return a;
}

// The level payment, at the ends of months `first` to `last`, that brings `balance` (outstanding
// at the start of month `first`) down to `residual` under the months' own accrual factors:
// balance x G - residual over the sum of the growth after each payment, G the growth over all.
// Under 30/360 every factor is rate/12 and this is the textbook annuity at the nominal rate.
template <num::Numeric Num>
Num level_payment(const Num& balance, const Months<Num>& factors, int first, int last, const Num& residual) {
  Num growth(1), annuity(0);
  for (int k = last; k >= first; --k) {
    annuity += growth;
    growth *= Num(1) + at(factors, k);
  }
  return (balance * growth - residual) / annuity;
}

// One amortising loan: the drawings it carries and the months of its schedule. A tranche is one
// such loan (common maturity) or one per drawing (per-draw maturity).
template <num::Numeric Num>
struct Loan {
  int first_draw = 0;
  int last_draw = 0;
  int first_amortising_payment = 0;  // payments before it are interest only (the grace)
  int maturity = 0;                  // the month of the last payment
  Months<Num> draws;
  Months<Num> share;                 // of the tranche's sculpted service and largest balance, by month
};

template <num::Numeric Num>
void service_loan(const deal::DebtTranche& tranche, const Loan<Num>& loan, const Accrual<Num>& accrued,
                  const DebtTerms<Num>& terms, Ledger<Num>& ledger, Months<Num>* sweep) {
  const Months<Num>& factors = accrued.factors;
  const int last = ledger.months() - 1;
  const bool level = tranche.amortisation == deal::Amortisation::annuity ||
                     tranche.amortisation == deal::Amortisation::balloon;
  Num balance(0), drawn(0), payment(0), payment_rate(0);
  bool payment_fixed = false;
  for (int m = loan.first_draw; m <= last; ++m) {
    if (m > loan.last_draw && balance == 0) break;
    if (balance > 0) {  // the month's payment: interest for its days, and the principal due
      const Num interest = booked(balance * at(factors, m));
      ledger(Line::interest, m) -= interest;
      if (!accrued.hedged_factors.empty())
        ledger(Line::swap_settlements, m) -= booked(balance * at(accrued.hedged_factors, m)) - interest;
      Num principal(0);
      if (m >= loan.maturity) {
        principal = balance;  // the last payment absorbs the rounding
      } else if (m >= loan.first_amortising_payment) {
        if (level) {
          // A floating-rate annuity is re-fixed at each rate change, at the new rate held over
          // the payments left, as such loans are serviced: level between resets.
          if (!payment_fixed || (tranche.floating && at(accrued.rates, m) != payment_rate)) {
            const Num residual = tranche.amortisation == deal::Amortisation::balloon
                                     ? std::min(booked(drawn * as<Num>(tranche.balloon_share)), balance)
                                     : Num(0);
            payment_rate = at(accrued.rates, m);
            if (tranche.floating) {
              Months<Num> held = factors;
              for (int k = m; k <= loan.maturity; ++k)
                at(held, k) = accrual_factor(tranche, payment_rate, at(accrued.fractions, k));
              payment = booked(level_payment(balance, held, m, loan.maturity, residual));
            } else {
              payment = booked(level_payment(balance, factors, m, loan.maturity, residual));
            }
            payment_fixed = true;
          }
          principal = std::max(payment - interest, Num(0));  // never a capitalised shortfall
        } else if (tranche.amortisation == deal::Amortisation::straight_line) {
          principal = booked(balance / Num(loan.maturity - m + 1));  // this payment and those left
        } else if (tranche.amortisation == deal::Amortisation::sculpted ||
                   tranche.amortisation == deal::Amortisation::greater_of) {
          const Num share = at(loan.share, m);
          const Num service = share == 1 ? at(terms.sculpted_service, m) : booked(share * at(terms.sculpted_service, m));
          principal = std::max(service - interest, Num(0));  // never a capitalised shortfall
          if (tranche.amortisation == deal::Amortisation::greater_of) {
            const Num limit = share == 1 ? at(terms.maximum_balance, m) : booked(share * at(terms.maximum_balance, m));
            principal = std::max(principal, balance - limit);
          }
        }
      }
      principal = std::min(principal, balance);
      ledger(Line::principal_repaid, m) -= principal;
      balance -= principal;
      if (sweep && at(*sweep, m) > 0 && balance > 0) {  // what the sweep leaves goes to the next loan
        const Num swept = std::min(at(*sweep, m), balance);
        ledger(Line::debt_swept, m) -= swept;
        at(*sweep, m) -= swept;
        balance -= swept;
        payment_fixed = false;
      }
    }
    if (at(loan.draws, m) != 0) {  // drawn at the month's end: the level payment is fixed anew
      balance += at(loan.draws, m);
      drawn += at(loan.draws, m);
      payment_fixed = false;
    }
    if (m == last && balance > 0) {  // the rest is repaid from the sale of the fleet
      ledger(Line::debt_prepaid, m) -= balance;
      balance = 0;
    }
    ledger(Line::debt_outstanding, m) += balance;
  }
}

// The capex a tranche draws on: the capex paid in the tranche's availability window, the months
// from the first capex payment's (every month without a window).
template <num::Numeric Num>
Months<Num> capex_in_window(const deal::DebtTranche& tranche, const Months<Num>& capex_cash) {
  Months<Num> drawable = capex_cash;
  if (!tranche.availability_months) return drawable;
  int first = -1;
  for (int m = 0; m < static_cast<int>(drawable.size()); ++m) {
    if (at(drawable, m) == 0) continue;
    if (first < 0) first = m;
    else if (m - first >= *tranche.availability_months) at(drawable, m) = Num(0);
  }
  return drawable;
}

// The commitment of a tranche given its amount or share of capex, never above the capex it draws on.
template <num::Numeric Num>
Num stated_commitment(const deal::DebtTranche& tranche, const Num& drawable_capex) {
  const Num commitment =
      tranche.amount != 0 ? as<Num>(tranche.amount) : booked(drawable_capex * as<Num>(tranche.share_of_capex));
  return std::min(commitment, drawable_capex);
}

template <num::Numeric Num>
void schedule_tranche(const deal::DebtTranche& tranche, deal::Date start, int horizon, const Months<Num>& all_capex,
                      const DebtTerms<Num>& terms, Ledger<Num>& ledger, Months<Num>* sweep) {
  const Months<Num> capex_cash = capex_in_window(tranche, all_capex);
  Num total_capex(0);
  for (const auto& cash : capex_cash) total_capex += cash;
  if (tranche.sizing && !terms.commitment)
    throw std::invalid_argument("debt tranche \"" + tranche.name + "\" is sized on the deal: schedule it with its terms");
  const Num commitment =
      (terms.commitment ? *terms.commitment : stated_commitment(tranche, total_capex)) + terms.reserve_funding;
  if (commitment <= 0) return;
  // Drawn pro rata to capex as it is paid.
  Months<Num> draws = zero_months<Num>(horizon);
  int first_draw = -1, last_draw = -1;
  Num drawn(0);
  for (int m = 0; m < horizon; ++m) {
    if (at(capex_cash, m) == 0) continue;
    const bool final_draw = [&] {
      for (int n = m + 1; n < horizon; ++n)
        if (at(capex_cash, n) != 0) return false;
      return true;
    }();
    const Num funding = first_draw < 0 ? terms.reserve_funding : Num(0);  // with the first drawing
    const Num draw = final_draw ? commitment - drawn
                                : funding + booked((commitment - terms.reserve_funding) * at(capex_cash, m) / total_capex);
    at(draws, m) = draw;
    drawn += draw;
    if (first_draw < 0) first_draw = m;
    last_draw = m;
  }
  if (first_draw < 0) return;
  ledger(Line::financing_fees, first_draw) -= booked(commitment * as<Num>(tranche.upfront_fee));
  if (tranche.original_issue_discount != 0) {  // advanced at face less the discount
    const Num discount = as<Num>(tranche.original_issue_discount);
    for (int m = first_draw; m <= last_draw; ++m)
      if (at(draws, m) != 0) ledger(Line::financing_fees, m) -= booked(at(draws, m) * discount);
  }
  // The commitment fee: at each month end after the first drawing up to the last, on what stayed
  // undrawn through the month.
  Num undrawn = commitment;
  const Num commitment_fee = as<Num>(tranche.commitment_fee);
  for (int m = first_draw; m <= last_draw; ++m) {
    if (m > first_draw) ledger(Line::financing_fees, m) -= booked(undrawn * commitment_fee / Num(12));
    undrawn -= at(draws, m);
  }
  for (int m = 0; m < horizon; ++m) ledger(Line::debt_drawn, m) += at(draws, m);

  // Each month's factor, over the horizon and as far past it as a schedule runs (a level payment
  // is fixed on the whole schedule, even where the sale will repay the end of it).
  const Accrual<Num> accrued = accrual<Num>(tranche, start, last_draw + tranche.term_months + 1);
  const auto loan_from = [&](int first, int last_drawing, Months<Num> loan_draws, Months<Num> share) {
    return Loan<Num>{first, last_drawing, first + tranche.grace_months + 1, first + tranche.term_months,
                     std::move(loan_draws), std::move(share)};
  };
  // Sculpted payments read each loan's share of the tranche's sculpted service and LTV limit.
  const bool shared = tranche.amortisation == deal::Amortisation::sculpted ||
                      tranche.amortisation == deal::Amortisation::greater_of;
  if (tranche.maturity == deal::Maturity::common) {
    Months<Num> whole = shared ? Months<Num>(static_cast<std::size_t>(horizon), Num(1)) : Months<Num>{};
    service_loan(tranche, loan_from(first_draw, last_draw, std::move(draws), std::move(whole)), accrued, terms, ledger, sweep);
    return;
  }
  // Each drawing's loan carries its share of the drawings made by the month before a payment.
  Months<Num> drawn_before = zero_months<Num>(shared ? horizon : 0);
  for (int m = 1; shared && m < horizon; ++m) at(drawn_before, m) = at(drawn_before, m - 1) + at(draws, m - 1);
  for (int m = first_draw; m <= last_draw; ++m) {
    if (at(draws, m) == 0) continue;
    Months<Num> own = zero_months<Num>(horizon), share = zero_months<Num>(shared ? horizon : 0);
    at(own, m) = at(draws, m);
    for (int n = m + 1; shared && n < horizon; ++n) at(share, n) = at(draws, m) / at(drawn_before, n);
    service_loan(tranche, loan_from(m, m, std::move(own), std::move(share)), accrued, terms, ledger, sweep);
  }
}

}  // namespace debt_detail

// `terms` holds one entry per tranche (engine/phases/debt_sizing.hpp), or none when no tranche is
// sized. `sweep`: the cash swept to the debt at each month's end (empty: none), applied to the senior
// tranches in the model's order and, within a tranche, to its earliest drawing first.
template <num::Numeric Num>
DebtScheduled schedule_debt(const deal::Deal& deal, const CapexPayments<Num>& capex,
                            const std::vector<DebtTerms<Num>>& terms, Ledger<Num>& ledger, Months<Num> sweep = {}) {
  Months<Num>* to_sweep = sweep.empty() ? nullptr : &sweep;
  const DebtTerms<Num> stated;
  for (std::size_t i = 0; i < deal.debt.size(); ++i) {
    const deal::DebtTranche& tranche = deal.debt[i];
    if (tranche.kind == deal::DebtTranche::Kind::sale_leaseback) continue;  // phases/sale_leaseback.hpp
    debt_detail::schedule_tranche(deal::credit_priced(deal.contracts, tranche), deal.start, deal.horizon_months, capex.cash,
                                  i < terms.size() ? terms[i] : stated, ledger,
                                  tranche.rank == deal::Rank::senior ? to_sweep : nullptr);
  }
  return {};
}

// The debt of a deal whose tranches are all given their amount or share of capex.
template <num::Numeric Num>
DebtScheduled schedule_debt(const deal::Deal& deal, const CapexPayments<Num>& capex, Ledger<Num>& ledger,
                            Months<Num> sweep = {}) {
  return schedule_debt(deal, capex, {}, ledger, std::move(sweep));
}

}  // namespace leasecalc::engine::phases
