#pragma once
// The servers the contracts hold month by month: what the fleet must be able to serve. The model
// loader refuses a deal whose contracts hold more than the fleet in some month; a Monte Carlo run
// caps its utilisation draws at the same bound.

#include "leasecalc/deal/deal.hpp"

#include <cstddef>
#include <optional>

namespace leasecalc::deal {

// Deal months [first, end) in which a contract holds its servers, inside the horizon: a take-or-pay
// for its term, an on-demand offer from its start to its end (or the horizon).
struct ContractMonths {
  int first = 0;
  int end = 0;
};
ContractMonths contract_months(const Deal& deal, const Contract& contract);

// The units a contract holds (servers, or racks for a rack-scale SKU).
Decimal contract_servers(const Contract& contract);

// The most servers the contracts hold together in any month of the horizon; 0 without contracts.
Decimal peak_contracted_servers(const Deal& deal);

// The first contract, in the deal's order, whose servers take the total held in some month above
// the fleet (cluster.servers): its index, the first such month and the servers then held.
struct FleetOverrun {
  std::size_t contract = 0;
  int month = 0;
  Decimal servers_held = 0;
};
std::optional<FleetOverrun> first_fleet_overrun(const Deal& deal);

// The deal month after which a contract earns nothing more: the end of its term (or of an early
// termination), of a follow-on lease, or the horizon for an on-demand re-lease or offer.
int contract_revenue_end(const Deal& deal, const Contract& contract);

}  // namespace leasecalc::deal
