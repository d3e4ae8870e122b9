// leasecalc reproduce STUDY: a published estimate, described in a study file, redone from its models.
#include "command_line.hpp"

#include <leasecalc/deal/limits.hpp>
#include <leasecalc/io/load_deal.hpp>
#include <leasecalc/io/load_study.hpp>
#include <leasecalc/report/reproduce.hpp>

#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

namespace leasecalc::app {

namespace {

constexpr const char* reproduce_usage =
    "usage: leasecalc reproduce STUDY.yaml|NAME [--models DIR] [--format table|json]\n"
    "                           [--tariff PRICE_PER_KWH] [--pue PUE] [--colocation PRICE_PER_KW_MONTH]\n"
    "\n"
    "Redoes a published estimate from the models its study file names: the report's figures beside\n"
    "the engine's, the report's cash-basis arithmetic beside the engine's accrual model, the net\n"
    "margin across the assumptions the report leaves open, what the costs it leaves out take away,\n"
    "and what it would take, input by input, to meet its headline claim. A NAME is a study bundled\n"
    "in models/studies/ (e.g. guosen-2025). Method and the study format: docs/reproduce.md.\n"
    "\n"
    "  --models      the models directory whose studies/ a NAME is looked up in\n"
    "                (default: ./models if it has the study, else the bundled models)\n"
    "  --format      table (default) or json\n"
    "  --tariff      power price for the left-out costs that set one (in the study's currency per kWh)\n"
    "  --pue         PUE for the left-out costs that set one (from 1 to 3)\n"
    "  --colocation  data-centre rent per kW-month of IT load for the left-out costs that set one\n";

deal::Decimal non_negative(CommandLine& line, const char* expected) {
  const std::string_view text = line.value(expected);
  try {
    const deal::Decimal value = io::parse_number(text);
    if (value >= 0 && value <= deal::Decimal(deal::limits::max_amount)) return value;
  } catch (const io::ParseError&) {
  }
  throw UsageError(std::string(line.arg()) + " expects " + expected + " (at most " + deal::limits::max_amount +
                   "), got '" + std::string(text) + "'");
}

bool is_file_argument(const std::string& study) {
  return study.find('/') != std::string::npos || std::filesystem::path(study).extension() == ".yaml";
}

// The study file a NAME stands for: DIR/studies/NAME.yaml in the first models directory that has it.
std::filesystem::path bundled_study(const std::string& name, const std::optional<std::filesystem::path>& models) {
  std::vector<std::filesystem::path> directories;
  if (models) directories.push_back(*models);
  else directories = {"models", LEASECALC_MODELS_DIR};
  for (const auto& directory : directories) {
    const auto file = directory / "studies" / (name + ".yaml");
    if (std::filesystem::is_regular_file(file)) return file;
  }
  std::string known;
  for (const auto& directory : directories) {
    std::error_code status;
    for (const auto& entry : std::filesystem::directory_iterator(directory / "studies", status))
      if (entry.path().extension() == ".yaml") known += (known.empty() ? "" : ", ") + entry.path().stem().string();
    if (!known.empty()) break;
  }
  throw UsageError("unknown study '" + name + "' (known: " + (known.empty() ? "none" : known) +
                   "; or give a study file, e.g. my-study.yaml)");
}

}  // namespace

int reproduce(Args args) {
  return run_command("reproduce", reproduce_usage, args, [&] {
    std::optional<std::string> study_argument;
    std::optional<std::filesystem::path> models;
    std::string format = "table";
    std::vector<std::pair<io::StudyInput, deal::Decimal>> prices;
    for (CommandLine line(args); line.next();) {
      if (line.is("--models")) {
        models = std::string(line.value("a directory"));
      } else if (line.is("--format")) {
        format = format_option(line, {"table", "json"});
      } else if (line.is("--tariff")) {
        prices.emplace_back(io::StudyInput::power_price, non_negative(line, "a price per kWh, e.g. 0.65"));
      } else if (line.is("--pue")) {
        const deal::Decimal pue = non_negative(line, "a number from 1 to 3");
        if (pue < 1 || pue > 3) throw UsageError("--pue expects a number from 1 to 3");
        prices.emplace_back(io::StudyInput::pue, pue);
      } else if (line.is("--colocation")) {
        prices.emplace_back(io::StudyInput::colocation_rent, non_negative(line, "a rent per kW-month"));
      } else if (line.is_option()) {
        line.unknown();
      } else if (study_argument) {
        throw UsageError("one study at a time");
      } else {
        study_argument = std::string(line.arg());
      }
    }
    if (!study_argument) throw UsageError("which study? e.g. leasecalc reproduce guosen-2025");

    report::Reproduction reproduction;
    reproduction.study = io::load_study(is_file_argument(*study_argument) ? std::filesystem::path(*study_argument)
                                                                          : bundled_study(*study_argument, models));
    for (const auto& [input, value] : prices) report::price_left_out_costs(reproduction.study, input, value);
    for (const auto& study_case : reproduction.study.cases) {
      const io::LoadedDeal loaded = load_model(study_case.model.string());
      reproduction.warnings.insert(reproduction.warnings.end(), loaded.warnings.begin(), loaded.warnings.end());
      reproduction.cases.push_back(report::reproduce_case(reproduction.study, study_case, loaded.deal));
    }
    if (format == "json") report::write_json(std::cout, reproduction);
    else report::write_table(std::cout, reproduction);
    return 0;
  });
}

}  // namespace leasecalc::app
