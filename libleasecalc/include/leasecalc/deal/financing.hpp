#pragma once
// Debt: term loans and finance leases drawn on the capex dates. Equity funds the rest, and
// receives the cash left at each distribution date.

#include "leasecalc/deal/common.hpp"
#include "leasecalc/time/day_count.hpp"

#include <optional>
#include <string>
#include <vector>

namespace leasecalc::deal {

enum class Amortisation {
  annuity,        // level payments of principal and interest
  straight_line,  // equal principal each month
  bullet,         // all principal at maturity
  balloon,        // level payments leaving `balloon_share` of the amount drawn at maturity
};

// How the annual rate becomes a month's interest: `simple` charges rate x year fraction (a
// nominal rate, e.g. 5%/12 a month under 30/360), `annual` compounds ((1 + rate)^fraction - 1).
enum class Compounding { simple, annual };

// Whose term a drawing follows: `common`, one loan whose term runs from the first drawing (later
// drawings join its schedule); `per_draw`, each drawing a loan of its own, its term (and grace)
// running from its own drawing, as in a delayed-draw facility.
enum class Maturity { common, per_draw };

// A floating rate: each month's all-in rate is the base rate set at the month's start (the reset),
// floored, plus the margin then in force. The base is a step curve: each point's rate holds from
// its date to the next point's (before the first point, the first point's rate), as a loan resets
// to the fixing of its reset date and keeps it for the period; a flat base is a single point.
struct BaseRatePoint {
  Date date;
  Decimal rate = 0;
};
struct MarginStep {
  Date from;            // the margin applies to months starting on or after this date
  Decimal margin = 0;
};
struct FloatingRate {
  std::vector<BaseRatePoint> base;  // by date, at least one point
  Decimal margin = 0;
  Decimal floor = 0;                // on the base rate, as SOFR floors are written
  std::vector<MarginStep> margin_steps;  // by date
};

// The all-in annual rate of a month starting on `reset`.
inline Decimal all_in_rate(const FloatingRate& floating, Date reset) {
  Decimal base = floating.base.front().rate;
  for (const auto& point : floating.base)
    if (point.date <= reset) base = point.rate;
  Decimal margin = floating.margin;
  for (const auto& step : floating.margin_steps)
    if (step.from <= reset) margin = step.margin;
  return (base < floating.floor ? floating.floor : base) + margin;
}

// Where a tranche stands in the waterfall: `senior`, serviced first; `junior`, serviced from the
// cash left after the senior debt service and the reserve, its unpaid service deferred
// (engine/phases/waterfall.hpp). A model has at most one junior tranche.
enum class Rank { senior, junior };

struct DebtTranche {
  enum class Kind { term_loan, finance_lease };
  std::string name;
  Kind kind = Kind::term_loan;
  Decimal amount = 0;           // absolute commitment, or
  Decimal share_of_capex = 0;   // a share of each capex payment (used when amount is 0)
  Decimal annual_rate = 0;      // fixed; under a floating rate, the all-in rate of the first month
  std::optional<FloatingRate> floating;
  Compounding compounding = Compounding::simple;
  time::DayCount day_count = time::DayCount::thirty_360_us;  // accrual of each month's interest
  int term_months = 0;          // from the drawing to the last payment
  int grace_months = 0;         // interest-only payments after the drawing
  Maturity maturity = Maturity::common;
  Amortisation amortisation = Amortisation::annuity;
  Decimal balloon_share = 0;    // balloon: share of the amount drawn left for maturity
  Decimal upfront_fee = 0;      // share of the commitment, paid at the first drawing
  Decimal commitment_fee = 0;   // annual rate on the undrawn commitment, first to last drawing
  Rank rank = Rank::senior;
};

// The month of a tranche's last scheduled payment, given the months of its first and last
// drawings: a payment falls one month after a drawing, the last `term_months` after the first
// drawing (common maturity) or after the last (each drawing its own loan).
inline int last_payment_month(const DebtTranche& tranche, int first_draw, int last_draw) {
  return (tranche.maturity == Maturity::per_draw ? last_draw : first_draw) + tranche.term_months;
}

}  // namespace leasecalc::deal
