#pragma once
// Quantities as a finance user writes them in a model file: "26.6亿 CNY", "4.5%", "60 months",
// "2.99 USD/GPU-hour", "10.2 kW". Pure functions of the text, no YAML.
//
// Values are exact: the digits are read as text into num::Decimal and never pass through a
// double, so "26.6亿" is exactly 2660000000. The grammar is documented in docs/units.md.

#include "leasecalc/deal/price.hpp"
#include "leasecalc/num/numeric.hpp"

#include <boost/date_time/gregorian/gregorian_types.hpp>

#include <stdexcept>
#include <string>
#include <string_view>

namespace leasecalc::io {

// Text that does not match the expected form. The message reads
// `expected WHAT, got "TEXT"`, followed by ` (NOTE)` when there is a more specific reason.
class ParseError : public std::invalid_argument {
 public:
  ParseError(std::string expected, std::string text, std::string note = {});

  const std::string& expected() const noexcept { return expected_; }  // "an amount of money such as …"
  const std::string& text() const noexcept { return text_; }          // the text as given
  const std::string& note() const noexcept { return note_; }          // the specific reason, or empty

 private:
  std::string expected_;
  std::string text_;
  std::string note_;
};

// An amount of money. The currency is optional in the text: the caller decides what a missing
// currency means (the deal's currency, or an error where it matters).
struct Money {
  num::Decimal amount;
  std::string currency;  // ISO 4217 code such as "CNY"; empty when the text named none

  friend bool operator==(const Money&, const Money&) = default;
};

// Each parser accepts surrounding white space and throws ParseError on anything else.

// "2.6M CNY", "26.6亿 CNY", "150 万", "2,600,000 CNY", "11.9bn USD", "-5k USD", "2600000".
Money parse_money(std::string_view text);

// "CNY", "USD": exactly three upper-case letters.
std::string parse_currency(std::string_view text);

// "4.5%" -> 0.045, "250bp" -> 0.025. A bare number is rejected: 5 could mean 5 or 5%.
num::Decimal parse_percent(std::string_view text);

// "60 months", "5 years", "2.5 years" -> a count of months (60, 60, 30). A duration must be a
// whole number of months and not negative; a bare number is rejected.
int parse_months(std::string_view text);

// "2.99 USD/GPU-hour", "6.6万 CNY/server-month", "0.65 CNY/kWh", and with its VAT basis
// "70000 CNY/server-month incl. VAT" (or "excl. VAT", the default).
deal::Price parse_price(std::string_view text);

// A share of value at an age: "30% after 36 months" (share 0.3 at age 36), "25% after 5 years".
struct ShareAtAge {
  num::Decimal share;
  int age_months = 0;
};
ShareAtAge parse_share_at_age(std::string_view text);

// "10.2 kW", "700 W", "72 MW" -> kilowatts.
num::Decimal parse_power_kw(std::string_view text);

// A plain number without unit or scale: "1.17", "1024", "1,024", "-3", "2.5e3".
num::Decimal parse_number(std::string_view text);

// A whole number that is not negative: "1024", "1,024". Rejects "1024.5", "-1", "1e3".
int parse_count(std::string_view text);

// A calendar date written "YYYY-MM-DD".
boost::gregorian::date parse_date(std::string_view text);

// "true" or "false" (also "True", "TRUE", "False", "FALSE"). YAML 1.1's yes/no/on/off are
// rejected: "no" is a country code as often as it is a boolean.
bool parse_bool(std::string_view text);

}  // namespace leasecalc::io
