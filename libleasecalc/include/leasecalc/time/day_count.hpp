#pragma once
// Day-count conventions: how many days an accrual period has and what fraction of a year it is.
//
// Definitions follow QuantLib 1.29 (the golden reference in tests/golden/daycount_golden.csv):
//   act_360        Actual/360              actual days / 360
//   act_365_fixed  Actual/365 (Fixed)      actual days / 365
//   thirty_360_us  30/360 US               QuantLib Thirty360(Thirty360::USA), see below
//   thirty_e_360   30E/360 Eurobond basis  QuantLib Thirty360(Thirty360::European)
//   act_act_isda   Actual/Actual ISDA      QuantLib ActualActual(ActualActual::ISDA): the days in
//                                          each calendar year over that year's length (365/366)

#include "leasecalc/num/numeric.hpp"
#include "leasecalc/time/date.hpp"
#include "leasecalc/text/text.hpp"

#include <algorithm>
#include <array>
#include <concepts>
#include <cstdint>
#include <numeric>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace leasecalc::time {

enum class DayCount { act_360, act_365_fixed, thirty_360_us, thirty_e_360, act_act_isda };

inline constexpr std::array all_day_counts{DayCount::act_360, DayCount::act_365_fixed,
                                           DayCount::thirty_360_us, DayCount::thirty_e_360,
                                           DayCount::act_act_isda};

// The name used in model files.
inline std::string_view to_string(DayCount convention) {
  switch (convention) {
    case DayCount::act_360: return "ACT/360";
    case DayCount::act_365_fixed: return "ACT/365F";
    case DayCount::thirty_360_us: return "30/360";
    case DayCount::thirty_e_360: return "30E/360";
    case DayCount::act_act_isda: return "ACT/ACT";
  }
  throw std::invalid_argument("unknown DayCount value");
}

// Model-file names, letter case ignored ("act/360" is ACT/360); anything else throws and lists
// the accepted names.
inline DayCount parse_day_count(std::string_view name) {
  for (const DayCount convention : all_day_counts)
    if (text::equal_ignoring_case(to_string(convention), name)) return convention;
  std::string accepted;
  for (const DayCount convention : all_day_counts)
    accepted += (accepted.empty() ? "" : ", ") + std::string(to_string(convention));
  throw std::invalid_argument("unknown day count '" + std::string(name) + "'; accepted: " + accepted);
}

namespace detail {

inline void require_ordered(Date start, Date end, const char* what) {
  require_valid(start, what);
  require_valid(end, what);
  if (end < start)
    throw std::invalid_argument(std::string(what) + ": end " + format_date(end) +
                                " is before start " + format_date(start));
}

inline std::int64_t thirty_360_days(int year1, int month1, int day1, int year2, int month2, int day2) {
  return 360LL * (year2 - year1) + 30LL * (month2 - month1) + (day2 - day1);
}

// 30/360 US exactly as QuantLib 1.29 Thirty360::USA. The rules apply in this order:
//   1. a start on the 31st becomes the 30th;
//   2. an end on the 31st becomes the 30th if the start (after rule 1) is the 30th or 31st;
//   3. an end on the last day of February becomes the 30th if the start is too;
//   4. a start on the last day of February becomes the 30th.
// Because rule 2 looks at the start before rule 4, a start on the last day of February and an
// end on a 31st keep the 31st: Feb 28 2023 -> Mar 31 2023 is 31 days.
// Spreadsheets: YEARFRAC(start; end; 0) x 360 in LibreOffice Calc agrees with this on every 30/360
// pair of the golden file. The spreadsheet DAYS360(start; end; FALSE) does not: it moves a
// February start before testing the end's 31st and never moves a February end, so it gives
// 30 days for Feb 28 2023 -> Mar 31 2023 and 359 for Feb 28 2023 -> Feb 29 2024 (here 31 and 360).
// Excel documents both as "US (NASD)"; where a model must tie to an Excel workbook, check those
// end-of-February dates.
// (Each date is split into year, month and day once: every Date accessor recomputes all three.)
inline std::int64_t thirty_360_us_days(const Date::ymd_type& a, const Date::ymd_type& b) {
  const bool start_last_of_february = a.month == 2 && is_end_of_month(a);
  const bool end_last_of_february = b.month == 2 && is_end_of_month(b);
  int day1 = a.day, day2 = b.day;
  if (day1 == 31) day1 = 30;
  if (day2 == 31 && day1 >= 30) day2 = 30;
  if (end_last_of_february && start_last_of_february) day2 = 30;
  if (start_last_of_february) day1 = 30;
  return thirty_360_days(a.year, a.month, day1, b.year, b.month, day2);
}

inline std::int64_t thirty_360_us_days(Date start, Date end) {
  return thirty_360_us_days(start.year_month_day(), end.year_month_day());
}

// 30E/360 (Eurobond basis): any 31st, start or end, becomes the 30th; February is left alone.
inline std::int64_t thirty_e_360_days(const Date::ymd_type& a, const Date::ymd_type& b) {
  const int day1 = a.day == 31 ? 30 : static_cast<int>(a.day);
  const int day2 = b.day == 31 ? 30 : static_cast<int>(b.day);
  return thirty_360_days(a.year, a.month, day1, b.year, b.month, day2);
}

inline std::int64_t thirty_e_360_days(Date start, Date end) {
  return thirty_e_360_days(start.year_month_day(), end.year_month_day());
}

inline std::int64_t actual_days(Date start, Date end) { return (end - start).days(); }

inline int days_in_year(int year) { return is_leap_year(year) ? 366 : 365; }

inline std::int64_t day_number(const Date::ymd_type& ymd) { return boost::gregorian::gregorian_calendar::day_number(ymd); }

// A whole number of days over a year's length, in Num (see year_fraction below).
template <num::Numeric Num>
Num days_over_year(std::int64_t days, int year_length) {
  if constexpr (std::same_as<Num, double>) {
    return static_cast<double>(days) / year_length;
  } else {
    const std::int64_t divisor = std::gcd(days, static_cast<std::int64_t>(year_length));
    return Num(static_cast<long long>(days / divisor)) / Num(static_cast<long long>(year_length / divisor));
  }
}

// The year fraction from `start` to `end` (not before it), each split into year, month and day
// once: the one home of the conventions' arithmetic. The day counts are integers, so each fraction
// is one (or, for ACT/ACT, a sum of) integer ratio(s) evaluated in Num: in double the same
// operations QuantLib performs; in Decimal the ratio is reduced first, because Decimal division is
// exact only between reduced operands (90/360 = 1/4 = 0.25 exactly, 31/360 to 34 digits).
template <num::Numeric Num>
Num year_fraction(DayCount convention, const Date::ymd_type& start, const Date::ymd_type& end) {
  const auto ratio = days_over_year<Num>;
  const auto actual = [&] { return day_number(end) - day_number(start); };
  switch (convention) {
    case DayCount::act_360: return ratio(actual(), 360);
    case DayCount::act_365_fixed: return ratio(actual(), 365);
    case DayCount::thirty_360_us: return ratio(thirty_360_us_days(start, end), 360);
    case DayCount::thirty_e_360: return ratio(thirty_e_360_days(start, end), 360);
    case DayCount::act_act_isda: {
      const int first_year = start.year, last_year = end.year;
      if (first_year == last_year) return ratio(actual(), days_in_year(first_year));
      // Whole years strictly between, plus the part of the first year after `start` and the
      // part of the last year before `end`.
      const auto new_year = [](int year) {
        return day_number(Date::ymd_type(static_cast<unsigned short>(year), 1, 1));
      };
      Num sum(last_year - first_year - 1);
      sum += ratio(new_year(first_year + 1) - day_number(start), days_in_year(first_year));
      sum += ratio(day_number(end) - new_year(last_year), days_in_year(last_year));
      return sum;
    }
  }
  throw std::invalid_argument("unknown DayCount value");
}

}  // namespace detail

// Days from `start` to `end` by the convention: actual days for the ACT conventions, 30-day
// months for the 30/360 ones. `end` before `start` throws.
inline std::int64_t day_count(DayCount convention, Date start, Date end) {
  detail::require_ordered(start, end, "day_count");
  switch (convention) {
    case DayCount::act_360:
    case DayCount::act_365_fixed:
    case DayCount::act_act_isda: return detail::actual_days(start, end);
    case DayCount::thirty_360_us: return detail::thirty_360_us_days(start, end);
    case DayCount::thirty_e_360: return detail::thirty_e_360_days(start, end);
  }
  throw std::invalid_argument("unknown DayCount value");
}

// Year fraction from `start` to `end` in the caller's numeric type (see detail::year_fraction).
template <num::Numeric Num>
Num year_fraction(DayCount convention, Date start, Date end) {
  detail::require_ordered(start, end, "year_fraction");
  return detail::year_fraction<Num>(convention, start.year_month_day(), end.year_month_day());
}

namespace detail {

// Whether `to` lies in the calendar month after `from`'s, as consecutive month starts do.
inline bool in_next_month(const CalendarDay& from, const CalendarDay& to) {
  return from.month == 12 ? to.month == 1 && to.year == from.year + 1 : to.month == from.month + 1 && to.year == from.year;
}

// The year fraction from one month start to the next: year_fraction's, with the day count of the
// common cases read off the days of the month rather than worked out from day numbers (a calendar
// conversion each): the actual days are the rest of the first month and the next one's day; on a
// 30/360 basis a day before the 28th, the same in both months, is 30 days (no 31st, no end of
// February to move).
template <num::Numeric Num>
Num month_year_fraction(DayCount convention, const CalendarDay& from, const CalendarDay& to) {
  if (in_next_month(from, to)) {
    switch (convention) {
      case DayCount::act_360:
      case DayCount::act_365_fixed: {
        const std::int64_t days = days_in_month(from.year, from.month) - from.day + to.day;
        return days_over_year<Num>(days, convention == DayCount::act_360 ? 360 : 365);
      }
      case DayCount::thirty_360_us:
      case DayCount::thirty_e_360:
        if (from.day == to.day && from.day < 28) return days_over_year<Num>(30, 360);
        break;
      case DayCount::act_act_isda: break;
    }
  }
  return year_fraction<Num>(convention, to_ymd(from), to_ymd(to));
}

}  // namespace detail

// The year fraction of each of the `months` months from `start` (a deal's months, from one
// time::month_starts to the next, whose interest accrues under the day count): what year_fraction
// gives for each, the months stepped on without a calendar conversion in the common cases
// (detail::month_year_fraction).
template <num::Numeric Num>
std::vector<Num> monthly_year_fractions(DayCount convention, Date start, int months) {
  detail::MonthStarts steps(start);
  std::vector<Num> fractions(static_cast<std::size_t>(std::max(months, 0)));
  detail::CalendarDay from = steps.next();
  // On a 30/360 basis, months from a day before the 28th are 30 days each (the common case: a
  // deal starting on the 1st), once the last month start is known to be in range.
  if ((convention == DayCount::thirty_360_us || convention == DayCount::thirty_e_360) && from.day < 28) {
    (void)detail::add_months(detail::to_ymd(from), months, false, start);
    std::ranges::fill(fractions, detail::days_over_year<Num>(30, 360));
    return fractions;
  }
  for (Num& fraction : fractions) {
    const detail::CalendarDay to = steps.next();
    fraction = detail::month_year_fraction<Num>(convention, from, to);
    from = to;
  }
  return fractions;
}

inline double year_fraction(DayCount convention, Date start, Date end) {
  return year_fraction<double>(convention, start, end);
}

}  // namespace leasecalc::time
