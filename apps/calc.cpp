#include "commands.hpp"

#include <iostream>

namespace leasecalc::app {
int calc(Args) {
  std::cerr << "leasecalc calc: not built yet\n";
  return 2;
}
}  // namespace leasecalc::app
