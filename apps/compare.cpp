// leasecalc compare A.yaml B.yaml ...: deals side by side, each against the first.
#include "command_line.hpp"

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
    "                         [--xlsx FILE]\n"
    "\n"
    "Sets two or more deals side by side: every figure of `leasecalc run` (sources and uses, life\n"
    "totals, margins, IRRs, NPVs, MOIC, paybacks, DSCR, break-even), total cost and cost per GPU-hour,\n"
    "with each later deal's difference from the first (B - A, ...) and why a figure is n/a.\n"
    "For each later deal it also gives the crossover against the first: the month after which its\n"
    "cumulative pre-tax cash is ahead for good, the same with both deals' use of capacity scaled\n"
    "down, and the use at which the two break even over the life. E.g. rent versus build:\n"
    "\n"
    "  leasecalc compare models/rent-vs-build-rent.yaml models/rent-vs-build-build.yaml\n"
    "\n"
    "  --format    table (default), csv or json\n"
    "  --scale     amounts divided by 亿, 万, bn, M, k or 1 (default: by the largest deal's size, as in run)\n"
    "  --xlsx      also write a workbook: the comparison, then each deal's sheets, numbered (docs/xlsx.md)\n";

}  // namespace

int compare(Args args) {
  return run_command("compare", compare_usage, args, [&] {
    std::vector<std::string> models;
    std::string format = "table";
    std::optional<report::Scale> scale;
    std::optional<std::string> xlsx;
    for (CommandLine line(args); line.next();) {
      if (line.is("--format")) format = format_option(line);
      else if (line.is("--scale")) scale = scale_option(line);
      else if (line.is("--xlsx")) xlsx = xlsx_option(line);
      else if (line.is_option()) line.unknown();
      else models.emplace_back(line.arg());
    }
    if (models.size() < 2) throw UsageError("two or more model files to compare");

    std::vector<report::ModelDeal> deals;
    std::vector<io::Warning> warnings;
    std::vector<report::RunWorkbook> workbooks;
    for (const auto& model : models) {
      io::LoadedDeal loaded = load_model(model);
      warnings.insert(warnings.end(), loaded.warnings.begin(), loaded.warnings.end());
      if (xlsx) workbooks.push_back(report::make_run_workbook<num::Decimal>(loaded));
      deals.push_back({model, std::move(loaded.deal)});
    }
    report::CompareReport result = report::make_compare_report(deals);
    result.warnings = std::move(warnings);
    write_report(format, result, scale.value_or(report::compare_scale(result)));
    if (xlsx) report::write_xlsx(*xlsx, workbooks, result);
    return 0;
  });
}

}  // namespace leasecalc::app
