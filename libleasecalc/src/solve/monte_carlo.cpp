#include "leasecalc/solve/monte_carlo.hpp"

#include "leasecalc/deal/fleet.hpp"

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/triangular.hpp>
#include <boost/math/distributions/uniform.hpp>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cmath>
#include <exception>
#include <limits>
#include <random>
#include <stdexcept>
#include <thread>

namespace leasecalc::solve {

double quantile(const Distribution& distribution, double u) {
  // Keep u inside (0, 1): the normal quantile is infinite at either end.
  u = std::clamp(u, std::numeric_limits<double>::min(), std::nextafter(1.0, 0.0));
  return std::visit(
      [u](const auto& d) -> double {
        using D = std::decay_t<decltype(d)>;
        if constexpr (std::is_same_v<D, Normal>) {
          if (d.sd == 0) return d.mean;
          const boost::math::normal_distribution<double> normal(d.mean, d.sd);
          const double below = d.min ? boost::math::cdf(normal, *d.min) : 0.0;
          const double up_to = d.max ? boost::math::cdf(normal, *d.max) : 1.0;
          const double p = std::clamp(below + u * (up_to - below), std::numeric_limits<double>::min(),
                                      std::nextafter(1.0, 0.0));
          const double x = boost::math::quantile(normal, p);
          return std::clamp(x, d.min.value_or(x), d.max.value_or(x));
        } else if constexpr (std::is_same_v<D, Uniform>) {
          if (d.low == d.high) return d.low;
          return boost::math::quantile(boost::math::uniform_distribution<double>(d.low, d.high), u);
        } else {
          if (d.low == d.high) return d.low;
          return boost::math::quantile(boost::math::triangular_distribution<double>(d.low, d.mode, d.high), u);
        }
      },
      distribution);
}

Input sensitivity_input(UncertainQuantity quantity) {
  switch (quantity) {
    case UncertainQuantity::price: return Input::contract_price;
    case UncertainQuantity::price_decay: return Input::price_decay;
    case UncertainQuantity::utilisation: return Input::billed_volume;
    case UncertainQuantity::residual: return Input::residual_value;
    case UncertainQuantity::power_tariff: return Input::power_tariff;
    case UncertainQuantity::debt_rate: return Input::debt_rate;
    case UncertainQuantity::server_price: return Input::server_price;
  }
  throw std::invalid_argument("unknown uncertain quantity");
}

deal::Deal with_change(const deal::Deal& deal, UncertainQuantity quantity, double change) {
  if (change == 0) return deal;
  const Input input = sensitivity_input(quantity);
  const auto factor = num::from_double<deal::Decimal>(std::max(0.0, 1 + change));
  const auto points = num::from_double<deal::Decimal>(change);
  switch (input) {
    case Input::contract_price: return with_price_factor(deal, factor);
    case Input::billed_volume: return with_volume_factor(deal, factor);
    case Input::server_price: return with_server_price_factor(deal, factor);
    case Input::power_tariff: return with_power_tariff_factor(deal, factor);
    case Input::residual_value: return with_residual_factor(deal, factor);
    case Input::debt_rate: return with_debt_rate_change(deal, points);
    case Input::price_decay: return with_price_decay_change(deal, points);
    default: throw std::invalid_argument("not an uncertain input: " + std::string(input_key(input)));
  }
}

Eigen::MatrixXd draw_changes(const Uncertainty& uncertainty) {
  const auto runs = static_cast<Eigen::Index>(std::max(0, uncertainty.runs));
  Eigen::MatrixXd changes(runs, static_cast<Eigen::Index>(uncertainty.inputs.size()));
  const auto seed = uncertainty.seed;
  for (std::size_t j = 0; j < uncertainty.inputs.size(); ++j) {
    const auto& input = uncertainty.inputs[j];
    // One stream per input, named by the input rather than its position in the list.
    std::seed_seq sequence{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                           static_cast<std::uint32_t>(sensitivity_input(input.input))};
    std::mt19937_64 generator(sequence);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    for (Eigen::Index i = 0; i < runs; ++i)
      changes(i, static_cast<Eigen::Index>(j)) = quantile(input.change, uniform(generator));
  }
  return changes;
}

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) throw std::invalid_argument("percentile of no values");
  const double rank = p * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(rank));
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  return sorted[below] + (rank - static_cast<double>(below)) * (sorted[above] - sorted[below]);
}

std::optional<Summary> summarise(std::vector<double> values) {
  if (values.empty()) return std::nullopt;
  Summary s;
  s.scenarios = static_cast<int>(values.size());
  double sum = 0;
  for (double v : values) sum += v;
  s.mean = sum / static_cast<double>(values.size());
  double squares = 0;
  for (double v : values) squares += (v - s.mean) * (v - s.mean);
  s.standard_deviation = values.size() > 1 ? std::sqrt(squares / static_cast<double>(values.size() - 1)) : 0.0;
  std::sort(values.begin(), values.end());
  s.p5 = percentile(values, 0.05);
  s.p25 = percentile(values, 0.25);
  s.p50 = percentile(values, 0.50);
  s.p75 = percentile(values, 0.75);
  s.p95 = percentile(values, 0.95);
  return s;
}

namespace {

// Evaluates scenarios [first, end) into the result's rows.
void evaluate(const deal::Deal& deal, const std::vector<UncertainInput>& inputs, const std::vector<bool>& applies,
              MonteCarloResult& result, Eigen::Index first, Eigen::Index end) {
  for (Eigen::Index i = first; i < end; ++i) {
    deal::Deal scenario = deal;
    for (std::size_t j = 0; j < inputs.size(); ++j)
      if (applies[j]) scenario = with_change(scenario, inputs[j].input, result.changes(i, static_cast<Eigen::Index>(j)));
    const Outcome outcome = outcome_of(scenario);
    for (std::size_t k = 0; k < std::size(all_measures); ++k) {
      const auto value = value_of(outcome, all_measures[k]);
      const auto column = static_cast<Eigen::Index>(k);
      result.defined(i, column) = value.has_value();
      result.outcomes(i, column) = value.value_or(0.0);
    }
  }
}

// A utilisation drawn above what the fleet can serve would bill more servers than it has (the
// model loader refuses the same contracts): such draws are capped at the fleet over the most
// servers the contracts hold at once, and counted.
void cap_utilisation(const deal::Deal& deal, const Uncertainty& uncertainty, const std::vector<bool>& applies,
                     MonteCarloResult& result) {
  const deal::Decimal peak = deal::peak_contracted_servers(deal);
  if (peak <= 0) return;
  const double largest_change = num::to_double(deal::Decimal(deal.cluster.servers) / peak) - 1;
  for (std::size_t j = 0; j < uncertainty.inputs.size(); ++j) {
    if (uncertainty.inputs[j].input != UncertainQuantity::utilisation || !applies[j]) continue;
    auto drawn = result.changes.col(static_cast<Eigen::Index>(j));
    for (Eigen::Index i = 0; i < drawn.size(); ++i) {
      if (drawn(i) <= largest_change) continue;
      drawn(i) = largest_change;
      ++result.utilisation_draws_capped;
    }
  }
  if (result.utilisation_draws_capped == 0) return;
  char cap[32];
  std::snprintf(cap, sizeof cap, "%+.2f%%", largest_change * 100);
  result.warnings.push_back(
      {"uncertainty.utilisation",
       std::to_string(result.utilisation_draws_capped) + " of " + std::to_string(result.changes.rows()) +
           " scenarios drew a utilisation above what the fleet can serve and were capped at " + cap +
           " (the contracts hold up to " + num::to_text(num::to_double(peak)) + " servers at once, of a fleet of " +
           std::to_string(deal.cluster.servers) + ")"});
}

}  // namespace

MonteCarloResult monte_carlo(const deal::Deal& deal, const Uncertainty& uncertainty, unsigned threads,
                             const Progress& progress) {
  if (uncertainty.runs < 1) throw std::invalid_argument("a Monte Carlo run needs at least one scenario");
  MonteCarloResult result;
  result.uncertainty = uncertainty;
  result.base = outcome_of(deal);
  result.changes = draw_changes(uncertainty);
  const Eigen::Index runs = result.changes.rows();
  const auto measures = static_cast<Eigen::Index>(std::size(all_measures));
  result.outcomes = Eigen::ArrayXXd::Zero(runs, measures);
  result.defined = Eigen::Array<bool, Eigen::Dynamic, Eigen::Dynamic>::Constant(runs, measures, false);

  std::vector<bool> applies;
  for (const auto& input : uncertainty.inputs) {
    const auto reason = inapplicable(deal, sensitivity_input(input.input));
    if (reason) result.notes.push_back(std::string(uncertainty_key(input.input)) + ": ignored, " + *reason);
    applies.push_back(!reason);
  }
  cap_utilisation(deal, uncertainty, applies, result);

  // Fixed-size chunks handed out in turn: each row's value depends on its own draws only.
  constexpr Eigen::Index chunk = 16;
  const unsigned workers = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>((runs + chunk - 1) / chunk)));
  std::atomic<Eigen::Index> next{0};
  std::vector<std::exception_ptr> failures(workers);
  std::vector<Eigen::Index> failed_at(workers, runs);
  std::atomic<std::size_t> done{0};
  const auto work = [&](unsigned w) {
    for (Eigen::Index first; (first = next.fetch_add(chunk)) < runs;) {
      try {
        evaluate(deal, uncertainty.inputs, applies, result, first, std::min(runs, first + chunk));
      } catch (...) {
        if (first < failed_at[w]) {
          failed_at[w] = first;
          failures[w] = std::current_exception();
        }
      }
      const auto finished = static_cast<std::size_t>(std::min(runs, first + chunk) - first);
      report_progress(progress, done += finished, static_cast<std::size_t>(runs));
    }
  };
  if (workers == 1) {
    work(0);
  } else {
    std::vector<std::thread> pool;
    for (unsigned w = 0; w < workers; ++w) pool.emplace_back(work, w);
    for (auto& thread : pool) thread.join();
  }
  // The failure of the earliest scenario, whichever thread met it.
  const auto earliest = std::min_element(failed_at.begin(), failed_at.end()) - failed_at.begin();
  if (failures[static_cast<std::size_t>(earliest)]) std::rethrow_exception(failures[static_cast<std::size_t>(earliest)]);

  for (std::size_t k = 0; k < std::size(all_measures); ++k) {
    std::vector<double> values;
    const auto column = static_cast<Eigen::Index>(k);
    for (Eigen::Index i = 0; i < runs; ++i)
      if (result.defined(i, column)) values.push_back(result.outcomes(i, column));
    result.undefined[k] = static_cast<int>(runs) - static_cast<int>(values.size());
    result.summaries[k] = summarise(std::move(values));
  }
  const auto npv = static_cast<Eigen::Index>(Measure::npv), dscr = static_cast<Eigen::Index>(Measure::minimum_dscr);
  result.probability_npv_negative = static_cast<double>((result.outcomes.col(npv) < 0).count()) / static_cast<double>(runs);
  const auto with_dscr = result.defined.col(dscr).count();
  if (with_dscr > 0) {
    Eigen::Index below = 0;
    for (Eigen::Index i = 0; i < runs; ++i)
      below += result.defined(i, dscr) && result.outcomes(i, dscr) < uncertainty.dscr_covenant;
    result.probability_dscr_below_covenant = static_cast<double>(below) / static_cast<double>(with_dscr);
  }
  return result;
}

}  // namespace leasecalc::solve
