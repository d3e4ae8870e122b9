// leasecalc run MODEL.yaml: projects a deal and prints its statements, returns and break-even.
#include "commands.hpp"

#include <leasecalc/io/input_error.hpp>
#include <leasecalc/io/load_deal.hpp>
#include <leasecalc/report/run_report.hpp>

#include <iostream>
#include <optional>
#include <string>

namespace leasecalc::app {

namespace {

constexpr const char* run_usage =
    "usage: leasecalc run MODEL.yaml [--monthly] [--format table|csv|json] [--scale 亿|万|bn|M|k|1] [--fast]\n"
    "\n"
    "Projects the deal month by month and prints the deal summary, the annual income statement and\n"
    "cash flow, the IRR table (project pre- and post-tax, equity), the margin table and the\n"
    "break-even price and utilisation.\n"
    "\n"
    "  --monthly   add the monthly ledger (every line item x month)\n"
    "  --format    table (default), csv, or json (documented in docs/json-output.md)\n"
    "  --scale     amounts divided by 亿 (default for CNY), 万, bn, M (default otherwise), k or 1\n"
    "  --fast      double arithmetic instead of the exact decimal ledger (for sweeps)\n";

int bad_usage(const std::string& message) {
  std::cerr << "leasecalc run: " << message << "\n\n" << run_usage;
  return 2;
}

}  // namespace

int run(Args args) {
  std::optional<std::string> model;
  std::string format = "table";
  std::optional<report::Scale> scale;
  bool monthly = false, fast = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    const auto value = [&]() -> std::optional<std::string_view> {
      if (i + 1 >= args.size()) return std::nullopt;
      return args[++i];
    };
    if (arg == "--help" || arg == "-h") {
      std::cout << run_usage;
      return 0;
    } else if (arg == "--monthly") {
      monthly = true;
    } else if (arg == "--fast") {
      fast = true;
    } else if (arg == "--format") {
      const auto text = value();
      if (!text || (*text != "table" && *text != "csv" && *text != "json"))
        return bad_usage("--format expects table, csv or json");
      format = *text;
    } else if (arg == "--scale") {
      const auto text = value();
      if (!text || !(scale = report::parse_scale(*text)))
        return bad_usage("--scale expects 亿, 万, bn, M, k or 1");
    } else if (!arg.empty() && arg[0] == '-') {
      return bad_usage("unknown option '" + std::string(arg) + "'");
    } else if (model) {
      return bad_usage("one model file at a time (got '" + *model + "' and '" + std::string(arg) + "')");
    } else {
      model = std::string(arg);
    }
  }
  if (!model) return bad_usage("which model? e.g. leasecalc run models/guosen-2025-standard-10k.yaml");

  try {
    const deal::Deal deal = io::load_deal(*model);
    const report::RunReport result = fast ? report::make_run_report<double>(deal, monthly)
                                          : report::make_run_report<num::Decimal>(deal, monthly);
    if (format == "json") report::write_json(std::cout, result);
    else if (format == "csv") report::write_csv(std::cout, result);
    else report::write_table(std::cout, result, scale.value_or(report::default_scale(deal.currency)));
    return 0;
  } catch (const io::InputError& error) {
    std::cerr << error.what() << "\n";
    return 2;
  } catch (const std::invalid_argument& error) {
    std::cerr << "leasecalc run: " << *model << ": " << error.what() << "\n";
    return 2;
  }
}

}  // namespace leasecalc::app
