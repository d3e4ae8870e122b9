#pragma once
// The `waterfall:` section of a model file (docs/model-format.md). Internal to the io layer.

#include "leasecalc/deal/deal.hpp"
#include "leasecalc/io/document.hpp"

#include <optional>

namespace leasecalc::io {

// The waterfall of `deal`, whose financing and covenants are already read; none without the
// section.
deal::Waterfall read_waterfall(std::optional<Object> section, const deal::Deal& deal);

}  // namespace leasecalc::io
