#pragma once
// Text helpers every layer shares: trimming, ASCII case-insensitive comparison, "a, b or c" lists
// and spelling suggestions. Model-file names ("Quarterly", "act/360") are matched without regard
// to letter case; units and currency codes are not (a lower-case m is no M).

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leasecalc::text {

inline bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// Without the white space at either end.
inline std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

inline char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

inline std::string ascii_lower(std::string_view text) {
  std::string lowered(text);
  std::transform(lowered.begin(), lowered.end(), lowered.begin(), [](char c) { return ascii_lower(c); });
  return lowered;
}

inline bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return ascii_lower(x) == ascii_lower(y); });
}

// `"text"`, built by appending: GCC 12 warns falsely (-Wrestrict) on `"\"" + std::string(...)`.
inline std::string quoted(std::string_view text) {
  std::string result;
  result.reserve(text.size() + 2);
  return result.append("\"").append(text).append("\"");
}

// "a", "a or b", "a, b or c".
template <class Names>
std::string join_alternatives(const Names& names) {
  std::string joined;
  const std::size_t count = std::size(names);
  std::size_t i = 0;
  for (const auto& name : names) {
    if (i > 0) joined += (i + 1 == count) ? " or " : ", ";
    joined += name;
    ++i;
  }
  return joined;
}

inline std::string join_alternatives(std::initializer_list<std::string_view> names) {
  return join_alternatives<std::initializer_list<std::string_view>>(names);
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

}  // namespace leasecalc::text
