// Every writer carries every entry of the two tables, the line table (engine/ledger.hpp) and the
// metric table (report/run_report.hpp): run's terminal table, CSV and JSON, and compare's. And the
// output says what the ledger holds: exact cents, columns that fit, a scale that fits the deal.
#include <leasecalc/engine/project.hpp>
#include <leasecalc/io/load_deal.hpp>
#include <leasecalc/report/compare.hpp>
#include <leasecalc/report/run_report.hpp>

#include "support/cli.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <set>
#include <regex>
#include <sstream>
#include <string>

namespace {
using namespace leasecalc;
using nlohmann::json;

const std::filesystem::path models = std::filesystem::path(LEASECALC_SOURCE_DIR) / "models";

// A deal with on-demand use, running costs, debt fees and funding shortfalls.
deal::Deal on_demand_deal() { return io::load_deal(models / "china-h800-on-demand.yaml"); }

struct Written {
  std::string table, csv;
  json document;
};

template <class Report>
Written write_all(const Report& report, const report::Scale& scale) {
  std::ostringstream table, csv, document;
  report::write_table(table, report, scale);
  report::write_csv(csv, report);
  report::write_json(document, report);
  return {table.str(), csv.str(), json::parse(document.str())};
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(EveryWriter, CarriesEveryLedgerLine) {
  const auto deal = on_demand_deal();
  const auto report = report::make_run_report<num::Decimal>(deal, true);
  const auto out = write_all(report, report::default_scale(deal));
  for (const auto& info : engine::line_table) {
    EXPECT_TRUE(has(out.table, "  " + std::string(info.label) + " ")) << info.key;
    EXPECT_TRUE(has(out.csv, "\nledger," + std::string(info.key) + ",")) << info.key;
    EXPECT_TRUE(out.document["ledger"]["lines"].contains(info.key)) << info.key;
  }
  for (const auto& name : deal.running_costs.others) {
    EXPECT_TRUE(has(out.csv, "\nledger,running_cost:" + name.name + ",")) << name.name;
    EXPECT_TRUE(out.document["ledger"]["lines"].contains("running_cost:" + name.name)) << name.name;
  }
}

TEST(EveryWriter, CarriesEveryMetric) {
  const auto deal = on_demand_deal();
  const auto report = report::make_run_report<num::Decimal>(deal, false);
  const auto out = write_all(report, report::default_scale(deal));
  for (const auto& metric : report::run_metrics()) {
    const std::string key(metric.key);
    EXPECT_TRUE(has(out.table, "  " + std::string(metric.label))) << key;
    EXPECT_TRUE(has(out.csv, "\nmetrics," + key + ",")) << key;
    ASSERT_TRUE(out.document.contains(std::string(metric.section))) << key;
    EXPECT_TRUE(out.document[std::string(metric.section)].contains(key)) << key;
    // A missing value says why, in every writer.
    const auto value = metric.value(report);
    if (!value.value) {
      EXPECT_FALSE(value.note.empty()) << key;
      EXPECT_FALSE(metric.when_null.empty()) << key << ": a metric that can be missing says what that means";
      EXPECT_TRUE(has(out.table, "n/a (" + value.note + ")")) << key;
      EXPECT_TRUE(has(out.csv, "\nmetrics," + key + ",,")) << key;
      EXPECT_EQ(out.document["notes"][key], value.note) << key;
    }
  }
  for (const auto& series : report::run_series()) {
    const std::string key(series.key);
    EXPECT_TRUE(has(out.table, "  " + std::string(series.label))) << key;
    EXPECT_TRUE(has(out.csv, "\nmargins," + key + ",")) << key;
    EXPECT_EQ(out.document["by_year"][key].size(),
              series.values(report).size()) << key;
  }
}

TEST(EveryWriter, CompareCarriesEveryMetricOfRunWithItsReason) {
  const auto compared = report::make_compare_report(
      {{"rent", io::load_deal(models / "rent-vs-build-rent.yaml")}, {"on demand", on_demand_deal()}});
  const auto out = write_all(compared, report::compare_scale(compared));
  std::set<std::string_view> keys;
  for (const auto& metric : report::compare_metrics()) keys.insert(metric.key);
  for (const auto& metric : report::run_metrics()) EXPECT_EQ(keys.count(metric.key), 1u) << metric.key;
  for (const auto& metric : report::compare_metrics()) {
    const std::string key(metric.key);
    EXPECT_TRUE(has(out.table, "  " + std::string(metric.label) + " ")) << key;
    EXPECT_TRUE(has(out.csv, "\n" + key + ",")) << key;
    EXPECT_TRUE(out.document["deals"][0]["metrics"].contains(key)) << key;
    EXPECT_TRUE(out.document["differences"][0]["values"].contains(key)) << key;
    for (std::size_t i = 0; i < compared.deals.size(); ++i) {
      const auto value = metric.value(compared.deals[i]);
      if (value.note.empty()) continue;
      // The reason run gives, not a bare n/a.
      EXPECT_TRUE(has(out.table, "): " + value.note + "\n")) << key;
      EXPECT_EQ(out.document["deals"][i]["notes"][key], value.note) << key;
      EXPECT_TRUE(has(out.csv, "\nnote," + key + ",")) << key;
    }
  }
}

// ---- exact output ------------------------------------------------------------------------------

TEST(ExactOutput, CsvAndJsonCarryTheCentsAsBooked) {
  for (const char* model : {"guosen-2025-standard-10k.yaml", "guosen-2025-premium-10k.yaml",
                            "china-h800-on-demand.yaml", "us-h100-take-or-pay.yaml", "coreweave-ddtl-ig.yaml"}) {
    const auto deal = io::load_deal(models / model);
    const auto ledger = engine::project<num::Decimal>(deal);
    const auto report = report::make_run_report<num::Decimal>(deal, ledger, true);
    std::ostringstream csv, document;
    report::write_csv(csv, report);
    report::write_json(document, report);
    // The CSV's ledger rows, value by value, against the decimal ledger.
    std::istringstream lines(csv.str());
    std::string row;
    int checked = 0;
    while (std::getline(lines, row)) {
      if (row.rfind("ledger,", 0) != 0 || row.rfind("ledger,line,", 0) == 0) continue;
      std::vector<std::string> fields;
      std::stringstream cells(row);
      for (std::string cell; std::getline(cells, cell, ',');) fields.push_back(cell);
      const auto* info = std::find_if(engine::line_table.begin(), engine::line_table.end(),
                                      [&](const engine::LineInfo& i) { return i.key == fields[1]; });
      if (info == engine::line_table.end() || info->kind == engine::LineKind::units) continue;
      ASSERT_EQ(fields.size(), static_cast<std::size_t>(ledger.months()) + 2) << row;
      for (int m = 0; m < ledger.months(); ++m) {
        ASSERT_EQ(num::from_string<num::Decimal>(fields[static_cast<std::size_t>(m) + 2]), ledger(info->line, m))
            << model << " " << fields[1] << " month " << m << ": " << fields[static_cast<std::size_t>(m) + 2];
        ++checked;
      }
    }
    EXPECT_GT(checked, 1000) << model;
    // No binary noise in the amounts, in CSV or JSON: no decimals like .72999999 or .0000000002.
    // (Ratios such as the utilisation are computed in double and may carry some.)
    const std::regex noise(R"(\.\d*(0000000|9999999)\d)");
    std::smatch found;
    std::string amounts;
    std::istringstream csv_rows(csv.str());
    for (std::string line; std::getline(csv_rows, line);)
      if (line.rfind("income_statement,", 0) == 0 || line.rfind("cash_flow,", 0) == 0 ||
          line.rfind("balance_sheet,", 0) == 0 || line.rfind("ledger,", 0) == 0)
        amounts += line + "\n";
    const auto document_json = json::parse(document.str());
    for (const char* section : {"summary", "income_statement", "cash_flow", "balance_sheet", "ledger"})
      amounts += document_json[section].dump() + "\n";
    EXPECT_FALSE(std::regex_search(amounts, found, noise)) << model << ": " << found.str();
  }
}

TEST(ExactOutput, RatesAreWrittenAsGiven) {
  const auto deal = io::load_deal(models / "guosen-2025-standard-10k.yaml");
  const auto report = report::make_run_report<num::Decimal>(deal, false);
  std::ostringstream csv;
  report::write_csv(csv, report);
  EXPECT_TRUE(has(csv.str(), "\nmetrics,target_irr,0.08\n")) << csv.str();
}

// ---- the terminal table ------------------------------------------------------------------------

TEST(Table, ColumnsFitTheirContentAtEveryScale) {
  const auto deal = io::load_deal(models / "guosen-2025-standard-10k.yaml");
  const auto report = report::make_run_report<num::Decimal>(deal, true);
  for (const char* label : {"1", "k", "万", "M", "亿", "bn"}) {
    std::ostringstream out;
    report::write_table(out, report, *report::parse_scale(label));
    // Two amounts run together read as "...944.00770002944.00": a two-decimal number followed by
    // a digit or a minus sign.
    const std::string text = out.str();
    std::smatch joined;
    EXPECT_FALSE(std::regex_search(text, joined, std::regex(R"(\.\d\d[-\d])"))) << label << ": " << joined.str();
  }
}

TEST(Table, DashOnlyForATrueZero) {
  const report::Scale yi{1e8, "亿"};
  EXPECT_EQ(report::formatted(report::MetricFormat::amount, 0, yi), "-");
  EXPECT_EQ(report::formatted(report::MetricFormat::amount, 1234.56, yi), "0.00");
  EXPECT_EQ(report::formatted(report::MetricFormat::amount, -1234.56, yi), "0.00");
  EXPECT_EQ(report::formatted(report::MetricFormat::amount, -2.5e8, yi), "-2.50");
}

TEST(Table, DefaultScaleFollowsTheDealsSize) {
  EXPECT_EQ(report::default_scale("CNY", 4.0e9).label, "亿");  // a 10k-card cluster
  EXPECT_EQ(report::default_scale("CNY", 2.6e6).label, "万");  // one server
  EXPECT_EQ(report::default_scale("CNY", 5000).label, "");
  EXPECT_EQ(report::default_scale("USD", 7.7e8).label, "M");
  EXPECT_EQ(report::default_scale("USD", 3.0e5).label, "k");
  EXPECT_EQ(report::default_scale("USD", 900).label, "");
  // The deal's size is its largest statement total.
  const auto standard = report::make_run_report<double>(io::load_deal(models / "guosen-2025-standard-10k.yaml"), false);
  EXPECT_EQ(report::default_scale(standard.currency, report::magnitude(standard)).label, "亿");
  const auto build = report::make_run_report<double>(io::load_deal(models / "rent-vs-build-build.yaml"), false);
  EXPECT_EQ(report::default_scale(build.currency, report::magnitude(build)).label, "万");
}

TEST(Table, MonthsAreNamedAsInJsonWithTheirDates) {
  const auto deal = on_demand_deal();
  const auto report = report::make_run_report<num::Decimal>(deal, false);
  const auto out = write_all(report, report::default_scale(deal));
  const auto& first = out.document["funding_shortfalls"][0];
  ASSERT_FALSE(first.is_null());
  const std::string named = "first in month " + std::to_string(first["month"].get<int>()) + " (" +
                            first["date"].get<std::string>() + ")";
  EXPECT_TRUE(has(out.table, named)) << named << "\n" << out.table;
  EXPECT_EQ(first["date"], report.months[static_cast<std::size_t>(first["month"].get<int>())]);
}

}  // namespace
