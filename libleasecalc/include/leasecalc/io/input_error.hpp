#pragma once
// The one error type for bad model files: where (file, line, column, field path) and what.

#include <stdexcept>
#include <string>

namespace leasecalc::io {

// A place in a model file. Line and column are 1-based; 0 when unknown (a file that cannot be
// read, an empty document).
struct SourcePosition {
  std::string file;
  int line = 0;
  int column = 0;

  friend bool operator==(const SourcePosition&, const SourcePosition&) = default;
};

// `FILE:LINE:COLUMN: FIELD.PATH: DETAIL`, leaving out the position and the path when unknown or
// empty: how errors and warnings name their place.
std::string located_message(const SourcePosition& position, const std::string& path, const std::string& detail);

// what() reads `FILE:LINE:COLUMN: FIELD.PATH: DETAIL`, where DETAIL is usually
// `expected WHAT, got "VALUE"`; the position and the path are left out when unknown or empty.
class InputError : public std::runtime_error {
 public:
  // `expected` and `got` are kept for callers that inspect the error; `detail` is the sentence
  // shown after the path.
  InputError(SourcePosition position, std::string path, std::string detail, std::string expected = {},
             std::string got = {});

  const SourcePosition& position() const noexcept { return position_; }
  const std::string& file() const noexcept { return position_.file; }
  int line() const noexcept { return position_.line; }
  int column() const noexcept { return position_.column; }
  const std::string& path() const noexcept { return path_; }          // "contracts[1].price"; empty at the root
  const std::string& detail() const noexcept { return detail_; }      // the message after the path
  const std::string& expected() const noexcept { return expected_; }  // "a percentage from 0% to 100%"; may be empty
  const std::string& got() const noexcept { return got_; }            // the offending text or key; may be empty

 private:
  SourcePosition position_;
  std::string path_;
  std::string detail_;
  std::string expected_;
  std::string got_;
};

}  // namespace leasecalc::io
