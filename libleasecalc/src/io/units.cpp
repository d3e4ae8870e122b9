// Parsing of quantities with units and scales. The grammar is documented in docs/units.md.
#include "leasecalc/io/units.hpp"

#include "wording.hpp"

#include <array>
#include <climits>
#include <optional>
#include <utility>

namespace leasecalc::io {

using num::Decimal;

ParseError::ParseError(std::string expected, std::string text, std::string note)
    : std::invalid_argument("expected " + expected + ", got \"" + text + "\"" +
                            (note.empty() ? std::string() : " (" + note + ")")),
      expected_(std::move(expected)),
      text_(std::move(text)),
      note_(std::move(note)) {}

namespace {

// Thrown inside a parser with the specific reason; parse_as() adds what was expected and the text.
struct Rejection {
  std::string note;
};

[[noreturn]] void reject(std::string note = {}) { throw Rejection{std::move(note)}; }

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

// Length of the UTF-8 sequence starting with `lead` (1 for ASCII and for stray bytes).
std::size_t utf8_length(char lead) {
  const auto byte = static_cast<unsigned char>(lead);
  if (byte >= 0xF0) return 4;
  if (byte >= 0xE0) return 3;
  if (byte >= 0xC0) return 2;
  return 1;
}

// A number as written, with thousands separators removed.
struct NumberText {
  std::string literal;  // e.g. "-2600000.5e3": what num::from_string accepts
  bool has_fraction = false;
  bool has_exponent = false;
  bool negative = false;
  int significant_digits = 0;
};

// Reads the text token by token: a number first, then unit words and symbols.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : rest_(trim(text)) {}

  bool at_end() const { return rest_.empty(); }

  // A number at the current position: sign, digits with optional thousands separators, an
  // optional fraction and exponent. Returns nothing when no number starts here.
  std::optional<NumberText> number() {
    NumberText number;
    std::string_view text = rest_;
    if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
      number.negative = text.front() == '-';
      if (number.negative) number.literal += '-';
      text.remove_prefix(1);
    }
    if (text.empty() || !is_digit(text.front())) return std::nullopt;

    bool leading_zeros = true;
    auto take_digit = [&](char digit) {
      number.literal += digit;
      if (digit != '0') leading_zeros = false;
      if (!leading_zeros) ++number.significant_digits;
    };

    // Integer part; a comma must separate groups of exactly three digits ("2,600,000").
    std::size_t first_group = 0;
    while (!text.empty() && is_digit(text.front())) {
      take_digit(text.front());
      text.remove_prefix(1);
      ++first_group;
    }
    bool grouped = false;
    while (!text.empty() && text.front() == ',') {
      const bool three_digits = text.size() >= 4 && is_digit(text[1]) && is_digit(text[2]) && is_digit(text[3]) &&
                                (text.size() == 4 || !is_digit(text[4]));
      if (!three_digits || (!grouped && first_group > 3))
        reject("commas may only separate groups of three digits, as in 2,600,000; decimals take a point");
      grouped = true;
      for (int i = 1; i <= 3; ++i) take_digit(text[static_cast<std::size_t>(i)]);
      text.remove_prefix(4);
    }

    if (!text.empty() && text.front() == '.') {
      if (text.size() < 2 || !is_digit(text[1])) reject("a decimal point must be followed by digits");
      number.has_fraction = true;
      number.literal += '.';
      text.remove_prefix(1);
      while (!text.empty() && is_digit(text.front())) {
        take_digit(text.front());
        text.remove_prefix(1);
      }
    }

    // An exponent only when digits follow, so that "5EUR" stays five euros.
    if (!text.empty() && (text.front() == 'e' || text.front() == 'E')) {
      std::size_t digits_at = 1;
      if (text.size() > 1 && (text[1] == '+' || text[1] == '-')) digits_at = 2;
      if (text.size() > digits_at && is_digit(text[digits_at])) {
        number.has_exponent = true;
        number.literal += 'e';
        number.literal += text.substr(1, digits_at - 1);
        text.remove_prefix(digits_at);
        while (!text.empty() && is_digit(text.front())) {
          number.literal += text.front();
          text.remove_prefix(1);
        }
      }
    }
    rest_ = text;
    return number;
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
Decimal to_decimal(const NumberText& number) {
  if (number.significant_digits > 34) reject("more than 34 significant digits cannot be held exactly");
  try {
    return num::from_string<Decimal>(number.literal);
  } catch (const std::invalid_argument&) {
    reject("the number is out of range");
  }
}

NumberText require_number(Scanner& scanner) {
  std::optional<NumberText> number = scanner.number();
  if (!number) reject();
  return *number;
}

Decimal power_of_ten(int exponent) { return num::powi(Decimal(10), exponent); }

// The decimal exponent of a scale word, if `token` is one.
std::optional<int> scale_exponent(std::string_view token) {
  static constexpr std::array<std::pair<std::string_view, int>, 10> scales{{
      {"k", 3}, {"K", 3}, {"M", 6}, {"bn", 9}, {"Bn", 9}, {"B", 9},
      {"万", 4}, {"萬", 4},  // wan: ten thousand
      {"亿", 8}, {"億", 8},  // yi: a hundred million
  }};
  for (const auto& [name, exponent] : scales)
    if (token == name) return exponent;
  return std::nullopt;
}

bool is_currency_code(std::string_view token) {
  return token.size() == 3 && std::all_of(token.begin(), token.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

// A number, an optional scale and an optional currency: the body of amounts and prices.
Money scan_money(Scanner& scanner) {
  const NumberText number = require_number(scanner);
  Money money{to_decimal(number), {}};

  std::string_view token = scanner.token();
  if (const std::optional<int> exponent = scale_exponent(token)) {
    int total = *exponent;
    // 万亿 is ten thousand hundred-millions: a trillion.
    if ((token == "万" || token == "萬") && (scanner.peek_token() == "亿" || scanner.peek_token() == "億")) {
      scanner.token();
      total += 8;
    }
    money.amount *= power_of_ten(total);
    token = scanner.token();
  } else if (token == "m" || token == "mm" || token == "mn" || token == "MM") {
    reject("write M for million: a lower-case m could mean milli or million");
  }

  if (token.empty()) return money;
  if (is_currency_code(token)) {
    money.currency = std::string(token);
  } else if (token == "元") {
    reject("write the currency code CNY instead of 元");
  } else if (token.size() == 3 && std::all_of(token.begin(), token.end(), is_ascii_letter)) {
    reject("a currency code is three upper-case letters, such as CNY or USD");
  } else {
    reject("\"" + std::string(token) +
           "\" is neither a scale (k, M, bn, B, 万, 亿) nor a currency code (three upper-case letters such as CNY)");
  }
  if (const std::string_view extra = scanner.token(); !extra.empty())
    reject("unexpected \"" + std::string(extra) + "\" after the currency");
  return money;
}

void require_end(Scanner& scanner, std::string_view after_what) {
  if (const std::string_view extra = scanner.token(); !extra.empty())
    reject("unexpected \"" + std::string(extra) + "\" after " + std::string(after_what));
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

constexpr std::array<std::pair<std::string_view, PriceUnit>, 17> price_units{{
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

}  // namespace

std::string_view to_string(PriceUnit unit) {
  for (const auto& [name, value] : price_units)
    if (value == unit) return name;
  return "unknown unit";
}

Money parse_money(std::string_view text) {
  return parse_as(wording::money, text, [](Scanner& scanner) { return scan_money(scanner); });
}

std::string parse_currency(std::string_view text) {
  return parse_as(wording::currency, text, [](Scanner& scanner) {
    const std::string_view token = scanner.token();
    if (!is_currency_code(token)) reject();
    require_end(scanner, "the currency code");
    return std::string(token);
  });
}

Decimal parse_percent(std::string_view text) {
  return parse_as(wording::percent, text, [](Scanner& scanner) {
    const Decimal value = to_decimal(require_number(scanner));
    const std::string_view unit = scanner.token();
    Decimal fraction;
    if (unit == "%" || unit == "％") {
      fraction = value * Decimal("0.01");  // multiplying by an exact 0.01 keeps every digit
    } else if (unit == "bp" || unit == "bps") {
      fraction = value * Decimal("0.0001");
    } else if (unit.empty()) {
      reject("write the unit, as in 5% or 500bp: a bare 5 could mean 5 or 5%");
    } else {
      reject(wording::quoted(unit) + " is not a percentage unit: write % or bp");
    }
    require_end(scanner, "the percentage");
    return fraction;
  });
}

int parse_months(std::string_view text) {
  return parse_as(wording::months, text, [](Scanner& scanner) {
    const NumberText number = require_number(scanner);
    const Decimal value = to_decimal(number);
    const std::string unit = wording::ascii_lower(scanner.token());
    Decimal months;
    if (unit == "month" || unit == "months") {
      months = value;
    } else if (unit == "year" || unit == "years") {
      months = value * 12;
    } else if (unit.empty()) {
      reject("write the unit, months or years");
    } else {
      reject(wording::quoted(unit) + " is not a unit of duration: write months or years");
    }
    require_end(scanner, "the duration");
    if (months < 0) reject("a duration cannot be negative");
    if (num::floor(months) != months) reject("not a whole number of months");
    if (months > INT_MAX) reject("the duration is out of range");
    return months.convert_to<int>();
  });
}

Price parse_price(std::string_view text) {
  return parse_as(wording::price, text, [text](Scanner&) {
    const std::string_view trimmed = trim(text);
    const std::size_t slash = trimmed.find('/');
    if (slash == std::string_view::npos)
      reject("write what the price is per after a slash, as in USD/GPU-hour");
    if (trimmed.find('/', slash + 1) != std::string_view::npos) reject("a price has one slash");

    Scanner amount_scanner(trimmed.substr(0, slash));
    const Money money = scan_money(amount_scanner);

    const std::string_view unit_text = trim(trimmed.substr(slash + 1));
    std::vector<std::string> unit_names;
    for (const auto& [name, unit] : price_units) {
      if (wording::equal_ignoring_case(unit_text, name)) return Price{money.amount, money.currency, unit};
      unit_names.emplace_back(name);
    }
    std::string note = "unknown unit \"" + std::string(unit_text) + "\"";
    if (const auto suggestion = wording::closest_match(unit_text, unit_names))
      note += "; did you mean \"" + *suggestion + "\"?";
    note += "; a price is per " + wording::join_alternatives(unit_names);
    reject(note);
  });
}

Decimal parse_power_kw(std::string_view text) {
  return parse_as(wording::power, text, [](Scanner& scanner) {
    const Decimal value = to_decimal(require_number(scanner));
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
      reject(wording::quoted(unit) + " is not a unit of power: write W, kW or MW");
    }
    require_end(scanner, "the power");
    return kilowatts;
  });
}

Decimal parse_number(std::string_view text) {
  return parse_as(wording::number, text, [](Scanner& scanner) {
    const Decimal value = to_decimal(require_number(scanner));
    if (!scanner.at_end()) reject("a plain number takes no unit or scale");
    return value;
  });
}

int parse_count(std::string_view text) {
  return parse_as(wording::count, text, [](Scanner& scanner) {
    const NumberText number = require_number(scanner);
    if (!scanner.at_end()) reject("a count takes no unit or scale");
    if (number.has_fraction || number.has_exponent) reject("not a whole number");
    const Decimal value = to_decimal(number);
    if (value < 0) reject("a count cannot be negative");
    if (value > INT_MAX) reject("the count is out of range");
    return value.convert_to<int>();
  });
}

boost::gregorian::date parse_date(std::string_view text) {
  return parse_as(wording::date, text, [text](Scanner&) {
    const std::string_view date = trim(text);
    const bool shaped = date.size() == 10 && date[4] == '-' && date[7] == '-' &&
                        std::all_of(date.begin(), date.begin() + 4, is_digit) &&
                        std::all_of(date.begin() + 5, date.begin() + 7, is_digit) &&
                        std::all_of(date.begin() + 8, date.end(), is_digit);
    if (!shaped) reject();
    auto field = [&](std::size_t at, std::size_t length) {
      int value = 0;
      for (std::size_t i = at; i < at + length; ++i) value = value * 10 + (date[i] - '0');
      return value;
    };
    const int year = field(0, 4), month = field(5, 2), day = field(8, 2);
    if (year < 1400) reject("years before 1400 are not supported");
    try {
      return boost::gregorian::date(static_cast<unsigned short>(year), static_cast<unsigned short>(month),
                                    static_cast<unsigned short>(day));
    } catch (const std::out_of_range&) {
      reject("no such day in the calendar");
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
