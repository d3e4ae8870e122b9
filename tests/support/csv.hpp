#pragma once
// Splitting the lines of the golden CSV files.

#include <sstream>
#include <string>
#include <vector>

namespace leasecalc::test {

// The fields of one CSV line (no quoting in the golden files); a trailing separator ends with an
// empty field, and an empty line has none.
inline std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  if (text.empty()) return parts;
  std::stringstream stream(text);
  std::string part;
  while (std::getline(stream, part, separator)) parts.push_back(part);
  if (text.back() == separator) parts.emplace_back();
  return parts;
}

}  // namespace leasecalc::test
