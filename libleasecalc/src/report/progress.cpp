#include "leasecalc/report/progress.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ostream>

namespace leasecalc::report {

namespace {

// "42s", "3m 05s", "1h 02m": the time left as a reader takes it in at a glance.
std::string duration_text(double seconds) {
  const long whole = std::lround(std::max(0.0, seconds));
  char buffer[32];
  if (whole < 60) std::snprintf(buffer, sizeof buffer, "%lds", whole);
  else if (whole < 3600) std::snprintf(buffer, sizeof buffer, "%ldm %02lds", whole / 60, whole % 60);
  else std::snprintf(buffer, sizeof buffer, "%ldh %02ldm", whole / 3600, whole / 60 % 60);
  return buffer;
}

// Erases the terminal line the cursor is on: carriage return, then clear to its end.
constexpr const char* erase_line = "\r\033[K";

}  // namespace

ProgressLine::ProgressLine(std::ostream& out, std::string task, std::string unit, Clock::duration redraw_interval)
    : out_(out), task_(std::move(task)), unit_(std::move(unit)), interval_(redraw_interval) {}

ProgressLine::~ProgressLine() { finish(); }

solve::Progress ProgressLine::callback() {
  return [this](std::size_t done, std::size_t total) { update(done, total); };
}

std::string ProgressLine::text(std::string_view task, std::string_view unit, std::size_t done, std::size_t total,
                               double elapsed_seconds) {
  const double share = total == 0 ? 1 : static_cast<double>(done) / static_cast<double>(total);
  std::string line = std::string(task) + ": " + std::to_string(done) + "/" + std::to_string(total) + " " +
                     std::string(unit);
  char buffer[96];
  std::snprintf(buffer, sizeof buffer, " (%.0f%%)", std::floor(share * 100));
  line += buffer;
  if (done > 0 && elapsed_seconds > 0) {
    const double rate = static_cast<double>(done) / elapsed_seconds;
    std::snprintf(buffer, sizeof buffer, rate >= 10 ? ", %.0f/s" : ", %.1f/s", rate);
    line += buffer;
    line += ", " + duration_text(static_cast<double>(total - std::min(done, total)) / rate) + " left";
  }
  return line;
}

void ProgressLine::update(std::size_t done, std::size_t total) {
  const std::lock_guard lock(mutex_);
  done_ = std::max(done_, done);  // workers report out of order
  const auto now = Clock::now();
  if (drawn_ && done_ < total && now - last_drawn_ < interval_) return;
  last_drawn_ = now;
  drawn_ = true;
  out_ << erase_line << text(task_, unit_, done_, total, std::chrono::duration<double>(now - started_).count())
       << std::flush;
}

void ProgressLine::finish() {
  const std::lock_guard lock(mutex_);
  if (!drawn_) return;
  out_ << erase_line << std::flush;
  drawn_ = false;
}

}  // namespace leasecalc::report
