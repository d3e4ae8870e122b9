#pragma once
// Building blocks of the projection: curves, escalation, depreciation
// schedules and residual values. Each is a small pure function, tested on its own.

#include "leasecalc/deal/asset_policy.hpp"
#include "leasecalc/deal/cluster.hpp"
#include "leasecalc/deal/contract.hpp"
#include "leasecalc/deal/financing.hpp"
#include "leasecalc/fin/depreciation.hpp"
#include "leasecalc/num/numeric.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>
#include <variant>
#include <vector>

namespace leasecalc::engine {

template <num::Numeric Num>
Num as(const deal::Decimal& value) {
  if constexpr (std::same_as<Num, double>) return num::to_double(value);
  else return value;
}

// A curve converted once to the engine's number type, for month-by-month lookups (converting a
// Decimal to double on every lookup would dominate a fast projection).
template <num::Numeric Num>
class CurveValues {
 public:
  explicit CurveValues(const deal::Curve& curve) {
    if (curve.points.empty()) throw std::invalid_argument("a curve needs at least one point");
    for (const auto& point : curve.points) {
      months_.push_back(point.month);
      values_.push_back(as<Num>(point.value));
    }
  }

  // Linear between points, flat outside them.
  Num at(int month) const {
    if (month <= months_.front()) return values_.front();
    if (month >= months_.back()) return values_.back();
    const auto next = static_cast<std::size_t>(std::upper_bound(months_.begin(), months_.end(), month) - months_.begin());
    const std::size_t prev = next - 1;
    const Num weight = Num(month - months_[prev]) / Num(months_[next] - months_[prev]);
    return values_[prev] + (values_[next] - values_[prev]) * weight;
  }

  int last_month() const { return months_.back(); }

 private:
  std::vector<int> months_;
  std::vector<Num> values_;
};

template <num::Numeric Num>
Num curve_at(const deal::Curve& curve, int month) {
  // The same arithmetic as CurveValues::at, converting only the points it reads: a curve of exact
  // decimals costs a conversion per point, and a lookup is made per delivery and month.
  const auto& points = curve.points;
  if (points.empty()) throw std::invalid_argument("a curve needs at least one point");
  if (month <= points.front().month) return as<Num>(points.front().value);
  if (month >= points.back().month) return as<Num>(points.back().value);
  const auto next = std::upper_bound(points.begin(), points.end(), month,
                                     [](int m, const deal::Curve::Point& p) { return m < p.month; });
  const auto prev = next - 1;
  const Num before = as<Num>(prev->value), after = as<Num>(next->value);
  return before + (after - before) * (Num(month - prev->month) / Num(next->month - prev->month));
}

// A scenario device's value in deal month `month` (deal::Deal::market_index, power_index or
// billed_share; after its last month, the last value); call only when it has one.
template <num::Numeric Num>
Num market_index_at(const std::vector<double>& market_index, int month) {
  const auto index = static_cast<std::size_t>(std::clamp(month, 0, static_cast<int>(market_index.size()) - 1));
  return num::from_double<Num>(market_index[index]);
}

// The escalation factor after `whole_years` anniversaries at an annual rate.
template <num::Numeric Num>
Num escalation(const Num& annual_rate, int whole_years) {
  return num::powi(Num(1) + annual_rate, whole_years);
}

// escalation() for a walk of the months: the factor changes once a year, so it is worked out when
// the year changes and read in the months between (in any order of years, the same factors).
template <num::Numeric Num>
class Escalation {
 public:
  explicit Escalation(Num annual_rate) : annual_rate_(std::move(annual_rate)) {}
  const Num& after(int whole_years) {
    if (whole_years != years_) {
      years_ = whole_years;
      factor_ = escalation(annual_rate_, whole_years);
    }
    return factor_;
  }

 private:
  Num annual_rate_;
  int years_ = 0;
  Num factor_{1};  // after no anniversary
};

// A quoted rental price as an amount per unit (server or rack) per month: the deal vocabulary's
// one conversion (deal/cluster.hpp), also used by the loader.
using deal::unit_month_price;

// Where an asset's life starts in the tax year (engine/tax_years.hpp).
struct Placement {
  int first_year_months = 12;  // months in service in its first tax year, its own month included (1-12)
  bool mid_quarter = false;    // MACRS: the 40% test put its tax year's property on mid-quarter
};

// Depreciation by year of the asset's life (years of 12 months from placement in service) of a
// depreciable base of `base` over `life_years` (possibly fractional; a last part year takes what
// is left): declining balance at factor / life a year, switching to straight line on the
// remaining base when that is larger (LibreOffice's VDB, one year at a time; without the switch,
// its DDB); or sum of the years' digits (LibreOffice's SYD).
template <num::Numeric Num>
std::vector<Num> declining_balance_by_year(const Num& cost, const Num& salvage, const Num& life_years,
                                           const Num& factor, bool switch_to_straight_line = true) {
  std::vector<Num> years;
  Num book = cost;
  for (int k = 0; Num(k) < life_years; ++k) {
    const Num remaining = life_years - Num(k);
    const Num left = std::max(book - salvage, Num(0));
    const Num straight = !switch_to_straight_line ? Num(0) : remaining > 1 ? left / remaining : left;
    const Num charge = std::min(std::max(book * factor / life_years, straight), left);
    years.push_back(charge);
    book -= charge;
  }
  return years;
}

template <num::Numeric Num>
std::vector<Num> sum_of_years_digits_by_year(const Num& cost, const Num& salvage, const Num& life_years) {
  std::vector<Num> years;
  const Num base = std::max(cost - salvage, Num(0));
  const Num digits = life_years * (life_years + Num(1)) / Num(2);
  Num taken(0);
  for (int k = 0; Num(k) < life_years; ++k) {
    const Num charge = Num(k + 1) < life_years ? base * (life_years - Num(k)) / digits : base - taken;
    years.push_back(charge);
    taken += charge;
  }
  return years;
}

// Years of the asset's life allocated to tax years: when the asset comes into service with
// `first_year_months` of its first tax year left, that tax year takes that share (m / 12) of the
// life's first year and each later tax year the rest of one life year and the same share of the
// next (the textbook allocation for a part first year; for declining balance without the switch
// it equals the rate on each tax year's opening book value).
template <num::Numeric Num>
std::vector<Num> allocated_to_tax_years(const std::vector<Num>& life_years, int first_year_months) {
  if (first_year_months >= 12) return life_years;
  const Num share = Num(first_year_months) / Num(12);
  std::vector<Num> by_tax_year;
  for (std::size_t k = 0; k <= life_years.size(); ++k) {
    const Num previous = k > 0 ? life_years[k - 1] * (Num(1) - share) : Num(0);
    const Num current = k < life_years.size() ? life_years[k] * share : Num(0);
    by_tax_year.push_back(previous + current);
  }
  return by_tax_year;
}

// Spreads tax-year amounts evenly over the months of each tax year the asset is in service:
// `first_year_months` months for the first, 12 for each later one.
template <num::Numeric Num>
void spread_over_months(const std::vector<Num>& by_tax_year, int first_year_months, std::vector<Num>& amounts) {
  const int months = static_cast<int>(amounts.size());
  int month = 0;
  for (std::size_t y = 0; y < by_tax_year.size() && month < months; ++y) {
    const int in_year = y == 0 ? first_year_months : 12;
    const Num monthly = by_tax_year[y] / Num(in_year);
    for (int k = 0; k < in_year && month < months; ++k) amounts[static_cast<std::size_t>(month++)] = monthly;
  }
}

// Monthly depreciation of an asset of `full_cost` placed in service at age 0, for ages
// [0, months). Straight line runs on months: cost less salvage over life_months. The methods the
// rules define by year run by tax year, each year's amount spread evenly over its months in
// service: declining balance and sum-of-years'-digits over the life's years, allocated to tax
// years (a part first year takes its share); MACRS by the IRS table, recovery year k in the asset's
// k-th tax year, on the half-year convention or, as the model forces or the 40% test decides, the
// mid-quarter convention for the quarter of the tax year the asset came into service.
template <num::Numeric Num>
std::vector<Num> depreciation_schedule(const deal::Depreciation& policy, const Num& full_cost, int months,
                                       const Placement& placement = {}) {
  std::vector<Num> amounts(static_cast<std::size_t>(std::max(months, 0)), Num(0));
  // Bonus depreciation comes off first; the method depreciates what is left.
  const Num bonus = full_cost * as<Num>(policy.bonus_share);
  const Num cost = full_cost - bonus;
  const Num salvage = full_cost * as<Num>(policy.salvage_share);
  const int life = policy.life_months;
  const Num life_years = Num(life) / Num(12);
  std::visit(
      [&](const auto& method) {
        using Method = std::decay_t<decltype(method)>;
        if constexpr (std::is_same_v<Method, deal::StraightLine>) {
          const Num monthly = fin::sln(cost, salvage, Num(life));
          for (int k = 0; k < std::min(months, life); ++k) amounts[static_cast<std::size_t>(k)] = monthly;
        } else if constexpr (std::is_same_v<Method, deal::DecliningBalance>) {
          spread_over_months(allocated_to_tax_years(declining_balance_by_year(cost, salvage, life_years,
                                                                              as<Num>(method.factor)),
                                                    placement.first_year_months),
                             placement.first_year_months, amounts);
        } else if constexpr (std::is_same_v<Method, deal::SumOfYearsDigits>) {
          spread_over_months(allocated_to_tax_years(sum_of_years_digits_by_year(cost, salvage, life_years),
                                                    placement.first_year_months),
                             placement.first_year_months, amounts);
        } else {
          using Convention = deal::Macrs::Convention;
          const bool mid_quarter = method.convention == Convention::mid_quarter ||
                                   (method.convention == Convention::forty_percent_test && placement.mid_quarter);
          const int quarter = (12 - placement.first_year_months) / 3;  // 0-3: the quarter of the tax year
          const auto convention = !mid_quarter ? fin::MacrsConvention::half_year
                                               : static_cast<fin::MacrsConvention>(
                                                     static_cast<int>(fin::MacrsConvention::mid_quarter_1) + quarter);
          std::vector<Num> by_tax_year;
          for (int year = 1; year <= method.recovery_years + 1; ++year)
            by_tax_year.push_back(cost *
                                  num::from_double<Num>(fin::macrs_rate(method.recovery_years, year, convention)));
          spread_over_months(by_tax_year, placement.first_year_months, amounts);
        }
      },
      policy.method);
  if (!amounts.empty()) amounts.front() += bonus;
  return amounts;
}

// The residual value of hardware `age_months` old, as a share of its cost.
template <num::Numeric Num>
Num residual_share(const deal::Residual& residual, int age_months) {
  return std::visit(
      [&](const auto& rule) -> Num {
        using Rule = std::decay_t<decltype(rule)>;
        if constexpr (std::is_same_v<Rule, deal::ResidualShare>) {
          return as<Num>(rule.share);
        } else if constexpr (std::is_same_v<Rule, deal::ResidualCurve>) {
          return curve_at<Num>(rule.share_by_age, age_months);
        } else {
          const Num floor = as<Num>(rule.floor);
          const Num years = Num(age_months) / Num(12);
          return (Num(1) - floor) * num::exp(-as<Num>(rule.annual_decay) * years) + floor;
        }
      },
      residual);
}

}  // namespace leasecalc::engine
