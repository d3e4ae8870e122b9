// What every section reader of a model file shares (model_frame.hpp).

#include "model_frame.hpp"

#include "leasecalc/num/rounding.hpp"
#include "leasecalc/text/text.hpp"

#include <algorithm>
#include <utility>
#include <vector>

namespace leasecalc::io {

using deal::Decimal;

std::string format_decimal(const Decimal& value) {
  std::string text = value.str(0, std::ios_base::fixed);
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  return text;
}

std::string format_percent(const Decimal& share) { return format_decimal(num::round_to(share * 100, 2)) + "%"; }

void reject_key(Object& object, std::string_view key, std::string_view reason) {
  if (object.has(key)) object.field(key).fail_expected("no " + std::string(key) + " " + std::string(reason));
}

std::vector<std::string_view> present_keys(Object& object, std::initializer_list<std::string_view> keys) {
  std::vector<std::string_view> present;
  for (std::string_view key : keys)
    if (object.has(key)) present.push_back(key);
  return present;
}

std::string alternatives(std::initializer_list<std::string_view> keys) {
  std::vector<std::string> names(keys.begin(), keys.end());
  return text::join_alternatives(names);
}

std::string_view exactly_one_of(Object& object, std::initializer_list<std::string_view> keys) {
  std::vector<std::string_view> present = present_keys(object, keys);
  if (present.empty()) object.fail("expected one of " + alternatives(keys) + ", got none");
  if (present.size() > 1) {
    const auto file_order = [&](std::string_view a, std::string_view b) {
      const Field first = object.field(a), second = object.field(b);
      return std::pair(first.line(), first.column()) < std::pair(second.line(), second.column());
    };
    std::sort(present.begin(), present.end(), file_order);
    object.field(present[1]).fail("expected exactly one of " + alternatives(keys) + ", got both " +
                                  std::string(present[0]) + " and " + std::string(present[1]));
  }
  return present.front();
}

void require_currency(const Field& field, const std::string& written, const std::string& currency) {
  if (!written.empty() && written != currency)
    field.fail_expected("a price in " + currency + " (the deal's currency)");
}

deal::Price read_rental_price(const Field& field, const DealFrame& frame, const deal::Sku& sku,
                              const std::optional<Decimal>& vat_rate) {
  const deal::Price price = field.as_quoted_price({deal::PriceUnit::gpu_hour, deal::PriceUnit::gpu_month,
                                                   deal::PriceUnit::server_hour, deal::PriceUnit::server_month,
                                                   deal::PriceUnit::rack_hour, deal::PriceUnit::rack_month});
  if (price.vat == deal::VatBasis::included && !vat_rate)
    field.fail_expected("a price without VAT (no VAT is charged on it)");
  if (price.vat == deal::VatBasis::included && *vat_rate == 0)
    field.fail_expected("a price excl. VAT, or a vat_rate on the contract: a price incl. VAT is divided by "
                        "(1 + the contract's vat_rate), which is 0%");
  require_currency(field, price.currency, frame.currency);
  if (!deal::rental_unit_fits(price.unit, sku)) {
    const bool rack = sku.unit_kind == deal::UnitKind::rack;
    field.fail_expected(std::string("a price per GPU or per ") + (rack ? "rack" : "server") + " (a unit of " +
                        sku.name + " is a " + (rack ? "rack" : "server") + " in the catalogue)");
  }
  return price;
}

}  // namespace leasecalc::io
