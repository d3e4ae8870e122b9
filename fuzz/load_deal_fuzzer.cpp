// The model loader on any text: io::parse_deal (the in-memory half of io::load_deal) returns a
// deal or throws io::InputError, which names the place and the field; nothing else may escape.
// SKUs come from the bundled catalogue, read once.
#include <leasecalc/io/load_deal.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace io = leasecalc::io;
  static const io::Catalogue catalogue =  // read-only after the first call
      io::load_catalogue(std::string(LEASECALC_SOURCE_DIR) + "/models/catalog/gpus.yaml");
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    io::parse_deal(text, "fuzz.yaml", catalogue);
  } catch (const io::InputError&) {
  }
  return 0;
}
