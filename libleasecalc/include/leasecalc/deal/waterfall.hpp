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

struct Waterfall {
  // The debt-service reserve (DSRA), one for the deal: the next `reserve_months` months of debt
  // service, funded by the shareholders at the first drawing; 0: no reserve.
  int reserve_months = 0;
  // The share of the excess cash (after debt service and the reserve) that prepays the debt.
  Decimal cash_sweep = 0;
  // Distributions stop while the DSCR at the last covenant test date is under this.
  std::optional<Decimal> lock_up_dscr;
  LockUpCash lock_up_cash = LockUpCash::hold;

  bool any() const { return reserve_months > 0 || cash_sweep > 0 || lock_up_dscr.has_value(); }
};

}  // namespace leasecalc::deal
