// The `waterfall:` section: the debt-service reserve, the cash sweep and the lock-up, with the
// ranges lenders write (docs/model-format.md).

#include "waterfall_section.hpp"

#include <string>

namespace leasecalc::io {

deal::Waterfall read_waterfall(std::optional<Object> section, const deal::Deal& deal) {
  deal::Waterfall waterfall;
  if (!section) return waterfall;
  if (const std::optional<Field> months = section->optional_field("debt_service_reserve")) {
    waterfall.reserve_months = months->as_months(Range::positive);
    if (waterfall.reserve_months > 24) months->fail_expected("a reserve of 1 to 24 months of debt service, such as 6 months");
  }
  if (const std::optional<Field> sweep = section->optional_field("cash_sweep")) {
    waterfall.cash_sweep = sweep->as_percent();
    if (waterfall.cash_sweep <= 0) sweep->fail_expected("a share above 0% and at most 100%, such as 50%");
  }
  if (const std::optional<Field> lock_up = section->optional_field("lock_up_dscr")) {
    const deal::Decimal ratio = lock_up->as_number();
    if (ratio <= 0 || ratio > 10) lock_up->fail_expected("a ratio above 0 and at most 10, such as 1.20");
    waterfall.lock_up_dscr = ratio;
  }
  if (const std::optional<Field> cash = section->optional_field("lock_up_cash")) {
    waterfall.lock_up_cash = cash->as_enum<deal::LockUpCash>({{"hold", deal::LockUpCash::hold},
                                                              {"sweep", deal::LockUpCash::sweep}});
    if (!waterfall.lock_up_dscr && deal.covenants.on_breach != deal::BreachAction::trap)
      cash->fail("lock_up_cash applies under a lock-up: set lock_up_dscr here or covenants.on_breach: trap");
  }
  section->finish();
  if (!waterfall.any() && !section->has("lock_up_cash"))
    section->fail("expected at least one of debt_service_reserve, cash_sweep or lock_up_dscr");
  if (deal.debt.empty()) section->fail("a waterfall needs debt to serve, but the model has no financing");
  return waterfall;
}

}  // namespace leasecalc::io
