// Writes the day-count golden file from QuantLib (the independent reference).
// Built and run by make_daycount_golden.sh; the tests only read the CSV file it writes.
//
//   daycount_golden.csv: convention,start,end,days,year_fraction

#include <ql/time/daycounters/actual360.hpp>
#include <ql/time/daycounters/actual365fixed.hpp>
#include <ql/time/daycounters/actualactual.hpp>
#include <ql/time/daycounters/thirty360.hpp>
#include <ql/version.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace ql = QuantLib;

namespace {

std::string iso(const ql::Date& date) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", date.year(), static_cast<int>(date.month()),
                date.dayOfMonth());
  return buffer;
}

ql::Date make_date(int year, int month, int day) {
  return ql::Date(day, static_cast<ql::Month>(month), year);
}

std::string number17(double value) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  return buffer;
}

// Dates where conventions disagree: 1sts, mid-months, 28th-31st, every month end, in leap and
// common years, including the century years 2000 (leap) and 2100 (not leap).
std::vector<ql::Date> interesting_dates() {
  std::set<ql::Date> dates;
  for (int year : {2000, 2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026, 2027, 2028, 2100}) {
    for (int month = 1; month <= 12; ++month) {
      const int last = ql::Date::endOfMonth(make_date(year, month, 1)).dayOfMonth();
      for (int day : {1, 15, 28, 29, 30, 31})
        if (day <= last) dates.insert(make_date(year, month, day));
    }
  }
  return {dates.begin(), dates.end()};
}

std::vector<std::pair<ql::Date, ql::Date>> date_pairs() {
  std::vector<std::pair<ql::Date, ql::Date>> pairs;
  // Hand-picked: end-of-February rules, 31sts, year crossings, empty and one-day spans, long spans.
  const int fixed[][6] = {
      {2023, 2, 28, 2023, 3, 31}, {2024, 2, 29, 2024, 3, 31}, {2023, 2, 28, 2024, 2, 29},
      {2024, 2, 29, 2025, 2, 28}, {2024, 2, 28, 2024, 2, 29}, {2024, 2, 29, 2028, 2, 29},
      {2023, 1, 31, 2023, 2, 28}, {2024, 1, 31, 2024, 2, 29}, {2023, 3, 30, 2023, 3, 31},
      {2023, 3, 31, 2023, 4, 30}, {2023, 3, 31, 2023, 5, 31}, {2023, 3, 15, 2023, 3, 31},
      {2023, 12, 31, 2024, 1, 1}, {2023, 12, 31, 2024, 12, 31}, {2024, 12, 31, 2025, 12, 31},
      {2024, 1, 1, 2025, 1, 1},   {2025, 6, 15, 2025, 6, 15},  {2025, 6, 15, 2025, 6, 16},
      {2000, 2, 29, 2100, 2, 28}, {2000, 1, 1, 2100, 12, 31},  {2019, 7, 4, 2028, 11, 30},
      {2100, 2, 28, 2100, 3, 31}, {2100, 2, 28, 2100, 3, 30},  {2022, 2, 28, 2023, 2, 28},
  };
  for (const auto& row : fixed)
    pairs.emplace_back(make_date(row[0], row[1], row[2]), make_date(row[3], row[4], row[5]));

  // Consecutive month ends and the same day one month on: the accrual periods of a monthly loan.
  for (int year : {2023, 2024}) {
    for (int month = 1; month <= 12; ++month) {
      const ql::Date end_of_month = ql::Date::endOfMonth(make_date(year, month, 1));
      pairs.emplace_back(end_of_month, ql::Date::endOfMonth(end_of_month + 1));
      pairs.emplace_back(make_date(year, month, 30 > end_of_month.dayOfMonth() ? 28 : 30),
                         end_of_month + 30);
    }
  }

  // Pseudo-random pairs among the interesting dates (fixed seed: reproducible output).
  const std::vector<ql::Date> dates = interesting_dates();
  std::mt19937 generator(20250331u);
  std::uniform_int_distribution<std::size_t> pick(0, dates.size() - 1);
  for (int i = 0; i < 420; ++i) {
    ql::Date a = dates[pick(generator)], b = dates[pick(generator)];
    if (b < a) std::swap(a, b);
    // Mostly short and medium spans (lease periods), some long.
    if (i % 3 != 0 && b - a > 800) b = a + static_cast<int>((b - a) % 400);
    pairs.emplace_back(a, b);
  }
  return pairs;
}

void write_day_counts(const std::string& path) {
  const std::vector<std::pair<std::string, ql::DayCounter>> conventions = {
      {"ACT/360", ql::Actual360()},
      {"ACT/365F", ql::Actual365Fixed()},
      {"30/360", ql::Thirty360(ql::Thirty360::USA)},
      {"30E/360", ql::Thirty360(ql::Thirty360::European)},
      {"ACT/ACT", ql::ActualActual(ql::ActualActual::ISDA)},
  };
  std::ofstream out(path);
  out << "convention,start,end,days,year_fraction\n";
  const auto pairs = date_pairs();
  for (const auto& [name, counter] : conventions)
    for (const auto& [start, end] : pairs)
      out << name << ',' << iso(start) << ',' << iso(end) << ',' << counter.dayCount(start, end)
          << ',' << number17(counter.yearFraction(start, end)) << '\n';
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUTPUT_DIRECTORY\n", argv[0]);
    return 2;
  }
  const std::string directory = argv[1];
  write_day_counts(directory + "/daycount_golden.csv");
  std::printf("written with QuantLib %s\n", QL_VERSION);
  return 0;
}
