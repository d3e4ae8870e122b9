// The cash waterfall below the debt service (engine/phases/waterfall.hpp): the debt-service
// reserve, the cash sweep, the lock-up and what a covenant breach does. Invariants on exact
// ledgers (sources = uses every month, the reserve at its requirement, swept + scheduled + repaid
// = drawn, trapped cash held then released, the month's sweep from the month's own figures), the
// writers, and the loader's fields with their located errors.

#include "leasecalc/engine/covenants.hpp"
#include "leasecalc/engine/metrics.hpp"
#include "leasecalc/engine/project.hpp"
#include "leasecalc/io/input_error.hpp"
#include "leasecalc/io/load_deal.hpp"
#include "leasecalc/report/run_report.hpp"
#include "support/deals.hpp"
#include "support/model_text.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <optional>
#include <sstream>
#include <string>

namespace {

using namespace leasecalc;
using engine::Line;
using num::Decimal;
using test::dec;

// 10 servers for 1M each at the start, leased at 25,000 a server-month in year 1 and 35,000 in
// years 2-3 (billed monthly in advance); a 6M loan at 8% over 30 months in level payments (about
// 221,000 a month); 25% income tax. Year 1's DSCR is about 1.1x, later years' about 1.6x: a lock-up
// at 1.30x tested each quarter on the quarter alone fails through year 1 and passes after.
deal::Deal waterfall_deal() {
  deal::Deal d = test::minimal_deal();
  auto& first_year = std::get<deal::TakeOrPay>(d.contracts[0]);
  first_year.price.amount = dec("25000");
  first_year.term_months = 12;
  deal::TakeOrPay later = first_year;
  later.name = "later";
  later.price.amount = dec("35000");
  later.start = deal::Date(2026, 1, 1);
  later.term_months = 24;
  d.contracts.push_back(later);
  deal::DebtTranche loan;
  loan.name = "term loan";
  loan.amount = dec("6000000");
  loan.annual_rate = dec("0.08");
  loan.term_months = 30;
  d.debt = {loan};
  d.tax.income = {dec("0.25"), 5, dec("1"), 1, std::nullopt};
  d.covenants.look_back = deal::CovenantLookBack::test_period;
  return d;
}

Decimal debt_service_of_months(const engine::Ledger<Decimal>& l, int first, int last) {
  Decimal sum(0);
  for (int k = first; k <= last; ++k) sum -= engine::debt_service(l, k);
  return sum;
}

// Every month: the cash lines (the shareholders' included) move the deal's free cash, and the
// reserve and trapped-cash balances move by their own lines; over the life sources = uses.
void expect_sources_equal_uses_every_month(const deal::Deal& deal, const engine::Ledger<Decimal>& l) {
  Decimal cash(0), reserve(0), trapped(0);
  for (int m = 0; m < l.months(); ++m) {
    Decimal net(0);
    for (const Line line : engine::lines_where<engine::is_cash>()) net += l(line, m);
    cash += net;
    ASSERT_EQ(cash, l(Line::cash_balance, m)) << "month " << m;
    reserve -= l(Line::reserve_funded, m) + l(Line::reserve_topped_up, m) + l(Line::reserve_released, m) +
               l(Line::reserve_drawn, m);
    ASSERT_EQ(reserve, l(Line::debt_service_reserve, m)) << "month " << m;
    trapped -= l(Line::cash_trapped, m);
    ASSERT_EQ(trapped, l(Line::trapped_cash, m)) << "month " << m;
    ASSERT_GE(reserve, Decimal(0));
    ASSERT_GE(trapped, Decimal(0));
  }
  EXPECT_EQ(reserve, Decimal(0));  // released in full at the end
  EXPECT_EQ(trapped, Decimal(0));
  const auto metrics = engine::metrics(deal, l);
  EXPECT_EQ(metrics.sources, metrics.uses + metrics.cash_left);
}

TEST(DebtServiceReserve, HoldsTheNextSixMonthsOfDebtServiceAtEachMonthEnd) {
  deal::Deal deal = waterfall_deal();
  deal.waterfall.reserve_months = 6;
  const auto l = engine::project<Decimal>(deal);
  const int last = l.months() - 1;
  ASSERT_GT(l(Line::debt_service_reserve, 0), Decimal(0));
  EXPECT_EQ(-l(Line::reserve_funded, 0), l(Line::debt_service_reserve, 0));  // funded at the first drawing
  for (int m = 0; m <= last; ++m) {
    const Decimal expected = m < last ? debt_service_of_months(l, m + 1, std::min(m + 6, last)) : Decimal(0);
    ASSERT_EQ(l(Line::debt_service_reserve, m), expected) << "month " << m;
    if (m > 0) {
      ASSERT_EQ(l(Line::reserve_funded, m), Decimal(0)) << "month " << m;
    }
  }
  // Released as the loan runs off: nothing left once the 30th payment is made (month 30).
  EXPECT_EQ(l(Line::debt_service_reserve, 30), Decimal(0));
  EXPECT_GT(l(Line::debt_service_reserve, 24), Decimal(0));
  EXPECT_GT(l.total(Line::reserve_released), Decimal(0));
  expect_sources_equal_uses_every_month(deal, l);
}

TEST(DebtServiceReserve, MovesNeitherTheDebtNorTheTaxNorTheProjectFlows) {
  deal::Deal deal = waterfall_deal();
  const auto without = engine::project<Decimal>(deal);
  deal.waterfall.reserve_months = 6;
  const auto with = engine::project<Decimal>(deal);
  Decimal equity_without(0), equity_with(0);
  for (int m = 0; m < with.months(); ++m) {
    for (const Line line : {Line::interest, Line::principal_repaid, Line::debt_prepaid, Line::income_tax})
      ASSERT_EQ(with(line, m), without(line, m)) << engine::line_name(line) << " month " << m;
    ASSERT_EQ(engine::free_cash_flow_to_firm(with, m), engine::free_cash_flow_to_firm(without, m));
    equity_without += engine::equity_cash_flow(without, m);
    equity_with += engine::equity_cash_flow(with, m);
  }
  EXPECT_EQ(equity_with, equity_without);  // the reserve only holds cash back
  const auto m_without = engine::metrics(deal, without), m_with = engine::metrics(deal, with);
  EXPECT_LT(*m_with.equity_irr.rate, *m_without.equity_irr.rate);
  EXPECT_EQ(m_with.minimum_dscr, m_without.minimum_dscr);
}

// The waterfall deal with year 1 leased at 18,000 a server-month: 180,000 a month against about
// 221,000 of debt service, so each month of year 1 falls short of the senior debt service and
// year 2 (350,000 a month) has cash to spare.
deal::Deal dipping_deal() {
  deal::Deal d = waterfall_deal();
  std::get<deal::TakeOrPay>(d.contracts[0]).price.amount = dec("18000");
  d.waterfall.reserve_months = 6;
  return d;
}

TEST(DebtServiceReserve, IsDrawnForTheShortfallOfSeniorDebtServiceAndRefilledFromLaterCash) {
  const deal::Deal deal = dipping_deal();
  deal::Deal without_reserve = deal;
  without_reserve.waterfall.reserve_months = 0;
  const auto l = engine::project<Decimal>(deal), plain = engine::project<Decimal>(without_reserve);
  const int last = l.months() - 1;
  int drawn_months = 0, last_drawn = -1;
  for (int m = 1; m < last; ++m) {
    // The senior debt service is paid in full, as without a reserve.
    for (const Line line : {Line::interest, Line::principal_repaid, Line::debt_drawn, Line::income_tax})
      ASSERT_EQ(l(line, m), plain(line, m)) << engine::line_name(line) << " month " << m;
    // The month's cash short of the debt service, from the deal without a reserve.
    const Decimal shortfall = std::max(-engine::free_cash_flow_to_equity(plain, m), Decimal(0));
    const Decimal service = -engine::senior_debt_service(l, m);
    const Decimal held = l(Line::debt_service_reserve, m - 1);
    const Decimal requirement = debt_service_of_months(l, m + 1, std::min(m + 6, last));
    // Before the draw the reserve moves to its requirement (a fall released; no rise in year 1).
    const Decimal before_draw = std::min(held, requirement);
    const Decimal expected = std::min({before_draw, shortfall, service});
    ASSERT_EQ(l(Line::reserve_drawn, m), expected) << "month " << m;
    if (expected > 0) {
      ++drawn_months;
      last_drawn = m;
      // The reserve line falls by the draw, and the shareholders are called only for what it did not pay.
      ASSERT_EQ(l(Line::debt_service_reserve, m), before_draw - expected) << "month " << m;
      ASSERT_LT(l(Line::debt_service_reserve, m), requirement) << "month " << m;
    }
  }
  EXPECT_GE(drawn_months, 10);  // every month of year 1 after the first
  ASSERT_GT(last_drawn, 0);
  EXPECT_LT(last_drawn, 12);
  // Refilled from year 2's cash: the reserve is back at its requirement a few months on, and the
  // refills came out of cash, not from the shareholders.
  int refilled = -1;
  for (int m = last_drawn + 1; m < last && refilled < 0; ++m)
    if (l(Line::debt_service_reserve, m) == debt_service_of_months(l, m + 1, std::min(m + 6, last))) refilled = m;
  ASSERT_GT(refilled, last_drawn);
  EXPECT_LT(refilled, 24);
  for (int m = last_drawn + 1; m <= refilled; ++m) {
    ASSERT_LT(l(Line::reserve_topped_up, m), Decimal(0)) << "month " << m;
    ASSERT_EQ(l(Line::equity_contributed, m), Decimal(0)) << "month " << m;
  }
  // Less called from the shareholders than without a reserve: the reserve paid part of year 1.
  const auto with_metrics = engine::metrics(deal, l), plain_metrics = engine::metrics(without_reserve, plain);
  EXPECT_LT(with_metrics.funding_shortfalls.size(), plain_metrics.funding_shortfalls.size());
  expect_sources_equal_uses_every_month(deal, l);
  expect_sources_equal_uses_every_month(without_reserve, plain);
}

TEST(DebtServiceReserve, CashTheDealStillHoldsPaysBeforeTheReserveIsDrawn) {
  // The US model pays its year's tax in the deal year's last month, more than that month's cash
  // after debt service; distributing quarterly, it still holds the quarter's earlier cash, which
  // pays it. Distributing monthly, it holds nothing, and the reserve pays the debt service instead.
  deal::Deal quarterly = io::load_deal(LEASECALC_SOURCE_DIR "/models/us-h100-take-or-pay.yaml");
  ASSERT_EQ(quarterly.distributions, time::Frequency::quarterly);
  deal::Deal monthly = quarterly;
  monthly.distributions = time::Frequency::monthly;
  const auto held = engine::project<Decimal>(quarterly), paid_out = engine::project<Decimal>(monthly);
  EXPECT_EQ(held.total(Line::reserve_drawn), Decimal(0));
  int drawn_months = 0;
  for (int m = 0; m < paid_out.months(); ++m) {
    if (paid_out(Line::reserve_drawn, m) == 0) continue;
    ++drawn_months;
    EXPECT_LT(paid_out(Line::income_tax, m), Decimal(0)) << "month " << m;  // a tax month
    EXPECT_LT(engine::free_cash_flow_to_equity(paid_out, m) - paid_out(Line::reserve_drawn, m), Decimal(0)) << "month " << m;
  }
  EXPECT_GT(drawn_months, 0);
  expect_sources_equal_uses_every_month(monthly, paid_out);
}

TEST(DebtServiceReserve, DrawnUnderASweepKeepsSweptScheduledAndRepaidEqualToTheDrawing) {
  deal::Deal deal = dipping_deal();
  deal.waterfall.cash_sweep = dec("0.5");
  const auto l = engine::project<Decimal>(deal);
  EXPECT_GT(l.total(Line::reserve_drawn), Decimal(0));
  EXPECT_LT(l.total(Line::debt_swept), Decimal(0));
  EXPECT_EQ(l.total(Line::principal_repaid) + l.total(Line::debt_swept) + l.total(Line::debt_prepaid),
            -l.total(Line::debt_drawn));
  expect_sources_equal_uses_every_month(deal, l);
  // The fast ledger agrees with the exact one to the cent on every line.
  const auto fast = engine::project<double>(deal);
  for (const auto& info : engine::line_table)
    for (int m = 0; m < l.months(); ++m)
      ASSERT_NEAR(fast(info.line, m), num::to_double(l(info.line, m)), 0.011) << info.key << " month " << m;
}

TEST(DebtServiceReserve, FundedByTheLoanIsDrawnWithTheFirstDrawingAndTheShareholdersPayNoneOfIt) {
  deal::Deal deal = dipping_deal();
  deal.waterfall.reserve_funded_by = deal::ReserveFunding::debt;
  deal::Deal by_equity = dipping_deal(), no_reserve = dipping_deal();
  no_reserve.waterfall.reserve_months = 0;
  const auto l = engine::project<Decimal>(deal), equity_funded = engine::project<Decimal>(by_equity),
             unreserved = engine::project<Decimal>(no_reserve);
  const Decimal deposit = -l(Line::reserve_funded, 0);
  ASSERT_GT(deposit, Decimal(0));
  // The deposit is the loan's extra drawing, and it is the requirement of the schedule it is part of.
  EXPECT_EQ(l(Line::debt_drawn, 0), dec("6000000") + deposit);
  EXPECT_EQ(l(Line::debt_service_reserve, 0), debt_service_of_months(l, 1, 6));
  EXPECT_EQ(deposit, l(Line::debt_service_reserve, 0));
  // The larger loan costs more to serve than the equity-funded one.
  EXPECT_GT(deposit, -equity_funded(Line::reserve_funded, 0));
  EXPECT_LT(engine::debt_service(l, 1), engine::debt_service(equity_funded, 1));
  // The shareholders put in at the first drawing what they would with no reserve at all.
  EXPECT_EQ(l(Line::equity_contributed, 0), unreserved(Line::equity_contributed, 0));
  EXPECT_GT(equity_funded(Line::equity_contributed, 0), l(Line::equity_contributed, 0));
  EXPECT_EQ(l.total(Line::principal_repaid) + l.total(Line::debt_swept) + l.total(Line::debt_prepaid),
            -l.total(Line::debt_drawn));
  EXPECT_GT(l.total(Line::reserve_drawn), Decimal(0));
  expect_sources_equal_uses_every_month(deal, l);
}

TEST(CashSweep, SweptScheduledAndRepaidPrincipalAddUpToTheDrawingAndInterestFalls) {
  deal::Deal deal = waterfall_deal();
  const auto unswept = engine::project<Decimal>(deal);
  deal.waterfall.cash_sweep = dec("0.5");
  deal.waterfall.reserve_months = 6;
  const auto l = engine::project<Decimal>(deal);
  EXPECT_EQ(l.total(Line::debt_drawn), dec("6000000"));
  EXPECT_EQ(-(l.total(Line::principal_repaid) + l.total(Line::debt_swept) + l.total(Line::debt_prepaid)),
            l.total(Line::debt_drawn));
  EXPECT_LT(l.total(Line::debt_swept), Decimal(0));
  EXPECT_GT(l.total(Line::interest), unswept.total(Line::interest));  // less interest (negative amounts)
  // Each sweep re-fixes the level payment lower over the payments left: the debt service never
  // rises after a sweep, and falls below the unswept schedule's.
  for (int m = 2; m < 30; ++m)
    if (l(Line::debt_swept, m - 1) < 0 && l(Line::debt_outstanding, m) > 0) {
      ASSERT_LT(-engine::debt_service(l, m), -engine::debt_service(l, m - 1)) << "month " << m;
    }
  EXPECT_LT(-engine::debt_service(l, 20), -engine::debt_service(unswept, 20));
  // The reserve, sized before each month's sweep, holds at least the next six months' debt service
  // of the schedule as the later sweeps leave it.
  for (int m = 0; m < l.months() - 1; ++m)
    ASSERT_GE(l(Line::debt_service_reserve, m), debt_service_of_months(l, m + 1, std::min(m + 6, l.months() - 1)));
  expect_sources_equal_uses_every_month(deal, l);
}

TEST(CashSweep, EachMonthsSweepIsItsShareOfTheMonthsOwnExcessCashAfterTax) {
  // The order in time makes the circularity causal: on the final ledger (every sweep in, the tax
  // assessed on the interest they left), each month's sweep is half the month's cash after debt
  // service, tax and the reserve, to the cent.
  deal::Deal deal = waterfall_deal();
  deal.waterfall.cash_sweep = dec("0.5");
  deal.waterfall.reserve_months = 3;
  const auto l = engine::project<Decimal>(deal);
  int swept_months = 0;
  for (int m = 1; m < l.months() - 1; ++m) {
    const Decimal excess = engine::free_cash_flow_to_equity(l, m) - l(Line::debt_swept, m) - l(Line::cash_trapped, m);
    const Decimal owed = l(Line::debt_outstanding, m) - l(Line::debt_swept, m);
    const Decimal expected = excess > 0 ? std::min(num::round_cents(excess * dec("0.5")), owed) : Decimal(0);
    ASSERT_EQ(-l(Line::debt_swept, m), expected) << "month " << m;
    if (expected > 0) ++swept_months;
  }
  EXPECT_GT(swept_months, 5);
  EXPECT_LT(l.total(Line::income_tax), Decimal(0));  // the tax is in play
}

TEST(CashSweep, FastAndExactLedgersAgree) {
  deal::Deal deal = waterfall_deal();
  deal.waterfall.cash_sweep = dec("0.5");
  deal.waterfall.reserve_months = 6;
  deal.waterfall.lock_up_dscr = dec("1.3");
  const auto exact = engine::project<Decimal>(deal);
  const auto fast = engine::project<double>(deal);
  // Each sweep is rounded to the cent on a sum the two modes add differently, so a cent can fall
  // the other way and carry into the later payments: they agree to well within a currency unit.
  for (const auto& info : engine::line_table)
    for (int m = 0; m < exact.months(); ++m)
      ASSERT_NEAR(fast(info.line, m), num::to_double(exact(info.line, m)), 0.5) << info.key << " month " << m;
  EXPECT_EQ(fast.total(Line::debt_swept) < 0, exact.total(Line::debt_swept) < 0);
}

// The months a failed test governs, worked out from the ledger's own DSCR on each test date.
std::vector<bool> months_governed_by_a_failed_dscr(const deal::Deal& deal, const engine::Ledger<Decimal>& l,
                                                    double threshold) {
  std::vector<bool> governed(static_cast<std::size_t>(l.months()), false);
  const std::vector<int> dates = engine::covenant_detail::test_months(deal.covenants, deal.start, l.months(), 0);
  for (std::size_t i = 0; i < dates.size(); ++i) {
    const int t = dates[i];
    if (!(t == 0 || l(Line::debt_outstanding, t - 1) > 0)) continue;
    const auto dscr = engine::debt_service_coverage(l, std::max(0, t - 2), t + 1);  // the quarter alone
    if (!dscr || *dscr >= threshold) continue;
    const int until = i + 1 < dates.size() ? dates[i + 1] : l.months() - 1;
    for (int m = t + 1; m <= std::min(until, l.months() - 1); ++m) governed[static_cast<std::size_t>(m)] = true;
  }
  return governed;
}

TEST(LockUp, NothingIsDistributedWhileTheDscrIsUnderTheThresholdAndAllIsReleasedAfter) {
  deal::Deal deal = waterfall_deal();
  const auto free = engine::project<Decimal>(deal);
  deal.waterfall.lock_up_dscr = dec("1.30");
  const auto l = engine::project<Decimal>(deal);
  const auto governed = months_governed_by_a_failed_dscr(deal, l, 1.30);
  // Month 2's test passes (its quarter has two payments against three months of rent), those of
  // months 5, 8 and 11 fail, and month 14's, on year 2's first quarter, passes.
  ASSERT_FALSE(governed[5]);
  ASSERT_TRUE(governed[6] && governed[14]);
  ASSERT_FALSE(governed[15]);
  Decimal trapped_before_release(0);
  for (int m = 0; m < l.months(); ++m) {
    if (governed[static_cast<std::size_t>(m)]) {
      ASSERT_EQ(l(Line::equity_distributed, m), Decimal(0)) << "month " << m;
      trapped_before_release = l(Line::trapped_cash, m);
    } else {
      ASSERT_EQ(l(Line::trapped_cash, m), Decimal(0)) << "month " << m;
    }
  }
  ASSERT_GT(trapped_before_release, Decimal(0));
  EXPECT_EQ(l(Line::cash_trapped, 15), trapped_before_release);  // released whole when the test is met
  EXPECT_LE(l(Line::equity_distributed, 15), Decimal(0) - trapped_before_release);
  // Only the timing moves: the shareholders' flows add up to the same total.
  Decimal with(0), without(0);
  for (int m = 0; m < l.months(); ++m) {
    with += engine::equity_cash_flow(l, m);
    without += engine::equity_cash_flow(free, m);
  }
  EXPECT_EQ(with, without);
  EXPECT_EQ(engine::metrics(deal, l).months_cash_trapped, 9);
  expect_sources_equal_uses_every_month(deal, l);
}

TEST(LockUp, TrappedCashSweptToTheDebtUnderLockUpCashSweep) {
  deal::Deal deal = waterfall_deal();
  deal.waterfall.lock_up_dscr = dec("1.30");
  deal.waterfall.lock_up_cash = deal::LockUpCash::sweep;
  const auto l = engine::project<Decimal>(deal);
  const auto governed = months_governed_by_a_failed_dscr(deal, l, 1.30);
  for (int m = 0; m < l.months(); ++m) {
    ASSERT_EQ(l(Line::trapped_cash, m), Decimal(0));
    if (governed[static_cast<std::size_t>(m)] && l(Line::debt_outstanding, m) > 0) {
      ASSERT_EQ(l(Line::equity_distributed, m), Decimal(0)) << "month " << m;
    }
  }
  EXPECT_LT(l.total(Line::debt_swept), Decimal(0));
  expect_sources_equal_uses_every_month(deal, l);
}

TEST(CovenantBreach, TrapActsAsALockUpAtTheCovenantThresholdAndReportChangesNothing) {
  deal::Deal deal = waterfall_deal();
  const auto plain = engine::project<Decimal>(deal);
  deal.covenants.minimum_dscr = dec("1.30");
  const auto reported = engine::project<Decimal>(deal);
  for (const auto& info : engine::line_table)
    for (int m = 0; m < plain.months(); ++m) ASSERT_EQ(reported(info.line, m), plain(info.line, m)) << info.key;

  deal.covenants.on_breach = deal::BreachAction::trap;
  const auto trapped = engine::project<Decimal>(deal);
  deal::Deal lock_up = waterfall_deal();
  lock_up.waterfall.lock_up_dscr = dec("1.30");
  const auto locked = engine::project<Decimal>(lock_up);
  for (const auto& info : engine::line_table)
    for (int m = 0; m < plain.months(); ++m) ASSERT_EQ(trapped(info.line, m), locked(info.line, m)) << info.key;
  EXPECT_GT(trapped.total(Line::trapped_cash), Decimal(0));
}

TEST(CovenantBreach, AccelerateSweepsAllTheExcessCashUntilCured) {
  deal::Deal deal = waterfall_deal();
  deal.covenants.minimum_dscr = dec("1.30");
  deal.covenants.on_breach = deal::BreachAction::accelerate;
  const auto l = engine::project<Decimal>(deal);
  const auto governed = months_governed_by_a_failed_dscr(deal, l, 1.30);
  int accelerated = 0;
  for (int m = 1; m < l.months() - 1; ++m) {
    const Decimal excess = engine::free_cash_flow_to_equity(l, m) - l(Line::debt_swept, m);
    const Decimal owed = l(Line::debt_outstanding, m) - l(Line::debt_swept, m);
    if (governed[static_cast<std::size_t>(m)] && excess > 0) {
      ASSERT_EQ(-l(Line::debt_swept, m), std::min(excess, owed)) << "month " << m;
      ++accelerated;
    } else if (!governed[static_cast<std::size_t>(m)]) {
      ASSERT_EQ(l(Line::debt_swept, m), Decimal(0)) << "month " << m;  // no sweep once cured
    }
  }
  EXPECT_GT(accelerated, 3);
  EXPECT_EQ(-(l.total(Line::principal_repaid) + l.total(Line::debt_swept) + l.total(Line::debt_prepaid)),
            l.total(Line::debt_drawn));
  expect_sources_equal_uses_every_month(deal, l);
}

// The waterfall deal's 6M loan split into a 4.5M senior (about 166,000 a month) and a 2.5M junior
// at 14% over 24 months (about 120,000 a month): year 1's 250,000 of rent a month cannot pay both.
deal::Deal junior_deal() {
  deal::Deal d = waterfall_deal();
  d.debt[0].amount = dec("4500000");
  deal::DebtTranche junior = d.debt[0];
  junior.name = "junior";
  junior.amount = dec("2500000");
  junior.annual_rate = dec("0.14");
  junior.term_months = 24;
  junior.rank = deal::Rank::junior;
  d.debt.push_back(junior);
  return d;
}

TEST(JuniorTranche, DeferredWhenTheCashFallsShortNeverPaidAheadOfSeniorAndPaidWhenCashAllows) {
  const deal::Deal deal = junior_deal();
  const auto l = engine::project<Decimal>(deal);
  // The junior's own schedule, alone (as a plain loan).
  deal::Deal alone = deal;
  alone.debt = {deal.debt[1]};
  alone.debt[0].rank = deal::Rank::senior;
  const auto junior_alone = engine::project<Decimal>(alone);
  const int last = l.months() - 1;
  Decimal deferred(0);
  int months_deferred = 0, months_paid_back = 0;
  for (int m = 0; m < last; ++m) {
    const Decimal due = -engine::debt_service(junior_alone, m);
    const Decimal capitalised = num::round_cents(deferred * dec("0.14") / Decimal(12));  // 30/360, simple
    const Decimal deferral = l(Line::junior_deferred, m) - capitalised;
    ASSERT_EQ(l(Line::junior_debt_service, m), -due - capitalised) << "month " << m;
    // The cash before the junior: the free cash flow to equity with the junior's cash added back.
    const Decimal before_junior = engine::free_cash_flow_to_equity(l, m) + due - deferral;
    if (before_junior <= 0) {
      ASSERT_EQ(deferral, due) << "month " << m;  // nothing to the junior while senior is short
    } else if (before_junior < due + deferred + capitalised) {
      ASSERT_EQ(engine::free_cash_flow_to_equity(l, m), Decimal(0)) << "month " << m;  // all of it to the junior
    } else {
      ASSERT_EQ(deferral, -(deferred + capitalised)) << "month " << m;  // the deferred service paid in full
    }
    if (deferral > 0) ++months_deferred;
    if (deferral < 0) ++months_paid_back;
    deferred += capitalised + deferral;
    ASSERT_EQ(l(Line::junior_deferred_balance, m), deferred) << "month " << m;
    ASSERT_GE(deferred, Decimal(0));
  }
  EXPECT_GE(months_deferred, 10);
  EXPECT_GE(months_paid_back, 1);
  EXPECT_EQ(l(Line::junior_deferred_balance, last), Decimal(0));
  EXPECT_EQ(l.total(Line::junior_deferred), Decimal(0));  // every deferral paid, the last from the sale
  const auto metrics = engine::metrics(deal, l);
  ASSERT_TRUE(metrics.minimum_senior_dscr && metrics.minimum_dscr);
  EXPECT_GT(*metrics.minimum_senior_dscr, *metrics.minimum_dscr);
  EXPECT_GT(metrics.peak_junior_deferred, Decimal(0));
  expect_sources_equal_uses_every_month(deal, l);
  EXPECT_FALSE(engine::metrics(waterfall_deal(), engine::project<Decimal>(waterfall_deal())).minimum_senior_dscr);
}

TEST(JuniorTranche, TheReserveCoversTheSeniorDebtServiceAndTheSweepPrepaysOnlySenior) {
  deal::Deal deal = junior_deal();
  deal.waterfall.reserve_months = 6;
  deal.waterfall.cash_sweep = dec("0.5");
  const auto l = engine::project<Decimal>(deal);
  deal::Deal alone = deal;
  alone.debt = {deal.debt[1]};
  alone.debt[0].rank = deal::Rank::senior;
  alone.waterfall = {};
  const auto junior_alone = engine::project<Decimal>(alone);
  for (int m = 0; m < l.months() - 1; ++m) {
    Decimal senior(0);
    for (int k = m + 1; k <= std::min(m + 6, l.months() - 1); ++k) senior -= engine::senior_debt_service(l, k);
    ASSERT_GE(l(Line::debt_service_reserve, m), senior) << "month " << m;
    // The junior's scheduled principal is its own schedule's: the sweep never prepays it.
    ASSERT_EQ(l(Line::junior_debt_service, m) <= engine::debt_service(junior_alone, m), true) << "month " << m;
  }
  EXPECT_LT(l.total(Line::debt_swept), Decimal(0));
  EXPECT_EQ(-(l.total(Line::principal_repaid) + l.total(Line::debt_swept) + l.total(Line::debt_prepaid)),
            l.total(Line::debt_drawn));
  expect_sources_equal_uses_every_month(deal, l);
}

TEST(Waterfall, AnAllEquityDealsEquityIrrIsStillItsPostTaxProjectIrr) {
  deal::Deal deal = waterfall_deal();
  deal.debt.clear();
  deal.waterfall.reserve_months = 6;
  deal.waterfall.cash_sweep = dec("0.5");
  deal.waterfall.lock_up_dscr = dec("1.3");
  const auto l = engine::project<Decimal>(deal);
  for (int m = 0; m < l.months(); ++m)
    ASSERT_EQ(engine::equity_cash_flow(l, m), engine::free_cash_flow_to_firm(l, m)) << "month " << m;
  const auto metrics = engine::metrics(deal, l);
  EXPECT_NEAR(*metrics.equity_irr.rate, *metrics.project_irr_post_tax.rate, 1e-12);
}

TEST(Waterfall, RunWritersCarryTheReserveSweepAndTrapFigures) {
  deal::Deal deal = waterfall_deal();
  deal.waterfall.reserve_months = 6;
  deal.waterfall.cash_sweep = dec("0.5");
  deal.waterfall.lock_up_dscr = dec("1.3");
  const auto l = engine::project<Decimal>(deal);
  const report::RunReport r = report::make_run_report<Decimal>(deal, l, true);
  std::ostringstream json, csv, table;
  report::write_json(json, r);
  report::write_csv(csv, r);
  report::write_table(table, r, report::Scale{});
  const auto document = nlohmann::json::parse(json.str());
  const auto metrics = engine::metrics(deal, l);
  EXPECT_DOUBLE_EQ(document["summary"]["peak_reserve"].get<double>(), num::to_double(metrics.peak_reserve));
  EXPECT_DOUBLE_EQ(document["summary"]["total_swept"].get<double>(), num::to_double(metrics.total_swept));
  EXPECT_EQ(document["summary"]["months_cash_trapped"].get<double>(), metrics.months_cash_trapped);
  EXPECT_GT(metrics.peak_reserve, Decimal(0));
  EXPECT_GT(metrics.total_swept, Decimal(0));
  for (const char* key : {"debt_swept", "reserve_funded", "reserve_topped_up", "reserve_released", "cash_trapped",
                          "debt_service_reserve", "trapped_cash", "peak_reserve", "total_swept", "months_cash_trapped",
                          "junior_deferred", "junior_deferred_balance", "junior_debt_service", "peak_junior_deferred",
                          "minimum_senior_dscr"})
    EXPECT_NE(csv.str().find(key), std::string::npos) << key;
  for (const char* label : {"Debt swept", "Debt-service reserve funded", "Debt-service reserve, peak",
                            "Months ending with cash trapped", "Cash trapped (-) or released (+)"})
    EXPECT_NE(table.str().find(label), std::string::npos) << label;
}

// ---- the model file --------------------------------------------------------------------------

const char* const base_model = R"(deal:
  name: test deal
  currency: USD
  start: 2025-09-01
  horizon: 36 months
cluster:
  sku: H100
  servers: 10
contracts:
  - take_or_pay:
      name: anchor
      servers: 10
      price: 30000 USD/server-month
      start: 2025-09-01
      term: 36 months
financing:
  - name: loan
    share_of_capex: 50%
    rate: 8%
    term: 30 months
covenants:
  minimum_dscr: 1.2
waterfall:
  debt_service_reserve: 6 months
depreciation:
  book: {method: straight_line, life: 36 months}
tax:
  income_tax: 21%
)";

deal::Deal parse(const std::string& text) { return io::parse_deal(text, "test.yaml", test::test_catalogue()); }

// The error the edited model raises, as `file:line:column: path: detail`.
std::string error_of(std::string_view from, std::string_view to) {
  try {
    parse(test::edit(base_model, from, to));
  } catch (const io::InputError& error) {
    return error.what();
  }
  return "no error";
}

// "test.yaml:L:C" of `part` within the only `context` of the edited model.
std::string where(std::string_view from, std::string_view to, std::string_view context, std::string_view part) {
  const std::string text = test::edit(base_model, from, to);
  const std::size_t at = text.find(context) + std::string_view(context).find(part);
  const std::size_t line_start = text.rfind('\n', at - 1) + 1;
  const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<long>(at), '\n');
  return "test.yaml:" + std::to_string(line) + ":" + std::to_string(at - line_start + 1);
}

void expect_error(std::string_view from, std::string_view to, std::string_view part, const std::string& path_and_detail) {
  EXPECT_EQ(error_of(from, to), where(from, to, to, part) + ": " + path_and_detail);
}

TEST(WaterfallModel, ReadsEveryField) {
  const deal::Deal plain = parse(base_model);
  EXPECT_EQ(plain.waterfall.reserve_months, 6);
  EXPECT_EQ(plain.waterfall.cash_sweep, Decimal(0));
  EXPECT_FALSE(plain.waterfall.lock_up_dscr);
  EXPECT_EQ(plain.covenants.on_breach, deal::BreachAction::report);
  const deal::Deal full = parse(test::edit(
      test::edit(base_model, "  debt_service_reserve: 6 months\n",
                 "  debt_service_reserve: 12 months\n  cash_sweep: 75%\n  lock_up_dscr: 1.15\n  lock_up_cash: sweep\n"),
      "  minimum_dscr: 1.2\n", "  minimum_dscr: 1.2\n  on_breach: accelerate\n"));
  EXPECT_EQ(full.waterfall.reserve_months, 12);
  EXPECT_EQ(full.waterfall.cash_sweep, dec("0.75"));
  EXPECT_EQ(full.waterfall.lock_up_dscr, dec("1.15"));
  EXPECT_EQ(full.waterfall.lock_up_cash, deal::LockUpCash::sweep);
  EXPECT_EQ(full.covenants.on_breach, deal::BreachAction::accelerate);
  EXPECT_EQ(parse(test::edit(base_model, "  minimum_dscr: 1.2\n", "  minimum_dscr: 1.2\n  on_breach: trap\n"))
                .covenants.on_breach,
            deal::BreachAction::trap);
  // The model runs, and its sources equal its uses every month.
  expect_sources_equal_uses_every_month(full, engine::project<Decimal>(full));
}

TEST(WaterfallModel, TheReserveAsAMapSaysWhoFundsIt) {
  const std::string_view reserve = "  debt_service_reserve: 6 months\n";
  const deal::Deal by_debt =
      parse(test::edit(base_model, reserve, "  debt_service_reserve:\n    months: 9 months\n    funded_by: debt\n"));
  EXPECT_EQ(by_debt.waterfall.reserve_months, 9);
  EXPECT_EQ(by_debt.waterfall.reserve_funded_by, deal::ReserveFunding::debt);
  EXPECT_EQ(parse(base_model).waterfall.reserve_funded_by, deal::ReserveFunding::equity);
  EXPECT_EQ(parse(test::edit(base_model, reserve, "  debt_service_reserve: {months: 6 months}\n"))
                .waterfall.reserve_funded_by,
            deal::ReserveFunding::equity);
  expect_sources_equal_uses_every_month(by_debt, engine::project<Decimal>(by_debt));
  expect_error(reserve, "  debt_service_reserve:\n    months: 6 months\n    funded_by: bank\n", "bank",
               "waterfall.debt_service_reserve.funded_by: expected one of equity or debt, got \"bank\"");
  expect_error(reserve, "  debt_service_reserve:\n    months: 30 months\n", "30 months",
               "waterfall.debt_service_reserve.months: expected a reserve of 1 to 24 months of debt service, such as "
               "6 months, got \"30 months\"");
  EXPECT_NE(error_of(reserve, "  debt_service_reserve:\n    funded_by: debt\n").find("months"), std::string::npos);
  EXPECT_NE(error_of(reserve, "  debt_service_reserve:\n    month: 6 months\n")
                .find("waterfall.debt_service_reserve: missing required key \"months\""),
            std::string::npos);
  // A loan sized on the deal lends what the sizing allows, not the reserve on top.
  try {
    parse(test::edit(test::edit(base_model, reserve, "  debt_service_reserve: {months: 6 months, funded_by: debt}\n"),
                     "    share_of_capex: 50%\n", "    share_of_capex: 50%\n    sizing: {maximum_ltv: 65%}\n"));
    ADD_FAILURE() << "a reserve funded by a sized loan is accepted";
  } catch (const io::InputError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("waterfall.debt_service_reserve.funded_by: a reserve funded by debt is added to the senior "
                           "loan 'loan', which is sized on the deal"),
              std::string::npos)
        << message;
  }
}

TEST(WaterfallModel, RangesAndTypesAreLocatedErrors) {
  const std::string_view reserve = "  debt_service_reserve: 6 months\n";
  expect_error(reserve, "  debt_service_reserve: 25 months\n", "25 months",
               "waterfall.debt_service_reserve: expected a reserve of 1 to 24 months of debt service, such as 6 months, "
               "got \"25 months\"");
  EXPECT_NE(error_of(reserve, "  debt_service_reserve: 0 months\n").find("waterfall.debt_service_reserve"),
            std::string::npos);
  EXPECT_NE(error_of(reserve, "  debt_service_reserve: 6\n").find("write the unit"), std::string::npos);
  expect_error(reserve, "  cash_sweep: 0%\n", "0%",
               "waterfall.cash_sweep: expected a share above 0% and at most 100%, such as 50%, got \"0%\"");
  EXPECT_NE(error_of(reserve, "  cash_sweep: 120%\n").find("waterfall.cash_sweep"), std::string::npos);
  expect_error(reserve, "  lock_up_dscr: 0\n", "0",
               "waterfall.lock_up_dscr: expected a ratio above 0 and at most 10, such as 1.20, got \"0\"");
  expect_error(reserve, "  lock_up_dscr: 12\n", "12",
               "waterfall.lock_up_dscr: expected a ratio above 0 and at most 10, such as 1.20, got \"12\"");
  expect_error(reserve, "  lock_up_dscr: 1.2\n  lock_up_cash: keep\n", "keep",
               "waterfall.lock_up_cash: expected one of hold or sweep, got \"keep\" (did you mean \"sweep\"?)");
  expect_error(reserve, "  cash_sweep: 50%\n  lock_up_cash: sweep\n", "sweep\n",
               "waterfall.lock_up_cash: lock_up_cash applies under a lock-up: set lock_up_dscr here or "
               "covenants.on_breach: trap");
  EXPECT_NE(error_of(reserve, "  cash_swep: 50%\n").find("waterfall.cash_swep"), std::string::npos);
  EXPECT_NE(error_of(reserve, "  cash_swep: 50%\n").find("cash_sweep"), std::string::npos);  // did you mean
  expect_error("  minimum_dscr: 1.2\n", "  minimum_dscr: 1.2\n  on_breach: default\n", "default",
               "covenants.on_breach: expected one of report, trap or accelerate, got \"default\"");
}

TEST(WaterfallModel, RankSeniorOrJuniorAtMostOneJunior) {
  const std::string junior_loan = "  - name: loan\n    share_of_capex: 50%\n    rate: 8%\n    term: 30 months\n";
  const std::string two = test::edit(base_model, junior_loan,
                                     junior_loan + "  - name: mezzanine\n    share_of_capex: 20%\n    rate: 14%\n"
                                                   "    term: 24 months\n    rank: junior\n");
  const deal::Deal deal = parse(two);
  ASSERT_EQ(deal.debt.size(), 2u);
  EXPECT_EQ(deal.debt[0].rank, deal::Rank::senior);
  EXPECT_EQ(deal.debt[1].rank, deal::Rank::junior);
  expect_error(junior_loan, junior_loan.substr(0, junior_loan.size() - 1) + "\n    rank: mezzanine\n", "mezzanine",
               "financing[0].rank: expected one of senior or junior, got \"mezzanine\"");
  const std::string three = test::edit(two, "    rank: junior\n",
                                       "    rank: junior\n  - name: second\n    share_of_capex: 10%\n    rate: 15%\n"
                                       "    term: 24 months\n    rank: junior # again\n");
  try {
    parse(three);
    ADD_FAILURE() << "loaded";
  } catch (const io::InputError& error) {
    EXPECT_EQ(error.path(), "financing[2].rank");
    EXPECT_EQ(error.detail(), "a model has at most one junior tranche");
  }
}

TEST(WaterfallModel, NeedsAFieldAndDebt) {
  const auto error_in = [](const std::string& text) -> std::optional<io::InputError> {
    try {
      parse(text);
    } catch (const io::InputError& error) {
      return error;
    }
    ADD_FAILURE() << "loaded:\n" << text;
    return std::nullopt;
  };
  const auto empty = error_in(test::edit(base_model, "waterfall:\n  debt_service_reserve: 6 months\n", "waterfall: {}\n"));
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->path(), "waterfall");
  EXPECT_EQ(empty->detail(), "expected at least one of debt_service_reserve, cash_sweep or lock_up_dscr");
  const auto unlevered = error_in(test::edit(
      test::edit(base_model, "financing:\n  - name: loan\n    share_of_capex: 50%\n    rate: 8%\n    term: 30 months\n", ""),
      "covenants:\n  minimum_dscr: 1.2\n", ""));
  ASSERT_TRUE(unlevered);
  EXPECT_EQ(unlevered->path(), "waterfall");
  EXPECT_EQ(unlevered->detail(), "a waterfall needs debt to serve, but the model has no financing");
}

}  // namespace
