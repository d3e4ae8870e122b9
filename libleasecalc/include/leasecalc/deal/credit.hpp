#pragma once
// The customer's credit: a class per take-or-pay contract, which prices the debt that finances it
// (a margin grid on the tranche) and, where the model gives the class a probability of default and a
// loss given default, charges an expected credit loss on what the customer still owes.

#include "leasecalc/deal/common.hpp"

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

namespace leasecalc::deal {

// A closed list, from the strongest to the weakest: lenders price on a rating band, not on a
// notch, and an unrated customer is priced below a rated one (nothing vouches for it).
enum class CreditClass { investment_grade, sub_investment_grade, unrated };

inline constexpr std::size_t credit_class_count = 3;

// Each class with its spelling in model files and on the command line, in the enum's order.
inline constexpr std::array<std::pair<std::string_view, CreditClass>, credit_class_count> credit_class_names{{
    {"investment_grade", CreditClass::investment_grade},
    {"sub_investment_grade", CreditClass::sub_investment_grade},
    {"unrated", CreditClass::unrated},
}};

constexpr std::string_view to_string(CreditClass credit) {
  return credit_class_names[static_cast<std::size_t>(credit)].first;
}

constexpr std::size_t index_of(CreditClass credit) { return static_cast<std::size_t>(credit); }

// The weaker of two classes.
constexpr CreditClass weaker(CreditClass a, CreditClass b) { return index_of(a) >= index_of(b) ? a : b; }

// A class's credit risk, for the expected credit loss: the probability that the customer defaults
// within a year and the share of what it owes that is then lost.
struct CreditRisk {
  Decimal probability_of_default = 0;  // annual
  Decimal loss_given_default = 0;
};

// The defaults a model's `credit_classes:` entry takes for a field it leaves out (docs/model-format.md
// names the sources): long-run average one-year corporate default rates, and the Basel foundation
// IRB loss given default on a senior unsecured claim (45%). An unrated customer is taken at the
// speculative-grade rate, as the Basel standardised approach weights unrated corporates with them.
inline CreditRisk default_credit_risk(CreditClass credit) {
  const Decimal lgd("0.45");
  switch (credit) {
    case CreditClass::investment_grade: return {Decimal("0.001"), lgd};
    case CreditClass::sub_investment_grade:
    case CreditClass::unrated: break;
  }
  return {Decimal("0.036"), lgd};
}

// The risks the model states, by class; a class with none charges no expected credit loss.
struct CreditClasses {
  std::array<std::optional<CreditRisk>, credit_class_count> risk;

  const std::optional<CreditRisk>& of(CreditClass credit) const { return risk[index_of(credit)]; }
  bool empty() const {
    for (const auto& entry : risk)
      if (entry) return false;
    return true;
  }
};

// A margin by credit class (a lender's grid); a class without an entry is not priced by the grid.
struct MarginGrid {
  std::array<std::optional<Decimal>, credit_class_count> margin;

  const std::optional<Decimal>& of(CreditClass credit) const { return margin[index_of(credit)]; }
};

}  // namespace leasecalc::deal
