// Tornado and two-way grid: shocks against hand calculations, monotonicity, the depreciation-life
// debate, inputs that do not apply, and `leasecalc sensitivity` end to end.
#include <leasecalc/engine/project.hpp>
#include <leasecalc/solve/sensitivity.hpp>

#include "support/cli.hpp"
#include "support/deals.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>

namespace {
using namespace leasecalc;
using solve::Input;
using solve::Measure;
using test::dec;

const std::filesystem::path models = std::filesystem::path(LEASECALC_SOURCE_DIR) / "models";

const solve::TornadoRow& row_of(const solve::Tornado& tornado, Input input) {
  const auto found = std::find_if(tornado.rows.begin(), tornado.rows.end(), [&](const auto& r) { return r.input == input; });
  if (found == tornado.rows.end()) throw std::runtime_error("no tornado row for " + std::string(solve::input_key(input)));
  return *found;
}

double discount(int month, double annual_rate) { return std::pow(1 + annual_rate, -(month + 1) / 12.0); }

TEST(Tornado, PriceShockMovesNpvByTheDiscountedExtraRevenueAfterTax) {
  auto deal = test::minimal_deal();
  deal.tax.income.rate = dec("0.25");  // profitable every year, so each year's extra revenue is taxed in full
  const auto tornado = solve::tornado(deal, {0.10, 12, Measure::npv});
  const auto& price = row_of(tornado, Input::contract_price);

  // +10% on 30,000 a server-month for 10 servers, paid monthly in advance (at each month's end);
  // 25% of each year's extra revenue is paid as tax in the year's last month.
  double revenue = 0, extra_tax = 0, base_tax = 0;
  for (int m = 0; m < 36; ++m) revenue += 30000 * discount(m, 0.08);
  for (int year = 0; year < 3; ++year) {
    extra_tax += 0.25 * 12 * 30000 * discount(12 * year + 11, 0.08);
    // Base: 3.6M of revenue less 10M / 3 of depreciation a year is taxed.
    base_tax += 0.25 * (3.6e6 - 10e6 / 3) * discount(12 * year + 11, 0.08);
  }
  ASSERT_TRUE(price.high && price.low);
  EXPECT_NEAR(price.high->outcome.npv - tornado.base.npv, revenue - extra_tax, 1.0);
  // 10% lower, each year is a loss (3.24M against 3.33M of depreciation): no tax at all.
  EXPECT_NEAR(tornado.base.npv - price.low->outcome.npv, revenue - base_tax, 1.0);
}

TEST(Tornado, HigherPricesGiveHigherReturnsAtEveryVolume) {
  const auto deal = test::rich_deal();
  const auto grid = solve::price_volume_grid(deal, Measure::project_irr, solve::factors_around_one(0.1, 2, 2),
                                             solve::factors_around_one(0.1, 3, 0));
  ASSERT_EQ(grid.values.size(), grid.price_factors.size() * grid.volume_factors.size());
  for (std::size_t v = 0; v < grid.volume_factors.size(); ++v)
    for (std::size_t p = 1; p < grid.price_factors.size(); ++p) {
      ASSERT_TRUE(grid.at(p, v) && grid.at(p - 1, v));
      EXPECT_GT(*grid.at(p, v), *grid.at(p - 1, v)) << "price " << grid.price_factors[p] << ", volume " << grid.volume_factors[v];
    }
  // Price 100% (row 2) at volume 100% (column 3) is the deal as modelled.
  const auto base = solve::outcome_of(deal);
  EXPECT_DOUBLE_EQ(*grid.at(2, 3), *base.project_irr);
}

TEST(Tornado, BookLifeMovesMarginsButNotCashWithoutTax) {
  const auto deal = test::minimal_deal();  // no income tax
  const auto shorter = solve::with_book_depreciation_life(deal, 24);
  const auto a = engine::project<double>(deal), b = engine::project<double>(shorter);
  for (int m = 0; m < a.months(); ++m)
    EXPECT_EQ(engine::free_cash_flow_pre_tax(a, m), engine::free_cash_flow_pre_tax(b, m)) << "month " << m;

  const auto tornado = solve::tornado(deal, {0.10, 12, Measure::npv});
  const auto& book = row_of(tornado, Input::book_depreciation_life);
  ASSERT_TRUE(book.low && book.high);
  EXPECT_EQ(book.low->input_value, 24);
  EXPECT_EQ(book.high->input_value, 48);
  // Depreciation of 10M over 24 instead of 36 months: year 1 carries 5M instead of 3.33M on 3.6M revenue.
  EXPECT_NEAR(*book.low->outcome.first_year_net_margin - *tornado.base.first_year_net_margin,
              -(10e6 / 24 - 10e6 / 36) * 12 / 3.6e6, 1e-6);
  EXPECT_EQ(book.low->outcome.npv, tornado.base.npv);
  EXPECT_EQ(book.high->outcome.npv, tornado.base.npv);
}

TEST(Tornado, TaxLifeMovesTaxCashWhenTaxed) {
  auto deal = test::minimal_deal();
  deal.tax.income.rate = dec("0.25");
  deal.assets.tax.life_months = 24;
  const auto faster = solve::outcome_of(deal);
  deal.assets.tax.life_months = 36;
  const auto slower = solve::outcome_of(deal);
  EXPECT_GT(faster.npv, slower.npv);  // the same tax, paid later
}

TEST(Tornado, InputsThatCannotChangeTheDealAreSkippedWithTheReason) {
  const auto tornado = solve::tornado(test::minimal_deal());
  const auto note_of = [&](Input input) -> std::string {
    for (const auto& row : tornado.skipped)
      if (row.input == input) return row.note;
    return "";
  };
  EXPECT_EQ(note_of(Input::debt_rate), "the deal has no debt");
  EXPECT_EQ(note_of(Input::power_tariff), "power is paid by the customer");
  EXPECT_EQ(note_of(Input::income_tax_rate), "the deal pays no income tax");
  EXPECT_EQ(note_of(Input::residual_value), "the model has no residual value");
  for (const auto& row : tornado.rows) EXPECT_NE(row.input, Input::debt_rate);

  // The whole fleet is leased: billed volume can only fall.
  const auto& volume = row_of(tornado, Input::billed_volume);
  EXPECT_TRUE(volume.low);
  EXPECT_FALSE(volume.high);
  EXPECT_NE(volume.note.find("no upside"), std::string::npos);
}

TEST(Tornado, RowsAreSortedByTheSwingOfTheChosenMeasure) {
  for (Measure measure : {Measure::npv, Measure::equity_irr, Measure::minimum_dscr}) {
    const auto tornado = solve::tornado(test::rich_deal(), {0.1, 12, measure});
    ASSERT_GE(tornado.rows.size(), 8u);
    for (std::size_t i = 1; i < tornado.rows.size(); ++i) {
      const auto before = tornado.rows[i - 1].swing(measure, tornado.base), after = tornado.rows[i].swing(measure, tornado.base);
      if (after) {
        ASSERT_TRUE(before);
        EXPECT_GE(*before, *after);
      }
    }
  }
}

TEST(Variants, ExponentialResidualScaledByOneSellsForTheSame) {
  const auto deal = test::rich_deal();  // exponential residual, two deliveries of different ages
  const auto as_curve = solve::with_residual_factor(deal, 1);
  ASSERT_TRUE(std::holds_alternative<deal::ResidualCurve>(as_curve.assets.residual));
  EXPECT_NEAR(engine::project<double>(as_curve).total(engine::Line::sale_proceeds),
              engine::project<double>(deal).total(engine::Line::sale_proceeds), 0.01);
  const auto halved = solve::with_residual_factor(deal, dec("0.5"));
  EXPECT_NEAR(engine::project<double>(halved).total(engine::Line::sale_proceeds),
              0.5 * engine::project<double>(deal).total(engine::Line::sale_proceeds), 0.01);
}

TEST(SensitivityCli, StandardModelEndToEnd) {
  const auto model = "'" + (models / "guosen-2025-standard-10k.yaml").string() + "'";
  const auto table = test::run_leasecalc("sensitivity " + model + " --grid --metric project_irr");
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("Tax depreciation life"), std::string::npos);
  EXPECT_NE(table.out.find("Power tariff: power is paid by the customer"), std::string::npos);
  EXPECT_NE(table.out.find("price \\ volume"), std::string::npos);

  const auto json = test::run_leasecalc("sensitivity " + model + " --format json --shock 5%");
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const auto document = nlohmann::json::parse(json.out);
  EXPECT_EQ(document["schema"], "leasecalc.sensitivity/1");
  EXPECT_DOUBLE_EQ(document["shock"].get<double>(), 0.05);
  EXPECT_EQ(document["tornado"][0]["input"], "contract_price");  // the largest NPV swing on a leased-out cluster

  const auto csv = test::run_leasecalc("sensitivity " + model + " --format csv");
  ASSERT_EQ(csv.exit_code, 0);
  EXPECT_EQ(csv.out.rfind("input,case,input_value,project_irr,", 0), 0u);
}

TEST(SensitivityCli, BadInputIsExitTwoWithAMessage) {
  const auto model = "'" + (models / "guosen-2025-standard-10k.yaml").string() + "'";
  for (const std::string& args : {"sensitivity " + model + " --shock 150%", "sensitivity " + model + " --metric moic",
                                  "sensitivity " + model + " --shock ten", std::string("sensitivity"),
                                  std::string("sensitivity /nonexistent.yaml")}) {
    const auto run = test::run_leasecalc(args);
    EXPECT_EQ(run.exit_code, 2) << args;
    EXPECT_FALSE(run.err.empty()) << args;
  }
}

}  // namespace
