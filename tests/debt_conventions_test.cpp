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
GeneratedLoan generate_loan(std::mt19937_64& random, const std::string& amount_text) {
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
    g.capex[static_cast<std::size_t>(m)] += Decimal(pick(1, 100));
    last_draw = std::max(last_draw, m);
  }
  g.deal.horizon_months = last_draw + tranche.term_months + 2;
  g.capex.resize(static_cast<std::size_t>(g.deal.horizon_months), Decimal(0));

  std::ostringstream text;
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
  const double rate = num::to_double(tranche.annual_rate);
  return tranche.compounding == deal::Compounding::simple ? rate * fraction : std::pow(1 + rate, fraction) - 1;
}

int count_loans(const GeneratedLoan& g) {
  if (g.deal.debt[0].maturity == deal::Maturity::common) return 1;
  int lots = 0;
  for (const auto& cash : g.capex) lots += cash != 0 ? 1 : 0;
  return lots;
}

constexpr int generated_loans = 600;

TEST(LenderReturn, RollingTheBalanceForwardAtEachPeriodsOwnFactorEndsAtZero) {
  // The lender's NPV at the quoted rate under the tranche's own period factors is zero: the
  // balance grown by each month's factor, less what the lender receives, plus what it lends, ends
  // at zero. Interest is booked to the cent each month on each loan (at most half a cent off),
  // and each such error grows with the factors after it: that, and nothing else, is the tolerance.
  std::mt19937_64 random(20251130);
  for (int i = 0; i < generated_loans; ++i) {
    const GeneratedLoan g = generate_loan(random, std::to_string(100000 + i * 7919) + "." + std::to_string(i % 100));
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
  // From the payment after the last drawing's first to the last payment, one level payment.
  const int from = draws.back() + 1, to = draws.front() + deal.debt[0].term_months;
  ASSERT_LT(from + 2, to);
  for (int m = from + 1; m < std::min(to, l.months() - 1); ++m)
    EXPECT_EQ(engine::debt_service(l, m), engine::debt_service(l, from)) << "month " << m;
}

// ---- distributions --------------------------------------------------------------------------

double effective(const engine::AnnualIrr& irr) { return irr.rate.value(); }

void expect_monthly_equity_irr_is_the_project_irr(deal::Deal deal) {
  deal.debt.clear();
  deal.distributions = deal::Distributions::monthly;
  const auto ledger = engine::project<Decimal>(deal);
  const auto monthly = engine::metrics(deal, ledger);
  ASSERT_TRUE(monthly.equity_irr.rate && monthly.project_irr_post_tax.rate);
  // The shareholders' flow each month is the post-tax free cash flow to the firm, to the cent.
  for (int m = 0; m < ledger.months(); ++m)
    ASSERT_EQ(engine::equity_cash_flow(ledger, m), engine::free_cash_flow_to_firm(ledger, m)) << "month " << m;
  EXPECT_NEAR(effective(monthly.equity_irr), effective(monthly.project_irr_post_tax), 1e-12);
  ASSERT_GT(effective(monthly.equity_irr), 0);  // holding cash back lowers a positive IRR
  EXPECT_EQ(monthly.equity_npv, monthly.project_npv);
  for (deal::Distributions less_often : {deal::Distributions::quarterly, deal::Distributions::yearly}) {
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
  for (deal::Distributions distributions : {deal::Distributions::quarterly, deal::Distributions::yearly}) {
    deal::Deal deal = test::rich_deal();
    deal.cluster.price_per_server = dec("900000");  // profitable enough to distribute every year
    std::get<deal::TakeOrPay>(deal.contracts[0]).price.amount = dec("10");
    deal.distributions = distributions;
    const auto l = engine::project<Decimal>(deal);
    const int period = engine::phases::distribution_period_months(distributions);
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
