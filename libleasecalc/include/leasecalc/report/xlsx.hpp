#pragma once
// The workbook a finance team opens (`--xlsx FILE`, docs/xlsx.md): the model as written (Inputs),
// the monthly ledger (Monthly), the annual statements as formulas over it (Annual), the returns as
// live spreadsheet formulas beside the engine's own figures (Returns) and native charts (Charts);
// with the tornado, the Monte Carlo range, the bid grid or the comparison of the command that
// wrote it. Every formula cell carries the engine's figure as its cached result, so a spreadsheet
// that recalculates shows at once whether the formulas agree with the engine.

#include "leasecalc/engine/ledger.hpp"
#include "leasecalc/engine/project.hpp"
#include "leasecalc/engine/statements.hpp"
#include "leasecalc/fin/irr.hpp"
#include "leasecalc/io/document.hpp"
#include "leasecalc/io/load_deal.hpp"
#include "leasecalc/report/bid.hpp"
#include "leasecalc/report/compare.hpp"
#include "leasecalc/report/run_report.hpp"
#include "leasecalc/report/sensitivity.hpp"
#include "leasecalc/time/date.hpp"

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace leasecalc::report {

// A workbook that could not be written (an unwritable path, a full disk): the message names the file.
struct XlsxError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A figure by month that the engine derives from the ledger, written on the Monthly sheet as a
// formula over the lines it sums: the returns' cash flows and the debt-service coverage's parts.
struct MonthlyFlow {
  std::string key;    // the defined name's stem: "free_cash_flow_to_firm"
  std::string label;  // "Free cash flow to firm (post-tax)"
  std::vector<engine::Line> lines;  // the ledger lines summed
  int sign = 1;                     // -1 for a flow seen from the other side (the shareholders')
  std::vector<double> values;       // the engine's own figure, by month
};

namespace xlsx_detail {
// engine::debt_service's lines: interest, swap settlements and scheduled principal.
constexpr bool in_debt_service(engine::Line line) {
  return line == engine::Line::interest || line == engine::Line::swap_settlements ||
         line == engine::Line::principal_repaid;
}
}  // namespace xlsx_detail

// Everything the run sheets show: the report with its monthly ledger, the model as written, and
// the engine's monthly flows and figures that the formulas are checked against.
struct RunWorkbook {
  RunReport run;                         // with the monthly ledger
  std::string model_file;
  std::vector<io::WrittenField> inputs;  // the model as written
  std::vector<MonthlyFlow> flows;
  std::vector<int> month_end_serials;  // spreadsheet date serials of the month ends (XIRR's dates)
  std::optional<double> project_xirr;  // XIRR of the post-tax firm flows on those dates
  std::vector<double> lease_revenue_by_year;  // then the life
  std::vector<double> debt_service_by_year;   // negative; then the life
};

// Spreadsheet serial number (days since 1899-12-30) of a date.
int spreadsheet_serial(const deal::Date& date);

// The run sheets' content for a projected ledger of the loaded deal.
template <num::Numeric Num>
RunWorkbook make_run_workbook(const io::LoadedDeal& loaded, const engine::Ledger<Num>& ledger, RunReport run) {
  RunWorkbook book;
  book.run = std::move(run);
  book.model_file = loaded.source.file();
  book.inputs = loaded.source.written_fields();
  using engine::Line;
  const auto flow = [&](std::string key, std::string label, Num (*engine_value)(const engine::Ledger<Num>&, int),
                        bool (*member)(Line), int sign) {
    MonthlyFlow result{std::move(key), std::move(label), {}, sign, {}};
    for (const engine::LineInfo& info : engine::line_table)
      if (member(info.line)) result.lines.push_back(info.line);
    for (int m = 0; m < ledger.months(); ++m) result.values.push_back(num::to_double(engine_value(ledger, m)));
    book.flows.push_back(std::move(result));
  };
  flow("free_cash_flow_pre_tax", "Free cash flow to firm (pre-tax)", engine::free_cash_flow_pre_tax<Num>,
       engine::in_free_cash_flow_pre_tax, 1);
  flow("free_cash_flow_to_firm", "Free cash flow to firm (post-tax)", engine::free_cash_flow_to_firm<Num>,
       engine::in_free_cash_flow_to_firm, 1);
  flow("equity_cash_flow", "Equity cash flow (to the shareholders)", engine::equity_cash_flow<Num>,
       engine::is_equity_flow, -1);
  flow("operating_cash_flow", "Cash available for debt service", engine::operating_cash_flow<Num>,
       engine::in_operating_cash_flow, 1);
  flow("debt_service", "Debt service", engine::debt_service<Num>, xlsx_detail::in_debt_service, 1);
  for (int m = 0; m < ledger.months(); ++m) {
    const deal::Date first_of_next = engine::month_start(ledger.start(), m + 1);
    book.month_end_serials.push_back(spreadsheet_serial(first_of_next) - 1);
  }
  const fin::IrrResult xirr = fin::xirr(book.flows[1].values, book.month_end_serials, 0.1);
  if (xirr.status == fin::IrrStatus::unique) book.project_xirr = xirr.rate;
  double lease_life = 0, service_life = 0;
  for (const engine::YearSpan& year : engine::deal_years(ledger.months())) {
    Num lease(0), service(0);
    for (int m = year.first_month; m < year.end_month; ++m) {
      lease += engine::lease_revenue(ledger, m);
      service += engine::debt_service(ledger, m);
    }
    book.lease_revenue_by_year.push_back(num::to_double(lease));
    book.debt_service_by_year.push_back(num::to_double(service));
    lease_life += num::to_double(lease);
    service_life += num::to_double(service);
  }
  book.lease_revenue_by_year.push_back(lease_life);
  book.debt_service_by_year.push_back(service_life);
  return book;
}

// Projects the loaded deal (exactly in Decimal, or fast in double) and assembles the run sheets.
template <num::Numeric Num>
RunWorkbook make_run_workbook(const io::LoadedDeal& loaded, std::optional<solve::ReturnTarget> target = std::nullopt) {
  const engine::Ledger<Num> ledger = engine::project<Num>(loaded.deal);
  RunReport run = make_run_report<Num>(loaded.deal, ledger, true, target);
  run.warnings = loaded.warnings;
  return make_run_workbook<Num>(loaded, ledger, std::move(run));
}

// The workbook of `run`: Inputs, Monthly, Annual, Returns, Charts.
void write_xlsx(const std::filesystem::path& file, const RunWorkbook& run);
// With a Tornado sheet (and the price x volume grid when the report has it).
void write_xlsx(const std::filesystem::path& file, const RunWorkbook& run, const SensitivityReport& sensitivity);
// With a Monte Carlo sheet: every scenario's NPV, the percentiles as formulas, a histogram.
void write_xlsx(const std::filesystem::path& file, const RunWorkbook& run, const MonteCarloReport& monte_carlo);
// With a Bid sheet: the solved grid.
void write_xlsx(const std::filesystem::path& file, const RunWorkbook& run, const BidReport& bid);
// A Compare sheet, then each deal's run sheets, numbered in the order of the comparison.
void write_xlsx(const std::filesystem::path& file, const std::vector<RunWorkbook>& runs, const CompareReport& compare);

}  // namespace leasecalc::report
