#pragma once
// JSON written straight to text, byte for byte as nlohmann::json's dump(-1) of the same document
// writes it (the library's other documents), without building the document first: what a quote
// answers with thousands of times a second. The caller writes an object's keys in sorted order,
// as nlohmann's objects (std::map) hold them; a test parses and re-dumps the text to hold both.

#include <nlohmann/json.hpp>

#include <array>
#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace leasecalc::report {

class JsonText {
 public:
  explicit JsonText(std::string& out) : out_(out) {}

  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }
  void key(std::string_view name) {
    separate();
    string_text(name);
    out_ += ':';
    after_key_ = true;
  }

  // A key and its value, for the members whose value is one call.
  template <class Value>
  void member(std::string_view name, const Value& value) {
    key(name);
    if constexpr (std::is_same_v<Value, bool>) boolean(value);
    else if constexpr (std::is_integral_v<Value>) integer(value);
    else if constexpr (std::is_convertible_v<const Value&, std::string_view>) string(value);
    else number(value);  // a double, or std::optional<double>
  }

  void string(std::string_view text) {
    separate();
    string_text(text);
  }
  // Not finite: null, as nlohmann writes it. Else the shortest digits that read back as the same
  // double, by the library's own routine (so "1.0", "-0.0", "1e+20" as it writes them).
  void number(double value) {
    separate();
    if (!std::isfinite(value)) {
      out_ += "null";
      return;
    }
    std::array<char, 64> buffer;
    const char* end = nlohmann::detail::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    out_.append(buffer.data(), static_cast<std::size_t>(end - buffer.data()));
  }
  void number(std::optional<double> value) {
    if (value) number(*value);
    else null();
  }
  void integer(long long value) {
    separate();
    std::array<char, 24> buffer;
    const char* end = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value).ptr;
    out_.append(buffer.data(), static_cast<std::size_t>(end - buffer.data()));
  }
  void boolean(bool value) {
    separate();
    out_ += value ? "true" : "false";
  }
  void null() {
    separate();
    out_ += "null";
  }

 private:
  void open(char bracket) {
    separate();
    out_ += bracket;
    first_ = true;
  }
  void close(char bracket) {
    out_ += bracket;
    first_ = false;
  }
  // A comma before every value but the first of its object or array, and none after a key.
  void separate() {
    if (after_key_) after_key_ = false;
    else if (!first_) out_ += ',';
    first_ = false;
  }
  // Printable ASCII is copied in runs, with `"` and `\` escaped; anything else (control
  // characters, UTF-8, bytes that are not UTF-8, which become U+FFFD) is left to the library's own
  // escaping of the whole string.
  void string_text(std::string_view text) {
    const std::size_t start = out_.size();
    out_ += '"';
    std::size_t run = 0;  // the start of the run not yet copied
    for (std::size_t at = 0; at < text.size(); ++at) {
      const char c = text[at];
      if (c == '"' || c == '\\') {
        out_.append(text.data() + run, at - run).append(1, '\\');
        run = at;  // the character itself starts the next run
      } else if (c < 0x20 || c >= 0x7f) {
        out_.resize(start);
        out_ += nlohmann::json(std::string(text)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        return;
      }
    }
    out_.append(text.data() + run, text.size() - run).append(1, '"');
  }

  std::string& out_;
  bool first_ = true, after_key_ = false;
};

}  // namespace leasecalc::report
