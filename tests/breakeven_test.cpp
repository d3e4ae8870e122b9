// Break-even and bid prices: a closed form for the simplest lease, the round trip (the deal
// re-priced at the solved price earns exactly the target IRR, on every basis), and
// `leasecalc run --target-irr` end to end.
#include <leasecalc/engine/metrics.hpp>
#include <leasecalc/engine/project.hpp>
#include <leasecalc/io/load_deal.hpp>
#include <leasecalc/solve/breakeven.hpp>

#include "support/cli.hpp"
#include "support/deals.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <string>

namespace {
using namespace leasecalc;
using solve::ReturnBasis;
using test::dec;

const std::filesystem::path models = std::filesystem::path(LEASECALC_SOURCE_DIR) / "models";

// The minimal deal: 10 servers bought for 1M each, leased for 36 months, billed in advance, no
// costs or tax. Cash lands at month ends, so the capex and the first rent share month 0 and the
// break-even rent at an annual rate r is 1M over the annuity-due factor sum_{m<36} v^m, with
// v = (1 + r)^(-1/12): P = 1M (1 - v) / (1 - v^36), or 1M / 36 at r = 0.
double minimal_deal_break_even_rent(double annual_rate) {
  if (annual_rate == 0) return 1e6 / 36;
  const double v = std::pow(1 + annual_rate, -1.0 / 12);
  return 1e6 * (1 - v) / (1 - std::pow(v, 36));
}

// The ledger books each month's invoice for the 10 servers to the cent, so the NPV moves in
// cent steps and the break-even rent is found to a tenth of a cent per server-month.
constexpr double invoice_cent_per_server = 0.01 / 10;
constexpr double invoice_cent_as_factor = invoice_cent_per_server / 30000;

TEST(BreakEvenPrice, MinimalLeaseMatchesTheAnnuityDueClosedForm) {
  const auto deal = test::minimal_deal();  // quoted at 30,000 a server-month
  for (const double rate : {0.0, 0.08, 0.12, 0.35}) {
    for (const auto basis : {ReturnBasis::project_post_tax, ReturnBasis::project_pre_tax}) {
      const auto solution = solve::price_factor_for_return(deal, rate, basis);
      ASSERT_TRUE(solution.factor) << solution.note;
      EXPECT_NEAR(30000 * *solution.factor, minimal_deal_break_even_rent(rate), invoice_cent_per_server)
          << "rate " << rate;
    }
  }
}

TEST(BreakEvenPrice, MinimalLeaseBreakEvenVolumeIsTheSameFactor) {
  // With one contract and no costs that depend on use, billing fewer servers is the same as a
  // lower price: both scale the rent.
  const auto deal = test::minimal_deal();
  const auto price = solve::price_factor_for_return(deal, 0.12);
  const auto volume = solve::volume_factor_for_return(deal, 0.12);
  ASSERT_TRUE(price.factor && volume.factor);
  EXPECT_NEAR(*volume.factor, minimal_deal_break_even_rent(0.12) / 30000, invoice_cent_as_factor);
  EXPECT_NEAR(*price.factor, *volume.factor, invoice_cent_as_factor);
}

std::optional<double> irr_of(const engine::Metrics<double>& metrics, ReturnBasis basis) {
  switch (basis) {
    case ReturnBasis::project_post_tax: return metrics.project_irr_post_tax.rate;
    case ReturnBasis::project_pre_tax: return metrics.project_irr_pre_tax.rate;
    case ReturnBasis::equity: return metrics.equity_irr.rate;
  }
  return std::nullopt;
}

// The solver and the metrics must speak of the same flows: re-priced at the solved factor, the
// deal's reported IRR on that basis is the target.
TEST(BreakEvenPrice, RepricedDealEarnsTheTargetOnEveryBasis) {
  for (const auto& deal : {test::minimal_deal(), test::rich_deal()}) {
    for (const auto basis : {ReturnBasis::project_post_tax, ReturnBasis::project_pre_tax, ReturnBasis::equity}) {
      for (const double target : {0.05, 0.12, 0.20}) {
        const auto solution = solve::price_factor_for_return(deal, target, basis);
        ASSERT_TRUE(solution.factor) << deal.name << ": " << solution.note;
        const auto repriced = solve::with_price_factor(deal, num::from_double<deal::Decimal>(*solution.factor));
        const auto metrics = engine::metrics(repriced, engine::project<double>(repriced));
        const auto irr = irr_of(metrics, basis);
        ASSERT_TRUE(irr) << deal.name << " " << solve::names_of(basis).name;
        EXPECT_NEAR(*irr, target, 1e-7) << deal.name << " " << solve::names_of(basis).name << " at " << target;
      }
    }
  }
}

TEST(BreakEvenPrice, HigherTargetsNeedHigherPrices) {
  const auto deal = test::rich_deal();
  double previous = 0;
  for (const double target : {0.0, 0.05, 0.10, 0.15, 0.25}) {
    const auto solution = solve::price_factor_for_return(deal, target, ReturnBasis::equity);
    ASSERT_TRUE(solution.factor) << solution.note;
    EXPECT_GT(*solution.factor, previous) << target;
    previous = *solution.factor;
  }
}

TEST(BreakEvenPrice, ATargetNoPriceReachesSaysSo) {
  auto deal = test::minimal_deal();
  deal.contracts.clear();  // nothing to re-price: the NPV never reaches zero
  const auto solution = solve::price_factor_for_return(deal, 0.08);
  EXPECT_FALSE(solution.factor);
  EXPECT_NE(solution.note.find("no factor"), std::string::npos) << solution.note;
}

// ---- the fast solve ---------------------------------------------------------------------------

// One scaled input's NPV as the break-even solves see it, counting the projections.
struct CountedNpv {
  const deal::Deal& deal;
  bool volume;
  double annual_rate;
  int projections = 0;
  double operator()(double factor) {
    ++projections;
    const auto f = num::from_double<deal::Decimal>(factor);
    return solve::npv(volume ? solve::with_volume_factor(deal, f) : solve::with_price_factor(deal, f),
                      ReturnBasis::project_post_tax, annual_rate);
  }
};

// What one fast solve took, beside the tight one.
struct FastSolve {
  std::optional<double> factor;
  int projections = 0;           // from the NPV at factor 1, as a quote starts
  bool root_in_another_piece = false;  // a secant step from factor 1 and a point beside it misses the root
};

// The fast solve (the secant method from the deal's own NPV, regula falsi when it strays) against
// TOMS 748 to 2^-44: the same factor within the fast mode's 1e-6 (docs/metrics.md), or the same
// note when there is none.
FastSolve fast_beside_tight(const deal::Deal& deal, bool volume, double annual_rate, const std::string& what,
                            std::optional<double> first_guess = std::nullopt) {
  CountedNpv npv_at{deal, volume, annual_rate};
  const double at_one = npv_at(1.0);
  const auto tight = solve::solve_factor(std::ref(npv_at));
  npv_at.projections = 0;
  const auto fast = solve::solve_factor(std::ref(npv_at), solve::SolvePrecision::fast, at_one, first_guess);
  FastSolve result{fast.factor, npv_at.projections};
  EXPECT_EQ(fast.factor.has_value(), tight.factor.has_value()) << what << ": " << fast.note << " / " << tight.note;
  EXPECT_EQ(fast.note, tight.note) << what;
  if (!tight.factor || !fast.factor) return result;
  EXPECT_NEAR(*fast.factor, *tight.factor, 1e-6 * *tight.factor) << what;
  const double beside = at_one > 0 ? 1 - 1e-3 : 1 + 1e-3;
  const double slope_at_one = (at_one - npv_at(beside)) / (1 - beside);
  result.root_in_another_piece = std::abs(1 - at_one / slope_at_one - *tight.factor) > 1e-6 * *tight.factor;
  return result;
}

// Every bundled model, price and then volume (from the price factor, as a report solves them):
// where there is a break-even, at most five projections from the model's own NPV where regula
// falsi from factor 0 took five to seven.
TEST(FastBreakEven, AgreesWithTheTightSolveOnEveryBundledModel) {
  int solved = 0, roots_in_another_piece = 0;
  for (const auto& entry : std::filesystem::directory_iterator(models)) {
    if (entry.path().extension() != ".yaml") continue;
    const auto deal = io::load_deal(entry.path());
    const double rate = num::to_double(deal.discount_rate);
    const std::string name = entry.path().filename().string();
    const FastSolve price = fast_beside_tight(deal, false, rate, name + " price");
    const FastSolve volume = fast_beside_tight(deal, true, rate, name + " volume", price.factor);
    for (const FastSolve& solve : {price, volume}) {
      if (!solve.factor) continue;
      ++solved;
      roots_in_another_piece += solve.root_in_another_piece;
      EXPECT_LE(solve.projections, 5) << name;
    }
    // Take-or-pay only, no cost following the servers billed: the price factor is the volume's.
    if (name == "guosen-2025-standard-10k.yaml") {
      EXPECT_EQ(volume.projections, 1);
    }
  }
  EXPECT_GE(solved, 14);
  EXPECT_GE(roots_in_another_piece, 10);  // the secant's later steps are exercised, not only its first
}

// The rich deal carries tax losses forward five years, so its NPV bends where a tax year's income
// turns negative or its losses run out; across target rates the root moves through those pieces.
TEST(FastBreakEven, AgreesWithTheTightSolveWhereLossesCarriedBendTheNpv) {
  const auto deal = test::rich_deal();
  int roots_in_another_piece = 0;
  for (const double rate : {0.0, 0.05, 0.10, 0.15, 0.20, 0.30, 0.50}) {
    const std::string what = "rich deal at " + std::to_string(rate);
    const FastSolve price = fast_beside_tight(deal, false, rate, what + " price");
    const FastSolve volume = fast_beside_tight(deal, true, rate, what + " volume", price.factor);
    for (const FastSolve& solve : {price, volume}) {
      EXPECT_LE(solve.projections, 6) << what;
      roots_in_another_piece += solve.root_in_another_piece;
    }
  }
  EXPECT_GE(roots_in_another_piece, 4);
}

// The fast solve says what the tight one says when no factor will do, and a first guess far off
// (or at the deal itself) costs projections, not the answer.
TEST(FastBreakEven, SaysWhenThereIsNoFactorAndSurvivesABadGuess) {
  auto none = test::minimal_deal();
  none.contracts.clear();  // nothing to scale: the NPV never moves
  EXPECT_FALSE(fast_beside_tight(none, false, 0.08, "no contracts").factor);
  const auto deal = test::rich_deal();
  for (const double guess : {1e-6, 0.5, 1.0, 3.0, 1e6})
    EXPECT_TRUE(fast_beside_tight(deal, true, 0.12, "rich deal from " + std::to_string(guess), guess).factor);
}

// ---- leasecalc run --target-irr --------------------------------------------------------------

std::string standard_model() { return "'" + (models / "guosen-2025-standard-10k.yaml").string() + "'"; }

TEST(RunTargetIrr, DefaultsToAPostTaxProjectIrrOfTheDiscountRate) {
  const auto run = test::run_leasecalc("run " + standard_model() + " --format json --fast");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto doc = nlohmann::json::parse(run.out);
  EXPECT_EQ(doc["break_even"]["basis"], "project_post_tax");
  EXPECT_DOUBLE_EQ(doc["break_even"]["target_irr"].get<double>(), doc["deal"]["discount_rate"].get<double>());
}

TEST(RunTargetIrr, AnEquityTargetNeedsALowerPriceThanTheSameProjectTargetUnderCheapDebt) {
  // 85% debt at 5%: leverage lifts the equity IRR above the project IRR, so 12% on equity is
  // reached at a lower price than 12% on the project.
  const auto project = nlohmann::json::parse(
      test::run_leasecalc("run " + standard_model() + " --format json --fast --target-irr 12%").out);
  const auto equity = nlohmann::json::parse(
      test::run_leasecalc("run " + standard_model() + " --format json --fast --target-irr 12% --basis equity").out);
  EXPECT_EQ(equity["break_even"]["basis"], "equity");
  EXPECT_DOUBLE_EQ(equity["break_even"]["target_irr"].get<double>(), 0.12);
  const double at_project = project["break_even"]["prices"][0]["break_even_price"];
  const double at_equity = equity["break_even"]["prices"][0]["break_even_price"];
  EXPECT_LT(at_equity, at_project);
  EXPECT_GT(at_equity, 0);
}

// The rate is read in the grammar of model files: a percentage, basis points or the plain fraction.
TEST(RunTargetIrr, APlainFractionIsTheSameRateAsItsPercentage) {
  const auto as_percent = nlohmann::json::parse(
      test::run_leasecalc("run " + standard_model() + " --format json --fast --target-irr 12%").out);
  for (const char* same : {"0.12", "1200bp"}) {
    const auto run = test::run_leasecalc("run " + standard_model() + " --format json --fast --target-irr " + same);
    ASSERT_EQ(run.exit_code, 0) << same << ": " << run.err;
    const auto doc = nlohmann::json::parse(run.out);
    EXPECT_DOUBLE_EQ(doc["break_even"]["target_irr"].get<double>(), 0.12) << same;
    EXPECT_EQ(doc["break_even"]["prices"], as_percent["break_even"]["prices"]) << same;
  }
}

TEST(RunTargetIrr, TableNamesTheTarget) {
  const auto run = test::run_leasecalc("run " + standard_model() + " --fast --target-irr 12% --basis equity");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("earn the target, equity IRR 12.00%"), std::string::npos) << run.out;
}

TEST(RunTargetIrr, BadValuesAreUsageErrors) {
  for (const char* bad : {"--target-irr 12", "--target-irr -100%", "--target-irr twelve", "--target-irr",
                          "--target-irr +-12%", "--target-irr 12%%",
                          "--basis firm", "--basis"}) {
    const auto run = test::run_leasecalc("run " + standard_model() + " " + bad);
    EXPECT_EQ(run.exit_code, 2) << bad;
    EXPECT_EQ(run.out, "") << bad;
    EXPECT_NE(run.err.find(std::string(bad).substr(0, std::string(bad).find(' '))), std::string::npos) << bad << ": " << run.err;
  }
}

}  // namespace
