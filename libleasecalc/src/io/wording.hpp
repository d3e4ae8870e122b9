#pragma once
// Shared wording of input errors: what each kind of value looks like (the text helpers are
// leasecalc/text/text.hpp).
// Internal to the io layer.

#include "leasecalc/text/text.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace leasecalc::io::wording {

// One kind of value: a noun for range and missing-key messages ("a percentage from 0% to
// 100%"), and examples for messages about malformed text.
struct Kind {
  std::string_view noun;
  std::string_view examples;

  std::string with_examples() const {
    return examples.empty() ? std::string(noun) : std::string(noun) + " such as " + std::string(examples);
  }
};

// Text as messages quote it: at most 60 bytes, cut at a whole UTF-8 character, then "...", so that
// a hostile 10 MB scalar is never echoed whole.
inline std::string excerpt(std::string_view text) {
  constexpr std::size_t limit = 60;
  if (text.size() <= limit) return std::string(text);
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "...";
}

inline constexpr Kind money{"an amount of money", R"("2.6M CNY" or "26.6亿 CNY")"};
inline constexpr Kind currency{"a currency code", R"("CNY" or "USD")"};
inline constexpr Kind percent{"a percentage", R"("4.5%" or "250bp")"};
inline constexpr Kind months{"a duration", R"("60 months" or "5 years")"};
inline constexpr Kind share_at_age{"a share at an age", R"("30% after 36 months")"};
inline constexpr Kind price{"a price", R"("2.99 USD/GPU-hour" or "66000 CNY/server-month")"};
inline constexpr Kind power{"a power", R"("10.2 kW", "700 W" or "72 MW")"};
inline constexpr Kind number{"a number", R"("1.17" or "1024")"};
inline constexpr Kind count{"a whole number", R"("1024")"};
inline constexpr Kind date{"a date", R"("2025-03-01" (YYYY-MM-DD))"};
inline constexpr Kind boolean{"true or false", ""};
inline constexpr Kind text{"a text", ""};
inline constexpr Kind object{"a map of keys", ""};
inline constexpr Kind list{"a list", ""};

}  // namespace leasecalc::io::wording
