// `leasecalc reproduce` on the bundled study (models/studies/guosen-2025.yaml): the engine's figures
// for the broker report's line items against a hand calculation from the report's stated inputs,
// the corner table's extremes, what it would take to meet the headline, and the command end to end.
#include <leasecalc/io/load_deal.hpp>
#include <leasecalc/io/load_study.hpp>
#include <leasecalc/report/reproduce.hpp>
#include <leasecalc/solve/breakeven.hpp>
#include <leasecalc/solve/variants.hpp>

#include "support/cli.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace {
using namespace leasecalc;

const std::filesystem::path models = std::filesystem::path(LEASECALC_SOURCE_DIR) / "models";

const io::Study& study() {
  static const io::Study loaded = io::load_study(models / "studies" / "guosen-2025.yaml");
  return loaded;
}

const io::StudyCase& study_case(const std::string& name) {
  for (const auto& c : study().cases)
    if (c.name == name) return c;
  throw std::invalid_argument("no case " + name);
}

report::CaseReproduction reproduce(const std::string& name) {
  const auto& c = study_case(name);
  return report::reproduce_case(study(), c, io::load_deal(c.model));
}

report::CaseReproduction reproduce_standard() { return reproduce("standard"); }

std::size_t nearest_corner(const report::CaseReproduction& r, double target) {
  for (const auto& nearest : r.nearest)
    if (nearest.target == target) return nearest.corner;
  ADD_FAILURE() << "no nearest corner for " << target;
  return 0;
}

// The standard cluster's inputs as the model states them.
constexpr double servers = 1024, price_per_server = 2.6e6, months = 60;
constexpr double hardware = servers * price_per_server;  // VAT included: 26.624亿
constexpr double lease_price = 62663;                    // per server-month, before VAT
constexpr double debt_share = 0.85, om_share_a_year = 0.012, residual_share = 0.05, refund_share = 0.608;
constexpr double output_vat_rate = 0.06;

// Interest on a level-payment loan of `principal` over 60 monthly instalments at
// `annual_rate` / 12, drawn at the end of month 0 within a 60-month horizon: the instalments less
// the principal, less the 60th month's interest. The 60th instalment would fall a month after the
// horizon; its principal, the balance (instalment / (1 + r)), is repaid from the sale instead.
double annuity_interest(double principal, double annual_rate) {
  const double r = annual_rate / 12;
  const double instalment = principal * r / (1 - std::pow(1 + r, -months));
  return months * instalment - principal - instalment / (1 + r) * r;
}

double net_of_vat(double amount) { return std::round(amount / 1.13 * 100) / 100; }

TEST(Reproduce, LineItemsMatchTheHandCalculation) {
  const auto r = reproduce_standard();
  const auto& v = r.cash_basis;
  const double revenue = lease_price * servers * months;
  const double financing = annuity_interest(debt_share * hardware, 0.05);
  // O&M at 1.2% a year of the hardware as invoiced.
  const double om = om_share_a_year * hardware * 5;
  // The input VAT left at the refund in month 1, after output VAT on two months' rent used some.
  const double input_vat = hardware - net_of_vat(hardware);
  const double vat_refund = refund_share * (input_vat - 2 * output_vat_rate * lease_price * servers);
  const double residual = residual_share * hardware;

  EXPECT_NEAR(v.hardware, hardware, 0.01);
  EXPECT_NEAR(v.financing_cost, financing, 60 * 0.01);
  EXPECT_NEAR(v.running_costs, om, 60 * 0.01);
  EXPECT_NEAR(v.lease_revenue, revenue, 0.01);
  EXPECT_NEAR(v.vat_refund, vat_refund, 0.01);
  EXPECT_NEAR(v.vat_refund_income, vat_refund, 0.01);  // the broker convention
  EXPECT_NEAR(v.residual_value, residual, 0.01);

  const double pre_tax = revenue + residual + vat_refund - hardware - financing - om;
  EXPECT_NEAR(v.pre_tax_profit, pre_tax, 2.0);
  EXPECT_NEAR(v.after_tax_profit, 0.75 * pre_tax, 2.0);
  EXPECT_NEAR(v.after_tax_profit_a_year, 0.75 * pre_tax / 5, 1.0);
  EXPECT_NEAR(*v.net_margin, 0.75 * pre_tax / revenue, 1e-9);

  // Against the report: the financing is its "3亿+" within 1%, the O&M its 1.6亿 within 1%, and
  // the profit a year well under its "about 2亿".
  EXPECT_NEAR(v.financing_cost / 3e8, 1.0, 0.01);
  EXPECT_NEAR(v.running_costs / 1.6e8, 1.0, 0.01);
  EXPECT_LT(v.after_tax_profit_a_year, 1.7e8);
}

TEST(Reproduce, LineItemsQuoteTheReportAndSayTheDifference) {
  const auto r = reproduce_standard();
  ASSERT_EQ(r.line_items.front().quantity, io::StudyQuantity::hardware);
  const auto& hardware_item = r.line_items.front();
  ASSERT_TRUE(hardware_item.report.has_value());
  EXPECT_DOUBLE_EQ(num::to_double(hardware_item.report->value), 26.6e8);
  EXPECT_NE(hardware_item.report->quote.find("26.6"), std::string::npos);
  for (const auto& item : r.line_items) {
    ASSERT_TRUE(item.engine.has_value()) << item.label;
    ASSERT_TRUE(item.report.has_value()) << item.label;  // the standard cluster quotes every item
  }
  // The financing cost is quoted as "3亿+": a low end only, compared at it.
  const auto& financing = r.line_items[1];
  ASSERT_EQ(financing.quantity, io::StudyQuantity::financing_cost);
  EXPECT_EQ(financing.label, "Financing cost, 5 years");
  EXPECT_DOUBLE_EQ(num::to_double(*financing.report->low), 3e8);
  EXPECT_FALSE(financing.report->high.has_value());
  // The net margin's figure is the headline claim, which every case shares.
  EXPECT_EQ(r.line_items.back().report->quote, "net margin may reach about 15%");
  // The premium cluster quotes only hardware, lease revenue, profit a year and the margins.
  const auto premium = reproduce("premium");
  int quoted = 0;
  for (const auto& item : premium.line_items) quoted += item.report.has_value();
  EXPECT_EQ(quoted, 4);
  EXPECT_NEAR(premium.cash_basis.lease_revenue, 60e8, 1.0);
}

TEST(Reproduce, AccrualAgreesWithCashBasisOverTheLifeWhenNoYearMakesALoss) {
  const auto r = reproduce_standard();
  EXPECT_NEAR(r.accrual.pre_tax_income, r.cash_basis.pre_tax_profit, 1.0);
  EXPECT_NEAR(r.accrual.net_income, r.cash_basis.after_tax_profit, 10.0);
}

TEST(Reproduce, CornerTableSpansTheOpenAssumptions) {
  const auto r = reproduce_standard();
  ASSERT_EQ(r.corners.size(), 24u);
  // The extremes by hand. Lowest: revenue 37亿, 5%, 25%, VAT refund as income (VAT-inclusive
  // hardware). Highest: revenue 40亿, 4%, 15%, VAT refund cash only (hardware net of VAT, the
  // residual 5% of that).
  const double revenue = lease_price * servers * months;
  const double om = om_share_a_year * hardware * 5;
  const double input_vat = hardware - net_of_vat(hardware);
  const double low_revenue = revenue * 37 / 38.5;
  const double low_refund = refund_share * (input_vat - 2 * output_vat_rate * low_revenue / months);
  const double low_pre_tax = low_revenue + residual_share * hardware + low_refund - hardware -
                             annuity_interest(debt_share * hardware, 0.05) - om;
  const double low_margin = 0.75 * low_pre_tax / low_revenue;
  const double high_revenue = revenue * 40 / 38.5;
  const double net_hardware = net_of_vat(hardware);
  // Debt is sized on the capex as paid, VAT included, either way.
  const double high_pre_tax = high_revenue + residual_share * net_hardware - net_hardware -
                              annuity_interest(debt_share * hardware, 0.04) - om;
  const double high_margin = 0.85 * high_pre_tax / high_revenue;

  double lowest = 1, highest = 0;
  for (const auto& corner : r.corners) {
    lowest = std::min(lowest, *corner.cash_basis.net_margin);
    highest = std::max(highest, *corner.cash_basis.net_margin);
  }
  EXPECT_NEAR(lowest, low_margin, 1e-6);
  EXPECT_NEAR(highest, high_margin, 1e-6);
  // Every corner stays above 15%: the headline margin needs something the report leaves out.
  EXPECT_GT(lowest, 0.17);
  EXPECT_LT(highest, 0.30);
  EXPECT_NEAR(*r.corners[nearest_corner(r, 0.15)].cash_basis.net_margin, low_margin, 1e-6);
  // The corners' order: revenue slowest, the VAT booking fastest.
  EXPECT_EQ(report::corner_label(study(), r, 0), "revenue 37.00亿, rate 4%, tax 25%, VAT refund as income");
  EXPECT_EQ(report::corner_label(study(), r, 23), "revenue 40.00亿, rate 5%, tax 15%, VAT refund not income");
}

TEST(Reproduce, FlagsTheHeadlineMarginThatNoCornerGives) {
  const auto r = reproduce_standard();
  bool margin_checked = false;
  for (const auto& check : r.checks) {
    if (check.figure == "net margin about 15%") {
      margin_checked = true;
      EXPECT_TRUE(check.corners.empty()) << check.view;
    }
    if (check.figure.rfind("total income about 43", 0) == 0) {
      // 43亿 needs revenue near the top of the range with the VAT refund as income.
      for (std::size_t i : check.corners) EXPECT_GE(r.corners[i].cash_basis.lease_revenue, 38e8);
      EXPECT_FALSE(check.corners.empty());
    }
  }
  EXPECT_TRUE(margin_checked);
}

TEST(Reproduce, OperatorPaidPowerTakesItsCostAfterTaxOffTheMargin) {
  const auto r = reproduce_standard();
  ASSERT_GE(r.omissions.size(), 2u);
  EXPECT_EQ(r.omissions[0].name, "as modelled");
  // 1,024 servers x 10.2 kW x PUE 1.3 x 730 hours x 0.65 CNY, 60 months, after 25% tax.
  const double power = servers * 10.2 * 1.3 * 730 * 0.65 * months;
  const double revenue = lease_price * servers * months;
  const double change = *r.omissions[1].cash_basis.net_margin - *r.omissions[0].cash_basis.net_margin;
  EXPECT_NEAR(change, -0.75 * power / revenue, 1e-6);
  EXPECT_NEAR(*r.omissions[1].accrual.net_margin - *r.omissions[0].accrual.net_margin, change, 1e-4);
}

// ---- what it would take ------------------------------------------------------------------------

// The net margin on lease revenue of `deal`, in the exact ledger: an independent re-run.
double exact_margin(const deal::Deal& deal) {
  return *report::accrual_view(engine::project<num::Decimal>(deal)).net_margin;
}

const report::WhatItWouldTake& row(const report::CaseReproduction& r, const std::string& name) {
  for (const auto& w : r.what_it_would_take)
    if (w.name == name) return w;
  throw std::invalid_argument("no row " + name);
}

TEST(ReproduceWhatItWouldTake, EachSolvedInputGivesTheHeadlineMarginWhenTheModelIsRerun) {
  const auto r = reproduce_standard();
  const deal::Deal deal = io::load_deal(study_case("standard").model);
  ASSERT_EQ(r.what_it_would_take.size(), 7u);  // four open assumptions, three left-out costs solved
  const auto at = [](double value) { return num::from_double<deal::Decimal>(value); };

  const auto& revenue = row(r, "lease revenue");
  ASSERT_TRUE(revenue.solution.value) << "revenue";
  EXPECT_NEAR(exact_margin(solve::with_price_factor(deal, at(*revenue.solution.value))), 0.15, 1e-9);
  EXPECT_LT(*revenue.solution.value, 37.0 / 38.5);  // below the report's range
  // Its lease revenue is the model's at that price.
  EXPECT_NEAR(*revenue.lease_revenue, lease_price * servers * months * *revenue.solution.value, 1.0);

  const auto& rate = row(r, "financing rate");
  ASSERT_TRUE(rate.solution.value);
  EXPECT_NEAR(exact_margin(solve::with_debt_rate(deal, at(*rate.solution.value))), 0.15, 1e-9);
  EXPECT_GT(*rate.solution.value, 0.05);  // far above the report's 4-5%

  const auto& tax = row(r, "income tax");
  ASSERT_TRUE(tax.solution.value);
  EXPECT_NEAR(exact_margin(solve::with_income_tax_rate(deal, at(*tax.solution.value))), 0.15, 1e-9);
  // With no loss year the margin is (1 - tax) x pre-tax / revenue: the rate by hand.
  const auto& base = r.accrual;
  EXPECT_NEAR(*tax.solution.value, 1 - 0.15 * base.lease_revenue / base.pre_tax_income, 1e-9);

  // Power paid by the operator at PUE 1.3: the tariff that takes the margin to 15%.
  const auto& power = row(r, "power price (+ electricity)");
  ASSERT_TRUE(power.solution.value);
  EXPECT_NEAR(exact_margin(solve::with_operator_paid_electricity(deal, at(*power.solution.value), at(1.3))), 0.15, 1e-9);
  // By hand: the power bill after 25% tax takes the margin's excess over 15%.
  const double kwh = servers * 10.2 * 1.3 * 730 * months;
  EXPECT_NEAR(*power.solution.value, (*base.net_margin - 0.15) * base.lease_revenue / 0.75 / kwh, 1e-9);

  const auto& rent = row(r, "colocation rent (+ data-centre rent)");
  ASSERT_TRUE(rent.solution.value);
  EXPECT_NEAR(exact_margin(solve::with_data_centre_rent_per_kw_month(deal, at(*rent.solution.value))), 0.15, 1e-9);

  // Utilisation is solved on the model's own servers, not on top of the 90% the cost sets.
  const auto& use = row(r, "utilisation (utilisation 90%)");
  ASSERT_TRUE(use.solution.value);
  EXPECT_NEAR(exact_margin(solve::with_volume_factor(deal, at(*use.solution.value))), 0.15, 1e-9);
  EXPECT_GT(*use.solution.value, 0.9);
  EXPECT_LT(*use.solution.value, 1.0);

  // A yes/no input is tried at each value instead.
  const auto& vat = row(r, "VAT refund");
  EXPECT_FALSE(vat.range.has_value());
  ASSERT_EQ(vat.at_values.size(), 2u);
  EXPECT_EQ(vat.at_values[0].first, "as income");
  EXPECT_NEAR(*vat.at_values[0].second, *r.accrual.net_margin, 1e-9);
}

TEST(ReproduceWhatItWouldTake, SaysWhenTheHeadlineIsNotReachableInTheRange) {
  io::Study narrow = study();
  for (auto& assumption : narrow.open_assumptions)
    if (assumption.input == io::StudyInput::debt_rate) assumption.search.reset(), assumption.search = io::SearchRange{
        num::from_string<num::Decimal>("0.04"), num::from_string<num::Decimal>("0.05"), "4%", "5%"};
  const auto& c = study_case("standard");
  const auto r = report::reproduce_case(narrow, c, io::load_deal(c.model));
  const auto& rate = row(r, "financing rate");
  EXPECT_FALSE(rate.solution.value.has_value());
  // The margins seen span the corners' at the model's other inputs, all above 15%.
  ASSERT_TRUE(rate.solution.lowest && rate.solution.highest);
  EXPECT_NEAR(*rate.solution.lowest, *r.accrual.net_margin, 1e-9);  // the model borrows at 5%
  EXPECT_GT(*rate.solution.lowest, 0.15);
  EXPECT_GT(*rate.solution.highest, *rate.solution.lowest);
}

// ---- the command -------------------------------------------------------------------------------

// The command's output, standard error after standard output.
leasecalc::test::CliRun leasecalc(const std::string& args) {
  auto run = leasecalc::test::run_leasecalc(args);
  run.out += run.err;
  return run;
}

// The command's JSON document (standard output alone: the models' warnings go to standard error).
leasecalc::test::CliRun leasecalc_json(const std::string& args) { return leasecalc::test::run_leasecalc(args); }

TEST(ReproduceCli, PrintsBothClustersWithTheirSources) {
  const auto run = leasecalc("reproduce guosen-2025 --models '" + models.string() + "'");
  ASSERT_EQ(run.exit_code, 0) << run.out;
  EXPECT_NE(run.out.find("standard-card 10k cluster"), std::string::npos);
  EXPECT_NE(run.out.find("premium-card 10k cluster"), std::string::npos);
  EXPECT_NE(run.out.find("net margin may reach about 15%"), std::string::npos);
  EXPECT_NE(run.out.find("NO corner gives it"), std::string::npos);
  EXPECT_NE(run.out.find("0.65 CNY/kWh"), std::string::npos);
  EXPECT_NE(run.out.find("What it would take to meet the headline (net margin about 15%, accrual)"), std::string::npos);
  // A yes/no assumption is shown at each value, not solved.
  const auto vat = run.out.find("  VAT refund ", run.out.find("What it would take"));
  ASSERT_NE(vat, std::string::npos);
  const std::string line = run.out.substr(vat, run.out.find('\n', vat) - vat);
  EXPECT_NE(line.find("yes or no: "), std::string::npos) << line;
  EXPECT_NE(line.find("% as income, "), std::string::npos) << line;
}

TEST(ReproduceCli, JsonCarriesTheSameFigures) {
  const auto run = leasecalc_json("reproduce guosen-2025 --format json --models '" + models.string() + "'");
  ASSERT_EQ(run.exit_code, 0) << run.out;
  const auto document = nlohmann::json::parse(run.out);
  EXPECT_EQ(document["schema"], "leasecalc.reproduce/2");
  ASSERT_EQ(document["cases"].size(), 2u);
  const auto& cluster = document["cases"][0];
  EXPECT_EQ(cluster["corners"].size(), 24u);
  EXPECT_NEAR(cluster["cash_basis"]["net_margin"].get<double>(), *reproduce_standard().cash_basis.net_margin, 1e-12);
  const auto& rate = cluster["what_it_would_take"][1];
  EXPECT_EQ(rate["input"], "debt_rate");
  EXPECT_NEAR(rate["measured"].get<double>(), 0.15, 1e-9);
  EXPECT_EQ(document["claims"][document["headline"].get<std::size_t>()]["quote"], "net margin may reach about 15%");
}

TEST(ReproduceCli, OmittedCostsFollowTheOptions) {
  const auto cheap = leasecalc_json("reproduce guosen-2025 --format json --tariff 0 --models '" + models.string() + "'");
  ASSERT_EQ(cheap.exit_code, 0) << cheap.out;
  const auto omissions = nlohmann::json::parse(cheap.out)["cases"][0]["omissions"];
  // Free power takes nothing away.
  EXPECT_DOUBLE_EQ(omissions[1]["cash_basis"]["net_margin"].get<double>(),
                   omissions[0]["cash_basis"]["net_margin"].get<double>());
}

TEST(ReproduceCli, RejectsAnUnknownStudy) {
  const auto run = leasecalc("reproduce guosen-2024");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.out.find("unknown study 'guosen-2024' (known: guosen-2025"), std::string::npos) << run.out;
}

// The shortcut finds the bundled study from any directory, and a study file names its models
// relative to itself.
TEST(ReproduceCli, ReadsAStudyFileByPathOrByName) {
  const auto by_name = leasecalc_json("reproduce guosen-2025 --format json");
  ASSERT_EQ(by_name.exit_code, 0) << by_name.out;
  const auto by_path =
      leasecalc_json("reproduce '" + (models / "studies" / "guosen-2025.yaml").string() + "' --format json");
  ASSERT_EQ(by_path.exit_code, 0) << by_path.out;
  EXPECT_EQ(nlohmann::json::parse(by_name.out)["cases"], nlohmann::json::parse(by_path.out)["cases"]);
  EXPECT_EQ(nlohmann::json::parse(by_path.out)["study"], "guosen-2025");
}

// A study of a model in another currency: the error points at the case's model.
TEST(ReproduceCli, RefusesAModelInAnotherCurrencyThanTheStudys) {
  const auto dir = std::filesystem::temp_directory_path() / "leasecalc-reproduce-currency";
  std::filesystem::create_directories(dir);
  const auto model = (models / "us-h100-take-or-pay.yaml").string();
  std::ofstream(dir / "usd.yaml") << "name: usd\ntitle: t\nsource: s\ncurrency: CNY\n"
                                     "claims: [{quantity: net_margin, value: 15%, where: w, quote: q}]\n"
                                     "cases:\n  - name: us\n    model: " + model + "\n";
  const auto run = leasecalc("reproduce '" + (dir / "usd.yaml").string() + "'");
  std::filesystem::remove_all(dir);
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.out.find("usd.yaml:8:12: cases[0].model: expected a model in CNY (the study's currency), got one in USD"),
            std::string::npos)
      << run.out;
}

}  // namespace

// A price past any real one is refused with the bound, never carried into "-inf%" margins.
TEST(ReproduceCli, RefusesAnAbsurdPriceForTheLeftOutCosts) {
  const auto run = leasecalc::test::run_leasecalc("reproduce guosen-2025 --tariff 1e308");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_TRUE(run.out.empty()) << run.out;
  EXPECT_NE(run.err.find("--tariff expects"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("at most 1e15"), std::string::npos) << run.err;
}
