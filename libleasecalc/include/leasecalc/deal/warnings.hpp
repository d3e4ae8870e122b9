#pragma once
// Legal but surprising: a deal that is valid and runs, but whose economics are odd enough that a
// reader should be told (a loan that outlives the horizon, a residual value at the purchase price,
// servers bought for nothing). The rules live here, once; the model loader adds each warning's
// place in the file (io::LoadedDeal), and a deal built in code gets the same warnings without one.
//
//   for (const deal::Warning& w : deal::warnings(deal)) std::cerr << w.field << ": " << w.message;

#include "leasecalc/deal/deal.hpp"

#include <string>
#include <vector>

namespace leasecalc::deal {

struct Warning {
  std::string field;    // the model file's path of the input concerned: "financing[0].term"
  std::string message;  // what is odd, and what the engine does with it
};

// Every warning the deal raises, in the order of the model file's sections.
std::vector<Warning> warnings(const Deal& deal);

}  // namespace leasecalc::deal
