#pragma once
// Structures around the fleet (docs/structures.md): the lessee of a lessor SPV, and the floors a
// third party puts under what the fleet fetches (a residual value guarantee) or earns (a capacity
// backstop). A sale-leaseback is a financing and lives with the debt (deal/financing.hpp).

#include "leasecalc/deal/common.hpp"
#include "leasecalc/deal/price.hpp"

#include <optional>
#include <string>

namespace leasecalc::deal {

// The one customer of a lessor SPV that leases it the whole fleet (the deal's only contract, a
// take-or-pay lease with nothing after it). The run reports the lessee's cost per GPU-hour under
// the lease against owning the same fleet, both discounted at the lessee's own rate.
struct Lessee {
  std::string name;
  Decimal discount_rate = 0;  // annual: the lessee's cost of capital
  // Power the lessee pays under the lease (electricity passed through to the customer) is a cost it
  // bears whether it leases or owns: added to both sides when included, left out of both otherwise.
  bool costs_borne_either_way_included = false;
};

// A floor on what the fleet fetches at the horizon: when the sale at residual value fetches less
// than `floor_share` of the fleet's capitalised cost, the guarantor pays the difference.
struct ResidualValueGuarantee {
  std::string guarantor;
  Decimal floor_share = 0;
};

// A floor on what the fleet earns: from `from` to `until` (deal months starting in that span) the
// buyer pays `price` for every unit in service that no customer has, up to `cap` in all.
struct CapacityBackstop {
  std::string buyer;
  Price price;
  Date from;
  Date until;
  Decimal cap = 0;  // in the deal's currency
};

struct Guarantees {
  std::optional<ResidualValueGuarantee> residual_value;
  std::optional<CapacityBackstop> capacity_backstop;
};

}  // namespace leasecalc::deal
