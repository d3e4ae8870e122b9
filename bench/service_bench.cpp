// The pricing service in-process: Service::handle of one POST /v1/quote on the standard 10k-card
// model (what bench/serve_load.sh sends over HTTP), against the floor of one bare projection in
// double mode. "leasecalc/quote" is a new quote each time (its price changes, so no answer is
// reused), "leasecalc/quote_2threads" the same on two threads at once; "leasecalc/quote_repeated"
// sends the same request every time.
#include <leasecalc/engine/project.hpp>
#include <leasecalc/service/service.hpp>

#include <benchmark/benchmark.h>

#include <atomic>
#include <string>

namespace {

const leasecalc::service::Service& bundled_service() {
  // Loaded once, outside the timed loops.
  static const leasecalc::service::Service service(leasecalc::service::load_base_models(LEASECALC_SOURCE_DIR "/models"));
  return service;
}

// A price in whole cents: "60000.00 CNY/server-month".
leasecalc::service::Request quote_request(long cents) {
  return {"POST", "/v1/quote", "application/json",
          R"({"model": "guosen-2025-standard-10k", "overrides": {"contracts[0].take_or_pay.price": ")" +
              std::to_string(cents / 100) + "." + std::to_string(100 + cents % 100).substr(1) + R"( CNY/server-month"}})"};
}

void BM_QuoteDistinct(benchmark::State& state) {
  const auto& service = bundled_service();
  // A price not asked for before, in this run or an earlier one of the same process (the
  // benchmark runs the loop several times): a cent more each time.
  static std::atomic<long> cents = 5'000'000;
  for (auto _ : state) {
    const auto response = service.handle(quote_request(++cents));
    if (response.status != 200) state.SkipWithError(response.body.c_str());
    benchmark::DoNotOptimize(response.body.data());
  }
}
BENCHMARK(BM_QuoteDistinct)->Name("leasecalc/quote")->Unit(benchmark::kMicrosecond);
// Both cores quoting at once, as the server's two threads do: wall time a quote (what the two
// threads answer a second, without HTTP) and the CPU each quote takes beside the other thread.
BENCHMARK(BM_QuoteDistinct)->Name("leasecalc/quote_2threads")->Threads(2)->UseRealTime()->Unit(benchmark::kMicrosecond);

void BM_QuoteRepeated(benchmark::State& state) {
  const auto& service = bundled_service();
  const auto request = quote_request(6'000'000);
  for (auto _ : state) {
    const auto response = service.handle(request);
    if (response.status != 200) state.SkipWithError(response.body.c_str());
    benchmark::DoNotOptimize(response.body.data());
  }
}
BENCHMARK(BM_QuoteRepeated)->Name("leasecalc/quote_repeated")->Unit(benchmark::kMicrosecond);

// The floor of a quote: one projection of the model, nothing read, solved or written.
void BM_QuoteFloor(benchmark::State& state) {
  const leasecalc::deal::Deal* deal = nullptr;
  for (const auto& model : bundled_service().models())
    if (model.name == "guosen-2025-standard-10k") deal = &model.loaded.deal;
  for (auto _ : state) benchmark::DoNotOptimize(leasecalc::engine::project<double>(*deal));
}
BENCHMARK(BM_QuoteFloor)->Name("floor/quote")->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_QuoteFloor)->Name("floor/quote_repeated")->Unit(benchmark::kMicrosecond);

}  // namespace
