#pragma once
// Shared wording of input errors: what each kind of value looks like, and spelling suggestions.
// Internal to the io layer.

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

inline constexpr Kind money{"an amount of money", R"("2.6M CNY" or "26.6亿 CNY")"};
inline constexpr Kind currency{"a currency code", R"("CNY" or "USD")"};
inline constexpr Kind percent{"a percentage", R"("4.5%" or "250bp")"};
inline constexpr Kind months{"a duration", R"("60 months" or "5 years")"};
inline constexpr Kind price{"a price", R"("2.99 USD/GPU-hour" or "66000 CNY/server-month")"};
inline constexpr Kind power{"a power", R"("10.2 kW", "700 W" or "72 MW")"};
inline constexpr Kind number{"a number", R"("1.17" or "1024")"};
inline constexpr Kind count{"a whole number", R"("1024")"};
inline constexpr Kind date{"a date", R"("2025-03-01" (YYYY-MM-DD))"};
inline constexpr Kind boolean{"true or false", ""};
inline constexpr Kind text{"a text", ""};
inline constexpr Kind object{"a map of keys", ""};
inline constexpr Kind list{"a list", ""};

// `"text"`, built by appending: GCC 12 warns falsely (-Wrestrict) on `"\"" + std::string(...)`.
inline std::string quoted(std::string_view text) {
  std::string result;
  result.reserve(text.size() + 2);
  return result.append("\"").append(text).append("\"");
}

inline char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

inline std::string ascii_lower(std::string_view text) {
  std::string lowered(text);
  std::transform(lowered.begin(), lowered.end(), lowered.begin(), [](char c) { return ascii_lower(c); });
  return lowered;
}

inline bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && ascii_lower(a) == ascii_lower(b);
}

// Levenshtein distance over bytes, ignoring ASCII case: "Servers" and "servers" are 0 apart.
inline std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitution = ascii_lower(a[i - 1]) == ascii_lower(b[j - 1]) ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + substitution});
    }
    std::swap(previous, current);
  }
  return previous[b.size()];
}

// The candidate a typo most likely meant, if any is close enough to be a plausible typo:
// at most two edits, or a third of the word for long words, and never the whole word.
inline std::optional<std::string> closest_match(std::string_view typed, const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  std::size_t best_distance = 0;
  for (const std::string& candidate : candidates) {
    const std::size_t distance = edit_distance(typed, candidate);
    const std::size_t longer = std::max(typed.size(), candidate.size());
    const std::size_t allowed = std::max<std::size_t>(2, longer / 3);
    if (distance > allowed || distance >= std::min(typed.size(), candidate.size())) continue;
    if (!best || distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

// "a, b or c"
inline std::string join_alternatives(const std::vector<std::string>& names) {
  std::string joined;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) joined += (i + 1 == names.size()) ? " or " : ", ";
    joined += names[i];
  }
  return joined;
}

}  // namespace leasecalc::io::wording
