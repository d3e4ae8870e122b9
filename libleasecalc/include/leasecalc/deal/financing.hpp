#pragma once
// Debt: term loans and finance leases drawn on the capex dates. Equity funds the rest, and
// receives the cash left at each distribution date.

#include "leasecalc/deal/common.hpp"
#include "leasecalc/deal/credit.hpp"
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
  Decimal margin = 0;               // under a margin grid, set from it (deal::credit_priced)
  Decimal floor = 0;                // on the base rate, as SOFR floors are written
  std::vector<MarginStep> margin_steps;  // by date
  std::optional<MarginGrid> margin_grid;  // the margin by the credit class of the contracts financed
};

// The base rate (before the floor) of a month starting on `reset`.
inline Decimal base_rate(const FloatingRate& floating, Date reset) {
  Decimal base = floating.base.front().rate;
  for (const auto& point : floating.base)
    if (point.date <= reset) base = point.rate;
  return base;
}

// The all-in annual rate of a month starting on `reset`.
inline Decimal all_in_rate(const FloatingRate& floating, Date reset) {
  const Decimal base = base_rate(floating, reset);
  Decimal margin = floating.margin;
  for (const auto& step : floating.margin_steps)
    if (step.from <= reset) margin = step.margin;
  return (base < floating.floor ? floating.floor : base) + margin;
}

// A sale-leaseback (docs/structures.md): the operator sells the fleet delivered by the sale month to
// an investor for `advance_rate` of its capitalised cost, rents it back in level monthly payments at
// the tranche's rate (its lease rate) over its term and buys it back with the last payment at the
// repurchase price. With the repurchase the fleet never leaves the operator's books: the sale is a
// financing (ASC 842-40 / IFRS 16 failed sale), the proceeds a liability, each rent interest and
// principal, the repurchase the last principal; the operator keeps depreciating the fleet.
struct SaleLeaseback {
  Decimal advance_rate = 0;              // proceeds as a share of the fleet's capitalised cost
  std::optional<Date> sale;              // the sale's month; by default the last delivery's
  std::optional<Decimal> repurchase_share_of_cost;  // the repurchase price as a share of that cost, or
  Decimal repurchase_price = 0;          // a fixed price in the deal's currency
};

// A pay-fixed interest-rate swap on a floating tranche: from `start` to `end` the borrower pays
// `fixed_rate` and receives the base rate (unfloored, as swaps pay) on `share` of the balance. Its
// net settlement is paid with the month's interest (Line::swap_settlements).
struct InterestRateSwap {
  Decimal fixed_rate = 0;
  Decimal share = 1;  // of the outstanding balance
  Date start;         // months starting on or after it
  Date end;           // months starting before it
};

// Where a tranche stands in the waterfall: `senior`, serviced first; `junior`, serviced from the
// cash left after the senior debt service and the reserve, its unpaid service deferred
// (engine/phases/waterfall.hpp). A model has at most one junior tranche.
enum class Rank { senior, junior };

struct DebtTranche {
  enum class Kind { term_loan, finance_lease, sale_leaseback };
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
  std::optional<SaleLeaseback> sale_leaseback;  // set for Kind::sale_leaseback, whose draw it sizes
  std::optional<InterestRateSwap> swap;  // floating tranches only
  // The take-or-pay contracts the tranche finances, by name, for its margin grid; empty: all of them.
  std::vector<std::string> finances;
  Rank rank = Rank::senior;
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
