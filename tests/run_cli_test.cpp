// `leasecalc run` end to end: every bundled model in every format, and bad input.
#include "support/cli.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

namespace {
using leasecalc::test::run_leasecalc;

const std::filesystem::path models = std::filesystem::path(LEASECALC_SOURCE_DIR) / "models";

std::string quoted(const std::filesystem::path& path) { return "'" + path.string() + "'"; }

class RunEveryModel : public ::testing::TestWithParam<std::string> {
 protected:
  std::string model = quoted(models / GetParam());
};

TEST_P(RunEveryModel, TablePrintsEveryStatement) {
  const auto run = run_leasecalc("run " + model);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  for (const char* heading : {"Deal summary", "Income statement", "Cash flow", "Balance sheet at year end",
                              "Returns", "Margins", "Break-even"})
    EXPECT_NE(run.out.find(heading), std::string::npos) << heading;
  EXPECT_FALSE(std::regex_search(run.out, std::regex(R"(\b(nan|inf)\b)", std::regex::icase)));
  // Nothing on stderr but the model's warnings (deal_warnings_test says which).
  std::istringstream err(run.err);
  for (std::string line; std::getline(err, line);) EXPECT_EQ(line.rfind("warning: ", 0), 0u) << line;
}

TEST_P(RunEveryModel, JsonIsCompleteAndConsistent) {
  const auto run = run_leasecalc("run " + model + " --format json --monthly");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto doc = nlohmann::json::parse(run.out);  // throws on NaN or malformed output
  EXPECT_EQ(doc["schema"], "leasecalc.run/1");
  EXPECT_TRUE(doc["exact"].get<bool>());
  const int months = doc["deal"]["horizon_months"];
  EXPECT_EQ(doc["ledger"]["months"].size(), static_cast<std::size_t>(months));
  for (const auto& [name, values] : doc["ledger"]["lines"].items()) {
    ASSERT_EQ(values.size(), static_cast<std::size_t>(months)) << name;
    for (const auto& value : values) ASSERT_TRUE(std::isfinite(value.get<double>())) << name;
  }
  // The JSON's statements hold the same figures as its summary.
  double revenue = 0;
  for (const auto& row : doc["income_statement"]["rows"])
    if (row["name"] == "Revenue") revenue = row["values"].back();
  EXPECT_NEAR(revenue, doc["summary"]["total_revenue"].get<double>(), 1e-6 * std::abs(revenue) + 0.01);
  // The JSON's balance sheet balances at every year end.
  int balance_rows = 0;
  for (const auto& row : doc["balance_sheet"]["rows"])
    if (row["name"] == "Assets less liabilities and equity") {
      ++balance_rows;
      for (const auto& value : row["values"]) EXPECT_NEAR(value.get<double>(), 0.0, 0.005);
    }
  EXPECT_EQ(balance_rows, 1);
  // The last cash balance is zero: everything was distributed.
  EXPECT_NEAR(doc["ledger"]["lines"]["cash_balance"].back().get<double>(), 0.0, 1e-9);
  // Margins have one value per year plus the life.
  EXPECT_EQ(doc["by_year"]["net_margin"].size(), doc["by_year"]["columns"].size());
}

TEST_P(RunEveryModel, FastModeAgreesWithTheExactLedger) {
  const auto exact = nlohmann::json::parse(run_leasecalc("run " + model + " --format json").out);
  const auto fast = nlohmann::json::parse(run_leasecalc("run " + model + " --format json --fast").out);
  EXPECT_FALSE(fast["exact"].get<bool>());
  for (const char* total : {"capex", "total_revenue", "total_net_income", "equity_returned"}) {
    const double a = exact["summary"][total], b = fast["summary"][total];
    EXPECT_NEAR(a, b, 1e-6 * std::abs(a) + 0.01) << total;
  }
}

TEST_P(RunEveryModel, CsvHasAHeaderAndTheMetrics) {
  const auto run = run_leasecalc("run " + model + " --format csv");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out.rfind("section,item,Y1", 0), 0u);
  EXPECT_NE(run.out.find("\nmetrics,project_irr_post_tax,"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(BundledModels, RunEveryModel,
                         ::testing::Values("guosen-2025-standard-10k.yaml", "guosen-2025-premium-10k.yaml",
                                           "china-h800-on-demand.yaml", "us-h100-take-or-pay.yaml",
                                           "rent-vs-build-rent.yaml", "rent-vs-build-build.yaml",
                                           "xai-spv-lease.yaml", "gpu-sale-leaseback.yaml", "coreweave-ddtl-ig.yaml"),
                         [](const auto& info) {
                           std::string name = info.param.substr(0, info.param.find('.'));
                           for (char& c : name) if (c == '-') c = '_';
                           return name;
                         });

TEST(RunCli, ScaleIsChosenForTheReaderAndCanBeSet) {
  const auto standard = quoted(models / "guosen-2025-standard-10k.yaml");
  EXPECT_NE(run_leasecalc("run " + standard).out.find("amounts in 亿 CNY"), std::string::npos);
  EXPECT_NE(run_leasecalc("run " + standard + " --scale M").out.find("amounts in M CNY"), std::string::npos);
  EXPECT_NE(run_leasecalc("run " + quoted(models / "us-h100-take-or-pay.yaml")).out.find("amounts in M USD"),
            std::string::npos);
}

TEST(RunCli, MonthlyAddsTheLedger) {
  const auto run = run_leasecalc("run " + quoted(models / "guosen-2025-standard-10k.yaml") + " --monthly");
  EXPECT_NE(run.out.find("Monthly ledger"), std::string::npos);
  EXPECT_NE(run.out.find("2030-08"), std::string::npos);  // the 60th month
}

TEST(RunCli, BadModelNamesFileLineColumnAndFieldAndExitsTwo) {
  const auto dir = std::filesystem::temp_directory_path() / ("leasecalc-run-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir / "catalog");
  std::filesystem::copy_file(models / "catalog" / "gpus.yaml", dir / "catalog" / "gpus.yaml",
                             std::filesystem::copy_options::overwrite_existing);
  std::ifstream in(models / "guosen-2025-standard-10k.yaml");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string good = "  horizon: 60 months";
  ASSERT_NE(text.find(good), std::string::npos);
  const auto at = text.find(good);
  const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n');
  text.replace(at, good.size(), "  horizon: 60 moths");
  std::ofstream(dir / "bad.yaml") << text;
  const auto run = run_leasecalc("run " + quoted(dir / "bad.yaml"));
  std::filesystem::remove_all(dir);
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.out, "");
  // The value's line and column: "60 moths" starts after "  horizon: ".
  EXPECT_NE(run.err.find("bad.yaml:" + std::to_string(line) + ":12: "), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("deal.horizon"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("moths"), std::string::npos) << run.err;
}

// A model copied out of models/ into a folder of its own (no catalog/ beside it, no `catalog:`)
// finds the bundled catalogue and gives the same figures as in place.
TEST(RunCli, ModelCopiedAnywhereFindsTheBundledCatalogue) {
  const auto dir = std::filesystem::temp_directory_path() / ("leasecalc-copied-model-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::filesystem::copy_file(models / "us-h100-take-or-pay.yaml", dir / "my-deal.yaml");
  const auto copied = run_leasecalc("run " + quoted(dir / "my-deal.yaml") + " --format json --monthly");
  std::filesystem::remove_all(dir);
  ASSERT_EQ(copied.exit_code, 0) << copied.err;
  const auto in_place = run_leasecalc("run " + quoted(models / "us-h100-take-or-pay.yaml") + " --format json --monthly");
  ASSERT_EQ(in_place.exit_code, 0) << in_place.err;
  const auto a = nlohmann::json::parse(copied.out), b = nlohmann::json::parse(in_place.out);
  EXPECT_EQ(a["summary"], b["summary"]);
  EXPECT_EQ(a["ledger"], b["ledger"]);
  EXPECT_GT(a["summary"]["capex"].get<double>(), 0.0);  // not an empty deal
}

TEST(RunCli, UsageErrorsExitTwo) {
  EXPECT_EQ(run_leasecalc("run").exit_code, 2);
  EXPECT_EQ(run_leasecalc("run a.yaml b.yaml").exit_code, 2);
  EXPECT_EQ(run_leasecalc("run x.yaml --format xml").exit_code, 2);
  const auto missing = run_leasecalc("run /nonexistent/model.yaml");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("/nonexistent/model.yaml"), std::string::npos);
  EXPECT_EQ(run_leasecalc("run --help").exit_code, 0);
}

}  // namespace

namespace {

// Issue 14: a start at the calendar's end and files that are not model files end every command
// with a located error and exit 2, never an uncaught exception (exit 134) or a hang.
TEST(RunCli, HostileModelsExitTwoInEveryCommand) {
  const auto dir = std::filesystem::temp_directory_path() / ("leasecalc-hostile-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "late.yaml") << "deal: {name: t, currency: CNY, start: 9999-01-01, horizon: 12 months}\n"
                                      "cluster: {sku: H800, servers: 1}\n"
                                      "depreciation: {book: {method: straight_line, life: 12 months}}\n"
                                      "tax: {income_tax: 25%}\n";
  for (const char* command : {"run", "sensitivity", "montecarlo"}) {
    const auto late = run_leasecalc(std::string(command) + " " + quoted(dir / "late.yaml"));
    EXPECT_EQ(late.exit_code, 2) << command << ": " << late.err;
    EXPECT_NE(late.err.find("late.yaml:1:39: deal.start: expected a date from 1900-01-01 to 2200-12-31"),
              std::string::npos)
        << command << ": " << late.err;
  }
  const auto device = run_leasecalc("run /dev/zero");
  EXPECT_EQ(device.exit_code, 2);
  EXPECT_NE(device.err.find("/dev/zero: cannot read the file: it is not a regular file"), std::string::npos)
      << device.err;
  std::filesystem::remove_all(dir);
}

}  // namespace
