#pragma once
// The `lessee:` and `guarantees:` sections of a model file: the lessee of a lessor SPV, a residual
// value guarantee and a capacity backstop (docs/model-format.md). Internal to the io layer.

#include "leasecalc/deal/deal.hpp"
#include "leasecalc/io/document.hpp"
#include "model_frame.hpp"

#include <optional>
#include <vector>

namespace leasecalc::io {

// The lessee of a lessor SPV: the deal leases its whole fleet to it, under one take-or-pay lease
// with nothing after it, so that every receipt is the lessee's and every unit billed is its.
std::optional<deal::Lessee> read_lessee(std::optional<Object> object, const std::vector<deal::Contract>& contracts,
                                        const deal::Cluster& cluster);

// The residual value guarantee and capacity backstop; none without the section.
deal::Guarantees read_guarantees(std::optional<Object> object, const DealFrame& frame, const deal::Cluster& cluster);

}  // namespace leasecalc::io
