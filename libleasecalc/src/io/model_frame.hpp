#pragma once
// What every section reader of a model file shares: the deal's frame (currency, horizon), the
// wording of numbers in messages, the "exactly one of" rules and rental prices. Internal to the io
// layer.

#include "leasecalc/deal/deal.hpp"
#include "leasecalc/io/document.hpp"
#include "leasecalc/time/date.hpp"

#include <array>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leasecalc::io {

using Date = boost::gregorian::date;

// What the whole file shares: the currency every amount must be in and the horizon every date
// must fall inside.
struct DealFrame {
  std::string currency;
  Date start;
  int horizon_months = 0;
  Date horizon_end;  // first day after the horizon

  int month_of(Date date) const { return time::months_between(start, date); }
  bool inside(Date date) const { return date >= start && date < horizon_end; }
  std::string inside_expectation() const {
    return "a date inside the horizon, from " + time::format_date(start) + " to before " +
           time::format_date(horizon_end);
  }
};

// Decimals in messages: "1024", "2662400000", "0.05" (no exponent, no trailing zeros).
std::string format_decimal(const deal::Decimal& value);

// Shares in messages, to two decimals: "103.85%".
std::string format_percent(const deal::Decimal& share);

// A key that the chosen variant does not use is an error rather than silently ignored.
void reject_key(Object& object, std::string_view key, std::string_view reason);

// For "exactly one of" groups: which of `keys` are present (each becomes accepted for finish()).
std::vector<std::string_view> present_keys(Object& object, std::initializer_list<std::string_view> keys);

// "a, b or c", for messages.
std::string alternatives(std::initializer_list<std::string_view> keys);

// Exactly one of `keys`, returning it; an error at the object if none, and at the second one
// written in the file if several.
std::string_view exactly_one_of(Object& object, std::initializer_list<std::string_view> keys);

// An error at `field` unless the currency `written` (empty: none written) is the deal's.
void require_currency(const Field& field, const std::string& written, const std::string& currency);

// A rental price as quoted, per GPU or per unit of the SKU's kind (a server or a rack). It may
// include VAT where the contract charges VAT on rentals (`vat_rate`, given); the price is kept as
// quoted and deal::net_of_vat takes the VAT out.
deal::Price read_rental_price(const Field& field, const DealFrame& frame, const deal::Sku& sku,
                              const std::optional<deal::Decimal>& vat_rate = std::nullopt);

// The credit classes, as keys of a map (a margin grid, `credit_classes:`).
inline constexpr auto credit_class_keys =
    std::to_array<std::string_view>({"investment_grade", "sub_investment_grade", "unrated"});

}  // namespace leasecalc::io
