#pragma once
// The seed of one scenario's random stream. Every Monte Carlo draw (the inputs, the events, the
// market path, the power shocks) comes from a stream seeded by the run's seed, the scenario's
// number and the stream's own tag, so that a scenario draws the same on any number of threads and
// no two streams share a seed.

#include <array>
#include <cstddef>
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

// A scenario's generator: std::mt19937_64 seeded with the scenario's seed, the same numbers bit for
// bit, but seeding and twisting its state only as far as the draws reach. A scenario draws a few
// dozen numbers, and the standard engine's 312-word seeding and first twist cost more than they.
// Twisting word k just before it is drawn is what the standard engine's in-place twist of the whole
// block does to it: word k reads words k + 1 and k + 156, old, before the block's twist reaches
// them (or new, past the block's end, as the block twist reads them).
class ScenarioGenerator {
 public:
  using result_type = std::uint64_t;
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return ~result_type(0); }

  explicit ScenarioGenerator(result_type seed) { state_[0] = seed; }

  result_type operator()() {
    if (next_ == words) next_ = 0;  // the next block
    const std::size_t k = next_++;
    const std::size_t ahead = k + shift < words ? k + shift : k + shift - words;
    seed_through(k + shift < words ? k + shift : words - 1);
    const result_type y = (state_[k] & upper) | (state_[k + 1 < words ? k + 1 : 0] & lower);
    state_[k] = state_[ahead] ^ (y >> 1) ^ ((y & 1) ? twist : 0);
    result_type z = state_[k];  // tempered
    z ^= (z >> 29) & 0x5555555555555555ULL;
    z ^= (z << 17) & 0x71d67fffeda60000ULL;
    z ^= (z << 37) & 0xfff7eee000000000ULL;
    return z ^ (z >> 43);
  }

 private:
  static constexpr std::size_t words = 312, shift = 156;
  static constexpr result_type twist = 0xb5026f5aa96619e9ULL, upper = ~result_type(0) << 31, lower = ~upper;

  void seed_through(std::size_t last) {
    for (; seeded_ <= last; ++seeded_) {
      const result_type previous = state_[seeded_ - 1];
      state_[seeded_] = 6364136223846793005ULL * (previous ^ (previous >> 62)) + seeded_;
    }
  }

  std::array<result_type, words> state_;
  std::size_t seeded_ = 1, next_ = 0;
};

}  // namespace leasecalc::solve
