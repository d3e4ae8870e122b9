#include "leasecalc/fin/irr.hpp"

#include "leasecalc/fin/root.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>
#include <optional>
#include <limits>
#include <stdexcept>
#include <utility>

namespace leasecalc::fin {
namespace {

// Newton runs on f(r) = log(PV of the inflows) - log(PV of the outflows), which has the sign of
// NPV and the same roots, but is close to linear in log(1+r) for lease-like flows: Newton from a
// distant guess lands near the root in a step or two instead of overshooting on convex NPV.
// Both present values are scaled by (1+r)^T for r < 0 (the ratio is unchanged), so no term
// overflows near -100%. When both underflow (extreme rates) the sign of NPV is that of the first
// flow (r -> +inf) or of the last (r -> -1), given by `sign_high` / `sign_low`, with no slope.
RootSample log_ratio(double inflow, double inflow_slope, double outflow, double outflow_slope, double rate,
                     int sign_low, int sign_high) {
  if (inflow == 0 && outflow == 0) return {rate >= 0 ? double(sign_high) : double(sign_low), 0.0};
  // log1p of the relative difference keeps full precision near the root, where the two logs
  // would cancel to a few digits.
  double value = std::log1p((inflow - outflow) / outflow);
  // One side below 2^-53 of the other (a distant rate): the relative difference rounds to -1 or
  // overflows, but the logarithms stay finite.
  if (!std::isfinite(value) && inflow > 0 && outflow > 0) value = std::log(inflow) - std::log(outflow);
  return {value, inflow_slope / inflow - outflow_slope / outflow};
}

// Periodic flows: both present values and their derivatives in one pass.
struct PeriodicNpv {
  std::vector<double> inflows, outflows;  // by period: the positive and the negative flows
  int sign_low, sign_high;

  PeriodicNpv(std::span<const double> flows, int low, int high)
      : inflows(flows.size()), outflows(flows.size()), sign_low(low), sign_high(high) {
    for (std::size_t i = 0; i < flows.size(); ++i) {
      inflows[i] = flows[i] > 0 ? flows[i] : 0.0;
      outflows[i] = flows[i] < 0 ? -flows[i] : 0.0;
    }
  }

  RootSample operator()(double rate) const {
    const std::size_t n = inflows.size();
    if (rate >= 0) {
      // sum c_i x^i with x = 1/(1+r) in (0, 1]; d/dr = d/dx * (-x^2).
      const double x = 1.0 / (1.0 + rate);
      const Parts p = parts(x, [](std::size_t i) { return i; });
      return log_ratio(p.in, -p.din * x * x, p.out, -p.dout * x * x, rate, sign_low, sign_high);
    }
    // (1+r)^(n-1) times the same: sum c_i y^(n-1-i) with y = 1 + r in (0, 1).
    const Parts p = parts(1.0 + rate, [n](std::size_t j) { return n - 1 - j; });
    return log_ratio(p.in, p.din, p.out, p.dout, rate, sign_low, sign_high);
  }

 private:
  struct Parts {
    double in, din, out, dout;
  };

  // The inflow and outflow parts of sum_j c_period(j) z^j and their derivatives in z. The even and
  // odd powers are two polynomials in z^2 evaluated by Horner's rule side by side, so eight
  // independent multiply-add chains, half as long, keep the processor busy:
  // P(z) = E(z^2) + z O(z^2), P'(z) = 2z E'(z^2) + O(z^2) + 2z^2 O'(z^2).
  template <class Period>
  Parts parts(double z, const Period& period) const {
    const std::size_t n = inflows.size();
    const double w = z * z;
    double e_in = 0, de_in = 0, o_in = 0, do_in = 0, e_out = 0, de_out = 0, o_out = 0, do_out = 0;
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

// Flows at real times (years), ordered by time.
struct DatedNpv {
  std::vector<double> times;
  std::vector<double> flows;
  int sign_low = 0, sign_high = 0;

  RootSample operator()(double rate) const {
    const double s = std::log1p(rate);
    const double horizon = times.back();
    double in = 0, din = 0, out = 0, dout = 0;
    for (std::size_t i = 0; i < flows.size(); ++i) {
      const double exponent = rate >= 0 ? -times[i] : horizon - times[i];
      const double growth = std::exp(exponent * s);
      const double term = std::fabs(flows[i]) * growth;
      (flows[i] > 0 ? in : out) += term;
      (flows[i] > 0 ? din : dout) += exponent * term;
    }
    // d/dr = d/ds / (1 + r)
    return log_ratio(in, din / (1.0 + rate), out, dout / (1.0 + rate), rate, sign_low, sign_high);
  }
};

std::string format_number(double value) {
  char buffer[32];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, end);
}

int sign(double x) { return x > 0 ? 1 : (x < 0 ? -1 : 0); }

struct SignPattern {
  int changes = 0;
  int first = 0;  // sign of the first non-zero flow: NPV's sign as r -> +inf
  int last = 0;   // sign of the last non-zero flow: NPV's sign as r -> -1
};

SignPattern sign_pattern(std::span<const double> flows_in_time_order) {
  SignPattern pattern;
  for (const double c : flows_in_time_order) {
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
  // Taylor shift by 1 (b_j = sum_k c_k C(k, j)), with the same sums of magnitudes to judge rounding.
  std::vector<double> taylor(flows.begin(), flows.end()), taylor_size(n);
  for (std::size_t k = 0; k < n; ++k) taylor_size[k] = std::fabs(flows[k]);
  for (std::size_t i = 0; i + 1 < n; ++i) {
    for (std::size_t k = n - 1; k-- > i;) {
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

void check_flows(std::span<const double> values) {
  for (std::size_t i = 0; i < values.size(); ++i)
    if (!std::isfinite(values[i]))
      throw std::invalid_argument("cash flow " + std::to_string(i + 1) + " is not a finite number");
}

// The IRR does not depend on the flows' scale, but their sums do: subnormal flows (below 2^-1022)
// have lost digits and underflow as soon as they are discounted, so any guess would look like a
// root; flows near the largest double overflow when added up. Flows whose largest magnitude is far
// from 1 are rescaled by a power of two, which is exact, so the rate is that of the flows as given.
std::optional<std::vector<double>> rescaled(std::span<const double> values) {
  double largest = 0;
  for (const double v : values) largest = std::fmax(largest, std::fabs(v));
  if (largest == 0 || (largest >= 0x1p-100 && largest <= 0x1p100)) return std::nullopt;
  int exponent = 0;
  std::frexp(largest, &exponent);
  std::vector<double> scaled(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) scaled[i] = std::ldexp(values[i], -exponent);
  return scaled;
}

// Flows of one sign below 2^-1074 of the largest vanish when rescaled: NPV is then zero only where
// 1 + r is below the smallest double, a rate no double holds.
std::optional<IrrResult> vanished_sign_result(std::span<const double> values, std::span<const double> scaled) {
  if (sign_pattern(values).changes == 0 || sign_pattern(scaled).changes > 0) return std::nullopt;
  IrrResult result;
  result.status = IrrStatus::no_root;
  result.message = "no IRR: the cash flows change sign, but the flows of one sign are below 2^-1074 of the "
                   "largest, so NPV is not zero at any rate a double can hold";
  return result;
}

}  // namespace

IrrResult irr(std::span<const double> values, double guess) {
  check_guess(guess);
  check_flows(values);
  const std::optional<std::vector<double>> scaled = rescaled(values);
  if (scaled) {
    if (const auto vanished = vanished_sign_result(values, *scaled)) return *vanished;
    values = *scaled;
  }
  const SignPattern pattern = sign_pattern(values);
  const std::optional<int> most_roots = pattern.changes > 1 ? root_bound(values) : std::nullopt;
  return solve(PeriodicNpv(values, pattern.last, pattern.first), pattern, guess, most_roots);
}

IrrResult xirr(std::span<const double> values, std::span<const int> dates, double guess) {
  check_guess(guess);
  check_flows(values);
  if (values.size() != dates.size())
    throw std::invalid_argument("XIRR needs one date per value: got " + std::to_string(values.size()) +
                                " values and " + std::to_string(dates.size()) + " dates");
  const std::optional<std::vector<double>> scaled = rescaled(values);
  if (scaled) {
    if (const auto vanished = vanished_sign_result(values, *scaled)) return *vanished;
    values = *scaled;
  }
  std::vector<std::pair<int, double>> dated;
  dated.reserve(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (dates[i] < dates[0])
      throw std::invalid_argument("XIRR date " + std::to_string(i + 1) + " precedes the first date");
    dated.emplace_back(dates[i], values[i]);
  }
  // Descartes needs the flows ordered by time; flows on the same day add up.
  std::stable_sort(dated.begin(), dated.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  DatedNpv npv;
  for (const auto& [day, amount] : dated) {
    const double years = (day - (dated.empty() ? 0 : dated.front().first)) / 365.0;
    if (!npv.times.empty() && npv.times.back() == years)
      npv.flows.back() += amount;
    else {
      npv.times.push_back(years);
      npv.flows.push_back(amount);
    }
  }
  const SignPattern pattern = sign_pattern(npv.flows);
  npv.sign_low = pattern.last;
  npv.sign_high = pattern.first;
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
