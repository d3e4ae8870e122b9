#pragma once
// A progress line for a long run on a terminal: "montecarlo: 1200/2000 scenarios (60%), 850/s,
// 1s left", redrawn in place at most ten times a second and erased when the run ends, so that what
// follows on the terminal starts on a clean line. It goes to standard error only when that is a
// terminal (the command decides); standard output is never touched.
//
//   report::ProgressLine line(std::cerr, "montecarlo", "scenarios");
//   solve::monte_carlo(deal, uncertainty, threads, line.callback());
//   line.finish();

#include "leasecalc/solve/progress.hpp"

#include <chrono>
#include <cstddef>
#include <iosfwd>
#include <mutex>
#include <string>
#include <string_view>

namespace leasecalc::report {

class ProgressLine {
 public:
  using Clock = std::chrono::steady_clock;
  // `task` names the run ("montecarlo"), `unit` what is counted ("scenarios").
  ProgressLine(std::ostream& out, std::string task, std::string unit,
               Clock::duration redraw_interval = std::chrono::milliseconds(100));
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;
  ~ProgressLine();  // finish()

  // The callback to hand to the loop; it refers to this line, which must outlive the run.
  solve::Progress callback();
  // Records `done` of `total` (thread-safe) and redraws when the interval has passed or all is done.
  void update(std::size_t done, std::size_t total);
  // Erases the line if one was drawn. Idempotent.
  void finish();

  // The line's text for `done` of `total` after `elapsed` seconds.
  static std::string text(std::string_view task, std::string_view unit, std::size_t done, std::size_t total,
                          double elapsed_seconds);

 private:
  std::ostream& out_;
  std::string task_, unit_;
  Clock::duration interval_;
  Clock::time_point started_ = Clock::now();
  Clock::time_point last_drawn_{};
  std::size_t done_ = 0;
  bool drawn_ = false;
  std::mutex mutex_;
};

}  // namespace leasecalc::report
