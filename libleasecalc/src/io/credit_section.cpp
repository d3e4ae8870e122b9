// The customer's credit in a model file (credit_section.hpp).

#include "credit_section.hpp"

#include "leasecalc/time/date.hpp"

#include <span>
#include <string>

namespace leasecalc::io {

namespace {

constexpr auto credit_risk_keys = std::to_array<std::string_view>({"probability_of_default", "loss_given_default"});

static_assert(credit_class_keys.size() == deal::credit_class_count, "a key for every credit class");

}  // namespace

deal::CreditClass read_credit_class(const Field& field) {
  return field.as_enum<deal::CreditClass>(
      std::span<const Choice<deal::CreditClass>>(deal::credit_class_names.begin(), deal::credit_class_names.size()));
}

deal::CustomerDefault read_customer_default(Object object, const DealFrame& frame, const deal::TakeOrPay& contract) {
  deal::CustomerDefault failed;
  const int term = contract.early_termination ? contract.early_termination->after_months : contract.term_months;
  const std::string inside = "inside the contract's term, at least a month after its start (" +
                             time::format_date(contract.start) + ") and before its end, " + std::to_string(term) +
                             " months later";
  if (exactly_one_of(object, {"after", "date"}) == "after") {
    Field after = object.field("after");
    failed.after_months = after.as_months(Range::positive);
    if (failed.after_months >= term) after.fail_expected("a duration " + inside);
  } else {
    Field date_field = object.field("date");
    const Date date = date_field.as_date();
    const int after = time::months_between(contract.start, date);
    if (date.day() != contract.start.day() || after < 1 || after >= term)
      date_field.fail_expected("a date on the contract's monthly cycle (day " + std::to_string(contract.start.day()) +
                               ") " + inside);
    failed.after_months = after;
  }
  failed.re_lease_after_months = object.optional_months("re_lease_after", 0);
  if (failed.re_lease_after_months > frame.horizon_months)
    object.field("re_lease_after").fail_expected("a delay of at most the horizon (" +
                                                 std::to_string(frame.horizon_months) + " months)");
  object.finish();
  return failed;
}

deal::CreditClasses read_credit_classes(std::optional<Object> section) {
  deal::CreditClasses classes;
  if (!section) return classes;
  for (const auto& [name, credit] : deal::credit_class_names) {
    const std::optional<Field> entry = section->optional_field(name);
    if (!entry) continue;
    deal::CreditRisk risk = deal::default_credit_risk(credit);
    Object fields = entry->as_object(credit_risk_keys);
    risk.probability_of_default = fields.optional_percent("probability_of_default", risk.probability_of_default);
    risk.loss_given_default = fields.optional_percent("loss_given_default", risk.loss_given_default);
    fields.finish();
    classes.risk[deal::index_of(credit)] = risk;
  }
  section->finish();
  if (classes.empty())
    section->fail("expected at least one class: " + alternatives({"investment_grade", "sub_investment_grade", "unrated"}));
  return classes;
}

}  // namespace leasecalc::io
