// `leasecalc compare` and the rent-versus-build case: the models' arithmetic, the crossover
// against its closed form, the schema for a company that rents instead of owning, and the command
// end to end.
#include <leasecalc/engine/project.hpp>
#include <leasecalc/io/input_error.hpp>
#include <leasecalc/io/load_deal.hpp>
#include <leasecalc/report/compare.hpp>
#include <leasecalc/solve/crossover.hpp>

#include "support/cli.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace {
using namespace leasecalc;
using engine::Line;

const std::filesystem::path models = std::filesystem::path(LEASECALC_SOURCE_DIR) / "models";

deal::Deal rent() { return io::load_deal(models / "rent-vs-build-rent.yaml"); }
deal::Deal build() { return io::load_deal(models / "rent-vs-build-build.yaml"); }

// The report's table, with its arithmetic done right.
constexpr double rent_a_month = 100 * 150 * 30;        // 450,000, not 150,000
constexpr double build_upfront = 100 * 80000 + 2e6;    // GPUs and machine room
constexpr double build_a_month = 80000;                // power, cooling, maintenance
constexpr double horizon = 36;

TEST(RentVersusBuild, ModelsComputeTheReportsFiguresRight) {
  const auto renting = engine::project<num::Decimal>(rent());
  EXPECT_EQ(num::to_double(renting(Line::other_running_costs, 0)), -rent_a_month);
  EXPECT_EQ(num::to_double(renting.total(Line::capex)), 0.0);

  const auto building = engine::project<num::Decimal>(build());
  EXPECT_NEAR(num::to_double(-building.total(Line::capex)), build_upfront, 0.01);
  EXPECT_NEAR(num::to_double(building(Line::other_running_costs, 0)), -build_a_month, 0.01);
  // 10 million over 3 years is 3.33 million a year (8 million of GPUs alone: 2.67 million), not 8.
  EXPECT_NEAR(num::to_double(-building.total(Line::book_depreciation, 0, 12)), build_upfront / 3, 0.01);
}

TEST(RentVersusBuild, CrossoverMatchesTheClosedForm) {
  const auto crossover = solve::crossover_month(rent(), build());
  ASSERT_TRUE(crossover.months.has_value()) << crossover.note;
  EXPECT_NEAR(*crossover.months, build_upfront / (rent_a_month - build_a_month), 1e-9);  // 27.03
  EXPECT_TRUE(crossover.note.empty());
}

TEST(RentVersusBuild, RentingPaysForWhatIsUsed) {
  const auto scale = num::from_string<deal::Decimal>("0.8");
  const auto crossover = solve::crossover_month(solve::with_usage_factor(rent(), scale),
                                                solve::with_usage_factor(build(), scale));
  ASSERT_TRUE(crossover.months.has_value());
  EXPECT_NEAR(*crossover.months, build_upfront / (0.8 * rent_a_month - build_a_month), 1e-9);  // 35.7
  // At 70% building is not ahead within the 36 months: 10M / (315k - 80k) = 42.6 months.
  const auto late = solve::crossover_month(solve::with_usage_factor(rent(), num::from_string<deal::Decimal>("0.7")),
                                           solve::with_usage_factor(build(), num::from_string<deal::Decimal>("0.7")));
  EXPECT_FALSE(late.months.has_value());
}

TEST(RentVersusBuild, BreakEvenUseEqualsTheLifeCosts) {
  const auto use = solve::break_even_usage(rent(), build());
  ASSERT_TRUE(use.usage_factor.has_value()) << use.note;
  // u x 450,000 x 36 = 10M + 80,000 x 36 (to within the monthly rent's rounding to the cent).
  EXPECT_NEAR(*use.usage_factor, (build_upfront + build_a_month * horizon) / (rent_a_month * horizon), 1e-7);
  EXPECT_TRUE(use.challenger_ahead_above);
}

TEST(RentVersusBuild, RenterIsAheadOnlyUntilTheCrossover) {
  // The other way round, renting leads from the first month and loses the lead for good.
  const auto crossover = solve::crossover_month(build(), rent());
  EXPECT_FALSE(crossover.months.has_value());
}

TEST(Compare, SummariesGiveCostAndCostPerGpuHour) {
  const auto report = report::make_compare_report({{"rent", rent()}, {"build", build()}});
  ASSERT_EQ(report.deals.size(), 2u);
  const auto& renting = report.deals[0];
  const auto& building = report.deals[1];
  EXPECT_NEAR(renting.total_cost, rent_a_month * horizon, 0.01);
  EXPECT_NEAR(building.total_cost, build_upfront + build_a_month * horizon, 0.01);
  const double gpu_hours = 100 * 730 * horizon;
  EXPECT_NEAR(renting.gpu_hours, gpu_hours, 1e-6);
  EXPECT_NEAR(building.gpu_hours, gpu_hours, 1e-6);
  EXPECT_NEAR(*renting.cost_per_gpu_hour, rent_a_month * horizon / gpu_hours, 1e-9);
  // Valued on cost: no revenue, so no IRR and no margin, said rather than a number.
  EXPECT_FALSE(renting.run.metrics.project_irr_post_tax.rate.has_value());
  EXPECT_FALSE(renting.run.metrics.project_irr_post_tax.note.empty());
  EXPECT_FALSE(building.run.metrics.net_margin.back().has_value());
  ASSERT_EQ(report.crossovers.size(), 1u);
  EXPECT_NEAR(*report.crossovers[0].at_model_use.months, 10e6 / 370e3, 1e-9);
}

TEST(Compare, DealsInAnotherCurrencyHaveNoCrossover) {
  const auto report = report::make_compare_report(
      {{"rent", rent()}, {"us", io::load_deal(models / "us-h100-take-or-pay.yaml")}});
  EXPECT_FALSE(report.same_currency);
  EXPECT_TRUE(report.crossovers.empty());
}

// ---- the schema additions --------------------------------------------------------------------

const char* catalogue_text = R"(skus:
  - {name: GPU-1x, description: one GPU, unit: server, gpus_per_unit: 1, list_price: 80k CNY, load_power: 1 kW, idle_power: 0.4 kW}
)";

deal::Deal parse(const std::string& cluster_and_costs) {
  const std::string text = "deal: {name: t, currency: CNY, start: 2025-01-01, horizon: 12 months}\n" +
                           cluster_and_costs +
                           "depreciation: {book: {method: straight_line, life: 12 months}}\ntax: {income_tax: 0%}\n";
  return io::parse_deal(text, "t.yaml", io::parse_catalogue(catalogue_text, "gpus.yaml"));
}

TEST(RentedGpus, ChargeFollowsTheUtilisationCurve) {
  const auto deal = parse(
      "cluster: {sku: GPU-1x, servers: 0}\n"
      "running_costs:\n  other:\n    - name: rent\n      rented_gpus: {gpus: 10, price: 2 CNY/GPU-hour,\n"
      "        utilisation: [{month: 0, value: 50%}, {month: 10, value: 100%}]}\n");
  const auto ledger = engine::project<num::Decimal>(deal);
  // 10 GPUs x 2 CNY x 730 hours x the month's share used.
  EXPECT_NEAR(num::to_double(ledger.running_cost(0, 0)), -10 * 2 * 730 * 0.5, 1e-9);
  EXPECT_NEAR(num::to_double(ledger.running_cost(0, 5)), -10 * 2 * 730 * 0.75, 1e-9);
  EXPECT_NEAR(num::to_double(ledger.running_cost(0, 11)), -10 * 2 * 730 * 1.0, 1e-9);
}

TEST(RentedGpus, LoaderRejectsWhatAFleetlessDealCannotHave) {
  EXPECT_THROW(parse("cluster: {sku: GPU-1x, servers: 0, extra_capex: [{name: room, amount: 1M CNY}]}\n"),
               io::InputError);
  EXPECT_THROW(parse("cluster: {sku: GPU-1x, servers: 0}\n"
                     "contracts:\n  - on_demand: {name: x, servers: 1, start: 2025-01-01, price: 1 CNY/GPU-hour}\n"),
               io::InputError);
  try {
    parse("cluster: {sku: GPU-1x, servers: 0}\n"
          "running_costs: {other: [{name: rent, rented_gpus: {gpus: 10, price: 5 CNY/kWh}}]}\n");
    FAIL() << "a rent per kWh was accepted";
  } catch (const io::InputError& error) {
    EXPECT_NE(std::string(error.what()).find("rented_gpus.price"), std::string::npos) << error.what();
  }
}

// ---- the command -------------------------------------------------------------------------------

// The command's output, standard error after standard output.
leasecalc::test::CliRun leasecalc(const std::string& args) {
  auto run = leasecalc::test::run_leasecalc(args);
  run.out += run.err;
  return run;
}

std::string model_args() {
  return "'" + (models / "rent-vs-build-rent.yaml").string() + "' '" + (models / "rent-vs-build-build.yaml").string() + "'";
}

TEST(CompareCli, TablePrintsTheCrossover) {
  const auto run = leasecalc("compare " + model_args());
  ASSERT_EQ(run.exit_code, 0) << run.out;
  EXPECT_NE(run.out.find("B - A"), std::string::npos);
  EXPECT_NE(run.out.find("27.0 months"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("79.5%"), std::string::npos) << run.out;
}

TEST(CompareCli, JsonAndCsvCarryTheDifferences) {
  const auto json = leasecalc("compare " + model_args() + " --format json");
  ASSERT_EQ(json.exit_code, 0) << json.out;
  const auto document = nlohmann::json::parse(json.out);
  EXPECT_EQ(document["schema"], "leasecalc.compare/1");
  EXPECT_NEAR(document["differences"][0]["values"]["total_cost"].get<double>(),
              (build_upfront + build_a_month * horizon) - rent_a_month * horizon, 0.01);
  EXPECT_NEAR(document["crossovers"][0]["break_even_use"]["usage_factor"].get<double>(), 12.88 / 16.2, 1e-7);

  const auto csv = leasecalc("compare " + model_args() + " --format csv");
  ASSERT_EQ(csv.exit_code, 0);
  EXPECT_EQ(csv.out.rfind("metric,Rent 100 GPUs,Build 100 GPUs,Build 100 GPUs - Rent 100 GPUs\n", 0), 0u) << csv.out;
}

TEST(CompareCli, NeedsTwoModels) {
  const auto run = leasecalc("compare '" + (models / "rent-vs-build-rent.yaml").string() + "'");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.out.find("two or more"), std::string::npos);
}

}  // namespace
