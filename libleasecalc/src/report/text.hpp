#pragma once
// Text helpers shared by the writers of `run`, `reproduce`, `compare`, `sensitivity` and `montecarlo`.

#include "leasecalc/num/numeric.hpp"

#include <cmath>
#include <cstdio>
#include <optional>
#include <string>

namespace leasecalc::report::text {

inline std::string format(const char* pattern, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, pattern, value);
  return buffer;
}

// Display width of UTF-8 text, counting CJK characters (3-byte sequences here) as two columns.
inline std::size_t width(const std::string& text) {
  std::size_t columns = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    const std::size_t length = byte < 0x80 ? 1 : byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4;
    columns += length == 3 ? 2 : 1;
    i += length;
  }
  return columns;
}

inline std::string pad_left(const std::string& text, std::size_t columns) {
  const std::size_t w = width(text);
  return w >= columns ? text : std::string(columns - w, ' ') + text;
}

inline std::string pad_right(const std::string& text, std::size_t columns) {
  const std::size_t w = width(text);
  return w >= columns ? text : text + std::string(columns - w, ' ');
}

inline std::string percent(const std::optional<double>& fraction, const char* pattern = "%.1f%%") {
  return fraction ? format(pattern, *fraction * 100) : "n/a";
}

// A CSV field, quoted when it holds a comma, a quote or a line break.
inline std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

// A number for CSV: the shortest text that reads back as the value (amounts booked to the cent as
// booked, rates as given); empty when there is none.
inline std::string csv_number(const std::optional<double>& value) { return value ? num::to_text(*value) : ""; }

}  // namespace leasecalc::report::text
