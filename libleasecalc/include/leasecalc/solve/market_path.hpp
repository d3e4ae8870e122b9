#pragma once
// The market's rent as a monthly path (deal::MarketPath): the index by deal month that a Monte
// Carlo scenario puts in deal::Deal::market_index, moving on-demand prices, re-lease prices and the
// used fleet's value together.
//
// Reproducible: scenario i's monthly shocks come from a generator seeded by the run's seed and i
// alone, so a path does not depend on the thread that draws it or on the other scenarios. The
// path's overall shock (the mean of its monthly shocks, scaled to a standard normal) is replaced by
// `overall_shock`: for Gaussian shocks the mean is independent of the deviations from it, so the
// path keeps its law while its overall level can be correlated with other inputs or stratified.

#include "leasecalc/deal/uncertainty.hpp"

#include <cstdint>
#include <optional>
#include <vector>

namespace leasecalc::solve {

// The index by deal month [0, months) of scenario `scenario`, 1 at month 0. Given paths: path
// scenario mod n, held at its last value. Drawn: as deal::MarketPath says, with its overall shock
// `overall_shock` (a standard normal) when given.
std::vector<double> market_path(const deal::MarketPath& market, int months, std::uint64_t seed, std::uint64_t scenario,
                                std::optional<double> overall_shock = std::nullopt);
// The same path written over `index` (a scenario loop's buffer, reused).
void market_path_into(const deal::MarketPath& market, int months, std::uint64_t seed, std::uint64_t scenario,
                      std::optional<double> overall_shock, std::vector<double>& index);

// Whether the path is drawn (rather than given), and so has an overall shock to draw.
inline bool is_drawn(const deal::MarketPath& market) { return market.paths.empty(); }

}  // namespace leasecalc::solve
