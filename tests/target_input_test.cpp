// solve::input_for_target: the input at which a measure meets a target, on functions whose root
// is known, and on a model re-run at the solved value.
#include <leasecalc/io/load_deal.hpp>
#include <leasecalc/report/reproduce.hpp>
#include <leasecalc/solve/target_input.hpp>
#include <leasecalc/solve/variants.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

namespace {
using namespace leasecalc;

TEST(InputForTarget, FindsTheRootOfAStraightLine) {
  const auto solution = solve::input_for_target([](double x) { return std::optional(0.3 - 2 * x); }, 0.15, 0, 1);
  ASSERT_TRUE(solution.value);
  EXPECT_NEAR(*solution.value, 0.075, 1e-15);
  EXPECT_NEAR(*solution.measured, 0.15, 1e-15);
}

TEST(InputForTarget, FindsTheRootOfACurveBetweenSamples) {
  // x^3 = 2 in [0, 10]: the root lies inside the first sampled step.
  const auto solution = solve::input_for_target([](double x) { return std::optional(x * x * x); }, 2, 0, 10);
  ASSERT_TRUE(solution.value);
  EXPECT_NEAR(*solution.value, std::cbrt(2.0), 1e-14);
}

TEST(InputForTarget, TakesTheLowestCrossing) {
  // sin crosses 0.5 at pi/6 and 5pi/6 in [0, pi].
  const auto solution = solve::input_for_target([](double x) { return std::optional(std::sin(x)); }, 0.5, 0, M_PI);
  ASSERT_TRUE(solution.value);
  EXPECT_NEAR(*solution.value, M_PI / 6, 1e-14);
}

TEST(InputForTarget, SaysWhenTheTargetIsNotReachedInTheRange) {
  const auto solution = solve::input_for_target([](double x) { return std::optional(1 + x); }, 0.5, 0, 2);
  EXPECT_FALSE(solution.value);
  EXPECT_FALSE(solution.measured);
  ASSERT_TRUE(solution.lowest && solution.highest);
  EXPECT_DOUBLE_EQ(*solution.lowest, 1);
  EXPECT_DOUBLE_EQ(*solution.highest, 3);
}

TEST(InputForTarget, SkipsInputsWithoutAMeasure) {
  // No measure below 0.25 (a margin without revenue): the root at 0.5 is still found.
  const auto measure = [](double x) { return x < 0.25 ? std::nullopt : std::optional(x); };
  const auto solution = solve::input_for_target(measure, 0.5, 0, 1);
  ASSERT_TRUE(solution.value);
  EXPECT_NEAR(*solution.value, 0.5, 1e-15);
  const auto none = solve::input_for_target([](double) { return std::optional<double>(); }, 0.5, 0, 1);
  EXPECT_FALSE(none.value);
  EXPECT_FALSE(none.lowest);
}

TEST(InputForTarget, ReturnsAnEndThatMeetsTheTarget) {
  const auto solution = solve::input_for_target([](double x) { return std::optional(x); }, 1, 0, 1);
  ASSERT_TRUE(solution.value);
  EXPECT_DOUBLE_EQ(*solution.value, 1);
}

// On a model: the debt rate at which the net margin on lease revenue is 15%, re-run in the exact
// ledger at the solved rate.
TEST(InputForTarget, SolvesADealsInputAndTheRerunMeetsTheTarget) {
  const deal::Deal deal =
      io::load_deal(std::filesystem::path(LEASECALC_SOURCE_DIR) / "models" / "guosen-2025-standard-10k.yaml");
  const auto change = [](const deal::Deal& d, double rate) {
    return solve::with_debt_rate(d, num::from_double<deal::Decimal>(rate));
  };
  const auto margin = [](const deal::Deal& d) { return report::accrual_view(engine::project<double>(d)).net_margin; };
  const auto solution = solve::input_for_target(deal, change, margin, 0.15, 0, 0.3);
  ASSERT_TRUE(solution.value);
  const auto rerun = report::accrual_view(engine::project<num::Decimal>(change(deal, *solution.value)));
  EXPECT_NEAR(*rerun.net_margin, 0.15, 1e-10);
  // Not reachable between the report's 4% and 5%.
  const auto narrow = solve::input_for_target(deal, change, margin, 0.15, 0.04, 0.05);
  EXPECT_FALSE(narrow.value);
  EXPECT_GT(*narrow.lowest, 0.15);
}

}  // namespace
