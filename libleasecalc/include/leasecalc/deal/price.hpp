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

// A price: an amount of money per unit, e.g. 2.99 USD per GPU-hour.
struct Price {
  Decimal amount;
  PriceUnit unit = PriceUnit::gpu_hour;
  std::string currency{};  // ISO 4217 code; empty when the text named none (the deal's currency)

  friend bool operator==(const Price&, const Price&) = default;
};

}  // namespace leasecalc::deal
