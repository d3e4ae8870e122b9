// leasecalc montecarlo MODEL.yaml: ranges of the returns over scenarios drawn from the model's
// `uncertainty:` section (or the documented defaults).
#include "command_line.hpp"

#include <leasecalc/io/load_deal.hpp>
#include <leasecalc/io/load_uncertainty.hpp>
#include <leasecalc/report/sensitivity.hpp>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <thread>

namespace leasecalc::app {

namespace {

constexpr const char* montecarlo_usage =
    "usage: leasecalc montecarlo MODEL.yaml [--runs N] [--seed S] [--threads T] [--format table|csv|json]\n"
    "                            [--scale 亿|万|bn|M|k|1] [--xlsx FILE] [--quiet]\n"
    "                            [--sampling random|latin_hypercube|sobol] [--scenarios FILE]\n"
    "                            [--equity-target RATE] [--max-debt-at-breach P]\n"
    "\n"
    "Draws N scenarios of the deal's uncertain inputs (contract price, price decay, utilisation,\n"
    "residual value, power tariff, debt rate, server price) from the distributions in the model's\n"
    "`uncertainty:` section, or the defaults in docs/sensitivity.md, and shows the mean, standard\n"
    "deviation and P5-P95 of project IRR (post-tax), equity IRR, NPV, net margin and minimum DSCR,\n"
    "with the probability of a negative NPV and of a DSCR below the covenant. With a `market:` path\n"
    "in the section, market rent moves month by month, driving on-demand and re-lease prices and the\n"
    "used fleet's value. What lenders ask: the probability of a covenant breach, a cash trap and a\n"
    "funding shortfall by quarter, the first breach's date and the expected loss to the lenders, each\n"
    "with its standard error. The same seed gives the same result on any number of threads.\n"
    "\n"
    "  --runs      scenarios (default: the model's, else 2000)\n"
    "  --seed      random seed, a whole number (default: the model's, else 42)\n"
    "  --threads   worker threads (default: the machine's cores)\n"
    "  --format    table (default), csv or json\n"
    "  --scale     amounts divided by 亿 (default for CNY), 万, bn, M (default otherwise), k or 1\n"
    "  --xlsx      also write a workbook: every scenario, the percentiles as formulas, a histogram,\n"
    "              and the deal's sheets (docs/xlsx.md)\n"
    "  --quiet     no progress line (shown on standard error only when it is a terminal)\n"
    "  --sampling  random draws, or a Latin hypercube (default: the model's, else random)\n"
    "  --equity-target  the equity IRR the shareholders require, for \"what kills this deal\"\n"
    "              (default: the deal's discount rate)\n"
    "  --max-debt-at-breach  the largest debt (every tranche scaled together) whose covenant breach\n"
    "              probability stays at or below P, e.g. 5%: a Monte Carlo run per bisection step\n"
    "  --scenarios also write every scenario (its drawn changes, measures, first breach, lender loss) to FILE as CSV\n";

}  // namespace

int montecarlo(Args args) {
  return run_command("montecarlo", montecarlo_usage, args, [&] {
    std::optional<std::string> model;
    std::string format = "table";
    std::optional<report::Scale> scale;
    std::optional<int> runs, seed;
    std::optional<std::string> xlsx;
    std::optional<deal::Sampling> sampling;
    std::optional<std::string> scenarios_file;
    std::optional<double> equity_target, breach_level;
    unsigned threads = std::max(1u, std::thread::hardware_concurrency());
    bool quiet = false;
    for (CommandLine line(args); line.next();) {
      if (line.is("--runs")) runs = whole_number_option(line, 1, 10'000'000);
      else if (line.is("--seed")) seed = whole_number_option(line, 0, 2'000'000'000);
      else if (line.is("--threads")) threads = static_cast<unsigned>(whole_number_option(line, 1, 256));
      else if (line.is("--format")) format = format_option(line);
      else if (line.is("--scale")) scale = scale_option(line);
      else if (line.is("--xlsx")) xlsx = xlsx_option(line);
      else if (line.is("--quiet")) quiet = true;
      else if (line.is("--sampling")) {
        const std::string_view value = line.value("random, latin_hypercube or sobol");
        if (value == "random") sampling = deal::Sampling::random;
        else if (value == "latin_hypercube") sampling = deal::Sampling::latin_hypercube;
        else if (value == "sobol") sampling = deal::Sampling::sobol;
        else throw UsageError("--sampling expects random, latin_hypercube or sobol, got '" + std::string(value) + "'");
      } else if (line.is("--equity-target")) {
        equity_target = percent_option(line, -1, 10, "a rate such as 12%");
      } else if (line.is("--max-debt-at-breach")) {
        breach_level = percent_option(line, 0, 1, "a probability such as 5%");
      } else if (line.is("--scenarios")) scenarios_file = std::string(line.value("a file to write the scenarios to"));
      else if (line.is_option()) line.unknown();
      else model_argument(line, model);
    }
    const std::string path = required_model(model, "montecarlo");
    const io::LoadedDeal loaded = load_model(path);
    const deal::Deal& deal = loaded.deal;
    const std::optional<solve::Uncertainty> from_model = io::load_uncertainty(path);
    solve::Uncertainty uncertainty = from_model.value_or(solve::Uncertainty::defaults());
    if (runs) uncertainty.runs = *runs;
    if (seed) uncertainty.seed = static_cast<std::uint64_t>(*seed);
    if (sampling) uncertainty.sampling = *sampling;
    TerminalProgress progress(quiet, "montecarlo", "scenarios");
    report::MonteCarloReport result = report::make_monte_carlo_report(
        deal, uncertainty, from_model.has_value(), {threads, equity_target, breach_level, progress.callback()});
    progress.finish();
    result.warnings = loaded.warnings;
    for (const deal::Warning& capped : result.result.warnings) result.warnings.push_back(loaded.locate(capped));
    print_warnings({result.warnings.begin() + static_cast<std::ptrdiff_t>(loaded.warnings.size()), result.warnings.end()});
    if (scenarios_file) {
      std::ofstream file(*scenarios_file);
      if (!file) throw std::runtime_error("cannot write " + *scenarios_file);
      report::write_scenarios_csv(file, result.result);
    }
    write_report(format, result, scale.value_or(report::default_scale(deal)));
    if (xlsx) report::write_xlsx(*xlsx, report::make_run_workbook<num::Decimal>(loaded), result);
    return 0;
  });
}

}  // namespace leasecalc::app
