#pragma once
// Debt: term loans and finance leases drawn on the capex dates. Equity funds the rest.

#include "leasecalc/deal/common.hpp"
#include "leasecalc/time/day_count.hpp"

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

struct DebtTranche {
  enum class Kind { term_loan, finance_lease };
  std::string name;
  Kind kind = Kind::term_loan;
  Decimal amount = 0;           // absolute commitment, or
  Decimal share_of_capex = 0;   // a share of each capex payment (used when amount is 0)
  Decimal annual_rate = 0;
  Compounding compounding = Compounding::simple;
  time::DayCount day_count = time::DayCount::thirty_360_us;  // accrual of each month's interest
  int term_months = 0;          // from the first drawing to maturity
  int grace_months = 0;         // interest-only months after the first drawing
  Amortisation amortisation = Amortisation::annuity;
  Decimal balloon_share = 0;    // balloon: share of the amount drawn left for maturity
  Decimal upfront_fee = 0;      // share of the commitment, paid at the first drawing
  Decimal commitment_fee = 0;   // annual rate on the undrawn commitment until the last drawing
};

}  // namespace leasecalc::deal
