#pragma once
// The seed of one scenario's random stream. Every Monte Carlo draw (the inputs, the events, the
// market path, the power shocks) comes from a stream seeded by the run's seed, the scenario's
// number and the stream's own tag, so that a scenario draws the same on any number of threads and
// no two streams share a seed.

#include <cstdint>

namespace leasecalc::solve {

// SplitMix64's finaliser: spreads neighbouring numbers into unrelated seeds.
inline std::uint64_t split_mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

inline std::uint64_t scenario_seed(std::uint64_t seed, std::uint64_t scenario, std::uint64_t stream) {
  return split_mix(seed ^ split_mix(scenario + stream));
}

}  // namespace leasecalc::solve
