#pragma once
// Tax years: fiscal years starting on the first of the deal's fiscal-year month (January, so
// calendar years, by default), cut to the deal's horizon. The first is short when the deal starts
// inside a fiscal year, the last when the horizon ends inside one. Months are deal months: month m
// falls in the fiscal year of the calendar month it starts in.

#include "leasecalc/deal/common.hpp"

#include <algorithm>
#include <vector>

namespace leasecalc::engine {

struct TaxYear {
  int first_month;  // deal months [first_month, end_month)
  int end_month;
};

// The calendar month (1-12) of deal month m.
inline int calendar_month(deal::Date start, int m) { return (static_cast<int>(start.month()) - 1 + m) % 12 + 1; }

inline std::vector<TaxYear> tax_years(deal::Date start, int horizon_months, int fiscal_year_start_month) {
  std::vector<TaxYear> years;
  years.reserve(static_cast<std::size_t>(std::max(horizon_months, 0)) / 12 + 2);  // one allocation, not one a doubling
  // A fiscal year begins at month m when m - offset is a multiple of 12 (the start's month is read
  // once: each read is a calendar conversion); the first after month 0 is at the offset, or 12.
  const int offset = (fiscal_year_start_month - static_cast<int>(start.month()) + 12) % 12;
  int first = 0;
  for (int next = offset == 0 ? 12 : offset; first < horizon_months; next += 12) {
    const int end = std::min(next, horizon_months);
    years.push_back({first, end});
    first = end;
  }
  return years;
}

// The months from deal month m to the end of its fiscal year, m's own included (1 to 12),
// whatever the horizon.
inline int months_left_in_fiscal_year(deal::Date start, int m, int fiscal_year_start_month) {
  const int into_year = (calendar_month(start, m) - fiscal_year_start_month + 12) % 12;  // 0 = first month
  return 12 - into_year;
}

}  // namespace leasecalc::engine
