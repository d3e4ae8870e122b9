#pragma once
// Currency codes: ISO 4217, list one, the currencies in circulation (the fund codes, precious
// metals and testing codes of the list are not currencies a deal is priced in). The one home of
// the list: amounts, prices and `deal.currency` are all checked against it.

#include <algorithm>
#include <array>
#include <optional>
#include <string_view>
#include <utility>

namespace leasecalc::deal {

inline constexpr auto iso_4217_currencies = std::to_array<std::string_view>({
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN", "BHD", "BIF",
    "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHF", "CLP", "CNY", "COP", "CRC",
    "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS",
    "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD",
    "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL",
    "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MYR", "MZN", "NAD",
    "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD",
    "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP",
    "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "UYU", "UZS", "VES",
    "VND", "VUV", "WST", "XAF", "XCD", "XCG", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWG", "CUC", "VED"});

// Whether `code` is a currency of ISO 4217 (upper case, as the standard writes it).
constexpr bool is_iso_4217_currency(std::string_view code) {
  return std::find(iso_4217_currencies.begin(), iso_4217_currencies.end(), code) != iso_4217_currencies.end();
}

// Names in common use that are not ISO 4217 codes, with the code meant: "RMB" is the renminbi's
// name, its code is CNY.
inline constexpr std::array<std::pair<std::string_view, std::string_view>, 6> currency_names_in_use{{
    {"RMB", "CNY"},  // renminbi
    {"NTD", "TWD"},  // New Taiwan dollar
    {"YEN", "JPY"},
    {"STG", "GBP"},  // sterling
    {"RUR", "RUB"},  // the rouble before 1998
    {"UKP", "GBP"},
}};

// The ISO 4217 code meant by a common name that is not one ("RMB" -> "CNY"); none otherwise.
constexpr std::optional<std::string_view> iso_code_for_name(std::string_view name) {
  for (const auto& [written, code] : currency_names_in_use)
    if (written == name) return code;
  return std::nullopt;
}

}  // namespace leasecalc::deal
