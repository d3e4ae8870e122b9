// leasecalc: GPU-leasing economics from the command line. Dispatches to one subcommand.
#include "commands.hpp"

#include <cstdio>
#include <iostream>
#include <string_view>
#include <vector>

namespace {

struct Subcommand {
  std::string_view name;
  std::string_view summary;
  int (*main)(leasecalc::app::Args);
};

constexpr Subcommand subcommands[] = {
    {"run", "project a deal (models/*.yaml): statements, IRR, margins, break-even", leasecalc::app::run},
    {"bid", "the lowest contract price that earns a target, over terms and prepayments", leasecalc::app::bid},
    {"calc", "spreadsheet financial functions (NPV, IRR, XIRR, PMT, VDB, ...)", leasecalc::app::calc},
    {"reproduce", "redo a broker estimate from the bundled models (guosen-2025)", leasecalc::app::reproduce},
    {"compare", "deals side by side (A.yaml B.yaml ...): returns, costs, crossover", leasecalc::app::compare},
    {"sensitivity", "tornado of one-at-a-time shocks, and a price x volume grid", leasecalc::app::sensitivity},
    {"montecarlo", "ranges of IRR, NPV, margin and DSCR over drawn scenarios", leasecalc::app::montecarlo},
    {"report", "the deal memo: one self-contained HTML page with charts (-o memo.html)", leasecalc::app::report},
    {"serve", "an HTTP pricing service: run, quote, bid and batch over JSON", leasecalc::app::serve},
};

void usage(std::ostream& out) {
  out << "usage: leasecalc COMMAND [ARGS...]\n\ncommands:\n";
  for (const auto& s : subcommands) out << "  " << s.name << "\t" << s.summary << "\n";
  out << "\n'leasecalc COMMAND --help' describes one command.\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string_view> args(argv + 1, argv + argc);
  if (args.empty()) {
    usage(std::cerr);
    return 2;
  }
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    usage(std::cout);
    return 0;
  }
  for (const auto& s : subcommands)
    if (s.name == args[0]) return s.main(leasecalc::app::Args(args).subspan(1));
  std::cerr << "leasecalc: unknown command '" << args[0] << "'\n\n";
  usage(std::cerr);
  return 2;
}
