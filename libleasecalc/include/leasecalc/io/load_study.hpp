#pragma once
// Study files to studies: a published estimate (a broker's worked example) as data, read by
// `leasecalc reproduce STUDY.yaml` (docs/reproduce.md). A study names the models it redoes, the
// report's quoted figures with their words, the assumptions the report leaves open with their
// ranges, the costs it leaves out as changes to the models, and its headline claims. Every
// problem is an io::InputError at the file, line, column and field path to fix.
//
//   io::Study study = io::load_study("models/studies/my-study.yaml");

#include "leasecalc/io/input_error.hpp"
#include "leasecalc/num/numeric.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leasecalc::io {

// ---- what a study compares -------------------------------------------------------------------

// A quantity of the reproduction a report's figure corresponds to (report/reproduce.hpp computes
// each one from a projected deal).
enum class StudyQuantity {
  hardware,                 // the fleet as capitalised
  financing_cost,           // interest and financing fees over the life
  running_costs,            // every running cost paid over the life
  lease_revenue,            // rent earned over the life, after service credits
  vat_refund,               // input VAT refunded in cash
  residual_value,           // the fleet's sale at the horizon
  total_cost,               // hardware + financing cost + running costs
  total_income,             // lease revenue + VAT refund booked as income + residual value
  pre_tax_profit,           // total income - total cost
  after_tax_profit_a_year,  // after income tax, over the life's years
  net_margin,               // net income / lease revenue
};

// How a quantity is written and used: one row per quantity, in line-item order.
struct StudyQuantityInfo {
  StudyQuantity quantity;
  std::string_view key;        // in study files and JSON: "pre_tax_profit"
  std::string_view label;      // line-item label: "Total pre-tax profit"
  std::string_view noun;       // in sentences: "total pre-tax profit"
  std::string_view suffix;     // after a figure in sentences: " a year"
  bool over_life = false;      // the label names the life: "Lease revenue, 5 years"
  bool is_margin = false;      // a fraction (written as a percentage), not an amount
  bool outcome = false;        // a result of the deal, tested against every corner
  bool has_accrual = false;    // the engine's accrual model has it too (else cash basis only)
};

// Every quantity, in line-item order.
const std::vector<StudyQuantityInfo>& study_quantities();
const StudyQuantityInfo& info(StudyQuantity quantity);

// A figure as the report states it: an amount in the study's currency, or a fraction for
// margins. A range gives its ends and its midpoint as `value`; "3亿+" is a low end only.
struct QuotedFigure {
  StudyQuantity quantity = StudyQuantity::net_margin;
  std::string label;            // a claim's own name ("annualised margin"); empty: the quantity's noun
  num::Decimal value = 0;
  std::optional<num::Decimal> low, high;
  std::string where;            // where in the report: "standard-card cluster, hardware"
  std::string quote;            // the report's words
  bool in_joint_check = true;   // counted in "every figure above at one corner"
};

// ---- how a study changes the models ----------------------------------------------------------

// A model input a study varies, each one deal change (solve/variants.hpp).
enum class StudyInput {
  contract_price,        // every contract's price times a factor
  utilisation,           // the billed share of the servers (every contract's servers times it)
  server_price,          // every server's price times a factor
  debt_rate,             // every debt tranche's annual rate
  income_tax_rate,       // the income tax rate
  vat_refund_as_income,  // true: VAT-inclusive capex and the refund as income; false: cash only
  power_price,           // electricity paid by the operator at this price per kWh
  pue,                   // facility power over IT power, for the electricity
  colocation_rent,       // data-centre rent paid by the operator per kW-month of IT load
};

struct StudyInputInfo {
  StudyInput input;
  std::string_view key;   // "power_price"
  std::string_view noun;  // "power price"
};

const std::vector<StudyInputInfo>& study_inputs();
const StudyInputInfo& info(StudyInput input);

// One value of an input: a fraction for factors and rates, an amount for prices, 1 or 0 for a
// yes/no input. `text` is the value as written (or its label), for tables.
struct StudyValue {
  num::Decimal value = 0;
  std::string text;
};

struct SearchRange {
  num::Decimal low = 0, high = 0;
  std::string low_text, high_text;  // as written
};

// An input the report does not pin, and the values it could take (the corners).
struct OpenAssumption {
  std::string label;      // "financing rate"
  std::string column;     // short, for table headings: "rate"
  StudyInput input = StudyInput::debt_rate;
  // contract_price only: values are amounts of revenue and the factor is value / relative_to.
  std::optional<num::Decimal> relative_to;
  std::vector<StudyValue> values;
  std::optional<SearchRange> search;  // where "what it would take" looks; none for yes/no inputs
  std::string note;
};

struct InputSetting {
  StudyInput input = StudyInput::debt_rate;
  StudyValue value;
};

// What it would take: the input solved for, over a range.
struct SolveFor {
  StudyInput input = StudyInput::debt_rate;
  SearchRange range;
};

// A cost or shortfall the report leaves out, as changes to every model.
struct LeftOutCost {
  std::string label;  // "+ electricity"
  std::vector<InputSetting> settings;
  std::optional<SolveFor> solve;
  std::string note;
};

// One model the study redoes, and the figures the report quotes for it.
struct StudyCase {
  std::string name;                 // "standard"
  std::filesystem::path model;      // resolved against the study's directory
  std::string model_as_written;
  SourcePosition model_position;    // for errors found when the model is loaded or run
  std::string model_path;           // the field's path: "cases[0].model"
  std::vector<QuotedFigure> figures;
};

struct Study {
  std::string file;
  std::string name;      // "acme-2025"
  std::string title;     // "Acme Securities' 10k-card cluster estimate (2025)"
  std::string source;    // the publication the quotes come from
  std::string currency;  // every amount in the study, and every model's currency
  std::string scale = "亿";  // amounts are shown divided by `scale_divisor`: 亿, 万, bn, M, k or 1
  double scale_divisor = 1e8;
  std::vector<QuotedFigure> claims;  // the headline claims, checked in every case
  std::size_t headline = 0;          // the claim "what it would take" solves for
  std::vector<StudyCase> cases;
  std::vector<OpenAssumption> open_assumptions;
  std::vector<LeftOutCost> left_out;
};

Study load_study(const std::filesystem::path& study);
// `display_name` names the text in error messages; model paths resolve against `directory`.
Study parse_study(std::string_view text, std::string display_name, const std::filesystem::path& directory);

}  // namespace leasecalc::io
