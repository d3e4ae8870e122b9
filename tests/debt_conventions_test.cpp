// The debt conventions as a lender signs them, checked on many generated loans: drawn at a month
// end, paid from the next month end, the lender's own flows (drawings against debt service) earn
// exactly the quoted rate as the tranche's compounding and day count convert it; level payments
// are level under any day count. And the distributions: with monthly distributions an all-equity
// deal's equity IRR is its post-tax project IRR; gathering cash to quarter or year ends never
// raises it.
#include "support/deals.hpp"

#include <leasecalc/engine/metrics.hpp>
#include <leasecalc/engine/project.hpp>
#include <leasecalc/fin/irr.hpp>
#include <leasecalc/io/load_deal.hpp>
#include <leasecalc/solve/variants.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace {
using namespace leasecalc;
using engine::Line;
using num::Decimal;
using test::dec;

struct GeneratedLoan {
  deal::Deal deal;           // start and horizon; the tranche is deal.debt[0]
  std::vector<Decimal> capex;  // the capex paid each month: the drawings follow it pro rata
  std::string description;
};

// A loan of random size, rate (0-20%), term, grace, amortisation, compounding, day count and
// maturity rule, starting on a day drawn from the first, the middle and the end of months, drawn
// in one to four lots over its first year. The horizon leaves a month after the last payment, so
// nothing is prepaid from a sale.
// With `floating`, the rate is a floating one instead: a step curve of one to six points (0-10%)
// spread over the loan's life, a margin (0-15%), a floor (0-5%) and up to two margin steps.
GeneratedLoan generate_loan(std::mt19937_64& random, const std::string& amount_text, bool floating = false) {
  const auto pick = [&](int low, int high) { return std::uniform_int_distribution<int>(low, high)(random); };
  GeneratedLoan g;
  deal::DebtTranche& tranche = g.deal.debt.emplace_back();
  tranche.name = "loan";
  tranche.kind = pick(0, 1) == 0 ? deal::DebtTranche::Kind::term_loan : deal::DebtTranche::Kind::finance_lease;
  tranche.amount = dec(amount_text.c_str());
  tranche.annual_rate = Decimal(pick(0, 2000)) / Decimal(10000);  // to the basis point
  tranche.compounding = pick(0, 1) == 0 ? deal::Compounding::simple : deal::Compounding::annual;
  tranche.day_count = time::all_day_counts[static_cast<std::size_t>(pick(0, time::all_day_counts.size() - 1))];
  tranche.term_months = pick(1, 120);
  tranche.grace_months = pick(0, 1) == 0 ? 0 : pick(0, tranche.term_months - 1);
  tranche.amortisation = static_cast<deal::Amortisation>(pick(0, 3));
  if (tranche.amortisation == deal::Amortisation::balloon) tranche.balloon_share = Decimal(pick(0, 60)) / Decimal(100);
  tranche.maturity = pick(0, 1) == 0 ? deal::Maturity::common : deal::Maturity::per_draw;

  static constexpr int days[] = {1, 2, 15, 28, 29, 30, 31};
  const int year = pick(1995, 2060), month = pick(1, 12);
  const int day = std::min(days[pick(0, 6)], static_cast<int>(time::days_in_month(year, month)));
  g.deal.start = deal::Date(static_cast<unsigned short>(year), static_cast<unsigned short>(month),
                            static_cast<unsigned short>(day));
  const int lots = pick(1, 4);
  int last_draw = 0;
  g.capex.assign(12, Decimal(0));
  for (int lot = 0; lot < lots; ++lot) {
    const int m = lot == 0 ? pick(0, 3) : pick(0, 11);
    // Lots of 1 to 100 times the amount: the drawings follow their shares, and the capex covers the
    // commitment (the debt phase draws no more than the capex it funds).
    g.capex[static_cast<std::size_t>(m)] += Decimal(pick(1, 100)) * tranche.amount;
    last_draw = std::max(last_draw, m);
  }
  g.deal.horizon_months = last_draw + tranche.term_months + 2;
  g.capex.resize(static_cast<std::size_t>(g.deal.horizon_months), Decimal(0));

  std::ostringstream text;
  if (floating) {
    deal::FloatingRate rate;
    const auto month_date = [&](int m) { return engine::month_start(g.deal.start, m) + boost::gregorian::days(pick(0, 27)); };
    int m = pick(-3, 3);
    for (int points = pick(1, 6); points > 0; --points, m += pick(1, 24))
      rate.base.push_back({month_date(m), Decimal(pick(0, 1000)) / Decimal(10000)});
    rate.margin = Decimal(pick(0, 1500)) / Decimal(10000);
    rate.floor = Decimal(pick(0, 500)) / Decimal(10000);
    for (int steps = pick(0, 2), from = pick(1, 30); steps > 0; --steps, from += pick(1, 30))
      rate.margin_steps.push_back({month_date(from), Decimal(pick(0, 1500)) / Decimal(10000)});
    text << "floating: " << rate.base.size() << " base points from " << rate.base.front().rate << ", margin "
         << rate.margin << ", floor " << rate.floor << ", " << rate.margin_steps.size() << " margin steps; ";
    tranche.floating = std::move(rate);
  }
  text << "amount " << amount_text << ", rate " << tranche.annual_rate << ", "
       << (tranche.compounding == deal::Compounding::simple ? "simple" : "annual") << ", "
       << time::to_string(tranche.day_count) << ", term " << tranche.term_months << ", grace " << tranche.grace_months
       << ", amortisation " << static_cast<int>(tranche.amortisation) << " (balloon " << tranche.balloon_share << "), "
       << (tranche.maturity == deal::Maturity::common ? "common" : "per-draw") << " maturity, start "
       << time::format_date(g.deal.start) << ", " << lots << " lots";
  g.description = text.str();
  return g;
}

// The debt phase alone, on the generated capex.
engine::Ledger<Decimal> schedule(const GeneratedLoan& g) {
  engine::Ledger<Decimal> ledger(g.deal.start, g.deal.horizon_months, {});
  engine::phases::CapexPayments<Decimal> capex;
  capex.cash = g.capex;
  (void)engine::phases::schedule_debt(g.deal, capex, ledger);
  return ledger;
}

// What the lender receives at a month end (positive) or lends (negative).
Decimal lender_flow(const engine::Ledger<Decimal>& l, int m) {
  return -(l(Line::interest, m) + l(Line::principal_repaid, m) + l(Line::debt_prepaid, m) + l(Line::debt_drawn, m));
}

// The interest on one unit over deal month m, from the day count's year fraction and the
// compounding, as a loan agreement states them.
double period_factor(const deal::DebtTranche& tranche, deal::Date start, int m) {
  const double fraction = time::year_fraction(tranche.day_count, engine::month_start(start, m), engine::month_start(start, m + 1));
  const double rate = num::to_double(tranche.floating ? deal::all_in_rate(*tranche.floating, engine::month_start(start, m))
                                                     : tranche.annual_rate);
  return tranche.compounding == deal::Compounding::simple ? rate * fraction : std::pow(1 + rate, fraction) - 1;
}

int count_loans(const GeneratedLoan& g) {
  if (g.deal.debt[0].maturity == deal::Maturity::common) return 1;
  int lots = 0;
  for (const auto& cash : g.capex) lots += cash != 0 ? 1 : 0;
  return lots;
}

constexpr int generated_loans = 600;

// The lender's NPV at each month's own factor is zero: the balance grown by each month's factor,
// less what the lender receives, plus what it lends, ends at zero. Interest is booked to the cent
// each month on each loan (at most half a cent off), and each such error grows with the factors
// after it: that, and nothing else, is the tolerance.
void expect_balance_rolled_forward_ends_at_zero(const GeneratedLoan& g) {
  SCOPED_TRACE(g.description);
  const auto l = schedule(g);
  const deal::DebtTranche& tranche = g.deal.debt[0];
  const int loans = count_loans(g);
  double balance = 0, tolerance = 0;
  for (int m = 0; m < l.months(); ++m) {
    const double factor = period_factor(tranche, g.deal.start, m);
    if (balance != 0) tolerance = tolerance * (1 + factor) + 0.005 * loans;
    balance = balance * (1 + factor) - num::to_double(lender_flow(l, m));
  }
  EXPECT_NEAR(balance, 0.0, tolerance + 1e-6);
  // Every loan is repaid by its own last payment: nothing is left for a sale to settle.
  EXPECT_EQ(l.total(Line::debt_prepaid), Decimal(0));
  EXPECT_EQ(l.total(Line::debt_drawn) + l.total(Line::principal_repaid), Decimal(0));
  // No payment before the first drawing's next month end; the last one `term` months after the
  // last drawing at the latest.
  int first_draw = 0;
  while (l(Line::debt_drawn, first_draw) == 0) ++first_draw;
  EXPECT_EQ(l(Line::interest, first_draw) + l(Line::principal_repaid, first_draw), Decimal(0));
  EXPECT_EQ(l(Line::debt_outstanding, l.months() - 2), Decimal(0));
}

TEST(LenderReturn, RollingTheBalanceForwardAtEachPeriodsOwnFactorEndsAtZero) {
  std::mt19937_64 random(20251130);
  for (int i = 0; i < generated_loans; ++i)
    expect_balance_rolled_forward_ends_at_zero(
        generate_loan(random, std::to_string(100000 + i * 7919) + "." + std::to_string(i % 100)));
}

TEST(LenderReturn, FloatingRatesRollForwardAtEachMonthsAllInRateToZero) {
  // The same under generated floating rates: each month's factor from the all-in rate set at its
  // start (base curve, floor, margin steps), level payments re-fixed at each change.
  std::mt19937_64 random(20261130);
  for (int i = 0; i < generated_loans; ++i)
    expect_balance_rolled_forward_ends_at_zero(
        generate_loan(random, std::to_string(100000 + i * 7919) + "." + std::to_string(i % 100), true));
}

// ---- floating rates -------------------------------------------------------------------------

TEST(FloatingRate, AFlatBaseIsTheFixedLoanAtBasePlusMarginToTheCent) {
  std::mt19937_64 random(5);
  for (int i = 0; i < 300; ++i) {
    GeneratedLoan fixed = generate_loan(random, std::to_string(500000 + i * 104729) + ".11");
    SCOPED_TRACE(fixed.description);
    const Decimal base = Decimal(i % 700) / Decimal(10000);
    const Decimal margin = fixed.deal.debt[0].annual_rate;
    fixed.deal.debt[0].annual_rate = base + margin;
    GeneratedLoan floating = fixed;
    floating.deal.debt[0].floating = deal::FloatingRate{{{deal::Date(1990, 1, 1), base}}, margin, Decimal(0), {}, std::nullopt};
    const auto a = schedule(fixed), b = schedule(floating);
    for (Line line : {Line::interest, Line::principal_repaid, Line::debt_prepaid, Line::debt_outstanding})
      for (int m = 0; m < a.months(); ++m) ASSERT_EQ(a(line, m), b(line, m)) << "month " << m;
  }
}

// A 30/360 simple-interest bullet loan of 1.2M drawn at the end of month 0 of a deal starting
// 2025-01-01, so that month m's interest is 100,000 x the all-in rate of month m.
GeneratedLoan bullet_loan(deal::FloatingRate rate) {
  GeneratedLoan g;
  g.deal.start = deal::Date(2025, 1, 1);
  g.deal.horizon_months = 40;
  deal::DebtTranche& tranche = g.deal.debt.emplace_back();
  tranche.name = "bullet";
  tranche.amount = dec("1200000");
  tranche.amortisation = deal::Amortisation::bullet;
  tranche.term_months = 36;
  tranche.floating = std::move(rate);
  g.capex.assign(40, Decimal(0));
  g.capex[0] = dec("2000000");
  return g;
}

TEST(FloatingRate, TheFloorBindsWhereTheCurveDipsBelowIt) {
  // Base 4% to 2026-01-01, then 0.5% under a 2% floor, then 3% from 2027-01-01; margin 3%.
  const auto l = schedule(bullet_loan({{{deal::Date(2025, 1, 1), dec("0.04")}, {deal::Date(2026, 1, 1), dec("0.005")},
                                        {deal::Date(2027, 1, 1), dec("0.03")}},
                                       dec("0.03"), dec("0.02"), {}, std::nullopt}));
  EXPECT_EQ(l(Line::interest, 11), dec("-7000"));   // December 2025: 4% + 3%
  EXPECT_EQ(l(Line::interest, 12), dec("-5000"));   // January 2026: the 2% floor + 3%, not 3.5%
  EXPECT_EQ(l(Line::interest, 23), dec("-5000"));
  EXPECT_EQ(l(Line::interest, 24), dec("-6000"));   // January 2027: 3% + 3%
  EXPECT_EQ(l(Line::principal_repaid, 36), dec("-1200000"));
}

TEST(FloatingRate, MarginStepsApplyFromTheirDates) {
  // Base 4% flat; margin 6% stepping to 5% for months from 2026-07-01 and 4% from 2027-03-15
  // (the month starting 2027-04-01 is the first after it).
  const auto l = schedule(bullet_loan({{{deal::Date(2025, 1, 1), dec("0.04")}},
                                       dec("0.06"),
                                       Decimal(0),
                                       {{deal::Date(2026, 7, 1), dec("0.05")}, {deal::Date(2027, 3, 15), dec("0.04")}},
                                       std::nullopt}));
  EXPECT_EQ(l(Line::interest, 17), dec("-10000"));  // June 2026
  EXPECT_EQ(l(Line::interest, 18), dec("-9000"));   // July 2026
  EXPECT_EQ(l(Line::interest, 26), dec("-9000"));   // March 2027: the step is mid-month
  EXPECT_EQ(l(Line::interest, 27), dec("-8000"));   // April 2027
}

TEST(FloatingRate, AnAnnuityIsLevelBetweenResetsAndRefixedAtEachChange) {
  // Annuity, 30/360 simple, base 5% then 3% from 2026-01-01, margin 2%: the payment is the
  // 7% annuity up to December 2025, then the 5% annuity on the balance left over the payments left.
  GeneratedLoan g = bullet_loan({{{deal::Date(2025, 1, 1), dec("0.05")}, {deal::Date(2026, 1, 1), dec("0.03")}},
                                 dec("0.02"), Decimal(0), {}, std::nullopt});
  g.deal.debt[0].amortisation = deal::Amortisation::annuity;
  const auto l = schedule(g);
  const auto pmt = [](double balance, double monthly, int n) { return balance * monthly / (1 - std::pow(1 + monthly, -n)); };
  EXPECT_NEAR(num::to_double(-engine::debt_service(l, 1)), pmt(1200000, 0.07 / 12, 36), 0.01);
  for (int m = 2; m <= 11; ++m) EXPECT_EQ(engine::debt_service(l, m), engine::debt_service(l, 1)) << "month " << m;
  const double balance = num::to_double(l(Line::debt_outstanding, 11));
  EXPECT_NEAR(num::to_double(-engine::debt_service(l, 12)), pmt(balance, 0.05 / 12, 25), 0.01);
  for (int m = 13; m < 36; ++m) EXPECT_EQ(engine::debt_service(l, m), engine::debt_service(l, 12)) << "month " << m;
  EXPECT_EQ(l(Line::debt_outstanding, 36), Decimal(0));
}

TEST(LenderReturn, UnderThirtyThreeSixtyTheMonthlyIrrIsTheQuotedRate) {
  // Under 30/360 every month from a day that no end-of-month rule moves is 30/360 of a year, so
  // the lender's monthly IRR on its flows is rate / 12 (simple) or (1 + rate)^(1/12) - 1
  // (annual). A 10^13 loan makes the cent rounding of interest (at most half a cent a month) move
  // the IRR by under 10^-15 a month.
  std::mt19937_64 random(7);
  int checked = 0;
  for (int i = 0; checked < 300; ++i) {
    GeneratedLoan g = generate_loan(random, "10000000000000.00");
    deal::DebtTranche& tranche = g.deal.debt[0];
    tranche.day_count = i % 2 == 0 ? time::DayCount::thirty_360_us : time::DayCount::thirty_e_360;
    if (tranche.annual_rate == 0) tranche.annual_rate = dec("0.0001");
    bool whole_months = true;
    for (int m = 0; m < g.deal.horizon_months; ++m)
      whole_months = whole_months && time::year_fraction(tranche.day_count, engine::month_start(g.deal.start, m),
                                                         engine::month_start(g.deal.start, m + 1)) == 30.0 / 360;
    if (!whole_months) continue;
    SCOPED_TRACE(g.description + ", as " + std::string(time::to_string(tranche.day_count)));
    const auto l = schedule(g);
    std::vector<double> flows;
    for (int m = 0; m < l.months(); ++m) flows.push_back(num::to_double(lender_flow(l, m)));
    const fin::IrrResult irr = fin::irr(flows, 0.01);
    ASSERT_TRUE(irr.has_rate()) << irr.message;
    const double rate = num::to_double(tranche.annual_rate);
    const double quoted =
        tranche.compounding == deal::Compounding::simple ? rate / 12 : std::pow(1 + rate, 1.0 / 12) - 1;
    EXPECT_NEAR(irr.rate / quoted, 1.0, 1e-9);
    ++checked;
  }
}

TEST(LevelPayments, AnnuityAndBalloonDebtServiceIsLevelUnderAnyDayCount) {
  // Once the last drawing is in and the grace is over, every payment but the last is the same
  // to the cent, whatever the day count: the interest follows the days, the principal the rest.
  std::mt19937_64 random(42);
  int checked = 0;
  for (int i = 0; checked < 300; ++i) {
    GeneratedLoan g = generate_loan(random, std::to_string(1000000 + i * 104729) + ".37");
    deal::DebtTranche& tranche = g.deal.debt[0];
    if (tranche.amortisation != deal::Amortisation::annuity && tranche.amortisation != deal::Amortisation::balloon)
      continue;
    tranche.maturity = deal::Maturity::common;
    SCOPED_TRACE(g.description);
    const auto l = schedule(g);
    int first_draw = 0, last_draw = 0;
    while (l(Line::debt_drawn, first_draw) == 0) ++first_draw;
    for (int m = 0; m < l.months(); ++m)
      if (l(Line::debt_drawn, m) != 0) last_draw = m;
    const int maturity = first_draw + tranche.term_months;
    const int first_level = std::max(last_draw, first_draw + tranche.grace_months) + 1;
    const Decimal level = engine::debt_service(l, first_level);
    for (int m = first_level + 1; m < maturity; ++m)
      ASSERT_EQ(engine::debt_service(l, m), level) << "month " << m;
    // The last payment differs only by the rounding: the payment rounded to the cent and each
    // month's interest booked to the cent, at most a cent a month, grown at the rate since.
    if (tranche.amortisation == deal::Amortisation::annuity && maturity > first_level) {
      const int payments = maturity - first_level + 1;
      const double bound = 0.01 * payments * std::pow(1 + num::to_double(tranche.annual_rate), payments / 12.0 + 1);
      EXPECT_NEAR(num::to_double(engine::debt_service(l, maturity) - level), 0.0, bound);
    }
    ++checked;
  }
}

TEST(LevelPayments, UsModelDebtServiceIsLevel) {
  // The US model's delayed-draw loan accrues on ACT/360, drawn with two lots and repaid by a common
  // maturity: once the last drawing has re-fixed the payment, the debt service is level to the cent
  // up to the last payment (which absorbs the rounding).
  const auto deal = io::load_deal(std::string(LEASECALC_SOURCE_DIR) + "/models/us-h100-take-or-pay.yaml");
  ASSERT_EQ(deal.debt.size(), 1u);
  EXPECT_EQ(deal.debt[0].maturity, deal::Maturity::common);
  EXPECT_EQ(deal.debt[0].day_count, time::DayCount::act_360);
  const auto l = engine::project<Decimal>(deal);
  std::vector<int> draws;
  for (int m = 0; m < l.months(); ++m)
    if (l(Line::debt_drawn, m) != 0) draws.push_back(m);
  ASSERT_GE(draws.size(), 2u);
  // From the payment after the last drawing and the last change of its floating rate to the last
  // payment, one level payment (a floating-rate annuity is re-fixed at each change).
  ASSERT_TRUE(deal.debt[0].floating);
  int last_reset = 0;
  for (int m = 1; m < l.months(); ++m)
    if (deal::all_in_rate(*deal.debt[0].floating, engine::month_start(deal.start, m)) !=
        deal::all_in_rate(*deal.debt[0].floating, engine::month_start(deal.start, m - 1)))
      last_reset = m;
  const int from = std::max(draws.back() + 1, last_reset), to = draws.front() + deal.debt[0].term_months;
  ASSERT_LT(from + 2, to);
  for (int m = from + 1; m < std::min(to, l.months() - 1); ++m)
    EXPECT_EQ(engine::debt_service(l, m), engine::debt_service(l, from)) << "month " << m;
}

TEST(FloatingRate, RateShocksMoveEachMonthsAllInRate) {
  // The sensitivity's factor multiplies each month's all-in rate, its points move it (through the
  // margin), and a study's fixed rate replaces the floating one.
  const auto deal = io::load_deal(std::string(LEASECALC_SOURCE_DIR) + "/models/us-h100-take-or-pay.yaml");
  const auto doubled = solve::with_debt_rate_factor(deal, Decimal(2));
  const auto raised = solve::with_debt_rate_change(deal, dec("0.01"));
  for (int m = 0; m < 60; m += 7) {
    const deal::Date reset = engine::month_start(deal.start, m);
    const Decimal rate = deal::all_in_rate(*deal.debt[0].floating, reset);
    EXPECT_EQ(deal::all_in_rate(*doubled.debt[0].floating, reset), rate * 2) << "month " << m;
    EXPECT_EQ(deal::all_in_rate(*raised.debt[0].floating, reset), rate + dec("0.01")) << "month " << m;
  }
  EXPECT_FALSE(solve::with_debt_rate(deal, dec("0.05")).debt[0].floating);
}

// ---- distributions --------------------------------------------------------------------------

double effective(const engine::AnnualIrr& irr) { return irr.rate.value(); }

void expect_monthly_equity_irr_is_the_project_irr(deal::Deal deal) {
  deal.debt.clear();
  deal.distributions = time::Frequency::monthly;
  const auto ledger = engine::project<Decimal>(deal);
  const auto monthly = engine::metrics(deal, ledger);
  ASSERT_TRUE(monthly.equity_irr.rate && monthly.project_irr_post_tax.rate);
  // The shareholders' flow each month is the post-tax free cash flow to the firm, to the cent.
  for (int m = 0; m < ledger.months(); ++m)
    ASSERT_EQ(engine::equity_cash_flow(ledger, m), engine::free_cash_flow_to_firm(ledger, m)) << "month " << m;
  EXPECT_NEAR(effective(monthly.equity_irr), effective(monthly.project_irr_post_tax), 1e-12);
  ASSERT_GT(effective(monthly.equity_irr), 0);  // holding cash back lowers a positive IRR
  EXPECT_EQ(monthly.equity_npv, monthly.project_npv);
  for (time::Frequency less_often : {time::Frequency::quarterly, time::Frequency::annual}) {
    deal.distributions = less_often;
    const auto gathered = engine::metrics(deal, engine::project<Decimal>(deal));
    ASSERT_TRUE(gathered.equity_irr.rate);
    EXPECT_LE(effective(gathered.equity_irr), effective(monthly.equity_irr) + 1e-12);
  }
}

TEST(Distributions, AllEquityGuosenStandardEquityIrrIsItsPostTaxProjectIrr) {
  expect_monthly_equity_irr_is_the_project_irr(
      io::load_deal(std::string(LEASECALC_SOURCE_DIR) + "/models/guosen-2025-standard-10k.yaml"));
}

TEST(Distributions, AllEquityGeneratedDealsEquityIrrIsTheirPostTaxProjectIrr) {
  // The rich deal (every feature on) under generated prices, tax rates and horizons.
  std::mt19937_64 random(99);
  for (int i = 0; i < 6; ++i) {
    deal::Deal deal = test::rich_deal();
    const auto pick = [&](int low, int high) { return std::uniform_int_distribution<int>(low, high)(random); };
    deal.horizon_months = pick(48, 84);
    deal.tax.income.rate = Decimal(pick(0, 30)) / Decimal(100);
    deal.cluster.price_per_server = Decimal(pick(600000, 1200000));
    // A profitable deal (a positive IRR): 8 to 12 CNY a GPU-hour on the anchor lease.
    std::get<deal::TakeOrPay>(deal.contracts[0]).price.amount = Decimal(pick(800, 1200)) / Decimal(100);
    SCOPED_TRACE("deal " + std::to_string(i) + ": horizon " + std::to_string(deal.horizon_months) + ", tax " +
                 deal.tax.income.rate.str() + ", price " + deal.cluster.price_per_server.str());
    expect_monthly_equity_irr_is_the_project_irr(deal);
  }
}

TEST(Distributions, NoDistributionIsCalledBackBeforeTheNextDistributionDate) {
  // Levered, quarterly and yearly: between two distribution dates the shareholders are never
  // asked for money they were paid at the first.
  for (time::Frequency distributions : {time::Frequency::quarterly, time::Frequency::annual}) {
    deal::Deal deal = test::rich_deal();
    deal.cluster.price_per_server = dec("900000");  // profitable enough to distribute every year
    std::get<deal::TakeOrPay>(deal.contracts[0]).price.amount = dec("10");
    deal.distributions = distributions;
    const auto l = engine::project<Decimal>(deal);
    const int period = time::months_per_period(distributions);
    const auto is_date = [&](int m) { return m % period == period - 1 || m == l.months() - 1; };
    int distributions_made = 0, next_date = 0;  // the date after the last distribution
    for (int m = 0; m < l.months(); ++m) {
      if (l(Line::equity_distributed, m) != 0) {
        EXPECT_TRUE(is_date(m)) << "month " << m;
        ++distributions_made;
        next_date = m + 1;
        while (!is_date(next_date)) ++next_date;
      }
      if (l(Line::equity_contributed, m) != 0) {
        EXPECT_GE(m, next_date) << "a call in month " << m << " before the date after a distribution";
      }
      EXPECT_GE(l(Line::cash_balance, m), Decimal(0));
    }
    EXPECT_GT(distributions_made, 2);
  }
}

}  // namespace
