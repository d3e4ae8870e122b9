#pragma once
// Payment schedules: a span cut into periods of a frequency, each with its payment date.
//
// Period boundaries are unadjusted calendar dates (no business-day calendar). Every regular
// boundary is computed from one anchor date as add_months(anchor, k * months_per_period), never by
// adding a period to the previous boundary, so a month-end schedule cannot drift to the 28th.
// The anchor is the start for a short last stub and the end for a short first stub; the schedules
// equal QuantLib's MakeSchedule with DateGeneration::Forward / Backward, NullCalendar and
// Unadjusted (tests/golden/schedule_golden.csv).

#include "leasecalc/time/date.hpp"
#include "leasecalc/time/frequency.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

namespace leasecalc::time {

// Where the odd piece goes when the span is not a whole number of periods. Both stubs are short
// (less than one period).
enum class Stub { short_first, short_last };

// When a period's payment falls due: at its start (rent in advance) or at its end (in arrears).
enum class PaymentTiming { in_advance, in_arrears };

struct Period {
  Date start;
  Date end;      // exclusive: the next period starts here
  Date payment;  // start or end, per PaymentTiming
  bool regular = true;  // false for a stub shorter than a full period

  friend bool operator==(const Period&, const Period&) = default;
};

struct Schedule {
  std::vector<Period> periods;  // consecutive: each starts where the previous one ends

  std::size_t size() const { return periods.size(); }
  bool empty() const { return periods.empty(); }
  const Period& operator[](std::size_t index) const { return periods[index]; }
  auto begin() const { return periods.begin(); }
  auto end() const { return periods.end(); }

  Date start_date() const { return periods.at(0).start; }
  Date end_date() const { return periods.at(periods.size() - 1).end; }

  // The period boundaries: start, each period end (size() + 1 dates).
  std::vector<Date> dates() const {
    std::vector<Date> boundaries;
    if (periods.empty()) return boundaries;
    boundaries.reserve(periods.size() + 1);
    boundaries.push_back(periods.front().start);
    for (const Period& period : periods) boundaries.push_back(period.end);
    return boundaries;
  }

  friend bool operator==(const Schedule&, const Schedule&) = default;
};

// How to cut the span; use with designated initialisers, e.g.
//   make_schedule(start, end, {.frequency = Frequency::quarterly, .stub = Stub::short_first})
struct ScheduleRules {
  Frequency frequency = Frequency::monthly;
  EndOfMonth end_of_month = EndOfMonth::on;
  Stub stub = Stub::short_last;
  PaymentTiming payment_timing = PaymentTiming::in_arrears;
};

namespace detail {

inline Schedule schedule_from_dates(const std::vector<Date>& boundaries, std::size_t stub_index,
                                    PaymentTiming timing) {
  Schedule schedule;
  schedule.periods.reserve(boundaries.size() - 1);
  for (std::size_t i = 0; i + 1 < boundaries.size(); ++i) {
    const Date start = boundaries[i], end = boundaries[i + 1];
    schedule.periods.push_back(Period{start, end, timing == PaymentTiming::in_advance ? start : end,
                                      i != stub_index});
  }
  return schedule;
}

}  // namespace detail

// Periods from `start` to `end`. A span that is not a whole number of periods gets one short
// stub, first or last per `rules.stub`; a span shorter than one period is a single stub.
// `end` not after `start` throws std::invalid_argument.
inline Schedule make_schedule(Date start, Date end, const ScheduleRules& rules = {}) {
  detail::require_valid(start, "make_schedule start");
  detail::require_valid(end, "make_schedule end");
  if (!(start < end))
    throw std::invalid_argument("make_schedule: end " + format_date(end) +
                                " must be after start " + format_date(start));
  const int step = months_per_period(rules.frequency);
  const std::size_t no_stub = static_cast<std::size_t>(-1);
  std::vector<Date> boundaries;
  std::size_t stub_index = no_stub;
  if (rules.stub == Stub::short_last) {
    boundaries.push_back(start);
    for (int k = 1;; ++k) {
      const Date date = add_months(start, k * step, rules.end_of_month);
      if (date > end) break;
      boundaries.push_back(date);
      if (date == end) break;
    }
    if (boundaries.back() != end) {
      stub_index = boundaries.size() - 1;
      boundaries.push_back(end);
    }
  } else {
    boundaries.push_back(end);
    for (int k = 1;; ++k) {
      const Date date = add_months(end, -k * step, rules.end_of_month);
      if (date < start) break;
      boundaries.push_back(date);
      if (date == start) break;
    }
    if (boundaries.back() != start) {
      boundaries.push_back(start);
      stub_index = 0;
    }
    std::reverse(boundaries.begin(), boundaries.end());
  }
  return detail::schedule_from_dates(boundaries, stub_index, rules.payment_timing);
}

// `number_of_periods` whole periods from `start` (no stub; `rules.stub` is irrelevant).
inline Schedule make_schedule(Date start, int number_of_periods, const ScheduleRules& rules = {}) {
  detail::require_valid(start, "make_schedule start");
  if (number_of_periods < 1)
    throw std::invalid_argument("make_schedule: number of periods must be at least 1, got " +
                                std::to_string(number_of_periods));
  const int step = months_per_period(rules.frequency);
  std::vector<Date> boundaries;
  boundaries.reserve(static_cast<std::size_t>(number_of_periods) + 1);
  for (int k = 0; k <= number_of_periods; ++k)
    boundaries.push_back(add_months(start, k * step, rules.end_of_month));
  return detail::schedule_from_dates(boundaries, static_cast<std::size_t>(-1), rules.payment_timing);
}

}  // namespace leasecalc::time
