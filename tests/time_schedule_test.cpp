// Payment schedules: checked against QuantLib 1.29 MakeSchedule (tests/golden/schedule_golden.csv,
// written by make_daycount_golden.sh) and against the invariants every schedule must keep.

#include "leasecalc/time/schedule.hpp"

#include "support/csv.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace leasecalc::time;

Date d(const char* iso) { return parse_date(iso); }

using leasecalc::test::split;

Frequency frequency_of_months(int months) {
  for (const Frequency frequency : all_frequencies)
    if (months_per_period(frequency) == months) return frequency;
  throw std::invalid_argument("no frequency of " + std::to_string(months) + " months");
}

std::string describe(const Schedule& schedule) {
  std::string text;
  for (const Date date : schedule.dates()) text += format_date(date) + " ";
  return text;
}

// The invariants of any schedule from `start` to `end`.
void expect_tiles_the_span(const Schedule& schedule, Date start, Date end, const ScheduleRules& rules) {
  ASSERT_FALSE(schedule.empty());
  EXPECT_EQ(schedule.start_date(), start);
  EXPECT_EQ(schedule.end_date(), end);
  const int step = months_per_period(rules.frequency);
  int stubs = 0;
  for (std::size_t i = 0; i < schedule.size(); ++i) {
    const Period& period = schedule[i];
    EXPECT_LT(period.start, period.end) << describe(schedule);
    if (i + 1 < schedule.size()) {
      EXPECT_EQ(period.end, schedule[i + 1].start) << describe(schedule);
    }
    EXPECT_EQ(period.payment,
              rules.payment_timing == PaymentTiming::in_advance ? period.start : period.end);
    if (period.regular) {
      EXPECT_EQ(months_between(period.start, period.end), step) << describe(schedule);
    } else {
      ++stubs;
      const std::size_t expected_index = rules.stub == Stub::short_first ? 0 : schedule.size() - 1;
      EXPECT_EQ(i, expected_index) << describe(schedule);
    }
  }
  ASSERT_LE(stubs, 1);
  // A stub is short: one more whole period from the anchor would overshoot the other end.
  const int regular_periods = static_cast<int>(schedule.size()) - stubs;
  if (stubs == 1 && rules.stub == Stub::short_last) {
    EXPECT_GT(add_months(start, (regular_periods + 1) * step, rules.end_of_month), end)
        << describe(schedule);
  }
  if (stubs == 1 && rules.stub == Stub::short_first) {
    EXPECT_LT(add_months(end, -(regular_periods + 1) * step, rules.end_of_month), start)
        << describe(schedule);
  }
}

TEST(Schedule, MatchesQuantLibGolden) {
  std::ifstream in(LEASECALC_SOURCE_DIR "/tests/golden/schedule_golden.csv");
  ASSERT_TRUE(in.good()) << "missing tests/golden/schedule_golden.csv";
  std::string line;
  std::getline(in, line);
  ASSERT_EQ(line, "start,end,months_per_period,end_of_month,stub,dates,regular");
  int rows = 0;
  while (std::getline(in, line)) {
    const auto fields = split(line, ',');
    ASSERT_EQ(fields.size(), 7u) << line;
    const Date start = parse_date(fields[0]), end = parse_date(fields[1]);
    const ScheduleRules rules{
        .frequency = frequency_of_months(std::stoi(fields[2])),
        .end_of_month = fields[3] == "1" ? EndOfMonth::on : EndOfMonth::off,
        .stub = fields[4] == "short_first" ? Stub::short_first : Stub::short_last,
    };
    std::vector<Date> expected;
    for (const std::string& text : split(fields[5], ' ')) expected.push_back(parse_date(text));
    const std::string& regular = fields[6];

    const Schedule schedule = make_schedule(start, end, rules);
    ASSERT_EQ(schedule.dates(), expected) << line << "\n got " << describe(schedule);
    ASSERT_EQ(regular.size(), schedule.size()) << line;
    for (std::size_t i = 0; i < schedule.size(); ++i)
      EXPECT_EQ(schedule[i].regular, regular[i] == '1') << line << " period " << i;
    expect_tiles_the_span(schedule, start, end, rules);
    ++rows;
  }
  EXPECT_GT(rows, 1000);
}

TEST(Schedule, MonthEndLeaseWithoutDrift) {
  const Schedule schedule =
      make_schedule(d("2025-01-31"), d("2026-01-31"), {.end_of_month = EndOfMonth::on});
  ASSERT_EQ(schedule.size(), 12u);
  for (const Period& period : schedule) {
    EXPECT_TRUE(period.regular);
    EXPECT_TRUE(is_end_of_month(period.end)) << format_date(period.end);
    EXPECT_EQ(period.payment, period.end);
  }
  EXPECT_EQ(schedule[0].end, d("2025-02-28"));
  EXPECT_EQ(schedule[1].end, d("2025-03-31"));
}

TEST(Schedule, QuarterlyInAdvanceWithShortStubs) {
  const ScheduleRules last{.frequency = Frequency::quarterly, .end_of_month = EndOfMonth::off,
                           .stub = Stub::short_last, .payment_timing = PaymentTiming::in_advance};
  const Schedule with_last_stub = make_schedule(d("2025-01-15"), d("2025-12-01"), last);
  EXPECT_EQ(with_last_stub.dates(),
            (std::vector<Date>{d("2025-01-15"), d("2025-04-15"), d("2025-07-15"), d("2025-10-15"),
                               d("2025-12-01")}));
  EXPECT_FALSE(with_last_stub.periods.back().regular);
  EXPECT_EQ(with_last_stub[0].payment, d("2025-01-15"));

  ScheduleRules first = last;
  first.stub = Stub::short_first;
  const Schedule with_first_stub = make_schedule(d("2025-01-15"), d("2025-12-01"), first);
  EXPECT_EQ(with_first_stub.dates(),
            (std::vector<Date>{d("2025-01-15"), d("2025-03-01"), d("2025-06-01"), d("2025-09-01"),
                               d("2025-12-01")}));
  EXPECT_FALSE(with_first_stub[0].regular);
  EXPECT_TRUE(with_first_stub[1].regular);
}

TEST(Schedule, SpanShorterThanAPeriodIsOneStub) {
  const Schedule schedule =
      make_schedule(d("2025-01-15"), d("2025-02-01"), {.frequency = Frequency::annual});
  ASSERT_EQ(schedule.size(), 1u);
  EXPECT_FALSE(schedule[0].regular);
  EXPECT_EQ(schedule[0].payment, d("2025-02-01"));
}

TEST(Schedule, NumberOfPeriodsMatchesTheEndDateForm) {
  for (const Frequency frequency : all_frequencies)
    for (const EndOfMonth rule : {EndOfMonth::off, EndOfMonth::on})
      for (const char* start_text : {"2024-02-29", "2025-01-31", "2025-03-15", "2025-04-30"})
        for (int periods : {1, 2, 5, 12, 61}) {
          const ScheduleRules rules{.frequency = frequency, .end_of_month = rule};
          const Date start = d(start_text);
          const Schedule counted = make_schedule(start, periods, rules);
          ASSERT_EQ(counted.size(), static_cast<std::size_t>(periods));
          const Date end = add_months(start, periods * months_per_period(frequency), rule);
          EXPECT_EQ(counted.end_date(), end);
          for (const Period& period : counted) EXPECT_TRUE(period.regular);
          // Asking for the end date instead of the count gives the same schedule.
          EXPECT_EQ(make_schedule(start, end, rules), counted);
          expect_tiles_the_span(counted, start, end, rules);
        }
}

// Day-of-month at most 28 and no end-of-month rule: every date keeps its day, so the count of
// regular periods is the whole months divided by the step.
TEST(Schedule, PeriodCountFollowsWholeMonths) {
  for (const Frequency frequency : all_frequencies)
    for (const Stub stub : {Stub::short_first, Stub::short_last})
      for (int start_day : {1, 10, 28})
        for (int end_offset_days : {0, 3, 17, 45})
          for (int months : {1, 4, 11, 12, 25, 120}) {
            const Date start(2024, 1, static_cast<unsigned short>(start_day));
            const Date end = add_months(start, months, EndOfMonth::off) +
                             boost::gregorian::days(end_offset_days);
            const ScheduleRules rules{.frequency = frequency, .end_of_month = EndOfMonth::off,
                                      .stub = stub};
            const Schedule schedule = make_schedule(start, end, rules);
            expect_tiles_the_span(schedule, start, end, rules);
            std::size_t regular = 0;
            for (const Period& period : schedule) regular += period.regular ? 1 : 0;
            const int step = months_per_period(frequency);
            const int whole = months_between(start, end);
            if (stub == Stub::short_last) {
              EXPECT_EQ(regular, static_cast<std::size_t>(whole / step));
            }
            const bool exact = whole % step == 0 && add_months(start, whole, EndOfMonth::off) == end;
            EXPECT_EQ(schedule.size(), regular + (exact ? 0 : 1));
          }
}

TEST(Schedule, BadInputThrows) {
  EXPECT_THROW(make_schedule(d("2025-03-31"), d("2025-03-31")), std::invalid_argument);
  EXPECT_THROW(make_schedule(d("2025-03-31"), d("2025-01-31")), std::invalid_argument);
  EXPECT_THROW(make_schedule(d("2025-03-31"), 0), std::invalid_argument);
  EXPECT_THROW(make_schedule(d("2025-03-31"), -3), std::invalid_argument);
}

}  // namespace
