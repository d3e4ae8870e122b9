// The deal engine: one full projection of the standard 10k-card model (60 months), in the fast
// double mode used by sweeps and in the exact decimal mode used for statements; and the metrics.
#include <leasecalc/engine/metrics.hpp>
#include <leasecalc/engine/project.hpp>
#include <leasecalc/io/load_deal.hpp>

#include <benchmark/benchmark.h>

namespace {

const leasecalc::deal::Deal& standard_model() {
  // Loaded once, outside the timed loops.
  static const leasecalc::deal::Deal deal =
      leasecalc::io::load_deal(LEASECALC_SOURCE_DIR "/models/guosen-2025-standard-10k.yaml");
  return deal;
}

void BM_ProjectStandardModelDouble(benchmark::State& state) {
  const auto& deal = standard_model();
  for (auto _ : state) benchmark::DoNotOptimize(leasecalc::engine::project<double>(deal));
}
BENCHMARK(BM_ProjectStandardModelDouble)->Unit(benchmark::kMicrosecond);

void BM_ProjectAndMetricsStandardModelDouble(benchmark::State& state) {
  const auto& deal = standard_model();
  for (auto _ : state) {
    const auto ledger = leasecalc::engine::project<double>(deal);
    benchmark::DoNotOptimize(leasecalc::engine::metrics(deal, ledger));
  }
}
BENCHMARK(BM_ProjectAndMetricsStandardModelDouble)->Unit(benchmark::kMicrosecond);

void BM_ProjectStandardModelDecimal(benchmark::State& state) {
  const auto& deal = standard_model();
  for (auto _ : state) benchmark::DoNotOptimize(leasecalc::engine::project<leasecalc::num::Decimal>(deal));
}
BENCHMARK(BM_ProjectStandardModelDecimal)->Unit(benchmark::kMillisecond);

}  // namespace
