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
  return CurveValues<Num>(curve).at(month);
}

// The deal's market index in deal month `month` (deal::Deal::market_index); call only when it has one.
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

// A quoted rental price as an amount per unit (server or rack) per month: the deal vocabulary's
// one conversion (deal/cluster.hpp), also used by the loader.
using deal::unit_month_price;

// Monthly depreciation of an asset of `cost` placed in service at age 0, for ages [0, months).
// Periods are months: straight line over life_months; declining balance at factor / life_months a
// month, switching to straight line on the remaining base when that is larger (the VDB rule);
// sum-of-years'-digits over life_months periods; MACRS by the IRS table, a twelfth of each
// recovery year's percentage a month.
template <num::Numeric Num>
std::vector<Num> depreciation_schedule(const deal::Depreciation& policy, const Num& full_cost, int months) {
  std::vector<Num> amounts(static_cast<std::size_t>(std::max(months, 0)), Num(0));
  // Bonus depreciation comes off first; the method depreciates what is left.
  const Num bonus = full_cost * as<Num>(policy.bonus_share);
  const Num cost = full_cost - bonus;
  const Num salvage = full_cost * as<Num>(policy.salvage_share);
  const int life = policy.life_months;
  std::visit(
      [&](const auto& method) {
        using Method = std::decay_t<decltype(method)>;
        if constexpr (std::is_same_v<Method, deal::StraightLine>) {
          const Num monthly = fin::sln(cost, salvage, Num(life));
          for (int k = 0; k < std::min(months, life); ++k) amounts[static_cast<std::size_t>(k)] = monthly;
        } else if constexpr (std::is_same_v<Method, deal::DecliningBalance>) {
          const Num rate = as<Num>(method.factor) / Num(life);
          Num book = cost;
          for (int k = 0; k < std::min(months, life); ++k) {
            const Num declining = book * rate;
            const Num straight = (book - salvage) / Num(life - k);
            Num charge = std::max(declining, straight);
            charge = std::min(charge, book - salvage);
            if (charge < 0) charge = 0;
            amounts[static_cast<std::size_t>(k)] = charge;
            book -= charge;
          }
        } else if constexpr (std::is_same_v<Method, deal::SumOfYearsDigits>) {
          for (int k = 0; k < std::min(months, life); ++k)
            amounts[static_cast<std::size_t>(k)] = fin::syd(cost, salvage, Num(life), Num(k + 1));
        } else {
          const auto convention = method.mid_quarter ? fin::MacrsConvention::mid_quarter_4
                                                     : fin::MacrsConvention::half_year;
          const int years = method.recovery_years + 1;
          Num monthly(0);  // a twelfth of the recovery year's percentage, looked up once a year
          for (int k = 0; k < std::min(months, years * 12); ++k) {
            if (k % 12 == 0)
              monthly = cost * num::from_double<Num>(fin::macrs_rate(method.recovery_years, k / 12 + 1, convention)) / Num(12);
            amounts[static_cast<std::size_t>(k)] = monthly;
          }
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
