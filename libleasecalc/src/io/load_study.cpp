// Study files to studies. The grammar of single values and the position-aware YAML reading live
// in io::Document; this file holds the schema of a study file (docs/reproduce.md) and the rules
// that involve several fields.

#include "leasecalc/io/load_study.hpp"

#include "leasecalc/io/document.hpp"
#include "leasecalc/text/text.hpp"
#include "wording.hpp"

#include <algorithm>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace leasecalc::io {

using num::Decimal;

// ---- the tables ------------------------------------------------------------------------------

const std::vector<StudyQuantityInfo>& study_quantities() {
  using Q = StudyQuantity;
  // key, label, noun, suffix, over the life, margin, outcome, has accrual
  static const std::vector<StudyQuantityInfo> table = {
      {Q::hardware, "hardware", "Hardware", "hardware", "", false, false, false, false},
      {Q::financing_cost, "financing_cost", "Financing cost", "financing cost", "", true, false, false, false},
      {Q::running_costs, "running_costs", "O&M (running costs)", "running costs", "", true, false, false, false},
      {Q::lease_revenue, "lease_revenue", "Lease revenue", "lease revenue", "", true, false, false, false},
      {Q::vat_refund, "vat_refund", "VAT refund", "VAT refund", "", false, false, false, false},
      {Q::residual_value, "residual_value", "Residual value", "residual value", "", false, false, false, false},
      {Q::total_cost, "total_cost", "Total cost", "total cost", "", false, false, false, false},
      {Q::total_income, "total_income", "Total income", "total income", "", false, false, true, false},
      {Q::pre_tax_profit, "pre_tax_profit", "Total pre-tax profit", "total pre-tax profit", "", false, false, true,
       false},
      {Q::after_tax_profit_a_year, "after_tax_profit_a_year", "After-tax profit a year", "after-tax net profit",
       " a year", false, false, true, true},
      {Q::net_margin, "net_margin", "Net margin", "net margin", "", false, true, true, true},
  };
  return table;
}

const StudyQuantityInfo& info(StudyQuantity quantity) {
  for (const auto& row : study_quantities())
    if (row.quantity == quantity) return row;
  return study_quantities().back();  // unreachable: the table has every quantity
}

const std::vector<StudyInputInfo>& study_inputs() {
  using I = StudyInput;
  static const std::vector<StudyInputInfo> table = {
      {I::contract_price, "contract_price", "contract price"},
      {I::utilisation, "utilisation", "utilisation"},
      {I::server_price, "server_price", "server price"},
      {I::debt_rate, "debt_rate", "debt rate"},
      {I::income_tax_rate, "income_tax_rate", "income tax rate"},
      {I::vat_refund_as_income, "vat_refund_as_income", "VAT refund as income"},
      {I::power_price, "power_price", "power price"},
      {I::pue, "pue", "PUE"},
      {I::colocation_rent, "colocation_rent", "colocation rent"},
  };
  return table;
}

const StudyInputInfo& info(StudyInput input) {
  for (const auto& row : study_inputs())
    if (row.input == input) return row;
  return study_inputs().front();  // unreachable: the table has every input
}

namespace {

template <class Row, class E>
std::vector<Choice<E>> choices_of(const std::vector<Row>& table, E Row::*member) {
  std::vector<Choice<E>> choices;
  for (const Row& row : table) choices.emplace_back(row.key, row.*member);
  return choices;
}

StudyQuantity read_quantity(const Field& field) {
  const auto choices = choices_of(study_quantities(), &StudyQuantityInfo::quantity);
  return field.as_enum<StudyQuantity>(std::span<const Choice<StudyQuantity>>(choices));
}

StudyInput read_input(const Field& field) {
  const auto choices = choices_of(study_inputs(), &StudyInputInfo::input);
  return field.as_enum<StudyInput>(std::span<const Choice<StudyInput>>(choices));
}

// What the whole file shares.
struct StudyFrame {
  std::string currency;
};

// ---- figures -----------------------------------------------------------------------------------

Decimal figure_value(const Field& field, StudyQuantity quantity, const StudyFrame& frame) {
  return info(quantity).is_margin ? field.as_percent(Range::any) : field.as_amount_in(frame.currency, Range::any);
}

// value: X (about X), at_least: X ("X+"), or low: and high: (a range, compared at its midpoint).
// A claim's own keys (headline) are read by the caller, which then finishes the object.
QuotedFigure read_figure(Object& object, const StudyFrame& frame, bool is_claim) {
  QuotedFigure figure;
  figure.quantity = read_quantity(object.field("quantity"));
  figure.label = object.optional_string("label", "");
  const bool has_value = object.has("value"), has_at_least = object.has("at_least");
  const bool has_low = object.has("low"), has_high = object.has("high");
  const int forms = int(has_value) + int(has_at_least) + int(has_low || has_high);
  if (forms == 0) object.fail("expected one of value, at_least or low and high, got none");
  if (forms > 1) {
    const char* second = has_at_least && has_value ? "at_least" : has_low ? "low" : "high";
    object.field(second).fail("expected one of value, at_least or low and high, got more than one");
  }
  if (has_value) {
    figure.value = figure_value(object.field("value"), figure.quantity, frame);
  } else if (has_at_least) {
    figure.value = figure_value(object.field("at_least"), figure.quantity, frame);
    figure.low = figure.value;
  } else {
    if (!has_low) object.field("high").fail("expected low with high (a range), got high only");
    if (!has_high) object.field("low").fail("expected high with low (a range), got low only");
    const Field low = object.field("low"), high = object.field("high");
    figure.low = figure_value(low, figure.quantity, frame);
    figure.high = figure_value(high, figure.quantity, frame);
    if (*figure.high < *figure.low) high.fail_expected("at least low (" + low.as_string() + ")");
    figure.value = (*figure.low + *figure.high) / 2;
  }
  figure.where = object.required_string("where");
  figure.quote = object.required_string("quote");
  figure.in_joint_check = object.optional_bool("joint_check", true);
  if (!is_claim) object.finish();
  return figure;
}

// ---- inputs ------------------------------------------------------------------------------------

void require_currency(const Field& field, const std::string& written, const StudyFrame& frame) {
  if (!written.empty() && written != frame.currency)
    field.fail_expected("a price in " + frame.currency + " (the study's currency)");
}

// One value of `input` as written at `field`; `relative_to` turns amounts of revenue into a price factor.
Decimal input_value(const Field& field, StudyInput input, const StudyFrame& frame,
                    const std::optional<Decimal>& relative_to) {
  switch (input) {
    case StudyInput::contract_price:
      if (relative_to) return field.as_amount_in(frame.currency, Range::positive) / *relative_to;
      return field.as_percent(Range::non_negative);
    case StudyInput::server_price: return field.as_percent(Range::non_negative);
    case StudyInput::utilisation:
    case StudyInput::debt_rate:
    case StudyInput::income_tax_rate: return field.as_percent(Range::fraction);
    case StudyInput::vat_refund_as_income: return field.as_bool() ? 1 : 0;
    case StudyInput::pue: {
      const Decimal pue = field.as_number();
      if (pue < 1 || pue > 3) field.fail_expected("a PUE from 1 to 3");
      return pue;
    }
    case StudyInput::power_price: {
      const deal::Price price = field.as_price({deal::PriceUnit::kwh});
      require_currency(field, price.currency, frame);
      return price.amount;
    }
    case StudyInput::colocation_rent: {
      const deal::Price price = field.as_price({deal::PriceUnit::kw_month});
      require_currency(field, price.currency, frame);
      return price.amount;
    }
  }
  return 0;
}

// A value written as a scalar, or as {value: X, label: TEXT} to name it in tables.
StudyValue read_value(const Field& field, StudyInput input, const StudyFrame& frame,
                      const std::optional<Decimal>& relative_to) {
  if (!field.is_object()) return {input_value(field, input, frame, relative_to), field.as_string()};
  Object object = field.as_object();
  const Field value = object.field("value");
  StudyValue result{input_value(value, input, frame, relative_to), object.optional_string("label", value.as_string())};
  object.finish();
  return result;
}

SearchRange read_range(Object& object, StudyInput input, const StudyFrame& frame,
                       const std::optional<Decimal>& relative_to) {
  if (input == StudyInput::vat_refund_as_income) object.as_field().fail("a yes/no input cannot be searched");
  const Field from = object.field("from"), to = object.field("to");
  SearchRange range{input_value(from, input, frame, relative_to), input_value(to, input, frame, relative_to),
                    from.as_string(), to.as_string()};
  if (range.high <= range.low) to.fail_expected("more than from (" + from.as_string() + ")");
  return range;
}

OpenAssumption read_open_assumption(Object object, const StudyFrame& frame) {
  OpenAssumption assumption;
  assumption.label = object.required_string("label");
  assumption.column = object.optional_string("column", assumption.label);
  const Field input = object.field("input");
  assumption.input = read_input(input);
  if (const std::optional<Field> relative_to = object.optional_field("relative_to")) {
    if (assumption.input != StudyInput::contract_price)
      relative_to->fail_expected("no relative_to (it turns amounts of revenue into a contract_price factor)");
    assumption.relative_to = relative_to->as_amount_in(frame.currency, Range::positive);
    if (*assumption.relative_to == 0) relative_to->fail_expected("an amount above zero");
  }
  const List values = object.list("values");
  if (values.empty()) values.fail("expected at least one value, got none");
  for (const Field& value : values) assumption.values.push_back(read_value(value, assumption.input, frame, assumption.relative_to));
  if (std::optional<Object> search = object.optional_object("search")) {
    assumption.search = read_range(*search, assumption.input, frame, assumption.relative_to);
    search->finish();
  } else if (assumption.input != StudyInput::vat_refund_as_income) {
    // By default, what it would take is looked for between the lowest and the highest value.
    const auto [low, high] = std::minmax_element(assumption.values.begin(), assumption.values.end(),
                                                 [](const StudyValue& a, const StudyValue& b) { return a.value < b.value; });
    if (low->value < high->value) assumption.search = SearchRange{low->value, high->value, low->text, high->text};
  }
  assumption.note = object.optional_string("note", "");
  object.finish();
  return assumption;
}

LeftOutCost read_left_out(Object object, const StudyFrame& frame) {
  LeftOutCost cost;
  cost.label = object.required_string("label");
  Object settings = object.object("set");
  for (auto& [key, value] : settings.entries()) {
    std::optional<StudyInput> input;
    for (const auto& row : study_inputs())
      if (row.key == key) input = row.input;
    if (!input) {
      std::vector<std::string> keys;
      for (const auto& row : study_inputs()) keys.emplace_back(row.key);
      std::string detail = "unknown input \"" + key + "\"";
      if (const auto suggestion = text::closest_match(key, keys)) detail += " (did you mean \"" + *suggestion + "\"?)";
      value.fail(detail + "; inputs: " + text::join_alternatives(keys));
    }
    cost.settings.push_back({*input, read_value(value, *input, frame, std::nullopt)});
  }
  if (cost.settings.empty()) settings.fail("expected at least one input to set, got none");
  if (std::optional<Object> solve = object.optional_object("solve")) {
    const StudyInput input = read_input(solve->field("input"));
    cost.solve = SolveFor{input, read_range(*solve, input, frame, std::nullopt)};
    solve->finish();
  }
  cost.note = object.optional_string("note", "");
  object.finish();
  return cost;
}

// ---- the file ----------------------------------------------------------------------------------

Study read_study(const Document& document, const std::filesystem::path& directory) {
  Object root = document.root();
  Study study;
  study.file = document.file();
  study.name = root.required_string("name");
  study.title = root.required_string("title");
  study.source = root.required_string("source");
  const StudyFrame frame{root.required_currency("currency")};
  study.currency = frame.currency;
  // Amounts in tables: 亿 for CNY and millions otherwise unless the study says.
  static constexpr std::pair<std::string_view, double> scales[] = {
      {"亿", 1e8}, {"万", 1e4}, {"bn", 1e9}, {"M", 1e6}, {"k", 1e3}, {"1", 1}};
  study.scale = study.currency == "CNY" ? "亿" : "M";
  if (const std::optional<Field> scale = root.optional_field("scale")) {
    std::vector<Choice<std::string_view>> choices;
    for (const auto& [name, divisor] : scales) choices.emplace_back(name, name);
    study.scale = std::string(scale->as_enum<std::string_view>(std::span<const Choice<std::string_view>>(choices)));
  }
  for (const auto& [name, divisor] : scales)
    if (name == study.scale) study.scale_divisor = divisor;

  const std::vector<Object> claims = root.list_of_objects("claims");
  if (claims.empty()) root.field("claims").fail("expected at least one claim, got none");
  std::optional<std::size_t> headline;
  for (Object claim : claims) {
    study.claims.push_back(read_figure(claim, frame, true));
    if (claim.optional_bool("headline", false)) {
      if (headline) claim.field("headline").fail("expected one headline claim, got a second one");
      headline = study.claims.size() - 1;
      if (study.claims.back().low || study.claims.back().high)
        claim.as_field().fail("expected the headline claim to state one value (value:), not a range");
    }
    claim.finish();
  }
  if (!headline && (study.claims.front().low || study.claims.front().high))
    claims.front().as_field().fail("expected the first claim, the headline unless another says headline: true, to state one value (value:)");
  study.headline = headline.value_or(0);

  const std::vector<Object> cases = root.list_of_objects("cases");
  if (cases.empty()) root.field("cases").fail("expected at least one case (a model the study redoes), got none");
  for (Object object : cases) {
    StudyCase study_case;
    study_case.name = object.required_string("name");
    for (const auto& other : study.cases)
      if (other.name == study_case.name) object.field("name").fail("expected a name no other case has, got a second \"" + study_case.name + "\"");
    const Field model = object.field("model");
    study_case.model_as_written = model.as_string();
    study_case.model = directory / study_case.model_as_written;
    study_case.model_position = model.position();
    study_case.model_path = model.path();
    for (Object figure : object.optional_list_of_objects("figures")) {
      study_case.figures.push_back(read_figure(figure, frame, false));
      for (std::size_t i = 0; i + 1 < study_case.figures.size(); ++i)
        if (study_case.figures[i].quantity == study_case.figures.back().quantity)
          figure.field("quantity").fail("expected one figure per quantity, got a second " +
                                        std::string(info(study_case.figures.back().quantity).key));
    }
    object.finish();
    study.cases.push_back(std::move(study_case));
  }

  for (Object assumption : root.optional_list_of_objects("open_assumptions"))
    study.open_assumptions.push_back(read_open_assumption(assumption, frame));
  for (Object cost : root.optional_list_of_objects("left_out"))
    study.left_out.push_back(read_left_out(cost, frame));
  root.ignore("notes");
  root.finish();
  return study;
}

}  // namespace

Study load_study(const std::filesystem::path& study) {
  return read_study(Document::load_file(study), study.parent_path());
}

Study parse_study(std::string_view text, std::string display_name, const std::filesystem::path& directory) {
  return read_study(Document::parse(text, std::move(display_name)), directory);
}

}  // namespace leasecalc::io
