#pragma once
// Depreciation (book and tax, chosen separately) and residual value.

#include "leasecalc/deal/common.hpp"

#include <variant>

namespace leasecalc::deal {

struct StraightLine {
  bool operator==(const StraightLine&) const = default;
};
// Declining balance and sum-of-years'-digits run by year of the asset's life, allocated to tax
// years (engine/schedules.hpp).
struct DecliningBalance {
  Decimal factor = 2;  // 2 = double-declining; switches to straight line when that is larger
  bool operator==(const DecliningBalance&) const = default;
};
struct SumOfYearsDigits {
  bool operator==(const SumOfYearsDigits&) const = default;
};
// US MACRS (GDS): the IRS percentage table for the recovery class, by tax year.
struct Macrs {
  enum class Convention {
    forty_percent_test,  // mid-quarter for a tax year's property when over 40% of it comes in its last quarter
    half_year,           // forced
    mid_quarter,         // forced: by the quarter of the tax year each delivery is placed in service
  };
  int recovery_years = 5;
  Convention convention = Convention::forty_percent_test;
  bool operator==(const Macrs&) const = default;
};
using DepreciationMethod = std::variant<StraightLine, DecliningBalance, SumOfYearsDigits, Macrs>;

struct Depreciation {
  DepreciationMethod method = StraightLine{};
  int life_months = 60;    // unused by MACRS, whose class sets the life
  Decimal salvage_share = 0;  // of cost, not depreciated
  // Tax only: the share of cost deducted in the month the hardware is placed in service (US bonus
  // depreciation; China's one-off deduction of equipment up to 5M CNY a unit is 100%). The method
  // depreciates the rest.
  Decimal bonus_share = 0;
  bool operator==(const Depreciation&) const = default;
};

// Value of the hardware when it is sold at the horizon, as a share of its cost by age.
struct ResidualShare {
  Decimal share = 0;
};
// A used-GPU price curve by age in months (points interpolated linearly).
struct ResidualCurve {
  Curve share_by_age;
};
// Exponential decay to a floor: share(t) = (1 - floor) e^(-decay t) + floor, t in years.
struct ResidualExponential {
  Decimal floor = 0;
  Decimal annual_decay = 0;
};
using Residual = std::variant<ResidualShare, ResidualCurve, ResidualExponential>;

struct AssetPolicy {
  Depreciation book;
  Depreciation tax;
  Residual residual = ResidualShare{};
};

}  // namespace leasecalc::deal
