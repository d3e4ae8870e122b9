#pragma once
// Debt phase: each tranche drawn pro rata to capex as it is paid, then serviced (interest, fees,
// principal under its amortisation) and, in the horizon's last month, repaid from the sale of
// the fleet.
//
// Drawings arrive at the start of their month and accrue interest from it; interest and
// repayments are paid at month ends, from the first drawing's month: a 60-month loan drawn in
// month 0 is repaid by the end of month 59.
//
// Reads: the deal and the capex payments. Writes: Line::debt_drawn, financing_fees, interest,
// principal_repaid, debt_prepaid, debt_outstanding.

#include "leasecalc/deal/deal.hpp"
#include "leasecalc/engine/ledger.hpp"
#include "leasecalc/engine/phases/booking.hpp"
#include "leasecalc/engine/phases/capex.hpp"
#include "leasecalc/engine/schedules.hpp"
#include "leasecalc/time/day_count.hpp"

#include <algorithm>
#include <vector>

namespace leasecalc::engine::phases {

// The debt is scheduled: its cash lines, interest and financing fees are complete.
struct DebtScheduled {};

namespace debt_detail {

// Interest on `balance` over deal month m under the tranche's rate conventions; `month_starts`
// holds the first day of each deal month and of the month after the horizon.
template <num::Numeric Num>
Num interest_for_month(const deal::DebtTranche& tranche, const Num& rate, const Num& balance, int m,
                       const std::vector<deal::Date>& month_starts) {
  const Num fraction = time::year_fraction<Num>(tranche.day_count, month_starts[static_cast<std::size_t>(m)],
                                                month_starts[static_cast<std::size_t>(m) + 1]);
  if (tranche.compounding == deal::Compounding::simple) return balance * rate * fraction;
  return balance * (num::pow(Num(1) + rate, fraction) - Num(1));
}

// Principal part of a level payment that leaves `residual` after `remaining` payments.
template <num::Numeric Num>
Num level_principal(const Num& balance, const Num& rate, int remaining, const Num& residual) {
  if (rate == 0) return (balance - residual) / Num(remaining);
  const Num growth = num::powi(Num(1) + rate, remaining);
  const Num payment = (balance * growth - residual) * rate / (growth - Num(1));
  return payment - balance * rate;
}

template <num::Numeric Num>
void schedule_tranche(const deal::DebtTranche& tranche, int horizon, const Months<Num>& capex_cash,
                      const std::vector<deal::Date>& month_starts, Ledger<Num>& ledger) {
  const int last = horizon - 1;
  Num total_capex(0);
  for (const auto& cash : capex_cash) total_capex += cash;
  const Num commitment =
      tranche.amount != 0 ? as<Num>(tranche.amount) : booked(total_capex * as<Num>(tranche.share_of_capex));
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
    const Num draw = final_draw ? commitment - drawn : booked(commitment * at(capex_cash, m) / total_capex);
    at(draws, m) = draw;
    drawn += draw;
    if (first_draw < 0) first_draw = m;
    last_draw = m;
  }
  if (first_draw < 0) return;
  ledger(Line::financing_fees, first_draw) -= booked(commitment * as<Num>(tranche.upfront_fee));

  const int maturity = first_draw + tranche.term_months;  // repayments in [.., maturity)
  const int amortisation_start = first_draw + tranche.grace_months;
  const Num nominal_monthly = tranche.compounding == deal::Compounding::simple
                                  ? as<Num>(tranche.annual_rate) / Num(12)
                                  : num::pow(Num(1) + as<Num>(tranche.annual_rate), Num(1) / Num(12)) - Num(1);
  const Num balloon = booked(commitment * as<Num>(tranche.balloon_share));
  const Num rate = as<Num>(tranche.annual_rate);
  const Num commitment_fee = as<Num>(tranche.commitment_fee);
  Num balance(0), undrawn = commitment;
  for (int m = 0; m < horizon; ++m) {
    if (at(draws, m) != 0) {
      ledger(Line::debt_drawn, m) += at(draws, m);
      balance += at(draws, m);
      undrawn -= at(draws, m);
    }
    if (m < last_draw)  // on what stays undrawn through the month
      ledger(Line::financing_fees, m) -= booked(undrawn * commitment_fee / Num(12));
    if (balance > 0) {
      ledger(Line::interest, m) -= booked(interest_for_month(tranche, rate, balance, m, month_starts));
      const int remaining = maturity - m;  // repayments left, this one included
      Num principal(0);
      if (remaining <= 1) {
        principal = balance;
      } else if (m >= amortisation_start) {
        switch (tranche.amortisation) {
          case deal::Amortisation::annuity: principal = level_principal(balance, nominal_monthly, remaining, Num(0)); break;
          case deal::Amortisation::balloon:
            principal = level_principal(balance, nominal_monthly, remaining, std::min(balloon, balance));
            break;
          case deal::Amortisation::straight_line: principal = balance / Num(remaining); break;
          case deal::Amortisation::bullet: break;
        }
      }
      principal = std::min(booked(principal), balance);
      ledger(Line::principal_repaid, m) -= principal;
      balance -= principal;
    }
    if (m == last && balance > 0) {  // the rest is repaid from the sale of the fleet
      ledger(Line::debt_prepaid, m) -= balance;
      balance = 0;
    }
    ledger(Line::debt_outstanding, m) += balance;
  }
}

}  // namespace debt_detail

template <num::Numeric Num>
DebtScheduled schedule_debt(const deal::Deal& deal, const CapexPayments<Num>& capex, Ledger<Num>& ledger) {
  const int horizon = deal.horizon_months;
  std::vector<deal::Date> month_starts;
  if (!deal.debt.empty())
    for (int m = 0; m <= horizon; ++m) month_starts.push_back(month_start(deal.start, m));
  for (const auto& tranche : deal.debt) debt_detail::schedule_tranche(tranche, horizon, capex.cash, month_starts, ledger);
  return {};
}

}  // namespace leasecalc::engine::phases
