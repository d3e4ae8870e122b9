// The deal engine: closed forms on a minimal deal, and the ledger's invariants on a deal with every
// feature switched on, in both numeric types.
#include "support/deals.hpp"

#include <leasecalc/engine/metrics.hpp>
#include <leasecalc/engine/project.hpp>
#include <leasecalc/io/load_deal.hpp>

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <cstdio>
#include <thread>
#include <utility>
#include <vector>

namespace {
using namespace leasecalc;
using engine::Line;
using num::Decimal;
using test::dec;

double d(const Decimal& x) { return num::to_double(x); }

TEST(EngineMinimal, RevenueDepreciationAndCashMatchTheContract) {
  const auto deal = test::minimal_deal();
  const auto l = engine::project<Decimal>(deal);
  EXPECT_EQ(l.total(Line::committed_revenue), dec("10800000"));  // 10 x 30,000 x 36
  EXPECT_EQ(l.total(Line::customer_receipts), dec("10800000"));
  EXPECT_EQ(l.total(Line::book_depreciation), dec("-10000000"));
  EXPECT_EQ(l.total(Line::capex), dec("-10000000"));
  // 10M / 36 a month, rounded so that 35 months have taken round(35 x 10M / 36) = 9,722,222.22.
  EXPECT_EQ(l(Line::book_value, 34), dec("277777.78"));
  EXPECT_EQ(l(Line::book_value, 35), Decimal(0));
  EXPECT_EQ(l.total(Line::gain_on_sale), Decimal(0));
}

TEST(EngineMinimal, ProjectIrrIsTheAnnuityRateOfTheLease) {
  // Capex of 10M against 36 payments of 300,000 in advance: the monthly IRR r solves the annuity-due
  // equation 300,000 x (1 - (1+r)^-36) / r x (1+r) = 10,000,000.
  const auto deal = test::minimal_deal();
  const auto l = engine::project<double>(deal);
  const auto m = engine::metrics(deal, l);
  ASSERT_TRUE(m.project_irr_pre_tax.rate.has_value());
  const double r = std::pow(1.0 + *m.project_irr_pre_tax.rate, 1.0 / 12.0) - 1.0;
  const double annuity_due = 300000.0 * (1.0 - std::pow(1.0 + r, -36.0)) / r * (1.0 + r);
  EXPECT_NEAR(annuity_due / 10000000.0, 1.0, 1e-9);
  // No tax: the post-tax IRR is the pre-tax one.
  EXPECT_DOUBLE_EQ(*m.project_irr_post_tax.rate, *m.project_irr_pre_tax.rate);
  // All equity, distributed monthly: shareholders put in 10M less the first month's rent and
  // receive each month's rent, the project's own flows.
  ASSERT_TRUE(m.equity_irr.rate.has_value());
  EXPECT_NEAR(*m.equity_irr.rate, *m.project_irr_post_tax.rate, 1e-12);
  EXPECT_TRUE(m.project_irr_pre_tax.note.empty());
  // Distributed at each year's end instead: 11 months of rent, then 12, then 12.
  auto yearly = deal;
  yearly.distributions = time::Frequency::annual;
  const auto y = engine::metrics(yearly, engine::project<double>(yearly));
  ASSERT_TRUE(y.equity_irr.rate.has_value());
  const double e = std::pow(1.0 + *y.equity_irr.rate, 1.0 / 12.0);
  const double equity_npv = -9.7e6 / e + 3.3e6 / std::pow(e, 12) + 3.6e6 / std::pow(e, 24) + 3.6e6 / std::pow(e, 36);
  EXPECT_NEAR(equity_npv / 9.7e6, 0.0, 1e-9);
  EXPECT_LT(*y.equity_irr.rate, *m.equity_irr.rate);
}

// Monthly flows of -100, 230, -132 have two IRRs, 10% and 20% a month: the figure is the annual
// rate of the one nearest the guess, and the note lists both as annual rates, as the figure is.
TEST(EngineMinimal, SeveralIrrsAreNamedAsTheAnnualRatesTheFigureIs) {
  const engine::AnnualIrr irr = engine::detail::annual_irr({-100, 230, -132});
  ASSERT_TRUE(irr.rate);
  EXPECT_NEAR(*irr.rate, std::pow(1.1, 12) - 1, 1e-9);
  char ten[16], twenty[16];
  std::snprintf(ten, sizeof ten, "%.2f%%", (std::pow(1.1, 12) - 1) * 100);     // 213.84%
  std::snprintf(twenty, sizeof twenty, "%.2f%%", (std::pow(1.2, 12) - 1) * 100);  // 791.61%
  EXPECT_NE(irr.note.find(std::string("annual rates of ") + ten + " and " + twenty), std::string::npos) << irr.note;
  EXPECT_NE(irr.note.find(std::string("given: ") + ten), std::string::npos) << irr.note;
  EXPECT_NE(irr.note.find("change sign 2 times"), std::string::npos) << irr.note;
  EXPECT_EQ(engine::detail::annual_irr({-100, 10, 110}).note, "");  // one IRR: nothing to explain
}

TEST(EngineMinimal, NetMarginIsProfitOverRevenue) {
  const auto deal = test::minimal_deal();
  const auto m = engine::metrics(deal, engine::project<Decimal>(deal));
  EXPECT_NEAR(*m.net_margin.back(), 800000.0 / 10800000.0, 1e-12);
  EXPECT_NEAR(*m.ebitda_margin.back(), 1.0, 1e-12);
}

TEST(EngineMinimal, AnnuityLoanChargesTheClosedFormInterest) {
  auto deal = test::minimal_deal();
  deal.horizon_months = 36;
  deal::DebtTranche loan;
  loan.name = "loan";
  loan.amount = dec("6000000");
  loan.annual_rate = dec("0.06");
  loan.term_months = 24;
  deal.debt.push_back(loan);
  const auto l = engine::project<Decimal>(deal);
  // Level payment of 6M over 24 months at 0.5% a month.
  const double i = 0.005, payment = 6e6 * i / (1 - std::pow(1 + i, -24));
  EXPECT_NEAR(d(-l.total(Line::interest)), payment * 24 - 6e6, 24 * 0.01);
  EXPECT_EQ(-l.total(Line::principal_repaid), dec("6000000"));  // exactly, to the cent
  // Drawn at the end of month 0, repaid at the ends of months 1 to 24.
  EXPECT_EQ(l(Line::debt_outstanding, 0), dec("6000000"));
  EXPECT_EQ(l(Line::interest, 0) + l(Line::principal_repaid, 0), Decimal(0));
  EXPECT_EQ(l(Line::debt_outstanding, 24), Decimal(0));
  EXPECT_EQ(l(Line::debt_outstanding, 23), -l(Line::principal_repaid, 24));
  EXPECT_NEAR(d(-l(Line::interest, 1)), 6e6 * i, 0.005);
  EXPECT_NEAR(d(-(l(Line::interest, 1) + l(Line::principal_repaid, 1))), payment, 0.005);
}

TEST(EngineMinimal, LossesCarryForwardAndExpire) {
  auto deal = test::minimal_deal();
  deal.tax.income = {dec("0.25"), 1, dec("1"), 1, std::nullopt};
  deal.assets.tax = {deal::StraightLine{}, 1, 0};  // the whole cost deducted in month 0
  const auto l = engine::project<Decimal>(deal);
  // Year 1: 3.6M revenue - 10M deduction = -6.4M loss. Year 2: +3.6M, all absorbed (2.8M left).
  // Year 3: the year-1 loss is now two years old and has expired under a one-year carry-forward.
  EXPECT_EQ(l(Line::taxable_income, 11), dec("-6400000"));
  EXPECT_EQ(l(Line::income_tax, 23), Decimal(0));
  EXPECT_EQ(l(Line::income_tax, 35), dec("-900000"));
  EXPECT_EQ(l(Line::tax_losses, 23), dec("2800000"));
}

TEST(EngineInput, NonsensicalDealsAreRefusedNotProjectedIntoNaN) {
  auto no_life = test::minimal_deal();
  no_life.assets.book.life_months = 0;
  EXPECT_THROW(engine::project<double>(no_life), std::invalid_argument);
  auto no_horizon = test::minimal_deal();
  no_horizon.horizon_months = 0;
  EXPECT_THROW(engine::project<double>(no_horizon), std::invalid_argument);
  auto no_term = test::minimal_deal();
  std::get<deal::TakeOrPay>(no_term.contracts.front()).term_months = 0;
  EXPECT_THROW(engine::project<Decimal>(no_term), std::invalid_argument);
  auto deliveries_out_of_order = test::rich_deal();
  std::swap(deliveries_out_of_order.cluster.deliveries.front(), deliveries_out_of_order.cluster.deliveries.back());
  EXPECT_THROW(engine::project<Decimal>(deliveries_out_of_order), std::invalid_argument);
  auto no_rack = test::minimal_deal();
  no_rack.running_costs.data_centre = {deal::DataCentre::Basis::per_rack_month, dec("1000"), 0, {}};
  EXPECT_THROW(engine::project<double>(no_rack), std::invalid_argument);
}

// A deal built in code is held to the loader's domain bounds (deal::limits): month and count
// arithmetic on values near the int's end would wrap.
TEST(EngineInput, DealsPastTheDomainBoundsAreRefused) {
  ASSERT_NO_THROW(engine::require_projectable(test::minimal_deal()));
  auto endless_horizon = test::minimal_deal();
  endless_horizon.horizon_months = 2147483647;
  EXPECT_THROW(engine::require_projectable(endless_horizon), std::invalid_argument);
  auto endless_term = test::minimal_deal();
  std::get<deal::TakeOrPay>(endless_term.contracts.front()).term_months = 2147483647;
  EXPECT_THROW(engine::require_projectable(endless_term), std::invalid_argument);
  auto endless_life = test::minimal_deal();
  endless_life.assets.tax.life_months = 2147483647;
  EXPECT_THROW(engine::require_projectable(endless_life), std::invalid_argument);
  auto huge_fleet = test::minimal_deal();
  huge_fleet.cluster.servers = 2147483647;
  EXPECT_THROW(engine::require_projectable(huge_fleet), std::invalid_argument);
  auto last_day = test::minimal_deal();
  last_day.start = boost::gregorian::date(9999, 1, 1);
  EXPECT_THROW(engine::require_projectable(last_day), std::invalid_argument);
}

// Annual rates past the loader's 1000% would overflow (1 + rate)^years over a long horizon; at or
// below -100% they make 1 + rate non-positive.
TEST(EngineInput, RatesPastTheAnnualBoundAreRefused) {
  auto usurious_loan = test::rich_deal();
  ASSERT_FALSE(usurious_loan.debt.empty());
  ASSERT_NO_THROW(engine::require_projectable(usurious_loan));
  usurious_loan.debt.front().annual_rate = dec("10.01");
  EXPECT_THROW(engine::require_projectable(usurious_loan), std::invalid_argument);
  auto floating_margin = test::rich_deal();
  floating_margin.debt.front().floating = deal::FloatingRate{{{boost::gregorian::date(2025, 1, 1), dec("0.04")}}, dec("11"), 0, {}, std::nullopt};
  EXPECT_THROW(engine::require_projectable(floating_margin), std::invalid_argument);
  auto discount = test::minimal_deal();
  discount.discount_rate = dec("-1");
  EXPECT_THROW(engine::require_projectable(discount), std::invalid_argument);
  auto escalator = test::minimal_deal();
  std::get<deal::TakeOrPay>(escalator.contracts.front()).escalator.annual_rate = dec("1e6");
  EXPECT_THROW(engine::require_projectable(escalator), std::invalid_argument);
  auto shocked = test::rich_deal();  // a study's shock may take a rate under zero: still projectable
  shocked.debt.front().annual_rate = dec("-0.01");
  EXPECT_NO_THROW(engine::require_projectable(shocked));
}

// ---- invariants of the rich deal -------------------------------------------------------------

class EngineRich : public ::testing::Test {
 protected:
  deal::Deal deal = test::rich_deal();
  engine::Ledger<Decimal> exact = engine::project<Decimal>(deal);
  engine::Ledger<double> fast = engine::project<double>(deal);
  int last = deal.horizon_months - 1;
};

TEST_F(EngineRich, DepreciationPlusBookValueSoldEqualsCost) {
  const Decimal cost = -exact.total(Line::capex);  // capex paid includes input VAT
  const Decimal sold_book_value = exact(Line::sale_proceeds, last) - exact(Line::gain_on_sale, last);
  const Decimal depreciated = -exact.total(Line::book_depreciation);
  const Decimal vat_rate = dec("0.13");
  // Capex is VAT-inclusive: the capitalised cost is capex less the VAT in it, to the cent.
  EXPECT_NEAR(d(depreciated + sold_book_value), d(cost / (1 + vat_rate)), 0.02);
  EXPECT_EQ(exact(Line::book_value, last), Decimal(0));
}

TEST_F(EngineRich, PrincipalRepaidEqualsPrincipalDrawn) {
  EXPECT_EQ(-(exact.total(Line::principal_repaid) + exact.total(Line::debt_prepaid)),
            exact.total(Line::debt_drawn));
  EXPECT_EQ(exact(Line::debt_outstanding, last), Decimal(0));
  // The balloon tranche runs past the horizon, so something is repaid from the sale.
  EXPECT_LT(exact.total(Line::debt_prepaid), Decimal(0));
}

TEST_F(EngineRich, CashReconciles) {
  // Free cash flow to equity is exactly the sum of every cash line.
  Decimal equity(0), lines(0);
  for (int m = 0; m <= last; ++m) equity += engine::free_cash_flow_to_equity(exact, m);
  for (Line line : {Line::customer_receipts, Line::electricity, Line::data_centre_rent,
                    Line::other_running_costs, Line::hardware_replacements, Line::vat_paid,
                    Line::vat_refunded, Line::income_tax, Line::capex, Line::sale_proceeds, Line::vat_on_sale,
                    Line::debt_drawn, Line::interest, Line::financing_fees, Line::principal_repaid,
                    Line::debt_prepaid})
    lines += exact.total(line);
  EXPECT_EQ(equity, lines);
  // Customers pay what they were billed, less what is still receivable, plus prepayments unearned.
  EXPECT_EQ(exact(Line::receivables, last), Decimal(0));
}

TEST_F(EngineRich, SourcesEqualUses) {
  // Each month: the cash brought forward, plus every source (receipts, debt, equity, sale), less
  // every use, is the cash carried forward; the deal ends with none.
  Decimal cash(0);
  for (int m = 0; m <= last; ++m) {
    cash += engine::free_cash_flow_to_equity(exact, m) + exact(Line::equity_contributed, m) +
            exact(Line::equity_distributed, m);
    ASSERT_EQ(cash, exact(Line::cash_balance, m)) << "month " << m;
    ASSERT_GE(cash, Decimal(0)) << "month " << m;
  }
  EXPECT_EQ(cash, Decimal(0));
  const auto metrics = engine::metrics(deal, exact);
  EXPECT_EQ(metrics.sources, metrics.uses + metrics.cash_left);
  EXPECT_EQ(metrics.cash_left, Decimal(0));
  EXPECT_EQ(metrics.equity_returned - metrics.equity_invested, exact.total(Line::customer_receipts) +
            exact.total(Line::debt_drawn) + exact.total(Line::sale_proceeds) + exact.total(Line::vat_on_sale) +
            exact.total(Line::vat_refunded) +
            exact.total(Line::capex) + exact.total(Line::vat_paid) + exact.total(Line::income_tax) +
            exact.total(Line::electricity) + exact.total(Line::data_centre_rent) +
            exact.total(Line::other_running_costs) + exact.total(Line::hardware_replacements) +
            exact.total(Line::interest) + exact.total(Line::financing_fees) +
            exact.total(Line::principal_repaid) + exact.total(Line::debt_prepaid));
}

TEST_F(EngineRich, DecimalLedgerIsInWholeCents) {
  for (std::size_t line = 0; line < engine::line_count; ++line) {
    const auto which = static_cast<Line>(line);
    if (which == Line::units_in_service || which == Line::units_contracted) continue;
    for (int m = 0; m <= last; ++m) {
      const Decimal cents = exact(which, m) * 100;
      ASSERT_EQ(cents, num::floor(cents)) << engine::line_name(which) << " month " << m;
    }
  }
}

TEST_F(EngineRich, DecimalAndDoubleAgree) {
  for (std::size_t line = 0; line < engine::line_count; ++line) {
    const auto which = static_cast<Line>(line);
    const double scale = std::max(1.0, std::abs(d(exact.total(which))));
    for (int m = 0; m <= last; ++m)
      ASSERT_NEAR(d(exact(which, m)), fast(which, m), 1e-6 * scale + 0.011)
          << engine::line_name(which) << " month " << m;
  }
  const auto a = engine::metrics(deal, exact);
  const auto b = engine::metrics(deal, fast);
  ASSERT_TRUE(a.equity_irr.rate && b.equity_irr.rate);
  EXPECT_NEAR(*a.equity_irr.rate, *b.equity_irr.rate, 1e-6);
  EXPECT_NEAR(d(a.project_npv), b.project_npv, 1e-6 * std::abs(b.project_npv));
}

TEST_F(EngineRich, EveryFeatureLeavesATrace) {
  EXPECT_LT(exact.total(Line::sla_credits), Decimal(0));
  EXPECT_GT(exact.total(Line::termination_fees), Decimal(0));
  EXPECT_GT(exact.total(Line::on_demand_revenue), Decimal(0));
  EXPECT_GT(exact.total(Line::vat_refunded), Decimal(0));
  EXPECT_LT(exact.total(Line::electricity), Decimal(0));
  EXPECT_LT(exact.total(Line::hardware_replacements), Decimal(0));
  EXPECT_LT(exact.total(Line::financing_fees), Decimal(0));
  EXPECT_GT(exact(Line::deferred_revenue, 0), Decimal(0));  // the prepayment
  EXPECT_EQ(exact(Line::units_in_service, 3), Decimal(96));
  EXPECT_EQ(exact(Line::units_in_service, 4), Decimal(128));
}

TEST_F(EngineRich, SameDealSameLedgerOnEveryThread) {
  std::vector<engine::Ledger<double>> results(4, fast);
  std::vector<std::thread> threads;
  for (auto& result : results) threads.emplace_back([&] { result = engine::project<double>(deal); });
  for (auto& t : threads) t.join();
  for (const auto& result : results)
    for (std::size_t line = 0; line < engine::line_count; ++line)
      for (int m = 0; m <= last; ++m)
        ASSERT_EQ(result(static_cast<Line>(line), m), fast(static_cast<Line>(line), m));
}

}  // namespace

namespace {

std::vector<deal::Deal> deals_to_sum() {
  std::vector<deal::Deal> deals = {test::minimal_deal(), test::rich_deal()};
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(LEASECALC_SOURCE_DIR) / "models"))
    if (entry.path().extension() == ".yaml") deals.push_back(io::load_deal(entry.path()));
  EXPECT_GT(deals.size(), 10u);  // the bundled models were found
  return deals;
}

template <bool (*Predicate)(Line)>
void expect_monthly_sums_are_month_by_month(const engine::Ledger<double>& l, const char* what) {
  const std::vector<double> sums = engine::monthly_sums_of_lines<Predicate>(l);
  ASSERT_EQ(static_cast<int>(sums.size()), l.months());
  for (int m = 0; m < l.months(); ++m)
    ASSERT_EQ(std::bit_cast<std::uint64_t>(sums[static_cast<std::size_t>(m)]),
              std::bit_cast<std::uint64_t>(engine::sum_of_lines<Predicate>(l, m)))
        << what << ", month " << m;
}

}  // namespace

// The subtotals summed a row at a time are the month-by-month sums, bit for bit: a double ledger's
// figures must not depend on how its additions are grouped.
TEST(Statements, MonthlySumsAreTheMonthByMonthSumsBitForBit) {
  for (const deal::Deal& deal : deals_to_sum()) {
    const auto l = engine::project<double>(deal);
    expect_monthly_sums_are_month_by_month<engine::in_free_cash_flow_to_equity>(l, "FCFE");
    expect_monthly_sums_are_month_by_month<engine::in_free_cash_flow_to_firm>(l, "FCFF");
    expect_monthly_sums_are_month_by_month<engine::in_net_income>(l, "net income");
    expect_monthly_sums_are_month_by_month<engine::in_operating_cash_flow>(l, "operating cash flow");
  }
}

// What metrics() leaves out on request comes back empty; every other figure is the full call's.
TEST(Metrics, LeavingOutTheUnreadFiguresChangesNoOther) {
  for (const deal::Deal& deal : deals_to_sum()) {
    const auto l = engine::project<double>(deal);
    const auto all = engine::metrics(deal, l);
    const auto some = engine::metrics(deal, l, {.project_irr_pre_tax = false, .sources_and_uses = false});
    EXPECT_FALSE(some.project_irr_pre_tax.rate);
    EXPECT_EQ(some.project_irr_pre_tax.note, "not computed");
    EXPECT_EQ(some.sources, 0.0);
    EXPECT_EQ(some.uses, 0.0);
    EXPECT_EQ(some.project_irr_post_tax.rate, all.project_irr_post_tax.rate);
    EXPECT_EQ(some.equity_irr.rate, all.equity_irr.rate);
    EXPECT_EQ(some.project_npv, all.project_npv);
    EXPECT_EQ(some.net_margin, all.net_margin);
    EXPECT_EQ(some.dscr, all.dscr);
    EXPECT_EQ(some.project_payback_months, all.project_payback_months);
    // The sources and uses when asked: they differ by the cash left, which is nil.
    EXPECT_NEAR(all.sources - all.uses, all.cash_left, 1e-6 * std::max(1.0, all.sources));
  }
}
