#pragma once
// Progress of a long loop (Monte Carlo scenarios, a sensitivity grid, a bid grid): the loop calls
// the callback with the work done so far and the whole, as pieces of it finish. Worker threads may
// call it at the same time, in any order of `done`, so a callback must be thread-safe and keep the
// largest `done` it has seen; it is called often, so it decides itself how often to show anything.
// An empty callback is not called. Nothing here is global: each run carries its own.

#include <cstddef>
#include <functional>

namespace leasecalc::solve {

using Progress = std::function<void(std::size_t done, std::size_t total)>;

inline void report_progress(const Progress& progress, std::size_t done, std::size_t total) {
  if (progress) progress(done, total);
}

}  // namespace leasecalc::solve
