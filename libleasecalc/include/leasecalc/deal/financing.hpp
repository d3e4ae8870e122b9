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
  sculpted,       // each payment the month's CFADS over the target DSCR (its principal that less the interest)
  greater_of,     // each principal the greater of the sculpted one and what brings the balance down to
                  // the maximum LTV times the collateral's value (a delayed-draw GPU loan's rule)
};

// The value a loan-to-value limit is taken on: the fleet's depreciated cost (its book value) or
// what it would fetch by the model's residual rule (the used-GPU curve).
enum class Collateral { book_value, residual_value };

// A tranche sized on the deal rather than given an amount: the smallest of the sculpted size (the
// present value of the contracted CFADS over the loan's payments at `target_dscr`), the LTV limit
// (`maximum_ltv` of the collateral's value when the tranche is fully drawn) and the tranche's
// `share_of_capex` and `amount`, when given, and never above the cost it funds
// (engine/debt_sizing.hpp, docs/metrics.md).
struct DebtSizing {
  std::optional<Decimal> target_dscr;
  std::optional<Decimal> maximum_ltv;
  Collateral collateral = Collateral::book_value;
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

struct DebtTranche {
  enum class Kind { term_loan, finance_lease };
  std::string name;
  Kind kind = Kind::term_loan;
  Decimal amount = 0;           // absolute commitment, or
  Decimal share_of_capex = 0;   // a share of each capex payment (used when amount is 0)
  std::optional<DebtSizing> sizing;  // sized on the deal: amount and share_of_capex (0: none) are caps
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
  // Drawings only in the months from the first drawing's to `availability_months` after it: the
  // capex paid later is funded by equity, and the commitment fee stops with the window.
  std::optional<int> availability_months;
  // The lender advances each drawing's face less this share; interest and repayment run on the
  // face, and the discount is a financing cost at the drawing.
  Decimal original_issue_discount = 0;
};

// The month of a tranche's last scheduled payment, given the months of its first and last
// drawings: a payment falls one month after a drawing, the last `term_months` after the first
// drawing (common maturity) or after the last (each drawing its own loan).
inline int last_payment_month(const DebtTranche& tranche, int first_draw, int last_draw) {
  return (tranche.maturity == Maturity::per_draw ? last_draw : first_draw) + tranche.term_months;
}

}  // namespace leasecalc::deal
