// Legal but surprising models (issue 14): each warning fires on a minimal model at the place in
// the file it concerns, a deal built in code gets the same ones without a place, and no bundled
// model raises any. Also the fleet bound the loader and Monte Carlo share (deal/fleet.hpp).

#include "support/model_text.hpp"
#include "leasecalc/deal/fleet.hpp"
#include "leasecalc/deal/warnings.hpp"
#include "leasecalc/engine/metrics.hpp"
#include "leasecalc/engine/project.hpp"
#include "leasecalc/io/load_deal.hpp"
#include "leasecalc/solve/monte_carlo.hpp"
#include "support/cli.hpp"
#include "support/deals.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace leasecalc;
using test::edit;
using test::test_catalogue;
using test::dec;

constexpr const char* test_file = "odd.yaml";

// The issue's minimal model with a contract, a loan and a residual value, none of them odd.
const std::string plain_model = R"(deal: {name: t, currency: CNY, start: 2025-01-01, horizon: 24 months}
cluster: {sku: H800, servers: 4}
contracts:
  - take_or_pay: {name: lease, servers: 4, price: 60000 CNY/server-month, start: 2025-01-01, term: 24 months}
financing:
  - {name: loan, share_of_capex: 50%, rate: 5%, term: 23 months}
depreciation:
  book: {method: straight_line, life: 24 months}
  residual: 20%
tax: {income_tax: 25%}
)";

std::vector<io::Warning> warnings_of(const std::string& text) {
  return io::parse_deal_with_warnings(text, test_file, test_catalogue()).warnings;
}

// Exactly one warning, at `path`, written at `line`:`column`, whose message contains `says`.
void expect_one_warning(const std::string& text, const std::string& path, int line, int column, std::string_view says) {
  const std::vector<io::Warning> warnings = warnings_of(text);
  ASSERT_EQ(warnings.size(), 1u) << text;
  const io::Warning& warning = warnings.front();
  EXPECT_EQ(warning.field, path);
  EXPECT_EQ(warning.position.file, test_file);
  EXPECT_EQ(warning.position.line, line);
  EXPECT_EQ(warning.position.column, column);
  EXPECT_NE(warning.message.find(says), std::string::npos) << warning.message;
  EXPECT_EQ(warning.text(), "warning: odd.yaml:" + std::to_string(line) + ":" + std::to_string(column) + ": " + path +
                                ": " + warning.message);
}

TEST(DealWarnings, APlainModelHasNone) { EXPECT_TRUE(warnings_of(plain_model).empty()); }

TEST(DealWarnings, ALoanPastTheHorizonIsRepaidFromTheSale) {
  const std::string text = edit(plain_model, "rate: 5%, term: 23 months", "rate: 5%, term: 600 months");
  const std::vector<io::Warning> warnings = warnings_of(text);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].field, "financing[0].term");
  EXPECT_EQ(warnings[0].position.line, 6);
  EXPECT_EQ(warnings[0].position.column, 55);
  EXPECT_NE(warnings[0].message.find("the loan runs 577 months past the 24-month horizon"), std::string::npos)
      << warnings[0].message;
  EXPECT_NE(warnings[0].message.find("repaid from the sale"), std::string::npos);
  // A loan whose last payment falls in the horizon's last month is not odd; one a month later is
  // (drawn at the end of month 0, a 24-month loan pays its last instalment at the end of month 24).
  EXPECT_TRUE(warnings_of(plain_model).empty());
  EXPECT_EQ(warnings_of(edit(plain_model, "rate: 5%, term: 23 months", "rate: 5%, term: 24 months")).size(), 1u);
}

TEST(DealWarnings, AFinanceLeaseIsNamedAsSuch) {
  const std::string text = edit(plain_model, "{name: loan,", "{name: loan, kind: finance_lease,");
  const std::string past = edit(text, "rate: 5%, term: 23 months", "rate: 5%, term: 36 months");
  expect_one_warning(past, "financing[0].term", 6, 76, "the finance lease runs 13 months past the 24-month horizon");
}

TEST(DealWarnings, ALoanThatOutlivesEveryContract) {
  const std::string text = edit(plain_model, "start: 2025-01-01, term: 24 months}", "start: 2025-01-01, term: 12 months}");
  expect_one_warning(text, "financing[0].term", 6, 55,
                     "the loan outlives every contract: the last one ends 12 months into the deal");
  // A re-lease on demand keeps the servers earning to the horizon.
  const std::string re_leased = edit(text, "term: 12 months}", "term: 12 months, re_lease: {mode: on_demand, utilisation: 50%}}");
  EXPECT_TRUE(warnings_of(re_leased).empty());
}

TEST(DealWarnings, AResidualAtThePurchasePrice) {
  expect_one_warning(edit(plain_model, "residual: 20%", "residual: 100%"), "depreciation.residual", 9, 13,
                     "a residual value of 100% of the purchase price");
  expect_one_warning(edit(plain_model, "residual: 20%", "residual: {floor: 100%, decay: 30%}"),
                     "depreciation.residual.floor", 9, 21, "a residual floor of 100%");
  expect_one_warning(edit(plain_model, "residual: 20%", "residual: {floor: 10%, decay: 0%}"),
                     "depreciation.residual.decay", 9, 33, "keeps the residual value at 100%");
  expect_one_warning(edit(plain_model, "residual: 20%", "residual: {curve: [{age: 0 months, share: 100%}, {age: 12 months, share: 100%}]}"),
                     "depreciation.residual.curve[1].share", 9, 76, "a residual value at 12 months of age of 100%");
  // New hardware at its price, then falling: the usual used-GPU curve.
  EXPECT_TRUE(warnings_of(edit(plain_model, "residual: 20%",
                                   "residual: {curve: [{age: 0 months, share: 100%}, {age: 12 months, share: 70%}]}"))
                  .empty());
}

TEST(DealWarnings, AUsedGpuCurveRisingWithAge) {
  expect_one_warning(edit(plain_model, "residual: 20%",
                              "residual: {curve: [{age: 0 months, share: 90%}, {age: 12 months, share: 50%}, {age: 24 months, share: 60%}]}"),
                     "depreciation.residual.curve[2].share", 9, 105, "rises with age, from 50% at 12 months to 60% at 24 months");
}

TEST(DealWarnings, ServersThatCostNothing) {
  const std::string text = edit(plain_model, "servers: 4}", "servers: 4, price_per_server: 0 CNY}");
  expect_one_warning(text, "cluster.price_per_server", 2, 52, "the project IRR is meaningless");
  // Other capex keeps an investment: the servers' price is still odd, the IRR is not meaningless.
  const std::string with_extra =
      edit(text, "price_per_server: 0 CNY}", "price_per_server: 0 CNY, extra_capex: [{name: network, amount: 1M CNY}]}");
  const std::vector<io::Warning> warnings = warnings_of(with_extra);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].message.find("meaningless"), std::string::npos);
  // A company that owns no servers buys none: nothing odd.
  EXPECT_TRUE(warnings_of(R"(deal: {name: t, currency: CNY, start: 2025-01-01, horizon: 12 months}
cluster: {sku: H800, servers: 0}
depreciation: {book: {method: straight_line, life: 12 months}}
tax: {income_tax: 25%}
)").empty());
}

TEST(DealWarnings, ZeroCapexGivesAnIrrNote) {
  const auto loaded = io::parse_deal_with_warnings(
      edit(plain_model, "servers: 4}", "servers: 4, price_per_server: 0 CNY}"), test_file, test_catalogue());
  const auto metrics = engine::metrics(loaded.deal, engine::project<double>(loaded.deal));
  ASSERT_EQ(metrics.capex, 0);
  for (const auto* irr : {&metrics.project_irr_pre_tax, &metrics.project_irr_post_tax}) {
    EXPECT_FALSE(irr->note.empty());  // never a bare rate
    if (irr->rate) {
      EXPECT_NE(irr->note.find("no capex"), std::string::npos) << irr->note;
    }
  }
  // With capex, the note stays as the solver left it.
  const auto priced = io::parse_deal(plain_model, test_file, test_catalogue());
  const auto priced_metrics = engine::metrics(priced, engine::project<double>(priced));
  EXPECT_EQ(priced_metrics.project_irr_post_tax.note.find("no capex"), std::string::npos);
}

TEST(DealWarnings, ADealBuiltInCodeGetsTheSameWarningsWithoutAPlace) {
  deal::Deal deal = test::minimal_deal();
  EXPECT_TRUE(deal::warnings(deal).empty());
  deal.assets.residual = deal::ResidualShare{dec("1.2")};
  deal.cluster.price_per_server = 0;
  const std::vector<deal::Warning> warnings = deal::warnings(deal);
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_EQ(warnings[0].field, "cluster.price_per_server");
  EXPECT_EQ(warnings[1].field, "depreciation.residual");
  EXPECT_NE(warnings[1].message.find("120%"), std::string::npos) << warnings[1].message;
  EXPECT_EQ(io::unlocated(warnings[1]).text(), "warning: depreciation.residual: " + warnings[1].message);
}

// The bundled models raise one warning between them, which their notes explain: the Guosen loans'
// 60th level instalment falls one month after the 60-month horizon and is repaid from the sale.
TEST(DealWarnings, BundledModelsRaiseOnlyTheGuosenLoansLastInstalment) {
  int models = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(LEASECALC_SOURCE_DIR) / "models")) {
    if (entry.path().extension() != ".yaml") continue;
    ++models;
    const io::LoadedDeal loaded = io::load_deal_with_warnings(entry.path());
    if (entry.path().stem().string().starts_with("guosen-2025-")) {
      ASSERT_EQ(loaded.warnings.size(), 1u) << entry.path();
      EXPECT_EQ(loaded.warnings[0].field, "financing[0].term");
      EXPECT_EQ(loaded.warnings[0].position.file, entry.path().string());
      EXPECT_NE(loaded.warnings[0].message.find("runs 1 month past the 60-month horizon"), std::string::npos)
          << loaded.warnings[0].message;
    } else {
      EXPECT_TRUE(loaded.warnings.empty()) << entry.path() << ": " << loaded.warnings.front().text();
    }
  }
  EXPECT_GE(models, 8);
}

TEST(DealWarnings, ADefaultedFieldIsPlacedAtItsEnclosingMap) {
  // The server price comes from the catalogue: the warning points at the cluster.
  const io::Catalogue free = io::parse_catalogue(R"(skus:
  - {name: H800, description: test, unit: server, gpus_per_unit: 8, list_price: 0 CNY, load_power: 10.2 kW, idle_power: 3.6 kW}
)",
                                                 "catalogue.yaml");
  const auto loaded = io::parse_deal_with_warnings(plain_model, test_file, free);
  ASSERT_FALSE(loaded.warnings.empty());
  EXPECT_EQ(loaded.warnings[0].field, "cluster.price_per_server");
  EXPECT_EQ(loaded.warnings[0].position.line, 2);
  EXPECT_EQ(loaded.warnings[0].position.column, 10);
}

TEST(DealWarnings, TheCommandsPrintThemAndJsonCarriesThem) {
  const auto dir = std::filesystem::temp_directory_path() / "leasecalc-warnings-test";
  std::filesystem::create_directories(dir);
  const auto model = dir / "odd.yaml";
  std::ofstream(model) << "catalog: " << (std::filesystem::path(LEASECALC_SOURCE_DIR) / "models/catalog/gpus.yaml").string()
                       << "\n"
                       << edit(plain_model, "residual: 20%", "residual: 100%");
  const std::string expected = "warning: " + model.string() + ":10:13: depreciation.residual: a residual value of 100%";
  for (const std::string command : {"run", "sensitivity", "montecarlo"}) {
    const test::CliRun run = test::run_leasecalc(command + " '" + model.string() + "' --format json" +
                                                 (command == "montecarlo" ? " --runs 20" : ""));
    EXPECT_EQ(run.exit_code, 0) << command << run.err;
    EXPECT_EQ(run.err.rfind(expected, 0), 0u) << command << ": " << run.err;
    EXPECT_NE(run.out.find("\"warnings\": [\n    {\n      \"column\": 13,\n      \"field\": \"depreciation.residual\""),
              std::string::npos)
        << command << run.out.substr(run.out.find("\"warnings\""));
  }
  const test::CliRun table = test::run_leasecalc("run '" + model.string() + "'");
  EXPECT_EQ(table.err.rfind(expected, 0), 0u) << table.err;
  const std::string plain = test::run_leasecalc("run '" + std::string(LEASECALC_SOURCE_DIR) + "/models/us-h100-take-or-pay.yaml' --format json").out;
  EXPECT_NE(plain.find("\"warnings\": []"), std::string::npos);
  std::filesystem::remove_all(dir);
}

// ---- the fleet bound ----------------------------------------------------------------------------

// Servers held in month m, counted contract by contract and month by month.
deal::Decimal held_in(const deal::Deal& deal, int month, std::size_t contracts) {
  deal::Decimal held = 0;
  for (std::size_t i = 0; i < contracts; ++i) {
    const auto months = deal::contract_months(deal, deal.contracts[i]);
    if (month >= months.first && month < months.end) held += deal::contract_servers(deal.contracts[i]);
  }
  return held;
}

deal::Deal staggered_deal() {
  deal::Deal deal = test::minimal_deal();  // 10 servers, 36 months, one 10-server lease
  auto lease = std::get<deal::TakeOrPay>(deal.contracts.front());
  deal.contracts.clear();
  for (const auto& [servers, start_month, term] : {std::tuple{4, 0, 12}, {3, 6, 12}, {2, 10, 20}, {5, 13, 12}}) {
    lease.servers = servers;
    lease.start = time::add_months(deal.start, start_month, time::EndOfMonth::off);
    lease.term_months = term;
    deal.contracts.push_back(lease);
  }
  deal::OnDemand pool;
  pool.name = "pool";
  pool.servers = 1;
  pool.start = time::add_months(deal.start, 20, time::EndOfMonth::off);
  pool.price = deal::Curve::constant(dec("50000"));
  deal.contracts.push_back(pool);
  return deal;
}

TEST(FleetBound, ThePeakIsTheMostHeldInAnyMonth) {
  const deal::Deal deal = staggered_deal();
  deal::Decimal peak = 0;
  for (int m = 0; m < deal.horizon_months; ++m) peak = std::max(peak, held_in(deal, m, deal.contracts.size()));
  EXPECT_EQ(deal::peak_contracted_servers(deal), peak);
  EXPECT_EQ(peak, 10);  // months 13 to 17: 3 + 2 + 5
  EXPECT_FALSE(deal::first_fleet_overrun(deal));
}

TEST(FleetBound, TheFirstContractToTipAMonthOverIsFound) {
  deal::Deal deal = staggered_deal();
  deal.cluster.servers = 8;  // months 10-11 hold 9 (contract 2 tips them), months 13-17 hold 3 + 2 + 5 = 10
  const auto overrun = deal::first_fleet_overrun(deal);
  ASSERT_TRUE(overrun);
  EXPECT_EQ(overrun->contract, 2u);
  EXPECT_EQ(overrun->month, 10);
  EXPECT_EQ(overrun->servers_held, 9);
  EXPECT_EQ(overrun->servers_held, held_in(deal, 10, 3));
  EXPECT_LE(held_in(deal, 10, 2), 8);
  deal.cluster.servers = 9;  // only months 13-17 overrun now, tipped by contract 3
  const auto later = deal::first_fleet_overrun(deal);
  ASSERT_TRUE(later);
  EXPECT_EQ(later->contract, 3u);
  EXPECT_EQ(later->month, 13);
  EXPECT_EQ(later->servers_held, 10);
}

TEST(FleetBound, MonteCarloCapsUtilisationAtWhatTheFleetServes) {
  deal::Deal deal = test::minimal_deal();  // one 10-server lease on a fleet of 10...
  std::get<deal::TakeOrPay>(deal.contracts.front()).servers = 8;  // ...now of 8: up to +25%
  deal::Uncertainty uncertainty;
  uncertainty.runs = 400;
  uncertainty.inputs = {{deal::UncertainQuantity::utilisation, deal::Uniform{-0.1, 0.5}}};
  const Eigen::MatrixXd drawn = solve::draw_changes(uncertainty);
  const int above = static_cast<int>((drawn.col(0).array() > 0.25).count());
  ASSERT_GT(above, 0);
  const solve::MonteCarloResult result = solve::monte_carlo(deal, uncertainty, 2);
  EXPECT_EQ(result.utilisation_draws_capped, above);
  EXPECT_LE(result.changes.maxCoeff(), 0.25 + 1e-12);
  ASSERT_EQ(result.warnings.size(), 1u);
  EXPECT_EQ(result.warnings[0].field, "uncertainty.utilisation");
  EXPECT_EQ(result.warnings[0].message.rfind(std::to_string(above) + " of 400 scenarios", 0), 0u) << result.warnings[0].message;
  // A capped scenario bills the whole fleet: its NPV is that of the lease on all 10 servers.
  deal::Deal full = deal;
  std::get<deal::TakeOrPay>(full.contracts.front()).servers = 10;
  const double full_npv = *solve::value_of(solve::outcome_of(full), solve::Measure::npv);
  const auto npv = static_cast<Eigen::Index>(solve::Measure::npv);
  for (Eigen::Index i = 0; i < drawn.rows(); ++i) {
    if (drawn(i, 0) > 0.25) {
      EXPECT_NEAR(result.outcomes(i, npv), full_npv, 1e-6 * std::abs(full_npv));
    } else {
      EXPECT_DOUBLE_EQ(result.changes(i, 0), drawn(i, 0));
    }
  }
  // Draws that never pass the fleet are left alone, with no warning.
  uncertainty.inputs = {{deal::UncertainQuantity::utilisation, deal::Uniform{-0.1, 0.2}}};
  const solve::MonteCarloResult within = solve::monte_carlo(deal, uncertainty, 1);
  EXPECT_EQ(within.utilisation_draws_capped, 0);
  EXPECT_TRUE(within.warnings.empty());
}

}  // namespace
