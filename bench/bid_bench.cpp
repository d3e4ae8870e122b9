// Bids: one solve of the lowest contract price that earns an equity IRR of 15%, in the fast
// (double) mode (also on a model whose waterfall sweeps cash to the debt), and a 3 x 3 x 2 grid (three terms, three prepayment shares, two targets). The
// figures at the answers (the exact confirmation `leasecalc bid` adds) are timed on their own.
#include <leasecalc/io/load_deal.hpp>
#include <leasecalc/solve/bid.hpp>

#include <benchmark/benchmark.h>

namespace {

using namespace leasecalc;

const deal::Deal& us_model() {
  // Loaded once, outside the timed loops.
  static const deal::Deal deal = io::load_deal(LEASECALC_SOURCE_DIR "/models/us-h100-take-or-pay.yaml");
  return deal;
}

const deal::Deal& standard_model() {
  static const deal::Deal deal = io::load_deal(LEASECALC_SOURCE_DIR "/models/guosen-2025-standard-10k.yaml");
  return deal;
}

// A delayed-draw loan sized on the contracted cash flows: each trial price re-sizes the debt, with
// its own fixed point on the tax.
const deal::Deal& sized_model() {
  static const deal::Deal deal = io::load_deal(LEASECALC_SOURCE_DIR "/models/coreweave-ddtl-ig.yaml");
  return deal;
}

// The US model with half of each month's excess cash swept to the debt: the waterfall then
// reschedules the debt and the tax after each month it sweeps.
const deal::Deal& swept_model() {
  static const deal::Deal deal = [] {
    deal::Deal d = io::load_deal(LEASECALC_SOURCE_DIR "/models/us-h100-take-or-pay.yaml");
    d.waterfall.cash_sweep = num::from_string<deal::Decimal>("0.5");
    return d;
  }();
  return deal;
}

void solve_once(benchmark::State& state, const deal::Deal& model) {
  const std::size_t contract = solve::bid_contract_index(model, std::nullopt);
  deal::Deal deal = solve::deal_to_bid(model, contract, std::nullopt, std::nullopt);
  const solve::BidTarget target{solve::BidMetric::equity_irr, 0.15};
  int projections = 0;
  for (auto _ : state) {
    const auto solution = solve::solve_bid_price(deal, contract, target);
    projections = solution.projections;
    benchmark::DoNotOptimize(solution);
  }
  state.counters["projections"] = projections;
}

void BM_BidSolveDoubleUsModel(benchmark::State& state) { solve_once(state, us_model()); }
BENCHMARK(BM_BidSolveDoubleUsModel)->Unit(benchmark::kMicrosecond);

void BM_BidSolveDoubleStandardModel(benchmark::State& state) { solve_once(state, standard_model()); }
BENCHMARK(BM_BidSolveDoubleStandardModel)->Unit(benchmark::kMicrosecond);

void BM_BidSolveDoubleSizedDebtModel(benchmark::State& state) { solve_once(state, sized_model()); }
BENCHMARK(BM_BidSolveDoubleSizedDebtModel)->Unit(benchmark::kMicrosecond);

void BM_BidSolveDoubleSweptUsModel(benchmark::State& state) { solve_once(state, swept_model()); }
BENCHMARK(BM_BidSolveDoubleSweptUsModel)->Unit(benchmark::kMicrosecond);

// The grid's 18 solves: terms 36, 48, 60 months x prepayment 0%, 15%, 25% x equity IRR 15% and
// post-tax project IRR 10%.
void BM_BidGrid3x3x2DoubleUsModel(benchmark::State& state) {
  const deal::Deal& model = us_model();
  const std::size_t contract = solve::bid_contract_index(model, std::nullopt);
  std::vector<deal::Deal> deals;
  for (const int term : {36, 48, 60})
    for (const char* share : {"0", "0.15", "0.25"})
      deals.push_back(solve::deal_to_bid(model, contract, term, num::from_string<deal::Decimal>(share)));
  const solve::BidTarget targets[] = {{solve::BidMetric::equity_irr, 0.15}, {solve::BidMetric::project_irr_post_tax, 0.10}};
  for (auto _ : state)
    for (auto& deal : deals)
      for (const auto& target : targets) benchmark::DoNotOptimize(solve::solve_bid_price(deal, contract, target));
}
BENCHMARK(BM_BidGrid3x3x2DoubleUsModel)->Unit(benchmark::kMillisecond);

// What `leasecalc bid --fast` does for the same grid: the solves and the figures at each answer.
void BM_BidGrid3x3x2WithFiguresDouble(benchmark::State& state) {
  solve::BidRequest request;
  request.term_months = {36, 48, 60};
  request.prepayment_shares = {0, num::from_string<deal::Decimal>("0.15"), num::from_string<deal::Decimal>("0.25")};
  for (auto _ : state)
    for (const auto metric : {solve::BidMetric::equity_irr, solve::BidMetric::project_irr_post_tax}) {
      request.target = {metric, metric == solve::BidMetric::equity_irr ? 0.15 : 0.10};
      benchmark::DoNotOptimize(solve::bid<double>(us_model(), request));
    }
}
BENCHMARK(BM_BidGrid3x3x2WithFiguresDouble)->Unit(benchmark::kMillisecond);

// One point confirmed exactly, as `leasecalc bid` does by default.
void BM_BidOnePointExact(benchmark::State& state) {
  solve::BidRequest request;
  request.target = {solve::BidMetric::equity_irr, 0.15};
  for (auto _ : state) benchmark::DoNotOptimize(solve::bid<num::Decimal>(us_model(), request));
}
BENCHMARK(BM_BidOnePointExact)->Unit(benchmark::kMillisecond);

}  // namespace
