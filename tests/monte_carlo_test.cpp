// Monte Carlo ranges: degenerate distributions against the deterministic run, reproducibility on
// any thread count, sample moments against the distributions' own, percentiles, scenarios without
// an IRR, the `uncertainty:` section's validation, and `leasecalc montecarlo` end to end.
#include <leasecalc/io/input_error.hpp>
#include <leasecalc/io/load_deal.hpp>
#include <leasecalc/io/load_uncertainty.hpp>
#include <leasecalc/solve/monte_carlo.hpp>

#include "support/cli.hpp"
#include "support/deals.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <string>

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

void expect_error(const std::string& text, int line, const std::string& path, const std::string& words) {
  try {
    (void)io::parse_uncertainty(text, "m.yaml");
    ADD_FAILURE() << "accepted: " << text;
  } catch (const io::InputError& error) {
    EXPECT_EQ(error.line(), line) << error.what();
    EXPECT_EQ(error.path(), path) << error.what();
    EXPECT_NE(std::string(error.what()).find(words), std::string::npos) << error.what();
    EXPECT_EQ(std::string(error.what()).rfind("m.yaml:" + std::to_string(line) + ":", 0), 0u) << error.what();
  }
}

TEST(UncertaintySection, ErrorsNameFileLineColumnAndPath) {
  expect_error("uncertainty:\n  price: {distribution: triangular, low: 5%, mode: 0%, high: 10%}\n", 2,
               "uncertainty.price.mode", "at least low");
  expect_error("uncertainty:\n  runs: 100\n  prise: {distribution: uniform, low: 0%, high: 1%}\n", 3,
               "uncertainty.prise", "price");
  expect_error("uncertainty:\n  residual: {distribution: lognormal, low: 0%}\n", 2,
               "uncertainty.residual.distribution", "normal");
  expect_error("uncertainty:\n  utilisation: {distribution: normal, mean: 0%, sd: -5%}\n", 2,
               "uncertainty.utilisation.sd", "");
  expect_error("uncertainty:\n  price: {distribution: uniform, low: -120%, high: 0%}\n", 2, "uncertainty.price.low",
               "-100%");
  expect_error("uncertainty:\n  power_tariff: {distribution: normal, mean: 0%, sd: 1%, min: 50%, max: 60%}\n", 2,
               "uncertainty.power_tariff.min", "almost none");
}

TEST(UncertaintySection, TheDealLoaderAcceptsIt) {
  std::ifstream file(models / "guosen-2025-standard-10k.yaml");
  std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
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
  EXPECT_FALSE(document["uncertainty_from_model"].get<bool>());
  EXPECT_EQ(document["measures"]["project_irr"]["scenarios"], 300);

  const auto table = test::run_leasecalc("montecarlo " + model + " --runs 100");
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("Probability that the project NPV is negative"), std::string::npos);

  for (const std::string& args : {"montecarlo " + model + " --runs 0", "montecarlo " + model + " --threads x",
                                 "montecarlo " + model + " --seed -1", std::string("montecarlo")})
    EXPECT_EQ(test::run_leasecalc(args).exit_code, 2) << args;

  const auto dir = std::filesystem::temp_directory_path() / "leasecalc-montecarlo-test";
  std::filesystem::create_directories(dir / "catalog");
  std::filesystem::copy_file(models / "catalog" / "gpus.yaml", dir / "catalog" / "gpus.yaml",
                             std::filesystem::copy_options::overwrite_existing);
  std::ifstream file(models / "guosen-2025-standard-10k.yaml");
  std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  const int line = static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 2;
  std::ofstream(dir / "bad.yaml") << text << "uncertainty:\n  seed: 1\n  price: {distribution: uniform, low: 5%, high: 1%}\n";
  const auto bad = test::run_leasecalc("montecarlo '" + (dir / "bad.yaml").string() + "'");
  std::filesystem::remove_all(dir);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("bad.yaml:" + std::to_string(line + 1) + ":"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("uncertainty.price.high"), std::string::npos) << bad.err;
}

}  // namespace
