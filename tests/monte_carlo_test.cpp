// Monte Carlo ranges: degenerate distributions against the deterministic run, reproducibility on
// any thread count, sample moments against the distributions' own, percentiles, scenarios without
// an IRR, the `uncertainty:` section's validation, and `leasecalc montecarlo` end to end.
#include <leasecalc/io/input_error.hpp>
#include <leasecalc/io/load_deal.hpp>
#include <leasecalc/io/load_uncertainty.hpp>
#include <leasecalc/engine/covenants.hpp>
#include <leasecalc/engine/project.hpp>
#include <leasecalc/solve/breaking_points.hpp>
#include <leasecalc/solve/market_path.hpp>
#include <leasecalc/solve/monte_carlo.hpp>
#include <leasecalc/solve/scenario_seed.hpp>

#include "support/cli.hpp"
#include "support/deals.hpp"
#include "support/uncertainty_errors.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace {
using namespace leasecalc;
using solve::Input;
using Quantity = deal::UncertainQuantity;
using solve::Measure;

const std::filesystem::path models = std::filesystem::path(LEASECALC_SOURCE_DIR) / "models";

void expect_same_outcome(const solve::MonteCarloResult& result, Eigen::Index run, const solve::Outcome& expected) {
  for (std::size_t k = 0; k < std::size(solve::all_measures); ++k) {
    const auto value = solve::value_of(expected, solve::all_measures[k]);
    const auto column = static_cast<Eigen::Index>(k);
    ASSERT_EQ(result.defined(run, column), value.has_value());
    if (value) {
      EXPECT_EQ(result.outcomes(run, column), *value) << solve::measure_key(solve::all_measures[k]);
    }
  }
}

// A scenario's generator seeds and twists only as far as it is drawn: its numbers must be the
// standard engine's, across many blocks of 312 and through the distributions that read them.
TEST(MonteCarlo, ScenarioGeneratorIsTheStandardMersenneTwister) {
  for (std::uint64_t scenario = 0; scenario < 200; ++scenario) {
    const std::uint64_t seed = solve::scenario_seed(42, scenario, 0x6d61726b6574ULL);
    std::mt19937_64 standard(seed);
    solve::ScenarioGenerator lazy(seed);
    for (int k = 0; k < (scenario < 20 ? 2000 : 40); ++k) ASSERT_EQ(lazy(), standard()) << scenario << ", draw " << k;
    std::normal_distribution<double> normal, same;
    std::uniform_real_distribution<double> uniform(0.0, 1.0), also(0.0, 1.0);
    for (int k = 0; k < 500; ++k) {
      ASSERT_EQ(normal(lazy), same(standard));
      ASSERT_EQ(uniform(lazy), also(standard));
    }
  }
}

TEST(MonteCarlo, DegenerateDistributionsReproduceTheDeterministicRun) {
  const auto deal = test::rich_deal();
  solve::Uncertainty at_model;
  at_model.runs = 8;
  at_model.inputs = {{Quantity::price, solve::Normal{0, 0, {}, {}}},
                     {Quantity::utilisation, solve::Uniform{0, 0}},
                     {Quantity::debt_rate, solve::Triangular{0, 0, 0}},
                     {Quantity::power_tariff, solve::Normal{0, 0, -0.2, 0.2}}};
  const auto result = solve::monte_carlo(deal, at_model, 2);
  const auto base = solve::outcome_of(deal);
  for (Eigen::Index i = 0; i < 8; ++i) expect_same_outcome(result, i, base);
  const auto& npv = *result.summary(Measure::npv);
  EXPECT_DOUBLE_EQ(npv.mean, base.npv);
  EXPECT_NEAR(npv.standard_deviation, 0, 1e-12 * std::abs(base.npv));
  EXPECT_EQ(npv.p5, npv.p95);

  // A fixed 10% price rise is the deterministic run of the deal priced 10% higher.
  solve::Uncertainty higher = at_model;
  higher.inputs = {{Quantity::price, solve::Normal{0.1, 0, {}, {}}}};
  const auto raised = solve::monte_carlo(deal, higher, 1);
  expect_same_outcome(raised, 3, solve::outcome_of(solve::with_price_factor(deal, test::dec("1.1"))));
}

TEST(MonteCarlo, SameSeedSameResultOnAnyThreadCount) {
  const auto deal = test::rich_deal();
  auto uncertainty = solve::Uncertainty::defaults();
  uncertainty.runs = 150;
  const auto one = solve::monte_carlo(deal, uncertainty, 1);
  const auto four = solve::monte_carlo(deal, uncertainty, 4);
  EXPECT_TRUE((one.changes.array() == four.changes.array()).all());
  EXPECT_TRUE((one.outcomes == four.outcomes).all());
  EXPECT_TRUE((one.defined == four.defined).all());
  EXPECT_EQ(one.summary(Measure::equity_irr)->p50, four.summary(Measure::equity_irr)->p50);
  EXPECT_EQ(one.probability_dscr_below_covenant, four.probability_dscr_below_covenant);
  // The scenarios differ from one another, and from another seed's.
  EXPECT_GT(one.summary(Measure::npv)->standard_deviation, 0);
  uncertainty.seed = 43;
  EXPECT_FALSE((solve::draw_changes(uncertainty).array() == one.changes.array()).any());
}

TEST(MonteCarlo, DrawsOfAnInputDoNotDependOnTheOtherInputs) {
  solve::Uncertainty alone;
  alone.runs = 50;
  alone.inputs = {{Quantity::residual, solve::Uniform{-0.5, 0.5}}};
  solve::Uncertainty with_others = alone;
  with_others.inputs.insert(with_others.inputs.begin(), {Quantity::price, solve::Triangular{-0.1, 0, 0.1}});
  EXPECT_TRUE((solve::draw_changes(alone).col(0).array() == solve::draw_changes(with_others).col(1).array()).all());
}

// Sample mean within 5 standard errors of the distribution's mean, computed independently.
void expect_moments(const solve::Distribution& distribution, double mean, double sd) {
  solve::Uncertainty u;
  u.runs = 40000;
  u.seed = 7;
  u.inputs = {{Quantity::price, distribution}};
  const Eigen::VectorXd draws = solve::draw_changes(u).col(0);
  const double n = static_cast<double>(draws.size());
  const double sample_mean = draws.mean();
  const double sample_sd = std::sqrt((draws.array() - sample_mean).square().sum() / (n - 1));
  EXPECT_NEAR(sample_mean, mean, 5 * sd / std::sqrt(n));
  EXPECT_NEAR(sample_sd, sd, 5 * sd / std::sqrt(2 * n));  // standard error of a sample sd, near normal
}

TEST(MonteCarlo, SampleMomentsMatchTheDistributions) {
  expect_moments(solve::Uniform{-0.5, 0.5}, 0, 1 / std::sqrt(12.0));
  const double a = -0.15, c = 0, b = 0.05;
  expect_moments(solve::Triangular{a, c, b}, (a + b + c) / 3,
                 std::sqrt((a * a + b * b + c * c - a * b - a * c - b * c) / 18));
  expect_moments(solve::Normal{0.02, 0.1, {}, {}}, 0.02, 0.1);
  // Normal(0, sd) truncated above at 0: a half-normal reflected, mean -sd sqrt(2/pi), sd sd sqrt(1 - 2/pi).
  const double sd = 0.05;
  expect_moments(solve::Normal{0, sd, {}, 0.0}, -sd * std::sqrt(2 / std::numbers::pi),
                 sd * std::sqrt(1 - 2 / std::numbers::pi));
}

TEST(MonteCarlo, PercentilesInterpolateLikeASpreadsheetAndAreOrdered) {
  EXPECT_DOUBLE_EQ(solve::percentile({1, 2, 3, 4}, 0.5), 2.5);
  EXPECT_DOUBLE_EQ(solve::percentile({1, 2, 3, 4}, 0.05), 1.15);
  EXPECT_DOUBLE_EQ(solve::percentile({1, 2, 3, 4}, 1.0), 4);
  auto uncertainty = solve::Uncertainty::defaults();
  uncertainty.runs = 200;
  const auto result = solve::monte_carlo(test::rich_deal(), uncertainty, 2);
  for (Measure m : solve::all_measures) {
    const auto& s = result.summary(m);
    ASSERT_TRUE(s) << solve::measure_key(m);
    EXPECT_LE(s->p5, s->p25);
    EXPECT_LE(s->p25, s->p50);
    EXPECT_LE(s->p50, s->p75);
    EXPECT_LE(s->p75, s->p95);
  }
  ASSERT_TRUE(result.probability_dscr_below_covenant);
  EXPECT_GE(*result.probability_dscr_below_covenant, 0);
  EXPECT_LE(*result.probability_dscr_below_covenant, 1);
}

TEST(MonteCarlo, ScenariosWithoutAnIrrAreCountedNotAveraged) {
  // Prices cut by 95-100% under 1M a year of staff: the flows never turn positive, so there is no
  // IRR, but there is an NPV.
  auto deal = test::minimal_deal();
  deal.running_costs.others = {{"Staff", deal::RunningCost::Basis::per_year, test::dec("1000000"), {}}};
  solve::Uncertainty ruin;
  ruin.runs = 20;
  ruin.inputs = {{Quantity::price, solve::Uniform{-1.0, -0.95}}};
  const auto result = solve::monte_carlo(deal, ruin, 1);
  EXPECT_EQ(result.scenarios_without(Measure::project_irr), 20);
  EXPECT_FALSE(result.summary(Measure::project_irr));
  EXPECT_EQ(result.scenarios_without(Measure::npv), 0);
  EXPECT_EQ(result.probability_npv_negative, 1.0);
  EXPECT_FALSE(result.probability_dscr_below_covenant);  // no debt
}

TEST(MonteCarlo, InputsThatCannotChangeTheDealAreNoted) {
  solve::Uncertainty u;
  u.runs = 4;
  u.inputs = {{Quantity::power_tariff, solve::Normal{0, 0.1, {}, {}}}, {Quantity::debt_rate, solve::Uniform{0, 0.01}}};
  const auto result = solve::monte_carlo(test::minimal_deal(), u, 1);
  ASSERT_EQ(result.notes.size(), 2u);
  EXPECT_EQ(result.notes[0], "power_tariff: ignored, power is paid by the customer");
  EXPECT_EQ(result.notes[1], "debt_rate: ignored, the deal has no debt");
}

// ---- market paths -------------------------------------------------------------------------------

// Without reversion or generations the log index is a Brownian motion with drift, so the index at
// t years is lognormal: mean exp(mu t + s^2 t / 2), variance mean^2 (exp(s^2 t) - 1).
void expect_lognormal_index(bool with_overall_shocks) {
  deal::MarketPath market;
  market.drift = -0.10;
  market.volatility = 0.30;
  solve::Uncertainty u;
  u.runs = 20000;
  u.seed = 11;
  u.market = market;
  const auto draws = solve::draw(u);
  ASSERT_EQ(draws.market_shocks.size(), with_overall_shocks ? 20000 : 20000);
  const int month = 36;
  const double t = month / 12.0, mean = std::exp(market.drift * t + market.volatility * market.volatility * t / 2);
  const double variance = mean * mean * (std::exp(market.volatility * market.volatility * t) - 1);
  double sum = 0, squares = 0;
  const double n = u.runs;
  for (int i = 0; i < u.runs; ++i) {
    const auto path = solve::market_path(market, month + 1, u.seed, static_cast<std::uint64_t>(i),
                                         with_overall_shocks ? std::optional<double>(draws.market_shocks(i)) : std::nullopt);
    ASSERT_EQ(path.front(), 1.0);
    sum += path[month];
    squares += path[month] * path[month];
  }
  const double sample_mean = sum / n, sample_variance = (squares - n * sample_mean * sample_mean) / (n - 1);
  EXPECT_NEAR(sample_mean, mean, 5 * std::sqrt(variance / n));
  // The variance of a lognormal's sample variance: (mu4 - sigma^4) / n with mu4 from the moments.
  const double s2 = market.volatility * market.volatility * t, m = market.drift * t;
  const auto raw = [&](double k) { return std::exp(k * m + k * k * s2 / 2); };
  const double mu4 = raw(4) - 4 * raw(3) * raw(1) + 6 * raw(2) * raw(1) * raw(1) - 3 * std::pow(raw(1), 4);
  EXPECT_NEAR(sample_variance, variance, 5 * std::sqrt((mu4 - variance * variance) / n));
}

TEST(MarketPath, IndexIsLognormalWithTheClosedFormMeanAndVariance) {
  expect_lognormal_index(false);
  // An overall shock put in place of the path's own keeps the path's law.
  expect_lognormal_index(true);
}

TEST(MarketPath, RevertsTowardTheTrendAndStepsAtEachGeneration) {
  deal::MarketPath market;
  market.reversion = 3.0;  // fast: the log index ends near the trend line
  market.trend = -0.2;
  market.generation_months = {24};
  market.generation_jump = solve::Normal{-0.3, 0, {}, {}};
  const auto path = solve::market_path(market, 61, 1, 0);
  EXPECT_NEAR(std::log(path[23]), -0.2 * 22 / 12.0, 0.1);
  EXPECT_NEAR(path[24] / path[23], 0.7 * std::exp(3.0 * (-0.2 * 23 / 12.0 - std::log(path[23])) / 12), 1e-9);
  EXPECT_NEAR(std::log(path[60]), -0.2 * 59 / 12.0, 0.1);
  // Given paths are taken in turn and held at their last value.
  deal::MarketPath given;
  given.paths = {{1, 0.9}, {1, 1.1, 1.2}};
  EXPECT_EQ(solve::market_path(given, 4, 1, 2), (std::vector<double>{1, 0.9, 0.9, 0.9}));
  EXPECT_EQ(solve::market_path(given, 4, 1, 3), (std::vector<double>{1, 1.1, 1.2, 1.2}));
}

TEST(MarketPath, MovesOnDemandAndReLeasePricesAndTheFleetValueTogether) {
  auto deal = test::rich_deal();
  const auto base = engine::project<double>(deal);
  deal.market_index.assign(static_cast<std::size_t>(deal.horizon_months), 0.5);
  deal.market_index[0] = 1;
  const auto halved = engine::project<double>(deal);
  for (int m = 1; m < deal.horizon_months; ++m)
    EXPECT_NEAR(halved(engine::Line::on_demand_revenue, m), 0.5 * base(engine::Line::on_demand_revenue, m),
                1e-6 * std::abs(base(engine::Line::on_demand_revenue, m)) + 0.02)
        << m;
  const int last = deal.horizon_months - 1;
  EXPECT_NEAR(halved(engine::Line::sale_proceeds, last), 0.5 * base(engine::Line::sale_proceeds, last), 0.02);
  // Committed revenue is the customer's signed price: the market does not move it.
  EXPECT_EQ(halved(engine::Line::committed_revenue, 10), base(engine::Line::committed_revenue, 10));
}

// ---- correlations and sampling -------------------------------------------------------------------

TEST(MonteCarlo, CorrelatedInputsHaveTheMatrixCorrelationOnTheirNormalScores) {
  solve::Uncertainty u;
  u.runs = 20000;
  u.inputs = {{Quantity::price, solve::Normal{0, 0.1, {}, {}}}, {Quantity::residual, solve::Normal{0, 0.2, {}, {}}},
              {Quantity::server_price, solve::Normal{0, 0.1, {}, {}}}};
  u.correlations = {{"price", "residual"}, {{1, 0.8}, {0.8, 1}}};
  const auto changes = solve::draw_changes(u);
  const auto correlation = [&](Eigen::Index a, Eigen::Index b) {
    const Eigen::ArrayXd x = changes.col(a).array() - changes.col(a).mean(), y = changes.col(b).array() - changes.col(b).mean();
    return (x * y).sum() / std::sqrt(x.square().sum() * y.square().sum());
  };
  EXPECT_NEAR(correlation(0, 1), 0.8, 0.01);
  EXPECT_NEAR(correlation(0, 2), 0.0, 0.03);
  // The price keeps its own law.
  EXPECT_NEAR(std::sqrt((changes.col(0).array() - changes.col(0).mean()).square().mean()), 0.1, 0.003);
}

TEST(MonteCarlo, CorrelationFactorOfASemiDefiniteMatrixAndRefusalOfAnIndefiniteOne) {
  Eigen::MatrixXd singular(3, 3);
  singular << 1, 1, 0.5, 1, 1, 0.5, 0.5, 0.5, 1;  // the first two inputs move as one
  const Eigen::MatrixXd factor = solve::correlation_factor(singular);
  EXPECT_LT((factor * factor.transpose() - singular).cwiseAbs().maxCoeff(), 1e-12);
  Eigen::MatrixXd indefinite(3, 3);
  indefinite << 1, 0.9, -0.9, 0.9, 1, 0.9, -0.9, 0.9, 1;
  EXPECT_THROW((void)solve::correlation_factor(indefinite), std::invalid_argument);
}

TEST(MonteCarlo, LatinHypercubePutsOneDrawInEachSlice) {
  solve::Uncertainty u;
  u.runs = 500;
  u.sampling = deal::Sampling::latin_hypercube;
  u.inputs = {{Quantity::price, solve::Uniform{0, 1}}};
  const Eigen::VectorXd draws = solve::draw_changes(u).col(0);
  std::vector<int> per_slice(500);
  for (double x : draws) ++per_slice[static_cast<std::size_t>(x * 500)];
  EXPECT_TRUE(std::all_of(per_slice.begin(), per_slice.end(), [](int n) { return n == 1; }));
}

// ---- what lenders ask ----------------------------------------------------------------------------

// The minimal deal with a 36-month annuity loan and a quarterly DSCR covenant: the DSCR rises with
// the price, so the deal breaches exactly when the price change is below the one at which the
// least-covered test date sits on the threshold. With the change uniform on [low, high], the
// breach probability is (c* - low) / (high - low).
deal::Deal covenanted_deal() {
  auto deal = test::minimal_deal();
  deal::DebtTranche loan;
  loan.name = "senior";
  loan.amount = test::dec("6000000");
  loan.annual_rate = test::dec("0.06");
  loan.term_months = 36;
  deal.debt = {loan};
  deal.covenants.minimum_dscr = test::dec("1.3");
  return deal;
}

bool breaches(const deal::Deal& deal, double price_change) {
  const auto scenario = solve::with_change(deal, Quantity::price, price_change);
  const auto report = engine::covenant_report(scenario, engine::project<double>(scenario));
  for (const auto& test : report.tests)
    if (test.first_breach) return true;
  return false;
}

TEST(MonteCarloLenders, BreachProbabilityMatchesTheUniformLawAtTheBreakingPrice) {
  const auto deal = covenanted_deal();
  double low = -0.8, high = 0.0;
  ASSERT_TRUE(breaches(deal, low));
  ASSERT_FALSE(breaches(deal, high));
  double a = low, b = high;
  for (int i = 0; i < 60; ++i) (breaches(deal, (a + b) / 2) ? a : b) = (a + b) / 2;
  const double expected = (b - low) / (high - low);
  solve::Uncertainty u;
  u.runs = 400;
  u.sampling = deal::Sampling::latin_hypercube;  // one draw in each 1/400 slice: the count is exact to one
  u.inputs = {{Quantity::price, solve::Uniform{low, high}}};
  const auto result = solve::monte_carlo(deal, u, 2);
  EXPECT_TRUE(result.lender.covenants_from_model);
  EXPECT_NEAR(result.lender.breach_over_life.value, expected, 1.0 / 400 + 1e-12);
  EXPECT_NEAR(result.lender.breach_over_life.standard_error, std::sqrt(expected * (1 - expected) / 400), 0.003);
  // The first breach's quarters add up to the breaches over the life.
  double first = 0;
  for (const auto& q : result.lender.quarters) first += q.first_breach.value;
  EXPECT_NEAR(first, result.lender.breach_over_life.value, 1e-12);
  // What kills this deal: the price change of the first breach is the one found above, and in the
  // price's own units; NPV zero and the equity target lie where the deterministic runs put them.
  auto wider = u;  // the NPV reaches zero only above the model's price
  wider.inputs = {{Quantity::price, solve::Uniform{low, 1.0}}};
  const auto points = solve::breaking_points(deal, wider, 0.10);
  ASSERT_EQ(points.size(), 1u);
  ASSERT_TRUE(points[0].first_breach);
  EXPECT_NEAR(*points[0].first_breach, b, 1e-6);
  EXPECT_NEAR(*points[0].level(*points[0].first_breach), 30000 * (1 + b), 0.05);
  ASSERT_TRUE(points[0].npv_zero);
  EXPECT_NEAR(solve::outcome_of(solve::with_change(deal, Quantity::price, *points[0].npv_zero)).npv, 0, 1);
  ASSERT_TRUE(points[0].equity_target_missed);
  EXPECT_NEAR(*solve::outcome_of(solve::with_change(deal, Quantity::price, *points[0].equity_target_missed)).equity_irr,
              0.10, 1e-6);
  // Random draws: within four standard errors.
  u.sampling = deal::Sampling::random;
  const auto random = solve::monte_carlo(deal, u, 2);
  EXPECT_NEAR(random.lender.breach_over_life.value, expected, 4 * std::sqrt(expected * (1 - expected) / 400));
}

TEST(MonteCarloLenders, LargestDebtAtABreachLevelIsTheLastThatHoldsIt) {
  const auto deal = covenanted_deal();
  solve::Uncertainty u;
  u.runs = 200;
  u.sampling = deal::Sampling::latin_hypercube;
  u.inputs = {{Quantity::price, solve::Uniform{-0.5, 0.1}}};
  const auto found = solve::largest_debt_at_breach(deal, u, 0.2, 2);
  ASSERT_TRUE(found);
  EXPECT_FALSE(found->at_search_limit);
  EXPECT_LE(found->breach.value, 0.2);
  // The same loan checked apart: at the factor it holds, a step more does not.
  const auto breach_with_loan = [&](double factor) {
    auto scaled = deal;
    scaled.debt[0].amount = test::dec("6000000") * num::from_double<deal::Decimal>(factor);
    return solve::monte_carlo(scaled, u, 2).lender.breach_over_life.value;
  };
  EXPECT_EQ(breach_with_loan(found->factor), found->breach.value);
  EXPECT_GT(breach_with_loan(found->factor + 1.0 / 512), 0.2);
  EXPECT_NEAR(found->debt_drawn, 6000000 * found->factor, 1);
}

TEST(MonteCarloLenders, SameSeedSameResultOnAnyThreadCountWithPathsAndCorrelations) {
  auto deal = test::rich_deal();
  deal.covenants.minimum_dscr = test::dec("1.5");
  deal.covenants.maximum_ltv = test::dec("0.8");
  auto u = solve::Uncertainty::defaults();
  u.runs = 48;
  deal::MarketPath market;
  market.drift = -0.1;
  market.volatility = 0.25;
  market.generation_months = {30};
  market.generation_jump = solve::Uniform{-0.3, 0};
  u.market = market;
  u.correlations = {{"market", "residual"}, {{1, 0.7}, {0.7, 1}}};
  const auto one = solve::monte_carlo(deal, u, 1);
  const auto three = solve::monte_carlo(deal, u, 3);
  EXPECT_TRUE((one.outcomes == three.outcomes).all());
  EXPECT_EQ(one.first_breach_months, three.first_breach_months);
  EXPECT_EQ(one.lender_losses, three.lender_losses);
  ASSERT_EQ(one.lender.quarters.size(), three.lender.quarters.size());
  for (std::size_t q = 0; q < one.lender.quarters.size(); ++q) {
    EXPECT_EQ(one.lender.quarters[q].dscr_breach.value, three.lender.quarters[q].dscr_breach.value);
    EXPECT_EQ(one.lender.quarters[q].ltv_breach.value, three.lender.quarters[q].ltv_breach.value);
    EXPECT_EQ(one.lender.quarters[q].funding_shortfall.value, three.lender.quarters[q].funding_shortfall.value);
  }
  EXPECT_EQ(one.lender.expected_loss.value, three.lender.expected_loss.value);
  // The path matters: the spread of NPV is wider than without it.
  auto flat = u;
  flat.market.reset();
  flat.correlations = {};
  EXPECT_GT(one.summary(Measure::npv)->standard_deviation, solve::monte_carlo(deal, flat, 2).summary(Measure::npv)->standard_deviation);
}

TEST(MonteCarloLenders, SamplingErrorShrinksAsOneOverTheSquareRootOfTheRuns) {
  // The project NPV of this deal (no costs, tax or VAT) is linear in the price, so the true mean
  // over a uniform price change is the NPV at the mean change, and the sampling error of a run's
  // mean is sd / sqrt(runs) with sd = |slope| x the uniform's sd. Over 64 seeds the root-mean-square
  // error at 10 and at 160 runs: 16 times the runs, a quarter of the error.
  const auto deal = covenanted_deal();
  const double low = -0.5, high = 0.1;
  const double at_low = solve::outcome_of(solve::with_change(deal, Quantity::price, low)).npv;
  const double at_high = solve::outcome_of(solve::with_change(deal, Quantity::price, high)).npv;
  const double true_mean = (at_low + at_high) / 2;
  ASSERT_NEAR(solve::outcome_of(solve::with_change(deal, Quantity::price, (low + high) / 2)).npv, true_mean,
              1e-6 * std::abs(true_mean));  // linear indeed
  const double sd = std::abs(at_high - at_low) / std::sqrt(12.0);
  const auto rms_error = [&](int runs) {
    double squares = 0;
    for (std::uint64_t seed = 1; seed <= 64; ++seed) {
      solve::Uncertainty u;
      u.runs = runs;
      u.seed = seed;
      u.inputs = {{Quantity::price, solve::Uniform{low, high}}};
      const auto npv = *solve::monte_carlo(deal, u, 2).summary(Measure::npv);
      squares += (npv.mean - true_mean) * (npv.mean - true_mean);
    }
    return std::sqrt(squares / 64);
  };
  const double few = rms_error(10), many = rms_error(160);
  // Each RMS over 64 seeds is within about 9% (one standard error) of sd / sqrt(runs).
  EXPECT_NEAR(few / (sd / std::sqrt(10.0)), 1.0, 0.35);
  EXPECT_NEAR(many / (sd / std::sqrt(160.0)), 1.0, 0.35);
  EXPECT_GT(few / many, 4.0 / 1.5);
  EXPECT_LT(few / many, 4.0 * 1.5);
}

TEST(MonteCarloLenders, ShortfallsAndLossesAndConvergenceNotes) {
  // Prices cut by 60-90%: the loan cannot be served from the deal's cash.
  const auto deal = covenanted_deal();
  solve::Uncertainty u;
  u.runs = 64;
  u.inputs = {{Quantity::price, solve::Uniform{-0.9, -0.6}}};
  const auto result = solve::monte_carlo(deal, u, 2);
  EXPECT_EQ(result.lender.breach_over_life.value, 1.0);
  EXPECT_EQ(result.lender.funding_shortfall_over_life.value, 1.0);
  // No residual value: the lenders lose what is outstanding at the first shortfall.
  EXPECT_EQ(result.lender.probability_of_loss.value, 1.0);
  for (std::size_t i = 0; i < result.lender_losses.size(); ++i) EXPECT_GT(result.lender_losses[i], 0) << i;
  EXPECT_LT(result.lender.expected_loss.value, 6000000);
  EXPECT_EQ(result.convergence.size(), 3u);
  ASSERT_TRUE(result.project_payback_months || result.scenarios_without_payback == 64);
}

TEST(MonteCarloEvents, CustomerDefaultsArriveAtTheCreditClassRate) {
  // An unrated customer (3.6% a year by default) on a 36-month lease defaults within its term with
  // probability 1 - (1 - 3.6%)^3; the servers are re-leased on demand after 6 idle months.
  auto deal = covenanted_deal();
  auto& lease = std::get<deal::TakeOrPay>(deal.contracts[0]);
  lease.re_lease.mode = deal::ReLease::Mode::on_demand;
  solve::Uncertainty u;
  u.runs = 3000;
  u.events.customer_default = true;
  const auto result = solve::monte_carlo(deal, u, 2);
  const double expected = 1 - std::pow(1 - 0.036, 3);
  EXPECT_NEAR(result.customer_default_drawn.value, expected, 4 * std::sqrt(expected * (1 - expected) / 3000));
  EXPECT_EQ(result.early_termination_drawn.value, 0);
  // Scenarios without a default are the deal as modelled; the others earn less.
  const double base = solve::outcome_of(deal).npv;
  const auto npv = static_cast<Eigen::Index>(Measure::npv);
  int lower = 0;
  for (Eigen::Index i = 0; i < result.outcomes.rows(); ++i) {
    EXPECT_LE(result.outcomes(i, npv), base + 1e-6 * std::abs(base)) << i;
    lower += result.outcomes(i, npv) < base - 1;
  }
  EXPECT_NEAR(lower / 3000.0, result.customer_default_drawn.value, 1.0 / 3000);
}

TEST(UncertaintySection, ReadsEveryDistribution) {
  const auto u = io::parse_uncertainty(
      "uncertainty:\n"
      "  runs: 500\n"
      "  seed: 7\n"
      "  dscr_covenant: 1.3\n"
      "  price: {distribution: triangular, low: -15%, mode: 0%, high: 5%}\n"
      "  utilisation: {distribution: normal, mean: 0%, sd: 5%, min: -30%, max: 0%}\n"
      "  debt_rate: {distribution: uniform, low: -1%, high: 2%}\n",
      "m.yaml");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->runs, 500);
  EXPECT_EQ(u->seed, 7u);
  EXPECT_DOUBLE_EQ(u->dscr_covenant, 1.3);
  ASSERT_EQ(u->inputs.size(), 3u);
  EXPECT_EQ(u->inputs[0].input, Quantity::price);
  EXPECT_DOUBLE_EQ(std::get<solve::Triangular>(u->inputs[0].change).low, -0.15);
  EXPECT_EQ(std::get<solve::Normal>(u->inputs[1].change).max, 0.0);
  EXPECT_DOUBLE_EQ(std::get<solve::Uniform>(u->inputs[2].change).high, 0.02);
  EXPECT_FALSE(io::parse_uncertainty("deal: {name: x}\n", "m.yaml"));
}

using test::expect_uncertainty_error;

TEST(UncertaintySection, ErrorsNameFileLineColumnAndPath) {
  expect_uncertainty_error("uncertainty:\n  price: {distribution: triangular, low: 5%, mode: 0%, high: 10%}\n", 2,
               "uncertainty.price.mode", "at least low");
  expect_uncertainty_error("uncertainty:\n  runs: 100\n  prise: {distribution: uniform, low: 0%, high: 1%}\n", 3,
               "uncertainty.prise", "price");
  expect_uncertainty_error("uncertainty:\n  residual: {distribution: lognormal, low: 0%}\n", 2,
               "uncertainty.residual.distribution", "normal");
  expect_uncertainty_error("uncertainty:\n  utilisation: {distribution: normal, mean: 0%, sd: -5%}\n", 2,
               "uncertainty.utilisation.sd", "");
  expect_uncertainty_error("uncertainty:\n  price: {distribution: uniform, low: -120%, high: 0%}\n", 2, "uncertainty.price.low",
               "-100%");
  expect_uncertainty_error("uncertainty:\n  power_tariff: {distribution: normal, mean: 0%, sd: 1%, min: 50%, max: 60%}\n", 2,
               "uncertainty.power_tariff.min", "almost none");
}

TEST(UncertaintySection, ReadsTheMarketPathCorrelationsAndSampling) {
  const auto u = io::parse_uncertainty(
      "uncertainty:\n"
      "  sampling: latin_hypercube\n"
      "  residual: {distribution: uniform, low: -20%, high: 10%}\n"
      "  market:\n"
      "    drift: -5%\n"
      "    reversion: 50%\n"
      "    trend: -20%\n"
      "    volatility: 15%\n"
      "    generations: [24, 48]\n"
      "    generation_jump: {distribution: triangular, low: -25%, mode: -10%, high: 0%}\n"
      "  correlations:\n"
      "    inputs: [market, residual]\n"
      "    matrix: [[1, 0.6], [0.6, 1]]\n"
      "  events: {customer_default: true, re_lease_after: 9 months, early_termination: 2%, termination_fee_months: 6}\n",
      "m.yaml");
  ASSERT_TRUE(u && u->market);
  EXPECT_TRUE(u->events.customer_default);
  EXPECT_EQ(u->events.re_lease_after_months, 9);
  EXPECT_DOUBLE_EQ(u->events.early_termination_probability, 0.02);
  EXPECT_DOUBLE_EQ(u->events.termination_fee_months, 6);
  EXPECT_EQ(u->sampling, deal::Sampling::latin_hypercube);
  EXPECT_DOUBLE_EQ(u->market->trend, -0.2);
  EXPECT_EQ(u->market->generation_months, (std::vector<int>{24, 48}));
  EXPECT_DOUBLE_EQ(std::get<solve::Triangular>(u->market->generation_jump).mode, -0.1);
  EXPECT_EQ(u->correlations.keys, (std::vector<std::string>{"market", "residual"}));
  EXPECT_DOUBLE_EQ(u->correlations.matrix[1][0], 0.6);
}

TEST(UncertaintySection, MarketAndCorrelationErrorsAreLocated) {
  const std::string two = "uncertainty:\n  price: {distribution: uniform, low: 0%, high: 1%}\n"
                          "  residual: {distribution: uniform, low: 0%, high: 1%}\n"
                          "  server_price: {distribution: uniform, low: 0%, high: 1%}\n";
  expect_uncertainty_error(two + "  correlations:\n    inputs: [price, residual]\n    matrix: [[1, 0.5], [0.4, 1]]\n", 7,
               "uncertainty.correlations.matrix[1][0]", "symmetric");
  expect_uncertainty_error(two + "  correlations:\n    inputs: [price, residual]\n    matrix: [[0.9, 0.5], [0.5, 1]]\n", 7,
               "uncertainty.correlations.matrix[0][0]", "diagonal");
  expect_uncertainty_error(two + "  correlations:\n    inputs: [price, power_tariff]\n    matrix: [[1, 0], [0, 1]]\n", 6,
               "uncertainty.correlations.inputs[1]", "draws");
  expect_uncertainty_error(two + "  correlations:\n    inputs: [price, residual, server_price]\n"
                     "    matrix: [[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]]\n",
               7, "uncertainty.correlations.matrix", "positive semi-definite");
  expect_uncertainty_error("uncertainty:\n  market:\n    volatility: 20%\n    generations: [24, 12]\n", 4,
               "uncertainty.market.generations[1]", "after");
  expect_uncertainty_error("uncertainty:\n  market:\n    generations: [24]\n", 3, "uncertainty.market.generations",
               "generation_jump");
  expect_uncertainty_error("uncertainty:\n  market:\n    volatility: 20%\n    paths: [[1, 0.9]]\n", 4, "uncertainty.market.paths",
               "one or the other");
  expect_uncertainty_error("uncertainty:\n  sampling: halton\n", 2, "uncertainty.sampling", "latin_hypercube");
  expect_uncertainty_error("uncertainty:\n  events: {termination_fee_months: 6}\n", 2, "uncertainty.events.termination_fee_months",
               "early_termination");
}

// A bundled model's text without its own uncertainty section (the file's last).
std::string without_uncertainty(const std::filesystem::path& model) {
  std::ifstream file(model);
  std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  const auto section = text.find("\nuncertainty:\n");
  return section == std::string::npos ? text : text.substr(0, section + 1);
}

TEST(UncertaintySection, TheDealLoaderAcceptsIt) {
  std::string text = without_uncertainty(models / "guosen-2025-standard-10k.yaml");
  text += "uncertainty:\n  runs: 10\n";
  const auto catalogue = io::load_catalogue(models / "catalog" / "gpus.yaml");
  EXPECT_NO_THROW((void)io::parse_deal(text, "m.yaml", catalogue));
}

TEST(MonteCarloCli, SameAnswerOnOneAndTwoThreadsAndClearErrors) {
  const auto model = "'" + (models / "guosen-2025-standard-10k.yaml").string() + "'";
  const auto one = test::run_leasecalc("montecarlo " + model + " --runs 300 --seed 5 --threads 1 --format json");
  const auto two = test::run_leasecalc("montecarlo " + model + " --runs 300 --seed 5 --threads 2 --format json");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  EXPECT_EQ(one.out, two.out);
  const auto document = nlohmann::json::parse(one.out);
  EXPECT_EQ(document["runs"], 300);
  EXPECT_TRUE(document["uncertainty_from_model"].get<bool>());  // the model's own section
  EXPECT_EQ(document["sampling"], "latin_hypercube");
  EXPECT_TRUE(document["lender"]["breach_over_life"].contains("standard_error"));
  EXPECT_EQ(document["measures"]["project_irr"]["scenarios"], 300);

  const auto table = test::run_leasecalc("montecarlo " + model + " --runs 100");
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("Probability that the project NPV is negative"), std::string::npos);
  EXPECT_NE(table.out.find("What lenders ask"), std::string::npos);

  // --scenarios keeps every scenario, one a row.
  const auto kept = std::filesystem::temp_directory_path() / "leasecalc-montecarlo-scenarios.csv";
  const auto with_file = test::run_leasecalc("montecarlo " + model + " --runs 40 --sampling random --format csv --scenarios '" +
                                             kept.string() + "'");
  ASSERT_EQ(with_file.exit_code, 0) << with_file.err;
  std::ifstream rows(kept);
  std::string header, row;
  std::getline(rows, header);
  EXPECT_EQ(header.rfind("scenario,", 0), 0u) << header;
  int count = 0;
  while (std::getline(rows, row)) ++count;
  EXPECT_EQ(count, 40);
  std::filesystem::remove(kept);
  EXPECT_EQ(test::run_leasecalc("montecarlo " + model + " --sampling halton").exit_code, 2);

  for (const std::string& args : {"montecarlo " + model + " --runs 0", "montecarlo " + model + " --threads x",
                                 "montecarlo " + model + " --seed -1", std::string("montecarlo")})
    EXPECT_EQ(test::run_leasecalc(args).exit_code, 2) << args;

  const auto dir = std::filesystem::temp_directory_path() / "leasecalc-montecarlo-test";
  std::filesystem::create_directories(dir / "catalog");
  std::filesystem::copy_file(models / "catalog" / "gpus.yaml", dir / "catalog" / "gpus.yaml",
                             std::filesystem::copy_options::overwrite_existing);
  const std::string text = without_uncertainty(models / "guosen-2025-standard-10k.yaml");
  const int line = static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 2;
  std::ofstream(dir / "bad.yaml") << text << "uncertainty:\n  seed: 1\n  price: {distribution: uniform, low: 5%, high: 1%}\n";
  const auto bad = test::run_leasecalc("montecarlo '" + (dir / "bad.yaml").string() + "'");
  std::filesystem::remove_all(dir);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("bad.yaml:" + std::to_string(line + 1) + ":"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("uncertainty.price.high"), std::string::npos) << bad.err;
}

}  // namespace
