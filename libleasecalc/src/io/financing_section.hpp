#pragma once
// The `financing:` section of a model file: term loans, finance leases and a sale-leaseback, with
// their rates (fixed, floating, credit-priced), sizing, swaps and fees (docs/model-format.md).
// Internal to the io layer.

#include "leasecalc/deal/deal.hpp"
#include "leasecalc/io/document.hpp"
#include "model_frame.hpp"

#include <vector>

namespace leasecalc::io {

// The tranches under `root`'s `financing:` (none without it), of a deal with the `cluster` and
// the `contracts` (which a tranche may name and whose credit prices a margin grid); debt is kept
// within the capex.
std::vector<deal::DebtTranche> read_financing(Object& root, const DealFrame& frame, const deal::Cluster& cluster,
                                              const std::vector<deal::Contract>& contracts);

// Whether read_financing reads the same of the contracts `a` as of `b`: as many, of the same kinds,
// each take-or-pay one of the same name and credit class (the contracts a tranche finances, the
// margin its grid gives). Reading a model again, the financing is read again when they differ.
bool same_for_financing(const std::vector<deal::Contract>& a, const std::vector<deal::Contract>& b);

}  // namespace leasecalc::io
