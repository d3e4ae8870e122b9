// leasecalc reproduce guosen-2025: the broker estimate redone from the bundled models.
#include "command_line.hpp"

#include <leasecalc/io/load_deal.hpp>
#include <leasecalc/report/reproduce.hpp>

#include <filesystem>
#include <iostream>
#include <optional>
#include <string>

namespace leasecalc::app {

namespace {

constexpr const char* reproduce_usage =
    "usage: leasecalc reproduce guosen-2025 [--models DIR] [--format table|json]\n"
    "                           [--tariff CNY_PER_KWH] [--pue PUE] [--colocation CNY_PER_KW_MONTH]\n"
    "\n"
    "Redoes the Guosen Securities estimate of a 10k-card cluster's returns (2025) from the bundled\n"
    "standard- and premium-card models: the report's line items beside the engine's, the report's\n"
    "cash-basis arithmetic beside the engine's accrual model, the net margin across the assumptions\n"
    "the report leaves open, and what the costs it leaves out take away. Method: docs/reproduce.md.\n"
    "\n"
    "  --models      directory holding the models (default: ./models, else the bundled ones)\n"
    "  --format      table (default) or json\n"
    "  --tariff      electricity price for the omitted-costs rows (default 0.65 CNY/kWh)\n"
    "  --pue         facility power over IT power for them (default 1.3)\n"
    "  --colocation  data-centre rent per kW-month of IT load for them (default 600 CNY)\n";

std::optional<double> number(std::string_view text) {
  try {
    std::size_t used = 0;
    const double value = std::stod(std::string(text), &used);
    if (used == text.size() && value >= 0) return value;
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

}  // namespace

int reproduce(Args args) {
  return run_command("reproduce", reproduce_usage, args, [&] {
    std::optional<std::string> study;
    // The bundled models: ./models when run from the repository, else the ones this build came from.
    std::filesystem::path models = std::filesystem::is_directory("models") ? "models" : LEASECALC_MODELS_DIR;
    std::string format = "table";
    report::Reproduction reproduction;
    auto& omitted = reproduction.omitted;
    for (CommandLine line(args); line.next();) {
      const auto non_negative = [&](const char* expected) {
        const auto parsed = number(line.value(expected));
        if (!parsed) throw UsageError(std::string(line.arg()) + " expects " + expected);
        return *parsed;
      };
      if (line.is("--models")) {
        models = std::string(line.value("a directory"));
      } else if (line.is("--format")) {
        format = format_option(line, {"table", "json"});
      } else if (line.is("--tariff")) {
        omitted.tariff_per_kwh = non_negative("a price per kWh, e.g. 0.65");
      } else if (line.is("--pue")) {
        omitted.pue = non_negative("a number of at least 1");
        if (omitted.pue < 1) throw UsageError("--pue expects a number of at least 1");
      } else if (line.is("--colocation")) {
        omitted.colocation_per_kw_month = non_negative("a rent per kW-month");
      } else if (line.is_option()) {
        line.unknown();
      } else if (study) {
        throw UsageError("one study at a time");
      } else {
        study = std::string(line.arg());
      }
    }
    if (!study) throw UsageError("which study? e.g. leasecalc reproduce guosen-2025");
    if (*study != reproduction.study) throw UsageError("unknown study '" + *study + "' (known: guosen-2025)");

    for (const auto cluster : {report::GuosenCluster::standard, report::GuosenCluster::premium}) {
      const auto model = models / report::guosen_2025_model(cluster);
      reproduction.clusters.push_back(
          report::reproduce_cluster(cluster, model.string(), io::load_deal(model), omitted, reproduction.ranges));
    }
    if (format == "json") report::write_json(std::cout, reproduction);
    else report::write_table(std::cout, reproduction);
    return 0;
  });
}

}  // namespace leasecalc::app
