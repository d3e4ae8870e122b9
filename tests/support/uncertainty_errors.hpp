#pragma once
// The check of an `uncertainty:` section the loader must refuse: a located error at `line`, on the
// field `path`, whose message holds `words` and starts with the file and line.

#include <leasecalc/io/input_error.hpp>
#include <leasecalc/io/load_uncertainty.hpp>

#include <gtest/gtest.h>

#include <string>

namespace leasecalc::test {

inline void expect_uncertainty_error(const std::string& text, int line, const std::string& path, const std::string& words) {
  try {
    (void)io::parse_uncertainty(text, "m.yaml");
    ADD_FAILURE() << "accepted: " << text;
  } catch (const io::InputError& error) {
    EXPECT_EQ(error.line(), line) << error.what();
    EXPECT_EQ(error.path(), path) << error.what();
    EXPECT_NE(std::string(error.what()).find(words), std::string::npos) << error.what();
    EXPECT_EQ(std::string(error.what()).rfind("m.yaml:" + std::to_string(line) + ":", 0), 0u) << error.what();
  }
}

}  // namespace leasecalc::test
