#pragma once
// The `covenants:` section of a model file (docs/model-format.md). Internal to the io layer.

#include "leasecalc/deal/deal.hpp"
#include "leasecalc/io/document.hpp"

#include <optional>

namespace leasecalc::io {

// The covenants of `deal`, whose head, horizon and financing are already read; none without the
// section.
deal::Covenants read_covenants(std::optional<Object> section, const deal::Deal& deal);

}  // namespace leasecalc::io
