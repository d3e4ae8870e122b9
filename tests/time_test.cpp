// Dates, month arithmetic, frequencies and day counts. Year fractions are checked against
// QuantLib 1.29 (tests/golden/daycount_golden.csv, written by make_daycount_golden.sh).

#include "leasecalc/time/date.hpp"
#include "leasecalc/time/day_count.hpp"
#include "leasecalc/time/frequency.hpp"

#include "support/csv.hpp"

#include <gtest/gtest.h>

#include <boost/date_time/gregorian/gregorian.hpp>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace leasecalc::time;
using leasecalc::num::Decimal;

Date d(const char* iso) { return parse_date(iso); }

using leasecalc::test::split;

// Every day from 2019 to 2029: covers each month length, leap Februaries and year ends.
std::vector<Date> every_day_2019_to_2029() {
  std::vector<Date> days;
  for (Date day = d("2019-01-01"); day <= d("2029-12-31"); day += boost::gregorian::days(1))
    days.push_back(day);
  return days;
}

template <class Function>
void expect_invalid_argument_mentioning(Function function, const std::string& fragment) {
  try {
    function();
    ADD_FAILURE() << "expected std::invalid_argument mentioning '" << fragment << "'";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find(fragment), std::string::npos) << error.what();
  }
}

// ---- parsing and printing ------------------------------------------------------------------

TEST(ParseDate, ReadsIsoDates) {
  const Date date = parse_date("2025-03-31");
  EXPECT_EQ(date.year(), 2025);
  EXPECT_EQ(date.month(), 3);
  EXPECT_EQ(date.day(), 31);
  EXPECT_EQ(parse_date("2024-02-29"), Date(2024, 2, 29));
  EXPECT_EQ(parse_date("2000-02-29"), Date(2000, 2, 29));
}

TEST(ParseDate, RejectsMalformedText) {
  for (const char* text : {"", "2025-3-31", "2025/03/31", "20250331", "2025-03-31x", " 2025-03-31",
                           "2025-03-3a", "31-03-2025", "2025-03-31T00:00"})
    expect_invalid_argument_mentioning([&] { parse_date(text); }, "YYYY-MM-DD");
}

TEST(ParseDate, RejectsImpossibleDates) {
  expect_invalid_argument_mentioning([] { parse_date("2025-02-29"); }, "'2025-02-29'");
  expect_invalid_argument_mentioning([] { parse_date("2100-02-29"); }, "day must be between 01 and 28");
  expect_invalid_argument_mentioning([] { parse_date("2025-04-31"); }, "01 and 30");
  expect_invalid_argument_mentioning([] { parse_date("2025-13-01"); }, "month");
  expect_invalid_argument_mentioning([] { parse_date("2025-00-10"); }, "month");
  expect_invalid_argument_mentioning([] { parse_date("2025-01-00"); }, "day");
  expect_invalid_argument_mentioning([] { parse_date("0999-01-01"); }, "year");
}

TEST(ParseDate, SaysWhetherTheTextIsShapedLikeADate) {
  try {
    parse_date("2025/03/01");
    ADD_FAILURE() << "parsed";
  } catch (const DateError& error) {
    EXPECT_TRUE(error.malformed());
  }
  try {
    parse_date("2025-02-29");
    ADD_FAILURE() << "parsed";
  } catch (const DateError& error) {
    EXPECT_FALSE(error.malformed());
    EXPECT_EQ(error.reason(), "no such day in the calendar: day must be between 01 and 28 in that month");
  }
}

TEST(FormatDate, RoundTripsEveryDay) {
  for (const Date day : every_day_2019_to_2029()) {
    const std::string text = format_date(day);
    ASSERT_EQ(text, boost::gregorian::to_iso_extended_string(day));
    ASSERT_EQ(parse_date(text), day);
  }
  EXPECT_EQ(format_date(Date(1400, 1, 1)), "1400-01-01");
  EXPECT_THROW(format_date(Date(boost::gregorian::not_a_date_time)), std::invalid_argument);
}

// ---- month arithmetic ----------------------------------------------------------------------

TEST(AddMonths, EndOfMonthRuleKeepsMonthEnds) {
  EXPECT_EQ(add_months(d("2025-01-31"), 1, EndOfMonth::on), d("2025-02-28"));
  EXPECT_EQ(add_months(d("2024-01-31"), 1, EndOfMonth::on), d("2024-02-29"));
  EXPECT_EQ(add_months(d("2025-01-31"), 2, EndOfMonth::on), d("2025-03-31"));
  EXPECT_EQ(add_months(d("2025-02-28"), 1, EndOfMonth::on), d("2025-03-31"));
  EXPECT_EQ(add_months(d("2025-04-30"), 1, EndOfMonth::on), d("2025-05-31"));
  EXPECT_EQ(add_months(d("2024-02-29"), 12, EndOfMonth::on), d("2025-02-28"));
  EXPECT_EQ(add_months(d("2025-03-31"), -1, EndOfMonth::on), d("2025-02-28"));
  EXPECT_EQ(add_months(d("2025-02-28"), -12, EndOfMonth::on), d("2024-02-29"));
  // Not a month end: clamped, not moved to the end.
  EXPECT_EQ(add_months(d("2025-01-30"), 1, EndOfMonth::on), d("2025-02-28"));
  EXPECT_EQ(add_months(d("2025-01-30"), 2, EndOfMonth::on), d("2025-03-30"));
}

TEST(AddMonths, WithoutTheRuleTheDayIsClampedFromTheStart) {
  EXPECT_EQ(add_months(d("2025-01-31"), 1, EndOfMonth::off), d("2025-02-28"));
  EXPECT_EQ(add_months(d("2025-01-31"), 2, EndOfMonth::off), d("2025-03-31"));
  EXPECT_EQ(add_months(d("2025-02-28"), 1, EndOfMonth::off), d("2025-03-28"));
  EXPECT_EQ(add_months(d("2025-04-30"), 1, EndOfMonth::off), d("2025-05-30"));
  EXPECT_EQ(add_months(d("2025-03-31"), -1, EndOfMonth::off), d("2025-02-28"));
  EXPECT_EQ(add_months(d("2025-12-15"), 1, EndOfMonth::off), d("2026-01-15"));
  EXPECT_EQ(add_months(d("2025-01-15"), -1, EndOfMonth::off), d("2024-12-15"));
  EXPECT_EQ(add_months(d("2025-01-15"), -25, EndOfMonth::off), d("2022-12-15"));
  EXPECT_EQ(add_months(d("2025-01-15"), 0, EndOfMonth::off), d("2025-01-15"));
}

TEST(AddMonths, NoDriftAcrossShortMonths) {
  // Stepping one month at a time from Jan 31 would stick at the 28th; from the start it cannot.
  Date stepped = d("2025-01-31");
  for (int k = 1; k <= 24; ++k) {
    stepped = add_months(stepped, 1, EndOfMonth::off);
    const Date from_start = add_months(d("2025-01-31"), k, EndOfMonth::off);
    EXPECT_EQ(from_start.day(), days_in_month(from_start.year(), from_start.month()));
    EXPECT_EQ(stepped.day(), 28);
  }
}

// Boost's own month duration snaps month ends to month ends: an independent reference for the
// rule, over every day of eleven years.
TEST(AddMonths, EndOfMonthRuleMatchesBoostMonthArithmetic) {
  for (const Date day : every_day_2019_to_2029())
    for (int months : {-25, -12, -3, -1, 1, 2, 3, 6, 12, 13, 60})
      ASSERT_EQ(add_months(day, months, EndOfMonth::on), day + boost::gregorian::months(months))
          << format_date(day) << " + " << months;
}

TEST(AddMonths, ClampedRuleKeepsTheDayWhenItExists) {
  for (const Date day : every_day_2019_to_2029())
    for (int months : {-7, -1, 1, 5, 12}) {
      const Date moved = add_months(day, months, EndOfMonth::off);
      const int target_length = days_in_month(moved.year(), moved.month());
      ASSERT_EQ(moved.day(), std::min<int>(day.day(), target_length)) << format_date(day);
      const int month_index = moved.year() * 12 + moved.month();
      ASSERT_EQ(month_index, day.year() * 12 + day.month() + months);
    }
}

TEST(AddMonths, LeavingTheSupportedYearsThrows) {
  EXPECT_THROW(add_months(d("9999-12-01"), 1, EndOfMonth::off), std::out_of_range);
  EXPECT_THROW(add_months(d("1400-01-31"), -1, EndOfMonth::on), std::out_of_range);
  EXPECT_EQ(add_months(d("9999-11-30"), 1, EndOfMonth::on), d("9999-12-31"));
}

TEST(MonthsBetween, CountsWholeMonths) {
  EXPECT_EQ(months_between(d("2025-01-15"), d("2025-02-15")), 1);
  EXPECT_EQ(months_between(d("2025-01-15"), d("2025-02-14")), 0);
  EXPECT_EQ(months_between(d("2025-01-31"), d("2025-02-28")), 1);
  EXPECT_EQ(months_between(d("2025-01-31"), d("2025-03-30")), 1);
  EXPECT_EQ(months_between(d("2025-01-31"), d("2025-03-31")), 2);
  EXPECT_EQ(months_between(d("2025-03-31"), d("2025-02-28")), -1);
  EXPECT_EQ(months_between(d("2025-03-01"), d("2025-03-31")), 0);
  EXPECT_EQ(months_between(d("2020-02-29"), d("2030-02-28")), 120);
  EXPECT_EQ(months_between(d("2025-06-15"), d("2025-06-15")), 0);
}

TEST(MonthsBetween, RoundTripsAddMonthsUnderBothRules) {
  for (const Date day : every_day_2019_to_2029())
    for (int months : {-24, -13, -1, 0, 1, 2, 11, 12, 37})
      for (const EndOfMonth rule : {EndOfMonth::off, EndOfMonth::on}) {
        const Date moved = add_months(day, months, rule);
        ASSERT_EQ(months_between(day, moved), months) << format_date(day) << " + " << months;
        ASSERT_EQ(months_between(moved, day), -months) << format_date(day) << " + " << months;
      }
}

TEST(AddMonths, ReverseMoveRestoresDaysThatExistEverywhere) {
  for (const Date day : every_day_2019_to_2029()) {
    if (day.day() > 28) continue;
    for (int months : {-12, -1, 1, 7})
      ASSERT_EQ(add_months(add_months(day, months, EndOfMonth::off), -months, EndOfMonth::off), day);
  }
  // Month ends come back to month ends under the rule.
  for (const Date day : every_day_2019_to_2029()) {
    if (!is_end_of_month(day)) continue;
    for (int months : {-12, -1, 1, 7})
      ASSERT_EQ(add_months(add_months(day, months, EndOfMonth::on), -months, EndOfMonth::on), day);
  }
}

// ---- frequencies ---------------------------------------------------------------------------

TEST(Frequency, MonthsPerPeriodAndNames) {
  EXPECT_EQ(months_per_period(Frequency::monthly), 1);
  EXPECT_EQ(months_per_period(Frequency::quarterly), 3);
  EXPECT_EQ(months_per_period(Frequency::semiannual), 6);
  EXPECT_EQ(months_per_period(Frequency::annual), 12);
  for (const Frequency frequency : all_frequencies) {
    EXPECT_EQ(parse_frequency(to_string(frequency)), frequency);
    EXPECT_EQ(months_per_period(frequency) * periods_per_year(frequency), 12);
  }
  EXPECT_EQ(parse_frequency("Quarterly"), Frequency::quarterly);
  expect_invalid_argument_mentioning([] { parse_frequency("biweekly"); },
                                     "'biweekly'; accepted: monthly, quarterly, semiannual, annual");
}

// ---- day counts ----------------------------------------------------------------------------

TEST(DayCountNames, ParseAndPrint) {
  EXPECT_EQ(parse_day_count("ACT/360"), DayCount::act_360);
  EXPECT_EQ(parse_day_count("ACT/365F"), DayCount::act_365_fixed);
  EXPECT_EQ(parse_day_count("30/360"), DayCount::thirty_360_us);
  EXPECT_EQ(parse_day_count("30E/360"), DayCount::thirty_e_360);
  EXPECT_EQ(parse_day_count("ACT/ACT"), DayCount::act_act_isda);
  EXPECT_EQ(parse_day_count("act/act"), DayCount::act_act_isda);
  for (const DayCount convention : all_day_counts)
    EXPECT_EQ(parse_day_count(to_string(convention)), convention);
  expect_invalid_argument_mentioning([] { parse_day_count("ACT/365"); },
                                     "'ACT/365'; accepted: ACT/360, ACT/365F, 30/360, 30E/360, ACT/ACT");
}

struct GoldenDayCount {
  DayCount convention;
  Date start, end;
  long long days;
  double year_fraction;
};

std::vector<GoldenDayCount> read_daycount_golden() {
  std::ifstream in(LEASECALC_SOURCE_DIR "/tests/golden/daycount_golden.csv");
  EXPECT_TRUE(in.good()) << "missing tests/golden/daycount_golden.csv";
  std::vector<GoldenDayCount> rows;
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "convention,start,end,days,year_fraction");
  while (std::getline(in, line)) {
    const auto fields = split(line, ',');
    if (fields.size() != 5) {
      ADD_FAILURE() << "bad golden line: " << line;
      continue;
    }
    rows.push_back({parse_day_count(fields[0]), parse_date(fields[1]), parse_date(fields[2]),
                    std::stoll(fields[3]), std::stod(fields[4])});
  }
  return rows;
}

void expect_relatively_close(double actual, double expected, double tolerance, const std::string& where) {
  const double scale = std::max(1.0, std::fabs(expected));
  EXPECT_LE(std::fabs(actual - expected), tolerance * scale)
      << where << ": " << actual << " vs " << expected;
}

TEST(DayCount, MatchesQuantLibGolden) {
  const auto rows = read_daycount_golden();
  ASSERT_GT(rows.size(), 2000u);
  for (const auto& row : rows) {
    const std::string where = std::string(to_string(row.convention)) + " " +
                              format_date(row.start) + " -> " + format_date(row.end);
    EXPECT_EQ(day_count(row.convention, row.start, row.end), row.days) << where;
    expect_relatively_close(year_fraction(row.convention, row.start, row.end), row.year_fraction,
                            1e-12, where);
  }
}

TEST(DayCount, DecimalAgreesWithGolden) {
  for (const auto& row : read_daycount_golden()) {
    const Decimal exact = year_fraction<Decimal>(row.convention, row.start, row.end);
    expect_relatively_close(exact.convert_to<double>(), row.year_fraction, 1e-15,
                            std::string(to_string(row.convention)) + " " + format_date(row.start));
  }
}

TEST(DayCount, DecimalFractionIsTheExactRatio) {
  // 90 days on ACT/360 is exactly a quarter, with no binary rounding.
  EXPECT_EQ(year_fraction<Decimal>(DayCount::act_360, d("2025-01-01"), d("2025-04-01")), Decimal("0.25"));
  EXPECT_EQ(year_fraction<Decimal>(DayCount::thirty_360_us, d("2025-01-15"), d("2025-07-15")), Decimal("0.5"));
  EXPECT_EQ(year_fraction<Decimal>(DayCount::act_365_fixed, d("2025-01-01"), d("2026-01-01")), Decimal(1));
  EXPECT_EQ(year_fraction<Decimal>(DayCount::act_360, d("2025-01-01"), d("2025-01-01")), Decimal(0));
}

TEST(DayCount, ThirtyThreeSixtyEndOfFebruaryRules) {
  // QuantLib's order of the US rules: the end-31st test sees the start before February moves it.
  EXPECT_EQ(day_count(DayCount::thirty_360_us, d("2023-02-28"), d("2023-03-31")), 31);
  EXPECT_EQ(day_count(DayCount::thirty_360_us, d("2023-02-28"), d("2023-03-30")), 30);
  EXPECT_EQ(day_count(DayCount::thirty_360_us, d("2023-02-28"), d("2024-02-29")), 360);  // both last of Feb
  EXPECT_EQ(day_count(DayCount::thirty_360_us, d("2024-02-28"), d("2024-02-29")), 1);    // 28th of leap Feb
  EXPECT_EQ(day_count(DayCount::thirty_360_us, d("2023-01-31"), d("2023-03-31")), 60);
  EXPECT_EQ(day_count(DayCount::thirty_360_us, d("2023-01-15"), d("2023-03-31")), 76);
  // 30E/360 never looks at February.
  EXPECT_EQ(day_count(DayCount::thirty_e_360, d("2023-02-28"), d("2023-03-31")), 32);
  EXPECT_EQ(day_count(DayCount::thirty_e_360, d("2023-01-15"), d("2023-03-31")), 75);
}

TEST(DayCount, ActActOverWholeCalendarYearsIsTheNumberOfYears) {
  for (int first = 1999; first <= 2030; ++first)
    for (int years : {1, 2, 3, 4, 7, 30}) {
      const Date start(static_cast<unsigned short>(first), 1, 1);
      const Date end(static_cast<unsigned short>(first + years), 1, 1);
      EXPECT_NEAR(year_fraction(DayCount::act_act_isda, start, end), years, 1e-14);
      EXPECT_EQ(year_fraction<Decimal>(DayCount::act_act_isda, start, end), Decimal(years));
    }
}

// ACT conventions and 30E/360 value every date independently of its role, so fractions add up
// over consecutive periods; the monthly accruals of a loan sum to the whole term.
TEST(DayCount, AdditiveConventionsSumOverMonthlyPeriods) {
  for (const DayCount convention : {DayCount::act_360, DayCount::act_365_fixed,
                                    DayCount::thirty_e_360, DayCount::act_act_isda}) {
    for (const char* start_text : {"2023-01-31", "2023-11-15", "2024-02-29", "2019-12-31"}) {
      const Date start = d(start_text);
      Decimal sum(0);
      long long days = 0;
      for (int k = 0; k < 40; ++k) {
        const Date from = add_months(start, k, EndOfMonth::on);
        const Date to = add_months(start, k + 1, EndOfMonth::on);
        sum += year_fraction<Decimal>(convention, from, to);
        days += day_count(convention, from, to);
      }
      const Date end = add_months(start, 40, EndOfMonth::on);
      EXPECT_EQ(days, day_count(convention, start, end)) << to_string(convention) << " " << start_text;
      const Decimal whole = year_fraction<Decimal>(convention, start, end);
      EXPECT_LT(leasecalc::num::abs(sum - whole), Decimal("1e-30"))
          << to_string(convention) << " " << start_text;
    }
  }
}

// A loan's months start at month_starts and accrue by monthly_year_fractions: each start is add_months's and
// each month's fraction is year_fraction's over that month, for a start on every day of 14 years
// (month ends, 29 February, the 31st) and 30 months.
TEST(DayCount, MonthlyYearFractionsAreEachMonthsYearFraction) {
  for (Date start = d("2019-01-01"); start <= d("2032-12-31"); start += boost::gregorian::days(1)) {
    const std::vector<Date::ymd_type> starts = month_starts(start, 30);
    ASSERT_EQ(starts.size(), 31u);
    for (int k = 0; k <= 30; ++k)
      ASSERT_EQ(Date(starts[static_cast<std::size_t>(k)]), add_months(start, k, EndOfMonth::on)) << format_date(start);
    for (const DayCount convention : all_day_counts) {
      const std::vector<double> fractions = monthly_year_fractions<double>(convention, start, 30);
      ASSERT_EQ(fractions.size(), 30u);
      for (int k = 0; k < 30; ++k)
        ASSERT_EQ(fractions[static_cast<std::size_t>(k)],
                  year_fraction(convention, add_months(start, k, EndOfMonth::on), add_months(start, k + 1, EndOfMonth::on)))
            << to_string(convention) << " from " << format_date(start) << ", month " << k;
      if (start.day() % 7 != 3) continue;  // exact fractions on a sample of the days
      const std::vector<Decimal> exact = monthly_year_fractions<Decimal>(convention, start, 14);
      for (int k = 0; k < 14; ++k)
        ASSERT_EQ(exact[static_cast<std::size_t>(k)],
                  year_fraction<Decimal>(convention, add_months(start, k, EndOfMonth::on),
                                         add_months(start, k + 1, EndOfMonth::on)));
    }
  }
  EXPECT_THROW(month_starts(d("9999-01-31"), 12), std::out_of_range);
  EXPECT_THROW(monthly_year_fractions<double>(DayCount::act_360, d("9999-01-31"), 12), std::out_of_range);
  EXPECT_THROW(monthly_year_fractions<double>(DayCount::thirty_360_us, d("9999-01-01"), 12), std::out_of_range);
}

TEST(DayCount, ThirtyThreeSixtyWholeMonthsFromTheFirstAreThirtyDays) {
  for (const DayCount convention : {DayCount::thirty_360_us, DayCount::thirty_e_360})
    for (int months = 0; months <= 48; ++months)
      EXPECT_EQ(day_count(convention, d("2023-01-01"), add_months(d("2023-01-01"), months, EndOfMonth::off)),
                30 * months);
}

TEST(DayCount, EndBeforeStartThrows) {
  for (const DayCount convention : all_day_counts) {
    expect_invalid_argument_mentioning(
        [&] { year_fraction(convention, d("2025-03-31"), d("2025-03-30")); }, "before start 2025-03-31");
    EXPECT_THROW(day_count(convention, d("2025-03-31"), d("2024-03-31")), std::invalid_argument);
    EXPECT_EQ(year_fraction(convention, d("2025-03-31"), d("2025-03-31")), 0.0);
  }
}

}  // namespace
