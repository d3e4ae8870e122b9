// Structures (docs/structures.md): the floors under the fleet pay exactly the difference when they
// bind and change nothing to the cent when they do not; a sale-leaseback's rents, IRRs and books
// against closed forms; the lessee's cost per GPU-hour recomputed from the ledger; the model
// fields' located errors.
#include "support/deals.hpp"
#include "support/model_text.hpp"

#include <leasecalc/engine/metrics.hpp>
#include <leasecalc/engine/project.hpp>
#include <leasecalc/engine/structures.hpp>
#include <leasecalc/io/input_error.hpp>
#include <leasecalc/io/load_deal.hpp>
#include <leasecalc/report/run_report.hpp>

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {
using namespace leasecalc;
using engine::Line;
using num::Decimal;
using test::dec;

bool same_ledger(const engine::Ledger<Decimal>& a, const engine::Ledger<Decimal>& b) {
  for (std::size_t line = 0; line < engine::line_count; ++line)
    for (int m = 0; m < a.months(); ++m)
      if (a(Line(line), m) != b(Line(line), m)) return false;
  return true;
}

// Sources = uses + cash left exactly, with no cash left; and the double ledger agrees with the exact
// one on every line and month. Not to the cent: where a level rent falls on a half cent the two
// round it apart, and the last payment carries the difference (cents over a schedule).
void expect_reconciles(const deal::Deal& deal, const engine::Ledger<Decimal>& l) {
  const auto m = engine::metrics(deal, l);
  EXPECT_EQ(m.sources, m.uses + m.cash_left);
  EXPECT_EQ(m.cash_left, Decimal(0));
  const auto fast = engine::project<double>(deal);
  for (std::size_t line = 0; line < engine::line_count; ++line)
    for (int month = 0; month < l.months(); ++month) {
      const double exact = num::to_double(l(Line(line), month));
      ASSERT_NEAR(exact, fast(Line(line), month), 1e-9 * std::abs(exact) + 1.0)
          << engine::line_name(Line(line)) << " month " << month;
    }
}

// ---- residual value guarantee ----------------------------------------------------------------

TEST(ResidualValueGuarantee, ABindingFloorPaysExactlyTheDifferenceAndIsTaxedWithTheSale) {
  deal::Deal deal = test::minimal_deal();  // 10M of servers, no residual
  deal.assets.residual = deal::ResidualShare{dec("0.05")};
  deal.tax.income.rate = dec("0.25");
  deal.guarantees.residual_value = deal::ResidualValueGuarantee{"lessee's parent", dec("0.2")};
  const auto l = engine::project<Decimal>(deal);
  const int last = deal.horizon_months - 1;
  EXPECT_EQ(l(Line::sale_proceeds, last), dec("500000"));
  EXPECT_EQ(l(Line::residual_value_guarantee, last), dec("1500000"));  // 20% of 10M less the 5% fetched
  for (int m = 0; m < last; ++m) EXPECT_EQ(l(Line::residual_value_guarantee, m), Decimal(0));
  // Taxed with the sale: the same tax as a sale fetching the floor itself.
  deal::Deal at_floor = test::minimal_deal();
  at_floor.assets.residual = deal::ResidualShare{dec("0.2")};
  at_floor.tax.income.rate = dec("0.25");
  const auto floor_sale = engine::project<Decimal>(at_floor);
  EXPECT_EQ(l.total(Line::income_tax), floor_sale.total(Line::income_tax));
  EXPECT_EQ(l.total(Line::equity_distributed), floor_sale.total(Line::equity_distributed));
  expect_reconciles(deal, l);
  const auto report = engine::structure_report(deal, l);
  EXPECT_EQ(report.guarantees.residual_value_floor, 2000000.0);
  EXPECT_EQ(report.guarantees.residual_value_guarantee_paid, 1500000.0);
}

TEST(ResidualValueGuarantee, AFloorThatDoesNotBindChangesNothingToTheCent) {
  deal::Deal deal = test::minimal_deal();
  deal.assets.residual = deal::ResidualShare{dec("0.2")};
  const auto without = engine::project<Decimal>(deal);
  for (const char* floor : {"0.05", "0.2"}) {  // below, and exactly at, what the sale fetches
    deal.guarantees.residual_value = deal::ResidualValueGuarantee{"vendor", dec(floor)};
    const auto with = engine::project<Decimal>(deal);
    EXPECT_TRUE(same_ledger(with, without)) << floor;
    EXPECT_EQ(with.total(Line::residual_value_guarantee), Decimal(0));
  }
}

// ---- capacity backstop -----------------------------------------------------------------------

deal::Deal part_leased() {
  deal::Deal deal = test::minimal_deal();
  std::get<deal::TakeOrPay>(deal.contracts.front()).servers = 6;  // 4 of 10 servers unsold
  return deal;
}

deal::CapacityBackstop backstop(const char* cap) {
  return {"vendor", {dec("1000"), deal::PriceUnit::server_month, ""}, deal::Date(2025, 1, 1), deal::Date(2027, 12, 31),
          dec(cap)};
}

TEST(CapacityBackstop, BuysEveryUnsoldUnitAtItsPriceAndIsCollectedAsItIsEarned) {
  deal::Deal deal = part_leased();
  const auto without = engine::project<Decimal>(deal);
  deal.guarantees.capacity_backstop = backstop("1000000000");
  const auto l = engine::project<Decimal>(deal);
  for (int m = 0; m < deal.horizon_months; ++m) {
    const Decimal unsold = l(Line::units_in_service, m) - l(Line::units_contracted, m);
    EXPECT_EQ(unsold, Decimal(4));
    EXPECT_EQ(l(Line::capacity_backstop, m), unsold * dec("1000")) << "month " << m;
    EXPECT_EQ(l(Line::customer_receipts, m) - without(Line::customer_receipts, m), l(Line::capacity_backstop, m));
  }
  expect_reconciles(deal, l);
}

TEST(CapacityBackstop, TheCapEndsItToTheCent) {
  deal::Deal deal = part_leased();
  deal.guarantees.capacity_backstop = backstop("10000");
  const auto l = engine::project<Decimal>(deal);
  EXPECT_EQ(l(Line::capacity_backstop, 0), dec("4000"));
  EXPECT_EQ(l(Line::capacity_backstop, 1), dec("4000"));
  EXPECT_EQ(l(Line::capacity_backstop, 2), dec("2000"));  // what is left of the cap
  EXPECT_EQ(l.total(Line::capacity_backstop), dec("10000"));
  expect_reconciles(deal, l);
}

TEST(CapacityBackstop, AFleetSoldInFullChangesNothingToTheCent) {
  deal::Deal deal = test::minimal_deal();
  const auto without = engine::project<Decimal>(deal);
  deal.guarantees.capacity_backstop = backstop("1000000000");
  EXPECT_TRUE(same_ledger(engine::project<Decimal>(deal), without));
}

// ---- sale-leaseback --------------------------------------------------------------------------

// The minimal deal's 10M fleet sold at its delivery for 65%, rented back over 24 months at 12%
// (30/360, 1% a month) and bought back at 20% of cost.
deal::Deal sold_and_leased_back(const char* upfront_fee = "0") {
  deal::Deal deal = test::minimal_deal();
  deal::DebtTranche tranche;
  tranche.name = "sale-leaseback";
  tranche.kind = deal::DebtTranche::Kind::sale_leaseback;
  tranche.annual_rate = dec("0.12");
  tranche.term_months = 24;
  tranche.upfront_fee = dec(upfront_fee);
  tranche.sale_leaseback = deal::SaleLeaseback{dec("0.65"), std::nullopt, dec("0.2"), 0};
  deal.debt.push_back(tranche);
  return deal;
}

TEST(SaleLeaseback, RentsAreTheLevelPaymentToTheRepurchasePriceAndTheFleetStaysOnTheBooks) {
  const deal::Deal deal = sold_and_leased_back();
  const auto l = engine::project<Decimal>(deal);
  const double proceeds = 6500000, repurchase = 2000000, i = 0.01;
  const int n = 24;
  const double v = std::pow(1 + i, -n);
  const double rent = std::round((proceeds - repurchase * v) * i / (1 - v) * 100) / 100;  // closed form
  EXPECT_EQ(l(Line::debt_drawn, 0), dec("6500000"));
  for (int m = 1; m < n; ++m)
    EXPECT_NEAR(-num::to_double(engine::debt_service(l, m)), rent, 1e-9) << "month " << m;
  // The last rent carries the repurchase: the balance left after it, to the cent.
  EXPECT_EQ(l(Line::debt_outstanding, n - 1) + l(Line::interest, n) + l(Line::principal_repaid, n) -
                l(Line::debt_outstanding, n - 1),
            engine::debt_service(l, n));
  EXPECT_NEAR(-num::to_double(engine::debt_service(l, n)) - rent, repurchase, 1.0);
  EXPECT_EQ(l(Line::debt_outstanding, n), Decimal(0));
  // A financing: the operator keeps depreciating and selling the fleet as if it had not sold it.
  const auto unsold = engine::project<Decimal>(test::minimal_deal());
  for (const Line line : {Line::book_depreciation, Line::tax_depreciation, Line::book_value, Line::sale_proceeds})
    for (int m = 0; m < deal.horizon_months; ++m) EXPECT_EQ(l(line, m), unsold(line, m)) << engine::line_name(line);
  expect_reconciles(deal, l);
}

TEST(SaleLeaseback, TheInvestorEarnsTheLeaseRateAndTheOperatorPaysMoreWithAFee) {
  const deal::Deal deal = sold_and_leased_back();
  const auto view = engine::structure_report(deal, engine::project<Decimal>(deal)).sale_leasebacks.at(0);
  const double lease_rate = std::pow(1.01, 12) - 1;  // 1% a month, effective annual
  ASSERT_TRUE(view.investor_irr.rate);
  EXPECT_NEAR(*view.investor_irr.rate, lease_rate, 1e-7);
  ASSERT_TRUE(view.effective_cost.rate);
  EXPECT_NEAR(*view.effective_cost.rate, lease_rate, 1e-7);  // no fee: the same flows, other side
  EXPECT_EQ(view.proceeds, 6500000.0);
  EXPECT_EQ(view.repurchase_price, 2000000.0);
  EXPECT_EQ(view.repurchase_month, 24);
  // With no residual value, walking away leaves the investor a fleet worth nothing.
  ASSERT_TRUE(view.fleet_value_at_repurchase);
  EXPECT_EQ(*view.fleet_value_at_repurchase, 0.0);
  ASSERT_TRUE(view.investor_irr_without_repurchase.rate);
  EXPECT_LT(*view.investor_irr_without_repurchase.rate, lease_rate);
  // The equity IRR without the structure is the minimal deal's own.
  const deal::Deal plain = test::minimal_deal();
  EXPECT_EQ(view.equity_irr_without.rate, engine::metrics(plain, engine::project<double>(plain)).equity_irr.rate);

  const deal::Deal with_fee = sold_and_leased_back("0.02");
  const auto fee_view = engine::structure_report(with_fee, engine::project<Decimal>(with_fee)).sale_leasebacks.at(0);
  ASSERT_TRUE(fee_view.effective_cost.rate);
  EXPECT_GT(*fee_view.effective_cost.rate, lease_rate + 0.005);  // 2% upfront over two years
  EXPECT_NEAR(*fee_view.investor_irr.rate, lease_rate, 1e-7);    // the fee is not the investor's
}

TEST(SaleLeaseback, ADealBuiltInCodeWithoutItsTermsIsRefused) {
  deal::Deal deal = sold_and_leased_back();
  deal.debt[0].sale_leaseback.reset();
  EXPECT_THROW(engine::project<double>(deal), std::invalid_argument);
  deal = sold_and_leased_back();
  deal.debt[0].sale_leaseback->repurchase_share_of_cost = dec("0.7");  // above the 65% advance rate
  EXPECT_THROW(engine::project<double>(deal), std::invalid_argument);
}

// ---- the lessee's view -----------------------------------------------------------------------

TEST(Lessee, CostPerGpuHourIsThePresentValueOfPaymentsOverThatOfTheGpuHours) {
  deal::Deal deal = test::minimal_deal();
  deal.assets.residual = deal::ResidualShare{dec("0.1")};
  deal.running_costs.others.push_back({"Insurance", deal::RunningCost::Basis::per_year, dec("120000"), {}, 0,
                                       deal::Curve::constant(Decimal(1))});
  deal.lessee = deal::Lessee{"lab", dec("0.15"), false};
  const auto l = engine::project<Decimal>(deal);
  const auto view = *engine::structure_report(deal, l).lessee;
  // Recomputed here: each month-end flow discounted at (1.15)^(-(m + 1)/12).
  double hours = 0, paid = 0, owning = 0;
  for (int m = 0; m < l.months(); ++m) {
    const double factor = std::pow(1.15, -(m + 1) / 12.0);
    hours += num::to_double(l(Line::units_contracted, m)) * 8 * 730 * factor;
    paid += num::to_double(l(Line::customer_receipts, m)) * factor;
    owning += (-num::to_double(l(Line::capex, m)) - num::to_double(l(Line::sale_proceeds, m)) -
               num::to_double(l(Line::other_running_costs, m))) *
              factor;
  }
  ASSERT_TRUE(view.lease_cost_per_gpu_hour && view.own_cost_per_gpu_hour);
  EXPECT_NEAR(*view.lease_cost_per_gpu_hour, paid / hours, 1e-9);
  EXPECT_NEAR(*view.own_cost_per_gpu_hour, owning / hours, 1e-9);
  // Each month's rent (30,000 a server-month, billed in advance) falls at the month end of that
  // month's GPU-hours: the cost is the price itself, 30,000 / (8 x 730) a GPU-hour.
  EXPECT_NEAR(*view.lease_cost_per_gpu_hour, 30000.0 / (8 * 730), 1e-9);
  EXPECT_GT(*view.own_cost_per_gpu_hour, 0.0);
  EXPECT_EQ(view.present_costs_either_way, 0.0);
}

TEST(Lessee, PowerBorneEitherWayAddsTheSameToBothSides) {
  deal::Deal deal = test::minimal_deal();  // power paid by the customer
  deal.lessee = deal::Lessee{"lab", dec("0.15"), false};
  const auto excluded = *engine::structure_report(deal, engine::project<Decimal>(deal)).lessee;
  deal.lessee->costs_borne_either_way_included = true;
  const auto included = *engine::structure_report(deal, engine::project<Decimal>(deal)).lessee;
  // The power the operator would have been charged, from a projection that charges it.
  deal::Deal charged = deal;
  charged.running_costs.electricity.paid_by_customer = false;
  charged.running_costs.electricity.tariff_per_kwh = 0;
  EXPECT_EQ(excluded.present_costs_either_way, 0.0);
  EXPECT_GE(included.present_costs_either_way, 0.0);
  const double added = included.present_costs_either_way / included.present_gpu_hours;
  EXPECT_NEAR(*included.lease_cost_per_gpu_hour - *excluded.lease_cost_per_gpu_hour, added, 1e-12);
  EXPECT_NEAR(*included.own_cost_per_gpu_hour - *excluded.own_cost_per_gpu_hour, added, 1e-12);
}

// ---- model fields ----------------------------------------------------------------------------

constexpr const char* base_model = R"(deal:
  name: spv
  currency: USD
  start: 2026-01-01
  horizon: 48 months
cluster:
  sku: H100
  servers: 100
contracts:
  - take_or_pay:
      name: lease
      servers: 100
      price: 2.00 USD/GPU-hour
      start: 2026-01-01
      term: 48 months
financing:
  - name: leaseback
    kind: sale_leaseback
    advance_rate: 65%
    rate: 12%
    term: 36 months
    repurchase: {share_of_cost: 20%}
lessee:
  name: lab
  discount_rate: 12%
guarantees:
  residual_value: {floor: 15%, guarantor: lessee}
  capacity_backstop: {buyer: vendor, price: 1.00 USD/GPU-hour, from: 2026-01-01, until: 2029-12-31, cap: 5M USD}
depreciation:
  book: {method: straight_line, life: 48 months}
tax:
  income_tax: 21%
)";

deal::Deal parse(const std::string& text) { return io::parse_deal(text, "test.yaml", test::test_catalogue()); }

std::string error_text(const std::string& text) {
  try {
    parse(text);
  } catch (const io::InputError& error) {
    return error.what();
  }
  ADD_FAILURE() << "the model loaded without error:\n" << text;
  return "";
}

TEST(StructureFields, TheBaseModelLoadsAndRuns) {
  const deal::Deal deal = parse(base_model);
  ASSERT_TRUE(deal.lessee);
  EXPECT_EQ(deal.lessee->discount_rate, dec("0.12"));
  EXPECT_FALSE(deal.lessee->costs_borne_either_way_included);
  ASSERT_EQ(deal.debt.size(), 1u);
  ASSERT_TRUE(deal.debt[0].sale_leaseback);
  EXPECT_EQ(deal.debt[0].sale_leaseback->advance_rate, dec("0.65"));
  EXPECT_EQ(deal.debt[0].sale_leaseback->repurchase_share_of_cost, dec("0.2"));
  ASSERT_TRUE(deal.guarantees.residual_value && deal.guarantees.capacity_backstop);
  EXPECT_EQ(deal.guarantees.capacity_backstop->cap, dec("5000000"));
  const auto l = engine::project<Decimal>(deal);
  expect_reconciles(deal, l);
  const auto report = engine::structure_report(deal, l);
  ASSERT_TRUE(report.lessee);
  EXPECT_TRUE(report.lessee->guarantees_residual_value);  // `guarantor: lessee`
}

TEST(StructureFields, BadValuesAreLocatedErrors) {
  using test::edit;
  const std::string base = base_model;
  EXPECT_EQ(error_text(edit(base, "    repurchase: {share_of_cost: 20%}", "    repurchase: {share_of_cost: 70%}")),
            "test.yaml:22:33: financing[0].repurchase.share_of_cost: expected a repurchase price at most the proceeds: "
            "a share of cost up to the advance rate (65%), got \"70%\"");
  EXPECT_EQ(error_text(edit(base, "    repurchase: {share_of_cost: 20%}", "    repurchase: {price: 20M USD}")),
            "test.yaml:22:25: financing[0].repurchase.price: expected a repurchase price at most the proceeds "
            "(18850000 USD), got \"20M USD\"");  // 65% of 100 servers at 290k
  EXPECT_EQ(error_text(edit(base, "    advance_rate: 65%\n", "    advance_rate: 65%\n    amount: 1M USD\n")),
            "test.yaml:20:13: financing[0].amount: expected no amount with kind sale_leaseback (its advance rate sizes "
            "the proceeds), got \"1M USD\"");
  EXPECT_EQ(error_text(edit(base, "    kind: sale_leaseback\n", "    kind: term_loan\n    share_of_capex: 50%\n")),
            "test.yaml:20:19: financing[0].advance_rate: expected no advance_rate unless kind is sale_leaseback, got "
            "\"65%\"");
  EXPECT_EQ(error_text(edit(base, "    term: 36 months\n", "    term: 36 months\n    grace: 3 months\n")),
            "test.yaml:22:12: financing[0].grace: expected no grace with kind sale_leaseback (its rents are level from "
            "the sale to the repurchase), got \"3 months\"");
  EXPECT_EQ(error_text(edit(base, "    advance_rate: 65%\n", "    advance_rate: 0%\n")),
            "test.yaml:19:19: financing[0].advance_rate: expected an advance rate above 0%, got \"0%\"");
  EXPECT_EQ(error_text(edit(base, "    advance_rate: 65%\n", "    advance_rate: 65%\n    sale: 2030-01-01\n")),
            "test.yaml:20:11: financing[0].sale: expected a date inside the horizon, from 2026-01-01 to before "
            "2030-01-01, got \"2030-01-01\"");
  EXPECT_EQ(error_text(edit(base, "      servers: 100\n      price", "      servers: 50\n      price")),
            "test.yaml:24:3: lessee: expected a lease of the whole fleet (100 units), got a lease of 50");
  EXPECT_EQ(error_text(edit(base, "until: 2029-12-31", "until: 2025-12-31")),
            "test.yaml:28:89: guarantees.capacity_backstop.until: expected a date on or after `from` (2026-01-01), got "
            "\"2025-12-31\"");
  EXPECT_EQ(error_text(edit(base, "floor: 15%", "floor: 150%")),
            "test.yaml:27:27: guarantees.residual_value.floor: expected a percentage from 0% to 100%, got \"150%\"");
  EXPECT_NE(error_text(edit(base, "lessee:\n",
                            "  - {name: second, kind: sale_leaseback, advance_rate: 10%, rate: 12%, term: 12 months,\n"
                            "     repurchase: {price: 0 USD}}\nlessee:\n"))
                .find("test.yaml:23:26: financing[1].kind: expected at most one sale-leaseback in a deal, got a second"),
            std::string::npos);
  EXPECT_EQ(error_text(edit(base, "  discount_rate: 12%\nguarantees", "  discount: 12%\nguarantees")),
            "test.yaml:24:3: lessee: missing required key \"discount_rate\" (expected an annual rate from 0% to 1000%)");
}

// ---- the report ------------------------------------------------------------------------------

TEST(StructureReport, EveryFigureIsInEveryWriterWhenTheModelHasItsStructureAndNoneOtherwise) {
  const deal::Deal deal = parse(base_model);
  const report::RunReport with = report::make_run_report<double>(deal, false);
  std::ostringstream json_text, csv, table;
  report::write_json(json_text, with);
  report::write_csv(csv, with);
  report::write_table(table, with, report::Scale{1e6, "M"});
  const auto json = nlohmann::json::parse(json_text.str());
  for (const auto& metric : report::structure_metrics()) {
    ASSERT_TRUE(report::structure_present(with, metric.section)) << metric.section;
    EXPECT_TRUE(json["structures"][std::string(metric.section)].contains(std::string(metric.key))) << metric.key;
    EXPECT_NE(csv.str().find("\nstructures," + std::string(metric.key) + ","), std::string::npos) << metric.key;
    EXPECT_NE(table.str().find(std::string(metric.label)), std::string::npos) << metric.label;
  }
  // The lessee's cost per GPU-hour as written is the engine's.
  EXPECT_EQ(json["structures"]["lessee"]["lessee_lease_cost_per_gpu_hour"].get<double>(),
            *with.structures.lessee->lease_cost_per_gpu_hour);

  const report::RunReport without = report::make_run_report<double>(test::minimal_deal(), false);
  std::ostringstream plain_json, plain_csv, plain_table;
  report::write_json(plain_json, without);
  report::write_csv(plain_csv, without);
  report::write_table(plain_table, without, report::Scale{1e6, "M"});
  EXPECT_FALSE(nlohmann::json::parse(plain_json.str()).contains("structures"));
  EXPECT_EQ(plain_csv.str().find("\nstructures,"), std::string::npos);
  for (const auto& metric : report::structure_metrics())
    EXPECT_EQ(plain_table.str().find(std::string(metric.label)), std::string::npos) << metric.label;
}

// The bundled sale-leaseback's repurchase falls the month after its anchor contract's last: the
// covenant section says so, in the singular.
TEST(StructureReport, TheBundledSaleLeasebackIsReportedAgainstItsContract) {
  const deal::Deal deal = io::load_deal(std::string(LEASECALC_SOURCE_DIR) + "/models/gpu-sale-leaseback.yaml");
  const report::RunReport run = report::make_run_report<double>(deal, false);
  std::ostringstream table;
  report::write_table(table, run, report::Scale{1e6, "M"});
  EXPECT_NE(table.str().find("sale-leaseback outlives its contracts by 1 month: its last repayment falls in month 48"),
            std::string::npos)
      << table.str();
  const auto& view = run.structures.sale_leasebacks.at(0);
  EXPECT_EQ(view.repurchase_month, 48);
  // The repurchase is worth exercising: the fleet is worth more than the price then.
  ASSERT_TRUE(view.fleet_value_at_repurchase);
  EXPECT_GT(*view.fleet_value_at_repurchase, view.repurchase_price);
}

}  // namespace
