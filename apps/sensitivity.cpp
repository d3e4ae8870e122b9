// leasecalc sensitivity MODEL.yaml: a tornado of one-at-a-time shocks, and a price x volume grid.
#include "commands.hpp"

#include <leasecalc/io/input_error.hpp>
#include <leasecalc/io/load_deal.hpp>
#include <leasecalc/io/units.hpp>
#include <leasecalc/report/sensitivity.hpp>

#include <iostream>
#include <optional>
#include <string>

namespace leasecalc::app {

namespace {

constexpr const char* sensitivity_usage =
    "usage: leasecalc sensitivity MODEL.yaml [--shock 10%] [--life-change 12] [--metric METRIC] [--grid]\n"
    "                             [--format table|csv|json] [--scale 亿|万|bn|M|k|1]\n"
    "\n"
    "Shocks one input at a time down and up (contract prices, billed volume, server price, debt rate,\n"
    "power tariff, residual value, book and tax depreciation lives, income-tax rate) and shows the\n"
    "change in project IRR (post-tax), equity IRR, net margin, NPV and minimum DSCR, the inputs with\n"
    "the largest swing first. Inputs that cannot change the deal are listed with the reason.\n"
    "\n"
    "  --shock        relative change of each input (default 10%)\n"
    "  --life-change  months by which depreciation lives are shortened and lengthened (default 12)\n"
    "  --metric       project_irr, equity_irr, net_margin, npv (default) or minimum_dscr: the sort\n"
    "                 order and the figure of the grid\n"
    "  --grid         add the grid of the metric over contract price x billed volume\n"
    "  --format       table (default), csv or json\n"
    "  --scale        amounts divided by 亿 (default for CNY), 万, bn, M (default otherwise), k or 1\n";

int bad_usage(const std::string& message) {
  std::cerr << "leasecalc sensitivity: " << message << "\n\n" << sensitivity_usage;
  return 2;
}

}  // namespace

int sensitivity(Args args) {
  std::optional<std::string> model;
  std::string format = "table";
  std::optional<report::Scale> scale;
  solve::TornadoOptions options;
  bool grid = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    const auto value = [&]() -> std::optional<std::string_view> {
      if (i + 1 >= args.size()) return std::nullopt;
      return args[++i];
    };
    if (arg == "--help" || arg == "-h") {
      std::cout << sensitivity_usage;
      return 0;
    } else if (arg == "--grid") {
      grid = true;
    } else if (arg == "--shock") {
      const auto text = value();
      try {
        if (!text) throw io::ParseError("a percentage", "");
        options.shock = num::to_double(io::parse_percent(*text));
      } catch (const io::ParseError&) {
        return bad_usage("--shock expects a percentage such as 10%");
      }
      if (options.shock <= 0 || options.shock >= 1) return bad_usage("--shock expects a percentage above 0% and below 100%");
    } else if (arg == "--life-change") {
      const auto text = value();
      try {
        if (!text) throw io::ParseError("a count", "");
        options.life_change_months = io::parse_count(*text);
      } catch (const io::ParseError&) {
        return bad_usage("--life-change expects a whole number of months such as 12");
      }
      if (options.life_change_months < 1) return bad_usage("--life-change expects at least 1 month");
    } else if (arg == "--metric") {
      const auto text = value();
      const auto measure = text ? solve::parse_measure(*text) : std::nullopt;
      if (!measure) return bad_usage("--metric expects project_irr, equity_irr, net_margin, npv or minimum_dscr");
      options.sort_by = *measure;
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
    } else if (model) {
      return bad_usage("one model file at a time (got '" + *model + "' and '" + std::string(arg) + "')");
    } else {
      model = std::string(arg);
    }
  }
  if (!model) return bad_usage("which model? e.g. leasecalc sensitivity models/guosen-2025-standard-10k.yaml");

  try {
    const deal::Deal deal = io::load_deal(*model);
    const report::SensitivityReport result = report::make_sensitivity_report(deal, options, grid);
    if (format == "json") report::write_json(std::cout, result);
    else if (format == "csv") report::write_csv(std::cout, result);
    else report::write_table(std::cout, result, scale.value_or(report::default_scale(deal.currency)));
    return 0;
  } catch (const io::InputError& error) {
    std::cerr << error.what() << "\n";
    return 2;
  } catch (const std::invalid_argument& error) {
    std::cerr << "leasecalc sensitivity: " << *model << ": " << error.what() << "\n";
    return 2;
  }
}

}  // namespace leasecalc::app
