// Monte Carlo fleet and power events and Sobol sampling: delivery delays, GPU failures against the
// spares and power-price shocks against closed forms on deals built so that their expected cost is
// known; Sobol points against plain draws on a smooth integral; the same result on any thread
// count; the `events:` keys' validation.
#include <leasecalc/engine/project.hpp>
#include <leasecalc/io/input_error.hpp>
#include <leasecalc/io/load_uncertainty.hpp>
#include <leasecalc/solve/monte_carlo.hpp>

#include "support/deals.hpp"
#include "support/uncertainty_errors.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace {
using namespace leasecalc;
using Quantity = deal::UncertainQuantity;
using solve::Measure;

const auto npv_column = static_cast<Eigen::Index>(Measure::npv);

// The minimal deal (10 servers, one lease of all of them for the 36-month horizon at 30,000 a
// server-month, no costs, tax or residual) undiscounted: its NPV is the sum of its flows, so an
// event's expected cost comes off the NPV's mean one for one.
deal::Deal undiscounted_deal() {
  auto deal = test::minimal_deal();
  deal.discount_rate = 0;
  return deal;
}

TEST(MonteCarloFleetEvents, LateDeliveriesLoseTheirServerMonths) {
  // The one lot is late by a uniform draw on [0, 6] months rounded to whole months: 0 and 6 with
  // probability 1/12, 1..5 with 1/6 each, 3 months on average. A month late bills none of the 10
  // servers: 300,000 a month late, the term unmoved.
  const auto deal = undiscounted_deal();
  solve::Uncertainty u;
  u.runs = 2000;
  u.events.delivery_delay_months = solve::Uniform{0, 6};
  const auto result = solve::monte_carlo(deal, u, 2);
  const double base = solve::outcome_of(deal).npv;
  // Scenario by scenario: the NPV falls by the unbilled server-months (whole months of all 10 servers) at the fee.
  for (Eigen::Index i = 0; i < result.outcomes.rows(); ++i) {
    const double unbilled = result.unbilled_by_scenario[static_cast<std::size_t>(i)];
    ASSERT_EQ(std::fmod(unbilled, 10), 0) << i;
    ASSERT_NEAR(result.outcomes(i, npv_column), base - unbilled * 30000, 1e-6 * std::abs(base)) << i;
  }
  const auto& npv = *result.summary(Measure::npv);
  EXPECT_NEAR(npv.mean, base - 3 * 300000, 4 * npv.mean_standard_error);
  EXPECT_NEAR(result.unbilled_unit_months.value, 30, 4 * result.unbilled_unit_months.standard_error);
  EXPECT_NEAR(result.late_delivery_drawn.value, 11.0 / 12, 4 * std::sqrt(11.0 / 12 / 12 / 2000));
}

TEST(MonteCarloFleetEvents, TheLateDeliveryCreditComesOffTheInvoiceItCaps) {
  // Two lots of 5 servers at the start, each late as above (late after month m with probability
  // q_m = 11/12, 9/12, ..., 1/12, 0), and a credit of half a month's fee per server-month late. A
  // month with one lot late loses its 5 servers' fees and 2.5 servers' credit; with both late, the
  // credit is capped at the invoice, all 10 servers' fees: E = fee x sum_m 7.5 x 2 q (1 - q) + 10 q^2.
  auto deal = undiscounted_deal();
  deal.cluster.deliveries = {{deal.start, 5}, {deal.start, 5}};
  solve::Uncertainty u;
  u.runs = 2000;
  u.events.delivery_delay_months = solve::Uniform{0, 6};
  u.events.late_delivery_credit = 0.5;
  const auto result = solve::monte_carlo(deal, u, 2);
  double expected = 0;
  for (int m = 0; m < 6; ++m) {
    const double q = (11.0 - 2 * m) / 12;
    expected += 30000 * (7.5 * 2 * q * (1 - q) + 10 * q * q);
  }
  const auto& npv = *result.summary(Measure::npv);
  EXPECT_NEAR(npv.mean, solve::outcome_of(deal).npv - expected, 4 * npv.mean_standard_error);
}

TEST(MonteCarloFleetEvents, ALotLateBeyondTheLoansWindowIsFundedByEquity) {
  // Two lots of 5 servers (5M each), at the start and a month later; a loan for 60% of the capex paid
  // within 2 months of its first drawing. Each lot is late by 0, 1 or 2 months (a uniform draw on
  // [0, 2] rounded: 1/4, 1/2, 1/4); the second lot leaves the window exactly when it is later than
  // the first, with probability 1/4 x 1/2 + 1/4 x 1/4 + 1/2 x 1/4 = 5/16, and equity pays for it.
  auto deal = undiscounted_deal();
  deal.cluster.deliveries = {{deal.start, 5}, {time::add_months(deal.start, 1, time::EndOfMonth::off), 5}};
  deal::DebtTranche loan;
  loan.name = "senior";
  loan.share_of_capex = test::dec("0.6");
  loan.annual_rate = test::dec("0.05");
  loan.term_months = 36;
  loan.availability_months = 2;
  deal.debt = {loan};
  solve::Uncertainty u;
  u.runs = 400;
  u.events.delivery_delay_months = solve::Uniform{0, 2};
  int outside = 0;
  for (Eigen::Index i = 0; i < u.runs; ++i) {
    const deal::Deal scenario = solve::monte_carlo_scenario(deal, u, i);
    ASSERT_EQ(scenario.cluster.deliveries.size(), 2u);
    const int first = engine::month_index(deal.start, scenario.cluster.deliveries[0].date);
    const int second = engine::month_index(deal.start, scenario.cluster.deliveries[1].date);
    ASSERT_LE(first, second);  // in date order
    const bool in_window = second - first < 2;
    outside += !in_window;
    const auto ledger = engine::project<double>(scenario);
    double drawn = 0;
    for (int m = 0; m < ledger.months(); ++m) drawn += ledger(engine::Line::debt_drawn, m);
    ASSERT_NEAR(std::abs(drawn), 0.6 * 5e6 * (in_window ? 2 : 1), 1e-6) << i;
  }
  EXPECT_NEAR(outside / 400.0, 5.0 / 16, 4 * std::sqrt(5.0 / 16 * 11.0 / 16 / 400));
}

TEST(MonteCarloFleetEvents, FailuresBeyondTheSparesGoUnbilledAndCostTheirReplacement) {
  // 1,000 servers leased, 10 spares (1%), a failed server out for one month: each month
  // 1,000 x rate / 12 servers are out, the spares stand in for 10 of them and the rest go unbilled.
  // With the annual rate uniform on [0, 20%] the expected shortfall is the closed form
  // E[max(0, k rate - 10)] = (0.2 k - 10)^2 / (2 k 0.2), k = 1,000 / 12, a month; and the expected
  // replacement cost is 1,000 x 10% / 12 x 5,000 a month.
  auto deal = undiscounted_deal();
  deal.cluster.servers = 1000;
  std::get<deal::TakeOrPay>(deal.contracts[0]).servers = 1000;
  deal.cluster.spares_share = test::dec("0.01");
  deal.cluster.replacement_cost = test::dec("5000");
  solve::Uncertainty u;
  u.runs = 1500;
  u.events.failure_rate = solve::Uniform{0, 0.2};
  const auto result = solve::monte_carlo(deal, u, 2);
  const double k = 1000.0 / 12, shortfall_a_month = std::pow(0.2 * k - 10, 2) / (2 * k * 0.2);
  EXPECT_NEAR(shortfall_a_month, 4.0 / 3, 1e-12);
  EXPECT_NEAR(result.unbilled_unit_months.value, 36 * shortfall_a_month, 4 * result.unbilled_unit_months.standard_error);
  const double expected_cost = 36 * (shortfall_a_month * 30000 + 1000 * 0.1 / 12 * 5000);
  const auto& npv = *result.summary(Measure::npv);
  EXPECT_NEAR(npv.mean, solve::outcome_of(deal).npv - expected_cost, 4 * npv.mean_standard_error);
  // A rate the spares cover loses no revenue: the scenarios below 12% a year (1,000 x 12% / 12 = 10).
  EXPECT_GT(result.unbilled_unit_months.value, 0);
}

TEST(MonteCarloFleetEvents, TheShortfallWaitsForRepairsAndIdleServersStandInFirst) {
  // 120 servers, 100 leased, no spares; 24% a year, out for 3 months: 120 x 2% = 2.4 fail a month,
  // 2.4, 4.8, then 7.2 out; the 20 idle servers stand in for all of them. With 115 leased, 5 idle.
  auto deal = undiscounted_deal();
  deal.cluster.servers = 120;
  auto& lease = std::get<deal::TakeOrPay>(deal.contracts[0]);
  lease.servers = 100;
  std::vector<double> held(36, 100.0);
  auto shortfall = solve::fleet_shortfall(deal, {0}, 0.24, 3, 0, held);
  EXPECT_NEAR(shortfall.unreplaced[0], 2.4, 1e-12);
  EXPECT_NEAR(shortfall.unreplaced[1], 4.8, 1e-12);
  EXPECT_NEAR(shortfall.unreplaced[5], 7.2, 1e-12);
  EXPECT_EQ(shortfall.unbilled_unit_months, 0);
  std::fill(held.begin(), held.end(), 115.0);
  shortfall = solve::fleet_shortfall(deal, {2}, 0.24, 3, 0, held);
  // Months 0 and 1: the lot is late, 120 missing, 5 idle: 115 unbilled. Month 2: 2.4 out, none
  // unbilled; month 3: 4.8; from month 4: 7.2 out, 2.2 of them unbilled.
  EXPECT_EQ(shortfall.months_late, (std::vector<int>{2}));
  EXPECT_NEAR(shortfall.billed_share[0], 0, 1e-12);
  EXPECT_NEAR(shortfall.billed_share[2], 1, 1e-12);
  EXPECT_NEAR(shortfall.billed_share[4], 1 - 2.2 / 115, 1e-12);
  EXPECT_NEAR(shortfall.unbilled_unit_months, 2 * 115 + 32 * 2.2, 1e-9);
}

TEST(MonteCarloPowerShocks, TheTariffIndexHasTheClosedFormMean) {
  // A shock a year with probability 40%, +50% on average, for 12 months from a month drawn evenly in
  // its year: month m (q = m mod 12) is covered by this year's shock with probability (q + 1) / 12
  // and by last year's with (11 - q) / 12; the two compound independently.
  deal::PowerShock shock{0.4, solve::Uniform{0.2, 0.8}, 12};
  const int months = 36, scenarios = 20000;
  std::vector<double> sum(months), squares(months);
  for (int i = 0; i < scenarios; ++i) {
    const auto index = solve::power_index(shock, months, 7, static_cast<std::uint64_t>(i));
    for (int m = 0; m < months; ++m) {
      sum[static_cast<std::size_t>(m)] += index[static_cast<std::size_t>(m)];
      squares[static_cast<std::size_t>(m)] += index[static_cast<std::size_t>(m)] * index[static_cast<std::size_t>(m)];
    }
  }
  for (int m = 0; m < months; ++m) {
    const int q = m % 12;
    const double expected = (1 + 0.4 * 0.5 * (q + 1) / 12) * (m >= 12 ? 1 + 0.4 * 0.5 * (11 - q) / 12 : 1.0);
    const double mean = sum[static_cast<std::size_t>(m)] / scenarios;
    const double error = std::sqrt((squares[static_cast<std::size_t>(m)] / scenarios - mean * mean) / scenarios);
    EXPECT_NEAR(mean, expected, 4 * error + 1e-12) << m;
  }
}

TEST(MonteCarloPowerShocks, ShocksRaiseThePowerBillByTheIndexMean) {
  auto deal = undiscounted_deal();
  deal.running_costs.electricity.paid_by_customer = false;
  deal.running_costs.electricity.tariff_per_kwh = test::dec("0.8");
  deal.running_costs.electricity.pue = test::dec("1.3");
  const auto ledger = engine::project<double>(deal);
  solve::Uncertainty u;
  u.runs = 1500;
  u.events.power_shock = deal::PowerShock{0.5, solve::Uniform{0, 1}, 12};
  const auto result = solve::monte_carlo(deal, u, 2);
  double expected_extra = 0;  // the power bill of each month times its index's mean less one
  for (int m = 0; m < ledger.months(); ++m) {
    const int q = m % 12;
    const double index = (1 + 0.5 * 0.5 * (q + 1) / 12) * (m >= 12 ? 1 + 0.5 * 0.5 * (11 - q) / 12 : 1.0);
    expected_extra += -ledger(engine::Line::electricity, m) * (index - 1);
  }
  ASSERT_GT(expected_extra, 0);
  const auto& npv = *result.summary(Measure::npv);
  EXPECT_NEAR(npv.mean, solve::outcome_of(deal).npv - expected_extra, 4 * npv.mean_standard_error);
  EXPECT_NEAR(result.power_shock_drawn.value, 1 - 0.5 * 0.5 * 0.5, 4 * std::sqrt(0.875 * 0.125 / 1500));
}

TEST(MonteCarloFleetEvents, SameSeedSameResultOnAnyThreadCountWithEveryEvent) {
  const auto deal = test::rich_deal();
  auto u = solve::Uncertainty::defaults();
  u.runs = 96;
  u.sampling = deal::Sampling::sobol;
  u.events.customer_default = true;
  u.events.delivery_delay_months = solve::Triangular{0, 1, 5};
  u.events.late_delivery_credit = 0.25;
  u.events.failure_rate = solve::Uniform{0.01, 0.15};
  u.events.repair_months = 2;
  u.events.power_shock = deal::PowerShock{0.2, solve::Normal{0.3, 0.1, 0, {}}, 6};
  const auto one = solve::monte_carlo(deal, u, 1);
  const auto three = solve::monte_carlo(deal, u, 3);
  EXPECT_TRUE((one.changes.array() == three.changes.array()).all());
  EXPECT_TRUE((one.outcomes == three.outcomes).all());
  EXPECT_EQ(one.unbilled_by_scenario, three.unbilled_by_scenario);
  EXPECT_EQ(one.lender.breach_over_life.value, three.lender.breach_over_life.value);
  EXPECT_GT(one.late_delivery_drawn.value, 0);
  EXPECT_GT(one.power_shock_drawn.value, 0);
}

TEST(MonteCarloSampling, SobolMeansConvergeFasterThanPlainDraws) {
  // E[exp(x) exp(y)] for x, y uniform on [-0.5, 0.5] is (2 sinh 0.5)^2. Over 16 seeds, 1,024 Sobol
  // points (randomly shifted) miss it by far less than 1,024 independent draws; both are unbiased.
  const double exact = std::pow(2 * std::sinh(0.5), 2);
  const auto rms_error = [&](deal::Sampling sampling) {
    double squares = 0, mean_error = 0;
    for (std::uint64_t seed = 1; seed <= 16; ++seed) {
      solve::Uncertainty u;
      u.runs = 1024;
      u.seed = seed;
      u.sampling = sampling;
      u.inputs = {{Quantity::price, solve::Uniform{-0.5, 0.5}}, {Quantity::residual, solve::Uniform{-0.5, 0.5}}};
      const Eigen::MatrixXd x = solve::draw_changes(u);
      EXPECT_TRUE((x.array() >= -0.5).all() && (x.array() <= 0.5).all());
      const double estimate = (x.col(0).array().exp() * x.col(1).array().exp()).mean();
      squares += (estimate - exact) * (estimate - exact);
      mean_error += estimate - exact;
    }
    return std::sqrt(squares / 16);
  };
  const double plain = rms_error(deal::Sampling::random), sobol = rms_error(deal::Sampling::sobol);
  // Plain: sd / sqrt(1024), about 0.0103 x 1.18 / 32; Sobol: near 1 / runs.
  EXPECT_GT(plain, 1e-4);
  EXPECT_LT(sobol, plain / 10);
}

using test::expect_uncertainty_error;

TEST(UncertaintyEvents, ReadsDelaysFailuresPowerShocksAndSobol) {
  const auto u = io::parse_uncertainty(
      "uncertainty:\n"
      "  sampling: sobol\n"
      "  events:\n"
      "    delivery_delay: {distribution: triangular, low: 0, mode: 1, high: 6}\n"
      "    late_delivery_credit: 50%\n"
      "    failure_rate: {distribution: uniform, low: 2%, high: 9%}\n"
      "    repair_months: 2\n"
      "    power_shock: {probability: 10%, size: {distribution: uniform, low: 20%, high: 60%}, duration: 6 months}\n",
      "m.yaml");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->sampling, deal::Sampling::sobol);
  EXPECT_DOUBLE_EQ(std::get<solve::Triangular>(*u->events.delivery_delay_months).high, 6);
  EXPECT_DOUBLE_EQ(u->events.late_delivery_credit, 0.5);
  EXPECT_DOUBLE_EQ(std::get<solve::Uniform>(*u->events.failure_rate).high, 0.09);
  EXPECT_EQ(u->events.repair_months, 2);
  ASSERT_TRUE(u->events.power_shock);
  EXPECT_DOUBLE_EQ(u->events.power_shock->annual_probability, 0.1);
  EXPECT_EQ(u->events.power_shock->duration_months, 6);
  EXPECT_DOUBLE_EQ(std::get<solve::Uniform>(u->events.power_shock->size).low, 0.2);
}

TEST(UncertaintyEvents, ErrorsAreLocated) {
  const std::string head = "uncertainty:\n  events:\n";
  expect_uncertainty_error(head + "    delivery_delay: {distribution: uniform, low: -1, high: 3}\n", 3,
               "uncertainty.events.delivery_delay.low", "");
  expect_uncertainty_error(head + "    late_delivery_credit: 50%\n", 3, "uncertainty.events.late_delivery_credit",
               "only with a delivery_delay");
  expect_uncertainty_error(head + "    failure_rate: {distribution: uniform, low: 2%, high: 120%}\n", 3,
               "uncertainty.events.failure_rate.high", "");
  expect_uncertainty_error(head + "    repair_months: 2\n", 3, "uncertainty.events.repair_months", "only with a failure_rate");
  expect_uncertainty_error(head + "    power_shock: {probability: 150%, size: {distribution: uniform, low: 0%, high: 1%}}\n", 3,
               "uncertainty.events.power_shock.probability", "");
  expect_uncertainty_error(head + "    power_shock: {probability: 10%, size: {distribution: uniform, low: -150%, high: 1%}}\n", 3,
               "uncertainty.events.power_shock.size.low", "at least -100%");
  expect_uncertainty_error(head + "    power_shock: {probability: 10%}\n", 3, "uncertainty.events.power_shock", "size");
  expect_uncertainty_error("uncertainty:\n  sampling: halton\n", 2, "uncertainty.sampling", "sobol");
}

}  // namespace
