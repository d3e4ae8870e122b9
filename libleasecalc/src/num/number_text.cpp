// The number grammar of docs/units.md.
#include "leasecalc/num/number_text.hpp"

#include "leasecalc/text/text.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <stdexcept>
#include <utility>

namespace leasecalc::num {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
using text::is_space;
using text::trim;

// The suffix word after a number: a run of ASCII letters, or one other (UTF-8) character.
std::string_view suffix_word(std::string_view text) {
  if (text.empty()) return text;
  const auto is_letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  std::size_t length = 0;
  if (is_letter(text.front())) {
    while (length < text.size() && is_letter(text[length])) ++length;
  } else {
    const auto byte = static_cast<unsigned char>(text.front());
    length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1;
  }
  return text.substr(0, std::min(length, text.size()));
}

}  // namespace

std::optional<NumberText> read_number(std::string_view& rest) {
  NumberText number;
  std::string_view text = rest;
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
      throw NumberTextError("commas may only separate groups of three digits, as in 2,600,000; decimals take a point");
    grouped = true;
    for (std::size_t i = 1; i <= 3; ++i) take_digit(text[i]);
    text.remove_prefix(4);
  }

  if (!text.empty() && text.front() == '.') {
    if (text.size() < 2 || !is_digit(text[1])) throw NumberTextError("a decimal point must be followed by digits");
    number.has_fraction = true;
    number.literal += '.';
    text.remove_prefix(1);
    while (!text.empty() && is_digit(text.front())) {
      take_digit(text.front());
      text.remove_prefix(1);
    }
  }

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
  rest = text;
  return number;
}

Decimal to_decimal(const NumberText& number) {
  if (number.significant_digits > 34) throw NumberTextError("more than 34 significant digits cannot be held exactly");
  try {
    return from_string<Decimal>(number.literal);
  } catch (const std::invalid_argument&) {
    throw NumberTextError("the number is out of range");
  } catch (const std::runtime_error&) {  // Boost.Multiprecision on an exponent beyond its range
    throw NumberTextError("the number is out of range");
  }
}

std::optional<int> scale_exponent(std::string_view word) {
  static constexpr std::array<std::pair<std::string_view, int>, 10> scales{{
      {"k", 3}, {"K", 3}, {"M", 6}, {"bn", 9}, {"Bn", 9}, {"B", 9},
      {"万", 4}, {"萬", 4},  // wan: ten thousand
      {"亿", 8}, {"億", 8},  // yi: a hundred million
  }};
  for (const auto& [name, exponent] : scales)
    if (word == name) return exponent;
  return std::nullopt;
}

std::optional<int> percent_exponent(std::string_view word) {
  if (word == "%" || word == "％") return -2;
  if (word == "bp" || word == "bps") return -4;
  return std::nullopt;
}

// A word as a message quotes it: at most 60 bytes (whole UTF-8 characters), then "...".
static std::string quoted_excerpt(std::string_view word) {
  constexpr std::size_t limit = 60;
  if (word.size() <= limit) return "\"" + std::string(word) + "\"";
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(word[cut]) & 0xC0) == 0x80) --cut;
  return "\"" + std::string(word.substr(0, cut)) + "...\"";
}

Quantity parse_quantity(std::string_view text, Suffixes accepted) {
  std::string_view rest = trim(text);
  std::optional<NumberText> number = read_number(rest);
  if (!number) throw NumberTextError({});
  Quantity quantity{std::move(*number), 0};
  while (!rest.empty() && is_space(rest.front())) rest.remove_prefix(1);
  if (rest.empty()) return quantity;
  const std::string_view word = suffix_word(rest);
  rest.remove_prefix(word.size());
  std::optional<int> exponent;
  if (accepted.percent) exponent = percent_exponent(word);
  if (!exponent && accepted.scale) {
    exponent = scale_exponent(word);
    // 万亿 is ten thousand hundred-millions: a trillion.
    if (exponent && (word == "万" || word == "萬") && (suffix_word(rest) == "亿" || suffix_word(rest) == "億")) {
      rest.remove_prefix(suffix_word(rest).size());
      *exponent += 8;
    }
  }
  if (!exponent) {
    if (!accepted.percent && !accepted.scale) throw NumberTextError("a plain number takes no unit or scale");
    std::string allowed = accepted.percent && accepted.scale ? "% or bp, or a scale (k, M, bn, 万, 亿)"
                          : accepted.percent                 ? "% or bp"
                                                             : "a scale (k, M, bn, 万, 亿)";
    throw NumberTextError(quoted_excerpt(word).append(" is not ").append(
        accepted.percent && !accepted.scale ? "a percentage unit: write " : "a unit here: write ") + allowed);
  }
  if (!trim(rest).empty())
    throw NumberTextError("unexpected " + quoted_excerpt(suffix_word(trim(rest))) + " after the number");
  quantity.exponent = *exponent;
  return quantity;
}

Decimal to_decimal(const Quantity& quantity) {
  Decimal value = to_decimal(quantity.number);
  return quantity.exponent != 0 ? times_power_of_ten(std::move(value), quantity.exponent) : value;
}

double to_double(const Quantity& quantity) {
  // The power of ten joins the written exponent, so that one correctly rounded conversion reads
  // "0.625%" as the double nearest 0.00625.
  std::string literal = quantity.number.literal;
  long long exponent = quantity.exponent;
  if (const std::size_t e = literal.find('e'); e != std::string::npos) {
    long long written = 0;
    const std::string digits = literal.substr(e + 1);
    const char* first = digits.data() + (digits.front() == '+' ? 1 : 0);
    const auto [end, ec] = std::from_chars(first, digits.data() + digits.size(), written);
    if (ec != std::errc{} || written > 100000 || written < -100000) throw NumberTextError("the number is out of range");
    exponent += written;
    literal.erase(e);
  }
  if (exponent != 0) literal += "e" + std::to_string(exponent);
  double value = 0;
  const auto [end, ec] = std::from_chars(literal.data(), literal.data() + literal.size(), value);
  if (ec != std::errc{} || end != literal.data() + literal.size() || !std::isfinite(value))
    throw NumberTextError("the number is out of range");
  return value;
}

}  // namespace leasecalc::num
