// The workbook's parts that need no spreadsheet: the model's comments as the Inputs sheet lists
// them, the Monthly flows' membership against the engine's own subtotals, and a clear error for a
// workbook that cannot be written. (tests/xlsx_recalc_check.py recalculates whole workbooks in
// LibreOffice.)
#include <leasecalc/io/document.hpp>
#include <leasecalc/io/load_deal.hpp>
#include <leasecalc/report/xlsx.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <string>

namespace {

namespace io = leasecalc::io;
namespace report = leasecalc::report;
namespace engine = leasecalc::engine;
using leasecalc::num::Decimal;

const std::filesystem::path models = std::filesystem::path(LEASECALC_SOURCE_DIR) / "models";

const io::WrittenField& field(const std::vector<io::WrittenField>& fields, std::string_view path) {
  for (const auto& f : fields)
    if (f.path == path) return f;
  throw std::runtime_error("no field " + std::string(path));
}

TEST(WrittenFields, KeepTheCommentsAtTheEndOfTheLineAndJustAbove) {
  const std::string text =
      "# the file's header\n"
      "\n"
      "deal:\n"
      "  name: 'a # not a comment'   # the name\n"
      "  # why this rate:\n"
      "  # the lender's quote\n"
      "  rate: 12%\n"
      "  plain: 3\n"
      "list:\n"
      "  - {a: 1, b: 2}   # both items' note\n"
      "  - x#y\n";
  const auto fields = io::Document::parse(text, "m.yaml").written_fields();
  ASSERT_EQ(fields.size(), 9u);
  EXPECT_EQ(field(fields, "deal").comment, "");  // a blank line parts it from the header
  EXPECT_EQ(field(fields, "deal.name").value, "a # not a comment");
  EXPECT_EQ(field(fields, "deal.name").comment, "the name");
  EXPECT_EQ(field(fields, "deal.rate").comment, "why this rate: the lender's quote");
  EXPECT_EQ(field(fields, "deal.rate").value, "12%");
  EXPECT_EQ(field(fields, "deal.rate").position.line, 7);
  EXPECT_EQ(field(fields, "deal.plain").comment, "");
  EXPECT_EQ(field(fields, "list[0]").comment, "both items' note");  // the first field on the line
  EXPECT_EQ(field(fields, "list[0].a").comment, "");
  EXPECT_FALSE(field(fields, "list[0]").is_scalar);
  EXPECT_EQ(field(fields, "list[1]").value, "x#y");  // a # inside a word starts no comment
  EXPECT_EQ(field(fields, "list[1]").comment, "");
}

TEST(WrittenFields, OverriddenValuesKeepTheOthersComments) {
  const io::Document document = io::Document::parse("a: 1  # one\nb: 2  # two\n", "m.yaml");
  const io::FieldOverride change{"b", "5"};
  const auto fields = document.with_overrides({&change, 1}).written_fields();
  EXPECT_EQ(field(fields, "a").comment, "one");
  EXPECT_EQ(field(fields, "b").value, "5");
}

// Each Monthly flow's formula sums its lines (with its sign); that sum must be the engine's own
// figure for every month of every bundled model.
TEST(RunWorkbook, FlowsSumTheirLinesToTheEnginesFigures) {
  for (const auto& entry : std::filesystem::directory_iterator(models)) {
    if (entry.path().extension() != ".yaml") continue;
    SCOPED_TRACE(entry.path().string());
    const io::LoadedDeal loaded = io::load_deal_with_warnings(entry.path());
    const report::RunWorkbook book = report::make_run_workbook<double>(loaded);
    ASSERT_EQ(book.flows.size(), 5u);
    const auto row_of = [&](engine::Line line) -> const std::vector<double>& {
      for (const auto& row : book.run.ledger)
        if (row.key == engine::line_name(line)) return row.values;
      throw std::runtime_error("no ledger row");
    };
    for (const report::MonthlyFlow& flow : book.flows) {
      ASSERT_FALSE(flow.lines.empty()) << flow.key;
      for (std::size_t m = 0; m < flow.values.size(); ++m) {
        double sum = 0;
        for (const engine::Line line : flow.lines) sum += flow.sign * row_of(line)[m];
        EXPECT_NEAR(sum, flow.values[m], 1e-6 * (1 + std::abs(sum))) << flow.key << " month " << m;
      }
    }
    EXPECT_EQ(book.month_end_serials.size(), book.run.months.size());
    EXPECT_FALSE(book.inputs.empty());
  }
}

TEST(SpreadsheetSerial, CountsDaysFromTheSpreadsheetEpoch) {
  EXPECT_EQ(report::spreadsheet_serial(leasecalc::deal::Date(1900, 3, 1)), 61);  // past the 1900 leap-day quirk
  EXPECT_EQ(report::spreadsheet_serial(leasecalc::deal::Date(2025, 10, 31)), 45961);
}

TEST(WriteXlsx, AnUnwritablePathIsAnErrorNamingTheFile) {
  const io::LoadedDeal loaded = io::load_deal_with_warnings(models / "us-h100-take-or-pay.yaml");
  const report::RunWorkbook book = report::make_run_workbook<double>(loaded);
  const std::string path = "/nonexistent-directory/deal.xlsx";
  try {
    report::write_xlsx(path, book);
    FAIL() << "no error";
  } catch (const report::XlsxError& error) {
    EXPECT_NE(std::string(error.what()).find(path), std::string::npos) << error.what();
  }
}

TEST(WriteXlsx, WritesAWorkbookFile) {
  const io::LoadedDeal loaded = io::load_deal_with_warnings(models / "rent-vs-build-build.yaml");
  const report::RunWorkbook book = report::make_run_workbook<Decimal>(loaded);
  const auto path = std::filesystem::temp_directory_path() / "leasecalc-xlsx-test.xlsx";
  report::write_xlsx(path, book);
  ASSERT_TRUE(std::filesystem::exists(path));
  EXPECT_GT(std::filesystem::file_size(path), 10000u);
  std::filesystem::remove(path);
}

}  // namespace
