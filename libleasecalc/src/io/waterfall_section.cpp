// The `waterfall:` section: the debt-service reserve, the cash sweep and the lock-up, with the
// ranges lenders write (docs/model-format.md).

#include "waterfall_section.hpp"

#include <algorithm>

#include <array>
#include <string>
#include <string_view>

namespace leasecalc::io {

namespace {

constexpr auto reserve_keys = std::to_array<std::string_view>({"months", "funded_by"});

int reserve_months(const Field& months) {
  const int count = months.as_months(Range::positive);
  if (count > 24) months.fail_expected("a reserve of 1 to 24 months of debt service, such as 6 months");
  return count;
}

}  // namespace

deal::Waterfall read_waterfall(std::optional<Object> section, const std::vector<deal::DebtTranche>& debt,
                               const deal::Covenants& covenants) {
  deal::Waterfall waterfall;
  if (!section) return waterfall;
  // `debt_service_reserve: 6 months`, or a map with who funds the first deposit.
  if (const std::optional<Field> reserve = section->optional_field("debt_service_reserve")) {
    if (reserve->is_object()) {
      Object terms = reserve->as_object(reserve_keys);
      waterfall.reserve_months = reserve_months(terms.field("months"));
      const std::optional<Field> funded_by = terms.optional_field("funded_by");
      if (funded_by)
        waterfall.reserve_funded_by = funded_by->as_enum<deal::ReserveFunding>(
            {{"equity", deal::ReserveFunding::equity}, {"debt", deal::ReserveFunding::debt}});
      terms.finish();
      // The loan that funds it: the first senior tranche that is not a sale-leaseback.
      const auto senior = std::ranges::find_if(debt, [](const deal::DebtTranche& tranche) {
        return tranche.rank == deal::Rank::senior && tranche.kind != deal::DebtTranche::Kind::sale_leaseback;
      });
      if (waterfall.reserve_funded_by == deal::ReserveFunding::debt && senior == debt.end())
        funded_by->fail("a reserve funded by debt is drawn with a senior loan's first drawing, but the model has none");
      if (waterfall.reserve_funded_by == deal::ReserveFunding::debt && senior->sizing)
        funded_by->fail("a reserve funded by debt is added to the senior loan '" + senior->name +
                        "', which is sized on the deal (its amount is what the sizing allows): fund the reserve "
                        "with equity, or give the loan its amount or share of capex");
    } else {
      waterfall.reserve_months = reserve_months(*reserve);
    }
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
    if (!waterfall.lock_up_dscr && covenants.on_breach != deal::BreachAction::trap)
      cash->fail("lock_up_cash applies under a lock-up: set lock_up_dscr here or covenants.on_breach: trap");
  }
  section->finish();
  if (!waterfall.any() && !section->has("lock_up_cash"))
    section->fail("expected at least one of debt_service_reserve, cash_sweep or lock_up_dscr");
  if (debt.empty()) section->fail("a waterfall needs debt to serve, but the model has no financing");
  return waterfall;
}

}  // namespace leasecalc::io
