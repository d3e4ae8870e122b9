#pragma once
// Spreadsheet financial functions callable by name: each function's arguments (names, optional
// ones with the spreadsheet's defaults) and its cash-flow input, and one evaluate() for all.
// The `leasecalc calc` command and any service that takes function names share this table.
//
// Arguments arrive as text in spreadsheet order; the cash flows of NPV, IRR, XIRR, ... as text
// lines. Bad input throws std::invalid_argument with a message that names the argument or line
// and what was expected. A function that has no answer (no IRR, never pays back, payments that
// never reach FV for NPER) returns a NoResult with the reason.

#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace leasecalc::fin {

enum class CashFlowInput {
  none,
  amounts,        // one amount per line
  dated_amounts,  // YYYY-MM-DD,amount per line
};

struct SpreadsheetParameter {
  std::string_view name;
  std::string_view default_text;  // empty: required
  std::string_view meaning;
};

struct SpreadsheetFunction {
  std::string_view name;  // lower case, as typed: "pmt"
  std::string_view summary;
  std::vector<SpreadsheetParameter> parameters;
  CashFlowInput cash_flows = CashFlowInput::none;

  std::size_t required_count() const;
  std::string usage() const;  // "pmt RATE NPER PV [FV=0] [TYPE=0]"
};

// Cash flows for the functions that take them; days are spreadsheet serial numbers
// (days since 1899-12-30), so the numbers match a sheet's.
struct CashFlows {
  std::vector<double> amounts;
  std::vector<int> days;
};

struct SpreadsheetValue {
  double value = 0;
  std::string note;  // e.g. "several IRRs: ..."; empty when there is nothing to add
};

struct SpreadsheetNoResult {
  std::string message;
};

using SpreadsheetOutcome = std::variant<SpreadsheetValue, SpreadsheetNoResult>;

// Every function, in the order `calc --help` lists them.
const std::vector<SpreadsheetFunction>& spreadsheet_functions();

// nullptr when there is no function of that name (case-insensitive).
const SpreadsheetFunction* find_spreadsheet_function(std::string_view name);

// Parses the lines of cash-flow input (blank lines skipped); throws naming the bad line.
CashFlows parse_cash_flows(std::string_view text, CashFlowInput kind);

// Serial day number of an ISO date "YYYY-MM-DD"; throws std::invalid_argument if not a date.
int parse_serial_day(std::string_view iso_date);

// Evaluates `function` on its arguments (spreadsheet order, optional ones may be left off).
SpreadsheetOutcome evaluate(const SpreadsheetFunction& function, std::span<const std::string_view> arguments,
                            const CashFlows& cash_flows = {});

}  // namespace leasecalc::fin
