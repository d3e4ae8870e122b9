#pragma once
// Debt-and-waterfall phase: the debt scheduled, the income tax assessed, and below the debt service
// the cash waterfall of the model's `waterfall:` and `covenants.on_breach` (docs/model-format.md):
//
//   cash after running costs, tax, capex and drawings (the operating cash flow after tax)
//   - senior interest and scheduled principal, financing fees
//   - the debt-service reserve's deposits (+ its releases)
//   - the junior tranche's service, and its service deferred before
//   - the cash sweep: a share of what is left (the excess cash) prepays the debt
//   - the lock-up: while a test fails, what is left is held in the deal (or swept to the debt)
//   = the free cash flow to equity, which the equity phase distributes.
//
// The reserve (DSRA) is one for the deal: at the end of each month from the first drawing it holds
// the senior debt service (interest and scheduled principal) of the next `reserve_months` months,
// to the horizon, as the schedule stands before the month's sweep (a lender sizes it on the
// repayment schedule in force; a sweep lowers the later payments, and the reserve falls with them
// the next month). Its first deposit, at the first drawing, is paid by the shareholders, or by the
// loan (`funded_by: debt`: a drawing added to the first senior tranche's first drawing, which the
// loan then services, so the deposit is found as the requirement of the schedule it is part of).
// Later rises are topped up from the month's cash (the shareholders funding any shortfall, as they
// fund every shortfall of the deal); falls are released into the waterfall, and the rest when the
// debt is repaid or at the horizon. From the month after the last drawing, a month whose cash
// (with the free cash the deal still holds since the last distribution date and any trapped cash,
// and leaving the junior's service to its deferral) falls short of the senior debt service draws
// the reserve for the shortfall, up to the month's senior debt service
// (Line::reserve_drawn), before the shareholders are called; what was drawn is refilled from later
// months' cash, ahead of the junior tranche and the sweep, and only from cash (never from the
// shareholders).
//
// The junior tranche (`rank: junior`, at most one) is scheduled as any tranche, but paid from the
// cash left after the senior debt service and the reserve: from the month after the last drawing
// (before it, the shareholders fund the capex and all), what that cash cannot pay is deferred
// (Line::junior_deferred, positive) and capitalised, accruing each month at the junior's own month
// factor (booked as interest, added to what is deferred); deferred service is paid from the
// excess cash before the sweep and the lock-up, and what is still deferred at the horizon from
// the sale. The shareholders thus fund a shortfall of senior debt service, never of the junior's.
// The reserve covers the senior debt service alone.
//
// The sweep runs from the month after the last drawing to the month before the horizon (where the
// sale repays the debt): a share of the month's excess cash (positive) prepays the tranches in the
// model's order (senior tranches only), each drawing earliest first, and each level payment is re-fixed on the lower
// balance over the payments left (the term stays, the payments fall), as engine/phases/debt.hpp
// books it. Debt service (and so the DSCR) excludes what the sweep prepays.
//
// The lock-up and the covenant consequences are decided on the covenant test dates
// (engine/covenants.hpp: the model's `covenants:` frequency, first test and look-back, or the
// defaults, quarterly over the trailing 12 months) while debt is owed: a test failed at the end of
// month t governs the months after it, t + 1 up to and including the next test date, as lenders
// act once the test date's figures are in. The lock-up fails while the DSCR over the look-back is
// under `lock_up_dscr`; the covenants fail when any test the model sets is breached. Under a
// lock-up or `on_breach: trap` the excess cash after the sweep is held (`lock_up_cash: hold`, the
// default) and covers later shortfalls first, or swept whole to the debt (`lock_up_cash: sweep`);
// under `on_breach: accelerate` the whole excess cash sweeps the debt until a test date finds the
// breach cured. A month no failed test governs releases every trapped amount, and the horizon
// releases the rest.
//
// The circularity (interest moves the tax, the tax the excess cash, the excess cash the sweep, the
// sweep the interest) is broken by the order in time, which makes it causal: a sweep at a month's
// end moves only the interest and payments of later months, the tax of a deal year is paid at its
// last month's end on interest already settled, and the reserve and the tests read the schedule as
// it stands. So the months are walked in order, and at each month the debt is rescheduled with the
// sweeps decided so far and the tax assessed on it: that month's figures are final, exactly (to
// the cent, no iteration). The ledger is then booked once with every sweep. The covenant tests
// read at a test date are those of the schedule then in force; a test that looks forward (contract
// fulfilment: what is still owed) is reported on the final schedule, after the later sweeps.
//
// Reads: the deal, the capex payments and what the tax phase reads. Writes: the debt phase's and
// the tax phase's lines, and Line::reserve_funded, reserve_topped_up, reserve_released,
// reserve_drawn, debt_service_reserve, cash_trapped, trapped_cash, junior_deferred, junior_deferred_balance,
// junior_debt_service.

#include "leasecalc/deal/deal.hpp"
#include "leasecalc/engine/covenants.hpp"
#include "leasecalc/engine/ledger.hpp"
#include "leasecalc/engine/metrics.hpp"
#include "leasecalc/engine/phases/booking.hpp"
#include "leasecalc/engine/phases/capex.hpp"
#include "leasecalc/engine/phases/debt.hpp"
#include "leasecalc/engine/phases/income_tax.hpp"
#include "leasecalc/engine/phases/sale_leaseback.hpp"
#include "leasecalc/engine/statements.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace leasecalc::engine::phases {

// Whether the deal has a waterfall below its debt service; without one the phase is the debt
// phase and the tax phase, as they were.
inline bool has_waterfall(const deal::Deal& deal) {
  return !deal.debt.empty() &&
         (deal.waterfall.any() || (deal.covenants.any() && deal.covenants.on_breach != deal::BreachAction::report) ||
          std::ranges::any_of(deal.debt, [](const auto& tranche) { return tranche.rank == deal::Rank::junior; }));
}

namespace waterfall_detail {

// The months from `t` + 1 to the next date of `dates` after t (inclusive), or to the horizon.
inline void govern(std::vector<bool>& months, const std::vector<int>& dates, std::size_t index) {
  const int last = static_cast<int>(months.size()) - 1;
  const int until = index + 1 < dates.size() ? dates[index + 1] : last;
  for (int m = dates[index] + 1; m <= std::min(until, last); ++m) months[static_cast<std::size_t>(m)] = true;
}

// The lines the walk books, kept apart until the debt and tax are booked for good.
template <num::Numeric Num>
struct Restricted {
  Months<Num> funded, topped_up, released, drawn, reserve, trapped_flow, trapped;
};

}  // namespace waterfall_detail

// The debt, the income tax and the waterfall between them, settled together (see the header).
template <num::Numeric Num>
IncomeTaxAssessed schedule_debt_and_waterfall(const deal::Deal& deal, const CapexPayments<Num>& capex,
                                              const RunningCostsCharged& running_costs, const VatSettled& vat,
                                              const SaleGain<Num>& sale_gain,
                                              const std::vector<DebtTerms<Num>>& sized_terms, Ledger<Num>& ledger,
                                              const Bookings<Num>* stated_debt = nullptr) {
  // The schedule on the stated terms (none sized) without a sweep is copied from `stated_debt`, the
  // bookings of schedule_debt(deal, capex, {}, ...) alone, where it is given (a bid's trial prices).
  const auto schedule_on = [&](const std::vector<DebtTerms<Num>>& on_terms, Ledger<Num>& l, Months<Num> sweep) {
    const bool stated = on_terms.empty() && std::ranges::all_of(sweep, [](const Num& cash) { return cash == 0; });
    if (stated && stated_debt && stated_debt->copy_into(l)) return DebtScheduled{};
    return schedule_debt(deal, capex, on_terms, l, std::move(sweep));
  };
  if (!has_waterfall(deal)) {
    const DebtScheduled debt = lease_back_sold_fleet(deal, capex, schedule_on(sized_terms, ledger, {}), ledger);
    return assess_income_tax(deal, running_costs, vat, debt, sale_gain, ledger);
  }
  using waterfall_detail::govern;
  const int horizon = ledger.months(), last = horizon - 1;
  const deal::Waterfall& terms = deal.waterfall;
  const bool acts_on_breach = deal.covenants.any() && deal.covenants.on_breach != deal::BreachAction::report;
  Months<Num> sweep = zero_months<Num>(horizon);
  // The junior tranche (at most one): its scheduled service, which the sweep does not touch, and
  // the month factors its deferred service accrues at.
  const auto junior = std::ranges::find_if(deal.debt, [](const auto& t) { return t.rank == deal::Rank::junior; });
  Months<Num> junior_service = zero_months<Num>(horizon), junior_factors = zero_months<Num>(horizon);
  if (junior != deal.debt.end()) {
    deal::Deal alone = deal;
    alone.debt = {*junior};
    const auto index = static_cast<std::size_t>(junior - deal.debt.begin());
    const std::vector<DebtTerms<Num>> junior_terms =
        index < sized_terms.size() ? std::vector<DebtTerms<Num>>{sized_terms[index]} : std::vector<DebtTerms<Num>>{};
    Ledger<Num> scratch = empty_ledger<Num>(deal);
    (void)schedule_debt(alone, capex, junior_terms, scratch);
    for (int m = 0; m < horizon; ++m) at(junior_service, m) = debt_service(scratch, m);
    junior_factors = debt_detail::accrual<Num>(*junior, deal.start, horizon).factors;
  }
  Months<Num> deferral = zero_months<Num>(horizon);  // junior service deferred (+) or deferred service paid (-)
  // The terms the debt is scheduled on: the sized ones, and the reserve's funding when the loan pays it.
  std::vector<DebtTerms<Num>> terms_in_force = sized_terms;
  // The debt scheduled with the sweep and the deferrals decided so far, and the tax assessed on it:
  // `book` on a ledger as it stood before the debt, `schedule` on any (it restores that first).
  const auto book = [&](Ledger<Num>& l) {
    const DebtScheduled debt =
        lease_back_sold_fleet(deal, capex, schedule_on(terms_in_force, l, sweep), l);
    if (junior != deal.debt.end()) {
      Num deferred(0);
      for (int m = 0; m < horizon; ++m) {
        const Num capitalised = booked(deferred * at(junior_factors, m));  // interest on it, added to it
        l(Line::interest, m) -= capitalised;
        l(Line::junior_deferred, m) += capitalised + at(deferral, m);
        deferred += capitalised + at(deferral, m);
        if (m == horizon - 1) {  // what is still deferred is paid from the sale of the fleet
          l(Line::junior_deferred, m) -= deferred;
          deferred = 0;
        }
        l(Line::junior_deferred_balance, m) = deferred;
        l(Line::junior_debt_service, m) = at(junior_service, m) - capitalised;
      }
    }
    return assess_income_tax(deal, running_costs, vat, debt, sale_gain, l);
  };
  // The ledger as it stood before the debt, kept only where the walk may draw the schedule up
  // again: a reserve the loan funds, a junior deferral, a sweep (of excess cash, of a lock-up's cash,
  // on a breach). Otherwise the one schedule is booked on the ledger itself, without a copy.
  const bool may_reschedule = junior != deal.debt.end() ||
                              (terms.reserve_months > 0 && terms.reserve_funded_by == deal::ReserveFunding::debt) ||
                              terms.cash_sweep != 0 || terms.lock_up_cash == deal::LockUpCash::sweep || acts_on_breach;
  Ledger<Num> as_scheduled = std::move(ledger);
  const std::optional<Ledger<Num>> before_debt = may_reschedule ? std::optional<Ledger<Num>>(as_scheduled) : std::nullopt;
  const auto schedule = [&](Ledger<Num>& l) {
    if (!before_debt) throw std::logic_error("the waterfall drew its schedule up again without the ledger before the debt");
    l = *before_debt;
    return book(l);
  };
  (void)book(as_scheduled);
  // What the walk reads of the schedule in force, month by month, summed once each time it is
  // drawn up (each month in the line table's order, as the per-month sums).
  Months<Num> senior_service, cash_after_service;
  const auto read_schedule = [&] {
    senior_service = monthly_senior_debt_service(as_scheduled);
    cash_after_service = monthly_sums_of_lines<in_free_cash_flow_to_equity>(as_scheduled);
  };
  read_schedule();

  int first_draw = -1, last_draw = -1;
  for (int m = 0; m < horizon; ++m)
    if (as_scheduled(Line::debt_drawn, m) > 0) {
      if (first_draw < 0) first_draw = m;
      last_draw = m;
    }
  // The reserve's requirement at the end of month m: the senior debt service of the next
  // `reserve_months` months, to the horizon, on the schedule as it stands.
  const auto requirement_at = [&](int m) {
    Num requirement(0);
    if (terms.reserve_months > 0 && m >= first_draw && m < last)
      for (int k = m + 1; k <= std::min(m + terms.reserve_months, last); ++k) requirement -= at(senior_service, k);
    return requirement;
  };
  // Funded by the loan: the first deposit is drawn with the first senior tranche's first drawing,
  // and so is serviced with it, which moves the deposit; the deposit is found by repeating until it
  // is the requirement it funds (a contraction: N months of service on the deposit are a fraction of
  // it). What a last cent of difference leaves unfunded the shareholders pay, as any rise.
  if (first_draw >= 0 && terms.reserve_months > 0 && terms.reserve_funded_by == deal::ReserveFunding::debt) {
    const auto senior = std::ranges::find_if(deal.debt, [](const deal::DebtTranche& t) {
      return t.rank == deal::Rank::senior && t.kind != deal::DebtTranche::Kind::sale_leaseback;
    });
    if (senior != deal.debt.end()) {
      terms_in_force.resize(deal.debt.size());
      Num& funding = terms_in_force[static_cast<std::size_t>(senior - deal.debt.begin())].reserve_funding;
      for (int round = 0; round < 50; ++round) {
        const Num requirement = requirement_at(first_draw);
        if (requirement == funding) break;
        funding = requirement;
        (void)schedule(as_scheduled);
        read_schedule();
      }
    }
  }
  const Num share = as<Num>(terms.cash_sweep);
  // The covenant test dates (engine/covenants.hpp) and the look-back of the lock-up's DSCR.
  const std::vector<int> test_dates =
      first_draw < 0 ? std::vector<int>{} : covenant_detail::test_months(deal.covenants, deal.start, horizon, first_draw);
  const int look_back = deal.covenants.look_back == deal::CovenantLookBack::trailing_12_months
                            ? 12
                            : time::months_per_period(deal.covenants.frequency);
  std::vector<bool> locked_up(static_cast<std::size_t>(horizon), false), accelerated = locked_up;

  waterfall_detail::Restricted<Num> booked_lines{zero_months<Num>(horizon), zero_months<Num>(horizon),
                                                 zero_months<Num>(horizon), zero_months<Num>(horizon),
                                                 zero_months<Num>(horizon), zero_months<Num>(horizon),
                                                 zero_months<Num>(horizon)};
  Num reserve(0), previous_requirement(0), trapped(0), undistributed(0);
  const int distribution_period = time::months_per_period(deal.distributions);
  const auto is_distribution_date = [&](int m) { return m % distribution_period == distribution_period - 1 || m == last; };
  bool stale = false;  // a sweep since the schedule was last drawn up
  std::size_t next_test = 0;  // the first test date not yet reached (the dates ascend)
  for (int m = first_draw < 0 ? horizon : 0; m <= last; ++m) {
    if (stale) {
      (void)schedule(as_scheduled);
      read_schedule();
    }
    stale = false;
    const auto at_m = static_cast<std::size_t>(m);
    // The test at the end of the month before, on the figures as they then stood.
    while (next_test < test_dates.size() && test_dates[next_test] < m - 1) ++next_test;
    if (m > 0 && next_test < test_dates.size() && test_dates[next_test] == m - 1) {
      const int t = m - 1;
      const std::size_t index = next_test;
      const bool owed = as_scheduled(Line::debt_drawn, t) > 0 || (t > 0 && as_scheduled(Line::debt_outstanding, t - 1) > 0);
      if (owed && terms.lock_up_dscr) {
        const std::optional<double> dscr = debt_service_coverage(as_scheduled, std::max(0, t - look_back + 1), t + 1);
        if (dscr && *dscr < num::to_double(*terms.lock_up_dscr)) govern(locked_up, test_dates, index);
      }
      if (owed && acts_on_breach) {
        const CovenantReport report = covenant_report(deal, as_scheduled, capex);
        const auto found = std::ranges::find(report.test_months, t);
        const auto on_date = static_cast<std::size_t>(found - report.test_months.begin());
        const bool breached = found != report.test_months.end() &&
                              std::ranges::any_of(report.tests, [&](const CovenantTestResult& test) {
                                return test.observations[on_date].breached;
                              });
        if (breached)
          govern(deal.covenants.on_breach == deal::BreachAction::trap ? locked_up : accelerated, test_dates, index);
      }
    }

    // The cash after debt service, before the reserve, the sweep and the lock-up.
    Num excess = at(cash_after_service, m);

    // The reserve: a rise of its requirement is deposited whole (the shareholders funding what the
    // cash cannot, as they fund every shortfall), a fall released. A month whose cash falls short
    // of the senior debt service draws on it (after any trapped cash, and leaving the junior's
    // service to its deferral); what a draw took is refilled from later months' cash only.
    const Num requirement = requirement_at(m);
    Num balance = std::min(reserve + std::max(requirement - previous_requirement, Num(0)), requirement);
    previous_requirement = requirement;
    if (balance > reserve)
      at(m == first_draw ? booked_lines.funded : booked_lines.topped_up, m) = reserve - balance;
    else if (balance < reserve)
      at(booked_lines.released, m) = reserve - balance;
    excess += reserve - balance;
    if (m > last_draw && m < last && balance > 0) {
      const Num junior_due = junior != deal.debt.end() ? -at(junior_service, m) : Num(0);
      const Num shortfall = -(excess + junior_due) - trapped - undistributed;
      const Num drawn = std::min({balance, shortfall, -at(senior_service, m)});
      if (drawn > 0) {
        at(booked_lines.drawn, m) = drawn;
        balance -= drawn;
        excess += drawn;
      } else if (excess > 0 && balance < requirement) {
        const Num refill = std::min(requirement - balance, excess);
        at(booked_lines.topped_up, m) -= refill;
        balance += refill;
        excess -= refill;
      }
    }
    reserve = balance;
    at(booked_lines.reserve, m) = reserve;

    // The junior's service from what is left: what the cash cannot pay is deferred, and deferred
    // service is paid before anything goes further down.
    if (junior != deal.debt.end() && m > last_draw && m < last) {
      const Num due = -at(junior_service, m), deferred = as_scheduled(Line::junior_deferred_balance, m);
      if (excess < 0 && due > 0) {
        at(deferral, m) = std::min(due, -excess);
        excess += at(deferral, m);
        stale = true;
      } else if (excess > 0 && deferred > 0) {
        at(deferral, m) = -std::min(excess, deferred);
        excess += at(deferral, m);
        stale = true;
      }
    }

    const bool held = locked_up[at_m] && m < last;
    const Num owed = as_scheduled(Line::debt_outstanding, m);
    if (m > last_draw && m < last && excess > 0 && owed > 0) {
      const bool whole = accelerated[at_m] || (held && terms.lock_up_cash == deal::LockUpCash::sweep);
      const Num swept = std::min(whole ? excess : booked(excess * share), owed);
      if (swept > 0) {
        at(sweep, m) = swept;
        excess -= swept;
        stale = true;
      }
    }

    if (held && excess > 0) {
      at(booked_lines.trapped_flow, m) = -excess;
      trapped += excess;
    } else if (held && excess < 0 && trapped > 0) {  // held cash covers a shortfall first
      const Num released = std::min(trapped, -excess);
      at(booked_lines.trapped_flow, m) = released;
      trapped -= released;
    } else if (!held && trapped > 0) {
      at(booked_lines.trapped_flow, m) = trapped;
      trapped = 0;
    }
    at(booked_lines.trapped, m) = trapped;
    // The free cash the deal holds until the next distribution date (engine/phases/equity.hpp):
    // the month's free cash flow to equity, as the equity phase will read it.
    undistributed =
        is_distribution_date(m) ? Num(0) : std::max(undistributed + excess + at(booked_lines.trapped_flow, m), Num(0));
  }

  // The schedule as it last stood is the final one unless the last month swept or deferred.
  const IncomeTaxAssessed tax = stale ? schedule(ledger) : IncomeTaxAssessed{};
  if (!stale) ledger = std::move(as_scheduled);
  for (int m = 0; m < horizon; ++m) {
    ledger(Line::reserve_funded, m) = at(booked_lines.funded, m);
    ledger(Line::reserve_topped_up, m) = at(booked_lines.topped_up, m);
    ledger(Line::reserve_released, m) = at(booked_lines.released, m);
    ledger(Line::reserve_drawn, m) = at(booked_lines.drawn, m);
    ledger(Line::debt_service_reserve, m) = at(booked_lines.reserve, m);
    ledger(Line::cash_trapped, m) = at(booked_lines.trapped_flow, m);
    ledger(Line::trapped_cash, m) = at(booked_lines.trapped, m);
  }
  return tax;
}

}  // namespace leasecalc::engine::phases
