#pragma once
// The cash waterfall below the debt service: a debt-service reserve, a cash sweep and a lock-up
// of distributions, in the order lenders write them (docs/model-format.md, "waterfall"). The
// engine's side is engine/phases/waterfall.hpp.

#include "leasecalc/deal/common.hpp"

#include <optional>

namespace leasecalc::deal {

// What cash caught by the lock-up does: held in the deal until the test is met again, or swept
// to the debt.
enum class LockUpCash { hold, sweep };

// Who pays the reserve's first deposit: the shareholders, or the loan (a drawing added to the
// first senior tranche's first drawing, serviced with it).
enum class ReserveFunding { equity, debt };

struct Waterfall {
  // The debt-service reserve (DSRA), one for the deal: the next `reserve_months` months of debt
  // service, funded at the first drawing; 0: no reserve. It is drawn when a month's cash falls
  // short of the senior debt service, and refilled from later cash.
  int reserve_months = 0;
  ReserveFunding reserve_funded_by = ReserveFunding::equity;
  // The share of the excess cash (after debt service and the reserve) that prepays the debt.
  Decimal cash_sweep = 0;
  // Distributions stop while the DSCR at the last covenant test date is under this.
  std::optional<Decimal> lock_up_dscr;
  LockUpCash lock_up_cash = LockUpCash::hold;

  bool any() const { return reserve_months > 0 || cash_sweep > 0 || lock_up_dscr.has_value(); }
};

}  // namespace leasecalc::deal
