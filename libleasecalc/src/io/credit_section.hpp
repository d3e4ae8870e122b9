#pragma once
// The customer's credit in a model file: a contract's `credit` class and `default` scenario, and the
// `credit_classes:` section (docs/model-format.md). Internal to the io layer.

#include "leasecalc/deal/deal.hpp"
#include "leasecalc/io/document.hpp"
#include "model_frame.hpp"

#include <optional>

namespace leasecalc::io {

// A credit class by its name (`investment_grade`, ...).
deal::CreditClass read_credit_class(const Field& field);

// `default: {after: 18 months | date: 2027-01-01, re_lease_after: 3 months}`: the customer pays for
// the first `after` months of service (from `date` on, nothing), inside the term.
deal::CustomerDefault read_customer_default(Object object, const DealFrame& frame, const deal::TakeOrPay& contract);

// `credit_classes: {sub_investment_grade: {probability_of_default: 3.6%, loss_given_default: 45%}}`:
// the classes whose contracts are charged an expected credit loss; a field left out takes the
// public default (deal::default_credit_risk).
deal::CreditClasses read_credit_classes(std::optional<Object> section);

}  // namespace leasecalc::io
