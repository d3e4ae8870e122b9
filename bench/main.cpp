// Runs the benchmarks, then prints for each "leasecalc/X" the matching "QuantLib/X" time as a
// ratio (how many times faster leasecalc is) and the "floor/X" arithmetic floor, in CPU time
// (steadier than wall time on a shared machine).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace {

class SummaryReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const auto& run : runs)
      if (run.run_type == Run::RT_Iteration && !run.error_occurred)
        nanoseconds_[run.benchmark_name()] = run.GetAdjustedCPUTime() * to_nanoseconds(run.time_unit);
    ConsoleReporter::ReportRuns(runs);
  }

  void PrintSummary() const {
    std::printf("\n%-22s %14s %14s %10s %14s\n", "benchmark", "leasecalc cpu ns", "QuantLib cpu ns", "ratio", "floor ns");
    for (const auto& [name, ns] : nanoseconds_) {
      if (name.rfind("leasecalc/", 0) != 0) continue;
      const std::string rest = name.substr(10);
      const auto peer = nanoseconds_.find("QuantLib/" + rest);
      const auto floor = nanoseconds_.find("floor/" + rest);
      std::printf("%-22s %14.1f ", rest.c_str(), ns);
      if (peer != nanoseconds_.end())
        std::printf("%14.1f %9.1fx ", peer->second, peer->second / ns);
      else
        std::printf("%14s %10s ", "-", "-");
      if (floor != nanoseconds_.end())
        std::printf("%14.1f\n", floor->second);
      else
        std::printf("%14s\n", "-");
    }
  }

 private:
  static double to_nanoseconds(benchmark::TimeUnit unit) {
    switch (unit) {
      case benchmark::kNanosecond: return 1;
      case benchmark::kMicrosecond: return 1e3;
      case benchmark::kMillisecond: return 1e6;
      default: return 1e9;
    }
  }
  std::map<std::string, double> nanoseconds_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  SummaryReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.PrintSummary();
  benchmark::Shutdown();
  return 0;
}
