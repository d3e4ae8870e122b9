#pragma once
// How a tranche's margin grid picks its margin: from the credit class of the contracts it finances.
// A loan over several contracts is priced on the weakest of their classes, as a lender prices the
// pool on its weakest credit (a contract with no class counts as unrated).

#include "leasecalc/deal/credit.hpp"
#include "leasecalc/deal/deal.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

namespace leasecalc::deal {

// Whether the tranche finances the take-or-pay contract: it names it, or names none.
inline bool finances(const DebtTranche& tranche, const TakeOrPay& contract) {
  return tranche.finances.empty() || std::ranges::find(tranche.finances, contract.name) != tranche.finances.end();
}

// The weakest credit class over the contracts the tranche finances; none when it finances none.
inline std::optional<CreditClass> financed_credit_class(const std::vector<Contract>& contracts, const DebtTranche& tranche) {
  std::optional<CreditClass> weakest;
  for (const auto& contract : contracts)
    if (const auto* take_or_pay = std::get_if<TakeOrPay>(&contract); take_or_pay && finances(tranche, *take_or_pay))
      weakest = weaker(weakest.value_or(CreditClass::investment_grade), credit_class_of(*take_or_pay));
  return weakest;
}

// The tranche with its margin set from its grid (unchanged without one). Throws
// std::invalid_argument when the grid has no margin for the class it must price.
inline DebtTranche credit_priced(const std::vector<Contract>& contracts, DebtTranche tranche) {
  if (!tranche.floating || !tranche.floating->margin_grid) return tranche;
  const CreditClass credit = financed_credit_class(contracts, tranche).value_or(CreditClass::unrated);
  const std::optional<Decimal>& margin = tranche.floating->margin_grid->of(credit);
  if (!margin)
    throw std::invalid_argument("tranche '" + tranche.name + "': its margin grid has no margin for " +
                                std::string(to_string(credit)) + ", the weakest credit class of the contracts it finances");
  tranche.floating->margin = *margin;
  return tranche;
}

}  // namespace leasecalc::deal
