#pragma once
// Financial covenants: the tests lenders set on the borrower's figures (minimum DSCR, maximum
// loan-to-value, minimum contract fulfilment, largest-customer share), each tested on dates of a
// fixed frequency. They are tested on the deal as a whole: the borrower's debt service, its whole
// fleet as collateral and all its contracts, as a credit agreement tests a single-purpose borrower.

#include "leasecalc/deal/common.hpp"
#include "leasecalc/time/frequency.hpp"

#include <optional>

namespace leasecalc::deal {

// The months a flow test (DSCR, customer share) looks back over from its test date.
enum class CovenantLookBack {
  trailing_12_months,  // the 12 months ending at the test date (fewer from the deal's start)
  test_period,         // the months since the previous test date
};

// What a breach does, from the test date that finds it until a test date finds it cured: nothing
// but the report; a trap of the excess cash (no distributions, as the lock-up); or an accelerated
// repayment (the whole excess cash swept to the debt).
enum class BreachAction { report, trap, accelerate };

struct Covenants {
  time::Frequency frequency = time::Frequency::quarterly;
  // The first test date; by default the end of the first full test period from the first drawing.
  std::optional<Date> first_test;
  CovenantLookBack look_back = CovenantLookBack::trailing_12_months;
  // Each test applies when its threshold is set.
  std::optional<Decimal> minimum_dscr;                 // e.g. 1.20 (times)
  std::optional<Decimal> maximum_ltv;                  // debt outstanding / collateral value, e.g. 0.65
  std::optional<Decimal> minimum_contract_fulfilment;  // contracted revenue to come / debt still owed
  std::optional<Decimal> maximum_customer_share;       // largest contract's share of lease revenue
  BreachAction on_breach = BreachAction::report;

  bool any() const {
    return minimum_dscr || maximum_ltv || minimum_contract_fulfilment || maximum_customer_share;
  }
};

}  // namespace leasecalc::deal
