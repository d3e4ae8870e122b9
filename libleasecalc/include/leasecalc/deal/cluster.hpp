#pragma once
// The cluster: which servers, how many, what they cost and when they are delivered.

#include "leasecalc/deal/common.hpp"
#include "leasecalc/deal/price.hpp"

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace leasecalc::deal {

// What one rentable unit of a SKU is: a server (eight GPUs, or one card with its share of a
// host), or a whole rack for rack-scale systems such as the GB200 NVL72.
enum class UnitKind { server, rack };

// One catalogue entry: an eight-GPU server, or a rack such as the GB200 NVL72.
struct Sku {
  std::string name;         // "H800-8x"
  std::string description;  // "NVIDIA H800 SXM, 8 GPUs per server"
  int gpus_per_unit = 8;    // GPUs in one unit (server or rack)
  Decimal list_price;       // per unit, in `currency`
  std::string currency;
  Decimal kw_load;          // IT power per unit at full load
  Decimal kw_idle;          // IT power per unit when idle
  UnitKind unit_kind = UnitKind::server;  // stated in the catalogue, never guessed from the GPU count
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
  Decimal spares_share = 0;         // spare units bought, as a fraction of `servers` (spare_units rounds)
  Decimal annual_failure_rate = 0;  // share of the fleet failing a year
  Decimal replacement_cost = 0;     // cost of replacing one failed unit (parts, labour), expensed
};

// The spare units bought with the first `servers` units delivered: `spares_share` of them rounded
// up to whole units (a spare is a whole server or rack, and rounding up keeps at least the share
// stated). A delivery brings spare_units(after it) - spare_units(before it), so the deliveries'
// spares add up to the fleet's: 2% of two deliveries of 512 servers is 11 and then 10, 21 in all.
inline int spare_units(const Cluster& cluster, int servers) {
  return num::ceil(cluster.spares_share * servers).convert_to<int>();
}

// The cluster's capex as invoiced (with VAT when the price includes it): the servers and spares,
// and the other capex lines. The ceiling for debt.
inline Decimal total_capex(const Cluster& cluster) {
  const Decimal servers_cost = cluster.price_per_server * (cluster.servers + spare_units(cluster, cluster.servers));
  Decimal capex = servers_cost;
  for (const ExtraCapex& extra : cluster.extra_capex)
    capex += extra.amount != 0 ? extra.amount : extra.share_of_servers * servers_cost;
  return capex;
}

// The price unit of one unit of the SKU for a month: "server-month" or "rack-month".
inline PriceUnit unit_month(const Sku& sku) {
  return sku.unit_kind == UnitKind::rack ? PriceUnit::rack_month : PriceUnit::server_month;
}

// Whether a rental price quoted per `unit` fits the SKU: per GPU always; per server-hour or
// server-month only for a server, per rack-hour or rack-month only for a rack.
inline bool rental_unit_fits(PriceUnit unit, const Sku& sku) {
  switch (unit) {
    case PriceUnit::gpu_hour:
    case PriceUnit::gpu_month: return true;
    case PriceUnit::server_hour:
    case PriceUnit::server_month: return sku.unit_kind == UnitKind::server;
    case PriceUnit::rack_hour:
    case PriceUnit::rack_month: return sku.unit_kind == UnitKind::rack;
    default: return false;
  }
}

// A rental price as an amount per unit (server or rack) per month, the engine's price: per GPU
// times the SKU's GPUs per unit, per hour times `hours_per_month`. This is the one conversion of a
// quoted rental price; the currency is the caller's to check, and a price quoted including VAT
// must first be taken net of it (deal::net_of_vat with the contract's VAT rate).
inline Decimal unit_month_price(const Price& price, const Sku& sku) {
  if (price.vat == VatBasis::included)
    throw std::invalid_argument("a rental price quoted incl. VAT must be taken net of the VAT first");
  const Decimal gpus(sku.gpus_per_unit);
  switch (price.unit) {
    case PriceUnit::gpu_hour: return price.amount * gpus * hours_per_month;
    case PriceUnit::gpu_month: return price.amount * gpus;
    case PriceUnit::server_hour:
    case PriceUnit::rack_hour: return price.amount * hours_per_month;
    case PriceUnit::server_month:
    case PriceUnit::rack_month: return price.amount;
    default: throw std::invalid_argument("a rental price is per GPU, server or rack, by the hour or month");
  }
}

}  // namespace leasecalc::deal
