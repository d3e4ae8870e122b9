// leasecalc montecarlo MODEL.yaml: ranges of the returns over scenarios drawn from the model's
// `uncertainty:` section (or the documented defaults).
#include "command_line.hpp"

#include <leasecalc/io/load_deal.hpp>
#include <leasecalc/io/load_uncertainty.hpp>
#include <leasecalc/report/sensitivity.hpp>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <optional>
#include <string>
#include <thread>

namespace leasecalc::app {

namespace {

constexpr const char* montecarlo_usage =
    "usage: leasecalc montecarlo MODEL.yaml [--runs N] [--seed S] [--threads T] [--format table|csv|json]\n"
    "                            [--scale 亿|万|bn|M|k|1] [--xlsx FILE] [--quiet]\n"
    "\n"
    "Draws N scenarios of the deal's uncertain inputs (contract price, price decay, utilisation,\n"
    "residual value, power tariff, debt rate, server price) from the distributions in the model's\n"
    "`uncertainty:` section, or the defaults in docs/sensitivity.md, and shows the mean, standard\n"
    "deviation and P5-P95 of project IRR (post-tax), equity IRR, NPV, net margin and minimum DSCR,\n"
    "with the probability of a negative NPV and of a DSCR below the covenant. The same seed gives\n"
    "the same result on any number of threads.\n"
    "\n"
    "  --runs      scenarios (default: the model's, else 2000)\n"
    "  --seed      random seed, a whole number (default: the model's, else 42)\n"
    "  --threads   worker threads (default: the machine's cores)\n"
    "  --format    table (default), csv or json\n"
    "  --scale     amounts divided by 亿 (default for CNY), 万, bn, M (default otherwise), k or 1\n"
    "  --xlsx      also write a workbook: every scenario, the percentiles as formulas, a histogram,\n"
    "              and the deal's sheets (docs/xlsx.md)\n"
    "  --quiet     no progress line (shown on standard error only when it is a terminal)\n";

}  // namespace

int montecarlo(Args args) {
  return run_command("montecarlo", montecarlo_usage, args, [&] {
    std::optional<std::string> model;
    std::string format = "table";
    std::optional<report::Scale> scale;
    std::optional<int> runs, seed;
    std::optional<std::string> xlsx;
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
    const auto started = std::chrono::steady_clock::now();
    TerminalProgress progress(quiet, "montecarlo", "scenarios");
    report::MonteCarloReport result{deal.name, deal.currency, from_model.has_value(), threads, 0,
                                    solve::monte_carlo(deal, uncertainty, threads, progress.callback()), {}};
    progress.finish();
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    result.warnings = loaded.warnings;
    for (const deal::Warning& capped : result.result.warnings) result.warnings.push_back(loaded.locate(capped));
    print_warnings({result.warnings.begin() + static_cast<std::ptrdiff_t>(loaded.warnings.size()), result.warnings.end()});
    write_report(format, result, scale.value_or(report::default_scale(deal)));
    if (xlsx) report::write_xlsx(*xlsx, report::make_run_workbook<num::Decimal>(loaded), result);
    return 0;
  });
}

}  // namespace leasecalc::app
