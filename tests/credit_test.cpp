// The customer's credit: margin grids keyed by credit class, the expected credit loss, a customer
// default with a re-lease delay, interest-rate swaps, and bids across credit classes. Each figure is
// checked against a hand computation or an independent projection, never against the engine's own
// output pinned as a number.
#include <leasecalc/deal/credit_pricing.hpp>
#include <leasecalc/engine/covenants.hpp>
#include <leasecalc/engine/metrics.hpp>
#include <leasecalc/engine/project.hpp>
#include <leasecalc/engine/statements.hpp>
#include <leasecalc/io/load_deal.hpp>
#include <leasecalc/num/rounding.hpp>
#include <leasecalc/solve/bid.hpp>

#include "support/deals.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <stdexcept>
#include <string>

namespace {

using namespace leasecalc;
using deal::CreditClass;
using deal::Decimal;
using engine::Line;
using test::dec;
using Ledger = engine::Ledger<Decimal>;

Ledger project(const deal::Deal& deal) { return engine::project<Decimal>(deal); }

deal::TakeOrPay& lease_of(deal::Deal& deal, std::size_t index = 0) { return std::get<deal::TakeOrPay>(deal.contracts[index]); }

// A floating tranche on a flat base: `margin` (or a grid), 30/360 simple, repaid straight line.
deal::DebtTranche floating_tranche(const char* base, const char* margin) {
  deal::DebtTranche tranche;
  tranche.name = "loan";
  tranche.share_of_capex = dec("0.5");
  tranche.term_months = 30;
  tranche.amortisation = deal::Amortisation::straight_line;
  tranche.floating = deal::FloatingRate{{{deal::Date(1900, 1, 1), dec(base)}}, dec(margin), 0, {}, std::nullopt};
  tranche.annual_rate = dec(base) + dec(margin);
  return tranche;
}

deal::MarginGrid grid(const char* investment_grade, const char* sub_investment_grade) {
  deal::MarginGrid g;
  g.margin[deal::index_of(CreditClass::investment_grade)] = dec(investment_grade);
  g.margin[deal::index_of(CreditClass::sub_investment_grade)] = dec(sub_investment_grade);
  return g;
}

// The minimal deal (10 servers leased at 30,000 a month for 36 months) as two contracts of five
// servers, financed by a floating tranche whose margin is a grid (6% investment grade, 13% not).
deal::Deal two_customers_on_a_grid() {
  deal::Deal d = test::minimal_deal();
  lease_of(d).servers = 5;
  lease_of(d).name = "first";
  deal::TakeOrPay second = lease_of(d);
  second.name = "second";
  d.contracts.push_back(second);
  deal::DebtTranche tranche = floating_tranche("0.04", "0");
  tranche.floating->margin_grid = grid("0.06", "0.13");
  d.debt = {tranche};
  return d;
}

// The same deal with a plain margin instead of the grid.
deal::Deal with_plain_margin(deal::Deal d, const char* margin) {
  d.debt[0].floating->margin_grid.reset();
  d.debt[0].floating->margin = dec(margin);
  return d;
}

void expect_same_debt(const Ledger& a, const Ledger& b) {
  for (const Line line : {Line::interest, Line::principal_repaid, Line::debt_outstanding, Line::equity_distributed})
    for (int m = 0; m < a.months(); ++m) ASSERT_EQ(a(line, m), b(line, m)) << engine::line_name(line) << " month " << m;
}

// Sources equal uses every month, every customer balance and the debt are settled by the horizon.
void expect_reconciles(const deal::Deal& deal, const Ledger& l) {
  const int last = l.months() - 1;
  Decimal cash(0);
  for (int m = 0; m <= last; ++m) {
    cash += engine::free_cash_flow_to_equity(l, m) + l(Line::equity_contributed, m) + l(Line::equity_distributed, m);
    ASSERT_EQ(cash, l(Line::cash_balance, m)) << "month " << m;
  }
  EXPECT_EQ(cash, Decimal(0));
  EXPECT_EQ(l(Line::receivables, last), Decimal(0));
  EXPECT_EQ(l(Line::deferred_revenue, last), Decimal(0));
  EXPECT_EQ(-(l.total(Line::principal_repaid) + l.total(Line::debt_prepaid)), l.total(Line::debt_drawn));
  const auto metrics = engine::metrics(deal, l);
  EXPECT_EQ(metrics.sources, metrics.uses + metrics.cash_left);
  for (std::size_t i = 0; i < engine::line_count; ++i) {
    const auto line = static_cast<Line>(i);
    if (engine::line_info(line).kind == engine::LineKind::units) continue;
    for (int m = 0; m <= last; ++m) {
      const Decimal cents = l(line, m) * 100;
      ASSERT_EQ(cents, num::floor(cents)) << engine::line_name(line) << " month " << m;
    }
  }
}

// ---- margin grid ---------------------------------------------------------------------------------

TEST(MarginGrid, PricesTheClassOfTheContractsFinanced) {
  deal::Deal d = two_customers_on_a_grid();
  lease_of(d, 0).credit = CreditClass::investment_grade;
  lease_of(d, 1).credit = CreditClass::investment_grade;
  expect_same_debt(project(d), project(with_plain_margin(d, "0.06")));
  lease_of(d, 0).credit = CreditClass::sub_investment_grade;
  lease_of(d, 1).credit = CreditClass::sub_investment_grade;
  expect_same_debt(project(d), project(with_plain_margin(d, "0.13")));
}

TEST(MarginGrid, ALoanOverSeveralContractsTakesTheWeakestClass) {
  deal::Deal d = two_customers_on_a_grid();
  lease_of(d, 0).credit = CreditClass::investment_grade;
  lease_of(d, 1).credit = CreditClass::sub_investment_grade;
  EXPECT_EQ(deal::financed_credit_class(d.contracts, d.debt[0]), CreditClass::sub_investment_grade);
  expect_same_debt(project(d), project(with_plain_margin(d, "0.13")));
  // Financing the investment-grade contract only, the loan is priced on it.
  d.debt[0].finances = {"first"};
  EXPECT_EQ(deal::financed_credit_class(d.contracts, d.debt[0]), CreditClass::investment_grade);
  expect_same_debt(project(d), project(with_plain_margin(d, "0.06")));
}

TEST(MarginGrid, AContractWithNoClassIsUnratedAndAGridWithoutItFails) {
  deal::Deal d = two_customers_on_a_grid();
  lease_of(d, 0).credit = CreditClass::investment_grade;  // the second states none: unrated
  EXPECT_EQ(deal::financed_credit_class(d.contracts, d.debt[0]), CreditClass::unrated);
  EXPECT_THROW(project(d), std::invalid_argument);
  d.debt[0].floating->margin_grid->margin[deal::index_of(CreditClass::unrated)] = dec("0.15");
  expect_same_debt(project(d), project(with_plain_margin(d, "0.15")));
}

// ---- expected credit loss ------------------------------------------------------------------------

deal::Deal with_credit_risk(deal::Deal d, const char* probability_of_default, const char* loss_given_default) {
  lease_of(d).credit = CreditClass::sub_investment_grade;
  d.credit_classes.risk[deal::index_of(CreditClass::sub_investment_grade)] =
      deal::CreditRisk{dec(probability_of_default), dec(loss_given_default)};
  return d;
}

TEST(ExpectedCreditLoss, IsPdTimesLgdOnEachMonthsInvoiceOverTwelve) {
  // 10 servers x 30,000 = 300,000 a month; 3.6% x 45% / 12 of it = 405.00, every month.
  const Ledger l = project(with_credit_risk(test::minimal_deal(), "0.036", "0.45"));
  for (int m = 0; m < 36; ++m) {
    ASSERT_EQ(l(Line::expected_credit_loss, m), dec("-405")) << "month " << m;
    ASSERT_EQ(l(Line::customer_receipts, m), dec("299595")) << "month " << m;  // collected the less
  }
}

TEST(ExpectedCreditLoss, IsProportionalToPdAndToLgd) {
  const Decimal base = project(with_credit_risk(test::minimal_deal(), "0.02", "0.4")).total(Line::expected_credit_loss);
  const Decimal double_pd = project(with_credit_risk(test::minimal_deal(), "0.04", "0.4")).total(Line::expected_credit_loss);
  const Decimal double_lgd = project(with_credit_risk(test::minimal_deal(), "0.02", "0.8")).total(Line::expected_credit_loss);
  EXPECT_LT(base, Decimal(0));
  EXPECT_EQ(double_pd, 2 * base);
  EXPECT_EQ(double_lgd, 2 * base);
  EXPECT_EQ(project(with_credit_risk(test::minimal_deal(), "0", "0.4")).total(Line::expected_credit_loss), Decimal(0));
}

TEST(ExpectedCreditLoss, NothingIsChargedOnWhatThePrepaymentSettled) {
  deal::Deal prepaid = with_credit_risk(test::minimal_deal(), "0.036", "0.45");
  lease_of(prepaid).prepayment_share = 1;  // every invoice settled from the prepayment
  const Ledger fully = project(prepaid);
  EXPECT_EQ(fully.total(Line::expected_credit_loss), Decimal(0));
  expect_reconciles(prepaid, fully);
  // A quarter prepaid, spread over the term: each invoice's exposure is 225,000 (405 x 3/4 = 303.75).
  lease_of(prepaid).prepayment_share = dec("0.25");
  lease_of(prepaid).prepayment_application = deal::PrepaymentApplication::spread_over_term;
  const Ledger quarter = project(prepaid);
  for (int m = 0; m < 36; ++m) ASSERT_EQ(quarter(Line::expected_credit_loss, m), dec("-303.75")) << "month " << m;
  expect_reconciles(prepaid, quarter);
}

TEST(ExpectedCreditLoss, AContractWithNoClassIsChargedAsUnratedAndAClassNotListedIsNot) {
  deal::Deal d = test::minimal_deal();  // its contract states no class
  d.credit_classes.risk[deal::index_of(CreditClass::unrated)] = deal::CreditRisk{dec("0.036"), dec("0.45")};
  EXPECT_EQ(project(d).total(Line::expected_credit_loss), 36 * dec("-405"));
  lease_of(d).credit = CreditClass::investment_grade;  // a class the model gives no risk
  EXPECT_EQ(project(d).total(Line::expected_credit_loss), Decimal(0));
}

TEST(ExpectedCreditLoss, LowersNetIncomeByItselfAsItIsNotDeductible) {
  deal::Deal clean = test::minimal_deal();
  clean.tax.income.rate = dec("0.25");
  const deal::Deal risky = with_credit_risk(clean, "0.036", "0.45");
  const Ledger a = project(clean), b = project(risky);
  const Decimal loss = b.total(Line::expected_credit_loss);
  EXPECT_EQ(loss, dec("-14580"));  // 36 x 405
  EXPECT_EQ(b.total(Line::income_tax), a.total(Line::income_tax)) << "an allowance is not deductible";
  Decimal income_a(0), income_b(0);
  for (int m = 0; m < 36; ++m) income_a += engine::net_income(a, m), income_b += engine::net_income(b, m);
  EXPECT_EQ(income_b, income_a + loss);
  const auto margin_a = engine::metrics(clean, a).net_margin.back();
  const auto margin_b = engine::metrics(risky, b).net_margin.back();
  ASSERT_TRUE(margin_a && margin_b);
  EXPECT_NEAR(*margin_a - *margin_b, 14580.0 / (36 * 300000.0), 1e-12);
  expect_reconciles(risky, b);
}

// ---- a customer default --------------------------------------------------------------------------

std::filesystem::path us_model_path() {
  return std::filesystem::path(LEASECALC_SOURCE_DIR) / "models" / "us-h100-take-or-pay.yaml";
}

TEST(CustomerDefault, TheUsCustomerStopsPayingAndTheServersAreReLeasedAfterTheDelay) {
  const deal::Deal model = io::load_deal(us_model_path());
  deal::Deal failed = model;
  lease_of(failed).customer_default = deal::CustomerDefault{24, 6};
  const Ledger base = project(model), l = project(failed);
  const int first = engine::month_index(model.start, lease_of(failed).start);
  const int k = first + 24;
  // Revenue stops at the default; the servers stand idle six months, then earn on demand.
  for (int m = k; m < l.months(); ++m) ASSERT_EQ(l(Line::committed_revenue, m), Decimal(0)) << "month " << m;
  for (int m = k; m < k + 6; ++m) ASSERT_EQ(l(Line::on_demand_revenue, m), Decimal(0)) << "month " << m;
  EXPECT_GT(l(Line::on_demand_revenue, k + 6), Decimal(0));
  for (int m = 0; m < k; ++m) ASSERT_EQ(l(Line::committed_revenue, m), base(Line::committed_revenue, m)) << "month " << m;
  // The prepayment not yet applied is kept: earned in the last month of service.
  EXPECT_EQ(l(Line::termination_fees, k - 1), base(Line::deferred_revenue, k - 1));
  EXPECT_GT(l(Line::termination_fees, k - 1), Decimal(0));
  EXPECT_EQ(l(Line::deferred_revenue, k - 1), Decimal(0));
  // The loan follows its terms: the same schedule, now served in part by the shareholders.
  for (int m = 0; m < l.months(); ++m) {
    ASSERT_EQ(l(Line::interest, m), base(Line::interest, m)) << "month " << m;
    ASSERT_EQ(l(Line::principal_repaid, m), base(Line::principal_repaid, m)) << "month " << m;
  }
  EXPECT_GT(l.total(Line::equity_contributed), base.total(Line::equity_contributed));
  const auto base_metrics = engine::metrics(model, base);
  const auto metrics = engine::metrics(failed, l);
  ASSERT_TRUE(metrics.minimum_dscr && base_metrics.minimum_dscr);
  EXPECT_LT(*metrics.minimum_dscr, *base_metrics.minimum_dscr);
  EXPECT_LT(*metrics.minimum_dscr, 1.0);
  // The covenants report the breach the base case does not have.
  const auto covenants = engine::covenant_report(failed, l);
  bool breached = false;
  for (const auto& test : covenants.tests) breached = breached || test.first_breach.has_value();
  EXPECT_TRUE(breached);
  expect_reconciles(failed, l);
}

TEST(CustomerDefault, InvoicesFallingDueFromTheDefaultAreWrittenOff) {
  deal::Deal d = test::minimal_deal();
  lease_of(d).timing = time::PaymentTiming::in_arrears;  // month m's invoice is paid at m + 1
  lease_of(d).customer_default = deal::CustomerDefault{12, 0};
  const Ledger l = project(d);
  EXPECT_EQ(l.total(Line::committed_revenue), dec("3600000"));  // twelve months served
  EXPECT_EQ(l(Line::credit_losses, 12), dec("-300000"));        // month 11's invoice, due at the default
  EXPECT_EQ(l.total(Line::credit_losses), dec("-300000"));
  EXPECT_EQ(l.total(Line::customer_receipts), dec("3300000"));
  EXPECT_EQ(l(Line::customer_receipts, 12), Decimal(0));
  expect_reconciles(d, l);
}

// ---- interest-rate swaps -------------------------------------------------------------------------

deal::Deal loan_deal(deal::DebtTranche tranche) {
  deal::Deal d = test::minimal_deal();
  d.debt = {std::move(tranche)};
  return d;
}

TEST(InterestRateSwap, AFullSwapAtTheFlatBaseIsAFixedLoanAtFixedPlusMargin) {
  for (const auto amortisation : {deal::Amortisation::straight_line, deal::Amortisation::bullet}) {
    for (const auto day_count : {time::DayCount::thirty_360_us, time::DayCount::act_360}) {
      deal::DebtTranche swapped = floating_tranche("0.04", "0.03");
      swapped.amortisation = amortisation;
      swapped.day_count = day_count;
      swapped.swap = deal::InterestRateSwap{dec("0.05"), 1, deal::Date(2025, 1, 1), deal::Date(2030, 1, 1)};
      deal::DebtTranche fixed = swapped;
      fixed.floating.reset();
      fixed.swap.reset();
      fixed.annual_rate = dec("0.08");
      const Ledger a = project(loan_deal(swapped)), b = project(loan_deal(fixed));
      EXPECT_LT(a.total(Line::swap_settlements), Decimal(0));
      for (int m = 0; m < a.months(); ++m) {
        ASSERT_EQ(a(Line::interest, m) + a(Line::swap_settlements, m), b(Line::interest, m)) << "month " << m;
        ASSERT_EQ(engine::debt_service(a, m), engine::debt_service(b, m)) << "month " << m;
      }
    }
  }
}

TEST(InterestRateSwap, AFixedRateAboveTheCurveCostsExactlyTheDifference) {
  // Half the balance swapped at 6% against a 4% base: each month costs the balance x 50% x 2% / 12
  // (30/360), to the cent, and nothing outside the swap's dates.
  deal::DebtTranche tranche = floating_tranche("0.04", "0.03");
  const Ledger plain = project(loan_deal(tranche));
  tranche.swap = deal::InterestRateSwap{dec("0.06"), dec("0.5"), deal::Date(2025, 4, 1), deal::Date(2026, 7, 1)};
  const deal::Deal d = loan_deal(tranche);
  const Ledger l = project(d);
  int swapped_months = 0;
  for (int m = 0; m < l.months(); ++m) {
    ASSERT_EQ(l(Line::interest, m), plain(Line::interest, m)) << "month " << m;
    const Decimal balance = m > 0 ? l(Line::debt_outstanding, m - 1) : Decimal(0);
    const bool inside = m >= 3 && m < 18;
    const Decimal expected = inside ? -num::round_to(balance * dec("0.5") * dec("0.02") / 12, 2) : Decimal(0);
    // The settlement is the rounded hedged interest less the rounded floating: a cent at most apart.
    ASSERT_LE(num::abs(l(Line::swap_settlements, m) - expected), dec("0.01")) << "month " << m;
    ASSERT_EQ(engine::debt_service(l, m), engine::debt_service(plain, m) + l(Line::swap_settlements, m));
    swapped_months += inside && balance > 0 ? 1 : 0;
  }
  EXPECT_EQ(swapped_months, 15);
  EXPECT_LT(*engine::metrics(d, l).minimum_dscr, *engine::metrics(loan_deal(floating_tranche("0.04", "0.03")), plain).minimum_dscr);
  expect_reconciles(d, l);
}

// ---- bids across credit classes --------------------------------------------------------------------

TEST(BidOnCredit, AWeakerClassPaysTheGridsHigherMarginAndNeedsAHigherPrice) {
  const deal::Deal model = io::load_deal(us_model_path());
  solve::BidRequest request;
  request.target = {solve::BidMetric::equity_irr, 0.15};
  request.credit_classes = {CreditClass::investment_grade, CreditClass::sub_investment_grade};
  const solve::Bid bid = solve::bid<double>(model, request);
  ASSERT_EQ(bid.points.size(), 2u);
  ASSERT_TRUE(bid.points[0].unit_month_price && bid.points[1].unit_month_price);
  EXPECT_EQ(bid.points[0].credit_class, "investment_grade");
  EXPECT_EQ(bid.points[1].credit_class, "sub_investment_grade");
  ASSERT_EQ(bid.points[1].debt_margins.size(), 1u);
  EXPECT_DOUBLE_EQ(bid.points[0].debt_margins[0].margin, 0.0625);
  EXPECT_DOUBLE_EQ(bid.points[1].debt_margins[0].margin, 0.13);
  EXPECT_GT(*bid.points[1].unit_month_price, *bid.points[0].unit_month_price);
  // The sub-investment-grade deal re-priced at its answer earns the target.
  deal::Deal repriced = solve::deal_to_bid(model, 0, std::nullopt, std::nullopt);
  solve::set_credit_class(repriced, 0, CreditClass::sub_investment_grade);
  solve::set_bid_price(repriced, 0, num::from_double<Decimal>(*bid.points[1].unit_month_price));
  const auto metrics = engine::metrics(repriced, engine::project<double>(repriced));
  ASSERT_TRUE(metrics.equity_irr.rate);
  // The lowest price that earns the target: at it the target is met, a cent a server-month below it
  // not.
  EXPECT_GE(*metrics.equity_irr.rate, 0.15 - 1e-6);
  deal::Deal cheaper = repriced;
  solve::set_bid_price(cheaper, 0, num::from_double<Decimal>(*bid.points[1].unit_month_price - 0.01));
  const auto below = engine::metrics(cheaper, engine::project<double>(cheaper));
  ASSERT_TRUE(below.equity_irr.rate);
  EXPECT_LT(*below.equity_irr.rate, 0.15);
  // Neither answer lies where the equity IRR is discontinuous: no jump is reported.
  EXPECT_TRUE(bid.points[0].jumps.empty()) << bid.points[0].note;
  EXPECT_TRUE(bid.points[1].jumps.empty()) << bid.points[1].note;
}

// On the sub-investment-grade margin the model's 1.35x lock-up binds in fewer months as the price
// rises, and each month it stops binding lifts the equity IRR by about 0.8 points at once: a target
// of 18.5% lies inside such a gap, so its answer is the price where the IRR jumps, and the bid says so.
TEST(BidOnCredit, ABidAnsweredWhereTheLockUpStopsBindingSaysTheEquityIrrJumps) {
  const deal::Deal model = io::load_deal(us_model_path());
  solve::BidRequest request;
  request.target = {solve::BidMetric::equity_irr, 0.185};
  request.credit_classes = {CreditClass::sub_investment_grade};
  const solve::Bid bid = solve::bid<double>(model, request);
  ASSERT_EQ(bid.points.size(), 1u);
  const solve::BidPoint& point = bid.points[0];
  ASSERT_TRUE(point.unit_month_price && point.equity_irr.rate);
  deal::Deal cheaper = solve::deal_to_bid(model, 0, std::nullopt, std::nullopt);
  solve::set_credit_class(cheaper, 0, CreditClass::sub_investment_grade);
  solve::set_bid_price(cheaper, 0, num::from_double<Decimal>(*point.unit_month_price - 0.01));
  const auto below = engine::metrics(cheaper, engine::project<double>(cheaper));
  ASSERT_TRUE(below.equity_irr.rate);
  EXPECT_LT(*below.equity_irr.rate, 0.185);
  EXPECT_GE(*point.equity_irr.rate, 0.185 - 1e-6);
  ASSERT_EQ(point.jumps.size(), 1u) << point.note;
  const solve::MetricJump& jump = point.jumps[0];
  EXPECT_EQ(jump.metric, solve::BidMetric::equity_irr);
  EXPECT_DOUBLE_EQ(jump.price_below, *point.unit_month_price - 0.01);
  ASSERT_TRUE(jump.below && jump.at);
  EXPECT_DOUBLE_EQ(*jump.below, *below.equity_irr.rate);  // the figures of the deal a cent below
  EXPECT_DOUBLE_EQ(*jump.at, *point.equity_irr.rate);
  EXPECT_GT(*jump.at - *jump.below, 1e-3);
  EXPECT_NE(jump.cause.find("the lock-up at 1.35x stops binding"), std::string::npos) << jump.cause;
  EXPECT_NE(point.note.find("the equity IRR jumps from "), std::string::npos) << point.note;
}

TEST(BidOnCredit, AClassTheGridDoesNotPriceOrAModelWithNoCreditTermsIsRefused) {
  deal::Deal model = io::load_deal(us_model_path());
  model.debt[0].floating->margin_grid->margin[deal::index_of(CreditClass::unrated)].reset();
  solve::BidRequest request;
  request.target = {solve::BidMetric::equity_irr, 0.15};
  request.credit_classes = {CreditClass::unrated};
  EXPECT_THROW(solve::bid<double>(model, request), std::invalid_argument);
  model.debt[0].floating->margin_grid.reset();
  try {
    solve::bid<double>(model, request);
    ADD_FAILURE() << "a credit axis on a model with nothing priced on credit was accepted";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("needs something priced on the customer's credit"), std::string::npos)
        << error.what();
  }
}

}  // namespace
