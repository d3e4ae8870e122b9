// `leasecalc calc`'s two inputs: the first line is the command's arguments (the function name,
// then its arguments, separated by blanks), the rest is its standard input. As the command does:
// the cash flows are parsed, then the function evaluated. Bad input must be std::invalid_argument
// with a message; a result must be a finite number; no result must say why.
#include <leasecalc/fin/spreadsheet.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace {

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "calc_fuzzer: %s\n", what);
  std::abort();
}

std::vector<std::string_view> split_blanks(std::string_view line) {
  std::vector<std::string_view> words;
  std::size_t at = 0;
  while (at < line.size()) {
    const std::size_t start = line.find_first_not_of(" \t", at);
    if (start == std::string_view::npos) break;
    const std::size_t end = line.find_first_of(" \t", start);
    words.push_back(line.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    at = end == std::string_view::npos ? line.size() : end;
  }
  return words;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace fin = leasecalc::fin;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::size_t newline = text.find('\n');
  const std::vector<std::string_view> args = split_blanks(text.substr(0, newline));
  const std::string_view input = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
  if (args.empty()) return 0;
  const fin::SpreadsheetFunction* function = fin::find_spreadsheet_function(args[0]);
  if (function == nullptr) return 0;
  // Every period count is fuzzed: RATE takes NPV in closed form beyond 1,100 periods, and DB and
  // VDB refuse lives above 10^5 periods themselves.
  try {
    const fin::CashFlows flows = function->cash_flows == fin::CashFlowInput::none
                                     ? fin::CashFlows{}
                                     : fin::parse_cash_flows(input, function->cash_flows);
    const std::vector<std::string_view> arguments(args.begin() + 1, args.end());
    const fin::SpreadsheetOutcome outcome = fin::evaluate(*function, arguments, flows);
    if (const auto* value = std::get_if<fin::SpreadsheetValue>(&outcome)) {
      if (!std::isfinite(value->value)) fail("a result that is not a finite number");
    } else if (std::get<fin::SpreadsheetNoResult>(outcome).message.empty()) {
      fail("no result without a reason");
    }
  } catch (const std::invalid_argument& e) {
    if (std::string_view(e.what()).empty()) fail("bad input without a message");
  }
  return 0;
}
