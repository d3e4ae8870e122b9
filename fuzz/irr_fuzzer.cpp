// IRR and XIRR against an exact check of every answer: each reported root makes NPV zero to
// rounding relative to the flows' scale, or NPV changes sign across it (so no root is reported
// where NPV has none); statuses agree with the sign pattern; bad input is std::invalid_argument
// and only bad input is.
//
// Input (binary, little-endian): byte 0 bit 0 chooses XIRR; bytes 1-8 the guess (a double); then
// one record per flow: IRR 8 bytes (a double), XIRR 8 bytes and 2 bytes of days after the first
// date (the first record's days are ignored). fuzz/make_irr_seeds.py writes the seed corpus.
#include <leasecalc/fin/irr.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <vector>

namespace {

namespace fin = leasecalc::fin;

[[noreturn]] void fail(const char* what, double rate) {
  std::fprintf(stderr, "irr_fuzzer: %s (rate %.17g)\n", what, rate);
  std::abort();
}

// NPV at `rate` and the sum of the magnitudes of its terms, in long double (whose exponent range
// holds every double's powers here), scaled by (1 + r)^T below 0 as the solver does, so that both
// stay finite near -100%. Times in periods (IRR) or years (XIRR).
struct NpvParts {
  long double value = 0, magnitude = 0;
};

NpvParts npv_parts(const std::vector<long double>& flows, const std::vector<long double>& times, long double rate) {
  NpvParts parts;
  const long double log_growth = std::log1p(rate);
  const long double horizon = times.empty() ? 0 : *std::max_element(times.begin(), times.end());
  for (std::size_t i = 0; i < flows.size(); ++i) {
    const long double exponent = rate >= 0 ? -times[i] : horizon - times[i];
    const long double term = flows[i] * std::exp(exponent * log_growth);
    parts.value += term;
    parts.magnitude += std::fabs(term);
  }
  return parts;
}

int sign_of(long double x) { return x > 0 ? 1 : (x < 0 ? -1 : 0); }

// A root: NPV is zero to 1e-9 of the flows' discounted size, or it changes sign (or vanishes)
// between the rates 32 ulps either side (the solver stops within a few ulps of the root).
bool is_root(const std::vector<long double>& flows, const std::vector<long double>& times, double rate) {
  const NpvParts at = npv_parts(flows, times, rate);
  if (at.magnitude == 0 || std::fabs(at.value) <= 1e-9L * at.magnitude) return true;
  const double width = 32 * std::numeric_limits<double>::epsilon() * std::fabs(rate) + 1e-16;
  double below = rate - width;
  if (!(below > -1.0)) below = std::nextafter(-1.0, 0.0);
  const double above = rate + width;
  const int low = sign_of(npv_parts(flows, times, below).value);
  const int high = sign_of(npv_parts(flows, times, above).value);
  return low == 0 || high == 0 || low != high;
}

int sign_changes(const std::vector<long double>& flows_in_time_order) {
  int changes = 0, last = 0;
  for (const long double flow : flows_in_time_order) {
    const int s = flow > 0 ? 1 : (flow < 0 ? -1 : 0);
    if (s == 0) continue;
    if (last != 0 && s != last) ++changes;
    last = s;
  }
  return changes;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 9) return 0;
  const bool dated = (data[0] & 1) != 0;
  double guess = 0;
  std::memcpy(&guess, data + 1, sizeof guess);
  const std::size_t record = dated ? 10 : 8;
  std::vector<double> flows;
  std::vector<int> days;
  for (std::size_t at = 9; at + record <= size; at += record) {
    double flow = 0;
    std::memcpy(&flow, data + at, sizeof flow);
    flows.push_back(flow);
    if (dated) {
      std::uint16_t offset = 0;
      std::memcpy(&offset, data + at + 8, sizeof offset);
      days.push_back(days.empty() ? 45658 : 45658 + offset);
    }
  }
  const bool valid = std::isfinite(guess) && guess > -1 &&
                     std::all_of(flows.begin(), flows.end(), [](double f) { return std::isfinite(f); });

  fin::IrrResult result;
  try {
    result = dated ? fin::xirr(flows, days, guess) : fin::irr(flows, guess);
  } catch (const std::invalid_argument&) {
    if (valid) fail("valid input refused", guess);
    return 0;
  }
  if (!valid) fail("invalid input accepted", guess);

  // The flows in time order with their times, as the independent check sees them. Flows on one
  // day are one flow (XIRR's definition): they are netted, in the order given and in long double
  // (no overflow, subnormals exact), before signs count.
  std::vector<std::size_t> order(flows.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  if (dated) std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return days[a] < days[b]; });
  std::vector<long double> ordered;
  std::vector<long double> times;
  int previous_day = -1;
  for (const std::size_t i : order) {
    if (dated && days[i] == previous_day) {
      ordered.back() += flows[i];
      continue;
    }
    ordered.push_back(flows[i]);
    times.push_back(dated ? (days[i] - days[0]) / 365.0L : static_cast<long double>(i));
    if (dated) previous_day = days[i];
  }
  const int changes = sign_changes(ordered);

  if ((result.status == fin::IrrStatus::no_sign_change) != (changes == 0))
    fail("no_sign_change disagrees with the flows' signs", result.rate);
  if (!result.has_rate()) {
    if (result.message.empty()) fail("no rate and no message", result.rate);
    return 0;
  }
  if (changes == 1 && result.status == fin::IrrStatus::multiple_roots)
    fail("several roots for one sign change (Descartes allows one)", result.rate);
  if (result.roots.empty() || std::find(result.roots.begin(), result.roots.end(), result.rate) == result.roots.end())
    fail("the rate is not among the roots", result.rate);
  if (!std::is_sorted(result.roots.begin(), result.roots.end())) fail("roots not ascending", result.rate);
  for (const double root : result.roots) {
    if (!std::isfinite(root) || !(root > -1.0)) fail("a root at or below -100% or not finite", root);
    if (!is_root(ordered, times, root)) fail("a reported root where NPV is not zero", root);
  }
  return 0;
}
