// leasecalc run MODEL.yaml: projects a deal and prints its statements, returns and break-even.
#include "command_line.hpp"

#include <leasecalc/io/load_deal.hpp>
#include <leasecalc/report/run_report.hpp>

#include <iostream>
#include <optional>
#include <string>

namespace leasecalc::app {

namespace {

constexpr const char* run_usage =
    "usage: leasecalc run MODEL.yaml [--monthly] [--format table|csv|json] [--scale 亿|万|bn|M|k|1] [--fast]\n"
    "                     [--target-irr RATE] [--basis project|project-pre-tax|equity]\n"
    "                     [--xlsx FILE]\n"
    "\n"
    "Projects the deal month by month and prints the deal summary, the annual income statement and\n"
    "cash flow, the IRR table (project pre- and post-tax, equity), the margin table and the\n"
    "break-even price and utilisation: the lowest contract prices (all scaled by one factor) and\n"
    "billed volume that still earn the target return.\n"
    "\n"
    "  --monthly      add the monthly ledger (every line item x month)\n"
    "  --format       table (default), csv, or json (documented in docs/json-output.md)\n"
    "  --scale        amounts divided by 亿, 万, bn, M, k or 1 (default: by the deal's size; for CNY 亿\n"
    "                 from 1亿, 万 from 1万, else units; otherwise M from a million, k from a thousand)\n"
    "  --fast         double arithmetic instead of the exact decimal ledger (for sweeps)\n"
    "  --target-irr   the return the break-even prices earn, e.g. 12% (default: the model's discount_rate)\n"
    "  --basis        whose IRR: project (post-tax, the default), project-pre-tax or equity\n"
    "  --xlsx         also write a workbook: inputs, monthly ledger, annual statements and returns as\n"
    "                 live formulas, charts (docs/xlsx.md)\n";

solve::ReturnBasis basis_option(CommandLine& line) {
  const std::string_view text = line.value("project, project-pre-tax or equity");
  if (text == "project") return solve::ReturnBasis::project_post_tax;
  if (text == "project-pre-tax") return solve::ReturnBasis::project_pre_tax;
  if (text == "equity") return solve::ReturnBasis::equity;
  throw UsageError("--basis expects project, project-pre-tax or equity, got '" + std::string(text) + "'");
}

}  // namespace

int run(Args args) {
  return run_command("run", run_usage, args, [&] {
    std::optional<std::string> model;
    std::string format = "table";
    std::optional<report::Scale> scale;
    bool monthly = false, fast = false;
    std::optional<double> target_irr;
    std::optional<solve::ReturnBasis> basis;
    std::optional<std::string> xlsx;
    for (CommandLine line(args); line.next();) {
      if (line.is("--monthly")) monthly = true;
      else if (line.is("--fast")) fast = true;
      else if (line.is("--format")) format = format_option(line);
      else if (line.is("--scale")) scale = scale_option(line);
      else if (line.is("--target-irr")) target_irr = percent_option(line, -1, 100, "an annual rate above -100%, such as 12%");
      else if (line.is("--basis")) basis = basis_option(line);
      else if (line.is("--xlsx")) xlsx = xlsx_option(line);
      else if (line.is_option()) line.unknown();
      else model_argument(line, model);
    }
    const io::LoadedDeal loaded = load_model(required_model(model, "run"));
    const deal::Deal& deal = loaded.deal;
    const solve::ReturnTarget target{target_irr.value_or(num::to_double(deal.discount_rate)),
                                     basis.value_or(solve::ReturnBasis::project_post_tax)};
    report::RunReport result = fast ? report::make_run_report<double>(deal, monthly, target)
                                    : report::make_run_report<num::Decimal>(deal, monthly, target);
    result.warnings = loaded.warnings;
    write_report(format, result, scale.value_or(report::default_scale(deal.currency, report::magnitude(result))));
    if (xlsx)
      report::write_xlsx(*xlsx, fast ? report::make_run_workbook<double>(loaded, target)
                                     : report::make_run_workbook<num::Decimal>(loaded, target));
    return 0;
  });
}

}  // namespace leasecalc::app
