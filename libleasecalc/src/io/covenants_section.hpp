#pragma once
// The `covenants:` section of a model file (docs/model-format.md). Internal to the io layer.

#include "leasecalc/deal/deal.hpp"
#include "leasecalc/io/document.hpp"
#include "model_frame.hpp"

#include <optional>
#include <vector>

namespace leasecalc::io {

// The covenants of a deal framed by `frame`, on its tranches `debt`; none without the section.
deal::Covenants read_covenants(std::optional<Object> section, const DealFrame& frame, const std::vector<deal::DebtTranche>& debt);

}  // namespace leasecalc::io
