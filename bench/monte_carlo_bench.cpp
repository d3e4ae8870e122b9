// Monte Carlo at speed: the time per deal-scenario of `montecarlo` (draws, market path, events,
// projection, metrics, covenant tests and the lenders' tallies), on two threads, against its
// floor, one projection with every metric on one core. Compare their items-per-second counters:
// deal-scenarios a second against projections a second.
#include <leasecalc/engine/metrics.hpp>
#include <leasecalc/engine/project.hpp>
#include <leasecalc/io/load_deal.hpp>
#include <leasecalc/io/load_uncertainty.hpp>
#include <leasecalc/solve/monte_carlo.hpp>

#include <benchmark/benchmark.h>

#include <string>

namespace {

struct Model {
  leasecalc::deal::Deal deal;
  leasecalc::deal::Uncertainty uncertainty;
};

Model load(const std::string& name) {
  const std::string path = std::string(LEASECALC_SOURCE_DIR "/models/") + name;
  return {leasecalc::io::load_deal(path), leasecalc::io::load_uncertainty(path).value()};
}

const Model& standard() {
  static const Model model = load("guosen-2025-standard-10k.yaml");  // loaded once, outside the timed loops
  return model;
}
const Model& us_h100() {
  static const Model model = load("us-h100-take-or-pay.yaml");
  return model;
}

void scenarios(benchmark::State& state, const Model& model) {
  auto uncertainty = model.uncertainty;
  uncertainty.runs = static_cast<int>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(leasecalc::solve::monte_carlo(model.deal, uncertainty, 2));
  // Per scenario: the time shown is a run's over its scenarios.
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void projection(benchmark::State& state, const Model& model) {
  for (auto _ : state) {
    const auto ledger = leasecalc::engine::project<double>(model.deal);
    benchmark::DoNotOptimize(leasecalc::engine::metrics(model.deal, ledger));
  }
  state.SetItemsProcessed(state.iterations());
}

void standard_scenarios(benchmark::State& state) { scenarios(state, standard()); }
void us_h100_scenarios(benchmark::State& state) { scenarios(state, us_h100()); }
void standard_projection(benchmark::State& state) { projection(state, standard()); }
void us_h100_projection(benchmark::State& state) { projection(state, us_h100()); }

BENCHMARK(standard_scenarios)->Name("leasecalc/scenarios_standard")->Arg(2000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(us_h100_scenarios)->Name("leasecalc/scenarios_us_h100")->Arg(2000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(standard_projection)->Name("floor/projection_standard")->Unit(benchmark::kMicrosecond);
BENCHMARK(us_h100_projection)->Name("floor/projection_us_h100")->Unit(benchmark::kMicrosecond);

}  // namespace
