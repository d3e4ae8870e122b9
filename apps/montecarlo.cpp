// leasecalc montecarlo MODEL.yaml: ranges of the returns over scenarios drawn from the model's
// `uncertainty:` section (or the documented defaults).
#include "commands.hpp"

#include <leasecalc/io/input_error.hpp>
#include <leasecalc/io/load_deal.hpp>
#include <leasecalc/io/load_uncertainty.hpp>
#include <leasecalc/io/units.hpp>
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
    "                            [--scale 亿|万|bn|M|k|1]\n"
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
    "  --scale     amounts divided by 亿 (default for CNY), 万, bn, M (default otherwise), k or 1\n";

int bad_usage(const std::string& message) {
  std::cerr << "leasecalc montecarlo: " << message << "\n\n" << montecarlo_usage;
  return 2;
}

std::optional<int> count(std::optional<std::string_view> text) {
  if (!text) return std::nullopt;
  try {
    return io::parse_count(*text);
  } catch (const io::ParseError&) {
    return std::nullopt;
  }
}

}  // namespace

int montecarlo(Args args) {
  std::optional<std::string> model;
  std::string format = "table";
  std::optional<report::Scale> scale;
  std::optional<int> runs, seed;
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    const auto value = [&]() -> std::optional<std::string_view> {
      if (i + 1 >= args.size()) return std::nullopt;
      return args[++i];
    };
    if (arg == "--help" || arg == "-h") {
      std::cout << montecarlo_usage;
      return 0;
    } else if (arg == "--runs") {
      runs = count(value());
      if (!runs || *runs < 1 || *runs > 10'000'000) return bad_usage("--runs expects a whole number from 1 to 10,000,000");
    } else if (arg == "--seed") {
      seed = count(value());
      if (!seed) return bad_usage("--seed expects a whole number such as 42");
    } else if (arg == "--threads") {
      const auto n = count(value());
      if (!n || *n < 1 || *n > 256) return bad_usage("--threads expects a whole number from 1 to 256");
      threads = static_cast<unsigned>(*n);
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
  if (!model) return bad_usage("which model? e.g. leasecalc montecarlo models/guosen-2025-standard-10k.yaml");

  try {
    const deal::Deal deal = io::load_deal(*model);
    const std::optional<solve::Uncertainty> from_model = io::load_uncertainty(*model);
    solve::Uncertainty uncertainty = from_model.value_or(solve::Uncertainty::defaults());
    if (runs) uncertainty.runs = *runs;
    if (seed) uncertainty.seed = static_cast<std::uint64_t>(*seed);
    const auto started = std::chrono::steady_clock::now();
    report::MonteCarloReport result{deal.name, deal.currency, from_model.has_value(), threads, 0,
                                    solve::monte_carlo(deal, uncertainty, threads)};
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (format == "json") report::write_json(std::cout, result);
    else if (format == "csv") report::write_csv(std::cout, result);
    else report::write_table(std::cout, result, scale.value_or(report::default_scale(deal.currency)));
    return 0;
  } catch (const io::InputError& error) {
    std::cerr << error.what() << "\n";
    return 2;
  } catch (const std::invalid_argument& error) {
    std::cerr << "leasecalc montecarlo: " << *model << ": " << error.what() << "\n";
    return 2;
  }
}

}  // namespace leasecalc::app
