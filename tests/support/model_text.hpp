#pragma once
// Model files written in tests: a catalogue of their own, so that the tests do not change when the
// bundled one grows, and the one edit a test makes to a base model.

#include <leasecalc/io/load_deal.hpp>

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace leasecalc::test {

inline io::Catalogue test_catalogue() {
  return io::parse_catalogue(R"(skus:
  - {name: H800, description: test, unit: server, gpus_per_unit: 8, list_price: 2.6M CNY, load_power: 10.2 kW, idle_power: 3.6 kW}
  - {name: H100, description: test, unit: server, gpus_per_unit: 8, list_price: 290k USD, load_power: 10.2 kW, idle_power: 3.6 kW}
  - {name: GB200-NVL72, description: test, unit: rack, gpus_per_unit: 72, list_price: 2.5M USD, load_power: 120 kW,
     idle_power: 42 kW}
)",
                             "catalogue.yaml");
}

// `text` with the only occurrence of `from` replaced by `to`.
inline std::string edit(std::string text, std::string_view from, std::string_view to) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "not found: " << from;
  EXPECT_EQ(text.find(from, at + 1), std::string::npos) << "not unique: " << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

}  // namespace leasecalc::test
