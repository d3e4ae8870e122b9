#pragma once
// The grammar the subcommands share: options with a value, positional words, --help, the common
// --format and --scale options, and one place that turns a usage error or a bad model file into a
// message on stderr and exit code 2.

#include "commands.hpp"

#include <leasecalc/io/input_error.hpp>
#include <leasecalc/io/load_deal.hpp>
#include <leasecalc/io/units.hpp>
#include <leasecalc/report/progress.hpp>
#include <leasecalc/report/run_report.hpp>
#include <leasecalc/report/xlsx.hpp>
#include <leasecalc/text/text.hpp>

#include <initializer_list>
#include <optional>
#include <iostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

namespace leasecalc::app {

// A wrong argument: printed with the command's usage; exit code 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Walks a subcommand's arguments one word at a time.
class CommandLine {
 public:
  explicit CommandLine(Args args) : args_(args) {}

  // Moves to the next argument; false when none is left.
  bool next() {
    if (index_ >= args_.size()) return false;
    current_ = args_[index_++];
    return true;
  }
  std::string_view arg() const { return current_; }
  bool is(std::string_view option) const { return current_ == option; }
  bool is_option() const { return current_.size() > 1 && current_[0] == '-'; }

  // The word after the current option, or a UsageError saying what it expects.
  std::string_view value(std::string_view expected) {
    if (index_ >= args_.size()) throw UsageError(std::string(current_) + " expects " + std::string(expected));
    return args_[index_++];
  }

  [[noreturn]] void unknown() const {
    throw UsageError("unknown option '" + std::string(current_) + "'");
  }

 private:
  Args args_;
  std::size_t index_ = 0;
  std::string_view current_;
};

// --format: one of `allowed`.
inline std::string format_option(CommandLine& line, std::initializer_list<std::string_view> allowed = {"table", "csv", "json"}) {
  const std::string expected = text::join_alternatives(allowed);  // "table, csv or json"
  const std::string_view text = line.value(expected);
  for (const auto& name : allowed)
    if (text == name) return std::string(text);
  throw UsageError("--format expects " + expected + ", got '" + std::string(text) + "'");
}

// --scale: the divisor amounts are shown in.
inline report::Scale scale_option(CommandLine& line) {
  const auto scale = report::parse_scale(line.value("亿, 万, bn, M, k or 1"));
  if (!scale) throw UsageError("--scale expects 亿, 万, bn, M, k or 1");
  return *scale;
}

// A whole number in [low, high] after the current option.
inline int whole_number_option(CommandLine& line, int low, int high) {
  const std::string expected = "a whole number from " + std::to_string(low) + " to " + std::to_string(high);
  const std::string_view text = line.value(expected);
  try {
    const int value = io::parse_count(text);
    if (value >= low && value <= high) return value;
  } catch (const io::ParseError&) {
  }
  throw UsageError(std::string(line.arg()) + " expects " + expected + ", got '" + std::string(text) + "'");
}

// A rate strictly between `low` and `high` (as fractions) after the current option, in the grammar
// of model files (docs/units.md): "12%", "250bp", or the plain fraction "0.12".
inline double percent_option(CommandLine& line, double low, double high, std::string_view expected) {
  const std::string_view text = line.value(expected);
  try {
    const double value = num::to_double(io::parse_percent(text));
    if (value > low && value < high) return value;
  } catch (const io::ParseError&) {
  }
  throw UsageError(std::string(line.arg()) + " expects " + std::string(expected) + ", got '" + std::string(text) + "'");
}

// The one model file a subcommand takes, as its positional word: a second one is a usage error.
inline void model_argument(CommandLine& line, std::optional<std::string>& model) {
  if (model) throw UsageError("one model file at a time (got '" + *model + "' and '" + std::string(line.arg()) + "')");
  model = std::string(line.arg());
}

// The model file, or a usage error with an example of the command.
inline std::string required_model(const std::optional<std::string>& model, std::string_view command) {
  if (!model) throw UsageError("which model? e.g. leasecalc " + std::string(command) + " models/guosen-2025-standard-10k.yaml");
  return *model;
}

// Warnings about a model, one a line on stderr: `warning: FILE:LINE:COLUMN: FIELD: MESSAGE`.
inline void print_warnings(const std::vector<io::Warning>& warnings) {
  for (const io::Warning& warning : warnings) std::cerr << warning.text() << "\n";
}

// A model file's deal, its warnings printed on stderr: how every command loads a model.
inline io::LoadedDeal load_model(const std::string& path) {
  io::LoadedDeal loaded = io::load_deal_with_warnings(path);
  print_warnings(loaded.warnings);
  return loaded;
}

// --xlsx FILE: where the workbook goes (docs/xlsx.md).
inline std::string xlsx_option(CommandLine& line) { return std::string(line.value("a workbook file, such as deal.xlsx")); }

// The progress of a long run on standard error, shown only when that is a terminal and the user
// did not ask for --quiet: a pipe or a file never receives it. finish() erases the line before
// the result is printed.
class TerminalProgress {
 public:
  TerminalProgress(bool quiet, std::string task, std::string unit) {
    if (!quiet && ::isatty(STDERR_FILENO)) line_.emplace(std::cerr, std::move(task), std::move(unit));
  }
  solve::Progress callback() { return line_ ? line_->callback() : solve::Progress{}; }
  void finish() {
    if (line_) line_->finish();
  }

 private:
  std::optional<report::ProgressLine> line_;
};

// Writes a report in the chosen --format: its JSON, its CSV, or its terminal table at `scale`.
// (Unqualified calls, so that the writers of each report type are found in its namespace.)
template <class Report>
void write_report(std::string_view format, const Report& result, const report::Scale& scale) {
  if (format == "json") write_json(std::cout, result);
  else if (format == "csv") write_csv(std::cout, result);
  else write_table(std::cout, result, scale);
}

// Runs a subcommand: --help prints the usage (exit 0); a usage error prints its message and the
// usage, a bad model file or an input the library refuses prints what is wrong (exit 2).
template <class Body>
int run_command(std::string_view name, std::string_view usage, Args args, const Body& body) {
  for (const auto arg : args) {
    if (arg == "--help" || arg == "-h") {
      std::cout << usage;
      return 0;
    }
  }
  try {
    return body();
  } catch (const UsageError& error) {
    std::cerr << "leasecalc " << name << ": " << error.what() << "\n\n" << usage;
  } catch (const io::InputError& error) {
    std::cerr << error.what() << "\n";
  } catch (const std::invalid_argument& error) {
    std::cerr << "leasecalc " << name << ": " << error.what() << "\n";
  } catch (const report::XlsxError& error) {
    std::cerr << "leasecalc " << name << ": " << error.what() << "\n";
  }
  return 2;
}

}  // namespace leasecalc::app
