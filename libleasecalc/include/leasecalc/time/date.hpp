#pragma once
// Calendar dates: ISO parsing and printing, month arithmetic with an explicit end-of-month rule.
//
// Dates are Boost.Date_Time Gregorian dates (a value type, valid from 1400-01-01 to 9999-12-31).
// Month arithmetic never drifts: a date k months on is always computed from the original date,
// so Jan 31 + 2 months is Mar 31 whether or not February came in between.

#include <boost/date_time/gregorian/gregorian_types.hpp>

#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace leasecalc::time {

using Date = boost::gregorian::date;

// What happens to a date on the last day of its month when months are added.
//   on:  it stays on the last day (Jan 31 -> Feb 28 -> Mar 31; Feb 28 2025 -> Mar 31 2025).
//   off: the day of month is kept, clamped to the target month's length (Feb 28 -> Mar 28).
// Dates that are not a month end are clamped under both rules (Jan 30 + 1 month = Feb 28/29).
enum class EndOfMonth { off, on };

inline constexpr int first_supported_year = 1400;  // Boost.Date_Time's range
inline constexpr int last_supported_year = 9999;

inline bool is_leap_year(int year) { return boost::gregorian::gregorian_calendar::is_leap_year(year); }

inline int days_in_month(int year, int month) {
  return boost::gregorian::gregorian_calendar::end_of_month_day(year, month);
}

// On a date already split into year, month and day (Date's accessors each redo the split).
inline bool is_end_of_month(const Date::ymd_type& ymd) { return ymd.day == days_in_month(ymd.year, ymd.month); }

inline bool is_end_of_month(Date date) { return is_end_of_month(date.year_month_day()); }

inline Date end_of_month(Date date) { return date.end_of_month(); }

namespace detail {

inline void require_valid(Date date, const char* what) {
  if (date.is_special()) throw std::invalid_argument(std::string(what) + ": not a valid date");
}

}  // namespace detail

// A text that is not a calendar date: what() reads "invalid date 'TEXT': REASON".
class DateError : public std::invalid_argument {
 public:
  DateError(std::string_view text, std::string reason, bool malformed)
      : std::invalid_argument("invalid date '" + std::string(text) + "': " + reason),
        reason_(std::move(reason)),
        malformed_(malformed) {}
  const std::string& reason() const noexcept { return reason_; }
  bool malformed() const noexcept { return malformed_; }  // not shaped YYYY-MM-DD at all

 private:
  std::string reason_;
  bool malformed_;
};

// Strict ISO 8601 calendar date, "YYYY-MM-DD": the one date parser of model files, command lines
// and cash-flow input. Anything else (other separators, missing zero padding, surrounding or
// trailing text, Feb 30) throws DateError naming the text and the problem.
inline Date parse_date(std::string_view text) {
  const auto malformed = [&]() -> Date { throw DateError(text, "expected ISO format YYYY-MM-DD", true); };
  const auto impossible = [&](const std::string& why) -> Date { throw DateError(text, why, false); };
  const auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return malformed();
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
    if (!is_digit(text[i])) return malformed();
  const auto number = [&](std::size_t from, std::size_t length) {
    int value = 0;
    for (std::size_t i = from; i < from + length; ++i) value = value * 10 + (text[i] - '0');
    return value;
  };
  const int year = number(0, 4), month = number(5, 2), day = number(8, 2);
  if (year < first_supported_year || year > last_supported_year)
    return impossible("year must be between " + std::to_string(first_supported_year) + " and " +
                      std::to_string(last_supported_year));
  if (month < 1 || month > 12) return impossible("no such day in the calendar: month must be between 01 and 12");
  const int month_length = days_in_month(year, month);
  if (day < 1 || day > month_length)
    return impossible("no such day in the calendar: day must be between 01 and " + std::to_string(month_length) +
                      " in that month");
  return Date(static_cast<unsigned short>(year), static_cast<unsigned short>(month),
              static_cast<unsigned short>(day));
}

// ISO 8601 "YYYY-MM-DD"; parse_date(format_date(d)) == d.
inline std::string format_date(Date date) {
  detail::require_valid(date, "format_date");
  char buffer[32];  // room for any unsigned short fields, so the compiler sees no truncation
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", static_cast<int>(date.year()),
                static_cast<int>(date.month()), static_cast<int>(date.day()));
  return buffer;
}

namespace detail {

struct CalendarDay {
  int year, month, day;
};

[[noreturn]] inline void months_out_of_range(Date date, int months) {
  throw std::out_of_range("add_months: " + format_date(date) + " moved by " + std::to_string(months) +
                          " months leaves the years " + std::to_string(first_supported_year) + "-" +
                          std::to_string(last_supported_year));
}

// A date split into year, month and day, moved by `months` calendar months: the one home of month
// arithmetic, on dates already split (each split is a calendar conversion). `to_month_end`: the
// end-of-month rule holds and the date is a month's last day, so the result is its month's last
// day (a caller moving one date many times finds that once). Plain integers out, and the message
// of a move out of range built apart, so that the move is inlined where it is used: returned from a
// call, the fields went out through a store the processor could not forward, most of the call's
// time.
inline CalendarDay add_months(const Date::ymd_type& ymd, int months, bool to_month_end, Date date) {
  // Month index counted from year 0 so that negative moves need no special case.
  const long long index = static_cast<long long>(ymd.year) * 12 + (ymd.month - 1) + months;
  const long long year = index >= 0 ? index / 12 : -1;
  if (year < first_supported_year || year > last_supported_year) months_out_of_range(date, months);
  const int target_year = static_cast<int>(year);
  const int target_month = static_cast<int>(index % 12) + 1;
  const int target_length = days_in_month(target_year, target_month);
  const int day = to_month_end ? target_length : std::min(static_cast<int>(ymd.day), target_length);
  return {target_year, target_month, day};
}

}  // namespace detail

// `date` moved by `months` calendar months (negative moves back), under the end-of-month rule.
inline Date add_months(Date date, int months, EndOfMonth rule) {
  detail::require_valid(date, "add_months");
  const Date::ymd_type ymd = date.year_month_day();
  const auto [year, month, day] = detail::add_months(ymd, months, rule == EndOfMonth::on && is_end_of_month(ymd), date);
  return Date(static_cast<unsigned short>(year), static_cast<unsigned short>(month), static_cast<unsigned short>(day));
}

namespace detail {

// The first days of a deal's months from `start`, one at a time: `start` moved by k = 0, 1, ...
// months under the end-of-month rule. The calendar month steps on one at a time (add_months's
// result without its division) and the day comes out as plain integers, split once.
class MonthStarts {
 public:
  explicit MonthStarts(Date start)
      : start_((require_valid(start, "month_starts"), start)),
        first_(start.year_month_day()),
        to_month_end_(is_end_of_month(first_)),
        year_(first_.year),
        month_(first_.month) {}

  // The next month's first day: `start` itself on the first call.
  CalendarDay next() {
    if (year_ > last_supported_year) months_out_of_range(start_, k_);
    const int length = days_in_month(year_, month_);
    const CalendarDay day{year_, month_, to_month_end_ ? length : std::min(static_cast<int>(first_.day), length)};
    if (++month_ > 12) {
      month_ = 1;
      ++year_;
    }
    ++k_;
    return day;
  }

 private:
  Date start_;
  Date::ymd_type first_;
  bool to_month_end_;
  int year_, month_, k_ = 0;
};

inline Date::ymd_type to_ymd(const CalendarDay& day) {
  return {static_cast<unsigned short>(day.year), static_cast<unsigned short>(day.month),
          static_cast<unsigned short>(day.day)};
}

}  // namespace detail

// The first day of each month of a deal from `start`: `start` moved by k months under the
// end-of-month rule, k = 0 to `months` (the last is where month `months` - 1 ends), split into year,
// month and day from one calendar conversion.
inline std::vector<Date::ymd_type> month_starts(Date start, int months) {
  detail::MonthStarts steps(start);
  std::vector<Date::ymd_type> starts;
  starts.reserve(static_cast<std::size_t>(std::max(months, 0)) + 1);
  for (int k = 0; k <= months; ++k) starts.push_back(detail::to_ymd(steps.next()));
  return starts;
}

// Whole calendar months from `from` to `to`: the largest n with add_months(from, n, off) <= to
// (Jan 31 -> Feb 28 is one month; Jan 15 -> Feb 14 is none). Antisymmetric: a later `from`
// gives minus the months from `to` to `from`. Round trip: months_between(d, add_months(d, n, r))
// == n for either rule.
inline int months_between(Date from, Date to) {
  detail::require_valid(from, "months_between");
  detail::require_valid(to, "months_between");
  if (to < from) return -months_between(to, from);
  int months = (to.year() - from.year()) * 12 + (to.month() - from.month());
  if (add_months(from, months, EndOfMonth::off) > to) --months;
  return months;
}

}  // namespace leasecalc::time
