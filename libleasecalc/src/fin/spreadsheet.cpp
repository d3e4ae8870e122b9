#include "leasecalc/fin/spreadsheet.hpp"

#include "leasecalc/fin/depreciation.hpp"
#include "leasecalc/fin/irr.hpp"
#include "leasecalc/fin/tvm.hpp"
#include "leasecalc/num/number_text.hpp"
#include "leasecalc/text/text.hpp"
#include "leasecalc/time/date.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <stdexcept>

namespace leasecalc::fin {
namespace {

using Flow = CashFlowInput;

std::vector<SpreadsheetFunction> make_functions() {
  const SpreadsheetParameter rate{"RATE", "", "interest rate per period"};
  const SpreadsheetParameter nper{"NPER", "", "number of periods"};
  const SpreadsheetParameter per{"PER", "", "the period, 1 to NPER"};
  const SpreadsheetParameter pv{"PV", "", "present value (loan amount: positive when received)"};
  const SpreadsheetParameter pmt{"PMT", "", "payment per period"};
  const SpreadsheetParameter fv_opt{"FV", "0", "future value left after the last period"};
  const SpreadsheetParameter pv_opt{"PV", "0", "present value"};
  const SpreadsheetParameter type{"TYPE", "0", "0 = payments at period end, 1 = at period start"};
  const SpreadsheetParameter guess{"GUESS", "0.1", "starting rate; picks among several IRRs"};
  const SpreadsheetParameter cost{"COST", "", "initial cost of the asset"};
  const SpreadsheetParameter salvage{"SALVAGE", "", "value at the end of the life"};
  const SpreadsheetParameter life{"LIFE", "", "number of periods of depreciation"};
  return {
      {"npv", "net present value; first flow discounted one period", {rate}, Flow::amounts},
      {"xnpv", "net present value of dated flows (365-day years from the first date)", {rate}, Flow::dated_amounts},
      {"irr", "internal rate of return per period", {guess}, Flow::amounts},
      {"xirr", "internal rate of return per year of dated flows", {guess}, Flow::dated_amounts},
      {"mirr", "modified IRR",
       {{"FINANCE_RATE", "", "rate paid on negative flows"}, {"REINVEST_RATE", "", "rate earned on positive flows"}},
       Flow::amounts},
      {"pmt", "level payment of a loan or annuity", {rate, nper, pv, fv_opt, type}},
      {"ipmt", "interest part of one payment", {rate, per, nper, pv, fv_opt, type}},
      {"ppmt", "principal part of one payment", {rate, per, nper, pv, fv_opt, type}},
      {"pv", "present value of an annuity", {rate, nper, pmt, fv_opt, type}},
      {"fv", "future value of an annuity", {rate, nper, pmt, pv_opt, type}},
      {"nper", "number of periods of an annuity", {rate, pmt, pv, fv_opt, type}},
      {"rate", "interest rate per period of an annuity", {nper, pmt, pv, fv_opt, type, guess}},
      {"payback", "periods until cumulative cash turns non-negative for good (flow 0 = now)", {}, Flow::amounts},
      {"dpayback", "discounted payback period", {rate}, Flow::amounts},
      {"sln", "straight-line depreciation per period", {cost, salvage, life}},
      {"syd", "sum-of-years'-digits depreciation", {cost, salvage, life, per}},
      {"db", "fixed-declining-balance depreciation",
       {cost, salvage, life, {"PERIOD", "", "the period, 1 to LIFE (+1 if MONTH < 12)"},
        {"MONTH", "12", "months in the first year"}}},
      {"ddb", "double-declining-balance depreciation",
       {cost, salvage, life, {"PERIOD", "", "the period, 1 to LIFE"}, {"FACTOR", "2", "rate of decline"}}},
      {"vdb", "variable declining balance between two (fractional) periods",
       {cost, salvage, life, {"START_PERIOD", "", "start, from 0"}, {"END_PERIOD", "", "end, up to LIFE"},
        {"FACTOR", "2", "rate of decline"},
        {"NO_SWITCH", "0", "1 = never switch to straight line"}}},
      {"macrs", "US MACRS (GDS) tax depreciation of one recovery year",
       {cost, {"RECOVERY_YEARS", "", "property class: 3, 5, 7, 10, 15 or 20"},
        {"YEAR", "", "recovery year, from 1"},
        {"CONVENTION", "half_year", "half_year or mid_quarter (the names of model files)"},
        {"QUARTER", "4", "mid_quarter: the quarter of the tax year placed in service, 1 to 4"}}},
  };
}

std::string quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

using text::trim;

// A number in the grammar of model files and command lines (docs/units.md): a plain number, a
// percentage (7.5% is 0.075) or an amount with a scale (100M, 2.66亿). Throws naming what is wrong.
double parse_number(std::string_view text) {
  return num::to_double(num::parse_quantity(text, {.percent = true, .scale = true}));
}

// "expected a number ..., got 'TEXT'", with the grammar's reason when it has one.
std::string not_a_number(std::string_view what, std::string_view text, const num::NumberTextError& error) {
  return std::string(what) + "expected a number (such as 0.05, 5% or 100M), got " + quoted(text) +
         (error.note().empty() ? "" : " (" + error.note() + ")");
}

// The arguments of one call, defaults filled in, parsed on demand with messages naming them.
class Arguments {
 public:
  Arguments(const SpreadsheetFunction& function, std::span<const std::string_view> given)
      : function_(function) {
    const auto& parameters = function.parameters;
    if (given.size() < function.required_count() || given.size() > parameters.size()) {
      const std::size_t required = function.required_count();
      const std::string expected = required == parameters.size()
                                       ? std::to_string(required)
                                       : std::to_string(required) + " to " + std::to_string(parameters.size());
      throw std::invalid_argument(std::string(function.name) + ": expected " + expected + " argument(s), got " +
                                  std::to_string(given.size()) + "; usage: " + function.usage());
    }
    for (std::size_t i = 0; i < parameters.size(); ++i)
      texts_.push_back(i < given.size() ? given[i] : parameters[i].default_text);
  }

  std::string_view text(std::size_t i) const { return texts_[i]; }

  double number(std::size_t i) const {
    try {
      return parse_number(texts_[i]);
    } catch (const num::NumberTextError& error) {
      throw std::invalid_argument(not_a_number(name(i) + ": ", texts_[i], error));
    }
  }

  int whole(std::size_t i) const {
    const double value = number(i);
    if (value != std::floor(value) || std::fabs(value) > 1e9)
      throw std::invalid_argument(name(i) + ": expected a whole number, got " + quoted(texts_[i]));
    return static_cast<int>(value);
  }

  bool flag(std::size_t i) const {
    const std::string_view t = texts_[i];
    if (t == "0" || t == "false" || t == "FALSE") return false;
    if (t == "1" || t == "true" || t == "TRUE") return true;
    throw std::invalid_argument(name(i) + ": expected 0 or 1 (false or true), got " + quoted(t));
  }

 private:
  std::string name(std::size_t i) const {
    return std::string(function_.name) + " argument " + std::to_string(i + 1) + " " +
           std::string(function_.parameters[i].name);
  }
  const SpreadsheetFunction& function_;
  std::vector<std::string_view> texts_;
};

// CONVENTION and QUARTER by the names model files use (fin::macrs_convention_named).
MacrsConvention parse_convention(std::string_view name, int quarter) {
  if (name != macrs_half_year_name && name != macrs_mid_quarter_name) {
    std::string message = "macrs argument 4 CONVENTION: expected " + std::string(macrs_half_year_name) + " or " +
                          std::string(macrs_mid_quarter_name) + ", got " + quoted(name);
    if (name.starts_with("mid_quarter_"))
      message += " (write the quarter as argument 5 QUARTER: mid_quarter " + std::string(name.substr(12)) + ")";
    throw std::invalid_argument(message);
  }
  if (const std::optional<MacrsConvention> convention = macrs_convention_named(name, quarter)) return *convention;
  throw std::invalid_argument("macrs argument 5 QUARTER: expected a quarter from 1 to 4, got " + std::to_string(quarter));
}

SpreadsheetOutcome from_irr(const IrrResult& result) {
  if (!result.has_rate()) return SpreadsheetNoResult{result.message};
  return SpreadsheetValue{result.rate, result.status == IrrStatus::multiple_roots ? result.message : ""};
}

template <class Payback>
SpreadsheetOutcome from_payback(const Payback& result) {
  if (!result.pays_back()) return SpreadsheetNoResult{result.message};
  return SpreadsheetValue{result.period, ""};
}

}  // namespace

std::size_t SpreadsheetFunction::required_count() const {
  return static_cast<std::size_t>(std::count_if(parameters.begin(), parameters.end(),
                                                [](const auto& p) { return p.default_text.empty(); }));
}

std::string SpreadsheetFunction::usage() const {
  std::string text(name);
  for (const auto& p : parameters) {
    text.append(p.default_text.empty() ? " " : " [").append(p.name);
    if (!p.default_text.empty()) text.append("=").append(p.default_text).append("]");
  }
  if (cash_flows == CashFlowInput::amounts) text += "  < one amount per line";
  if (cash_flows == CashFlowInput::dated_amounts) text += "  < YYYY-MM-DD,amount per line";
  return text;
}

const std::vector<SpreadsheetFunction>& spreadsheet_functions() {
  static const std::vector<SpreadsheetFunction> functions = make_functions();  // immutable table
  return functions;
}

const SpreadsheetFunction* find_spreadsheet_function(std::string_view name) {
  for (const auto& f : spreadsheet_functions())
    if (text::equal_ignoring_case(f.name, name)) return &f;
  return nullptr;
}

int parse_serial_day(std::string_view iso_date) {
  // Spreadsheet serial days count from 1899-12-30 (day 1 is 1900-01-01, with the spreadsheets'
  // phantom 1900-02-29 folded in for every later date).
  static const time::Date day_zero(1899, 12, 30);
  return static_cast<int>((time::parse_date(iso_date) - day_zero).days());
}

CashFlows parse_cash_flows(std::string_view text, CashFlowInput kind) {
  CashFlows flows;
  std::size_t line_number = 0;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    const std::string_view line = trim(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    ++line_number;
    if (line.empty() || kind == CashFlowInput::none) continue;
    const std::string where = "line " + std::to_string(line_number) + ": ";
    std::string_view amount_text = line;
    if (kind == CashFlowInput::dated_amounts) {
      const std::size_t comma = line.find(',');
      if (comma == std::string_view::npos)
        throw std::invalid_argument(where + "expected YYYY-MM-DD,amount, got " + quoted(line));
      const std::string_view date = trim(line.substr(0, comma));
      try {
        flows.days.push_back(parse_serial_day(date));
      } catch (const time::DateError& error) {
        throw std::invalid_argument(where + "expected a date YYYY-MM-DD, got " + quoted(date) + " (" + error.reason() + ")");
      }
      amount_text = trim(line.substr(comma + 1));
    }
    try {
      flows.amounts.push_back(parse_number(amount_text));
    } catch (const num::NumberTextError& error) {
      throw std::invalid_argument(not_a_number(where, amount_text, error));
    }
  }
  return flows;
}

namespace {

SpreadsheetOutcome evaluate_by_name(const SpreadsheetFunction& function, std::span<const std::string_view> given,
                                    const CashFlows& cash_flows) {
  const Arguments a(function, given);
  const std::string_view name = function.name;
  const std::span<const double> values(cash_flows.amounts);
  const std::span<const int> days(cash_flows.days);
  if (function.cash_flows != CashFlowInput::none && values.empty())
    throw std::invalid_argument(std::string(name) + ": expected cash flows on standard input, got none");
  if (function.cash_flows == CashFlowInput::dated_amounts && days.size() != values.size())
    throw std::invalid_argument(std::string(name) + ": expected one date per amount");
  // A spreadsheet shows #NUM! where the arithmetic leaves the doubles (PV of 1e308 periods, FV at
  // a rate of 1e10): no result, never an inf or a NaN. -0 prints as 0.
  const auto value = [&](double v) -> SpreadsheetOutcome {
    if (!std::isfinite(v))
      return SpreadsheetNoResult{std::string(name) + ": no finite result for these arguments (the value overflows a double)"};
    return SpreadsheetValue{v + 0.0, ""};
  };

  if (name == "npv") return value(npv(a.number(0), values));
  if (name == "xnpv") return value(xnpv(a.number(0), values, days));
  if (name == "irr") return from_irr(irr(values, a.number(0)));
  if (name == "xirr") return from_irr(xirr(values, days, a.number(0)));
  if (name == "mirr") return value(mirr(values, a.number(0), a.number(1)));
  if (name == "pmt") return value(pmt(a.number(0), a.number(1), a.number(2), a.number(3), a.number(4)));
  if (name == "ipmt")
    return value(ipmt(a.number(0), a.number(1), a.number(2), a.number(3), a.number(4), a.number(5)));
  if (name == "ppmt")
    return value(ppmt(a.number(0), a.number(1), a.number(2), a.number(3), a.number(4), a.number(5)));
  if (name == "pv") return value(pv(a.number(0), a.number(1), a.number(2), a.number(3), a.number(4)));
  if (name == "fv") return value(fv(a.number(0), a.number(1), a.number(2), a.number(3), a.number(4)));
  if (name == "nper") return value(nper(a.number(0), a.number(1), a.number(2), a.number(3), a.number(4)));
  if (name == "rate")
    return from_irr(rate(a.number(0), a.number(1), a.number(2), a.number(3), a.number(4), a.number(5)));
  if (name == "payback") return from_payback(payback(values));
  if (name == "dpayback") return from_payback(discounted_payback(a.number(0), values));
  if (name == "sln") return value(sln(a.number(0), a.number(1), a.number(2)));
  if (name == "syd") return value(syd(a.number(0), a.number(1), a.number(2), a.number(3)));
  if (name == "db") return value(db(a.number(0), a.number(1), a.number(2), a.number(3), a.number(4)));
  if (name == "ddb") return value(ddb(a.number(0), a.number(1), a.number(2), a.number(3), a.number(4)));
  if (name == "vdb")
    return value(vdb(a.number(0), a.number(1), a.number(2), a.number(3), a.number(4), a.number(5), a.flag(6)));
  if (name == "macrs") return value(macrs(a.number(0), a.whole(1), a.whole(2), parse_convention(a.text(3), a.whole(4))));
  throw std::logic_error("spreadsheet function without an evaluator: " + std::string(name));
}

}  // namespace

SpreadsheetOutcome evaluate(const SpreadsheetFunction& function, std::span<const std::string_view> given,
                            const CashFlows& cash_flows) {
  try {
    return evaluate_by_name(function, given, cash_flows);
  } catch (const NoSolution& e) {  // valid arguments without an answer: no result, not bad input
    return SpreadsheetNoResult{e.what()};
  }
}

}  // namespace leasecalc::fin
