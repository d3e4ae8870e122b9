// leasecalc compare A.yaml B.yaml ...: deals side by side, each against the first.
#include "commands.hpp"

#include <leasecalc/io/input_error.hpp>
#include <leasecalc/io/load_deal.hpp>
#include <leasecalc/report/compare.hpp>

#include <iostream>
#include <optional>
#include <string>
#include <vector>

namespace leasecalc::app {

namespace {

constexpr const char* compare_usage =
    "usage: leasecalc compare A.yaml B.yaml [MORE.yaml ...] [--format table|csv|json] [--scale 亿|万|bn|M|k|1]\n"
    "\n"
    "Sets two or more deals side by side: project and equity IRR, NPV, net margin, payback, total\n"
    "cost and cost per GPU-hour, with each later deal's difference from the first (B - A, ...).\n"
    "For each later deal it also gives the crossover against the first: the month after which its\n"
    "cumulative pre-tax cash is ahead for good, the same with both deals' use of capacity scaled\n"
    "down, and the use at which the two break even over the life. E.g. rent versus build:\n"
    "\n"
    "  leasecalc compare models/rent-vs-build-rent.yaml models/rent-vs-build-build.yaml\n"
    "\n"
    "  --format    table (default), csv or json\n"
    "  --scale     amounts divided by 亿, 万, bn, M, k or 1 (default: 亿 or 万 for CNY, M otherwise)\n";

int bad_usage(const std::string& message) {
  std::cerr << "leasecalc compare: " << message << "\n\n" << compare_usage;
  return 2;
}

}  // namespace

int compare(Args args) {
  std::vector<std::string> models;
  std::string format = "table";
  std::optional<report::Scale> scale;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    const auto value = [&]() -> std::optional<std::string_view> {
      if (i + 1 >= args.size()) return std::nullopt;
      return args[++i];
    };
    if (arg == "--help" || arg == "-h") {
      std::cout << compare_usage;
      return 0;
    } else if (arg == "--format") {
      const auto text = value();
      if (!text || (*text != "table" && *text != "csv" && *text != "json"))
        return bad_usage("--format expects table, csv or json");
      format = *text;
    } else if (arg == "--scale") {
      const auto text = value();
      if (!text || !(scale = report::parse_scale(*text))) return bad_usage("--scale expects 亿, 万, bn, M, k or 1");
    } else if (!arg.empty() && arg[0] == '-') {
      return bad_usage("unknown option '" + std::string(arg) + "'");
    } else {
      models.emplace_back(arg);
    }
  }
  if (models.size() < 2) return bad_usage("two or more model files to compare");

  std::vector<report::ModelDeal> deals;
  std::string current;
  try {
    for (const auto& model : models) {
      current = model;
      deals.push_back({model, io::load_deal(model)});
    }
    const report::CompareReport result = report::make_compare_report(deals);
    if (format == "json") report::write_json(std::cout, result);
    else if (format == "csv") report::write_csv(std::cout, result);
    else report::write_table(std::cout, result, scale.value_or(report::compare_scale(result)));
    return 0;
  } catch (const io::InputError& error) {
    std::cerr << error.what() << "\n";
    return 2;
  } catch (const std::invalid_argument& error) {
    std::cerr << "leasecalc compare: " << current << ": " << error.what() << "\n";
    return 2;
  }
}

}  // namespace leasecalc::app
