#pragma once
// The `waterfall:` section of a model file (docs/model-format.md). Internal to the io layer.

#include "leasecalc/deal/deal.hpp"
#include "leasecalc/io/document.hpp"

#include <optional>
#include <vector>

namespace leasecalc::io {

// The waterfall of a deal's tranches `debt` under its `covenants`; none without the section.
deal::Waterfall read_waterfall(std::optional<Object> section, const std::vector<deal::DebtTranche>& debt,
                               const deal::Covenants& covenants);

}  // namespace leasecalc::io
