#pragma once
// A warning about a model that is valid but economically odd (deal::warnings), at its place in the
// model file when it has one.

#include "leasecalc/deal/warnings.hpp"
#include "leasecalc/io/input_error.hpp"

#include <string>

namespace leasecalc::io {

struct Warning {
  SourcePosition position;  // file, line and column; empty or 0 when not known
  std::string field;        // "financing[0].term"
  std::string message;

  // `warning: FILE:LINE:COLUMN: FIELD.PATH: MESSAGE`, as commands print it on stderr.
  std::string text() const { return "warning: " + located_message(position, field, message); }
};

// A warning about a deal built in code: no place in a file.
inline Warning unlocated(const deal::Warning& warning) { return {{}, warning.field, warning.message}; }

}  // namespace leasecalc::io
