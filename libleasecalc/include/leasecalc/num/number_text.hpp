#pragma once
// The one grammar of numbers as people write them, shared by model files (io) and command lines
// (`run --target-irr 15%`, `calc pmt 7.5% 60 100M`): an optional sign, digits with optional
// thousands separators, an optional fraction and exponent, and where the place allows it one
// suffix: a percentage (%, bp) or a scale (k, M, bn, 万, 亿). docs/units.md states it in full.
//
// Pure functions of the text. Values are exact: a Decimal gets the digits as written, and a double
// is the one nearest to the written value (correctly rounded, never a product of two roundings).

#include "leasecalc/num/numeric.hpp"

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace leasecalc::num {

// Text that is not a number of the expected form. `note()` is the specific reason, or empty when
// there is nothing to add to "not a number".
class NumberTextError : public std::invalid_argument {
 public:
  explicit NumberTextError(std::string note)
      : std::invalid_argument(note.empty() ? std::string("not a number") : note), note_(std::move(note)) {}
  const std::string& note() const noexcept { return note_; }

 private:
  std::string note_;
};

// A number as written, with thousands separators removed.
struct NumberText {
  std::string literal;  // e.g. "-2600000.5e3"
  bool has_fraction = false;
  bool has_exponent = false;
  bool negative = false;
  int significant_digits = 0;
};

// The number at the start of `text` (after no white space), which is then advanced past it.
// Nothing when no number starts there (a letter, a second sign as in "+-100"); a malformed
// number ("1,00", "5.") throws NumberTextError. An "e" is an exponent only when digits follow,
// so that "5EUR" stays five euros.
std::optional<NumberText> read_number(std::string_view& text);

// The digits written, exactly; NumberTextError beyond 34 significant digits.
Decimal to_decimal(const NumberText& number);

// The decimal exponent of a scale word: k, K (3), M (6), bn, Bn, B (9), 万, 萬 (4), 亿, 億 (8).
std::optional<int> scale_exponent(std::string_view word);

// The decimal exponent of a percentage unit: % or ％ (-2), bp or bps (-4).
std::optional<int> percent_exponent(std::string_view word);

// What may follow the number where it is written.
struct Suffixes {
  bool percent = false;  // 7.5%, 250bp
  bool scale = false;    // 100M, 26.6亿, 2.5k
};

// A whole text as one number times a power of ten: "7.5%" is 7.5 x 10^-2, "100M" 100 x 10^6.
struct Quantity {
  NumberText number;
  int exponent = 0;
};

// White space around is allowed; anything else than the number and one accepted suffix throws
// NumberTextError saying what is wrong.
Quantity parse_quantity(std::string_view text, Suffixes accepted);

Decimal to_decimal(const Quantity& quantity);
// The double nearest to the written value; NumberTextError when it is beyond a double's range.
double to_double(const Quantity& quantity);

}  // namespace leasecalc::num
