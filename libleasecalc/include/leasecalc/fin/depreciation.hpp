#pragma once
// Depreciation methods with spreadsheet semantics (SLN, SYD, DB, DDB, VDB, computed as LibreOffice
// Calc computes them, so a user can check any figure against a sheet) and the US tax method MACRS
// (the GDS percentage tables of IRS Publication 946, derived by the IRS method).
//
// Periods are 1-based as in the spreadsheet: period 1 is the first year (or month) of the life.
// Bad arguments throw std::invalid_argument naming the argument and what was expected.

#include "leasecalc/num/numeric.hpp"
#include "leasecalc/num/rounding.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace leasecalc::fin {

namespace depreciation_detail {

inline std::string describe(double value) {
  char buffer[32];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return ec == std::errc{} ? std::string(buffer, end) : std::string("?");
}
inline std::string describe(const num::Decimal& value) { return describe(num::to_double(value)); }

// Written as "argument ok?" so that NaN, which fails every comparison, is rejected too.
template <num::Numeric Num>
void require(bool accepted, const char* function, const char* argument, const std::string& expected,
             const Num& actual) {
  if (!accepted)
    throw std::invalid_argument(std::string(function) + ": " + argument + " must be " + expected +
                                ", got " + describe(actual));
}

// LibreOffice floors and compares periods after snapping values within a few ulps of an integer
// (rtl::math::approxFloor / approxEqual), so 2.9999999999999996 counts as period 3. Decimal
// arithmetic has no such noise and stays exact.
template <num::Numeric Num>
Num snap_to_integer(const Num& x) {
  if constexpr (std::same_as<Num, double>) {
    const double nearest = std::round(x);
    return std::fabs(x - nearest) <= std::fabs(x) * 0x1p-48 ? nearest : x;
  } else {
    return x;
  }
}
template <num::Numeric Num>
Num approx_floor(const Num& x) { return num::floor(snap_to_integer(x)); }
template <num::Numeric Num>
Num approx_ceil(const Num& x) { return num::ceil(snap_to_integer(x)); }

template <num::Numeric Num>
long long whole_count(const Num& integral_value) {
  return static_cast<long long>(num::to_double(integral_value));
}

// base^exponent; exact in Decimal for whole exponents (the usual case: whole periods).
template <num::Numeric Num>
Num power(const Num& base, const Num& exponent) {
  if constexpr (std::same_as<Num, double>) {
    return std::pow(base, exponent);  // the spreadsheet's own operation, for bit-level agreement
  } else {
    if (num::floor(exponent) == exponent) return num::powi(base, whole_count(exponent));
    if (base == 0) return Num(0);  // exponent > 0 here: a fully written-off balance stays at 0
    return num::pow(base, exponent);
  }
}

// A running total of depreciation amounts. In double it is compensated (Neumaier) and holds back
// the latest term, so that a final term cancelling the total to within rounding gives exactly 0:
// LibreOffice sums these functions the same way (its KahanSum), and so agrees with the books to
// the last digit, e.g. VDB(0, 4) of 123456.78 down to salvage 4321.09 is exactly 119135.69.
// Decimal sums are exact enough as they are.
template <num::Numeric Num>
class DepreciationSum {
 public:
  DepreciationSum() = default;
  explicit DepreciationSum(const Num& start) : sum_(start) {}

  void add(const Num& term) {
    if constexpr (std::same_as<Num, double>) {
      if (term == 0) return;
      if (held_ != 0) add_compensated(held_);
      held_ = term;
    } else {
      sum_ += term;
    }
  }

  Num total() const {
    if constexpr (std::same_as<Num, double>) {
      if (held_ == 0) return sum_ + error_;
      const double so_far = sum_ + error_;
      const bool opposite_signs = (held_ < 0 && so_far > 0) || (held_ > 0 && so_far < 0);
      if (opposite_signs && std::fabs(held_ + so_far) < std::fabs(held_) * 0x1p-48) return 0;
      DepreciationSum copy = *this;
      copy.add_compensated(held_);
      return copy.sum_ + copy.error_;
    } else {
      return sum_;
    }
  }

 private:
  void add_compensated(double term) {
    const double next = sum_ + term;
    error_ += std::fabs(sum_) >= std::fabs(term) ? (sum_ - next) + term : (term - next) + sum_;
    sum_ = next;
  }

  Num sum_{0};
  Num error_{0};
  Num held_{0};
};

// x^(1/n) for DB's rate. In Decimal an exact root (0.76825225^(1/2) = 0.8765) comes out exact, so
// rounding the rate to 3 decimals cannot tip the wrong way at a tie.
template <num::Numeric Num>
Num root(const Num& x, const Num& n) {
  if constexpr (std::same_as<Num, double>) {
    return std::pow(x, 1.0 / n);  // as the spreadsheet computes it
  } else {
    if (x == 0) return Num(0);
    const Num approximate = num::pow(x, Num(1) / n);
    if (num::floor(n) == n) {
      const Num candidate = num::round_to(approximate, 30);
      if (num::powi(candidate, whole_count(n)) == x) return candidate;
    }
    return approximate;
  }
}

// One period of declining balance (LibreOffice's ScGetDDB): the drop in book value over
// `period`, never taking the book value below salvage. `period` may be fractional.
template <num::Numeric Num>
Num declining_balance_period(const Num& cost, const Num& salvage, const Num& life,
                             const Num& period, const Num& factor) {
  Num rate = factor / life;
  Num value_before_period;
  if (rate >= 1) {
    rate = Num(1);  // the whole cost goes in the first period
    value_before_period = period == 1 ? cost : Num(0);
  } else {
    value_before_period = cost * power(Num(1) - rate, period - Num(1));
  }
  const Num value_after_period = cost * power(Num(1) - rate, period);
  const Num amount = value_after_period < salvage ? value_before_period - salvage
                                                  : value_before_period - value_after_period;
  return amount < 0 ? Num(0) : amount;
}

// Declining balance over the whole periods 1..`periods` of an asset with `remaining_life`
// periods to go, switching for good to straight line on the remaining depreciable base once that
// gives more (LibreOffice's ScInterVDB; `life` sets the declining-balance rate).
template <num::Numeric Num>
Num declining_balance_with_switch(const Num& cost, const Num& salvage, const Num& life,
                                  const Num& remaining_life, long long periods, const Num& factor) {
  DepreciationSum<Num> total;
  Num remaining_base = cost - salvage;
  Num straight_line_amount(0);
  bool straight_line = false;
  for (long long i = 1; i <= periods; ++i) {
    if (straight_line) {
      total.add(straight_line_amount);
      continue;
    }
    const Num declining = declining_balance_period(cost, salvage, life, Num(i), factor);
    straight_line_amount = remaining_base / (remaining_life - Num(i - 1));
    if (straight_line_amount > declining) {
      total.add(straight_line_amount);
      straight_line = true;
    } else {
      total.add(declining);
      remaining_base -= declining;
    }
  }
  return total.total();
}

// DB and VDB step through the life period by period, as the spreadsheet does. No asset has a life
// of more periods than this (over 8,000 years of months), and a call past it would run for minutes.
inline constexpr int max_stepped_periods = 100000;

template <num::Numeric Num>
void require_stepped_life(const char* function, const Num& life) {
  require(life <= Num(max_stepped_periods), function, "life", "at most 100000 periods", life);
}

template <num::Numeric Num>
void require_cost_salvage_life(const char* function, const Num& cost, const Num& salvage,
                               const Num& life) {
  require(cost >= 0, function, "cost", ">= 0", cost);
  require(salvage >= 0, function, "salvage", ">= 0", salvage);
  require(life > 0, function, "life", "> 0", life);
}

}  // namespace depreciation_detail

// Straight line: the same amount each period.
template <num::Numeric Num>
Num sln(const Num& cost, const Num& salvage, const Num& life) {
  depreciation_detail::require_cost_salvage_life("SLN", cost, salvage, life);
  return (cost - salvage) / life;
}

// Sum of the years' digits: period p gets (life - p + 1) parts of life (life + 1) / 2.
template <num::Numeric Num>
Num syd(const Num& cost, const Num& salvage, const Num& life, const Num& period) {
  using depreciation_detail::describe;
  depreciation_detail::require_cost_salvage_life("SYD", cost, salvage, life);
  depreciation_detail::require(period >= 1 && period <= life, "SYD", "period",
                               "between 1 and life (" + describe(life) + ")", period);
  return ((cost - salvage) * (life - period + Num(1))) / ((life * (life + Num(1))) / Num(2));
}

// Fixed-declining balance: a rate of 1 - (salvage/cost)^(1/life) rounded to 3 decimals, applied
// to the book value each period. The first period covers `month` months; when that is less than
// 12, period life + 1 takes the remaining (12 - month) months. A fractional period counts as its
// whole part, as in the spreadsheet.
template <num::Numeric Num>
Num db(const Num& cost, const Num& salvage, const Num& life, const Num& period,
       const Num& month = Num(12)) {
  using depreciation_detail::approx_floor;
  using depreciation_detail::describe;
  using depreciation_detail::require;
  require(cost > 0, "DB", "cost", "> 0", cost);
  require(salvage >= 0 && salvage <= cost, "DB", "salvage", "between 0 and cost (" + describe(cost) + ")",
          salvage);
  require(life > 0, "DB", "life", "> 0", life);
  depreciation_detail::require_stepped_life("DB", life);
  const Num months = approx_floor(month);
  require(months >= 1 && months <= 12, "DB", "month", "between 1 and 12", month);
  const Num last_period = months < 12 ? life + Num(1) : life;
  require(period >= 1 && period <= last_period, "DB", "period",
          "between 1 and " + std::string(months < 12 ? "life + 1 (" : "life (") +
              describe(last_period) + ")",
          period);

  // Rounded half up to 3 decimals; exact in Decimal.
  Num rate = Num(1) - depreciation_detail::root(salvage / cost, life);
  rate = approx_floor(rate * Num(1000) + Num(1) / Num(2)) / Num(1000);

  // A full first year skips the x 12 / 12, which Decimal division would leave a hair off exact.
  const Num first_period = months == 12 ? cost * rate : cost * rate * months / Num(12);
  if (approx_floor(period) == 1) return first_period;
  depreciation_detail::DepreciationSum<Num> accumulated(first_period);
  const auto book_value = [&] {
    auto difference = accumulated;
    difference.add(-cost);
    return -difference.total();
  };
  Num amount(0);
  const long long last_full_period =
      depreciation_detail::whole_count(approx_floor(std::min(life, period)));
  for (long long i = 2; i <= last_full_period; ++i) {
    amount = book_value() * rate;
    accumulated.add(amount);
  }
  if (period > life) amount = book_value() * rate * (Num(12) - months) / Num(12);
  return amount;
}

// Declining balance at `factor` / life per period (double declining by default), never below
// salvage. A fractional period is allowed, as in LibreOffice: the book value decays continuously.
template <num::Numeric Num>
Num ddb(const Num& cost, const Num& salvage, const Num& life, const Num& period,
        const Num& factor = Num(2)) {
  using depreciation_detail::describe;
  using depreciation_detail::require;
  depreciation_detail::require_cost_salvage_life("DDB", cost, salvage, life);
  require(salvage <= cost, "DDB", "salvage", "<= cost (" + describe(cost) + ")", salvage);
  require(factor > 0, "DDB", "factor", "> 0", factor);
  require(period >= 1 && period <= life, "DDB", "period", "between 1 and life (" + describe(life) + ")",
          period);
  return depreciation_detail::declining_balance_period(cost, salvage, life, period, factor);
}

// Variable declining balance over (start_period, end_period], both counted from 0 = the start of
// the life and possibly fractional. Declining balance at `factor` / life switches to straight
// line on the remaining base once that is larger, unless `no_switch`. Follows LibreOffice's
// ScVDB: with a fractional start or end it depreciates over the enclosing whole periods and
// subtracts the unused fractions of the first and last of them.
template <num::Numeric Num>
Num vdb(const Num& cost, const Num& salvage, const Num& life, const Num& start_period,
        const Num& end_period, const Num& factor = Num(2), bool no_switch = false) {
  using depreciation_detail::approx_ceil;
  using depreciation_detail::approx_floor;
  using depreciation_detail::declining_balance_period;
  using depreciation_detail::declining_balance_with_switch;
  using depreciation_detail::describe;
  using depreciation_detail::require;
  using depreciation_detail::snap_to_integer;
  using depreciation_detail::whole_count;
  depreciation_detail::require_cost_salvage_life("VDB", cost, salvage, life);
  depreciation_detail::require_stepped_life("VDB", life);
  require(salvage <= cost, "VDB", "salvage", "<= cost (" + describe(cost) + ")", salvage);
  require(factor > 0, "VDB", "factor", "> 0", factor);
  require(start_period >= 0 && start_period <= life, "VDB", "start_period",
          "between 0 and life (" + describe(life) + ")", start_period);
  require(end_period >= start_period && end_period <= life, "VDB", "end_period",
          "between start_period (" + describe(start_period) + ") and life (" + describe(life) + ")",
          end_period);

  const Num whole_start = approx_floor(start_period);
  const Num whole_end = approx_ceil(end_period);
  const long long first = whole_count(whole_start);
  const long long last = whole_count(whole_end);

  if (no_switch) {
    depreciation_detail::DepreciationSum<Num> total;
    for (long long i = first + 1; i <= last; ++i) {
      Num amount = declining_balance_period(cost, salvage, life, Num(i), factor);
      if (i == first + 1)
        amount *= std::min(end_period, whole_start + Num(1)) - start_period;
      else if (i == last)
        amount *= end_period + Num(1) - whole_end;
      total.add(amount);
    }
    return total.total();
  }

  // The switch to straight line depends on the whole history, so each piece restarts from the
  // book value at its first whole period.
  const auto book_value_after = [&](long long periods) {
    return cost - declining_balance_with_switch(cost, salvage, life, life, periods, factor);
  };
  const auto one_period_from = [&](long long periods_done) {
    return declining_balance_with_switch(book_value_after(periods_done), salvage, life,
                                         life - Num(periods_done), 1, factor);
  };
  Num unused_fractions(0);
  if (snap_to_integer(start_period) != whole_start)
    unused_fractions += (start_period - whole_start) * one_period_from(first);
  if (snap_to_integer(end_period) != whole_end)
    unused_fractions += (whole_end - end_period) * one_period_from(last - 1);
  depreciation_detail::DepreciationSum<Num> total(declining_balance_with_switch(
      book_value_after(first), salvage, life, life - whole_start, last - first, factor));
  total.add(-unused_fractions);
  return total.total();
}

// ---- MACRS (US tax depreciation, General Depreciation System) ---------------------------------

enum class MacrsConvention {
  half_year,      // placed in service mid-year
  mid_quarter_1,  // placed in service mid-way through the first quarter of the tax year
  mid_quarter_2,
  mid_quarter_3,
  mid_quarter_4,
};

// The conventions' names, one set for model files (`depreciation.tax.convention`) and
// `leasecalc calc macrs`: `half_year`, or `mid_quarter` with the quarter of the tax year the
// property is placed in service in (1 to 4).
inline constexpr std::string_view macrs_half_year_name = "half_year";
inline constexpr std::string_view macrs_mid_quarter_name = "mid_quarter";

// The convention called `name` for property placed in service in `quarter` (read for mid_quarter
// only); none when `name` is neither name or the quarter is not 1 to 4.
constexpr std::optional<MacrsConvention> macrs_convention_named(std::string_view name, int quarter = 4) {
  if (name == macrs_half_year_name) return MacrsConvention::half_year;
  if (name != macrs_mid_quarter_name) return std::nullopt;
  switch (quarter) {
    case 1: return MacrsConvention::mid_quarter_1;
    case 2: return MacrsConvention::mid_quarter_2;
    case 3: return MacrsConvention::mid_quarter_3;
    case 4: return MacrsConvention::mid_quarter_4;
    default: return std::nullopt;
  }
}

namespace macrs_detail {

// A table entry as an exact fraction of cost: units / scale.
struct Rate {
  std::int64_t units;
  std::int64_t scale;
};

constexpr bool is_gds_class(int recovery_years) {
  return recovery_years == 3 || recovery_years == 5 || recovery_years == 7 ||
         recovery_years == 10 || recovery_years == 15 || recovery_years == 20;
}

// Eighths of a year the asset is in service in its first tax year: half a year, or from the
// middle of the quarter placed in service to the year end (10.5, 7.5, 4.5, 1.5 months).
constexpr std::int64_t first_year_eighths(MacrsConvention convention) {
  switch (convention) {
    case MacrsConvention::half_year: return 4;
    case MacrsConvention::mid_quarter_1: return 7;
    case MacrsConvention::mid_quarter_2: return 5;
    case MacrsConvention::mid_quarter_3: return 3;
    case MacrsConvention::mid_quarter_4: return 1;
  }
  return 0;
}

// a / b rounded half up, for a >= 0 and b > 0.
constexpr std::int64_t divide_rounding_half_up(std::int64_t a, std::int64_t b) {
  return (2 * a + b) / (2 * b);
}

// The IRS method behind the Pub 946 tables: 200% declining balance (150% for 15- and 20-year
// property) switching to straight line over the remaining recovery period when that is larger,
// the first year scaled by the convention, the last year (N + 1) taking what is left. Each year
// is computed on the *rounded* remaining balance and rounded to the published precision
// (hundredths of a percent; thousandths for 20-year property): that is what makes the published
// tables sum to exactly 100% (7-year: 8.93, 8.92, 8.93 rather than 8.92 three times).
// Preconditions: is_gds_class(recovery_years), 1 <= year <= recovery_years + 1.
constexpr Rate gds_rate(int recovery_years, int year, MacrsConvention convention) {
  const std::int64_t years = recovery_years;
  const std::int64_t scale = recovery_years == 20 ? 100'000 : 10'000;
  // Declining-balance rate per year = rate_numerator / rate_denominator.
  const std::int64_t rate_numerator = recovery_years >= 15 ? 3 : 2;
  const std::int64_t rate_denominator = recovery_years >= 15 ? 2 * years : years;
  const std::int64_t first_eighths = first_year_eighths(convention);

  std::int64_t remaining = scale;
  std::int64_t amount =
      divide_rounding_half_up(scale * rate_numerator * first_eighths, rate_denominator * 8);
  for (int y = 2; y <= year; ++y) {
    remaining -= amount;
    if (y == recovery_years + 1) {
      amount = remaining;
      break;
    }
    // Remaining recovery period at the start of year y, in eighths of a year.
    const std::int64_t remaining_eighths = 8 * years - first_eighths - 8 * (y - 2);
    // Compare remaining x rate (declining) with remaining x 8 / remaining_eighths (straight line).
    const bool declining_larger = rate_numerator * remaining_eighths > 8 * rate_denominator;
    amount = declining_larger
                 ? divide_rounding_half_up(remaining * rate_numerator, rate_denominator)
                 : divide_rounding_half_up(remaining * 8, remaining_eighths);
    amount = std::min(amount, remaining);
  }
  return {amount, scale};
}

inline Rate checked_gds_rate(int recovery_years, int year, MacrsConvention convention) {
  if (!is_gds_class(recovery_years))
    throw std::invalid_argument("MACRS: recovery_years must be one of 3, 5, 7, 10, 15, 20, got " +
                                std::to_string(recovery_years));
  if (year < 1 || year > recovery_years + 1)
    throw std::invalid_argument("MACRS: year must be between 1 and recovery_years + 1 (" +
                                std::to_string(recovery_years + 1) + "), got " +
                                std::to_string(year));
  if (first_year_eighths(convention) == 0)
    throw std::invalid_argument("MACRS: convention must be half_year or mid_quarter_1..4");
  return gds_rate(recovery_years, year, convention);
}

}  // namespace macrs_detail

// Rate (fraction of cost) of recovery year `year` (1-based) for GDS property of 3, 5, 7, 10, 15,
// 20 years: Pub 946 table A-1 (half-year) or A-2..A-5 (mid-quarter, by quarter placed in service).
inline double macrs_rate(int recovery_years, int year,
                         MacrsConvention convention = MacrsConvention::half_year) {
  const auto rate = macrs_detail::checked_gds_rate(recovery_years, year, convention);
  return static_cast<double>(rate.units) / static_cast<double>(rate.scale);
}

// MACRS deduction for recovery year `year`: cost x table rate (exact in Decimal).
template <num::Numeric Num>
Num macrs(const Num& cost, int recovery_years, int year,
          MacrsConvention convention = MacrsConvention::half_year) {
  depreciation_detail::require(cost >= 0, "MACRS", "cost", ">= 0", cost);
  const auto rate = macrs_detail::checked_gds_rate(recovery_years, year, convention);
  return cost * Num(rate.units) / Num(rate.scale);
}

}  // namespace leasecalc::fin
