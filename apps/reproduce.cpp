// leasecalc reproduce guosen-2025: the broker estimate redone from the bundled models.
#include "commands.hpp"

#include <leasecalc/io/input_error.hpp>
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

int bad_usage(const std::string& message) {
  std::cerr << "leasecalc reproduce: " << message << "\n\n" << reproduce_usage;
  return 2;
}

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
  std::optional<std::string> study;
  // The bundled models: ./models when run from the repository, else the ones this build came from.
  std::filesystem::path models = std::filesystem::is_directory("models") ? "models" : LEASECALC_MODELS_DIR;
  std::string format = "table";
  report::Reproduction reproduction;
  auto& omitted = reproduction.omitted;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    const auto value = [&]() -> std::optional<std::string_view> {
      if (i + 1 >= args.size()) return std::nullopt;
      return args[++i];
    };
    const auto set_number = [&](double& target) {
      const auto text = value();
      const auto parsed = text ? number(*text) : std::nullopt;
      if (parsed) target = *parsed;
      return parsed.has_value();
    };
    if (arg == "--help" || arg == "-h") {
      std::cout << reproduce_usage;
      return 0;
    } else if (arg == "--models") {
      const auto text = value();
      if (!text) return bad_usage("--models expects a directory");
      models = std::string(*text);
    } else if (arg == "--format") {
      const auto text = value();
      if (!text || (*text != "table" && *text != "json")) return bad_usage("--format expects table or json");
      format = *text;
    } else if (arg == "--tariff") {
      if (!set_number(omitted.tariff_per_kwh)) return bad_usage("--tariff expects a price per kWh, e.g. 0.65");
    } else if (arg == "--pue") {
      if (!set_number(omitted.pue) || omitted.pue < 1) return bad_usage("--pue expects a number of at least 1");
    } else if (arg == "--colocation") {
      if (!set_number(omitted.colocation_per_kw_month)) return bad_usage("--colocation expects a rent per kW-month");
    } else if (!arg.empty() && arg[0] == '-') {
      return bad_usage("unknown option '" + std::string(arg) + "'");
    } else if (study) {
      return bad_usage("one study at a time");
    } else {
      study = std::string(arg);
    }
  }
  if (!study) return bad_usage("which study? e.g. leasecalc reproduce guosen-2025");
  if (*study != reproduction.study) return bad_usage("unknown study '" + *study + "' (known: guosen-2025)");

  try {
    for (const auto cluster : {report::GuosenCluster::standard, report::GuosenCluster::premium}) {
      const auto model = models / report::guosen_2025_model(cluster);
      reproduction.clusters.push_back(
          report::reproduce_cluster(cluster, model.string(), io::load_deal(model), omitted, reproduction.ranges));
    }
  } catch (const io::InputError& error) {
    std::cerr << error.what() << "\n";
    return 2;
  } catch (const std::invalid_argument& error) {
    std::cerr << "leasecalc reproduce: " << error.what() << "\n";
    return 2;
  }
  if (format == "json") report::write_json(std::cout, reproduction);
  else report::write_table(std::cout, reproduction);
  return 0;
}

}  // namespace leasecalc::app
