#pragma once
// The `financing:` section of a model file: term loans, finance leases and a sale-leaseback, with
// their rates (fixed, floating, credit-priced), sizing, swaps and fees (docs/model-format.md).
// Internal to the io layer.

#include "leasecalc/deal/deal.hpp"
#include "leasecalc/io/document.hpp"
#include "model_frame.hpp"

#include <vector>

namespace leasecalc::io {

// The tranches under `root`'s `financing:` (none without it), for `deal`, whose cluster,
// contracts and credit classes are already read; debt is kept within the capex.
std::vector<deal::DebtTranche> read_financing(Object& root, const DealFrame& frame, const deal::Cluster& cluster,
                                              const deal::Deal& deal);

}  // namespace leasecalc::io
