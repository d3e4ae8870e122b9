#pragma once
// The `warnings` array every JSON document carries (docs/json-output.md).

#include "json_text.hpp"

#include "leasecalc/io/warning.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace leasecalc::report {

// [{column, field, file, line, message}, ...]; line and column are 0 when not known.
inline void write_warnings(JsonText& out, const std::vector<io::Warning>& warnings) {
  out.begin_array();
  for (const io::Warning& w : warnings) {
    out.begin_object();
    out.member("column", w.position.column);
    out.member("field", w.field);
    out.member("file", w.position.file);
    out.member("line", w.position.line);
    out.member("message", w.message);
    out.end_object();
  }
  out.end_array();
}

inline nlohmann::json warnings_json(const std::vector<io::Warning>& warnings) {
  std::string text;
  JsonText out(text);
  write_warnings(out, warnings);
  return nlohmann::json::parse(text);
}

}  // namespace leasecalc::report
