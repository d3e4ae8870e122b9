// Bids: the lowest price of one contract that earns a target. A deal re-priced at the answer earns
// the target; a price just below does not; only the bid contract moves (the re-lease after it, the
// other contracts and the market price path stay the model's); the edge cases say so plainly.
#include "support/cli.hpp"
#include "support/deals.hpp"

#include <leasecalc/engine/metrics.hpp>
#include <leasecalc/engine/project.hpp>
#include <leasecalc/io/load_deal.hpp>
#include <leasecalc/report/bid.hpp>
#include <leasecalc/report/run_report.hpp>
#include <leasecalc/solve/bid.hpp>
#include <leasecalc/solve/breakeven.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace {

using namespace leasecalc;
using leasecalc::test::dec;
using solve::BidMetric;
using solve::BidStatus;

const std::string models = LEASECALC_SOURCE_DIR "/models/";

deal::Deal us_model() { return io::load_deal(models + "us-h100-take-or-pay.yaml"); }

solve::BidRequest request(BidMetric metric, double value, std::vector<int> terms = {},
                          std::vector<deal::Decimal> prepayments = {}) {
  solve::BidRequest r;
  r.target = {metric, value};
  r.term_months = std::move(terms);
  r.prepayment_shares = std::move(prepayments);
  return r;
}

// The target metric of a projected deal, read from the metrics as `run` reports them.
std::optional<double> measured(const engine::Metrics<num::Decimal>& m, BidMetric metric) {
  switch (metric) {
    case BidMetric::equity_irr: return m.equity_irr.rate;
    case BidMetric::project_irr_post_tax: return m.project_irr_post_tax.rate;
    case BidMetric::project_irr_pre_tax: return m.project_irr_pre_tax.rate;
    case BidMetric::minimum_dscr: return m.minimum_dscr;
    case BidMetric::net_margin: return m.net_margin.back();
  }
  return std::nullopt;
}

// The model with the bid contract at `term` and `prepayment`, priced per GPU-hour as a user
// would write it, and its re-lease at the model's own market price stated outright.
deal::Deal repriced(deal::Deal model, std::size_t index, double gpu_hour_price, std::optional<int> term = {},
                    std::optional<deal::Decimal> prepayment = {}) {
  auto& contract = std::get<deal::TakeOrPay>(model.contracts[index]);
  if (contract.re_lease.mode != deal::ReLease::Mode::idle) contract.re_lease.market_price = contract.price;
  contract.price = {num::from_double<deal::Decimal>(gpu_hour_price), deal::PriceUnit::gpu_hour};
  if (term) contract.term_months = *term;
  if (prepayment) contract.prepayment_share = *prepayment;
  return model;
}

engine::Metrics<num::Decimal> exact_metrics(const deal::Deal& deal) {
  return engine::metrics(deal, engine::project<num::Decimal>(deal));
}

// ---- a deal re-priced at the answer earns the target, and a lower price does not -------------

struct TargetCase {
  const char* model;
  BidMetric metric;
  double value;
  int term;  // 0: the model's
  const char* prepayment;  // "": the model's
};

class RepricedDeal : public ::testing::TestWithParam<TargetCase> {};

TEST_P(RepricedDeal, EarnsTheTargetAndNoLowerPriceDoes) {
  const TargetCase c = GetParam();
  const deal::Deal model = io::load_deal(models + c.model);
  std::vector<int> terms;
  std::optional<int> term;
  if (c.term) terms.push_back(c.term), term = c.term;
  std::vector<deal::Decimal> prepayments;
  std::optional<deal::Decimal> prepayment;
  if (*c.prepayment) prepayments.push_back(dec(c.prepayment)), prepayment = dec(c.prepayment);
  const solve::Bid bid = solve::bid<num::Decimal>(model, request(c.metric, c.value, terms, prepayments));
  ASSERT_EQ(bid.points.size(), 1u);
  const auto& point = bid.points[0];
  ASSERT_EQ(point.status, BidStatus::priced) << point.note;
  ASSERT_TRUE(point.gpu_hour_price && point.achieved);
  EXPECT_NEAR(*point.achieved, c.value, 1e-6);
  // Per GPU-hour and per server-month are the same price.
  EXPECT_NEAR(*point.unit_month_price, *point.gpu_hour_price * 8 * 730, 1e-9 * *point.unit_month_price);

  // Re-priced independently: the price per GPU-hour written into the model, the re-lease stated.
  const std::size_t index = solve::bid_contract_index(model, std::nullopt);
  const auto at_answer = measured(exact_metrics(repriced(model, index, *point.gpu_hour_price, term, prepayment)), c.metric);
  ASSERT_TRUE(at_answer);
  EXPECT_NEAR(*at_answer, c.value, 1e-6);
  // One part in a hundred thousand less, and the target is missed: the price is the lowest.
  const auto below =
      measured(exact_metrics(repriced(model, index, *point.gpu_hour_price * (1 - 1e-5), term, prepayment)), c.metric);
  ASSERT_TRUE(below);
  EXPECT_LT(*below, c.value);
}

INSTANTIATE_TEST_SUITE_P(
    Targets, RepricedDeal,
    ::testing::Values(TargetCase{"us-h100-take-or-pay.yaml", BidMetric::equity_irr, 0.15, 0, ""},
                      TargetCase{"us-h100-take-or-pay.yaml", BidMetric::project_irr_post_tax, 0.10, 0, ""},
                      TargetCase{"us-h100-take-or-pay.yaml", BidMetric::project_irr_pre_tax, 0.12, 36, "0"},
                      TargetCase{"us-h100-take-or-pay.yaml", BidMetric::minimum_dscr, 1.30, 0, "0.15"},
                      TargetCase{"us-h100-take-or-pay.yaml", BidMetric::net_margin, 0.15, 48, ""},
                      TargetCase{"us-h100-take-or-pay.yaml", BidMetric::equity_irr, 0.20, 36, "0.1"},
                      TargetCase{"guosen-2025-standard-10k.yaml", BidMetric::equity_irr, 0.15, 0, ""},
                      TargetCase{"guosen-2025-standard-10k.yaml", BidMetric::minimum_dscr, 1.30, 0, "0.15"},
                      TargetCase{"guosen-2025-premium-10k.yaml", BidMetric::project_irr_post_tax, 0.12, 48, ""}));

// ---- only the bid contract moves ---------------------------------------------------------------

// Every month from `first` on, the revenue lines of two ledgers agree to the cent.
void expect_same_revenue_from(const engine::Ledger<num::Decimal>& a, const engine::Ledger<num::Decimal>& b, int first) {
  using engine::Line;
  for (int m = first; m < a.months(); ++m)
    for (const Line line : {Line::committed_revenue, Line::on_demand_revenue, Line::sla_credits, Line::credit_losses,
                            Line::units_contracted})
      EXPECT_EQ(a(line, m), b(line, m)) << "month " << m << ", line " << static_cast<int>(line);
}

// The solve's answer earns the target in the mode it solves in (double), and a price two of its
// tolerances (1e-7 each) lower misses it: by the bracket the solve closes, or, where the secant
// lands on the answer, by the line through its last two prices, when it stops without the step
// across. Measured as the solve measures an IRR target: the NPV of its flows at the target rate.
TEST(BidSolve, APriceTwoTolerancesBelowTheAnswerMissesTheTarget) {
  struct Case {
    std::string model;
    BidMetric metric;
    double target;
    solve::ReturnBasis basis;
    std::optional<int> term;
    std::optional<deal::Decimal> prepayment;
  };
  const auto equity = solve::ReturnBasis::equity, project = solve::ReturnBasis::project_post_tax;
  const Case cases[] = {
      {"us-h100-take-or-pay", BidMetric::equity_irr, 0.15, equity, {}, {}},
      {"us-h100-take-or-pay", BidMetric::equity_irr, 0.15, equity, 36, dec("0.15")},
      {"us-h100-take-or-pay", BidMetric::project_irr_post_tax, 0.10, project, 48, dec("0.25")},
      {"guosen-2025-standard-10k", BidMetric::project_irr_post_tax, 0.12, project, {}, {}},
      {"guosen-2025-standard-10k", BidMetric::equity_irr, 0.20, equity, {}, {}},
      {"coreweave-ddtl-ig", BidMetric::equity_irr, 0.20, equity, {}, {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.model + ", " + std::string(solve::names_of(c.metric).name) + " " + std::to_string(c.target));
    const deal::Deal model = io::load_deal(models + c.model + ".yaml");
    const std::size_t contract = solve::bid_contract_index(model, std::nullopt);
    deal::Deal deal = solve::deal_to_bid(model, contract, c.term, c.prepayment);
    const solve::PriceSolution solution = solve::solve_bid_price(deal, contract, {c.metric, c.target});
    ASSERT_TRUE(solution.unit_month_price) << solution.note;
    const auto npv_at = [&](double price) {
      solve::set_bid_price(deal, contract, num::from_double<deal::Decimal>(price));
      return solve::npv(deal, c.basis, c.target);
    };
    EXPECT_GE(npv_at(*solution.unit_month_price), 0);
    EXPECT_LT(npv_at(*solution.unit_month_price * (1 - 2e-7)), 0);
  }
}

TEST(BidMovesOnlyItsContract, TheOnDemandReLeaseAfterAShorterTermIsTheModels) {
  const deal::Deal model = us_model();
  const solve::Bid bid = solve::bid<num::Decimal>(model, request(BidMetric::equity_irr, 0.15, {36}));
  ASSERT_EQ(bid.points[0].status, BidStatus::priced) << bid.points[0].note;
  const double model_price = num::to_double(std::get<deal::TakeOrPay>(model.contracts[0]).price.amount);
  ASSERT_GT(std::fabs(*bid.points[0].gpu_hour_price / model_price - 1), 0.05);  // the price did move

  // The model's own deal on a 36-month term, at the model's price: what the fleet earns after it.
  const auto model_36 = engine::project<num::Decimal>(solve::deal_to_bid(model, 0, 36, std::nullopt));
  const auto at_bid = engine::project<num::Decimal>(repriced(model, 0, *bid.points[0].gpu_hour_price, 36));
  expect_same_revenue_from(model_36, at_bid, 36);
  double on_demand = 0;
  for (int m = 36; m < at_bid.months(); ++m) on_demand += num::to_double(at_bid(engine::Line::on_demand_revenue, m));
  EXPECT_GT(on_demand, 1e6);  // the comparison is about something

  // Without the pinned market price the re-lease would follow the bid: what the pin prevents.
  deal::Deal unpinned = model;
  auto& contract = std::get<deal::TakeOrPay>(unpinned.contracts[0]);
  contract.term_months = 36;
  contract.price.amount = num::from_double<deal::Decimal>(*bid.points[0].gpu_hour_price);
  const auto moved = engine::project<num::Decimal>(unpinned);
  EXPECT_NE(moved(engine::Line::on_demand_revenue, 40), model_36(engine::Line::on_demand_revenue, 40));
}

TEST(BidMovesOnlyItsContract, AFollowOnAndAnotherContractStayTheModels) {
  deal::Deal model = test::rich_deal();  // an early exit after 42 months, then a re-lease; and a spot pool
  auto& anchor = std::get<deal::TakeOrPay>(model.contracts[0]);
  anchor.early_termination.reset();
  anchor.re_lease.mode = deal::ReLease::Mode::follow_on;
  anchor.re_lease.price_discount = dec("0.1");
  anchor.re_lease.follow_on_term_months = 12;
  const solve::Bid bid = solve::bid<num::Decimal>(model, request(BidMetric::project_irr_post_tax, 0.12, {36, 48}));
  for (const auto& point : bid.points) {
    ASSERT_EQ(point.status, BidStatus::priced) << point.note;
    const auto original = engine::project<num::Decimal>(solve::deal_to_bid(model, 0, point.term_months, std::nullopt));
    const auto at_bid = engine::project<num::Decimal>(repriced(model, 0, *point.gpu_hour_price, point.term_months));
    expect_same_revenue_from(original, at_bid, point.term_months);
    // The spot pool bills the same every month, the bid's months included.
    deal::Deal pool_only = model, pool_only_at_bid = repriced(model, 0, *point.gpu_hour_price, point.term_months);
    pool_only.contracts.erase(pool_only.contracts.begin());
    pool_only_at_bid.contracts.erase(pool_only_at_bid.contracts.begin());
    const auto pool = engine::project<num::Decimal>(pool_only), pool_at_bid = engine::project<num::Decimal>(pool_only_at_bid);
    for (int m = 0; m < pool.months(); ++m)
      EXPECT_EQ(pool(engine::Line::on_demand_revenue, m), pool_at_bid(engine::Line::on_demand_revenue, m));
  }
}

TEST(BidMovesOnlyItsContract, AStatedMarketPriceEqualToTheContractsChangesNothing) {
  const deal::Deal model = us_model();
  deal::Deal stated = model;
  auto& contract = std::get<deal::TakeOrPay>(stated.contracts[0]);
  contract.re_lease.market_price = contract.price;
  contract.term_months = 48;
  deal::Deal implied = model;
  std::get<deal::TakeOrPay>(implied.contracts[0]).term_months = 48;
  const auto a = engine::project<num::Decimal>(stated), b = engine::project<num::Decimal>(implied);
  for (int m = 0; m < a.months(); ++m)
    for (const auto& info : engine::line_table) ASSERT_EQ(a(info.line, m), b(info.line, m)) << info.key << " " << m;
}

// ---- the grid ------------------------------------------------------------------------------------

TEST(BidGrid, EachTermWithEachPrepaymentAndTheFastModeAgrees) {
  const deal::Deal model = us_model();
  const auto r = request(BidMetric::equity_irr, 0.15, {36, 48, 60}, {dec("0"), dec("0.1")});
  const solve::Bid exact = solve::bid<num::Decimal>(model, r);
  const solve::Bid fast = solve::bid<double>(model, r);
  ASSERT_EQ(exact.points.size(), 6u);
  EXPECT_TRUE(exact.exact);
  EXPECT_FALSE(fast.exact);
  for (std::size_t i = 0; i < exact.points.size(); ++i) {
    const auto& p = exact.points[i];
    EXPECT_EQ(p.term_months, std::vector<int>({36, 36, 48, 48, 60, 60})[i]);
    EXPECT_DOUBLE_EQ(p.prepayment_share, i % 2 ? 0.1 : 0.0);
    ASSERT_EQ(p.status, BidStatus::priced) << p.note;
    EXPECT_NEAR(*p.achieved, 0.15, 1e-6);
    EXPECT_EQ(*p.unit_month_price, *fast.points[i].unit_month_price);  // one solve, in double
    EXPECT_NEAR(*fast.points[i].achieved, 0.15, 1e-6);
    EXPECT_LE(p.projections, 8) << "the secant should close a near-linear measure in a few projections";
  }
  // A longer commitment needs a lower price for the same equity return (the re-lease earns less).
  EXPECT_GT(*exact.points[0].unit_month_price, *exact.points[4].unit_month_price);
}

TEST(BidGrid, TheModelsOwnTermsWhenNoAxisIsGiven) {
  const solve::Bid bid = solve::bid<double>(us_model(), request(BidMetric::net_margin, 0.10));
  ASSERT_EQ(bid.points.size(), 1u);
  EXPECT_EQ(bid.points[0].term_months, 60);
  EXPECT_DOUBLE_EQ(bid.points[0].prepayment_share, 0.2);
  EXPECT_EQ(bid.contract, "anchor tenant");
  EXPECT_NE(bid.re_lease.find("2.1 USD per GPU-hour"), std::string::npos) << bid.re_lease;
}

// ---- edge cases ----------------------------------------------------------------------------------

TEST(BidEdgeCases, ADscrCappedByTheYearsAfterTheContractIsUnreachable) {
  // A 24-month contract under a 60-month loan: years 3-5 are served by the re-lease alone, whose
  // price the bid does not move, so no price lifts the minimum DSCR to 1.30x.
  const solve::Bid bid = solve::bid<double>(us_model(), request(BidMetric::minimum_dscr, 1.30, {24}));
  const auto& p = bid.points[0];
  EXPECT_EQ(p.status, BidStatus::unreachable);
  EXPECT_FALSE(p.unit_month_price);
  ASSERT_TRUE(p.best_reachable);
  EXPECT_LT(*p.best_reachable, 1.30);
  EXPECT_NE(p.note.find("no price earns minimum DSCR 1.30x"), std::string::npos) << p.note;
  EXPECT_NE(p.note.find("the best reachable is"), std::string::npos) << p.note;
  EXPECT_TRUE(bid.none_priced());
}

TEST(BidEdgeCases, EquityThatIsTinyGetsAMessageNotAnIrr) {
  // Half the contract's value prepaid and 45% of the cost borrowed: equity funds (nearly) nothing.
  const solve::Bid bid = solve::bid<num::Decimal>(us_model(), request(BidMetric::equity_irr, 0.15, {}, {dec("0.5")}));
  const auto& p = bid.points[0];
  EXPECT_EQ(p.status, BidStatus::equity_too_small);
  EXPECT_FALSE(p.unit_month_price);
  EXPECT_FALSE(p.equity_irr.rate);
  EXPECT_NE(p.note.find("so an equity IRR says nothing"), std::string::npos) << p.note;
  // Another target prices the same deal and flags the equity IRR beside it.
  const solve::Bid project = solve::bid<num::Decimal>(us_model(), request(BidMetric::project_irr_post_tax, 0.10, {}, {dec("0.5")}));
  EXPECT_EQ(project.points[0].status, BidStatus::priced);
  EXPECT_FALSE(project.points[0].equity_irr.rate);
  EXPECT_NE(project.points[0].equity_irr.note.find("equity"), std::string::npos);
}

TEST(BidEdgeCases, EquityThatIsTinySaysSoForEveryTargetKind) {
  // The same half-prepaid deal bid on each other target: priced or not, the point says in words that
  // equity funds (nearly) nothing, and gives no equity IRR.
  const std::pair<BidMetric, double> targets[] = {{BidMetric::project_irr_post_tax, 0.10},
                                                  {BidMetric::project_irr_pre_tax, 0.12},
                                                  {BidMetric::minimum_dscr, 1.20},
                                                  {BidMetric::net_margin, 0.10}};
  for (const auto& [metric, value] : targets) {
    const solve::Bid bid = solve::bid<double>(us_model(), request(metric, value, {}, {dec("0.5")}));
    const auto& p = bid.points[0];
    const std::string name(solve::names_of(metric).key);
    EXPECT_NE(p.note.find("so an equity IRR says nothing"), std::string::npos) << name << ": " << p.note;
    EXPECT_FALSE(p.equity_irr.rate) << name;
  }
}

TEST(BidEdgeCases, ATargetEarnedAtAZeroPriceSaysSo) {
  const solve::Bid bid = solve::bid<double>(us_model(), request(BidMetric::project_irr_post_tax, -0.5));
  EXPECT_EQ(bid.points[0].unit_month_price, 0.0);
  EXPECT_NE(bid.points[0].note.find("even at a zero price"), std::string::npos);
}

TEST(BidEdgeCases, BadRequestsSayWhatIsWrong) {
  const auto message = [](const deal::Deal& deal, const solve::BidRequest& r) {
    try {
      (void)solve::bid<double>(deal, r);
    } catch (const std::invalid_argument& error) {
      return std::string(error.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message(us_model(), request(BidMetric::equity_irr, 0.15, {84})),
            "a term of 84 months runs past the model's horizon: 'anchor tenant' starts in month 0 of 72, so its term "
            "is at most 72 months");
  auto named = request(BidMetric::equity_irr, 0.15);
  named.contract = "anchor tenent";
  EXPECT_EQ(message(us_model(), named),
            "no take-or-pay contract is named 'anchor tenent' (did you mean 'anchor tenant'?); the model has: 'anchor "
            "tenant'");
  EXPECT_EQ(message(io::load_deal(models + "china-h800-on-demand.yaml"), request(BidMetric::equity_irr, 0.15)),
            "the model has no take-or-pay contract to bid (a bid prices a committed contract)");
  deal::Deal two = test::rich_deal();
  named.contract = "spot";
  EXPECT_EQ(message(two, named), "'spot' is an on-demand contract: a bid prices a take-or-pay contract");
  two.debt.clear();
  EXPECT_EQ(message(two, request(BidMetric::minimum_dscr, 1.3)),
            "the model has no debt: a minimum DSCR target needs debt service");
  // rich_deal's anchor has a 3-month ramp and an early exit after 42 months.
  EXPECT_EQ(message(test::rich_deal(), request(BidMetric::equity_irr, 0.15, {40})),
            "a term of 40 months ends before the contract's early exit after 42 months");
}

// ---- the command -----------------------------------------------------------------------------------

TEST(BidCommand, JsonTableAndCsvCarryTheSameAnswer) {
  const std::string model = "'" + models + "us-h100-take-or-pay.yaml'";
  const auto json_run = test::run_leasecalc("bid " + model + " --target equity-irr 15% --terms 36,60 --prepayment 0%,20% --format json");
  ASSERT_EQ(json_run.exit_code, 0) << json_run.err;
  const auto document = nlohmann::json::parse(json_run.out);
  EXPECT_EQ(document["schema"], "leasecalc.bid/1");
  EXPECT_EQ(document["target"]["metric"], "equity_irr");
  ASSERT_EQ(document["bids"].size(), 4u);
  for (const auto& point : document["bids"]) {
    EXPECT_EQ(point["status"], "priced");
    EXPECT_NEAR(point["achieved"].get<double>(), 0.15, 1e-6);
    EXPECT_NEAR(point["equity_irr"]["rate"].get<double>(), 0.15, 1e-6);
    EXPECT_NEAR(point["price_per_server_month"].get<double>(), point["price_per_gpu_hour"].get<double>() * 8 * 730, 1e-6);
  }
  const auto csv_run = test::run_leasecalc("bid " + model + " --target equity-irr 15% --terms 36,60 --prepayment 0%,20% --format csv");
  ASSERT_EQ(csv_run.exit_code, 0) << csv_run.err;
  std::istringstream lines(csv_run.out);
  std::string header, first;
  std::getline(lines, header);
  std::getline(lines, first);
  EXPECT_EQ(header.find("contract,target_metric,target,term_months,prepayment_share,status,price_per_gpu_hour,"
                        "price_per_server_month,achieved,equity_irr,"),
            0u)
      << header;
  EXPECT_NE(first.find(num::to_text(document["bids"][0]["price_per_gpu_hour"].get<double>())), std::string::npos) << first;
  const auto table_run = test::run_leasecalc("bid " + model + " --target equity-irr 15% --terms 36 --prepayment 0%");
  ASSERT_EQ(table_run.exit_code, 0) << table_run.err;
  char price[32];
  std::snprintf(price, sizeof price, "%.4f", document["bids"][0]["price_per_gpu_hour"].get<double>());
  EXPECT_NE(table_run.out.find(price), std::string::npos) << table_run.out;
  EXPECT_NE(table_run.out.find("re-leased on demand after the term at the model's market price"), std::string::npos);
}

TEST(BidCommand, TheRepricedModelFileReportsTheTargetThroughRun) {
  // The answer written into the model file (the price per GPU-hour, the re-lease's market price
  // stated), run as a user would: `run` reports the target.
  const std::string path = models + "us-h100-take-or-pay.yaml";
  const auto bid_run = test::run_leasecalc("bid '" + path + "' --target equity-irr 15% --terms 48 --format json");
  ASSERT_EQ(bid_run.exit_code, 0) << bid_run.err;
  const double price = nlohmann::json::parse(bid_run.out)["bids"][0]["price_per_gpu_hour"].get<double>();
  std::string text = test::read_file(path);
  const auto replace = [&](const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
  };
  replace("price: 2.10 USD/GPU-hour", "price: " + num::to_text(price) + " USD/GPU-hour");
  replace("term: 60 months\n      ramp", "term: 48 months\n      ramp");
  replace("mode: on_demand", "mode: on_demand\n        market_price: 2.10 USD/GPU-hour");
  const auto dir = std::filesystem::temp_directory_path() / "leasecalc-bid-test";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "repriced.yaml") << text;
  const auto run = test::run_leasecalc("run '" + (dir / "repriced.yaml").string() + "' --format json");
  std::filesystem::remove_all(dir);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NEAR(nlohmann::json::parse(run.out)["returns"]["equity_irr"]["rate"].get<double>(), 0.15, 1e-6);
}

TEST(BidCommand, ExitsWithOneOnlyWhenNoPointHasAPrice) {
  const std::string model = "'" + models + "us-h100-take-or-pay.yaml'";
  const auto none = test::run_leasecalc("bid " + model + " --target minimum-dscr 1.30x --terms 24 --fast");
  EXPECT_EQ(none.exit_code, 1) << none.err;
  EXPECT_NE(none.out.find("no price earns minimum DSCR 1.30x"), std::string::npos) << none.out;
  const auto some = test::run_leasecalc("bid " + model + " --target minimum-dscr 1.30x --terms 24,60 --fast");
  EXPECT_EQ(some.exit_code, 0) << some.err;
}

TEST(BidCommand, UsageErrors) {
  const std::string model = "'" + models + "us-h100-take-or-pay.yaml'";
  const auto no_target = test::run_leasecalc("bid " + model);
  EXPECT_EQ(no_target.exit_code, 2);
  EXPECT_NE(no_target.err.find("which target? e.g. --target equity-irr 15%"), std::string::npos);
  const auto bad_metric = test::run_leasecalc("bid " + model + " --target irr 15%");
  EXPECT_NE(bad_metric.err.find("--target expects equity-irr, project-irr, project-irr-pre-tax, minimum-dscr or "
                                "net-margin, got 'irr'"),
            std::string::npos);
  const auto bad_terms = test::run_leasecalc("bid " + model + " --target equity-irr 15% --terms 36,,60");
  EXPECT_NE(bad_terms.err.find("--terms expects whole months"), std::string::npos) << bad_terms.err;
  const auto bad_prepayment = test::run_leasecalc("bid " + model + " --target equity-irr 15% --prepayment 100%");
  EXPECT_NE(bad_prepayment.err.find("--prepayment expects shares from 0% to below 100%"), std::string::npos);
  const auto credit = test::run_leasecalc("bid " + model + " --target equity-irr 15% --credit IG");
  EXPECT_EQ(credit.exit_code, 2);
  EXPECT_NE(credit.err.find("--credit expects credit classes (investment_grade, sub_investment_grade, unrated), "
                            "comma-separated, got 'IG'"),
            std::string::npos)
      << credit.err;
  const auto horizon = test::run_leasecalc("bid " + model + " --target equity-irr 15% --terms 84");
  EXPECT_EQ(horizon.exit_code, 2);
  EXPECT_NE(horizon.err.find("runs past the model's horizon"), std::string::npos);
}

}  // namespace
