#pragma once
// The cluster: which servers, how many, what they cost and when they are delivered.

#include "leasecalc/deal/common.hpp"

#include <optional>
#include <string>
#include <vector>

namespace leasecalc::deal {

// One catalogue entry: an eight-GPU server, or a rack such as the GB200 NVL72.
struct Sku {
  std::string name;         // "H800-8x"
  std::string description;  // "NVIDIA H800 SXM, 8 GPUs per server"
  int gpus_per_unit = 8;    // a "unit" is a server, or a rack for rack-scale systems
  Decimal list_price;       // per unit, in `currency`
  std::string currency;
  Decimal kw_load;          // IT power per unit at full load
  Decimal kw_idle;          // IT power per unit when idle
};

// A capex line beyond the servers: network fabric, storage, installation.
struct ExtraCapex {
  std::string name;
  Decimal amount;          // absolute amount, or
  Decimal share_of_servers = 0;  // a fraction of the servers' cost (used when amount is 0)
};

// A delivery: servers arriving (and paid for) on a date.
struct Tranche {
  Date date;
  int servers = 0;
};

struct Cluster {
  Sku sku;
  int servers = 0;                  // units in service (spares come on top)
  Decimal price_per_server;         // per unit, as invoiced
  bool price_includes_vat = false;  // China: invoices include input VAT at `capex_vat_rate`
  Decimal capex_vat_rate = 0;       // VAT rate on equipment (13% in China)
  std::vector<ExtraCapex> extra_capex;
  std::vector<Tranche> deliveries;  // in date order; their servers add up to `servers`
  Decimal spares_share = 0;         // spare units bought, as a fraction of `servers`
  Decimal annual_failure_rate = 0;  // share of the fleet failing a year
  Decimal replacement_cost = 0;     // cost of replacing one failed unit (parts, labour), expensed
};

}  // namespace leasecalc::deal
