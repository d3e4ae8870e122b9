// IRR, XIRR and NPV of lease cash flows: leasecalc next to QuantLib's CashFlows::yield and
// CashFlows::npv on the same flows, plus the arithmetic floor (one Horner pass over the flows).
// Benchmarks named "leasecalc/X", "QuantLib/X" and "floor/X" are paired by main.cpp's summary.
#include <leasecalc/fin/irr.hpp>
#include <leasecalc/fin/tvm.hpp>

#include <benchmark/benchmark.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#ifdef LEASECALC_BENCH_QUANTLIB
#include <ql/cashflows/cashflows.hpp>
#include <ql/cashflows/simplecashflow.hpp>
#include <ql/time/daycounters/actual365fixed.hpp>
#include <ql/time/daycounters/thirty360.hpp>
#endif

namespace {

constexpr double monthly_rate = 0.011;  // the rate the flows are built from

// A GPU lease: an outlay, then monthly rent of slightly varying size, then a residual sale.
std::vector<double> lease_flows(int months) {
  std::vector<double> flows(months + 1);
  double outlay = 0;
  for (int m = 1; m <= months; ++m) {
    flows[m] = 4.5e7 * (1 + 0.01 * std::sin(m));
    if (m == months) flows[m] += 3e8;
    outlay += flows[m] * std::pow(1 + monthly_rate, -m);
  }
  flows[0] = -outlay;
  return flows;
}

// Spreadsheet serial days of the 1st of each month from 2025-01-01.
std::vector<int> monthly_days(int months) {
  std::vector<int> days;
  int day = 45658;  // 2025-01-01
  constexpr int month_lengths[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  for (int m = 0; m <= months; ++m) {
    days.push_back(day);
    const int year = 2025 + m / 12, month = m % 12;
    const bool leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    day += month_lengths[month] + (month == 1 && leap ? 1 : 0);
  }
  return days;
}

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(what);
}

void leasecalc_irr(benchmark::State& state) {
  const auto flows = lease_flows(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto result = leasecalc::fin::irr(flows);
    benchmark::DoNotOptimize(result.rate);
  }
  check(std::fabs(leasecalc::fin::irr(flows).rate - monthly_rate) < 1e-12, "leasecalc IRR is off");
}

void leasecalc_xirr(benchmark::State& state) {
  const int months = static_cast<int>(state.range(0));
  const auto flows = lease_flows(months);
  const auto days = monthly_days(months);
  for (auto _ : state) {
    auto result = leasecalc::fin::xirr(flows, days);
    benchmark::DoNotOptimize(result.rate);
  }
  check(leasecalc::fin::xirr(flows, days).has_rate(), "leasecalc XIRR failed");
}

void leasecalc_npv(benchmark::State& state) {
  const auto flows = lease_flows(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    double value = leasecalc::fin::npv(monthly_rate, std::span<const double>(flows));
    benchmark::DoNotOptimize(value);
  }
}

// The floor: one Horner pass (value only) over the flows, what any evaluation must at least do.
void floor_horner(benchmark::State& state) {
  const auto flows = lease_flows(static_cast<int>(state.range(0)));
  double x = 1 / (1 + monthly_rate);
  for (auto _ : state) {
    benchmark::DoNotOptimize(x);
    double value = 0;
    for (std::size_t i = flows.size(); i-- > 0;) value = value * x + flows[i];
    benchmark::DoNotOptimize(value);
  }
}

BENCHMARK(leasecalc_irr)->Name("leasecalc/irr")->Arg(60)->Arg(360);
BENCHMARK(leasecalc_xirr)->Name("leasecalc/xirr")->Arg(60)->Arg(360);
BENCHMARK(leasecalc_npv)->Name("leasecalc/npv")->Arg(60);
BENCHMARK(floor_horner)->Name("floor/irr")->Arg(60)->Arg(360);
BENCHMARK(floor_horner)->Name("floor/npv")->Arg(60);

#ifdef LEASECALC_BENCH_QUANTLIB
namespace ql = QuantLib;

struct QuantLibLease {
  ql::Leg leg;  // the flows after the outlay
  double outlay;
  ql::Date settlement;
};

// The same flows on the 1st of each month; the outlay is paid on the settlement date, which is
// passed explicitly (and its flow excluded), so no global evaluation date is read.
QuantLibLease quantlib_lease(int months) {
  const auto flows = lease_flows(months);
  const auto days = monthly_days(months);
  QuantLibLease lease{{}, -flows[0], ql::Date(days[0])};
  for (int m = 1; m <= months; ++m)
    lease.leg.push_back(ql::ext::make_shared<ql::SimpleCashFlow>(flows[m], ql::Date(days[m])));
  return lease;
}

// IRR: 30/360 on month starts gives t = m/12, and monthly compounding turns the annual yield y
// into the monthly IRR y/12, so this is the spreadsheet IRR.
void quantlib_irr(benchmark::State& state) {
  const auto lease = quantlib_lease(static_cast<int>(state.range(0)));
  const ql::Thirty360 day_counter(ql::Thirty360::BondBasis);
  auto solve = [&] {
    return ql::CashFlows::yield(lease.leg, lease.outlay, day_counter, ql::Compounded, ql::Monthly, false,
                                lease.settlement, lease.settlement, 1e-12, 100, 0.1);
  };
  for (auto _ : state) {
    double rate = solve();
    benchmark::DoNotOptimize(rate);
  }
  check(std::fabs(solve() / 12 - monthly_rate) < 1e-9, "QuantLib IRR is off");
}

// XIRR: Actual/365 (Fixed) with annual compounding.
void quantlib_xirr(benchmark::State& state) {
  const auto lease = quantlib_lease(static_cast<int>(state.range(0)));
  const ql::Actual365Fixed day_counter;
  for (auto _ : state) {
    double rate = ql::CashFlows::yield(lease.leg, lease.outlay, day_counter, ql::Compounded, ql::Annual, false,
                                       lease.settlement, lease.settlement, 1e-12, 100, 0.1);
    benchmark::DoNotOptimize(rate);
  }
}

void quantlib_npv(benchmark::State& state) {
  const auto lease = quantlib_lease(static_cast<int>(state.range(0)));
  const ql::InterestRate rate(monthly_rate * 12, ql::Thirty360(ql::Thirty360::BondBasis), ql::Compounded,
                              ql::Monthly);
  for (auto _ : state) {
    double value = ql::CashFlows::npv(lease.leg, rate, false, lease.settlement, lease.settlement);
    benchmark::DoNotOptimize(value);
  }
}

BENCHMARK(quantlib_irr)->Name("QuantLib/irr")->Arg(60)->Arg(360);
BENCHMARK(quantlib_xirr)->Name("QuantLib/xirr")->Arg(60)->Arg(360);
BENCHMARK(quantlib_npv)->Name("QuantLib/npv")->Arg(60);
#endif

}  // namespace
