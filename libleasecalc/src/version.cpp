#include "leasecalc/version.hpp"

namespace leasecalc {
std::string_view version() noexcept { return "0.1.0"; }
}  // namespace leasecalc
