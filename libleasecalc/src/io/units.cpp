// Parsing of quantities with units and scales. The grammar is documented in docs/units.md.
#include "leasecalc/io/units.hpp"

#include "wording.hpp"

#include "leasecalc/deal/currency.hpp"
#include "leasecalc/num/number_text.hpp"
#include "leasecalc/time/date.hpp"

#include <array>
#include <climits>
#include <optional>
#include <utility>

namespace leasecalc::io {

using num::Decimal;

ParseError::ParseError(std::string expected, std::string text, std::string note)
    : std::invalid_argument("expected " + expected + ", got \"" + wording::excerpt(text) + "\"" +
                            (note.empty() ? std::string() : " (" + note + ")")),
      expected_(std::move(expected)),
      text_(wording::excerpt(text)),
      note_(std::move(note)) {}

namespace {

// Thrown inside a parser with the specific reason; parse_as() adds what was expected and the text.
struct Rejection {
  std::string note;
};

[[noreturn]] void reject(std::string note = {}) { throw Rejection{std::move(note)}; }

using text::is_space;
using text::trim;
bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Length of the UTF-8 sequence starting with `lead` (1 for ASCII and for stray bytes).
std::size_t utf8_length(char lead) {
  const auto byte = static_cast<unsigned char>(lead);
  if (byte >= 0xF0) return 4;
  if (byte >= 0xE0) return 3;
  if (byte >= 0xC0) return 2;
  return 1;
}

using num::NumberText;

// Reads the text token by token: a number first, then unit words and symbols.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : rest_(trim(text)) {}

  bool at_end() const { return rest_.empty(); }

  // A number at the current position (the grammar of num::read_number). Returns nothing when no
  // number starts here.
  std::optional<NumberText> number() {
    try {
      return num::read_number(rest_);
    } catch (const num::NumberTextError& error) {
      reject(error.note());
    }
  }

  // The next unit token, after white space: a run of ASCII letters ("CNY", "bps"), or one other
  // character such as "%", "/" or "亿". Empty at the end of the text.
  std::string_view token() {
    skip_spaces();
    if (rest_.empty()) return {};
    std::size_t length = 0;
    if (is_ascii_letter(rest_.front())) {
      while (length < rest_.size() && is_ascii_letter(rest_[length])) ++length;
    } else {
      length = std::min(utf8_length(rest_.front()), rest_.size());
    }
    const std::string_view token = rest_.substr(0, length);
    rest_.remove_prefix(length);
    return token;
  }

  std::string_view peek_token() const {
    Scanner copy = *this;
    return copy.token();
  }

  void skip_spaces() {
    while (!rest_.empty() && is_space(rest_.front())) rest_.remove_prefix(1);
  }

 private:
  std::string_view rest_;
};

// Exactly the digits written, or a rejection when Decimal cannot hold them all.
Decimal exact_value(const NumberText& number) {
  try {
    return num::to_decimal(number);
  } catch (const num::NumberTextError& error) {
    reject(error.note());
  }
}

NumberText require_number(Scanner& scanner) {
  std::optional<NumberText> number = scanner.number();
  if (!number) reject();
  return *number;
}

using num::scale_exponent;

bool is_currency_code(std::string_view token) {
  return token.size() == 3 && std::all_of(token.begin(), token.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

// A currency code of ISO 4217, or a rejection that names the code meant: "RMB" is the renminbi's
// name, not a code (CNY); a near miss of a code ("USS") is suggested too.
std::string checked_currency(std::string_view code) {
  if (deal::is_iso_4217_currency(code)) return std::string(code);
  std::string note = text::quoted(code) + " is not an ISO 4217 currency code";
  if (const std::optional<std::string_view> meant = deal::iso_code_for_name(code)) {
    note += "; did you mean \"" + std::string(*meant) + "\"?";
  } else {
    const std::vector<std::string> codes(deal::iso_4217_currencies.begin(), deal::iso_4217_currencies.end());
    if (const std::optional<std::string> meant = text::closest_match(code, codes))
      note += "; did you mean \"" + *meant + "\"?";
  }
  reject(note);
}

// A number, an optional scale and an optional currency: the body of amounts and prices.
Money scan_money(Scanner& scanner) {
  const NumberText number = require_number(scanner);
  Money money{exact_value(number), {}};

  std::string_view token = scanner.token();
  if (const std::optional<int> exponent = scale_exponent(token)) {
    int total = *exponent;
    // 万亿 is ten thousand hundred-millions: a trillion.
    if ((token == "万" || token == "萬") && (scanner.peek_token() == "亿" || scanner.peek_token() == "億")) {
      scanner.token();
      total += 8;
    }
    money.amount = num::times_power_of_ten(money.amount, total);
    token = scanner.token();
  } else if (token == "m" || token == "mm" || token == "mn" || token == "MM") {
    reject("write M for million: a lower-case m could mean milli or million");
  }

  if (token.empty()) return money;
  if (is_currency_code(token)) {
    money.currency = checked_currency(token);
  } else if (token == "元") {
    reject("write the currency code CNY instead of 元");
  } else if (token.size() == 3 && std::all_of(token.begin(), token.end(), is_ascii_letter)) {
    reject("a currency code is three upper-case letters, such as CNY or USD");
  } else {
    reject("\"" + wording::excerpt(token) +
           "\" is neither a scale (k, M, bn, B, 万, 亿) nor a currency code (three upper-case letters such as CNY)");
  }
  if (const std::string_view extra = scanner.token(); !extra.empty())
    reject("unexpected \"" + wording::excerpt(extra) + "\" after the currency");
  return money;
}

void require_end(Scanner& scanner, std::string_view after_what) {
  if (const std::string_view extra = scanner.token(); !extra.empty())
    reject("unexpected \"" + wording::excerpt(extra) + "\" after " + std::string(after_what));
}

// Runs `parse`, turning a rejection into a ParseError that says what was expected.
template <class Parse>
auto parse_as(const wording::Kind& kind, std::string_view text, Parse parse) {
  try {
    Scanner scanner(text);
    return parse(scanner);
  } catch (const Rejection& rejection) {
    throw ParseError(kind.with_examples(), std::string(text), rejection.note);
  }
}

// A price's closing "incl. VAT" or "excl. VAT" (also "incl VAT", "including VAT", "excl VAT",
// "excluding VAT"; VAT in any case), taken off `unit_text`. Text ending in VAT that is none of
// these is rejected; text not ending in VAT excludes VAT.
deal::VatBasis take_vat_basis(std::string_view& unit_text) {
  constexpr std::string_view vat_word = "VAT";
  if (unit_text.size() < vat_word.size() ||
      !text::equal_ignoring_case(unit_text.substr(unit_text.size() - vat_word.size()), vat_word))
    return deal::VatBasis::excluded;
  const std::size_t space = unit_text.find_first_of(" \t");
  if (space == std::string_view::npos) reject("write \"incl. VAT\" or \"excl. VAT\" after the unit, with a space");
  const std::string_view phrase = trim(unit_text.substr(space));
  const std::string_view words = trim(phrase.substr(0, phrase.size() - vat_word.size()));
  unit_text = trim(unit_text.substr(0, space));
  for (std::string_view including : {"incl.", "incl", "including"})
    if (text::equal_ignoring_case(words, including)) return deal::VatBasis::included;
  for (std::string_view excluding : {"excl.", "excl", "excluding"})
    if (text::equal_ignoring_case(words, excluding)) return deal::VatBasis::excluded;
  reject("after the unit, write \"incl. VAT\" or \"excl. VAT\", got " + text::quoted(phrase));
}

}  // namespace

Money parse_money(std::string_view text) {
  return parse_as(wording::money, text, [](Scanner& scanner) { return scan_money(scanner); });
}

std::string parse_currency(std::string_view text) {
  return parse_as(wording::currency, text, [](Scanner& scanner) {
    const std::string_view token = scanner.token();
    if (!is_currency_code(token)) reject();
    require_end(scanner, "the currency code");
    return checked_currency(token);
  });
}

Decimal parse_percent(std::string_view text) {
  return parse_as(wording::percent, text, [](Scanner& scanner) {
    const Decimal value = exact_value(require_number(scanner));
    const std::string_view unit = scanner.token();
    Decimal fraction;
    if (const std::optional<int> exponent = num::percent_exponent(unit)) {
      fraction = num::times_power_of_ten(value, *exponent);
    } else if (unit.empty()) {
      // A plain number is the fraction itself (0.15 is 15%); from 1 up it could be meant as a
      // percentage (5 for 5%), so the unit must be written.
      if (num::abs(value) >= 1) reject("write the unit, as in 5% or 500bp: a bare 5 could mean 5 or 5%");
      fraction = value;
    } else {
      reject(text::quoted(unit) + " is not a percentage unit: write % or bp");
    }
    require_end(scanner, "the percentage");
    return fraction;
  });
}

int parse_months(std::string_view text) {
  return parse_as(wording::months, text, [](Scanner& scanner) {
    const NumberText number = require_number(scanner);
    const Decimal value = exact_value(number);
    const std::string unit = text::ascii_lower(scanner.token());
    Decimal months;
    if (unit == "month" || unit == "months") {
      months = value;
    } else if (unit == "year" || unit == "years") {
      months = value * 12;
    } else if (unit.empty()) {
      reject("write the unit, months or years");
    } else {
      reject(text::quoted(unit) + " is not a unit of duration: write months or years");
    }
    require_end(scanner, "the duration");
    if (months < 0) reject("a duration cannot be negative");
    if (num::floor(months) != months) reject("not a whole number of months");
    if (months > INT_MAX) reject("the duration is out of range");
    return months.convert_to<int>();
  });
}

deal::Price parse_price(std::string_view text) {
  return parse_as(wording::price, text, [text](Scanner&) {
    const std::string_view trimmed = trim(text);
    const std::size_t slash = trimmed.find('/');
    if (slash == std::string_view::npos)
      reject("write what the price is per after a slash, as in USD/GPU-hour");
    if (trimmed.find('/', slash + 1) != std::string_view::npos) reject("a price has one slash");

    Scanner amount_scanner(trimmed.substr(0, slash));
    const Money money = scan_money(amount_scanner);

    std::string_view unit_text = trim(trimmed.substr(slash + 1));
    const deal::VatBasis vat = take_vat_basis(unit_text);
    std::vector<std::string> unit_names;
    for (const auto& [name, unit] : deal::price_unit_names) {
      if (text::equal_ignoring_case(unit_text, name)) return deal::Price{money.amount, unit, money.currency, vat};
      unit_names.emplace_back(name);
    }
    std::string note = "unknown unit \"" + wording::excerpt(unit_text) + "\"";
    if (const auto suggestion = text::closest_match(unit_text, unit_names))
      note += "; did you mean \"" + *suggestion + "\"?";
    note += "; a price is per " + text::join_alternatives(unit_names);
    reject(note);
  });
}

ShareAtAge parse_share_at_age(std::string_view text) {
  return parse_as(wording::share_at_age, text, [text](Scanner&) {
    const std::string_view trimmed = trim(text);
    constexpr std::string_view after = " after ";
    const std::size_t split = trimmed.find(after);
    if (split == std::string_view::npos) reject("write the share, then \"after\" and the age, as in 30% after 36 months");
    ShareAtAge result;
    try {
      result.share = parse_percent(trimmed.substr(0, split));
      result.age_months = parse_months(trimmed.substr(split + after.size()));
    } catch (const ParseError& error) {
      reject(error.note().empty() ? "expected " + error.expected() + ", got \"" + error.text() + "\"" : error.note());
    }
    return result;
  });
}

Decimal parse_power_kw(std::string_view text) {
  return parse_as(wording::power, text, [](Scanner& scanner) {
    const Decimal value = exact_value(require_number(scanner));
    const std::string_view unit = scanner.token();
    Decimal kilowatts;
    if (unit == "W") {
      kilowatts = value * Decimal("0.001");
    } else if (unit == "kW" || unit == "KW" || unit == "kw") {
      kilowatts = value;
    } else if (unit == "MW") {
      kilowatts = value * 1000;
    } else if (unit.empty()) {
      reject("write the unit: W, kW or MW");
    } else {
      reject(text::quoted(unit) + " is not a unit of power: write W, kW or MW");
    }
    require_end(scanner, "the power");
    return kilowatts;
  });
}

Decimal parse_number(std::string_view text) {
  return parse_as(wording::number, text, [](Scanner& scanner) {
    const Decimal value = exact_value(require_number(scanner));
    if (!scanner.at_end()) reject("a plain number takes no unit or scale");
    return value;
  });
}

int parse_count(std::string_view text) {
  return parse_as(wording::count, text, [](Scanner& scanner) {
    const NumberText number = require_number(scanner);
    if (!scanner.at_end()) reject("a count takes no unit or scale");
    if (number.has_fraction || number.has_exponent) reject("not a whole number");
    const Decimal value = exact_value(number);
    if (value < 0) reject("a count cannot be negative");
    if (value > INT_MAX) reject("the count is out of range");
    return value.convert_to<int>();
  });
}

boost::gregorian::date parse_date(std::string_view text) {
  return parse_as(wording::date, text, [text](Scanner&) {
    try {
      return time::parse_date(trim(text));
    } catch (const time::DateError& error) {
      if (error.malformed()) reject();
      reject(error.reason());
    }
  });
}

bool parse_bool(std::string_view text) {
  return parse_as(wording::boolean, text, [text](Scanner&) {
    const std::string_view word = trim(text);
    if (word == "true" || word == "True" || word == "TRUE") return true;
    if (word == "false" || word == "False" || word == "FALSE") return false;
    reject();
  });
}

}  // namespace leasecalc::io
