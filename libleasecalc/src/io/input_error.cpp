#include "leasecalc/io/input_error.hpp"

#include <utility>

namespace leasecalc::io {

std::string located_message(const SourcePosition& position, const std::string& path, const std::string& detail) {
  // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on "literal" + std::string chains.
  std::string message = position.file;
  if (position.line > 0) {
    message.append(":").append(std::to_string(position.line));
    message.append(":").append(std::to_string(position.column));
  }
  if (!message.empty()) message.append(": ");
  if (!path.empty()) message.append(path).append(": ");
  return message.append(detail);
}

InputError::InputError(SourcePosition position, std::string path, std::string detail, std::string expected,
                       std::string got)
    : std::runtime_error(located_message(position, path, detail)),
      position_(std::move(position)),
      path_(std::move(path)),
      detail_(std::move(detail)),
      expected_(std::move(expected)),
      got_(std::move(got)) {}

}  // namespace leasecalc::io
