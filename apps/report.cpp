// leasecalc report MODEL.yaml -o memo.html: the deal memo, one self-contained HTML page.
#include "command_line.hpp"

#include <leasecalc/io/load_deal.hpp>
#include <leasecalc/io/load_uncertainty.hpp>
#include <leasecalc/io/model_comments.hpp>
#include <leasecalc/report/memo.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>

namespace leasecalc::app {

namespace {

constexpr const char* report_usage =
    "usage: leasecalc report MODEL.yaml [-o memo.html] [--runs N] [--seed S] [--threads T]\n"
    "                        [--scale 亿|万|bn|M|k|1] [--quiet]\n"
    "\n"
    "Writes the deal memo: one self-contained HTML page (no script, nothing fetched; prints on A4)\n"
    "with the deal in a paragraph, the headline figures (price, project and equity IRRs, net margin,\n"
    "minimum DSCR, break-even price and utilisation), the annual statements, charts of the cash flows,\n"
    "the debt and its DSCR against the covenant and the margins by year, the tornado of `sensitivity`,\n"
    "the Monte Carlo range of `montecarlo`, and the assumptions the model states in its comments\n"
    "(docs/memo.md).\n"
    "\n"
    "  -o, --output  the HTML file to write (default: standard output)\n"
    "  --runs        Monte Carlo scenarios (default: the model's, at most 2000)\n"
    "  --seed        random seed, a whole number (default: the model's, else 42)\n"
    "  --threads     worker threads for the Monte Carlo (default: the machine's cores)\n"
    "  --scale       amounts divided by 亿, 万, bn, M, k or 1 (default: by the deal's size)\n"
    "  --quiet       no progress line (shown on standard error only when it is a terminal)\n";

}  // namespace

int report(Args args) {
  return run_command("report", report_usage, args, [&] {
    std::optional<std::string> model, output;
    std::optional<report::Scale> scale;
    std::optional<int> runs, seed;
    unsigned threads = std::max(1u, std::thread::hardware_concurrency());
    bool quiet = false;
    for (CommandLine line(args); line.next();) {
      if (line.is("-o") || line.is("--output")) output = std::string(line.value("the HTML file to write"));
      else if (line.is("--runs")) runs = whole_number_option(line, 1, 10'000'000);
      else if (line.is("--seed")) seed = whole_number_option(line, 0, 2'000'000'000);
      else if (line.is("--threads")) threads = static_cast<unsigned>(whole_number_option(line, 1, 256));
      else if (line.is("--scale")) scale = scale_option(line);
      else if (line.is("--quiet")) quiet = true;
      else if (line.is_option()) line.unknown();
      else model_argument(line, model);
    }
    const std::string path = required_model(model, "report");
    const io::LoadedDeal loaded = load_model(path);
    const std::optional<solve::Uncertainty> from_model = io::load_uncertainty(path);
    report::MemoOptions options;
    options.uncertainty = from_model.value_or(solve::Uncertainty::defaults());
    options.uncertainty.runs = runs.value_or(std::min(options.uncertainty.runs, report::memo_default_runs));
    if (seed) options.uncertainty.seed = static_cast<std::uint64_t>(*seed);
    options.uncertainty_from_model = from_model.has_value();
    options.threads = threads;

    TerminalProgress progress(quiet, "report: montecarlo", "scenarios");
    report::Memo memo = report::make_memo(loaded.deal, options, io::model_comments_of_file(path), progress.callback());
    progress.finish();
    memo.warnings = loaded.warnings;
    for (const deal::Warning& capped : memo.monte_carlo.result.warnings) {
      memo.warnings.push_back(loaded.locate(capped));
      print_warnings({memo.warnings.back()});
    }
    const report::Scale shown = scale.value_or(report::default_scale(memo.run.currency, report::magnitude(memo.run)));
    if (!output) {
      report::write_html(std::cout, memo, shown);
      return 0;
    }
    std::ostringstream page;
    report::write_html(page, memo, shown);
    std::ofstream file(*output, std::ios::binary);
    if (!(file << page.str()) || !file.flush()) {
      std::cerr << "leasecalc report: cannot write '" << *output << "': " << std::strerror(errno) << "\n";
      return 2;
    }
    return 0;
  });
}

}  // namespace leasecalc::app
