// Each feature of the engine, switched on alone on the minimal deal and checked against a hand
// calculation: prepayments, billing timing, escalators, ramps, SLA credits, early termination and
// re-leasing, on-demand price decay, running costs, VAT, depreciation methods and residual value.
#include "support/deals.hpp"

#include <leasecalc/engine/metrics.hpp>
#include <leasecalc/engine/project.hpp>

#include <gtest/gtest.h>

#include <cmath>

namespace {
using namespace leasecalc;
using engine::Line;
using num::Decimal;
using test::dec;

deal::TakeOrPay& lease(deal::Deal& deal) { return std::get<deal::TakeOrPay>(deal.contracts.front()); }

// The one conversion of a quoted rental price to a price per unit (server or rack) per month.
TEST(RentalPrice, ConvertsPerGpuAndPerHourWithTheSkusUnit) {
  deal::Sku rack;
  rack.gpus_per_unit = 72;
  rack.unit_kind = deal::UnitKind::rack;
  using deal::PriceUnit;
  EXPECT_EQ(deal::unit_month_price({dec("2"), PriceUnit::gpu_hour, ""}, rack), dec("2") * 72 * 730);
  EXPECT_EQ(deal::unit_month_price({dec("1500"), PriceUnit::gpu_month, ""}, rack), dec("108000"));
  EXPECT_EQ(deal::unit_month_price({dec("150"), PriceUnit::rack_hour, ""}, rack), dec("109500"));
  EXPECT_EQ(deal::unit_month_price({dec("100000"), PriceUnit::rack_month, ""}, rack), dec("100000"));
  EXPECT_THROW(deal::unit_month_price({dec("0.65"), PriceUnit::kwh, ""}, rack), std::invalid_argument);
  EXPECT_EQ(deal::unit_month(rack), PriceUnit::rack_month);
  EXPECT_TRUE(deal::rental_unit_fits(PriceUnit::rack_hour, rack));
  EXPECT_FALSE(deal::rental_unit_fits(PriceUnit::server_month, rack));
  deal::Sku server;
  EXPECT_EQ(deal::unit_month(server), PriceUnit::server_month);
  EXPECT_FALSE(deal::rental_unit_fits(PriceUnit::rack_month, server));
}

TEST(Prepayment, CreditedAgainstTheFirstInvoices) {
  auto deal = test::minimal_deal();
  lease(deal).prepayment_share = dec("0.2");  // 20% of 10.8M = 2.16M, i.e. 7.2 months of rent
  const auto l = engine::project<Decimal>(deal);
  EXPECT_EQ(l(Line::customer_receipts, 0), dec("2160000"));  // the prepayment; month 0's invoice is covered
  for (int m = 1; m <= 6; ++m) EXPECT_EQ(l(Line::customer_receipts, m), Decimal(0)) << m;
  EXPECT_EQ(l(Line::customer_receipts, 7), dec("240000"));  // 300k less the 60k of prepayment left
  EXPECT_EQ(l(Line::customer_receipts, 8), dec("300000"));
  EXPECT_EQ(l.total(Line::customer_receipts), dec("10800000"));
  EXPECT_EQ(l(Line::deferred_revenue, 0), dec("1860000"));  // 2.16M less month 0's 300k
  EXPECT_EQ(l(Line::deferred_revenue, 7), Decimal(0));
  EXPECT_EQ(l.total(Line::committed_revenue), dec("10800000"));  // revenue is unchanged
}

TEST(Prepayment, SpreadOverTheTerm) {
  auto deal = test::minimal_deal();
  lease(deal).prepayment_share = dec("0.2");
  lease(deal).prepayment_application = deal::PrepaymentApplication::spread_over_term;
  const auto l = engine::project<Decimal>(deal);
  EXPECT_EQ(l(Line::customer_receipts, 0), dec("2160000") + dec("240000"));  // 300k - 2.16M / 36
  EXPECT_EQ(l(Line::customer_receipts, 20), dec("240000"));
  EXPECT_EQ(l(Line::deferred_revenue, 35), Decimal(0));
  EXPECT_EQ(l(Line::deferred_revenue, 11), dec("2160000") - 12 * dec("60000"));
}

TEST(Billing, QuarterlyInArrearsIsPaidTheMonthAfterEachQuarter) {
  auto deal = test::minimal_deal();
  lease(deal).billing = leasecalc::time::Frequency::quarterly;
  lease(deal).timing = leasecalc::time::PaymentTiming::in_arrears;
  const auto l = engine::project<Decimal>(deal);
  EXPECT_EQ(l(Line::customer_receipts, 0), Decimal(0));
  EXPECT_EQ(l(Line::customer_receipts, 2), Decimal(0));
  EXPECT_EQ(l(Line::customer_receipts, 3), dec("900000"));
  EXPECT_EQ(l(Line::receivables, 2), dec("900000"));
  // The last quarter would be paid after the horizon: it is collected in the last month.
  EXPECT_EQ(l(Line::customer_receipts, 33), dec("900000"));
  EXPECT_EQ(l(Line::customer_receipts, 35), dec("900000"));
  EXPECT_EQ(l(Line::receivables, 35), Decimal(0));
}

// The factor read month by month (worked out once a year) is the factor worked out afresh, whatever
// order the years are asked in, and it compounds: each anniversary multiplies it by 1 + rate.
TEST(Pricing, EscalationReadMonthByMonthIsTheFactorWorkedOutAfresh) {
  for (const char* rate : {"0", "0.025", "0.07", "-0.03"}) {
    engine::Escalation<Decimal> exact(dec(rate));
    engine::Escalation<double> fast(num::to_double(dec(rate)));
    for (const int year : {0, 0, 1, 1, 2, 5, 3, 3, 0, 9, 12, 11}) {
      const Decimal factor = exact.after(year);
      EXPECT_EQ(factor, engine::escalation(dec(rate), year)) << rate << " after " << year;
      EXPECT_EQ(fast.after(year), engine::escalation(num::to_double(dec(rate)), year)) << rate << " after " << year;
      EXPECT_NEAR(num::to_double(factor), std::pow(1 + num::to_double(dec(rate)), year), 1e-12);
    }
  }
}

TEST(Pricing, EscalatorStepsUpOnAnniversariesAndRampBillsPartOfTheFleet) {
  auto deal = test::minimal_deal();
  lease(deal).escalator.annual_rate = dec("0.05");
  lease(deal).ramp_months = 4;
  const auto l = engine::project<Decimal>(deal);
  EXPECT_EQ(l(Line::committed_revenue, 0), dec("75000"));   // 1/4 of the fleet
  EXPECT_EQ(l(Line::committed_revenue, 2), dec("225000"));  // 3/4
  EXPECT_EQ(l(Line::committed_revenue, 11), dec("300000"));
  EXPECT_EQ(l(Line::committed_revenue, 12), dec("315000"));
  EXPECT_EQ(l(Line::committed_revenue, 24), dec("330750"));
}

TEST(Pricing, GpuHourPricesBecomeServerMonths) {
  auto deal = test::minimal_deal();
  lease(deal).price = {dec("2.5"), deal::PriceUnit::gpu_hour};  // 2.5 x 8 GPUs x 730 hours
  const auto l = engine::project<Decimal>(deal);
  EXPECT_EQ(l(Line::committed_revenue, 0), dec("146000"));
}

TEST(ServiceCredits, TheWorstTierTheExpectedAvailabilityMissesApplies) {
  auto deal = test::minimal_deal();
  lease(deal).sla = {dec("0.995"), dec("0.985"),
                     {{dec("0.995"), dec("0.05")}, {dec("0.99"), dec("0.1")}, {dec("0.98"), dec("0.25")}}};
  const auto l = engine::project<Decimal>(deal);
  EXPECT_EQ(l(Line::sla_credits, 0), dec("-30000"));  // 98.5% is below 99%: 10%
}

TEST(EarlyTermination, FeeThenOnDemandReleaseAtTheDecayedPrice) {
  auto deal = test::minimal_deal();
  lease(deal).early_termination = deal::EarlyTermination{24, dec("3")};
  lease(deal).re_lease.mode = deal::ReLease::Mode::on_demand;
  lease(deal).re_lease.annual_price_decay = dec("0.2");
  lease(deal).re_lease.utilisation = deal::Curve::constant(dec("0.5"));
  const auto l = engine::project<double>(deal);
  EXPECT_DOUBLE_EQ(l(Line::termination_fees, 23), 900000.0);
  EXPECT_DOUBLE_EQ(l(Line::committed_revenue, 24), 0.0);
  // Month 24: two years after signing, half the fleet at 30,000 x 0.8^2.
  EXPECT_NEAR(l(Line::on_demand_revenue, 24), 5 * 30000 * 0.64, 0.005);
  EXPECT_NEAR(l(Line::on_demand_revenue, 30), 5 * 30000 * std::pow(0.8, 2.5), 0.005);
  EXPECT_DOUBLE_EQ(l(Line::units_contracted, 30), 5.0);
}

TEST(ReLease, FollowOnContractAtTheMarketPriceLessADiscount) {
  auto deal = test::minimal_deal();
  deal.horizon_months = 48;
  lease(deal).term_months = 24;
  lease(deal).re_lease = {deal::ReLease::Mode::follow_on, dec("0.1"), dec("0.05"), 12, deal::Curve::constant(1), std::nullopt};
  deal.assets.book.life_months = 48;
  const auto l = engine::project<Decimal>(deal);
  // 30,000 x 0.9^2 x 0.95 = 23,085 a server-month for months 24-35, then idle.
  EXPECT_EQ(l(Line::committed_revenue, 24), dec("230850"));
  EXPECT_EQ(l(Line::committed_revenue, 35), dec("230850"));
  EXPECT_EQ(l(Line::committed_revenue, 36), Decimal(0));
}

TEST(OnDemand, PriceHistoryThenDecayAndUtilisationCurve) {
  auto deal = test::minimal_deal();
  deal::OnDemand pool;
  pool.name = "pool";
  pool.servers = 10;
  pool.start = deal.start;
  pool.price = deal::Curve{{{-24, dec("100000")}, {0, dec("66000")}}};
  pool.annual_price_decay = dec("0.17");
  pool.utilisation = deal::Curve{{{0, dec("0.4")}, {10, dec("0.9")}}};
  deal.contracts = {pool};
  const auto l = engine::project<double>(deal);
  EXPECT_NEAR(l(Line::on_demand_revenue, 0), 10 * 0.4 * 66000, 0.005);
  EXPECT_NEAR(l(Line::on_demand_revenue, 5), 10 * 0.65 * 66000 * std::pow(0.83, 5.0 / 12), 0.005);
  EXPECT_NEAR(l(Line::on_demand_revenue, 12), 10 * 0.9 * 66000 * 0.83, 0.005);
  EXPECT_DOUBLE_EQ(l(Line::customer_receipts, 0), 0.0);  // billed in arrears
  EXPECT_NEAR(l(Line::customer_receipts, 1), l(Line::on_demand_revenue, 0), 1e-9);
}

TEST(RunningCosts, PowerRentAndOtherLinesFromTheirBases) {
  auto deal = test::minimal_deal();  // TEST-8: 10 kW loaded, 3 kW idle
  auto& costs = deal.running_costs;
  costs.electricity = {dec("0.5"), dec("1.25"), false, dec("0.8"), {dec("0.1")}};
  costs.data_centre = {deal::DataCentre::Basis::per_kw_month, dec("100"), 1, {}};
  using Basis = deal::RunningCost::Basis;
  costs.others = {{"O&M", Basis::share_of_hardware_per_year, dec("0.012"), {}},
                  {"Staff", Basis::per_year, dec("1200000"), {dec("0.1")}},
                  {"Licences", Basis::per_gpu_month, dec("20"), {}},
                  {"SG&A", Basis::share_of_revenue, dec("0.02"), {}}};
  const auto l = engine::project<Decimal>(deal);
  // 10 servers at 3 + 0.8 x 7 = 8.6 kW, x 1.25 PUE x 730 h x 0.5 = 39,237.50; +10% in year 2.
  EXPECT_EQ(l(Line::electricity, 0), dec("-39237.5"));
  EXPECT_EQ(l(Line::electricity, 12), dec("-43161.25"));
  EXPECT_EQ(l(Line::data_centre_rent, 0), dec("-10000"));  // 100 kW x 100
  EXPECT_EQ(l.running_cost(0, 0), dec("-10000"));          // 1.2% x 10M / 12
  EXPECT_EQ(l.running_cost(1, 0), dec("-100000"));
  EXPECT_EQ(l.running_cost(1, 12), dec("-110000"));
  EXPECT_EQ(l.running_cost(2, 0), dec("-1600"));           // 80 GPUs x 20
  EXPECT_EQ(l.running_cost(3, 0), dec("-6000"));           // 2% of 300k
  EXPECT_EQ(l(Line::other_running_costs, 0), dec("-117600"));
}

TEST(RunningCosts, CustomerPaidPowerCostsTheOperatorNothing) {
  auto deal = test::minimal_deal();
  deal.running_costs.electricity = {dec("0.5"), dec("1.25"), true, 1, {}};
  EXPECT_EQ(engine::project<Decimal>(deal).total(Line::electricity), Decimal(0));
}

TEST(Vat, InputCreditOffsetsOutputThenIsRefundedOnce) {
  auto deal = test::minimal_deal();
  deal.cluster.price_includes_vat = true;
  deal.cluster.capex_vat_rate = dec("0.13");
  lease(deal).vat_rate = dec("0.06");
  deal.tax.vat = {deal::Vat::Refund::once, 6, dec("0.5"), false, false, std::nullopt};
  const auto l = engine::project<Decimal>(deal);
  const Decimal input = dec("10000000") - num::round_cents(dec("10000000") / dec("1.13"));
  EXPECT_EQ(l.total(Line::capex), dec("-10000000"));
  EXPECT_EQ(l(Line::vat_credit, 0), input - dec("18000"));  // month 0's output VAT: 6% of 300k
  EXPECT_EQ(l(Line::vat_refunded, 6), num::round_cents((input - 7 * dec("18000")) * dec("0.5")));
  EXPECT_EQ(l(Line::vat_refund_income, 6), Decimal(0));  // cash only
  EXPECT_EQ(l(Line::vat_paid, 0), Decimal(0));
  // Output VAT is collected from the customer with the rent.
  EXPECT_EQ(l(Line::customer_receipts, 0), dec("318000"));
  // The input credit is used against output VAT, refunded, or still carried at the end.
  const Decimal output = 36 * dec("18000");
  const Decimal used = output + l.total(Line::vat_paid);  // output VAT not paid in cash
  EXPECT_EQ(used + l.total(Line::vat_refunded) + l(Line::vat_credit, 35), input);
}

// Booking the refund as income and capitalising input VAT are two choices: each moves only its
// own lines (the broker convention makes both).
TEST(Vat, RefundAsIncomeAndCapitalisedInputVatAreSeparateChoices) {
  auto deal = test::minimal_deal();
  deal.cluster.price_includes_vat = true;
  deal.cluster.capex_vat_rate = dec("0.13");
  deal.tax.vat.refund = deal::Vat::Refund::once;
  deal.tax.vat.refund_month = 6;
  const Decimal net = num::round_cents(dec("10000000") / dec("1.13"));
  const auto depreciated = [](const engine::Ledger<Decimal>& l) {
    const int last = l.months() - 1;
    return -l.total(Line::book_depreciation) + l(Line::sale_proceeds, last) - l(Line::gain_on_sale, last);
  };

  const auto proper = engine::project<Decimal>(deal);
  EXPECT_EQ(depreciated(proper), net);
  EXPECT_EQ(proper.total(Line::vat_refund_income), Decimal(0));

  auto income_only = deal;
  income_only.tax.vat.refund_booked_as_income = true;
  const auto income = engine::project<Decimal>(income_only);
  EXPECT_EQ(depreciated(income), net);  // the asset is still net of VAT
  EXPECT_GT(income.total(Line::vat_refund_income), Decimal(0));
  EXPECT_EQ(income.total(Line::vat_refund_income), income.total(Line::vat_refunded));

  auto capitalised_only = deal;
  capitalised_only.tax.vat.input_vat_capitalised = true;
  const auto capitalised = engine::project<Decimal>(capitalised_only);
  EXPECT_EQ(depreciated(capitalised), dec("10000000"));  // the VAT-inclusive price
  EXPECT_EQ(capitalised.total(Line::vat_refund_income), Decimal(0));
  EXPECT_EQ(capitalised.total(Line::vat_refunded), proper.total(Line::vat_refunded));
}

}  // namespace

namespace {
using namespace leasecalc;
using engine::Line;
using num::Decimal;
using test::dec;

TEST(Depreciation, MethodsAddUpToCostLessSalvageWithinTheirLife) {
  for (const deal::DepreciationMethod& method :
       {deal::DepreciationMethod{deal::StraightLine{}}, deal::DepreciationMethod{deal::DecliningBalance{dec("2")}},
        deal::DepreciationMethod{deal::SumOfYearsDigits{}}}) {
    auto deal = test::minimal_deal();
    deal.horizon_months = 48;
    deal.assets.book = {method, 36, dec("0.1")};
    deal.assets.residual = deal::ResidualShare{dec("0.1")};
    const auto l = engine::project<Decimal>(deal);
    EXPECT_EQ(l.total(Line::book_depreciation, 0, 36), dec("-9000000")) << method.index();
    EXPECT_EQ(l.total(Line::book_depreciation, 36, 48), Decimal(0));
    EXPECT_EQ(l(Line::book_value, 46), dec("1000000"));
    EXPECT_EQ(l.total(Line::gain_on_sale), Decimal(0));  // sold at exactly its book value
  }
}

TEST(Depreciation, DecliningBalanceFrontLoads) {
  auto deal = test::minimal_deal();
  deal.assets.book = {deal::DecliningBalance{dec("2")}, 36, 0};
  const auto l = engine::project<Decimal>(deal);
  // By year: 2/3 of the cost in the first year of a 3-year life, spread evenly over its months.
  EXPECT_EQ(l.total(Line::book_depreciation, 0, 12), num::round_cents(dec("-10000000") * 2 / 3));
  EXPECT_EQ(l(Line::book_depreciation, 0), num::round_cents(dec("-10000000") * 2 / 3 / 12));
  EXPECT_LT(l(Line::book_depreciation, 0), l(Line::book_depreciation, 20));
}

TEST(Depreciation, MacrsTaxDepreciationFollowsTheIrsTable) {
  auto deal = test::minimal_deal();
  deal.horizon_months = 72;
  deal.assets.tax = {deal::Macrs{5, deal::Macrs::Convention::half_year}, 60, 0};
  const auto l = engine::project<Decimal>(deal);
  // Half-year convention, 5-year property: 20%, 32%, 19.2%, 11.52%, 11.52%, 5.76%.
  EXPECT_EQ(l.total(Line::tax_depreciation, 0, 12), dec("-2000000"));
  EXPECT_EQ(l.total(Line::tax_depreciation, 12, 24), dec("-3200000"));
  EXPECT_EQ(l.total(Line::tax_depreciation, 60, 72), dec("-576000"));
  EXPECT_EQ(l.total(Line::tax_depreciation), dec("-10000000"));
}

TEST(Depreciation, BonusIsDeductedAtOnceAndTheMethodTakesTheRest) {
  auto deal = test::minimal_deal();  // 10M of servers placed in service in month 0
  deal.horizon_months = 72;
  deal.assets.tax = {deal::Macrs{5, deal::Macrs::Convention::half_year}, 60, 0, dec("0.6")};  // 60% bonus, MACRS on the other 40%
  const auto l = engine::project<Decimal>(deal);
  // Month 0: 6M of bonus plus a month of MACRS year 1 (20% / 12) on the remaining 4M.
  EXPECT_EQ(l(Line::tax_depreciation, 0), dec("-6000000") + num::round_cents(dec("-4000000") * dec("0.2") / 12));
  EXPECT_EQ(l.total(Line::tax_depreciation, 12, 24), dec("-1280000"));  // 32% of 4M
  EXPECT_EQ(l.total(Line::tax_depreciation), dec("-10000000"));         // bonus + table = cost
}

TEST(Depreciation, FullExpensingMovesTaxEarlierButNotItsTotal) {
  auto base = test::minimal_deal();
  base.tax.income.rate = dec("0.25");
  base.tax.income.loss_carry_forward_years = 10;  // no loss expires inside the 3 years
  auto expensed = base;
  expensed.assets.tax.bonus_share = 1;  // China's one-off deduction of equipment under 5M CNY a unit
  const auto slow = engine::project<Decimal>(base);
  const auto fast = engine::project<Decimal>(expensed);
  EXPECT_EQ(fast(Line::tax_depreciation, 0), dec("-10000000"));
  EXPECT_EQ(fast.total(Line::tax_depreciation, 1, 36), Decimal(0));
  EXPECT_EQ(fast.total(Line::tax_depreciation), slow.total(Line::tax_depreciation));
  // Year 1 is a tax loss carried into years 2 and 3: less tax early, the same tax in all.
  EXPECT_EQ(fast.total(Line::income_tax, 0, 12), Decimal(0));
  EXPECT_GT(fast.total(Line::income_tax, 0, 12), slow.total(Line::income_tax, 0, 12));
  EXPECT_EQ(fast.total(Line::income_tax), slow.total(Line::income_tax));
  const auto slow_metrics = engine::metrics(base, slow);
  const auto fast_metrics = engine::metrics(expensed, fast);
  ASSERT_TRUE(slow_metrics.equity_irr.rate && fast_metrics.equity_irr.rate);
  EXPECT_GT(*fast_metrics.equity_irr.rate, *slow_metrics.equity_irr.rate);
}

TEST(Residual, UsedPriceCurveByAgeSetsTheSaleProceeds) {
  auto deal = test::minimal_deal();
  deal.assets.residual = deal::ResidualCurve{deal::Curve{{{0, 1}, {24, dec("0.6")}, {48, dec("0.35")}}}};
  const auto l = engine::project<Decimal>(deal);
  // Sold at 36 months old: halfway between 60% and 35%.
  EXPECT_EQ(l(Line::sale_proceeds, 35), dec("4750000"));
  EXPECT_EQ(l(Line::gain_on_sale, 35), dec("4750000"));  // fully depreciated by then
}

TEST(Residual, ExponentialDecayToAFloor) {
  auto deal = test::minimal_deal();
  deal.assets.residual = deal::ResidualExponential{dec("0.1"), dec("0.4")};
  const auto l = engine::project<double>(deal);
  EXPECT_NEAR(l(Line::sale_proceeds, 35), 1e7 * (0.9 * std::exp(-0.4 * 3) + 0.1), 0.005);
}

TEST(Capex, DeliveriesSparesAndExtrasArePaidOnDelivery) {
  auto deal = test::minimal_deal();
  deal.cluster.deliveries = {{deal.start, 6}, {deal::Date(2025, 4, 1), 4}};
  deal.cluster.spares_share = dec("0.05");
  deal.cluster.extra_capex = {{"fabric", 0, dec("0.1")}, {"install", dec("500000"), 0}};
  const auto l = engine::project<Decimal>(deal);
  // Spares are whole servers, rounded up over the deliveries so far (deal::spare_units): 5% of 6
  // is 0.3, one spare; 5% of all 10 is 0.5, still one, so none with the second delivery.
  // (6 + 1) x 1M = 7M, +10% fabric, + 6/10 of 0.5M; then 4 x 1M, +10%, + 4/10 of 0.5M.
  EXPECT_EQ(l(Line::capex, 0), dec("-8000000"));
  EXPECT_EQ(l(Line::capex, 3), dec("-4600000"));
  EXPECT_EQ(l(Line::units_in_service, 2), Decimal(6));
  EXPECT_EQ(l(Line::units_in_service, 3), Decimal(10));
}

TEST(Debt, GraceStraightLineBulletAndBalloon) {
  auto base = test::minimal_deal();
  deal::DebtTranche loan;
  loan.name = "loan";
  loan.amount = dec("1200000");
  loan.annual_rate = dec("0.06");
  loan.term_months = 12;
  loan.grace_months = 6;
  loan.amortisation = deal::Amortisation::straight_line;
  auto deal = base;
  deal.debt = {loan};
  auto l = engine::project<Decimal>(deal);
  // Drawn at the end of month 0: six interest-only payments (months 1-6), then six of principal.
  EXPECT_EQ(l(Line::interest, 0), Decimal(0));
  EXPECT_EQ(l(Line::interest, 1), dec("-6000"));
  EXPECT_EQ(l(Line::principal_repaid, 6), Decimal(0));
  EXPECT_EQ(l(Line::principal_repaid, 7), dec("-200000"));
  EXPECT_EQ(l(Line::principal_repaid, 12), dec("-200000"));
  EXPECT_EQ(l(Line::debt_outstanding, 12), Decimal(0));

  loan.amortisation = deal::Amortisation::bullet;
  deal.debt = {loan};
  l = engine::project<Decimal>(deal);
  EXPECT_EQ(l(Line::principal_repaid, 12), dec("-1200000"));
  EXPECT_EQ(l.total(Line::interest), dec("-72000"));

  loan.amortisation = deal::Amortisation::balloon;
  loan.balloon_share = dec("0.25");
  loan.grace_months = 0;
  deal.debt = {loan};
  l = engine::project<Decimal>(deal);
  EXPECT_EQ(l(Line::debt_outstanding, 11) + l(Line::principal_repaid, 12), Decimal(0));
  // Level payments P that leave the 300k balloon: P = (B g - K) i / (g - 1), g = (1 + i)^12; the
  // balance before the last payment is (P + K) / (1 + i).
  const double i = 0.005, g = std::pow(1 + i, 12), payment = (1.2e6 * g - 3e5) * i / (g - 1);
  EXPECT_NEAR(num::to_double(l(Line::debt_outstanding, 11)), (payment + 3e5) / (1 + i), 0.1);
  EXPECT_NEAR(num::to_double(-(l(Line::interest, 1) + l(Line::principal_repaid, 1))), payment, 0.005);
}

TEST(Debt, DebtBeyondTheHorizonIsRepaidFromTheSale) {
  auto deal = test::minimal_deal();
  deal::DebtTranche loan;
  loan.name = "loan";
  loan.share_of_capex = dec("0.5");
  loan.annual_rate = dec("0.05");
  loan.term_months = 60;
  loan.upfront_fee = dec("0.01");
  deal.debt = {loan};
  const auto l = engine::project<Decimal>(deal);
  EXPECT_EQ(l.total(Line::debt_drawn), dec("5000000"));
  EXPECT_EQ(l(Line::financing_fees, 0), dec("-50000"));
  EXPECT_LT(l(Line::debt_prepaid, 35), Decimal(0));
  EXPECT_EQ(l.total(Line::principal_repaid) + l.total(Line::debt_prepaid), dec("-5000000"));
}

}  // namespace
