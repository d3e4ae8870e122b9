// The `covenants:` section: test dates, look-back and each test's threshold, with the ranges
// lenders write (docs/model-format.md).

#include "covenants_section.hpp"

#include "leasecalc/time/date.hpp"

#include <string>

namespace leasecalc::io {

namespace {

using deal::Decimal;

// A coverage ratio (DSCR, contract fulfilment): above 0 and at most 10 times.
std::optional<Decimal> read_ratio(Object& section, std::string_view key) {
  const std::optional<Field> field = section.optional_field(key);
  if (!field) return std::nullopt;
  const Decimal ratio = field->as_number();
  if (ratio <= 0 || ratio > 10) field->fail_expected("a ratio above 0 and at most 10, such as 1.20");
  return ratio;
}

// A limit on a share (LTV, one customer's share): above 0% and at most 100%.
std::optional<Decimal> read_share_limit(Object& section, std::string_view key) {
  const std::optional<Field> field = section.optional_field(key);
  if (!field) return std::nullopt;
  const Decimal share = field->as_percent();
  if (share <= 0) field->fail_expected("a percentage above 0% and at most 100%, such as 65%");
  return share;
}

}  // namespace

deal::Covenants read_covenants(std::optional<Object> section, const DealFrame& frame, const std::vector<deal::DebtTranche>& debt) {
  deal::Covenants covenants;
  if (!section) return covenants;
  if (const std::optional<Field> frequency = section->optional_field("frequency"))
    covenants.frequency = frequency->as_enum<time::Frequency>({{"monthly", time::Frequency::monthly},
                                                               {"quarterly", time::Frequency::quarterly},
                                                               {"semiannual", time::Frequency::semiannual},
                                                               {"annual", time::Frequency::annual}});
  if (const std::optional<Field> first_test = section->optional_field("first_test")) {
    const deal::Date date = first_test->as_date();
    if (!frame.inside(date))
      first_test->fail_expected("a date from the deal's start (" + time::format_date(frame.start) +
                                ") to the end of its horizon (before " + time::format_date(frame.horizon_end) + ")");
    covenants.first_test = date;
  }
  covenants.look_back = section->optional_enum<deal::CovenantLookBack>(
      "look_back",
      {{"trailing_12_months", deal::CovenantLookBack::trailing_12_months},
       {"test_period", deal::CovenantLookBack::test_period}},
      deal::CovenantLookBack::trailing_12_months);
  covenants.minimum_dscr = read_ratio(*section, "minimum_dscr");
  covenants.maximum_ltv = read_share_limit(*section, "maximum_ltv");
  covenants.minimum_contract_fulfilment = read_ratio(*section, "minimum_contract_fulfilment");
  covenants.maximum_customer_share = read_share_limit(*section, "maximum_customer_share");
  covenants.on_breach = section->optional_enum<deal::BreachAction>(
      "on_breach",
      {{"report", deal::BreachAction::report}, {"trap", deal::BreachAction::trap}, {"accelerate", deal::BreachAction::accelerate}},
      deal::BreachAction::report);
  section->finish();
  if (!covenants.any())
    section->fail(
        "expected at least one test: minimum_dscr, maximum_ltv, minimum_contract_fulfilment or "
        "maximum_customer_share");
  if (debt.empty()) section->fail("covenants need debt to test, but the model has no financing");
  return covenants;
}

}  // namespace leasecalc::io
