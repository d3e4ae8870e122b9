#include "leasecalc/solve/market_path.hpp"
#include "leasecalc/solve/scenario_seed.hpp"

#include "leasecalc/solve/monte_carlo.hpp"

#include <algorithm>
#include <cmath>
#include <random>

namespace leasecalc::solve {

void market_path_into(const deal::MarketPath& market, int months, std::uint64_t seed, std::uint64_t scenario,
                      std::optional<double> overall_shock, std::vector<double>& index) {
  index.assign(static_cast<std::size_t>(std::max(months, 1)), 1.0);
  if (!market.paths.empty()) {
    const auto& given = market.paths[scenario % market.paths.size()];
    for (std::size_t m = 0; m < index.size(); ++m) index[m] = given[std::min(m, given.size() - 1)];
    return;
  }
  const std::size_t steps = index.size() - 1;
  if (steps == 0) return;
  ScenarioGenerator generator(scenario_seed(seed, scenario, 0x6d61726b6574ULL));  // "market"
  std::normal_distribution<double> normal;
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  // Month m's shock is kept in index[m] until the month's index is written over it.
  for (std::size_t m = 1; m <= steps; ++m) index[m] = normal(generator);
  if (overall_shock) {
    double mean = 0;
    for (std::size_t m = 1; m <= steps; ++m) mean += index[m];
    mean /= static_cast<double>(steps);
    const double wanted = *overall_shock / std::sqrt(static_cast<double>(steps));
    for (std::size_t m = 1; m <= steps; ++m) index[m] += wanted - mean;
  }
  constexpr double dt = 1.0 / 12;
  const double volatility = market.volatility * std::sqrt(dt);
  double log_index = 0;
  auto generation = market.generation_months.begin();
  for (std::size_t m = 1; m <= steps; ++m) {
    const double years = static_cast<double>(m - 1) * dt;
    log_index += (market.drift + market.reversion * (market.trend * years - log_index)) * dt + volatility * index[m];
    for (; generation != market.generation_months.end() && *generation <= static_cast<int>(m); ++generation)
      if (*generation == static_cast<int>(m)) log_index += std::log1p(std::max(-0.999, quantile(market.generation_jump, uniform(generator))));
    index[m] = std::exp(log_index);
  }
}

std::vector<double> market_path(const deal::MarketPath& market, int months, std::uint64_t seed, std::uint64_t scenario,
                                std::optional<double> overall_shock) {
  std::vector<double> index;
  market_path_into(market, months, seed, scenario, overall_shock, index);
  return index;
}

}  // namespace leasecalc::solve
