// leasecalc calc FUNCTION [ARGS...]: one spreadsheet financial function, arguments in spreadsheet
// order, cash flows on standard input. Prints the result alone (shortest text that reads back as
// the same double). Exit 0 with a result, 1 when there is none (e.g. no IRR), 2 on bad input.
#include "commands.hpp"

#include <leasecalc/fin/spreadsheet.hpp>

#include <charconv>
#include <iostream>
#include <iterator>
#include <stdexcept>
#include <string>

namespace leasecalc::app {
namespace {

void help(std::ostream& out) {
  out << "usage: leasecalc calc FUNCTION [ARGS...]\n\n"
         "Spreadsheet financial functions with Excel/LibreOffice argument order and signs (money paid\n"
         "out negative). Optional arguments [NAME=default] may be left off. Cash flows are read from\n"
         "standard input, blank lines allowed. Numbers are written as in model files (docs/units.md):\n"
         "0.075 or 7.5% or 750bp, 100000000 or 100M or 1亿, 2,600,000.\n\nfunctions:\n";
  for (const auto& f : fin::spreadsheet_functions()) {
    out << "  " << f.usage() << "\n      " << f.summary << "\n";
    for (const auto& p : f.parameters) out << "      " << p.name << ": " << p.meaning << "\n";
  }
}

std::string shortest(double value) {
  char buffer[32];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, end);
}

}  // namespace

int calc(Args args) {
  if (args.empty()) {
    help(std::cerr);
    return 2;
  }
  if (args[0] == "--help" || args[0] == "-h") {
    help(std::cout);
    return 0;
  }
  const fin::SpreadsheetFunction* function = fin::find_spreadsheet_function(args[0]);
  if (function == nullptr) {
    std::cerr << "leasecalc calc: unknown function '" << args[0] << "' (see leasecalc calc --help)\n";
    return 2;
  }
  try {
    fin::CashFlows flows;
    if (function->cash_flows != fin::CashFlowInput::none) {
      const std::string input{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
      flows = fin::parse_cash_flows(input, function->cash_flows);
    }
    const auto outcome = fin::evaluate(*function, args.subspan(1), flows);
    if (const auto* none = std::get_if<fin::SpreadsheetNoResult>(&outcome)) {
      std::cerr << "leasecalc calc " << function->name << ": " << none->message << "\n";
      return 1;
    }
    const auto& result = std::get<fin::SpreadsheetValue>(outcome);
    std::cout << shortest(result.value) << "\n";
    if (!result.note.empty()) std::cerr << "leasecalc calc " << function->name << ": " << result.note << "\n";
    return 0;
  } catch (const std::invalid_argument& e) {
    std::cerr << "leasecalc calc " << function->name << ": " << e.what() << "\n";
    return 2;
  } catch (const std::domain_error& e) {
    std::cerr << "leasecalc calc " << function->name << ": " << e.what() << "\n";
    return 2;
  }
}

}  // namespace leasecalc::app
