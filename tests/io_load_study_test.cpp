// Study files (docs/reproduce.md): a valid study reads into its parts, the bundled study reads,
// and each kind of mistake is a located error: file, line, column, field path and what was expected.
#include <leasecalc/io/load_study.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace {
using namespace leasecalc;

constexpr const char* test_file = "study.yaml";

const std::string base_study = R"(name: acme-2025
title: Acme Securities' example
source: Acme Securities, 2025
currency: CNY
claims:
  - label: net margin
    quantity: net_margin
    value: 15%
    where: headline
    quote: about 15%
  - label: annualised margin
    quantity: net_margin
    low: 15%
    high: 20%
    joint_check: false
    where: example
    quote: 15-20%
cases:
  - name: one
    model: ../one.yaml
    figures:
      - quantity: hardware
        value: 26.6亿
        where: hardware
        quote: 26.6 亿
      - quantity: financing_cost
        at_least: 3亿
        where: financing
        quote: 3 亿+
open_assumptions:
  - label: lease revenue
    column: revenue
    input: contract_price
    relative_to: 38.5亿
    values: [37亿, 38.5亿, 40亿]
    search: {from: 20亿, to: 60亿}
  - label: VAT refund
    input: vat_refund_as_income
    values:
      - {value: true, label: as income}
      - false
left_out:
  - label: + electricity
    set: {power_price: 0.65 CNY/kWh, pue: 1.3}
    solve: {input: power_price, from: 0 CNY/kWh, to: 3 CNY/kWh}
    note: at the grid price
)";

io::Study parse(const std::string& text) { return io::parse_study(text, test_file, "/studies"); }

std::string edit(std::string text, std::string_view from, std::string_view to) {
  const auto at = text.find(from);
  if (at == std::string::npos) throw std::invalid_argument("no '" + std::string(from) + "' in the study");
  return text.replace(at, from.size(), to);
}

// Line and column (1-based) of `part` inside the first `context` in `text`.
std::pair<int, int> locate(const std::string& text, std::string_view context, std::string_view part) {
  const auto at = text.find(context);
  if (at == std::string::npos) throw std::invalid_argument("no context '" + std::string(context) + "'");
  const auto offset = at + std::string_view(text).substr(at).find(part);
  int line = 1, column = 1;
  for (std::size_t i = 0; i < offset; ++i) text[i] == '\n' ? (++line, column = 1) : ++column;
  return {line, column};
}

void expect_error(const std::string& text, std::string_view context, std::string_view part, const std::string& path,
                  const std::string& detail) {
  try {
    parse(text);
    ADD_FAILURE() << "the study loaded without error:\n" << text;
  } catch (const io::InputError& error) {
    const auto [line, column] = locate(text, context, part);
    EXPECT_EQ(error.file(), test_file);
    EXPECT_EQ(error.line(), line) << error.what();
    EXPECT_EQ(error.column(), column) << error.what();
    EXPECT_EQ(error.path(), path) << error.what();
    EXPECT_EQ(error.detail(), detail) << error.what();
    EXPECT_EQ(std::string(error.what()), std::string(test_file) + ":" + std::to_string(line) + ":" +
                                             std::to_string(column) + ": " + path + ": " + detail);
  }
}

TEST(LoadStudy, ReadsEveryPart) {
  const io::Study study = parse(base_study);
  EXPECT_EQ(study.name, "acme-2025");
  EXPECT_EQ(study.currency, "CNY");
  EXPECT_EQ(study.scale, "亿");
  EXPECT_EQ(study.headline, 0u);  // the first claim unless another says headline: true
  ASSERT_EQ(study.claims.size(), 2u);
  EXPECT_EQ(study.claims[1].value, num::from_string<num::Decimal>("0.175"));  // a range's midpoint
  EXPECT_FALSE(study.claims[1].in_joint_check);
  ASSERT_EQ(study.cases.size(), 1u);
  const auto& c = study.cases[0];
  EXPECT_EQ(c.model, std::filesystem::path("/studies/../one.yaml"));
  EXPECT_EQ(c.model_path, "cases[0].model");
  EXPECT_EQ(c.model_position.line, 20);
  ASSERT_EQ(c.figures.size(), 2u);
  EXPECT_EQ(c.figures[0].value, num::Decimal(2660000000));
  EXPECT_EQ(*c.figures[1].low, num::Decimal(300000000));
  EXPECT_FALSE(c.figures[1].high);
  ASSERT_EQ(study.open_assumptions.size(), 2u);
  const auto& revenue = study.open_assumptions[0];
  EXPECT_EQ(revenue.values[0].value, num::Decimal(37) / num::Decimal("38.5"));  // a share of relative_to
  EXPECT_EQ(revenue.values[1].value, 1);
  EXPECT_EQ(revenue.search->low, num::Decimal(20) / num::Decimal("38.5"));
  const auto& vat = study.open_assumptions[1];
  EXPECT_EQ(vat.column, "VAT refund");  // the label unless a column is given
  EXPECT_EQ(vat.values[0].text, "as income");
  EXPECT_EQ(vat.values[1].value, 0);
  EXPECT_FALSE(vat.search);  // a yes/no input is not searched
  ASSERT_EQ(study.left_out.size(), 1u);
  const auto& power = study.left_out[0];
  ASSERT_EQ(power.settings.size(), 2u);
  EXPECT_EQ(power.settings[0].input, io::StudyInput::power_price);
  EXPECT_EQ(power.settings[0].value.value, num::from_string<num::Decimal>("0.65"));
  EXPECT_EQ(power.settings[1].input, io::StudyInput::pue);
  ASSERT_TRUE(power.solve);
  EXPECT_EQ(power.solve->range.high, 3);
  EXPECT_EQ(power.note, "at the grid price");
}

TEST(LoadStudy, SearchDefaultsToTheValuesRange) {
  const io::Study study = parse(edit(base_study, "    search: {from: 20亿, to: 60亿}\n", ""));
  const auto& search = study.open_assumptions[0].search;
  ASSERT_TRUE(search);
  EXPECT_EQ(search->low, num::Decimal(37) / num::Decimal("38.5"));
  EXPECT_EQ(search->high, num::Decimal(40) / num::Decimal("38.5"));
  EXPECT_EQ(search->low_text, "37亿");
}

TEST(LoadStudy, TheBundledStudyReads) {
  const io::Study study =
      io::load_study(std::filesystem::path(LEASECALC_SOURCE_DIR) / "models" / "studies" / "guosen-2025.yaml");
  EXPECT_EQ(study.cases.size(), 2u);
  EXPECT_EQ(study.open_assumptions.size(), 4u);
  EXPECT_EQ(study.left_out.size(), 5u);
  for (const auto& c : study.cases) EXPECT_TRUE(std::filesystem::is_regular_file(c.model)) << c.model;
}

TEST(LoadStudyErrors, UnknownKeyWithSuggestion) {
  expect_error(edit(base_study, "    note: at the grid", "    notes: at the grid"), "notes:", "notes", "left_out[0].notes",
               "unknown key \"notes\" (did you mean \"note\"?); accepted keys: label, set, solve, note");
}

TEST(LoadStudyErrors, UnknownQuantity) {
  expect_error(edit(base_study, "quantity: hardware", "quantity: hardwre"), "quantity: hardwre", "hardwre",
               "cases[0].figures[0].quantity",
               "expected one of hardware, financing_cost, running_costs, lease_revenue, vat_refund, residual_value, "
               "total_cost, total_income, pre_tax_profit, after_tax_profit_a_year or net_margin, got \"hardwre\" "
               "(did you mean \"hardware\"?)");
}

TEST(LoadStudyErrors, AFigureStatesOneForm) {
  expect_error(edit(base_study, "        value: 26.6亿\n", "        value: 26.6亿\n        low: 26亿\n"), "low: 26亿", "26亿",
               "cases[0].figures[0].low", "expected one of value, at_least or low and high, got more than one");
  expect_error(edit(base_study, "    low: 15%\n", ""), "high: 20%", "20%", "claims[1].high",
               "expected low with high (a range), got high only");
}

TEST(LoadStudyErrors, ARangeRunsUpwards) {
  expect_error(edit(base_study, "high: 20%", "high: 10%"), "high: 10%", "10%", "claims[1].high",
               "expected at least low (15%), got \"10%\"");
}

TEST(LoadStudyErrors, AMissingQuote) {
  expect_error(edit(base_study, "        quote: 26.6 亿\n", ""), "- quantity: hardware", "quantity", "cases[0].figures[0]",
               "missing required key \"quote\" (expected a text)");
}

TEST(LoadStudyErrors, AnAmountInAnotherCurrency) {
  expect_error(edit(base_study, "value: 26.6亿", "value: 2.6bn USD"), "value: 2.6bn USD", "2.6bn USD",
               "cases[0].figures[0].value", "expected an amount in CNY, got \"2.6bn USD\"");
}

TEST(LoadStudyErrors, RelativeToOnlyForContractPrice) {
  expect_error(edit(base_study, "    input: vat_refund_as_income\n", "    input: vat_refund_as_income\n    relative_to: 1亿\n"),
               "relative_to: 1亿", "1亿", "open_assumptions[1].relative_to",
               "expected no relative_to (it turns amounts of revenue into a contract_price factor), got \"1亿\"");
}

TEST(LoadStudyErrors, UnknownInputInALeftOutCost) {
  expect_error(edit(base_study, "pue: 1.3}", "pue: 1.3, colocation: 600 CNY/kW-month}"), "colocation: 600", "600",
               "left_out[0].set.colocation",
               "unknown input \"colocation\" (did you mean \"colocation_rent\"?); inputs: contract_price, utilisation, "
               "server_price, debt_rate, income_tax_rate, vat_refund_as_income, power_price, pue or colocation_rent");
}

TEST(LoadStudyErrors, APowerPriceIsPerKwh) {
  expect_error(edit(base_study, "power_price: 0.65 CNY/kWh", "power_price: 0.65 CNY/kW-month"), "0.65 CNY/kW-month",
               "0.65", "left_out[0].set.power_price", "expected a price per kWh, got \"0.65 CNY/kW-month\"");
}

TEST(LoadStudyErrors, ASearchRunsUpwards) {
  expect_error(edit(base_study, "to: 60亿", "to: 10亿"), "to: 10亿", "10亿", "open_assumptions[0].search.to",
               "expected more than from (20亿), got \"10亿\"");
}

TEST(LoadStudyErrors, OneHeadlineStatingOneValue) {
  expect_error(edit(base_study, "    joint_check: false\n", "    joint_check: false\n    headline: true\n"),
               "label: annualised margin", "label", "claims[1]",
               "expected the headline claim to state one value (value:), not a range");
  const std::string two = edit(edit(base_study, "    value: 15%\n", "    value: 15%\n    headline: true\n"),
                               "    where: example\n", "    where: example\n    headline: true\n");
  expect_error(edit(two, "    low: 15%\n    high: 20%\n", "    value: 20%\n"), "where: example\n    headline: true",
               "true", "claims[1].headline", "expected one headline claim, got a second one");
}

TEST(LoadStudyErrors, NoCases) {
  const std::string text = base_study.substr(0, base_study.find("cases:")) + "cases: []\n";
  expect_error(text, "cases: []", "[]", "cases", "expected at least one case (a model the study redoes), got none");
}

}  // namespace
