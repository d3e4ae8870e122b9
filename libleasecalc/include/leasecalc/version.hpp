#pragma once
#include <string_view>

namespace leasecalc {
// The library's version, "MAJOR.MINOR.PATCH", as built.
std::string_view version() noexcept;
}  // namespace leasecalc
