// leasecalc sensitivity MODEL.yaml: a tornado of one-at-a-time shocks, and a price x volume grid.
#include "command_line.hpp"

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
    "                             [--format table|csv|json] [--scale 亿|万|bn|M|k|1] [--xlsx FILE] [--quiet]\n"
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
    "  --scale        amounts divided by 亿 (default for CNY), 万, bn, M (default otherwise), k or 1\n"
    "  --xlsx         also write a workbook: the tornado with its chart, and the deal's sheets (docs/xlsx.md)\n"
    "  --quiet        no progress line for the grid (shown on standard error only when it is a terminal)\n";

}  // namespace

int sensitivity(Args args) {
  return run_command("sensitivity", sensitivity_usage, args, [&] {
    std::optional<std::string> model;
    std::string format = "table";
    std::optional<report::Scale> scale;
    solve::TornadoOptions options;
    bool grid = false, quiet = false;
    std::optional<std::string> xlsx;
    for (CommandLine line(args); line.next();) {
      if (line.is("--grid")) {
        grid = true;
      } else if (line.is("--quiet")) {
        quiet = true;
      } else if (line.is("--shock")) {
        options.shock = percent_option(line, 0, 1, "a percentage above 0% and below 100%, such as 10%");
      } else if (line.is("--life-change")) {
        options.life_change_months = whole_number_option(line, 1, 600);
      } else if (line.is("--metric")) {
        const auto measure = solve::parse_measure(line.value("a metric"));
        if (!measure) throw UsageError("--metric expects project_irr, equity_irr, net_margin, npv or minimum_dscr");
        options.sort_by = *measure;
      } else if (line.is("--format")) {
        format = format_option(line);
      } else if (line.is("--scale")) {
        scale = scale_option(line);
      } else if (line.is("--xlsx")) {
        xlsx = xlsx_option(line);
      } else if (line.is_option()) {
        line.unknown();
      } else {
        model_argument(line, model);
      }
    }
    const io::LoadedDeal loaded = load_model(required_model(model, "sensitivity"));
    const deal::Deal& deal = loaded.deal;
    TerminalProgress progress(quiet, "sensitivity grid", "cells");
    report::SensitivityReport result = report::make_sensitivity_report(deal, options, grid, progress.callback());
    progress.finish();
    result.warnings = loaded.warnings;
    write_report(format, result, scale.value_or(report::default_scale(deal)));
    if (xlsx) report::write_xlsx(*xlsx, report::make_run_workbook<num::Decimal>(loaded), result);
    return 0;
  });
}

}  // namespace leasecalc::app
