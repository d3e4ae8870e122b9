// Every parser of quantities in model files (io/units) on the same text: each returns a value or
// throws io::ParseError (with the text it could not read); nothing else may escape.
#include <leasecalc/io/units.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {

template <class Parse>
void parse_or_reject(std::string_view text, const Parse& parse) {
  try {
    parse(text);
  } catch (const leasecalc::io::ParseError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace io = leasecalc::io;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  parse_or_reject(text, [](std::string_view t) { return io::parse_money(t); });
  parse_or_reject(text, [](std::string_view t) { return io::parse_currency(t); });
  parse_or_reject(text, [](std::string_view t) { return io::parse_percent(t); });
  parse_or_reject(text, [](std::string_view t) { return io::parse_months(t); });
  parse_or_reject(text, [](std::string_view t) { return io::parse_price(t); });
  parse_or_reject(text, [](std::string_view t) { return io::parse_power_kw(t); });
  parse_or_reject(text, [](std::string_view t) { return io::parse_number(t); });
  parse_or_reject(text, [](std::string_view t) { return io::parse_count(t); });
  parse_or_reject(text, [](std::string_view t) { return io::parse_date(t); });
  parse_or_reject(text, [](std::string_view t) { return io::parse_bool(t); });
  return 0;
}
