#pragma once
// The `warnings` array every JSON document carries (docs/json-output.md).

#include "leasecalc/io/warning.hpp"

#include <nlohmann/json.hpp>

#include <vector>

namespace leasecalc::report {

// [{file, line, column, field, message}, ...]; line and column are 0 when not known.
inline nlohmann::json warnings_json(const std::vector<io::Warning>& warnings) {
  nlohmann::json array = nlohmann::json::array();
  for (const io::Warning& w : warnings)
    array.push_back({{"file", w.position.file}, {"line", w.position.line}, {"column", w.position.column},
                     {"field", w.field}, {"message", w.message}});
  return array;
}

}  // namespace leasecalc::report
