#pragma once
// Safeguarded Newton for rates of return: Newton steps (in log(1 + r)) while they stay inside the
// bracket known to hold the root and shrink fast enough, bisection otherwise. Rates live on (-1, +inf); bisection
// and bracket expansion work in s = log(1 + r), so a bracket from -99.99% to +10^6% halves in a
// few dozen steps and no trial rate ever reaches -100%.

#include <cmath>
#ifdef ROOT_TRACE
#include <cstdio>
#endif
#include <limits>
#include <optional>

namespace leasecalc::fin {

// The function and its derivative at one rate.
struct RootSample {
  double value;
  double slope;
};

struct RootBracket {
  double low = -1.0;  // -1 means "unbounded towards -100%"
  double high = std::numeric_limits<double>::infinity();
  int sign_at_low = 0;  // sign the function takes between `low` and the root (+1 or -1)
};

// log(1 + r) of the double next above -100%, r = -1 + 2^-53: no rate lies between it and -1.
inline constexpr double kLowestLogGrowth = -53 * 0.69314718055994530942;

// The rate is converged when a step is below this, relative (absolute below 1e-17: rates under
// that are indistinguishable from zero in any ledger).
inline double rate_tolerance(double rate) {
  return std::fmax(4 * std::numeric_limits<double>::epsilon() * std::fabs(rate), 1e-17);
}

// Root of f in the bracket, started from `start` (strictly inside it). f(r) must take the sign
// `sign_at_low` on (low, root) and the opposite sign on (root, high). Returns nothing only if
// the iteration limit is hit, which a sign-consistent bracket does not allow in practice.
template <class Function>
std::optional<double> safeguarded_newton(const Function& f, RootBracket bracket, double start,
                                         int max_iterations = 400) {
  double low = bracket.low, high = bracket.high;
  double rate = start;
  double step_before_last = std::numeric_limits<double>::infinity();
  double last_step = std::numeric_limits<double>::infinity();
  // The previous step in s = log(1 + r), when it was a Newton step (infinity otherwise).
  double last_newton_s_step = std::numeric_limits<double>::infinity();
  double expand = 1.0;  // bracket expansion in s = log(1 + r), doubled each time
  for (int iteration = 0; iteration < max_iterations; ++iteration) {
    const RootSample sample = f(rate);
#ifdef ROOT_TRACE
    std::fprintf(stderr, "r=%.17g v=%g slope=%g low=%g high=%g\n", rate, sample.value, sample.slope, low, high);
#endif
    if (sample.value == 0) return rate;
    if ((sample.value > 0) == (bracket.sign_at_low > 0))
      low = rate;
    else
      high = rate;
    // The Newton step is taken in s = log(1 + r), where discounted sums are closer to linear.
    const double s_step = -sample.value / (sample.slope * (1.0 + rate));
    double next = std::expm1(std::log1p(rate) + s_step);
    const bool newton_usable = std::isfinite(next) && next > low && next < high &&
                               std::fabs(next - rate) <= 0.5 * std::fabs(step_before_last);
    if (!newton_usable) {
      // Expansion stops at the rates a double holds: 1 + r from 2^-53 (r = -1 + 2^-53, the double
      // next above -100%) to the largest double. A root beyond them has no rate to report.
      if (low <= -1.0) {
        next = std::expm1(std::fmax(std::log1p(high) - expand, kLowestLogGrowth));
        if (!(next > -1.0 && next < high)) return std::nullopt;
        expand *= 2;
      } else if (!std::isfinite(high)) {
        next = std::fmin(std::expm1(std::log1p(low) + expand), std::numeric_limits<double>::max());
        if (!(next > low)) return std::nullopt;
        expand *= 2;
      } else {
        next = std::expm1(0.5 * (std::log1p(low) + std::log1p(high)));
        if (!(next > low && next < high)) next = 0.5 * low + 0.5 * high;
      }
    }
    step_before_last = last_step;
    last_step = next - rate;
    // In Newton's quadratic regime h_k ~ C h_(k-1)^2, so the error left after the step h_k is
    // about C h_k^2 = h_k^3 / h_(k-1)^2: stop once that (or the step itself) is far below the
    // rate's last digit. (Waiting for a step below rounding noise would only hand over to
    // bisection.) The model holds only once the iteration is close: the previous step must have
    // been a Newton step already small in s, else a long first step from a distant guess (1e9)
    // followed by an ordinary one would pass for quadratic convergence and stop far from the root.
    if (newton_usable) {
      const double step = std::fabs(last_step), previous = std::fabs(step_before_last);
      const bool quadratic = last_newton_s_step <= 1e-2 && step <= 1e-3 * previous;
      const double predicted_error = quadratic ? step * (step / previous) * (step / previous) : step;
      // Relative to the rate, or to 1 + r next to -100%, where a step of 1e-12 is a large part of
      // what is left of the money.
      const double scale = std::fmin(std::fabs(next), 1.0 + next);
      if (predicted_error <= 1e-15 * scale + 1e-17 || step <= 1e-12 * scale + 1e-17) return next;
    }
    last_newton_s_step = newton_usable ? std::fabs(s_step) : std::numeric_limits<double>::infinity();
    // (Halves added, not the ends: low + high overflows next to the largest double.)
    const double middle = 0.5 * low + 0.5 * high;
    if (std::isfinite(high) && low > -1.0 && high - low <= rate_tolerance(middle))
      return next > low && next < high ? next : middle;
    rate = next;
  }
  return std::nullopt;
}

}  // namespace leasecalc::fin
