#pragma once
// Vocabulary shared by every part of a deal: exact input amounts, rates, time-varying curves.
//
// Inputs are held exactly (num::Decimal, parsed from the model file's text) and converted to the
// engine's numeric type when a deal is projected. Rates are fractions (0.05 = 5%) and always say
// whether they are annual or monthly in their name.

#include "leasecalc/num/numeric.hpp"

#include <boost/date_time/gregorian/gregorian_types.hpp>

#include <string>
#include <vector>

namespace leasecalc::deal {

using num::Decimal;
using Date = boost::gregorian::date;

// Average hours in a month (8,760 / 12): converts per-hour prices and kWh to monthly amounts.
inline const Decimal hours_per_month{730};

// A value that changes over the life of the deal, given at points (month since the deal start,
// value) and interpolated linearly between them; flat before the first and after the last point.
// One point is a constant.
struct Curve {
  struct Point {
    int month = 0;
    Decimal value;
  };
  std::vector<Point> points;

  static Curve constant(Decimal value) { return Curve{{{0, std::move(value)}}}; }
};

// A yearly step-up (escalator): amounts are multiplied by (1 + annual_rate)^k in the k-th year.
struct Escalator {
  Decimal annual_rate = 0;
};

}  // namespace leasecalc::deal
