#pragma once
// Prices as quoted: an amount of money per something (a GPU-hour, a server-month, a kWh). The
// model file's spelling of each unit is written out once, here.

#include "leasecalc/deal/common.hpp"

#include <array>
#include <string>
#include <string_view>
#include <utility>

namespace leasecalc::deal {

// What a price is quoted per: a closed list, so that every conversion is written out once.
enum class PriceUnit {
  gpu_hour,      // "GPU-hour"
  gpu_month,     // "GPU-month"
  server_hour,   // "server-hour"
  server_month,  // "server-month"
  rack_hour,     // "rack-hour"
  rack_month,    // "rack-month"
  kw,            // "kW"        (one-off, per kW of capacity)
  kw_month,      // "kW-month"
  kw_year,       // "kW-year"
  kwh,           // "kWh"
  mwh,           // "MWh"
  gpu,           // "GPU"       (one-off, per GPU)
  server,        // "server"    (one-off, per server)
  rack,          // "rack"      (one-off, per rack)
  hour,          // "hour"
  month,         // "month"
  year,          // "year"
};

// Each unit with its spelling in model files, in the order of the enumeration.
inline constexpr std::array<std::pair<std::string_view, PriceUnit>, 17> price_unit_names{{
    {"GPU-hour", PriceUnit::gpu_hour},
    {"GPU-month", PriceUnit::gpu_month},
    {"server-hour", PriceUnit::server_hour},
    {"server-month", PriceUnit::server_month},
    {"rack-hour", PriceUnit::rack_hour},
    {"rack-month", PriceUnit::rack_month},
    {"kW", PriceUnit::kw},
    {"kW-month", PriceUnit::kw_month},
    {"kW-year", PriceUnit::kw_year},
    {"kWh", PriceUnit::kwh},
    {"MWh", PriceUnit::mwh},
    {"GPU", PriceUnit::gpu},
    {"server", PriceUnit::server},
    {"rack", PriceUnit::rack},
    {"hour", PriceUnit::hour},
    {"month", PriceUnit::month},
    {"year", PriceUnit::year},
}};

// The spelling used in model files, e.g. "GPU-hour".
constexpr std::string_view to_string(PriceUnit unit) {
  for (const auto& [name, value] : price_unit_names)
    if (value == unit) return name;
  return "unknown unit";
}

// Whether a quoted price includes the VAT charged on it. A rent in China is usually quoted with
// the VAT in it ("70000 CNY/server-month incl. VAT"); the engine bills the price without it.
enum class VatBasis { excluded, included };

// A price: an amount of money per unit, e.g. 2.99 USD per GPU-hour.
struct Price {
  Decimal amount;
  PriceUnit unit = PriceUnit::gpu_hour;
  std::string currency{};  // ISO 4217 code; empty when the text named none (the deal's currency)
  VatBasis vat = VatBasis::excluded;

  friend bool operator==(const Price&, const Price&) = default;
};

// The price without VAT: a price quoted including VAT at `vat_rate` divided by (1 + vat_rate), in
// exact decimals and unrounded (the ledger rounds what it books); a price without VAT as it is.
inline Price net_of_vat(Price price, const Decimal& vat_rate) {
  if (price.vat == VatBasis::included) {
    price.amount /= Decimal(1) + vat_rate;
    price.vat = VatBasis::excluded;
  }
  return price;
}

}  // namespace leasecalc::deal
