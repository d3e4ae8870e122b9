// Prices as contracts quote them: a rent including VAT, the re-lease decay's starting point, the
// ramp's share by month, whole spare servers, break-even prices at the deal's start, a residual at
// an age and currency codes. Each figure is checked against a calculation made here, not against
// the engine's own output.
#include "support/deals.hpp"
#include "support/model_text.hpp"

#include <leasecalc/deal/currency.hpp>
#include <leasecalc/engine/project.hpp>
#include <leasecalc/io/load_deal.hpp>
#include <leasecalc/io/units.hpp>
#include <leasecalc/num/rounding.hpp>
#include <leasecalc/report/run_report.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace {
using namespace leasecalc;
using engine::Line;
using num::Decimal;
using test::dec;
using test::edit;

deal::TakeOrPay& lease(deal::Deal& deal) { return std::get<deal::TakeOrPay>(deal.contracts.front()); }

// A small model in a file's words; each test edits it.
const char* const model = R"(deal:
  name: quoted
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
      price: 70000 CNY/server-month
      start: 2025-09-01
      term: 36 months
      vat_rate: 6%
  - on_demand:
      name: pool
      servers: 40
      start: 2025-09-01
      price: 66000 CNY/server-month
      vat_rate: 6%
running_costs:
  electricity: {tariff: 0.65 CNY/kWh, pue: 1.3}
depreciation:
  book: {method: straight_line, life: 60 months}
tax:
  income_tax: 25%
)";

deal::Deal load(const std::string& text) { return io::parse_deal(text, "quoted.yaml", test::test_catalogue()); }

// The error of loading `text`, or an empty text when it loads.
std::string load_error(const std::string& text) {
  try {
    (void)load(text);
  } catch (const io::InputError& error) {
    return error.what();
  }
  return {};
}

// ---- a price including VAT -----------------------------------------------------------------------

TEST(PriceIncludingVat, TheTextSaysWhetherThePriceIncludesVat) {
  const deal::Price with = io::parse_price("70000 CNY/server-month incl. VAT");
  EXPECT_EQ(with.amount, dec("70000"));
  EXPECT_EQ(with.unit, deal::PriceUnit::server_month);
  EXPECT_EQ(with.vat, deal::VatBasis::included);
  EXPECT_EQ(io::parse_price("7万 CNY/server-month including VAT").vat, deal::VatBasis::included);
  EXPECT_EQ(io::parse_price("2.99 USD/GPU-hour excl. VAT").vat, deal::VatBasis::excluded);
  EXPECT_EQ(io::parse_price("2.99 USD/GPU-hour").vat, deal::VatBasis::excluded);
  EXPECT_THROW((void)io::parse_price("70000 CNY/server-month plus VAT"), io::ParseError);
  EXPECT_THROW((void)io::parse_price("70000 CNY/server-monthVAT"), io::ParseError);
}

TEST(PriceIncludingVat, IsDividedByOnePlusTheContractsVatRateExactly) {
  const deal::Deal quoted = load(edit(model, "price: 70000 CNY/server-month\n      start",
                                      "price: 70000 CNY/server-month incl. VAT\n      start"));
  EXPECT_EQ(std::get<deal::TakeOrPay>(quoted.contracts.front()).price.vat, deal::VatBasis::included);  // as quoted
  const auto l = engine::project<Decimal>(quoted);
  // 60 servers at 70,000 / 1.06 each, booked to the cent; the customer pays the VAT back on top.
  const Decimal net = num::round_cents(Decimal(60) * dec("70000") / dec("1.06"));
  EXPECT_EQ(l(Line::committed_revenue, 0), net);
  EXPECT_EQ(l(Line::committed_revenue, 0), dec("3962264.15"));
  const Decimal invoice = l(Line::committed_revenue, 0) + num::round_cents(l(Line::committed_revenue, 0) * dec("0.06"));
  EXPECT_LE(num::abs(invoice - dec("4200000")), dec("0.01"));

  // The same ledger as the price divided by hand, to every digit Decimal holds.
  deal::Deal by_hand = quoted;
  lease(by_hand).price = {dec("70000") / dec("1.06"), deal::PriceUnit::server_month, "CNY"};
  const auto h = engine::project<Decimal>(by_hand);
  for (int m = 0; m < l.months(); ++m) EXPECT_EQ(l(Line::committed_revenue, m), h(Line::committed_revenue, m)) << m;

  // On demand: the curve holds the price without VAT.
  const deal::Deal pool = load(edit(model, "price: 66000 CNY/server-month\n", "price: 66000 CNY/server-month incl. VAT\n"));
  const auto& on_demand = std::get<deal::OnDemand>(pool.contracts[1]);
  EXPECT_EQ(on_demand.price.points.front().value, dec("66000") / dec("1.06"));
}

TEST(PriceIncludingVat, OnAContractWithNoVatIsALocatedError) {
  const std::string text = edit(edit(model, "price: 70000 CNY/server-month\n      start",
                                     "price: 70000 CNY/server-month incl. VAT\n      start"),
                                "term: 36 months\n      vat_rate: 6%\n", "term: 36 months\n");
  const std::string error = load_error(text);
  EXPECT_NE(error.find("quoted.yaml:13:14: contracts[0].take_or_pay.price: expected a price excl. VAT, or a "
                       "vat_rate on the contract"),
            std::string::npos)
      << error;
  // Where no VAT is charged at all (a power tariff), a price cannot include it.
  const std::string tariff = load_error(edit(model, "0.65 CNY/kWh", "0.65 CNY/kWh incl. VAT"));
  EXPECT_NE(tariff.find("running_costs.electricity.tariff: expected a price without VAT"), std::string::npos) << tariff;
}

// ---- currency codes --------------------------------------------------------------------------------

TEST(CurrencyCodes, AreCheckedAgainstIso4217WithTheErrorOnTheCurrency) {
  EXPECT_TRUE(deal::is_iso_4217_currency("CNY"));
  EXPECT_TRUE(deal::is_iso_4217_currency("USD"));
  EXPECT_FALSE(deal::is_iso_4217_currency("RMB"));
  EXPECT_FALSE(deal::is_iso_4217_currency("XXX"));
  // The deal's currency: the error is on `currency`, not on the first amount.
  const std::string error = load_error(edit(model, "currency: CNY", "currency: RMB"));
  EXPECT_NE(error.find("quoted.yaml:3:13: deal.currency: expected a currency code"), std::string::npos) << error;
  EXPECT_NE(error.find("\"RMB\" is not an ISO 4217 currency code; did you mean \"CNY\"?"), std::string::npos) << error;
  // An amount naming a currency that is no code.
  try {
    (void)io::parse_money("2.6M RMB");
    ADD_FAILURE() << "RMB taken as a currency";
  } catch (const io::ParseError& e) {
    EXPECT_EQ(e.note(), "\"RMB\" is not an ISO 4217 currency code; did you mean \"CNY\"?");
  }
  EXPECT_EQ(io::parse_money("2.6M HKD").currency, "HKD");
}

// ---- the re-lease's price decay ------------------------------------------------------------------

TEST(ReLeaseDecay, FromTheSigningByDefaultOrFromTheExpiry) {
  auto deal = test::minimal_deal();
  deal.horizon_months = 48;
  deal.assets.book.life_months = 48;
  lease(deal).term_months = 24;
  lease(deal).re_lease = {deal::ReLease::Mode::follow_on, dec("0.1"), dec("0.05"), 12, deal::Curve::constant(1),
                          std::nullopt, deal::ReLease::DecayFrom::signing};
  // Signed at month 0, followed on at month 24: two years of decay, then the discount.
  EXPECT_EQ(engine::project<Decimal>(deal)(Line::committed_revenue, 24), Decimal(10) * dec("30000") * dec("0.81") * dec("0.95"));
  // From the expiry: the follow-on starts at the full market price.
  lease(deal).re_lease.decay_from = deal::ReLease::DecayFrom::expiry;
  EXPECT_EQ(engine::project<Decimal>(deal)(Line::committed_revenue, 24), Decimal(10) * dec("30000") * dec("0.95"));

  // Re-leased on demand from an early exit at 24 months: the price falls from the exit on.
  auto on_demand = test::minimal_deal();
  lease(on_demand).early_termination = deal::EarlyTermination{24, dec("3")};
  lease(on_demand).re_lease.mode = deal::ReLease::Mode::on_demand;
  lease(on_demand).re_lease.annual_price_decay = dec("0.2");
  lease(on_demand).re_lease.decay_from = deal::ReLease::DecayFrom::expiry;
  const auto l = engine::project<double>(on_demand);
  EXPECT_NEAR(l(Line::on_demand_revenue, 24), 10 * 30000.0, 0.005);
  EXPECT_NEAR(l(Line::on_demand_revenue, 30), 10 * 30000 * std::pow(0.8, 0.5), 0.005);

  // In a model file.
  const std::string follow_on = "      re_lease: {mode: follow_on, term: 12 months, price_decay: 10%, decay_from: expiry}\n";
  const deal::Deal loaded = load(edit(model, "      vat_rate: 6%\n  - on_demand", "      vat_rate: 6%\n" + follow_on + "  - on_demand"));
  EXPECT_EQ(std::get<deal::TakeOrPay>(loaded.contracts[0]).re_lease.decay_from, deal::ReLease::DecayFrom::expiry);
  const std::string error = load_error(edit(model, "      vat_rate: 6%\n  - on_demand",
                                            "      vat_rate: 6%\n      re_lease: {mode: on_demand, decay_from: start}\n"
                                            "  - on_demand"));
  EXPECT_NE(error.find("contracts[0].take_or_pay.re_lease.decay_from"), std::string::npos) << error;
  EXPECT_NE(error.find("signing"), std::string::npos) << error;
}

// ---- the ramp ----------------------------------------------------------------------------------------

// Over a ramp of R months, the k-th month of the contract (k from 0) bills (k + 1) / R of the
// committed servers, all of them from month R on: R = 4 bills 25%, 50%, 75%, 100%.
TEST(Ramp, BillsAShareOfTheServersThatRisesByOneRampMonthAMonth) {
  for (const int ramp : {1, 2, 3, 4, 7}) {
    auto deal = test::minimal_deal();
    lease(deal).ramp_months = ramp;
    const auto l = engine::project<Decimal>(deal);
    Decimal billed_units = 0;
    for (int k = 0; k < 12; ++k) {
      const Decimal expected = k < ramp ? Decimal(10 * (k + 1)) / ramp : Decimal(10);
      EXPECT_LE(num::abs(l(Line::units_contracted, k) - expected), dec("1e-25")) << "ramp " << ramp << ", month " << k;
      if (k < ramp) billed_units += l(Line::units_contracted, k);
    }
    // The ramp bills (R + 1) / 2 months of the whole fleet in its R months.
    EXPECT_LE(num::abs(billed_units - Decimal(10) * (ramp + 1) / 2), dec("1e-25")) << ramp;
  }
}

// ---- whole spare servers -----------------------------------------------------------------------------

TEST(Spares, AreWholeServersRoundedUpAndAddUpOverTheDeliveries) {
  deal::Cluster cluster;
  cluster.spares_share = dec("0.02");
  EXPECT_EQ(deal::spare_units(cluster, 1024), 21);  // 20.48
  EXPECT_EQ(deal::spare_units(cluster, 128), 3);    // 2.56
  EXPECT_EQ(deal::spare_units(cluster, 100), 2);    // exactly 2
  EXPECT_EQ(deal::spare_units(cluster, 0), 0);

  auto deal = test::minimal_deal();  // 10 servers at 1M
  deal.cluster.servers = 1024;
  lease(deal).servers = 1024;
  deal.cluster.spares_share = dec("0.02");
  deal.cluster.deliveries = {{deal.start, 512}, {deal::Date(2025, 2, 1), 512}};
  const auto l = engine::project<Decimal>(deal);
  // 2% of the first 512 is 10.24: 11 spares; of all 1,024 20.48: 21, so 10 with the second.
  EXPECT_EQ(l(Line::capex, 0), Decimal(-(512 + 11)) * dec("1000000"));
  EXPECT_EQ(l(Line::capex, 1), Decimal(-(512 + 10)) * dec("1000000"));
  EXPECT_EQ(deal::total_capex(deal.cluster), Decimal(1024 + 21) * dec("1000000"));
  EXPECT_EQ(l(Line::units_in_service, 1), Decimal(1024));  // spares are not in service
}

// ---- break-even prices at the deal's start -----------------------------------------------------------

TEST(BreakEven, AnOnDemandPriceIsQuotedAtTheDealsStartNotAtItsFirstHistoryPoint) {
  auto deal = test::minimal_deal();
  deal::OnDemand pool;
  pool.name = "pool";
  pool.servers = 10;
  pool.start = deal.start;
  pool.price = deal::Curve{{{-27, dec("100000")}, {-3, dec("66000")}}};  // history up to 3 months before
  pool.annual_price_decay = dec("0.2");
  deal.contracts = {pool};
  const auto l = engine::project<double>(deal);
  const report::RunReport r = report::make_run_report(deal, l, false);
  ASSERT_EQ(r.break_even_prices.size(), 1U);
  const auto& row = r.break_even_prices.front();
  const double at_start = 66000 * std::pow(0.8, 3.0 / 12);  // the last point, decayed three months
  EXPECT_NEAR(row.quoted_price, at_start, 1e-6);
  ASSERT_TRUE(r.break_even_price_factor);
  EXPECT_NEAR(row.break_even_price, at_start * *r.break_even_price_factor, 1e-6);
  EXPECT_NE(row.price_unit.find("at the deal's start, 2025-01-01"), std::string::npos) << row.price_unit;
}

// ---- a residual at an age ----------------------------------------------------------------------------

TEST(ResidualAtAnAge, IsAUsedValueCurveFromNewHeldPastItsPoint) {
  const std::string text = edit(model, "  book: {method: straight_line, life: 60 months}\n",
                                "  book: {method: straight_line, life: 60 months}\n  residual: 30% after 36 months\n");
  const deal::Deal loaded = load(text);
  const auto* curve = std::get_if<deal::ResidualCurve>(&loaded.assets.residual);
  ASSERT_NE(curve, nullptr);
  ASSERT_EQ(curve->share_by_age.points.size(), 2U);
  EXPECT_EQ(curve->share_by_age.points[0].month, 0);
  EXPECT_EQ(curve->share_by_age.points[0].value, Decimal(1));
  EXPECT_EQ(curve->share_by_age.points[1].month, 36);
  EXPECT_EQ(curve->share_by_age.points[1].value, dec("0.3"));
  EXPECT_EQ(io::parse_share_at_age("25% after 5 years").age_months, 60);

  // Sold at 36 months: 30% of cost; at 48 months (past the point) the share is held at 30%.
  auto deal = test::minimal_deal();
  deal.assets.residual = loaded.assets.residual;
  EXPECT_EQ(engine::project<Decimal>(deal)(Line::sale_proceeds, 35), dec("3000000"));
  deal.horizon_months = 48;
  EXPECT_EQ(engine::project<Decimal>(deal)(Line::sale_proceeds, 47), dec("3000000"));
  // At 18 months, halfway along the line from 100% to 30%: 65%.
  deal.horizon_months = 18;
  EXPECT_EQ(engine::project<Decimal>(deal)(Line::sale_proceeds, 17), dec("6500000"));

  const auto error_of = [&](const char* residual) {
    return load_error(edit(text, "30% after 36 months", residual));
  };
  EXPECT_NE(error_of("30% after 0 months").find("depreciation.residual: expected an age above 0 months"), std::string::npos)
      << error_of("30% after 0 months");
  EXPECT_NE(error_of("130% after 36 months").find("expected a share from 0% to 100% at the age"), std::string::npos)
      << error_of("130% after 36 months");
  EXPECT_NE(error_of("30% after 36").find("write the unit, months or years"), std::string::npos) << error_of("30% after 36");
}

}  // namespace
