#include "leasecalc/fin/irr.hpp"

#include "leasecalc/fin/root.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <string>
#include <vector>
#include <optional>
#include <limits>
#include <stdexcept>
#include <type_traits>
#include <utility>

namespace leasecalc::fin {
namespace {

// Newton runs on f(r) = log(PV of the inflows) - log(PV of the outflows), which has the sign of
// NPV and the same roots, but is close to linear in log(1+r) for lease-like flows: Newton from a
// distant guess lands near the root in a step or two instead of overshooting on convex NPV.
// Both present values are scaled by (1+r)^T for r < 0 (the ratio is unchanged), so no term
// overflows near -100%. When both underflow (extreme rates) the sign of NPV is that of the first
// flow (r -> +inf) or of the last (r -> -1), given by `sign_high` / `sign_low`, with no slope.
// `Real` is double, or long double for flows whose magnitudes are too far apart for sums in double.
template <class Real>
RootSample log_ratio(Real inflow, Real inflow_slope, Real outflow, Real outflow_slope, double rate,
                     int sign_low, int sign_high) {
  if (inflow == 0 && outflow == 0) return {rate >= 0 ? double(sign_high) : double(sign_low), 0.0};
  // log1p of the relative difference keeps full precision near the root, where the two logs
  // would cancel to a few digits.
  Real value = std::log1p((inflow - outflow) / outflow);
  // One side below 2^-53 of the other (a distant rate): the relative difference rounds to -1 or
  // overflows, but the logarithms stay finite.
  if (!std::isfinite(value) && inflow > 0 && outflow > 0) value = std::log(inflow) - std::log(outflow);
  return {static_cast<double>(value), static_cast<double>(inflow_slope / inflow - outflow_slope / outflow)};
}

// Terms below this have lost digits to underflow (doubles turn subnormal at 2^-1022): a present
// value under it is summed again in long double, whose exponent reaches 2^-16382.
constexpr double kSmallestSafeDoubleSum = 0x1p-960;

// The same for long double sums: below this they have lost digits to underflow (long doubles turn
// subnormal at 2^-16382), and NPV is taken in logarithms instead.
constexpr long double kSmallestSafeLongDoubleSum = 0x1p-16000L;

// Present values in logarithms, for rates so extreme that even long double sums underflow: each
// term c (1+r)^-t enters as log|c| - t log(1+r), which never underflows, so NPV keeps the sign
// of its largest terms instead of reading as zero (a zero there would pass for a root).
class LogPresentValues {
 public:
  explicit LogPresentValues(double rate) : log_growth_(std::log1p(static_cast<long double>(rate))), rate_(rate) {}

  // A flow `amount` at time `time` (periods or years); its term's log is
  // log|amount| - time log(1+r) and that log's derivative in log(1+r) is -time.
  void add(double amount, long double time) {
    if (amount != 0) add_log(amount, std::log(std::fabs(static_cast<long double>(amount))) - time * log_growth_, time);
  }

  // A term of sign `sign` whose log is `log_term`, with mean time `time`.
  void add_log(double sign, long double log_term, long double time) {
    if (sign == 0) return;
    Side& side = sign > 0 ? in_ : out_;
    if (log_term > side.largest) {
      const long double rescale = std::exp(side.largest - log_term);  // 0 for the first term
      side.sum *= rescale;
      side.time_sum *= rescale;
      side.largest = log_term;
    }
    const long double weight = std::exp(log_term - side.largest);
    side.sum += weight;
    side.time_sum += weight * time;
  }

  long double log_growth() const { return log_growth_; }

  // log(inflows / outflows) and its derivative in r; both sides must have a term.
  RootSample sample() const {
    const long double value = (in_.largest + std::log(in_.sum)) - (out_.largest + std::log(out_.sum));
    const long double slope = (out_.time_sum / out_.sum - in_.time_sum / in_.sum) / (1.0L + rate_);
    return {static_cast<double>(value), static_cast<double>(slope)};
  }

 private:
  struct Side {
    long double largest = -std::numeric_limits<long double>::infinity();
    long double sum = 0, time_sum = 0;
  };
  long double log_growth_;
  double rate_;
  Side in_, out_;
};

// Periodic flows: both present values and their derivatives in one pass, in double, or in long
// double where the double sums underflow (extreme rates with flows of very different sizes) or
// when `wide` is set (flows whose own magnitudes are outside what double sums hold).
struct PeriodicNpv {
  std::vector<double> inflows, outflows;  // by period: the positive and the negative flows
  int sign_low, sign_high;
  bool wide;

  PeriodicNpv(std::span<const double> flows, int low, int high, bool always_wide)
      : inflows(flows.size()), outflows(flows.size()), sign_low(low), sign_high(high), wide(always_wide) {
    for (std::size_t i = 0; i < flows.size(); ++i) {
      inflows[i] = flows[i] > 0 ? flows[i] : 0.0;
      outflows[i] = flows[i] < 0 ? -flows[i] : 0.0;
    }
  }

  // Evaluated only on flows that change sign, so both present values are positive unless they
  // underflowed.

  RootSample operator()(double rate) const {
    if (!wide) {
      const Parts<double> p = present_values<double>(rate);
      if (!(p.in < kSmallestSafeDoubleSum || p.out < kSmallestSafeDoubleSum)) return sample(p, rate);
    }
    return wide_sample(rate);
  }

 private:
  // Out of line: rare, and kept out of the hot double path.
  [[gnu::noinline, gnu::cold]] RootSample wide_sample(double rate) const {
    const Parts<long double> p = present_values<long double>(rate);
    if (std::isfinite(rate) && (p.in < kSmallestSafeLongDoubleSum || p.out < kSmallestSafeLongDoubleSum))
      return log_sample(rate);
    return sample(p, rate);
  }

  [[gnu::noinline, gnu::cold]] RootSample log_sample(double rate) const {
    LogPresentValues logs(rate);
    for (std::size_t i = 0; i < inflows.size(); ++i) {
      logs.add(inflows[i], static_cast<long double>(i));
      logs.add(-outflows[i], static_cast<long double>(i));
    }
    return logs.sample();
  }

  template <class Real>
  struct Parts {
    Real in, din, out, dout;  // present values and their derivatives in r
  };

  template <class Real>
  RootSample sample(const Parts<Real>& p, double rate) const {
    return log_ratio(p.in, p.din, p.out, p.dout, rate, sign_low, sign_high);
  }

  template <class Real>
  Parts<Real> present_values(double rate) const {
    const std::size_t n = inflows.size();
    if (rate >= 0) {
      // sum c_i x^i with x = 1/(1+r) in (0, 1]; d/dr = d/dx * (-x^2).
      const Real x = Real(1) / (Real(1) + rate);
      const Parts<Real> p = parts(x, [](std::size_t i) { return i; });
      return {p.in, -p.din * x * x, p.out, -p.dout * x * x};
    }
    // (1+r)^(n-1) times the same: sum c_i y^(n-1-i) with y = 1 + r in (0, 1).
    return parts(Real(1) + rate, [n](std::size_t j) { return n - 1 - j; });
  }

  // The inflow and outflow parts of sum_j c_period(j) z^j and their derivatives in z. The even and
  // odd powers are two polynomials in z^2 evaluated by Horner's rule side by side, so eight
  // independent multiply-add chains, half as long, keep the processor busy:
  // P(z) = E(z^2) + z O(z^2), P'(z) = 2z E'(z^2) + O(z^2) + 2z^2 O'(z^2).
  template <class Real, class Period>
  Parts<Real> parts(Real z, const Period& period) const {
    const std::size_t n = inflows.size();
    const Real w = z * z;
    Real e_in = 0, de_in = 0, o_in = 0, do_in = 0, e_out = 0, de_out = 0, o_out = 0, do_out = 0;
    std::size_t pairs = n / 2;
    if (n % 2 == 1) {  // the highest power is even: it starts the even chain
      e_in = inflows[period(n - 1)];
      e_out = outflows[period(n - 1)];
    }
    while (pairs-- > 0) {
      const std::size_t even = period(2 * pairs), odd = period(2 * pairs + 1);
      de_in = de_in * w + e_in;
      e_in = e_in * w + inflows[even];
      do_in = do_in * w + o_in;
      o_in = o_in * w + inflows[odd];
      de_out = de_out * w + e_out;
      e_out = e_out * w + outflows[even];
      do_out = do_out * w + o_out;
      o_out = o_out * w + outflows[odd];
    }
    return {e_in + z * o_in, 2 * z * de_in + o_in + 2 * w * do_in,  //
            e_out + z * o_out, 2 * z * de_out + o_out + 2 * w * do_out};
  }
};

// Flows on whole days, ordered by time; in double, or in long double as above (`exact` holds the
// flows as netted in long double, `flows` the same rounded to doubles). A flow `e` days after the
// first is discounted by x^e with x = (1+r)^(-1/365) (for r < 0, scaled by (1+r)^T as for periodic
// flows: y^(E-e) with y = (1+r)^(1/365)), so NPV is a polynomial in x evaluated by Horner's rule
// over the gaps between dates. The powers are taken once per distinct gap (few: a monthly schedule
// has four), so an evaluation costs a multiply-add chain per flow instead of an exponential.
struct DatedNpv {
  std::vector<long long> days;          // since the first flow, ascending
  std::vector<double> flows;
  std::vector<long double> exact;
  std::vector<long long> distinct_gaps;  // the gaps between consecutive days, each once
  std::vector<std::uint32_t> gap_of;     // gap_of[k]: index in distinct_gaps of days[k + 1] - days[k]
  int sign_low = 0, sign_high = 0;
  bool wide = false;

  void index_gaps() {
    gap_of.resize(days.empty() ? 0 : days.size() - 1);
    std::vector<std::pair<long long, std::size_t>> gaps;  // (gap, position), sorted to give each gap an index
    for (std::size_t k = 0; k + 1 < days.size(); ++k) gaps.emplace_back(days[k + 1] - days[k], k);
    std::sort(gaps.begin(), gaps.end());
    for (const auto& [gap, k] : gaps) {
      if (distinct_gaps.empty() || distinct_gaps.back() != gap) distinct_gaps.push_back(gap);
      gap_of[k] = static_cast<std::uint32_t>(distinct_gaps.size() - 1);
    }
  }

  // As for periodic flows, both present values are positive unless they underflowed.
  RootSample operator()(double rate) const {
    if (!wide) {
      const RootSample narrow = evaluate<double>(flows, rate, true);
      if (!std::isnan(narrow.value)) return narrow;
    }
    const RootSample wide = evaluate<long double>(exact, rate, std::isfinite(rate));
    return std::isnan(wide.value) ? log_sample(rate) : wide;
  }

  [[gnu::noinline, gnu::cold]] RootSample log_sample(double rate) const {
    LogPresentValues logs(rate);
    for (std::size_t k = 0; k < exact.size(); ++k) {
      const long double amount = exact[k];
      if (amount == 0) continue;
      logs.add_log(amount > 0 ? 1.0 : -1.0, std::log(std::fabs(amount)) - days[k] / 365.0L * logs.log_growth(),
                   days[k] / 365.0L);
    }
    return logs.sample();
  }

 private:
  // Horner's rule runs over blocks of this many flows, each scaled by an exact power: a flow's
  // discount then carries the rounding of at most this many products, as when each is computed
  // on its own, at the cost of one exponential per block.
  static constexpr std::size_t kBlock = 64;

  // NaN when `check_underflow` and a present value has lost digits to underflow (then the caller
  // sums wider, or in logarithms).
  template <class Real, class Flow>
  RootSample evaluate(const std::vector<Flow>& amounts, double rate, bool check_underflow) const {
    const Real s = std::log1p(Real(rate));
    // A flow's exponent in days: u = e from the first flow (r >= 0, x = (1+r)^(-1/365)), or
    // u = E - e from the last (r < 0, y = (1+r)^(1/365)); either way its discount is
    // exp(u * log_per_day) with log_per_day <= 0.
    const bool from_first = rate >= 0;
    const Real log_per_day = (from_first ? -s : s) / Real(365);
    const long long last_day = days.back();
    const auto exponent = [&](std::size_t k) { return from_first ? days[k] : last_day - days[k]; };
    std::vector<Real> power(distinct_gaps.size());
    for (std::size_t j = 0; j < power.size(); ++j) power[j] = std::exp(Real(distinct_gaps[j]) * log_per_day);
    // Per block, A: the flows discounted to the block's smallest exponent; B: the same weighted by
    // their exponent above it (B' = p (B + g A) when every exponent so far grows by the gap g).
    Real in = 0, b_in = 0, out = 0, b_out = 0;
    const std::size_t n = amounts.size();
    for (std::size_t first = 0; first < n; first += kBlock) {
      const std::size_t end = std::min(n, first + kBlock);
      Real a_block_in = 0, b_block_in = 0, a_block_out = 0, b_block_out = 0;
      for (std::size_t step = 0; step < end - first; ++step) {
        // Largest exponent first: from the block's end when counting from the first flow.
        const std::size_t k = from_first ? end - 1 - step : first + step;
        if (step > 0) {
          const std::uint32_t gap = from_first ? gap_of[k] : gap_of[k - 1];
          const Real p = power[gap], g = Real(distinct_gaps[gap]);
          b_block_in = p * (b_block_in + g * a_block_in);
          a_block_in *= p;
          b_block_out = p * (b_block_out + g * a_block_out);
          a_block_out *= p;
        }
        if (amounts[k] > 0) a_block_in += Real(amounts[k]);
        else a_block_out -= Real(amounts[k]);
      }
      const Real base = Real(exponent(from_first ? first : end - 1));
      const Real scale = std::exp(base * log_per_day);
      in += scale * a_block_in;
      b_in += scale * (b_block_in + base * a_block_in);
      out += scale * a_block_out;
      b_out += scale * (b_block_out + base * a_block_out);
    }
    const Real smallest_safe = std::is_same_v<Real, double> ? Real(kSmallestSafeDoubleSum) : Real(kSmallestSafeLongDoubleSum);
    if (check_underflow && (in < smallest_safe || out < smallest_safe))
      return {std::numeric_limits<double>::quiet_NaN(), 0.0};
    // d/ds of exp(u * log_per_day) is -u/365 of it (from the first flow) or +u/365 (from the last);
    // d/dr = d/ds / (1 + r).
    const Real to_rate = (from_first ? Real(-1) : Real(1)) / (Real(365) * (Real(1) + rate));
    return log_ratio(in, b_in * to_rate, out, b_out * to_rate, rate, sign_low, sign_high);
  }
};

// RATE's flows: `first` now, `payment` at the end of periods 1 .. periods - 1, `last` at the end
// of period `periods`. NPV in closed form, in logarithms (as LogPresentValues), so an evaluation
// costs the same for a million periods as for one: the payments' present value is |payment| S
// with S = sum_{i=1..m} q^i, q = 1/(1+r), m = periods - 1, and their mean time
// 1/(1-q) - m q^m/(1-q^m) (periods) weights the slope.
struct AnnuityNpv {
  std::size_t periods;
  double first, payment, last;
  int sign_low, sign_high;

  RootSample operator()(double rate) const {
    if (!std::isfinite(rate)) return {double(sign_high), 0.0};
    LogPresentValues logs(rate);
    const long double s = logs.log_growth();
    const long double n = static_cast<long double>(periods);
    logs.add(first, 0);
    logs.add(last, n);
    const long double m = n - 1;
    if (payment != 0 && m >= 1) {
      long double log_sum, mean_time;
      if (std::fabs(s) * m < 1e-12L) {  // r next to 0: S = m and the times average (m + 1)/2
        log_sum = std::log(m);
        mean_time = (m + 1) / 2;
      } else {
        // S = q (1 - q^m) / (1 - q) = (1 - e^(-ms)) / (e^s - 1), both factors of one sign.
        log_sum = std::log(-std::expm1(-m * s) / std::expm1(s));
        // Near -100%, q^m overflows even a long double: S = q (q^m - 1)/(q - 1) is then
        // q^(m+1)/(q - 1) to every digit.
        if (!std::isfinite(log_sum)) log_sum = -(m + 1) * s - std::log(std::expm1(-s));
        mean_time = -1 / std::expm1(-s) - m / std::expm1(m * s);
      }
      logs.add_log(payment, std::log(std::fabs(static_cast<long double>(payment))) + log_sum, mean_time);
    }
    return logs.sample();
  }
};

// Sums of products of flows stay well inside the doubles while every non-zero flow's magnitude
// is within 2^-500 .. 2^500. Flows beyond (subnormal ones, which have lost digits already, or
// ones near the largest double, whose sums overflow) are summed in long double throughout; the
// rate is then that of the flows exactly as given.
template <class Flows>
bool sums_fit_in_double(const Flows& flows) {
  using Flow = std::remove_cvref_t<decltype(*std::begin(flows))>;
  bool fits = true;  // without branches, so that the loop vectorises: it runs on every IRR
  for (const Flow flow : flows) {
    const Flow size = std::fabs(flow);
    fits &= (size == 0) | ((size >= Flow(0x1p-500)) & (size <= Flow(0x1p500)));
  }
  return fits;
}

std::string format_number(double value) {
  char buffer[32];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, end);
}

template <class Real>
int sign(Real x) { return x > 0 ? 1 : (x < 0 ? -1 : 0); }

struct SignPattern {
  int changes = 0;
  int first = 0;  // sign of the first non-zero flow: NPV's sign as r -> +inf
  int last = 0;   // sign of the last non-zero flow: NPV's sign as r -> -1
};

template <class Flows>
SignPattern sign_pattern(const Flows& flows_in_time_order) {
  SignPattern pattern;
  for (const auto c : flows_in_time_order) {
    const int s = sign(c);
    if (s == 0) continue;
    if (pattern.first == 0) pattern.first = s;
    if (pattern.last != 0 && s != pattern.last) ++pattern.changes;
    pattern.last = s;
  }
  return pattern;
}

// Scan points in s = log(1 + r): fine near 0 where monthly and annual rates live, coarser
// towards -100% (s = -30, r = -1 + 1e-13) and towards +10^5 % (s = 7).
std::vector<double> scan_points() {
  struct Segment {
    double from, to, step;
  };
  constexpr Segment segments[] = {{-30, -3, 0.1},   {-3, -0.3, 0.01}, {-0.3, 0.3, 0.0005},
                                  {0.3, 3, 0.01},   {3, 7, 0.05}};
  std::vector<double> points;
  for (const auto& segment : segments) {
    const int count = static_cast<int>(std::lround((segment.to - segment.from) / segment.step));
    for (int k = 0; k < count; ++k) points.push_back(segment.from + k * segment.step);
  }
  points.push_back(segments[std::size(segments) - 1].to);
  return points;
}

constexpr std::size_t kMostFlowsForRootBound = 1100;

bool same_root(double a, double b) { return std::fabs(a - b) <= 1e-10 * std::fmax(1e-6, std::fabs(a)); }

IrrResult no_convergence_result(double guess) {
  IrrResult result;
  result.status = IrrStatus::no_convergence;
  result.message = "IRR did not converge from guess " + format_number(guess);
  return result;
}

// An upper bound on the number of IRRs of periodic flows, or nothing when rounding could hide a
// sign. NPV is a polynomial P(x) in x = 1/(1+r). Rates above 0 are x in (0, 1), where P(x)/(1-x)
// is a power series whose coefficients are the cumulative flows, so by Descartes' rule there are
// at most as many roots as the cumulative flows change sign (Norstrom's criterion). Rates between
// -100% and 0 are x = 1 + t, t > 0, bounded by the sign changes of P's Taylor coefficients at 1.
// A rate of exactly 0 is a root when the flows add up to zero. O(n^2), far cheaper than a scan.
std::optional<int> root_bound(std::span<const double> flows) {
  const std::size_t n = flows.size();
  // The shifted coefficients grow like 2^n (binomial sums): past about a thousand flows of one
  // scale they leave the doubles, so the O(n^2) shift would only end in "unclear". The scan
  // answers instead, in time linear in the number of flows.
  if (n > kMostFlowsForRootBound) return std::nullopt;
  const auto changes = [](std::span<const double> coefficients) {
    int count = 0, previous = 0;
    for (const double c : coefficients) {
      const int s = sign(c);
      if (s == 0) continue;
      if (previous != 0 && s != previous) ++count;
      previous = s;
    }
    return count;
  };
  std::vector<double> cumulative(n), cumulative_size(n);
  double sum = 0, size = 0;
  for (std::size_t k = 0; k < n; ++k) {
    sum += flows[k];
    size += std::fabs(flows[k]);
    cumulative[k] = sum;
    cumulative_size[k] = size;
  }
  // Taylor shift by 1 (b_j = sum_k c_k C(k, j)), with the same sums of magnitudes to judge rounding:
  // pass i adds each coefficient, from the last down to the i-th, to the one before it. A pass is a
  // chain of dependent additions, so two go down together, the second a step behind the first: the
  // same additions in the same order, in about half the time.
  std::vector<double> taylor(flows.begin(), flows.end()), taylor_size(n);
  for (std::size_t k = 0; k < n; ++k) taylor_size[k] = std::fabs(flows[k]);
  std::size_t pass = 0;
  for (; pass + 2 < n; pass += 2) {
    double first = taylor[n - 1], second = first, first_size = taylor_size[n - 1], second_size = first_size;
    for (std::size_t k = n - 1; k-- > pass + 1;) {
      first = taylor[k] + first;
      second = first + second;
      taylor[k] = second;
      first_size = taylor_size[k] + first_size;
      second_size = first_size + second_size;
      taylor_size[k] = second_size;
    }
    taylor[pass] += first;  // the first pass's last step; the second stops a coefficient short
    taylor_size[pass] += first_size;
  }
  for (; pass + 1 < n; ++pass) {
    for (std::size_t k = n - 1; k-- > pass;) {
      taylor[k] += taylor[k + 1];
      taylor_size[k] += taylor_size[k + 1];
    }
  }
  const double tolerance = 4.0 * static_cast<double>(n) * std::numeric_limits<double>::epsilon();
  for (std::size_t k = 0; k < n; ++k) {
    const bool cumulative_unclear = cumulative[k] != 0 && std::fabs(cumulative[k]) <= tolerance * cumulative_size[k];
    const bool taylor_unclear = taylor[k] != 0 && std::fabs(taylor[k]) <= tolerance * taylor_size[k];
    if (cumulative_unclear || taylor_unclear || !std::isfinite(taylor[k])) return std::nullopt;
  }
  return changes(cumulative) + changes(taylor) + (sum == 0 ? 1 : 0);
}

// Whether NPV is zero at `rate` to rounding (|log(inflows / outflows)| within a few hundred ulps)
// or changes sign between the neighbouring rates a few ulps away.
template <class Npv>
bool is_root(const Npv& npv, double rate) {
  const double value = npv(rate).value;
  if (std::fabs(value) <= 1e-12) return true;
  const double width = 16 * std::numeric_limits<double>::epsilon() * std::fmax(std::fabs(rate), 1e-300);
  const double below = rate - width, above = rate + width;
  return below > -1.0 && sign(npv(below).value) * sign(npv(above).value) < 0;
}

template <class Npv>
IrrResult solve(const Npv& npv, const SignPattern& pattern, double guess,
                std::optional<int> most_roots = std::nullopt) {
  IrrResult result;
  if (pattern.changes == 0) {
    result.status = IrrStatus::no_sign_change;
    result.message = "no IRR: the cash flows never change sign (they need at least one positive and one negative value)";
    return result;
  }
  const bool unique = pattern.changes == 1 || (most_roots == 1 && pattern.first != pattern.last);
  if (most_roots == 0) {
    result.status = IrrStatus::no_root;
    result.message = "no IRR: the cash flows change sign " + std::to_string(pattern.changes) +
                     " times but NPV is not zero at any rate above -100%";
    return result;
  }
  if (unique) {
    // Descartes: exactly one root above -100% (NPV takes opposite signs at the two ends and at most
    // one root exists); NPV has the sign of the last flow below it.
    const auto root = safeguarded_newton(npv, RootBracket{-1.0, INFINITY, pattern.last}, guess);
    if (!root) return no_convergence_result(guess);
    result.status = IrrStatus::unique;
    result.rate = *root;
    result.roots = {*root};
    return result;
  }

  // Several sign changes: bracket every crossing on the scan, then polish each.
  std::vector<double> roots;
  const std::vector<double> points = scan_points();
  double previous_rate = 0, previous_value = 0;
  for (std::size_t k = 0; k < points.size(); ++k) {
    const double rate = std::expm1(points[k]);
    const double value = npv(rate).value;
    if (value == 0) {
      roots.push_back(rate);
    } else if (k > 0 && previous_value != 0 && sign(value) != sign(previous_value)) {
      const double start = std::expm1(0.5 * (points[k - 1] + points[k]));
      const auto root = safeguarded_newton(npv, RootBracket{previous_rate, rate, sign(previous_value)}, start);
      if (!root) return no_convergence_result(guess);
      roots.push_back(*root);
    }
    previous_rate = rate;
    previous_value = value;
  }
  // Newton from the guess catches a root near it that a pair too close for the scan hides.
  {
    double rate = guess;
    for (int iteration = 0; iteration < 60; ++iteration) {
      const RootSample sample = npv(rate);
      if (sample.value == 0) {
        roots.push_back(rate);
        break;
      }
      double s_step = -sample.value / sample.slope / (1.0 + rate);
      if (!std::isfinite(s_step)) break;
      s_step = std::clamp(s_step, -0.5, 0.5);
      const double next = std::expm1(std::log1p(rate) + s_step);
      if (!(next > -1.0)) break;  // -100% is never a root: NPV is infinite there
      if (std::fabs(next - rate) <= rate_tolerance(next)) {
        // A step that stalls is not a root by itself (near -100% the rates run out of digits
        // before NPV reaches zero): keep it only where NPV is zero to rounding, relative to the
        // flows (the value is log(inflows / outflows)) or changes sign across it.
        if (is_root(npv, next)) roots.push_back(next);
        break;
      }
      rate = next;
    }
  }
  std::sort(roots.begin(), roots.end());
  roots.erase(std::unique(roots.begin(), roots.end(), same_root), roots.end());

  const std::string changes = std::to_string(pattern.changes);
  if (roots.empty()) {
    result.status = IrrStatus::no_root;
    result.message = "no IRR: the cash flows change sign " + changes +
                     " times but NPV is not zero at any rate above -100%";
    return result;
  }
  result.rate = *std::min_element(roots.begin(), roots.end(), [guess](double a, double b) {
    return std::fabs(a - guess) < std::fabs(b - guess);
  });
  result.roots = std::move(roots);
  if (result.roots.size() == 1) {
    result.status = IrrStatus::unique;
    return result;
  }
  result.status = IrrStatus::multiple_roots;
  std::string list;
  for (const double r : result.roots) list += (list.empty() ? "" : ", ") + format_number(r);
  result.message = "several IRRs: the cash flows change sign " + changes + " times and NPV is zero at " +
                   list + "; returned " + format_number(result.rate) + ", the one nearest the guess " +
                   format_number(guess);
  return result;
}

void check_guess(double guess) {
  if (!std::isfinite(guess) || guess <= -1)
    throw std::invalid_argument("IRR guess must be a finite rate above -1 (-100%), got " + format_number(guess));
}

// Throws on a flow that is not finite; returns whether the flows' sums fit in double (above).
bool check_flows(std::span<const double> values) {
  bool fits = true;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double size = std::fabs(values[i]);
    if (!(size <= std::numeric_limits<double>::max()))
      throw std::invalid_argument("cash flow " + std::to_string(i + 1) + " is not a finite number");
    fits &= (size == 0) | ((size >= 0x1p-500) & (size <= 0x1p500));
  }
  return fits;
}

}  // namespace

IrrResult irr(std::span<const double> values, double guess) {
  check_guess(guess);
  const bool wide = !check_flows(values);
  const SignPattern pattern = sign_pattern(values);
  const std::optional<int> most_roots = pattern.changes > 1 && !wide ? root_bound(values) : std::nullopt;
  return solve(PeriodicNpv(values, pattern.last, pattern.first, wide), pattern, guess, most_roots);
}

IrrResult annuity_irr(std::size_t periods, double first, double payment, double last, double guess) {
  if (periods == 0) throw std::invalid_argument("an annuity needs at least one period");
  // Up to the root-count bound's reach the flows themselves are solved, as IRR would solve them.
  if (periods <= kMostFlowsForRootBound) {
    std::vector<double> flows(periods + 1, payment);
    flows.front() = first;
    flows.back() = last;
    return irr(flows, guess);
  }
  check_guess(guess);
  const double checked[] = {first, payment, last};
  const std::size_t position[] = {1, 2, periods + 1};
  for (std::size_t k = 0; k < 3; ++k)
    if (!std::isfinite(checked[k]))
      throw std::invalid_argument("cash flow " + std::to_string(position[k]) + " is not a finite number");
  const SignPattern pattern = sign_pattern(std::array{first, payment, last});
  return solve(AnnuityNpv{periods, first, payment, last, pattern.last, pattern.first}, pattern, guess);
}

IrrResult xirr(std::span<const double> values, std::span<const int> dates, double guess) {
  check_guess(guess);
  check_flows(values);
  if (values.size() != dates.size())
    throw std::invalid_argument("XIRR needs one date per value: got " + std::to_string(values.size()) +
                                " values and " + std::to_string(dates.size()) + " dates");
  std::vector<std::pair<int, double>> dated;
  dated.reserve(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (dates[i] < dates[0])
      throw std::invalid_argument("XIRR date " + std::to_string(i + 1) + " precedes the first date");
    dated.emplace_back(dates[i], values[i]);
  }
  // Descartes needs the flows ordered by time; flows on the same day add up, in long double so
  // that no sum overflows and subnormal flows keep their digits.
  std::stable_sort(dated.begin(), dated.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<long long> days;
  std::vector<long double> net;
  for (const auto& [day, amount] : dated) {
    const long long since_first = static_cast<long long>(day) - dated.front().first;
    if (!days.empty() && days.back() == since_first) {
      net.back() += amount;
    } else {
      days.push_back(since_first);
      net.push_back(amount);
    }
  }
  DatedNpv npv;
  npv.days = std::move(days);
  npv.index_gaps();
  npv.flows.assign(net.begin(), net.end());
  npv.exact = std::move(net);
  const SignPattern pattern = sign_pattern(npv.exact);
  npv.sign_low = pattern.last;
  npv.sign_high = pattern.first;
  npv.wide = !sums_fit_in_double(npv.exact);
  return solve(npv, pattern, guess);
}

const char* to_string(IrrStatus status) {
  switch (status) {
    case IrrStatus::unique: return "unique";
    case IrrStatus::multiple_roots: return "multiple_roots";
    case IrrStatus::no_sign_change: return "no_sign_change";
    case IrrStatus::no_root: return "no_root";
    case IrrStatus::no_convergence: return "no_convergence";
  }
  return "unknown";
}

}  // namespace leasecalc::fin
