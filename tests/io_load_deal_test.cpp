// io::load_deal: the bundled models load with the values their files state, exactly, and every
// validation rule reports the file, line, column and field path of the offending text.

#include "leasecalc/io/load_deal.hpp"
#include "leasecalc/report/run_report.hpp"
#include "support/model_text.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

namespace {

using namespace leasecalc;
using test::edit;
using test::test_catalogue;
using deal::Decimal;

std::filesystem::path models_dir() { return std::filesystem::path(LEASECALC_SOURCE_DIR) / "models"; }

Decimal dec(const char* text) { return Decimal(text); }

io::Catalogue bundled_catalogue() { return io::load_catalogue(models_dir() / "catalog" / "gpus.yaml"); }

// ---- positions -----------------------------------------------------------------------------------

// Line and column (1-based) of `part` inside the only occurrence of `context` in `text`, so that
// a test names the offending text rather than counting lines by hand.
struct Where {
  int line = 0;
  int column = 0;
};

Where locate(const std::string& text, std::string_view context, std::string_view part) {
  const std::size_t at = text.find(context);
  EXPECT_NE(at, std::string::npos) << "context not found: " << context;
  EXPECT_EQ(text.find(context, at + 1), std::string::npos) << "context not unique: " << context;
  const std::size_t within = std::string_view(context).find(part);
  EXPECT_NE(within, std::string_view::npos) << part << " not in " << context;
  const std::size_t offset = at + within;
  const std::size_t line_start = text.rfind('\n', offset == 0 ? 0 : offset - 1);
  const int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(offset), '\n'));
  const int column = static_cast<int>(offset - (line_start == std::string::npos ? 0 : line_start + 1)) + 1;
  return {line, column};
}

// ---- a small valid model, edited by each error test ---------------------------------------------

const char* const base_model = R"(deal:
  name: test deal
  currency: CNY
  start: 2025-09-01
  horizon: 60 months
cluster:
  sku: H800
  servers: 100
contracts:
  - take_or_pay:
      name: anchor
      servers: 60
      price: 60000 CNY/server-month
      start: 2025-09-01
      term: 36 months
  - on_demand:
      name: pool
      servers: 40
      start: 2025-09-01
      price: 66000 CNY/server-month
running_costs:
  electricity: {tariff: 0.65 CNY/kWh, pue: 1.3}
financing:
  - name: loan
    share_of_capex: 50%
    rate: 5%
    term: 60 months
depreciation:
  book: {method: straight_line, life: 60 months}
tax:
  income_tax: 25%
)";

constexpr const char* test_file = "test.yaml";

deal::Deal parse(const std::string& text) { return io::parse_deal(text, test_file, test_catalogue()); }

// The error loading `text` raises; a failed expectation if it loads.
std::optional<io::InputError> error_of(const std::string& text) {
  try {
    parse(text);
  } catch (const io::InputError& error) {
    return error;
  }
  ADD_FAILURE() << "the model loaded without error:\n" << text;
  return std::nullopt;
}

// Asserts the error's position (the text `part` within `context`), field path and detail, and
// that what() reads FILE:LINE:COLUMN: PATH: DETAIL.
void expect_error(const std::string& text, std::string_view context, std::string_view part, const std::string& path,
                  const std::string& detail) {
  const std::optional<io::InputError> error = error_of(text);
  if (!error) return;
  const Where where = locate(text, context, part);
  EXPECT_EQ(error->file(), test_file);
  EXPECT_EQ(error->line(), where.line) << error->what();
  EXPECT_EQ(error->column(), where.column) << error->what();
  EXPECT_EQ(error->path(), path) << error->what();
  EXPECT_EQ(error->detail(), detail) << error->what();
  EXPECT_EQ(std::string(error->what()), std::string(test_file) + ":" + std::to_string(where.line) + ":" +
                                            std::to_string(where.column) + ": " + path + ": " + detail);
}

// Like expect_error for a model built by editing the base model.
void expect_edit_error(std::string_view from, std::string_view to, std::string_view context, std::string_view part,
                       const std::string& path, const std::string& detail) {
  expect_error(edit(base_model, from, to), context, part, path, detail);
}

TEST(LoadDealBase, TheBaseModelLoads) {
  const deal::Deal deal = parse(base_model);
  EXPECT_EQ(deal.contracts.size(), 2u);
  EXPECT_EQ(deal.cluster.price_per_server, dec("2600000"));  // the catalogue's list price
}

// ---- the bundled models ------------------------------------------------------------------------

TEST(BundledModels, EveryModelLoadsWithTheDefaultCatalogue) {
  int models = 0;
  for (const auto& entry : std::filesystem::directory_iterator(models_dir())) {
    if (entry.path().extension() != ".yaml") continue;
    ++models;
    EXPECT_NO_THROW(io::load_deal(entry.path())) << entry.path();
  }
  EXPECT_GE(models, 4);
}

TEST(BundledModels, CatalogueHasTheRequiredSkus) {
  const io::Catalogue catalogue = bundled_catalogue();
  for (const char* name : {"A800", "H800", "H20", "H100", "H200", "B200", "GB200-NVL72"}) {
    const auto sku = std::find_if(catalogue.skus.begin(), catalogue.skus.end(),
                                  [&](const deal::Sku& s) { return s.name == name; });
    ASSERT_NE(sku, catalogue.skus.end()) << name;
    EXPECT_GT(sku->list_price, 0) << name;
    EXPECT_GT(sku->kw_load, sku->kw_idle) << name;
    EXPECT_GT(sku->kw_idle, 0) << name;
    EXPECT_EQ(sku->gpus_per_unit, std::string_view(name) == "GB200-NVL72" ? 72 : 8) << name;
    EXPECT_EQ(sku->unit_kind, std::string_view(name) == "GB200-NVL72" ? deal::UnitKind::rack : deal::UnitKind::server)
        << name;
  }
}

TEST(BundledModels, CatalogueFiguresFromTheReferenceFacts) {
  const io::Catalogue catalogue = bundled_catalogue();
  const auto find = [&](std::string_view name) {
    for (const deal::Sku& sku : catalogue.skus)
      if (sku.name == name) return sku;
    ADD_FAILURE() << name;
    return deal::Sku{};
  };
  EXPECT_EQ(find("H800").list_price, dec("2600000"));
  EXPECT_EQ(find("H800").currency, "CNY");
  EXPECT_EQ(find("H100").list_price, dec("290000"));
  EXPECT_EQ(find("H100").currency, "USD");
  EXPECT_EQ(find("H100").kw_load, dec("10.2"));
  EXPECT_EQ(find("H100-CN").list_price, dec("2100000"));
  EXPECT_EQ(find("GB200-NVL72").kw_load, dec("120"));
  EXPECT_EQ(find("GB200-NVL72").list_price, dec("2500000"));
}

TEST(BundledModels, GuosenStandardStatesTheReportsFigures) {
  const deal::Deal deal = io::load_deal(models_dir() / "guosen-2025-standard-10k.yaml");
  EXPECT_EQ(deal.currency, "CNY");
  EXPECT_EQ(deal.start, deal::Date(2025, 9, 1));
  EXPECT_EQ(deal.horizon_months, 60);
  EXPECT_EQ(deal.discount_rate, dec("0.08"));

  EXPECT_EQ(deal.cluster.sku.name, "H800");
  EXPECT_EQ(deal.cluster.servers, 1024);
  EXPECT_EQ(deal.cluster.price_per_server, dec("2600000"));
  EXPECT_EQ(deal.cluster.price_per_server * deal.cluster.servers, dec("2662400000"));  // "26.6亿"
  EXPECT_TRUE(deal.cluster.price_includes_vat);
  EXPECT_EQ(deal.cluster.capex_vat_rate, dec("0.13"));
  ASSERT_EQ(deal.cluster.deliveries.size(), 1u);  // all on the start date
  EXPECT_EQ(deal.cluster.deliveries[0].date, deal.start);
  EXPECT_EQ(deal.cluster.deliveries[0].servers, 1024);

  ASSERT_EQ(deal.contracts.size(), 1u);
  const auto& lease = std::get<deal::TakeOrPay>(deal.contracts[0]);
  EXPECT_EQ(lease.servers, 1024);
  EXPECT_EQ(lease.price.amount, dec("62663"));
  EXPECT_EQ(lease.price.unit, deal::PriceUnit::server_month);
  EXPECT_EQ(lease.price.amount * 1024 * 60, dec("3850014720"));  // "37-40亿", midpoint 38.5亿
  EXPECT_EQ(lease.term_months, 60);
  EXPECT_EQ(lease.billing, leasecalc::time::Frequency::monthly);
  EXPECT_EQ(lease.timing, leasecalc::time::PaymentTiming::in_advance);
  EXPECT_EQ(lease.vat_rate, dec("0.06"));
  EXPECT_EQ(lease.re_lease.mode, deal::ReLease::Mode::idle);

  EXPECT_TRUE(deal.running_costs.electricity.paid_by_customer);
  EXPECT_EQ(deal.running_costs.data_centre.price, 0);
  ASSERT_EQ(deal.running_costs.others.size(), 1u);
  EXPECT_EQ(deal.running_costs.others[0].basis, deal::RunningCost::Basis::share_of_hardware_per_year);
  EXPECT_EQ(deal.running_costs.others[0].value, dec("0.012"));

  ASSERT_EQ(deal.debt.size(), 1u);
  EXPECT_EQ(deal.debt[0].share_of_capex, dec("0.85"));
  EXPECT_EQ(deal.debt[0].amount, 0);
  EXPECT_EQ(deal.debt[0].annual_rate, dec("0.05"));
  EXPECT_EQ(deal.debt[0].term_months, 60);
  EXPECT_EQ(deal.debt[0].amortisation, deal::Amortisation::annuity);
  EXPECT_EQ(deal.debt[0].day_count, time::DayCount::thirty_360_us);
  EXPECT_EQ(deal.debt[0].compounding, deal::Compounding::simple);

  EXPECT_TRUE(std::holds_alternative<deal::StraightLine>(deal.assets.book.method));
  EXPECT_EQ(deal.assets.book.life_months, 60);
  EXPECT_EQ(deal.assets.book.salvage_share, dec("0.05"));
  EXPECT_TRUE(std::holds_alternative<deal::StraightLine>(deal.assets.tax.method));  // tax defaults to book
  EXPECT_EQ(deal.assets.tax.salvage_share, dec("0.05"));
  EXPECT_EQ(std::get<deal::ResidualShare>(deal.assets.residual).share, dec("0.05"));

  EXPECT_EQ(deal.tax.income.rate, dec("0.25"));
  EXPECT_EQ(deal.tax.income.loss_carry_forward_years, 5);
  EXPECT_EQ(deal.tax.income.loss_offset_cap, 1);
  EXPECT_EQ(deal.tax.vat.refund, deal::Vat::Refund::once);
  EXPECT_EQ(deal.tax.vat.refund_month, 1);
  EXPECT_EQ(deal.tax.vat.refund_share, dec("0.608"));
  EXPECT_TRUE(deal.tax.vat.refund_booked_as_income);
  EXPECT_TRUE(deal.tax.vat.input_vat_capitalised);
}

TEST(BundledModels, GuosenPremiumStatesTheReportsFigures) {
  const deal::Deal deal = io::load_deal(models_dir() / "guosen-2025-premium-10k.yaml");
  EXPECT_EQ(deal.cluster.price_per_server, dec("3760000"));
  EXPECT_EQ(deal.cluster.price_per_server * deal.cluster.servers, dec("3850240000"));  // "37-40亿"
  const auto& lease = std::get<deal::TakeOrPay>(deal.contracts.at(0));
  EXPECT_EQ(lease.price.amount, dec("97656.25"));
  EXPECT_EQ(lease.price.amount * 1024 * 60, dec("6000000000"));  // "about 60亿"
  EXPECT_EQ(deal.debt.at(0).share_of_capex, dec("0.85"));
  EXPECT_EQ(deal.tax.vat.refund_share, dec("0.608"));
}

TEST(BundledModels, ChinaOnDemandReadsHistoryCurvesAndRackRent) {
  const deal::Deal deal = io::load_deal(models_dir() / "china-h800-on-demand.yaml");
  EXPECT_EQ(deal.cluster.price_per_server, dec("2600000"));  // the catalogue's list price
  EXPECT_EQ(deal.cluster.spares_share, dec("0.02"));
  ASSERT_EQ(deal.cluster.extra_capex.size(), 2u);
  EXPECT_EQ(deal.cluster.extra_capex[0].share_of_servers, dec("0.1"));
  EXPECT_EQ(deal.cluster.extra_capex[1].amount, dec("2000000"));
  EXPECT_EQ(deal.cluster.replacement_cost, dec("50000"));

  const auto& pool = std::get<deal::OnDemand>(deal.contracts.at(0));
  ASSERT_EQ(pool.price.points.size(), 2u);
  EXPECT_EQ(pool.price.points[0].month, -27);  // Jun 2023, before the Sep 2025 start
  EXPECT_EQ(pool.price.points[0].value, dec("100000"));
  EXPECT_EQ(pool.price.points[1].month, -3);
  EXPECT_EQ(pool.price.points[1].value, dec("66000"));
  EXPECT_EQ(pool.annual_price_decay, dec("0.188"));
  ASSERT_EQ(pool.utilisation.points.size(), 3u);
  EXPECT_EQ(pool.utilisation.points[1].month, 12);
  EXPECT_EQ(pool.utilisation.points[1].value, dec("0.7"));
  EXPECT_FALSE(pool.end.has_value());

  EXPECT_FALSE(deal.running_costs.electricity.paid_by_customer);
  EXPECT_EQ(deal.running_costs.electricity.tariff_per_kwh, dec("0.65"));
  EXPECT_EQ(deal.running_costs.electricity.pue, dec("1.3"));
  EXPECT_EQ(deal.running_costs.data_centre.basis, deal::DataCentre::Basis::per_rack_month);
  EXPECT_EQ(deal.running_costs.data_centre.price, dec("16000"));
  EXPECT_EQ(deal.running_costs.data_centre.units_per_rack, 2);

  EXPECT_EQ(deal.debt.at(0).kind, deal::DebtTranche::Kind::finance_lease);
  EXPECT_EQ(deal.assets.tax.life_months, 36);
  const auto& residual = std::get<deal::ResidualCurve>(deal.assets.residual);
  ASSERT_EQ(residual.share_by_age.points.size(), 6u);
  EXPECT_EQ(residual.share_by_age.points[1].month, 12);
  EXPECT_EQ(residual.share_by_age.points[1].value, dec("0.78"));
  EXPECT_EQ(deal.tax.vat.refund, deal::Vat::Refund::annual);
  EXPECT_FALSE(deal.tax.vat.refund_booked_as_income);
  EXPECT_FALSE(deal.tax.vat.input_vat_capitalised);
}

TEST(BundledModels, UsTakeOrPayReadsPrepaymentMacrsAndSofrDebt) {
  const deal::Deal deal = io::load_deal(models_dir() / "us-h100-take-or-pay.yaml");
  EXPECT_EQ(deal.currency, "USD");
  EXPECT_EQ(deal.horizon_months, 72);
  EXPECT_EQ(deal.cluster.price_per_server, dec("290000"));
  ASSERT_EQ(deal.cluster.deliveries.size(), 2u);
  EXPECT_EQ(deal.cluster.deliveries[1].date, deal::Date(2025, 11, 1));

  const auto& lease = std::get<deal::TakeOrPay>(deal.contracts.at(0));
  EXPECT_EQ(lease.price.amount, dec("2.10"));
  EXPECT_EQ(lease.price.unit, deal::PriceUnit::gpu_hour);
  EXPECT_EQ(lease.ramp_months, 2);
  EXPECT_EQ(lease.prepayment_share, dec("0.2"));
  EXPECT_EQ(lease.prepayment_application, deal::PrepaymentApplication::spread_over_term);
  EXPECT_EQ(lease.sla.availability_target, dec("0.995"));
  ASSERT_EQ(lease.sla.credits.size(), 2u);
  EXPECT_EQ(lease.sla.credits[0].availability_below, dec("0.995"));
  EXPECT_EQ(lease.sla.credits[1].credit_share, dec("0.1"));
  EXPECT_EQ(lease.expected_credit_loss, dec("0.005"));
  EXPECT_EQ(lease.re_lease.mode, deal::ReLease::Mode::on_demand);
  EXPECT_EQ(lease.re_lease.annual_price_decay, dec("0.25"));
  EXPECT_EQ(lease.re_lease.utilisation.points.at(0).value, dec("0.6"));

  EXPECT_EQ(deal.running_costs.electricity.tariff_per_kwh, dec("0.08"));
  EXPECT_EQ(deal.running_costs.electricity.take_or_pay_load, dec("0.8"));
  EXPECT_EQ(deal.running_costs.data_centre.basis, deal::DataCentre::Basis::per_kw_month);
  EXPECT_EQ(deal.running_costs.data_centre.price, dec("184"));
  EXPECT_EQ(deal.running_costs.others.at(3).basis, deal::RunningCost::Basis::per_gpu_month);

  const deal::DebtTranche& loan = deal.debt.at(0);
  EXPECT_EQ(loan.annual_rate, dec("0.1055"));
  EXPECT_EQ(loan.day_count, time::DayCount::act_360);
  EXPECT_EQ(loan.upfront_fee, dec("0.015"));
  EXPECT_EQ(loan.commitment_fee, dec("0.005"));

  EXPECT_EQ(deal.assets.book.life_months, 72);
  const auto& macrs = std::get<deal::Macrs>(deal.assets.tax.method);
  EXPECT_EQ(deal.assets.tax.bonus_share, 1);  // 100% bonus for property acquired after 19 Jan 2025
  EXPECT_EQ(macrs.recovery_years, 5);
  EXPECT_EQ(macrs.convention, deal::Macrs::Convention::half_year);  // forced by the model
  const auto& residual = std::get<deal::ResidualExponential>(deal.assets.residual);
  EXPECT_EQ(residual.floor, dec("0.1"));
  EXPECT_EQ(residual.annual_decay, dec("0.3"));
  EXPECT_EQ(deal.tax.income.rate, dec("0.21"));
  EXPECT_EQ(deal.tax.income.loss_carry_forward_years, 20);
  EXPECT_EQ(deal.tax.income.loss_offset_cap, dec("0.8"));
}

// ---- values and conversions ----------------------------------------------------------------------

TEST(LoadDealValues, ChineseScalesAreExact) {
  const deal::Deal deal = parse(edit(base_model, "    share_of_capex: 50%", "    amount: 1.3亿 CNY"));
  EXPECT_EQ(deal.debt.at(0).amount, dec("130000000"));
  EXPECT_EQ(deal.debt.at(0).share_of_capex, 0);
  const deal::Deal big = parse(edit(edit(base_model, "servers: 100", "servers: 1024"), "    share_of_capex: 50%",
                                    "    amount: 22.6亿 CNY"));
  EXPECT_EQ(big.debt.at(0).amount, dec("2260000000"));
}

TEST(LoadDealValues, PricePerServerOverridesTheCatalogue) {
  const deal::Deal deal = parse(edit(base_model, "  servers: 100\n", "  servers: 100\n  price_per_server: 2.5M CNY\n"));
  EXPECT_EQ(deal.cluster.price_per_server, dec("2500000"));
  EXPECT_EQ(deal.cluster.sku.list_price, dec("2600000"));
}

TEST(LoadDealValues, AnAmountWithoutCurrencyIsInTheDealsCurrency) {
  const deal::Deal deal = parse(edit(base_model, "  servers: 100\n", "  servers: 100\n  price_per_server: 2.5M\n"));
  EXPECT_EQ(deal.cluster.price_per_server, dec("2500000"));
}

TEST(LoadDealValues, OnDemandPricesBecomeUnitMonths) {
  const deal::Deal deal = parse(edit(base_model, "price: 66000 CNY/server-month", "price: 2 CNY/GPU-hour"));
  const auto& pool = std::get<deal::OnDemand>(deal.contracts.at(1));
  ASSERT_EQ(pool.price.points.size(), 1u);
  EXPECT_EQ(pool.price.points[0].month, 0);
  EXPECT_EQ(pool.price.points[0].value, dec("11680"));  // 2 x 8 GPUs x 730 hours
  EXPECT_EQ(pool.utilisation.points.size(), 1u);         // default: 100%
  EXPECT_EQ(pool.utilisation.points[0].value, 1);
}

TEST(LoadDealValues, TakeOrPayPriceUnitsAreKept) {
  const deal::Deal deal = parse(edit(base_model, "price: 60000 CNY/server-month", "price: 3000 CNY/GPU-month"));
  const auto& lease = std::get<deal::TakeOrPay>(deal.contracts.at(0));
  EXPECT_EQ(lease.price.amount, dec("3000"));
  EXPECT_EQ(lease.price.unit, deal::PriceUnit::gpu_month);
}

TEST(LoadDealValues, DefaultsWhenOptionalFieldsAreLeftOut) {
  const deal::Deal deal = parse(base_model);
  EXPECT_EQ(deal.discount_rate, 0);
  EXPECT_FALSE(deal.cluster.price_includes_vat);
  EXPECT_EQ(deal.cluster.capex_vat_rate, 0);
  const auto& lease = std::get<deal::TakeOrPay>(deal.contracts.at(0));
  EXPECT_EQ(lease.ramp_months, 0);
  EXPECT_EQ(lease.prepayment_share, 0);
  EXPECT_EQ(lease.billing, leasecalc::time::Frequency::monthly);
  EXPECT_EQ(lease.timing, leasecalc::time::PaymentTiming::in_advance);
  EXPECT_FALSE(lease.early_termination.has_value());
  EXPECT_EQ(deal.running_costs.electricity.take_or_pay_load, 1);
  EXPECT_FALSE(deal.running_costs.electricity.paid_by_customer);
  EXPECT_EQ(deal.debt.at(0).kind, deal::DebtTranche::Kind::term_loan);
  EXPECT_EQ(deal.debt.at(0).amortisation, deal::Amortisation::annuity);
  EXPECT_EQ(deal.debt.at(0).grace_months, 0);
  EXPECT_EQ(deal.assets.book.salvage_share, 0);
  EXPECT_EQ(std::get<deal::ResidualShare>(deal.assets.residual).share, 0);
  EXPECT_EQ(deal.tax.income.loss_carry_forward_years, 5);
  EXPECT_EQ(deal.tax.vat.refund, deal::Vat::Refund::none);
}

TEST(LoadDealValues, EveryDepreciationMethodMaps) {
  const auto method_of = [](const std::string& book) {
    return parse(edit(base_model, "book: {method: straight_line, life: 60 months}", book)).assets.book;
  };
  EXPECT_EQ(std::get<deal::DecliningBalance>(method_of("book: {method: double_declining, life: 48 months}").method).factor, 2);
  EXPECT_EQ(std::get<deal::DecliningBalance>(
                method_of("book: {method: declining_balance, factor: 1.5, life: 48 months}").method)
                .factor,
            dec("1.5"));
  EXPECT_TRUE(std::holds_alternative<deal::SumOfYearsDigits>(
      method_of("book: {method: sum_of_years_digits, life: 36 months, salvage: 10%}").method));
  const deal::Depreciation macrs = method_of("book: {method: macrs, class: 7 years, convention: mid_quarter}");
  EXPECT_EQ(std::get<deal::Macrs>(macrs.method).recovery_years, 7);
  EXPECT_EQ(std::get<deal::Macrs>(macrs.method).convention, deal::Macrs::Convention::mid_quarter);
  EXPECT_EQ(std::get<deal::Macrs>(method_of("book: {method: macrs, class: 5 years}").method).convention,
            deal::Macrs::Convention::forty_percent_test);
}

TEST(LoadDealValues, ReLeaseFollowOnAndEarlyTermination) {
  const deal::Deal deal = parse(edit(
      base_model, "      term: 36 months\n",
      "      term: 36 months\n      early_termination: {after: 24 months, fee: 6 months}\n"
      "      re_lease: {mode: follow_on, price_decay: 15%, discount: 5%, term: 24 months}\n"));
  const auto& lease = std::get<deal::TakeOrPay>(deal.contracts.at(0));
  ASSERT_TRUE(lease.early_termination.has_value());
  EXPECT_EQ(lease.early_termination->after_months, 24);
  EXPECT_EQ(lease.early_termination->fee_months, 6);
  EXPECT_EQ(lease.re_lease.mode, deal::ReLease::Mode::follow_on);
  EXPECT_EQ(lease.re_lease.price_discount, dec("0.05"));
  EXPECT_EQ(lease.re_lease.follow_on_term_months, 24);
}

TEST(LoadDealValues, ReLeaseAtAStatedMarketPrice) {
  const deal::Deal deal = parse(edit(base_model, "      term: 36 months\n",
                                     "      term: 36 months\n"
                                     "      re_lease: {mode: on_demand, market_price: 1.7 CNY/GPU-hour, price_decay: 20%}\n"));
  const auto& lease = std::get<deal::TakeOrPay>(deal.contracts.at(0));
  ASSERT_TRUE(lease.re_lease.market_price.has_value());
  EXPECT_EQ(lease.re_lease.market_price->amount, dec("1.7"));
  EXPECT_EQ(lease.re_lease.market_price->unit, deal::PriceUnit::gpu_hour);
  // Without it, the re-lease decays from the contract's own price.
  EXPECT_FALSE(std::get<deal::TakeOrPay>(parse(base_model).contracts.at(0)).re_lease.market_price.has_value());
}

TEST(LoadDealValues, ContractsThatDoNotOverlapMayEachUseTheWholeFleet) {
  // The take-or-pay ends after 36 months; a second one for the whole fleet starts then.
  const deal::Deal deal = parse(edit(base_model, "  - on_demand:\n      name: pool\n      servers: 40\n      start: 2025-09-01\n      price: 66000 CNY/server-month\n",
                                     "  - take_or_pay:\n      name: second\n      servers: 100\n      start: 2028-09-01\n      price: 50000 CNY/server-month\n      term: 24 months\n"));
  EXPECT_EQ(deal.contracts.size(), 2u);
}

TEST(LoadDealValues, MegawattHourTariffIsPerKilowattHour) {
  const deal::Deal deal = parse(edit(base_model, "tariff: 0.65 CNY/kWh", "tariff: 650 CNY/MWh"));
  EXPECT_EQ(deal.running_costs.electricity.tariff_per_kwh, dec("0.65"));
}

TEST(LoadDealValues, ExplicitCataloguePath) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "leasecalc_io_load_deal_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  {
    std::ofstream(dir / "model.yaml") << base_model;
    std::ofstream(dir / "other.yaml") << "skus:\n  - {name: H800, description: x, unit: server, gpus_per_unit: 8, list_price: 1M CNY,"
                                         " load_power: 10 kW, idle_power: 3 kW}\n";
  }
  EXPECT_EQ(io::load_deal(dir / "model.yaml", dir / "other.yaml").cluster.price_per_server, dec("1000000"));
  // Without a path the catalogue is <model dir>/catalog/gpus.yaml, which does not exist here, and
  // then the bundled one: the H800 at its list price there.
  EXPECT_EQ(io::load_deal(dir / "model.yaml").cluster.price_per_server, dec("2600000"));
  // With no catalogue anywhere the model is blamed, told every place looked and how to name one.
  const std::filesystem::path nowhere = dir / "share" / "gpus.yaml";
  try {
    io::load_deal(dir / "model.yaml", io::CatalogueSearch{{nowhere}});
    ADD_FAILURE() << "loaded without a catalogue";
  } catch (const io::InputError& error) {
    EXPECT_EQ(error.file(), (dir / "model.yaml").string());
    EXPECT_EQ(error.detail(), "no GPU catalogue: looked for " + (dir / "catalog" / "gpus.yaml").string() + " or " +
                                  nowhere.string() +
                                  "; give the model a top-level `catalog:` path to one (relative to the model)")
        << error.what();
  }
  // A catalogue beside the model comes before the bundled one.
  std::filesystem::create_directories(dir / "catalog");
  std::filesystem::copy_file(dir / "other.yaml", dir / "catalog" / "gpus.yaml");
  EXPECT_EQ(io::load_deal(dir / "model.yaml").cluster.price_per_server, dec("1000000"));
  std::filesystem::remove_all(dir);
}

TEST(LoadDealValues, ModelNamesItsCatalogueRelativeToItself) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "leasecalc_io_catalog_field_test";
  std::filesystem::create_directories(dir / "deals");
  std::filesystem::create_directories(dir / "shared");
  {
    std::ofstream(dir / "deals" / "model.yaml") << "catalog: ../shared/skus.yaml\n" << base_model;
    std::ofstream(dir / "shared" / "skus.yaml") << "skus:\n  - {name: H800, description: x, unit: server, gpus_per_unit: 8, "
                                                   "list_price: 1.5M CNY, load_power: 10 kW, idle_power: 3 kW}\n";
    std::ofstream(dir / "other.yaml") << "skus:\n  - {name: H800, description: x, unit: server, gpus_per_unit: 8, list_price: 1M CNY,"
                                         " load_power: 10 kW, idle_power: 3 kW}\n";
    std::ofstream(dir / "deals" / "lost.yaml") << "catalog: ../nowhere.yaml\n" << base_model;
  }
  EXPECT_EQ(io::load_deal(dir / "deals" / "model.yaml").cluster.price_per_server, dec("1500000"));
  // A catalogue the caller gives takes precedence over the one the model names.
  EXPECT_EQ(io::load_deal(dir / "deals" / "model.yaml", dir / "other.yaml").cluster.price_per_server, dec("1000000"));
  try {
    io::load_deal(dir / "deals" / "lost.yaml");
    ADD_FAILURE() << "loaded with a missing catalogue";
  } catch (const io::InputError& error) {
    EXPECT_EQ(error.file(), (dir / "deals" / "lost.yaml").string());
    EXPECT_EQ(error.line(), 1);
    EXPECT_EQ(error.column(), 10);
    EXPECT_EQ(error.path(), "catalog");
    EXPECT_NE(error.detail().find("nowhere.yaml is not a readable file"), std::string::npos) << error.what();
  }
  std::filesystem::remove_all(dir);
}

// ---- generic reading rules -------------------------------------------------------------------------

TEST(LoadDealErrors, UnknownTopLevelKeySuggestsTheMeantOne) {
  const std::optional<io::InputError> error = error_of(edit(base_model, "contracts:", "contract:"));
  ASSERT_TRUE(error);
  EXPECT_EQ(error->line(), 9);
  EXPECT_EQ(error->column(), 1);
  EXPECT_EQ(error->path(), "contract");
  EXPECT_NE(error->detail().find("unknown key \"contract\" (did you mean \"contracts\"?)"), std::string::npos)
      << error->what();
}

TEST(LoadDealErrors, UnknownNestedKey) {
  const std::string text = edit(base_model, "  servers: 100\n", "  servers: 100\n  spare: 2%\n");
  const std::optional<io::InputError> error = error_of(text);
  ASSERT_TRUE(error);
  const Where where = locate(text, "spare: 2%", "spare");
  EXPECT_EQ(error->line(), where.line);
  EXPECT_EQ(error->column(), where.column);
  EXPECT_EQ(error->path(), "cluster.spare");
  EXPECT_NE(error->detail().find("(did you mean \"spares\"?)"), std::string::npos) << error->what();
}

TEST(LoadDealErrors, WrongType) {
  expect_edit_error("servers: 100", "servers: many", "servers: many", "many", "cluster.servers",
                    "expected a whole number such as \"1024\", got \"many\"");
}

TEST(LoadDealErrors, MissingRequiredField) {
  const std::string text = edit(base_model, "  currency: CNY\n", "");
  expect_error(text, "  name: test deal", "name", "deal",
               "missing required key \"currency\" (expected a currency code such as \"CNY\" or \"USD\")");
}

TEST(LoadDealErrors, UnitIsRequiredOnDurations) {
  expect_edit_error("horizon: 60 months", "horizon: 60", "horizon: 60", "60", "deal.horizon",
                    "expected a duration such as \"60 months\" or \"5 years\", got \"60\" (write the unit, months or years)");
}

// ---- ranges ------------------------------------------------------------------------------------

TEST(LoadDealErrors, CountsArePositive) {
  expect_edit_error("servers: 60", "servers: 0", "servers: 0", "0", "contracts[0].take_or_pay.servers",
                    "expected a whole number greater than zero, got \"0\"");
}

TEST(LoadDealErrors, HorizonIsPositive) {
  expect_edit_error("horizon: 60 months", "horizon: 0 months", "horizon: 0 months", "0 months", "deal.horizon",
                    "expected a duration greater than zero, got \"0 months\"");
}

TEST(LoadDealErrors, TermsArePositive) {
  expect_edit_error("term: 36 months", "term: 0 months", "term: 0 months", "0 months",
                    "contracts[0].take_or_pay.term", "expected a duration greater than zero, got \"0 months\"");
}

TEST(LoadDealErrors, AmountsAreNotNegative) {
  const std::string text = edit(base_model, "  servers: 100\n", "  servers: 100\n  replacement_cost: -5k CNY\n");
  expect_error(text, "-5k CNY", "-5k", "cluster.replacement_cost",
               "expected an amount of money that is not negative, got \"-5k CNY\"");
}

TEST(LoadDealErrors, PricesAreNotNegative) {
  expect_edit_error("price: 60000 CNY/server-month", "price: -60000 CNY/server-month", "-60000", "-60000",
                    "contracts[0].take_or_pay.price", "expected a price that is not negative, got \"-60000 CNY/server-month\"");
}

TEST(LoadDealErrors, RatesAreNotNegative) {
  expect_edit_error("rate: 5%", "rate: -1%", "rate: -1%", "-1%", "financing[0].rate",
                    "expected an annual rate from 0% to 1000%, got \"-1%\"");
}

TEST(LoadDealErrors, DiscountRateIsNotNegative) {
  expect_edit_error("  horizon: 60 months\n", "  horizon: 60 months\n  discount_rate: -2%\n", "-2%", "-2%",
                    "deal.discount_rate", "expected an annual rate from 0% to 1000%, got \"-2%\"");
}

// Annual rates (discount, escalators, residual decay) stop at 1000% a year, so that compounding
// over a 50-year horizon stays finite; 1000% itself is accepted.
TEST(LoadDealErrors, AnnualRatesAreAtMostAThousandPercent) {
  expect_edit_error("  horizon: 60 months\n", "  horizon: 60 months\n  discount_rate: 1001%\n", "1001%", "1001%",
                    "deal.discount_rate", "expected an annual rate from 0% to 1000%, got \"1001%\"");
  EXPECT_NO_THROW(parse(edit(base_model, "  horizon: 60 months\n", "  horizon: 60 months\n  discount_rate: 1000%\n")));
}

TEST(LoadDealErrors, UtilisationIsAShare) {
  const std::string text = edit(base_model, "      price: 66000 CNY/server-month\n",
                                "      price: 66000 CNY/server-month\n      utilisation: 120%\n");
  expect_error(text, "120%", "120%", "contracts[1].on_demand.utilisation",
               "expected a percentage from 0% to 100%, got \"120%\"");
}

TEST(LoadDealErrors, PrepaymentIsAShare) {
  const std::string text = edit(base_model, "      term: 36 months\n",
                                "      term: 36 months\n      prepayment: {share: 101%}\n");
  expect_error(text, "101%", "101%", "contracts[0].take_or_pay.prepayment.share",
               "expected a percentage from 0% to 100%, got \"101%\"");
}

TEST(LoadDealErrors, SalvageIsAShare) {
  expect_edit_error("life: 60 months}", "life: 60 months, salvage: 150%}", "150%", "150%",
                    "depreciation.book.salvage", "expected a percentage from 0% to 100%, got \"150%\"");
}

TEST(LoadDealErrors, ShareOfCapexIsAShare) {
  expect_edit_error("share_of_capex: 50%", "share_of_capex: 120%", "120%", "120%", "financing[0].share_of_capex",
                    "expected a percentage from 0% to 100%, got \"120%\"");
}

TEST(LoadDealErrors, SparesAreAShareOfServers) {
  const std::string text = edit(base_model, "  servers: 100\n", "  servers: 100\n  spares: 200%\n");
  expect_error(text, "200%", "200%", "cluster.spares", "expected a percentage from 0% to 100%, got \"200%\"");
}

TEST(LoadDealErrors, SlaCreditIsAShare) {
  const std::string text = edit(base_model, "      term: 36 months\n",
                                "      term: 36 months\n      sla: {target: 99.5%, expected: 99%, credits: "
                                "[{below: 99%, credit: 110%}]}\n");
  expect_error(text, "110%", "110%", "contracts[0].take_or_pay.sla.credits[0].credit",
               "expected a percentage from 0% to 100%, got \"110%\"");
}

TEST(LoadDealErrors, PueIsFromOneToThree) {
  expect_edit_error("pue: 1.3", "pue: 0.9", "pue: 0.9", "0.9", "running_costs.electricity.pue",
                    "expected a PUE from 1 to 3 (facility power over IT power), got \"0.9\"");
  expect_edit_error("pue: 1.3", "pue: 1000", "pue: 1000", "1000", "running_costs.electricity.pue",
                    "expected a PUE from 1 to 3 (facility power over IT power), got \"1000\"");
  EXPECT_NO_THROW(parse(edit(base_model, "pue: 1.3", "pue: 3")));
}

TEST(LoadDealErrors, GraceIsShorterThanTheTerm) {
  expect_edit_error("    term: 60 months\n", "    term: 60 months\n    grace: 60 months\n", "grace: 60 months",
                    "60 months", "financing[0].grace",
                    "expected a grace period shorter than the term (60 months), got \"60 months\"");
}

TEST(LoadDealErrors, RampIsNotLongerThanTheTerm) {
  expect_edit_error("      term: 36 months\n", "      term: 36 months\n      ramp: 40 months\n", "ramp: 40 months",
                    "40 months", "contracts[0].take_or_pay.ramp",
                    "expected a ramp not longer than the term (36 months), got \"40 months\"");
}

TEST(LoadDealErrors, EarlyTerminationIsBeforeTheEndOfTheTerm) {
  expect_edit_error("      term: 36 months\n",
                    "      term: 36 months\n      early_termination: {after: 36 months, fee: 6 months}\n",
                    "after: 36 months", "36 months", "contracts[0].take_or_pay.early_termination.after",
                    "expected a duration shorter than the term (36 months), got \"36 months\"");
}

// ---- deliveries ----------------------------------------------------------------------------------

TEST(LoadDealErrors, DeliveriesInsideTheHorizon) {
  const std::string text = edit(base_model, "  servers: 100\n",
                                "  servers: 100\n  deliveries:\n    - {date: 2025-09-01, servers: 50}\n"
                                "    - {date: 2030-09-01, servers: 50}\n");
  expect_error(text, "2030-09-01", "2030-09-01", "cluster.deliveries[1].date",
               "expected a date inside the horizon, from 2025-09-01 to before 2030-09-01, got \"2030-09-01\"");
}

TEST(LoadDealErrors, DeliveriesBeforeTheStart) {
  const std::string text = edit(base_model, "  servers: 100\n",
                                "  servers: 100\n  deliveries:\n    - {date: 2025-08-01, servers: 100}\n");
  expect_error(text, "2025-08-01", "2025-08-01", "cluster.deliveries[0].date",
               "expected a date inside the horizon, from 2025-09-01 to before 2030-09-01, got \"2025-08-01\"");
}

TEST(LoadDealErrors, DeliveriesAddUpToTheFleet) {
  const std::string text = edit(base_model, "  servers: 100\n",
                                "  servers: 100\n  deliveries:\n    - {date: 2025-09-01, servers: 50}\n"
                                "    - {date: 2025-10-01, servers: 40}\n");
  expect_error(text, "- {date: 2025-09-01", "-", "cluster.deliveries",
               "expected deliveries adding up to cluster.servers (100), got 90");
}

TEST(LoadDealErrors, DeliveriesInDateOrder) {
  const std::string text = edit(base_model, "  servers: 100\n",
                                "  servers: 100\n  deliveries:\n    - {date: 2025-10-01, servers: 50}\n"
                                "    - {date: 2025-09-01, servers: 50}\n");
  expect_error(text, "{date: 2025-09-01", "2025-09-01", "cluster.deliveries[1].date",
               "expected a date on or after the previous delivery's (2025-10-01), got \"2025-09-01\"");
}

TEST(LoadDealErrors, NoExtraCapexWithoutOwnedServers) {
  const std::string text = edit(base_model, "  servers: 100\n",
                                "  servers: 0\n  extra_capex: [{name: machine room, amount: 2M CNY}]\n");
  expect_error(text, "[{name: machine room", "[", "cluster.extra_capex",
               "expected no extra_capex when cluster.servers is 0 (no owned hardware), got a list");
}

TEST(LoadDealErrors, NoContractsWithoutOwnedServers) {
  expect_edit_error("servers: 100", "servers: 0", "servers: 60", "60", "contracts[0].take_or_pay.servers",
                    "expected contracts holding at most cluster.servers (0) at any time, got 60 in the month from "
                    "2025-09-01");
}

TEST(LoadDealErrors, DeliveryServersArePositive) {
  const std::string text = edit(base_model, "  servers: 100\n",
                                "  servers: 100\n  deliveries:\n    - {date: 2025-09-01, servers: 100}\n"
                                "    - {date: 2025-10-01, servers: 0}\n");
  expect_error(text, "servers: 0}", "0", "cluster.deliveries[1].servers",
               "expected a whole number greater than zero, got \"0\"");
}

// ---- contracts -----------------------------------------------------------------------------------

TEST(LoadDealErrors, ContractsNotAboveTheFleetAtAnyTime) {
  expect_edit_error("      servers: 40\n", "      servers: 41\n", "servers: 41", "41",
                    "contracts[1].on_demand.servers",
                    "expected contracts holding at most cluster.servers (100) at any time, got 101 in the month "
                    "from 2025-09-01");
}

TEST(LoadDealErrors, ContractsAboveTheFleetLaterInTheHorizon) {
  // The on-demand pool starts when the take-or-pay is still running.
  const std::string text = edit(base_model, "      servers: 40\n      start: 2025-09-01\n",
                                "      servers: 100\n      start: 2028-08-01\n");
  expect_error(text, "servers: 100\n      start: 2028", "100", "contracts[1].on_demand.servers",
               "expected contracts holding at most cluster.servers (100) at any time, got 160 in the month "
               "from 2028-08-01");
}

TEST(LoadDealErrors, ContractStartInsideTheHorizon) {
  expect_edit_error("      start: 2025-09-01\n      term: 36 months", "      start: 2030-09-01\n      term: 36 months",
                    "2030-09-01", "2030-09-01", "contracts[0].take_or_pay.start",
                    "expected a date inside the horizon, from 2025-09-01 to before 2030-09-01, got \"2030-09-01\"");
}

TEST(LoadDealErrors, ContractStartNotBeforeTheDeal) {
  expect_edit_error("      start: 2025-09-01\n      price: 66000", "      start: 2025-01-01\n      price: 66000",
                    "2025-01-01", "2025-01-01", "contracts[1].on_demand.start",
                    "expected a date inside the horizon, from 2025-09-01 to before 2030-09-01, got \"2025-01-01\"");
}

TEST(LoadDealErrors, OnDemandEndsAfterItsStartAndInsideTheHorizon) {
  const std::string text = edit(base_model, "      price: 66000 CNY/server-month\n",
                                "      price: 66000 CNY/server-month\n      end: 2031-01-01\n");
  expect_error(text, "end: 2031-01-01", "2031-01-01", "contracts[1].on_demand.end",
               "expected a date after the start (2025-09-01) and not after the horizon's end (2030-09-01), got "
               "\"2031-01-01\"");
}

TEST(LoadDealErrors, ContractItemHasExactlyOneKind) {
  const std::string text = edit(base_model, "      price: 66000 CNY/server-month\n",
                                "      price: 66000 CNY/server-month\n    take_or_pay: {}\n");
  const std::optional<io::InputError> error = error_of(text);
  ASSERT_TRUE(error);
  const Where where = locate(text, "take_or_pay: {}", "{}");
  EXPECT_EQ(error->line(), where.line);
  EXPECT_EQ(error->column(), where.column);
  EXPECT_EQ(error->path(), "contracts[1].take_or_pay");
  EXPECT_EQ(error->detail(), "expected exactly one of take_or_pay or on_demand, got both on_demand and take_or_pay");
}

TEST(LoadDealErrors, ContractItemNeedsAKind) {
  expect_edit_error("  - on_demand:\n      name: pool\n      servers: 40\n      start: 2025-09-01\n"
                    "      price: 66000 CNY/server-month\n",
                    "  - {}\n", "- {}", "{}", "contracts[1]", "expected one of take_or_pay or on_demand, got none");
}

TEST(LoadDealErrors, ContractItemWithAnUnknownKind) {
  const std::string text = edit(base_model, "  - on_demand:", "  - spot:");
  const std::optional<io::InputError> error = error_of(text);
  ASSERT_TRUE(error);
  const Where where = locate(text, "- spot:", "spot");
  EXPECT_EQ(error->line(), where.line);
  EXPECT_EQ(error->column(), where.column);
  EXPECT_EQ(error->path(), "contracts[1].spot");
  EXPECT_NE(error->detail().find("unknown key \"spot\""), std::string::npos) << error->what();
  EXPECT_NE(error->detail().find("take_or_pay, on_demand"), std::string::npos) << error->what();
}

TEST(LoadDealErrors, ContractPriceUnit) {
  expect_edit_error("price: 60000 CNY/server-month", "price: 0.65 CNY/kWh", "price: 0.65 CNY/kWh", "0.65",
                    "contracts[0].take_or_pay.price",
                    "expected a price per GPU-hour, GPU-month, server-hour, server-month, rack-hour or rack-month, "
                    "got \"0.65 CNY/kWh\"");
}

TEST(LoadDealErrors, PriceInAnotherCurrency) {
  expect_edit_error("price: 60000 CNY/server-month", "price: 8000 USD/server-month", "8000 USD", "8000",
                    "contracts[0].take_or_pay.price",
                    "expected a price in CNY (the deal's currency), got \"8000 USD/server-month\"");
}

TEST(LoadDealErrors, OnDemandHasPriceOrHistoryNotBoth) {
  const std::string text = edit(base_model, "      price: 66000 CNY/server-month\n",
                                "      price: 66000 CNY/server-month\n      price_history: []\n");
  expect_error(text, "price_history: []", "[]", "contracts[1].on_demand.price_history",
               "expected exactly one of price or price_history, got both price and price_history");
}

TEST(LoadDealErrors, OnDemandNeedsAPrice) {
  const std::string text = edit(base_model, "      price: 66000 CNY/server-month\n", "");
  expect_error(text, "name: pool", "name", "contracts[1].on_demand",
               "expected one of price or price_history, got none");
}

TEST(LoadDealErrors, PriceHistoryInDateOrder) {
  const std::string text = edit(base_model, "      price: 66000 CNY/server-month\n",
                                "      price_history:\n"
                                "        - {date: 2024-06-01, price: 80000 CNY/server-month}\n"
                                "        - {date: 2023-06-01, price: 100000 CNY/server-month}\n");
  expect_error(text, "{date: 2023-06-01", "2023-06-01", "contracts[1].on_demand.price_history[1].date",
               "expected a date at least a month after the previous point's (2024-06-01), got \"2023-06-01\"");
}

TEST(LoadDealErrors, PriceHistoryIsNotEmpty) {
  const std::string text = edit(base_model, "      price: 66000 CNY/server-month\n", "      price_history: []\n");
  expect_error(text, "price_history: []", "[]", "contracts[1].on_demand.price_history",
               "expected at least one {date, price} point, got an empty list");
}

TEST(LoadDealErrors, UtilisationCurveMonthsIncrease) {
  const std::string text = edit(base_model, "      price: 66000 CNY/server-month\n",
                                "      price: 66000 CNY/server-month\n"
                                "      utilisation: [{month: 12, value: 70%}, {month: 6, value: 50%}]\n");
  expect_error(text, "month: 6", "6", "contracts[1].on_demand.utilisation[1].month",
               "expected a month after the previous point's (12), got \"6\"");
}

TEST(LoadDealErrors, ReLeaseDiscountOnlyWithFollowOn) {
  const std::string text = edit(base_model, "      term: 36 months\n",
                                "      term: 36 months\n      re_lease: {mode: on_demand, discount: 5%}\n");
  expect_error(text, "discount: 5%", "5%", "contracts[0].take_or_pay.re_lease.discount",
               "expected no discount unless mode is follow_on, got \"5%\"");
}

TEST(LoadDealErrors, ReLeaseFollowOnNeedsATerm) {
  const std::string text = edit(base_model, "      term: 36 months\n",
                                "      term: 36 months\n      re_lease: {mode: follow_on}\n");
  expect_error(text, "{mode: follow_on}", "{", "contracts[0].take_or_pay.re_lease",
               "missing required key \"term\" (expected a duration greater than zero)");
}

TEST(LoadDealErrors, ReLeaseUtilisationOnlyOnDemand) {
  const std::string text = edit(base_model, "      term: 36 months\n",
                                "      term: 36 months\n      re_lease: {mode: idle, utilisation: 50%}\n");
  expect_error(text, "utilisation: 50%", "50%", "contracts[0].take_or_pay.re_lease.utilisation",
               "expected no utilisation unless mode is on_demand, got \"50%\"");
}

TEST(LoadDealErrors, ReLeaseMarketPriceNotWhenIdle) {
  const std::string text = edit(base_model, "      term: 36 months\n",
                                "      term: 36 months\n      re_lease: {mode: idle, market_price: 50000 CNY/server-month}\n");
  expect_error(text, "market_price: 50000 CNY/server-month", "50000 CNY/server-month", "contracts[0].take_or_pay.re_lease.market_price",
               "expected no market_price unless mode is on_demand or follow_on, got \"50000 CNY/server-month\"");
}

TEST(LoadDealErrors, ReLeaseMarketPriceInTheDealsCurrency) {
  const std::string text = edit(base_model, "      term: 36 months\n",
                                "      term: 36 months\n      re_lease: {mode: on_demand, market_price: 2 USD/GPU-hour}\n");
  expect_error(text, "market_price: 2 USD/GPU-hour", "2 USD/GPU-hour", "contracts[0].take_or_pay.re_lease.market_price",
               "expected a price in CNY (the deal's currency), got \"2 USD/GPU-hour\"");
}

TEST(LoadDealErrors, UnknownEnumerationValue) {
  const std::string text = edit(base_model, "      term: 36 months\n",
                                "      term: 36 months\n      billing: {frequency: monthy}\n");
  expect_error(text, "monthy", "monthy", "contracts[0].take_or_pay.billing.frequency",
               "expected one of monthly or quarterly, got \"monthy\" (did you mean \"monthly\"?)");
}

// ---- cluster and catalogue -------------------------------------------------------------------------

TEST(LoadDealErrors, UnknownSkuListsTheKnownOnes) {
  expect_edit_error("sku: H800", "sku: H900", "sku: H900", "H900", "cluster.sku",
                    "expected a SKU from catalogue.yaml (H800, H100 or GB200-NVL72), got \"H900\"; did you mean "
                    "\"H800\"?");
}

TEST(LoadDealErrors, CatalogueCurrencyMustMatchWhenTheListPriceIsUsed) {
  expect_edit_error("sku: H800", "sku: H100", "sku: H100", "H100", "cluster.sku",
                    "expected a SKU listed in CNY (the deal's currency) or a price_per_server in CNY, got \"H100\", "
                    "listed at 290000 USD");
}

TEST(LoadDealValues, CatalogueCurrencyDoesNotMatterWithAPricePerServer) {
  const deal::Deal deal =
      parse(edit(base_model, "  sku: H800\n  servers: 100\n", "  sku: H100\n  servers: 100\n  price_per_server: 2.1M CNY\n"));
  EXPECT_EQ(deal.cluster.price_per_server, dec("2100000"));
}

TEST(LoadDealErrors, AmountInAnotherCurrency) {
  const std::string text = edit(base_model, "  servers: 100\n", "  servers: 100\n  price_per_server: 300k USD\n");
  expect_error(text, "300k USD", "300k", "cluster.price_per_server",
               "expected an amount in CNY, got \"300k USD\"");
}

TEST(LoadDealErrors, ExtraCapexHasAmountOrShareNotBoth) {
  const std::string text = edit(base_model, "  servers: 100\n",
                                "  servers: 100\n  extra_capex:\n    - {name: fabric, amount: 1M CNY, "
                                "share_of_servers: 10%}\n");
  expect_error(text, "share_of_servers: 10%", "10%", "cluster.extra_capex[0].share_of_servers",
               "expected exactly one of amount or share_of_servers, got both amount and share_of_servers");
}

TEST(LoadDealErrors, ExtraCapexNeedsAmountOrShare) {
  const std::string text = edit(base_model, "  servers: 100\n", "  servers: 100\n  extra_capex:\n    - {name: fabric}\n");
  expect_error(text, "{name: fabric}", "{", "cluster.extra_capex[0]",
               "expected one of amount or share_of_servers, got none");
}

const char* const catalogue_text = R"(skus:
  - name: H800
    description: test server
    unit: server
    gpus_per_unit: 8
    list_price: 2.6M CNY
    load_power: 10.2 kW
    idle_power: 3.6 kW
)";

void expect_catalogue_error(const std::string& text, std::string_view context, std::string_view part,
                            const std::string& path, const std::string& detail) {
  try {
    io::parse_catalogue(text, "gpus.yaml");
    ADD_FAILURE() << "the catalogue loaded:\n" << text;
  } catch (const io::InputError& error) {
    const Where where = locate(text, context, part);
    EXPECT_EQ(error.file(), "gpus.yaml");
    EXPECT_EQ(error.line(), where.line) << error.what();
    EXPECT_EQ(error.column(), where.column) << error.what();
    EXPECT_EQ(error.path(), path) << error.what();
    EXPECT_EQ(error.detail(), detail) << error.what();
  }
}

TEST(CatalogueErrors, TheTestCatalogueLoads) {
  const io::Catalogue catalogue = io::parse_catalogue(catalogue_text, "gpus.yaml");
  ASSERT_EQ(catalogue.skus.size(), 1u);
  EXPECT_EQ(catalogue.source, "gpus.yaml");
  EXPECT_EQ(catalogue.skus[0].kw_idle, dec("3.6"));
}

TEST(CatalogueErrors, NamesAreUnique) {
  const std::string text = std::string(catalogue_text) + "  - {name: H800, description: again, unit: server, gpus_per_unit: 8, "
                                                          "list_price: 1M CNY, load_power: 1 kW, idle_power: 1 kW}\n";
  expect_catalogue_error(text, "{name: H800", "H800", "skus[1].name",
                         "expected a name not used by an earlier entry, got \"H800\"");
}

TEST(CatalogueErrors, ListPriceNamesItsCurrency) {
  expect_catalogue_error(edit(catalogue_text, "2.6M CNY", "2.6M"), "list_price: 2.6M", "2.6M", "skus[0].list_price",
                         "expected an amount naming its currency, such as \"2.6M CNY\", got \"2.6M\"");
}

TEST(CatalogueErrors, IdlePowerNotAboveLoad) {
  expect_catalogue_error(edit(catalogue_text, "idle_power: 3.6 kW", "idle_power: 11 kW"), "11 kW", "11",
                         "skus[0].idle_power", "expected a power not above load_power (10.2 kW), got \"11 kW\"");
}

TEST(CatalogueErrors, UnitIsAServerOrARack) {
  expect_catalogue_error(edit(catalogue_text, "unit: server", "unit: node"), "unit: node", "node", "skus[0].unit",
                         "expected one of server or rack, got \"node\"");
  const std::string text = edit(catalogue_text, "    unit: server\n", "");
  try {
    io::parse_catalogue(text, "gpus.yaml");
    ADD_FAILURE() << "a catalogue entry without its unit loaded";
  } catch (const io::InputError& error) {
    EXPECT_EQ(error.path(), "skus[0]") << error.what();
    EXPECT_EQ(error.detail(), "missing required key \"unit\" (expected one of server or rack)") << error.what();
  }
}

// A contract's price per server or per rack must match what a unit of the SKU is.
TEST(LoadDealErrors, RentalPriceUnitMatchesTheSkuKind) {
  expect_edit_error("price: 60000 CNY/server-month", "price: 60000 CNY/rack-month", "60000 CNY/rack-month", "60000",
                    "contracts[0].take_or_pay.price",
                    "expected a price per GPU or per server (a unit of H800 is a server in the catalogue), "
                    "got \"60000 CNY/rack-month\"");
}

TEST(CatalogueErrors, UnknownKey) {
  const std::string text = edit(catalogue_text, "    idle_power: 3.6 kW\n", "    idle_power: 3.6 kW\n    tdp: 700 W\n");
  try {
    io::parse_catalogue(text, "gpus.yaml");
    ADD_FAILURE() << "loaded";
  } catch (const io::InputError& error) {
    EXPECT_EQ(error.path(), "skus[0].tdp");
    EXPECT_EQ(error.line(), 9);
    EXPECT_EQ(error.column(), 5);
  }
}

// ---- running costs -------------------------------------------------------------------------------

TEST(LoadDealErrors, RackRentNeedsServersPerRack) {
  const std::string text = edit(base_model, "  electricity: {tariff: 0.65 CNY/kWh, pue: 1.3}\n",
                                "  electricity: {tariff: 0.65 CNY/kWh, pue: 1.3}\n"
                                "  data_centre: {rent: 30000 CNY/rack-month}\n");
  expect_error(text, "{rent: 30000", "{", "running_costs.data_centre", "missing required key \"servers_per_rack\" "
                                                                       "(expected a whole number greater than zero)");
}

TEST(LoadDealErrors, ServersPerRackOnlyWithRackRent) {
  const std::string text = edit(base_model, "  electricity: {tariff: 0.65 CNY/kWh, pue: 1.3}\n",
                                "  electricity: {tariff: 0.65 CNY/kWh, pue: 1.3}\n"
                                "  data_centre: {rent: 184 CNY/kW-month, servers_per_rack: 4}\n");
  expect_error(text, "servers_per_rack: 4", "4", "running_costs.data_centre.servers_per_rack",
               "expected no servers_per_rack with a rent per kW-month, got \"4\"");
}

TEST(LoadDealErrors, TariffIsPerEnergy) {
  expect_edit_error("tariff: 0.65 CNY/kWh", "tariff: 0.65 CNY/kW-month", "0.65 CNY/kW-month", "0.65",
                    "running_costs.electricity.tariff", "expected a price per kWh or MWh, got \"0.65 CNY/kW-month\"");
}

TEST(LoadDealErrors, RunningCostHasExactlyOneBasis) {
  const std::string text = edit(base_model, "  electricity: {tariff: 0.65 CNY/kWh, pue: 1.3}\n",
                                "  electricity: {tariff: 0.65 CNY/kWh, pue: 1.3}\n"
                                "  other:\n    - {name: O&M, share_of_hardware: 1%, amount: 1M CNY}\n");
  expect_error(text, "amount: 1M CNY", "1M", "running_costs.other[0].amount",
               "expected exactly one of amount, share_of_hardware, per_gpu_month, share_of_revenue or rented_gpus, "
               "got both share_of_hardware and amount");
}

TEST(LoadDealErrors, RunningCostNeedsABasis) {
  const std::string text = edit(base_model, "  electricity: {tariff: 0.65 CNY/kWh, pue: 1.3}\n",
                                "  electricity: {tariff: 0.65 CNY/kWh, pue: 1.3}\n  other:\n    - {name: Staff}\n");
  expect_error(text, "{name: Staff}", "{", "running_costs.other[0]",
               "expected one of amount, share_of_hardware, per_gpu_month, share_of_revenue or rented_gpus, got none");
}

TEST(LoadDealValues, RentedGpusArePricedPerGpuMonth) {
  const deal::Deal deal = parse(edit(base_model, "  electricity: {tariff: 0.65 CNY/kWh, pue: 1.3}\n",
                                     "  electricity: {tariff: 0.65 CNY/kWh, pue: 1.3}\n  other:\n"
                                     "    - {name: burst, rented_gpus: {gpus: 16, price: 2 CNY/GPU-hour, utilisation: 50%}}\n"));
  const deal::RunningCost& rent = deal.running_costs.others.at(0);
  EXPECT_EQ(rent.basis, deal::RunningCost::Basis::rented_gpu_month);
  EXPECT_EQ(rent.rented_gpus, 16);
  EXPECT_EQ(rent.value, dec("1460"));  // 2 x 730 hours
  EXPECT_EQ(rent.utilisation.points.at(0).value, dec("0.5"));
}

TEST(LoadDealErrors, RentedGpusPricePerGpu) {
  const std::string text = edit(base_model, "  electricity: {tariff: 0.65 CNY/kWh, pue: 1.3}\n",
                                "  electricity: {tariff: 0.65 CNY/kWh, pue: 1.3}\n  other:\n"
                                "    - {name: burst, rented_gpus: {gpus: 16, price: 9000 CNY/server-month}}\n");
  expect_error(text, "9000 CNY/server-month", "9000", "running_costs.other[0].rented_gpus.price",
               "expected a price per GPU-hour or GPU-month, got \"9000 CNY/server-month\"");
}

TEST(LoadDealErrors, RentedGpusCountIsPositive) {
  const std::string text = edit(base_model, "  electricity: {tariff: 0.65 CNY/kWh, pue: 1.3}\n",
                                "  electricity: {tariff: 0.65 CNY/kWh, pue: 1.3}\n  other:\n"
                                "    - {name: burst, rented_gpus: {gpus: 0, price: 2 CNY/GPU-hour}}\n");
  expect_error(text, "gpus: 0", "0", "running_costs.other[0].rented_gpus.gpus",
               "expected a whole number greater than zero, got \"0\"");
}

// ---- financing -----------------------------------------------------------------------------------

TEST(LoadDealErrors, DebtSharesAboveTheCapex) {
  const std::string text =
      edit(base_model, "    term: 60 months\n",
           "    term: 60 months\n  - {name: mezzanine, share_of_capex: 60%, rate: 9%, term: 36 months}\n");
  expect_error(text, "share_of_capex: 60%", "60%", "financing[1].share_of_capex",
               "expected debt not above the capex (260000000 CNY), got tranches totalling 110% of it");
}

TEST(LoadDealErrors, DebtAmountAboveTheCapex) {
  // Capex: 100 servers x 2.6M = 2.6亿.
  expect_edit_error("    share_of_capex: 50%", "    amount: 2.7亿 CNY", "2.7亿 CNY", "2.7亿", "financing[0].amount",
                    "expected debt not above the capex (260000000 CNY), got tranches totalling "
                    "103.85% of it");
}

TEST(LoadDealErrors, DebtHasAmountOrShareNotBoth) {
  expect_edit_error("    share_of_capex: 50%\n", "    share_of_capex: 50%\n    amount: 1M CNY\n", "amount: 1M CNY",
                    "1M", "financing[0].amount",
                    "expected exactly one of share_of_capex or amount, got both share_of_capex and amount");
}

TEST(LoadDealErrors, DebtNeedsAmountOrShare) {
  expect_edit_error("    share_of_capex: 50%\n", "", "- name: loan", "name", "financing[0]",
                    "expected one of share_of_capex or amount, got none");
}

TEST(LoadDealErrors, BalloonOnlyWithBalloonAmortisation) {
  expect_edit_error("    term: 60 months\n", "    term: 60 months\n    balloon: 20%\n", "balloon: 20%", "20%",
                    "financing[0].balloon", "expected no balloon unless amortisation is balloon, got \"20%\"");
}

TEST(LoadDealErrors, BalloonAmortisationNeedsTheBalloon) {
  expect_edit_error("    term: 60 months\n", "    term: 60 months\n    amortisation: balloon\n", "- name: loan", "name",
                    "financing[0]", "missing required key \"balloon\" (expected a percentage from 0% to 100%)");
}

TEST(LoadDealValues, BalloonAndDayCount) {
  const deal::Deal deal = parse(edit(base_model, "    term: 60 months\n",
                                     "    term: 60 months\n    amortisation: balloon\n    balloon: 20%\n"
                                     "    day_count: ACT/365F\n    compounding: annual\n    grace: 6 months\n"));
  EXPECT_EQ(deal.debt.at(0).amortisation, deal::Amortisation::balloon);
  EXPECT_EQ(deal.debt.at(0).balloon_share, dec("0.2"));
  EXPECT_EQ(deal.debt.at(0).day_count, time::DayCount::act_365_fixed);
  EXPECT_EQ(deal.debt.at(0).compounding, deal::Compounding::annual);
  EXPECT_EQ(deal.debt.at(0).grace_months, 6);
}

TEST(LoadDealErrors, UnknownDayCount) {
  expect_edit_error("    term: 60 months\n", "    term: 60 months\n    day_count: ACT/366\n", "ACT/366", "ACT/366",
                    "financing[0].day_count",
                    "expected one of ACT/360, ACT/365F, 30/360, 30E/360 or ACT/ACT, got \"ACT/366\" (did you mean "
                    "\"ACT/360\"?)");
}

TEST(LoadDealValues, MaturityPerDrawAndDistributions) {
  const deal::Deal defaults = parse(base_model);
  EXPECT_EQ(defaults.debt.at(0).maturity, deal::Maturity::common);
  EXPECT_EQ(defaults.distributions, time::Frequency::monthly);
  const deal::Deal deal = parse(edit(edit(base_model, "    term: 60 months\n", "    term: 60 months\n    maturity: per_draw\n"),
                                     "  horizon: 60 months\n", "  horizon: 60 months\n  distributions: quarterly\n"));
  EXPECT_EQ(deal.debt.at(0).maturity, deal::Maturity::per_draw);
  EXPECT_EQ(deal.distributions, time::Frequency::quarterly);
}

TEST(LoadDealErrors, UnknownMaturity) {
  expect_edit_error("    term: 60 months\n", "    term: 60 months\n    maturity: each_draw\n", "each_draw", "each_draw",
                    "financing[0].maturity", "expected one of common or per_draw, got \"each_draw\"");
}

TEST(LoadDealErrors, UnknownDistributions) {
  expect_edit_error("  horizon: 60 months\n", "  horizon: 60 months\n  distributions: annually\n", "annually", "annually",
                    "deal.distributions", "expected one of monthly, quarterly or yearly, got \"annually\"");
}

// ---- depreciation and residual -------------------------------------------------------------------------

TEST(LoadDealErrors, MacrsTakesNoLife) {
  expect_edit_error("book: {method: straight_line, life: 60 months}", "book: {method: macrs, class: 5 years, life: 60 months}",
                    "life: 60 months", "60 months", "depreciation.book.life",
                    "expected no life with method macrs (its class sets the life), got \"60 months\"");
}

TEST(LoadDealErrors, MacrsClassIsARecoveryClass) {
  expect_edit_error("book: {method: straight_line, life: 60 months}", "book: {method: macrs, class: 6 years}", "6 years",
                    "6 years", "depreciation.book.class",
                    "expected a MACRS recovery class of 3, 5, 7, 10, 15 or 20 years, got \"6 years\"");
}

TEST(LoadDealErrors, FactorOnlyWithDecliningBalance) {
  expect_edit_error("book: {method: straight_line, life: 60 months}",
                    "book: {method: straight_line, life: 60 months, factor: 2}", "factor: 2", "2",
                    "depreciation.book.factor", "expected no factor unless method is declining_balance, got \"2\"");
}

TEST(LoadDealErrors, DecliningBalanceNeedsAFactor) {
  expect_edit_error("book: {method: straight_line, life: 60 months}", "book: {method: declining_balance, life: 60 months}",
                    "{method: declining", "{", "depreciation.book",
                    "missing required key \"factor\" (expected a number greater than zero)");
}

TEST(LoadDealErrors, BonusDepreciationIsForTaxOnly) {
  expect_edit_error("book: {method: straight_line, life: 60 months}",
                    "book: {method: straight_line, life: 60 months, bonus: 100%}", "bonus: 100%", "100%",
                    "depreciation.book.bonus",
                    "expected no bonus in book depreciation (bonus depreciation is a tax deduction; give "
                    "depreciation.tax), got \"100%\"");
}

TEST(LoadDealErrors, BonusAndSalvageFitInTheCost) {
  expect_edit_error("  book: {method: straight_line, life: 60 months}\n",
                    "  book: {method: straight_line, life: 60 months}\n"
                    "  tax: {method: straight_line, life: 36 months, salvage: 10%, bonus: 95%}\n",
                    "bonus: 95%", "95%", "depreciation.tax.bonus",
                    "expected a bonus share that leaves room for the salvage (bonus + salvage at most 100%), got \"95%\"");
  expect_edit_error("  book: {method: straight_line, life: 60 months}\n",
                    "  book: {method: straight_line, life: 60 months}\n  tax: {method: macrs, class: 5 years, bonus: 120%}\n",
                    "bonus: 120%", "120%", "depreciation.tax.bonus", "expected a percentage from 0% to 100%, got \"120%\"");
}

TEST(LoadDealValues, TaxBonusDepreciation) {
  const deal::Deal deal = parse(edit(base_model, "  book: {method: straight_line, life: 60 months}\n",
                                     "  book: {method: straight_line, life: 60 months}\n"
                                     "  tax: {method: macrs, class: 5 years, bonus: 40%}\n"));
  EXPECT_EQ(deal.assets.tax.bonus_share, dec("0.4"));
  EXPECT_EQ(deal.assets.book.bonus_share, 0);
  EXPECT_TRUE(std::holds_alternative<deal::Macrs>(deal.assets.tax.method));
}

TEST(LoadDealErrors, LifeIsPositive) {
  expect_edit_error("life: 60 months}", "life: 0 months}", "life: 0 months", "0 months", "depreciation.book.life",
                    "expected a duration greater than zero, got \"0 months\"");
}

TEST(LoadDealErrors, ResidualCurveAgesIncrease) {
  const std::string text =
      edit(base_model, "  book: {method: straight_line, life: 60 months}\n",
           "  book: {method: straight_line, life: 60 months}\n"
           "  residual: {curve: [{age: 12 months, share: 78%}, {age: 12 months, share: 60%}]}\n");
  expect_error(text, "age: 12 months, share: 60%", "12 months", "depreciation.residual.curve[1].age",
               "expected an age after the previous point's (12 months), got \"12 months\"");
}

TEST(LoadDealErrors, ResidualIsCurveOrFloorAndDecay) {
  const std::string text = edit(base_model, "  book: {method: straight_line, life: 60 months}\n",
                                "  book: {method: straight_line, life: 60 months}\n"
                                "  residual: {curve: [{age: 0 months, share: 100%}], floor: 10%}\n");
  expect_error(text, "floor: 10%", "10%", "depreciation.residual.floor",
               "expected either curve or {floor, decay}, got both curve and floor");
}

TEST(LoadDealErrors, ResidualShareIsAShare) {
  const std::string text = edit(base_model, "  book: {method: straight_line, life: 60 months}\n",
                                "  book: {method: straight_line, life: 60 months}\n  residual: 105%\n");
  expect_error(text, "105%", "105%", "depreciation.residual", "expected a percentage from 0% to 100%, got \"105%\"");
}

TEST(LoadDealValues, ResidualFloorAndDecay) {
  const deal::Deal deal = parse(edit(base_model, "  book: {method: straight_line, life: 60 months}\n",
                                     "  book: {method: straight_line, life: 60 months}\n"
                                     "  tax: {method: double_declining, life: 36 months}\n"
                                     "  residual: {floor: 10%, decay: 30%}\n"));
  const auto& residual = std::get<deal::ResidualExponential>(deal.assets.residual);
  EXPECT_EQ(residual.floor, dec("0.1"));
  EXPECT_EQ(residual.annual_decay, dec("0.3"));
  EXPECT_EQ(deal.assets.tax.life_months, 36);
  EXPECT_TRUE(std::holds_alternative<deal::DecliningBalance>(deal.assets.tax.method));
}

// ---- tax -----------------------------------------------------------------------------------------

TEST(LoadDealErrors, LossCarryForwardInWholeYears) {
  expect_edit_error("  income_tax: 25%\n", "  income_tax: 25%\n  loss_carry_forward: 30 months\n", "30 months",
                    "30 months", "tax.loss_carry_forward",
                    "expected a whole number of years, such as \"5 years\", got \"30 months\"");
}

TEST(LoadDealErrors, IncomeTaxIsAShare) {
  expect_edit_error("income_tax: 25%", "income_tax: 125%", "125%", "125%", "tax.income_tax",
                    "expected a percentage from 0% to 100%, got \"125%\"");
}

TEST(LoadDealErrors, RefundMonthOnlyWithOnce) {
  expect_edit_error("  income_tax: 25%\n", "  income_tax: 25%\n  vat: {refund: annual, refund_month: 3}\n",
                    "refund_month: 3", "3", "tax.vat.refund_month",
                    "expected no refund_month unless refund is once, got \"3\"");
}

TEST(LoadDealErrors, RefundOnceNeedsItsMonth) {
  expect_edit_error("  income_tax: 25%\n", "  income_tax: 25%\n  vat: {refund: once}\n", "{refund: once}", "{",
                    "tax.vat", "missing required key \"refund_month\"");
}

TEST(LoadDealErrors, RefundMonthInsideTheHorizon) {
  expect_edit_error("  income_tax: 25%\n", "  income_tax: 25%\n  vat: {refund: once, refund_month: 60}\n", "60}", "60",
                    "tax.vat.refund_month", "expected a month inside the horizon, from 0 to 59, got \"60\"");
}

// ---- files -----------------------------------------------------------------------------------------

TEST(LoadDealErrors, MissingModelFile) {
  const std::filesystem::path missing = models_dir() / "no-such-model.yaml";
  try {
    io::load_deal(missing);
    ADD_FAILURE() << "loaded a missing file";
  } catch (const io::InputError& error) {
    EXPECT_EQ(error.file(), missing.string());
    EXPECT_EQ(error.detail(), "cannot read the file: it does not exist");
  }
}

}  // namespace

namespace {

TEST(ContractUnits, ACommitmentInGpusIsWholeServers) {
  const auto deal = parse(edit(base_model, "      servers: 60\n      price: 60000", "      gpus: 480\n      price: 60000"));
  EXPECT_EQ(std::get<deal::TakeOrPay>(deal.contracts[0]).servers, Decimal(60));
}

TEST(ContractUnits, GpusMustFillWholeServersAndNotBeGivenTwice) {
  const std::string partial = edit(base_model, "      servers: 60\n      price: 60000", "      gpus: 484\n      price: 60000");
  const auto error = error_of(partial);
  ASSERT_TRUE(error.has_value());
  const Where where = locate(partial, "gpus: 484", "484");
  EXPECT_EQ(error->line(), where.line);
  EXPECT_EQ(error->column(), where.column);
  EXPECT_EQ(error->path(), "contracts[0].take_or_pay.gpus");
  EXPECT_NE(error->detail().find("a multiple of 8"), std::string::npos) << error->what();

  const auto both = error_of(edit(base_model, "      servers: 60\n      price: 60000",
                                  "      servers: 60\n      gpus: 480\n      price: 60000"));
  ASSERT_TRUE(both.has_value());
  EXPECT_NE(both->detail().find("servers or gpus, not both"), std::string::npos) << both->what();
}


// The uncertainty section is checked by every command that loads the model, not only by
// `montecarlo`: a typo or a negative spread is refused where it stands.
TEST(LoadDealErrors, UncertaintySectionIsCheckedWithTheModel) {
  const auto typo = error_of(std::string(base_model) + "uncertainty:\n  runz: 500\n");
  ASSERT_TRUE(typo);
  EXPECT_NE(typo->path().find("uncertainty"), std::string::npos) << typo->what();
  EXPECT_NE(std::string(typo->what()).find("runz"), std::string::npos) << typo->what();
  const auto spread = error_of(std::string(base_model) + "uncertainty:\n  utilisation: {distribution: normal, mean: 0%, sd: -5%}\n");
  ASSERT_TRUE(spread);
  EXPECT_EQ(spread->path(), "uncertainty.utilisation.sd") << spread->what();
  EXPECT_NO_THROW(parse(std::string(base_model) + "uncertainty:\n  runs: 500\n  seed: 7\n"));
}

// A rack holds whole servers: a fraction (1e-30 servers a rack) would bill the rent of countless racks.
TEST(LoadDealErrors, ServersPerRackIsAWholeNumber) {
  const std::string text = edit(base_model, "  electricity: {tariff: 0.65 CNY/kWh, pue: 1.3}\n",
                                "  electricity: {tariff: 0.65 CNY/kWh, pue: 1.3}\n"
                                "  data_centre: {rent: 30000 CNY/rack-month, servers_per_rack: 1e-30}\n");
  const auto error = error_of(text);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->path(), "running_costs.data_centre.servers_per_rack") << error->what();
}

// No tax system levies VAT above 100% (China 13% on equipment, 6% on services).
TEST(LoadDealErrors, VatRatesAreAtMostOneHundredPercent) {
  const auto capex = error_of(edit(base_model, "  servers: 100\n", "  servers: 100\n  capex_vat_rate: 1000%\n"));
  ASSERT_TRUE(capex);
  EXPECT_EQ(capex->path(), "cluster.capex_vat_rate") << capex->what();
  const auto lease = error_of(edit(base_model, "      term: 36 months\n", "      term: 36 months\n      vat_rate: 600%\n"));
  ASSERT_TRUE(lease);
  EXPECT_EQ(lease->path(), "contracts[0].take_or_pay.vat_rate") << lease->what();
  EXPECT_NO_THROW(parse(edit(base_model, "  servers: 100\n", "  servers: 100\n  capex_vat_rate: 13%\n")));
}

// ---- covenants -------------------------------------------------------------------------------------

// The base model with a covenants section before its depreciation.
std::string with_covenants(std::string_view section) {
  return edit(base_model, "depreciation:\n", std::string("covenants:\n") + std::string(section) + "depreciation:\n");
}

TEST(LoadDealCovenants, EveryFieldLoadsAsWritten) {
  const deal::Deal deal = parse(with_covenants(
      "  frequency: semiannual\n  first_test: 2026-08-31\n  look_back: test_period\n  minimum_dscr: 1.20\n"
      "  maximum_ltv: 65%\n  minimum_contract_fulfilment: 1.1\n  maximum_customer_share: 70%\n"));
  const auto& c = deal.covenants;
  EXPECT_EQ(c.frequency, time::Frequency::semiannual);
  EXPECT_EQ(c.first_test, deal::Date(2026, 8, 31));
  EXPECT_EQ(c.look_back, deal::CovenantLookBack::test_period);
  EXPECT_EQ(c.minimum_dscr, dec("1.2"));
  EXPECT_EQ(c.maximum_ltv, dec("0.65"));
  EXPECT_EQ(c.minimum_contract_fulfilment, dec("1.1"));
  EXPECT_EQ(c.maximum_customer_share, dec("0.7"));
}

TEST(LoadDealCovenants, DefaultsAreQuarterlyOnTheTrailingYear) {
  const deal::Deal deal = parse(with_covenants("  minimum_dscr: 1.3\n"));
  EXPECT_EQ(deal.covenants.frequency, time::Frequency::quarterly);
  EXPECT_FALSE(deal.covenants.first_test);
  EXPECT_EQ(deal.covenants.look_back, deal::CovenantLookBack::trailing_12_months);
  EXPECT_FALSE(deal.covenants.maximum_ltv);
  EXPECT_FALSE(parse(base_model).covenants.any());
}

TEST(LoadDealCovenants, BadFieldsAreLocated) {
  expect_error(with_covenants("  minimum_dscr: 0\n"), "minimum_dscr: 0", "0", "covenants.minimum_dscr",
               "expected a ratio above 0 and at most 10, such as 1.20, got \"0\"");
  expect_error(with_covenants("  minimum_contract_fulfilment: 11\n"), "minimum_contract_fulfilment: 11", "11",
               "covenants.minimum_contract_fulfilment", "expected a ratio above 0 and at most 10, such as 1.20, got \"11\"");
  expect_error(with_covenants("  maximum_ltv: 0%\n"), "maximum_ltv: 0%", "0%", "covenants.maximum_ltv",
               "expected a percentage above 0% and at most 100%, such as 65%, got \"0%\"");
  expect_error(with_covenants("  maximum_customer_share: 120%\n"), "120%", "120%", "covenants.maximum_customer_share",
               "expected a percentage from 0% to 100%, got \"120%\"");
  expect_error(with_covenants("  frequency: weekly\n  minimum_dscr: 1.2\n"), "weekly", "weekly", "covenants.frequency",
               "expected one of monthly, quarterly, semiannual or annual, got \"weekly\"");
  expect_error(with_covenants("  look_back: year\n  minimum_dscr: 1.2\n"), "look_back: year", "year",
               "covenants.look_back", "expected one of trailing_12_months or test_period, got \"year\"");
  expect_error(with_covenants("  first_test: 2030-09-01\n  minimum_dscr: 1.2\n"), "2030-09-01", "2030-09-01",
               "covenants.first_test",
               "expected a date from the deal's start (2025-09-01) to the end of its horizon (before 2030-09-01), got "
               "\"2030-09-01\"");
  expect_error(with_covenants("  frequency: annual\n"), "  frequency: annual", "frequency", "covenants",
               "expected at least one test: minimum_dscr, maximum_ltv, minimum_contract_fulfilment or "
               "maximum_customer_share");
  expect_error(with_covenants("  minimum_dcsr: 1.2\n"), "minimum_dcsr", "minimum_dcsr", "covenants.minimum_dcsr",
               "unknown key \"minimum_dcsr\" (did you mean \"minimum_dscr\"?); accepted keys: frequency, first_test, "
               "look_back, minimum_dscr, maximum_ltv, minimum_contract_fulfilment, maximum_customer_share, on_breach");
  const std::string unlevered =
      edit(with_covenants("  minimum_dscr: 1.2\n"), "financing:\n  - name: loan\n    share_of_capex: 50%\n    rate: 5%\n    term: 60 months\n", "");
  expect_error(unlevered, "  minimum_dscr: 1.2", "minimum_dscr", "covenants",
               "covenants need debt to test, but the model has no financing");
}

}  // namespace

// ---- floating rates ------------------------------------------------------------------------------

namespace {

TEST(LoadDealFloatingRate, CurveMarginFloorAndStepsAreRead) {
  const deal::Deal deal = parse(edit(base_model, "rate: 5%",
                                     "rate: {base: {curve: [{date: 2025-09-01, rate: 4.3%}, {date: 2026-09-01, rate: 3.8%}]},"
                                     " margin: 6.25%, floor: 1%, margin_steps: [{from: 2027-09-01, margin: 5.75%}]}"));
  const auto& floating = deal.debt[0].floating;
  ASSERT_TRUE(floating);
  ASSERT_EQ(floating->base.size(), 2u);
  EXPECT_EQ(floating->base[1].rate, dec("0.038"));
  EXPECT_EQ(floating->margin, dec("0.0625"));
  EXPECT_EQ(floating->floor, dec("0.01"));
  ASSERT_EQ(floating->margin_steps.size(), 1u);
  EXPECT_EQ(floating->margin_steps[0].margin, dec("0.0575"));
  EXPECT_EQ(deal.debt[0].annual_rate, dec("0.1055"));  // the first month's all-in rate
}

TEST(LoadDealFloatingRate, AFlatBaseIsOneRate) {
  const deal::Deal deal = parse(edit(base_model, "rate: 5%", "rate: {base: 4.3%, margin: 6.25%}"));
  ASSERT_TRUE(deal.debt[0].floating);
  EXPECT_EQ(deal::all_in_rate(*deal.debt[0].floating, deal::Date(2030, 1, 1)), dec("0.1055"));
  EXPECT_FALSE(parse(base_model).debt[0].floating);  // a plain rate stays fixed
}

TEST(LoadDealFloatingRate, BadFieldsAreLocated) {
  expect_edit_error("rate: 5%", "rate: {base: 4.3%, margin: -1%}", "-1%}", "-1%", "financing[0].rate.margin",
                    "expected an annual rate from 0% to 1000%, got \"-1%\"");
  expect_edit_error("rate: 5%", "rate: {base: 4.3%, margin: 1%, floor: 1200%}", "1200%", "1200%",
                    "financing[0].rate.floor", "expected an annual rate from 0% to 1000%, got \"1200%\"");
  expect_edit_error("rate: 5%", "rate: {base: {curve: [{date: 2026-01-01, rate: 4%}, {date: 2025-01-01, rate: 3%}]}, margin: 1%}",
                    "2025-01-01", "2025-01-01", "financing[0].rate.base.curve[1].date",
                    "expected a date after the previous point's (2026-01-01), got \"2025-01-01\"");
  expect_edit_error("rate: 5%", "rate: {base: {curve: [{date: 2026-01-01, rate: -4%}]}, margin: 1%}", "-4%", "-4%",
                    "financing[0].rate.base.curve[0].rate", "expected an annual rate from 0% to 1000%, got \"-4%\"");
  expect_edit_error("rate: 5%",
                    "rate: {base: 4%, margin: 1%, margin_steps: [{from: 2027-01-01, margin: 2%}, {from: 2027-01-01, margin: 1%}]}",
                    "2027-01-01, margin: 1%", "2027-01-01", "financing[0].rate.margin_steps[1].from",
                    "expected a date after the previous step's (2027-01-01), got \"2027-01-01\"");
  const auto missing = error_of(edit(base_model, "rate: 5%", "rate: {base: 4%}"));
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->path(), "financing[0].rate");
  const auto unknown = error_of(edit(base_model, "rate: 5%", "rate: {base: 4%, margin: 1%, spread: 2%}"));
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->path(), "financing[0].rate.spread");
}

}  // namespace

// ---- the customer's credit -------------------------------------------------------------------------

namespace {

const char* const anchor_term = "      term: 36 months\n";

TEST(LoadDealCredit, ClassesGridSwapDefaultAndFinancedContractsAreRead) {
  std::string text = edit(base_model, anchor_term,
                          "      term: 36 months\n      credit: investment_grade\n"
                          "      default: {after: 18 months, re_lease_after: 3 months}\n");
  text = edit(text, "rate: 5%",
              "rate: {base: 4%, margin: {investment_grade: 6.25%, sub_investment_grade: 13%}}\n"
              "    finances: [anchor]\n    swap: {fixed_rate: 3.5%, share: 75%, start: 2026-01-01, end: 2028-01-01}");
  text = edit(text, "financing:\n", "credit_classes:\n  investment_grade: {probability_of_default: 0.2%}\n"
                                    "  unrated: {}\nfinancing:\n");
  const deal::Deal deal = parse(text);
  const auto& lease = std::get<deal::TakeOrPay>(deal.contracts.at(0));
  EXPECT_EQ(lease.credit, deal::CreditClass::investment_grade);
  ASSERT_TRUE(lease.customer_default);
  EXPECT_EQ(lease.customer_default->after_months, 18);
  EXPECT_EQ(lease.customer_default->re_lease_after_months, 3);
  const auto& tranche = deal.debt.at(0);
  ASSERT_TRUE(tranche.floating && tranche.floating->margin_grid);
  EXPECT_EQ(tranche.floating->margin_grid->of(deal::CreditClass::sub_investment_grade), dec("0.13"));
  EXPECT_FALSE(tranche.floating->margin_grid->of(deal::CreditClass::unrated));
  EXPECT_EQ(tranche.floating->margin, dec("0.0625"));  // priced on the investment-grade contract
  EXPECT_EQ(tranche.annual_rate, dec("0.1025"));
  EXPECT_EQ(tranche.finances, std::vector<std::string>{"anchor"});
  ASSERT_TRUE(tranche.swap);
  EXPECT_EQ(tranche.swap->fixed_rate, dec("0.035"));
  EXPECT_EQ(tranche.swap->share, dec("0.75"));
  EXPECT_EQ(tranche.swap->end, deal::Date(2028, 1, 1));
  // A field left out takes the public default; a class not listed charges no loss.
  const auto& investment_grade = deal.credit_classes.of(deal::CreditClass::investment_grade);
  ASSERT_TRUE(investment_grade);
  EXPECT_EQ(investment_grade->probability_of_default, dec("0.002"));
  EXPECT_EQ(investment_grade->loss_given_default, dec("0.45"));
  EXPECT_EQ(deal.credit_classes.of(deal::CreditClass::unrated)->probability_of_default, dec("0.036"));
  EXPECT_FALSE(deal.credit_classes.of(deal::CreditClass::sub_investment_grade));
  // A default given as a date on the contract's cycle.
  const deal::Deal dated = parse(edit(base_model, anchor_term, "      term: 36 months\n      default: {date: 2027-03-01}\n"));
  EXPECT_EQ(std::get<deal::TakeOrPay>(dated.contracts.at(0)).customer_default->after_months, 18);
  // The swap's share and dates default to the whole balance over the horizon.
  const deal::Deal whole = parse(edit(base_model, "rate: 5%", "rate: {base: 4%, margin: 2%}\n    swap: {fixed_rate: 3%}"));
  EXPECT_EQ(whole.debt[0].swap->share, Decimal(1));
  EXPECT_EQ(whole.debt[0].swap->start, deal::Date(2025, 9, 1));
  EXPECT_EQ(whole.debt[0].swap->end, deal::Date(2030, 9, 1));
}

TEST(LoadDealCredit, BadFieldsAreLocated) {
  expect_edit_error(anchor_term, "      term: 36 months\n      credit: AAA\n", "credit: AAA", "AAA",
                    "contracts[0].take_or_pay.credit",
                    "expected one of investment_grade, sub_investment_grade or unrated, got \"AAA\"");
  expect_edit_error(anchor_term, "      term: 36 months\n      default: {after: 36 months}\n", "after: 36 months",
                    "36 months", "contracts[0].take_or_pay.default.after",
                    "expected a duration inside the contract's term, at least a month after its start (2025-09-01) "
                    "and before its end, 36 months later, got \"36 months\"");
  expect_edit_error(anchor_term, "      term: 36 months\n      default: {date: 2027-03-15}\n", "2027-03-15", "2027-03-15",
                    "contracts[0].take_or_pay.default.date",
                    "expected a date on the contract's monthly cycle (day 1) inside the contract's term, at least a "
                    "month after its start (2025-09-01) and before its end, 36 months later, got \"2027-03-15\"");
  expect_edit_error(anchor_term,
                    "      term: 36 months\n      early_termination: {after: 24 months, fee: 3 months}\n"
                    "      default: {after: 12 months}\n",
                    "default: {after: 12", "{after: 12", "contracts[0].take_or_pay.default",
                    "expected either early_termination or default, got both (a default is the customer's exit "
                    "without its fee)");
  expect_edit_error("rate: 5%", "rate: {base: 4%, margin: {sub_investment_grade: 13%}}", "{sub_investment_grade",
                    "{sub_investment_grade", "financing[0].rate.margin",
                    "expected a margin for unrated, the weakest credit class of the contracts the tranche finances (a "
                    "contract with no credit is unrated), got a map");
  expect_edit_error("rate: 5%", "rate: {base: 4%, margin: {investment_grade: -1%}}", "-1%", "-1%",
                    "financing[0].rate.margin.investment_grade", "expected an annual rate from 0% to 1000%, got \"-1%\"");
  expect_edit_error("rate: 5%", "rate: 5%\n    swap: {fixed_rate: 3%}", "swap: {fixed_rate: 3%}", "{fixed_rate", "financing[0].swap",
                    "expected a swap on a floating rate only (it fixes the base rate), but the rate is fixed");
  expect_edit_error("rate: 5%", "rate: {base: 4%, margin: 2%}\n    swap: {fixed_rate: 3%, share: 0%}", "share: 0%", "0%",
                    "financing[0].swap.share", "expected a share above 0% and at most 100% of the balance, got \"0%\"");
  expect_edit_error("rate: 5%", "rate: {base: 4%, margin: 2%}\n    swap: {fixed_rate: 3%, end: 2031-01-01}", "2031-01-01",
                    "2031-01-01", "financing[0].swap.end",
                    "expected a date after the swap's start (2025-09-01) and not after the horizon's end (2030-09-01), "
                    "got \"2031-01-01\"");
  expect_edit_error("rate: 5%", "rate: 5%\n    finances: [anchr]", "anchr", "anchr", "financing[0].finances[0]",
                    "expected the name of a take-or-pay contract of the model (anchor), got \"anchr\"");
  expect_edit_error("financing:\n", "credit_classes:\n  investment_grade: {loss_given_default: 120%}\nfinancing:\n", "120%",
                    "120%", "credit_classes.investment_grade.loss_given_default",
                    "expected a percentage from 0% to 100%, got \"120%\"");
  const auto unknown = error_of(edit(base_model, "financing:\n", "credit_classes:\n  prime: {}\nfinancing:\n"));
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->path(), "credit_classes.prime");
}

// ---- reading again with overrides ---------------------------------------------------------------

// What a model read says: its fast run document (the deal's figures, statements, covenants,
// structures, break-even) and its warnings with their places; or its error, with its place.
struct Read {
  std::string figures, warnings;
  bool operator==(const Read&) const = default;
  friend std::ostream& operator<<(std::ostream& out, const Read& read) { return out << read.figures << read.warnings; }
};

Read what_is_read(const std::function<io::LoadedDeal()>& read) {
  try {
    const io::LoadedDeal loaded = read();
    std::ostringstream figures, warnings;
    report::write_json(figures, report::make_run_report<double>(loaded.deal, false));
    for (const io::Warning& warning : loaded.warnings)
      warnings << warning.field << " " << warning.position.line << ":" << warning.position.column << " " << warning.message << "\n";
    return {figures.str(), warnings.str()};
  } catch (const io::InputError& error) {
    return {std::string("error: ") + error.what() + " @ " + error.path() + " " + std::to_string(error.line()) + ":" +
            std::to_string(error.column()), ""};
  }
}

// The text of a field changed a little: the last digit of its first number moved by one (a price,
// a rate, a count, a date a year on), or a word added where it has no digit (a name, a choice).
std::string nudged(std::string text) {
  const std::size_t digit = text.find_first_of("0123456789");
  if (digit == std::string::npos) return text + " x";
  const std::size_t last = std::min(text.find_first_not_of("0123456789", digit), text.size()) - 1;
  text[last] = text[last] == '9' ? '8' : static_cast<char>(text[last] + 1);
  return text;
}

// A service re-reads a base model with a quote's overrides only where they reach (the sections
// they change and those that read one of them): for every written field of every bundled model,
// set to its own text and nudged, that is the deal, warnings and errors of reading the overridden
// model whole; and the field's own text gives the model's own figures.
TEST(LoadDeal, ReadingAgainWithOverridesIsReadingTheOverriddenModelWhole) {
  const io::Catalogue catalogue = bundled_catalogue();
  int models = 0, changed = 0, refused = 0;
  for (const auto& entry : std::filesystem::directory_iterator(models_dir())) {
    if (entry.path().extension() != ".yaml") continue;
    const io::Document document = io::Document::load_file(entry.path());
    const io::LoadedDeal base = io::read_deal_with_warnings(document, catalogue);
    const Read as_read = what_is_read([&] { return base; });
    ++models;
    for (const io::WrittenField& field : document.written_fields()) {
      if (!field.is_scalar || field.path.starts_with("uncertainty") || field.path == "catalog") continue;
      for (const std::string& value : {field.value, nudged(field.value)}) {
        const std::vector<io::FieldOverride> overrides{{field.path, value}};
        const Read whole = what_is_read([&] { return io::read_deal_with_warnings(document.with_overrides(overrides), catalogue); });
        const Read again = what_is_read([&] { return io::read_deal_with_overrides(document, base.deal, overrides, catalogue); });
        ASSERT_EQ(again, whole) << entry.path().filename() << " " << field.path << ": " << value;
        // The same text, the same figures (an overridden value has no line, so its warning none).
        if (value == field.value) EXPECT_EQ(again.figures, as_read.figures) << entry.path().filename() << " " << field.path;
        else if (again.figures.starts_with("error: ")) ++refused;
        else if (again.figures != as_read.figures) ++changed;
      }
    }
  }
  // The nudges reach the figures and the errors of every kind of section, not only the names.
  EXPECT_GE(models, 9);
  EXPECT_GE(changed, 300);
  EXPECT_GE(refused, 30);
  std::cout << models << " models, " << changed << " nudges that change the run, " << refused << " refused\n";
}

// The sections that read other sections (the financing the contracts' names and credit classes,
// the covenants and the waterfall the financing, the lessee the contracts) are read again when an
// override changes what they read, though none reaches them: each case's answer hangs on one such
// reading (an error the whole read gives there, or a margin a grid gives), and reading again gives
// it too.
TEST(LoadDeal, ReadingAgainRereadsTheSectionsThatReadAChangedOne) {
  const io::Catalogue catalogue = bundled_catalogue();
  const auto text_of = [](const char* model) {
    std::ifstream file(models_dir() / model);
    return std::string(std::istreambuf_iterator<char>(file), {});
  };
  const std::string xai = text_of("xai-spv-lease.yaml"), us = text_of("us-h100-take-or-pay.yaml"),
                    coreweave = text_of("coreweave-ddtl-ig.yaml");
  std::string us_without_covenants = us;
  us_without_covenants.erase(us.find("\ncovenants:"), us.find("\nwaterfall:") - us.find("\ncovenants:"));
  struct Case {
    std::string model;
    std::vector<io::FieldOverride> overrides;
    std::string_view error_at;  // the field of the error the whole read gives; none: the figures change
  };
  const std::vector<Case> cases = {
      // the lease must be of the whole fleet: the lessee reads the contracts
      {xai, {{"contracts[0].take_or_pay.servers", "3300"}}, "lessee"},
      // a tranche finances contracts by name: the financing reads the contracts
      {edit(xai, "    upfront_fee: 1%", "    upfront_fee: 1%\n    finances: [five-year GPU lease]"),
       {{"contracts[0].take_or_pay.name", "a renamed lease"}}, "financing[0].finances[0]"},
      // covenants and a waterfall need debt: they read the financing
      {us, {{"financing", "[]", true}}, "covenants"},
      {us_without_covenants, {{"financing", "[]", true}}, "waterfall"},
      // a margin grid prices the loan on the credit class of the contracts it finances
      {edit(coreweave, "margin: 6.25%", "margin: {investment_grade: 6.25%, unrated: 9%}"),
       {{"contracts[0].take_or_pay.credit", "investment_grade"}}, ""},
  };
  for (const Case& c : cases) {
    const io::Document document = io::Document::parse(c.model, "model.yaml");
    const io::LoadedDeal base = io::read_deal_with_warnings(document, catalogue);
    const Read whole = what_is_read([&] { return io::read_deal_with_warnings(document.with_overrides(c.overrides), catalogue); });
    const Read again = what_is_read([&] { return io::read_deal_with_overrides(document, base.deal, c.overrides, catalogue); });
    if (c.error_at.empty())
      EXPECT_NE(whole.figures, what_is_read([&] { return base; }).figures) << c.overrides.front().path;
    else
      EXPECT_TRUE(whole.figures.starts_with("error: ") && whole.figures.find(" @ " + std::string(c.error_at) + " ") != std::string::npos)
          << c.overrides.front().path << ": " << whole.figures;
    EXPECT_EQ(again, whole) << c.overrides.front().path;
  }
}

}  // namespace
