#pragma once
// What it would take: the value of one input at which a measure of the deal (a net margin, say)
// meets a target, or the statement that no value in the searched range does. A loop around the
// projection that changes one input; it owns no finance logic: the caller says how the input
// changes the deal and what is measured.

#include "leasecalc/deal/deal.hpp"

#include <boost/math/tools/roots.hpp>

#include <cmath>
#include <cstdint>
#include <functional>
#include <optional>

namespace leasecalc::solve {

struct TargetSolution {
  std::optional<double> value;     // the input at which the measure meets the target; none: not reachable
  std::optional<double> measured;  // the measure at `value`
  // The lowest and highest measure seen over the searched range (none: no input gave a measure).
  std::optional<double> lowest, highest;
};

// The lowest input in [low, high] at which `measure_at` crosses `target`: the range is sampled
// at `samples` even steps for a change of side, and the bracket closed by TOMS 748 to the last
// bits of a double. A measure that is none (no margin without revenue) is skipped. When no step
// changes side the target is not reachable in the range, whatever lies between samples.
inline TargetSolution input_for_target(const std::function<std::optional<double>(double)>& measure_at,
                                       double target, double low, double high, int samples = 16) {
  TargetSolution solution;
  std::optional<double> previous_input, previous_gap;
  for (int step = 0; step <= samples; ++step) {
    const double input = step == samples ? high : low + (high - low) * step / samples;
    const std::optional<double> measured = measure_at(input);
    if (!measured || !std::isfinite(*measured)) continue;
    solution.lowest = solution.lowest ? std::fmin(*solution.lowest, *measured) : *measured;
    solution.highest = solution.highest ? std::fmax(*solution.highest, *measured) : *measured;
    const double gap = *measured - target;
    if (gap == 0) return {input, *measured, solution.lowest, solution.highest};
    if (previous_gap && (gap > 0) != (*previous_gap > 0)) {
      // A measure that turns none inside the bracket counts as the far side, so the bracket stays valid.
      const double far_side = gap;
      const auto gap_at = [&](double x) {
        const std::optional<double> m = measure_at(x);
        return m && std::isfinite(*m) ? *m - target : far_side;
      };
      std::uintmax_t iterations = 200;
      const auto [a, b] = boost::math::tools::toms748_solve(gap_at, *previous_input, input, *previous_gap, gap,
                                                            boost::math::tools::eps_tolerance<double>(52), iterations);
      // Of the bracket's ends and its middle, the input whose measure is nearest the target.
      double best = a, best_gap = std::fabs(gap_at(a));
      for (const double x : {0.5 * (a + b), b}) {
        const double g = std::fabs(gap_at(x));
        if (g < best_gap) best = x, best_gap = g;
      }
      solution.value = best;
      solution.measured = measure_at(best);
      return solution;
    }
    previous_input = input;
    previous_gap = gap;
  }
  return solution;
}

// The same over a deal: the measure of `change(deal, input)`.
inline TargetSolution input_for_target(const deal::Deal& deal,
                                       const std::function<deal::Deal(const deal::Deal&, double)>& change,
                                       const std::function<std::optional<double>(const deal::Deal&)>& measure,
                                       double target, double low, double high, int samples = 16) {
  return input_for_target([&](double input) { return measure(change(deal, input)); }, target, low, high, samples);
}

}  // namespace leasecalc::solve
