// The workbook writer (docs/xlsx.md), over libxlsxwriter. The Monthly and Annual sheets are
// written generically over the ledger's lines and the statements' rows: a statement row is a sum
// over its ledger line's months, a subtotal a sum over the rows of the lines it is made of (the
// membership the line table gives), so a new ledger line needs no edit here.
#include "leasecalc/report/xlsx.hpp"

#include <xlsxwriter.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <sstream>

namespace leasecalc::report {

int spreadsheet_serial(const deal::Date& date) {
  return static_cast<int>((date - deal::Date(1899, 12, 30)).days());
}

namespace {

using engine::Line;

// ---- cell addresses --------------------------------------------------------------------------

std::string column_name(int column) {
  std::string name;
  for (int c = column + 1; c > 0; c = (c - 1) / 26) name.insert(name.begin(), static_cast<char>('A' + (c - 1) % 26));
  return name;
}
std::string cell(int row, int column) { return column_name(column) + std::to_string(row + 1); }
std::string absolute(int row, int column) { return "$" + column_name(column) + "$" + std::to_string(row + 1); }
std::string on_sheet(const std::string& sheet, const std::string& address) { return "'" + sheet + "'!" + address; }
std::string row_range(const std::string& sheet, int row, int first_column, int last_column) {
  return on_sheet(sheet, cell(row, first_column) + ":" + cell(row, last_column));
}

// A defined name's stem: letters, digits and underscores.
std::string name_stem(std::string_view text) {
  std::string stem;
  for (const char c : text) stem += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return stem;
}

std::string number_text(double value) {
  std::ostringstream out;
  out.precision(17);
  out << value;
  return out.str();
}

// ---- the workbook ----------------------------------------------------------------------------

struct Formats {
  lxw_format* amount;
  lxw_format* amount_bold;
  lxw_format* rate;
  lxw_format* rate_bold;
  lxw_format* multiple;
  lxw_format* count;
  lxw_format* months;
  lxw_format* date;
  lxw_format* header;
  lxw_format* bold;
  lxw_format* note;
};

class Workbook {
 public:
  explicit Workbook(const std::filesystem::path& file) : file_(file.string()) {
    book_ = workbook_new(file_.c_str());
    if (!book_) throw XlsxError("cannot write " + file_ + ": the workbook could not be created");
    const auto format = [&](const char* number_format, bool bold = false, bool italic = false) {
      lxw_format* result = workbook_add_format(book_);
      if (number_format) format_set_num_format(result, number_format);
      if (bold) format_set_bold(result);
      if (italic) format_set_italic(result);
      return result;
    };
    constexpr const char* accounting = R"(_(* #,##0.00_);_(* \(#,##0.00\);_(* "-"??_);_(@_))";
    formats_ = {format(accounting),        format(accounting, true), format("0.00%"), format("0.00%", true),
                format("0.00\"x\""),       format("#,##0"),          format("0.0"),   format("yyyy-mm-dd"),
                format(nullptr, true),     format(nullptr, true),    format(nullptr, false, true)};
    format_set_bottom(formats_.header, LXW_BORDER_THIN);
  }
  Workbook(const Workbook&) = delete;
  Workbook& operator=(const Workbook&) = delete;
  ~Workbook() {
    if (book_) {  // an exception left it unfinished: write what there is, then remove it
      workbook_close(book_);
      std::error_code ignored;
      std::filesystem::remove(file_, ignored);
    }
  }

  lxw_worksheet* sheet(const std::string& name) {
    lxw_worksheet* sheet = workbook_add_worksheet(book_, name.c_str());
    if (!sheet) throw XlsxError("cannot write " + file_ + ": a sheet named '" + name + "' could not be added");
    return sheet;
  }
  lxw_chart* chart(uint8_t type) { return workbook_add_chart(book_, type); }
  void define(const std::string& name, const std::string& formula) {
    workbook_define_name(book_, name.c_str(), formula.c_str());
  }
  const Formats& formats() const { return formats_; }

  void close() {
    const lxw_error error = workbook_close(book_);
    book_ = nullptr;
    if (error != LXW_NO_ERROR) throw XlsxError("cannot write " + file_ + ": " + lxw_strerror(error));
  }

 private:
  std::string file_;
  lxw_workbook* book_ = nullptr;
  Formats formats_{};
};

void text(lxw_worksheet* sheet, int row, int column, const std::string& value, lxw_format* format = nullptr) {
  worksheet_write_string(sheet, static_cast<lxw_row_t>(row), static_cast<lxw_col_t>(column), value.c_str(), format);
}
void number(lxw_worksheet* sheet, int row, int column, double value, lxw_format* format) {
  worksheet_write_number(sheet, static_cast<lxw_row_t>(row), static_cast<lxw_col_t>(column), value, format);
}
// A formula with the engine's figure as its cached result.
void formula(lxw_worksheet* sheet, int row, int column, const std::string& formula, double engine_value,
             lxw_format* format) {
  worksheet_write_formula_num(sheet, static_cast<lxw_row_t>(row), static_cast<lxw_col_t>(column), formula.c_str(),
                              format, engine_value);
}
void formula_text(lxw_worksheet* sheet, int row, int column, const std::string& formula, const std::string& result,
                  lxw_format* format) {
  worksheet_write_formula_str(sheet, static_cast<lxw_row_t>(row), static_cast<lxw_col_t>(column), formula.c_str(),
                              format, result.c_str());
}
void note(lxw_worksheet* sheet, int row, int column, const std::string& comment) {
  lxw_comment_options options{};
  options.width = 360;
  options.height = 120;
  worksheet_write_comment_opt(sheet, static_cast<lxw_row_t>(row), static_cast<lxw_col_t>(column), comment.c_str(),
                              &options);
}
void width(lxw_worksheet* sheet, int first, int last, double characters) {
  worksheet_set_column(sheet, static_cast<lxw_col_t>(first), static_cast<lxw_col_t>(last), characters, nullptr);
}

// ---- the run sheets --------------------------------------------------------------------------

// The names of one deal's sheets and defined names: plain for one deal, numbered for several.
struct SheetNames {
  std::string inputs = "Inputs", monthly = "Monthly", annual = "Annual", returns = "Returns", charts = "Charts";
  std::string name_prefix;  // of the defined names: "" or "deal2_"

  static SheetNames numbered(std::size_t n) {
    const std::string suffix = " " + std::to_string(n);
    return {"Inputs" + suffix, "Monthly" + suffix, "Annual" + suffix, "Returns" + suffix, "Charts" + suffix,
            "deal" + std::to_string(n) + "_"};
  }
};

// "2.10 USD/GPU-hour" -> 2.10 and "USD/GPU-hour"; "12%" -> 12 and "%"; dates and words stay text.
struct Quantity {
  std::optional<double> value;
  std::string unit;
};
Quantity split_quantity(const std::string& written) {
  std::size_t end = 0;
  if (end < written.size() && (written[end] == '-' || written[end] == '+')) ++end;
  const std::size_t digits = end;
  while (end < written.size() && (std::isdigit(static_cast<unsigned char>(written[end])) || written[end] == '.' ||
                                  written[end] == '_' || written[end] == ','))
    ++end;
  if (end == digits || !std::isdigit(static_cast<unsigned char>(written[digits]))) return {};
  if (end < written.size() && written[end] != ' ' && written[end] != '%' &&
      !std::isalpha(static_cast<unsigned char>(written[end])) && static_cast<unsigned char>(written[end]) < 0x80)
    return {};  // a date (2025-10-01) or some other text
  std::string plain;
  for (std::size_t i = 0; i < end; ++i)
    if (written[i] != '_' && written[i] != ',' && written[i] != '+') plain += written[i];
  double value = 0;
  const auto [at, error] = std::from_chars(plain.data(), plain.data() + plain.size(), value);
  if (error != std::errc() || at != plain.data() + plain.size()) return {};
  std::string unit = written.substr(end);
  while (!unit.empty() && unit.front() == ' ') unit.erase(unit.begin());
  return {value, unit};
}

void write_inputs(Workbook& book, const SheetNames& names, const RunWorkbook& run) {
  const Formats& f = book.formats();
  lxw_worksheet* sheet = book.sheet(names.inputs);
  text(sheet, 0, 0, "Model: " + run.model_file, f.bold);
  const char* headers[] = {"Field", "Value", "Unit", "As written", "Comment in the model", "Line"};
  for (int c = 0; c < 6; ++c) text(sheet, 1, c, headers[c], f.header);
  int row = 2;
  for (const io::WrittenField& field : run.inputs) {
    text(sheet, row, 0, field.path, field.is_scalar ? nullptr : f.bold);
    if (field.is_scalar) {
      const Quantity quantity = split_quantity(field.value);
      if (quantity.value && quantity.unit == "%") {  // a percentage is the fraction it means, shown as such
        number(sheet, row, 1, *quantity.value / 100, f.rate);
        text(sheet, row, 2, quantity.unit);
      } else if (quantity.value) {
        number(sheet, row, 1, *quantity.value, nullptr);
        text(sheet, row, 2, quantity.unit);
      } else {
        text(sheet, row, 1, field.value);
      }
      text(sheet, row, 3, field.value);
    }
    if (!field.comment.empty()) text(sheet, row, 4, field.comment, f.note);
    if (field.position.line > 0) number(sheet, row, 5, field.position.line, nullptr);
    ++row;
  }
  width(sheet, 0, 0, 48);
  width(sheet, 1, 2, 16);
  width(sheet, 3, 3, 28);
  width(sheet, 4, 4, 90);
  worksheet_freeze_panes(sheet, 2, 1);
}

// Where each ledger line and flow sits on the Monthly sheet.
struct MonthlyLayout {
  static constexpr int first_month_column = 2;
  static constexpr int month_end_row = 1;
  std::map<std::string, int> row_of_key;  // ledger rows by key ("capex", "running_cost:O&M")
  std::map<std::string, int> row_of_flow;
  int months = 0;

  int column(int month) const { return first_month_column + month; }
  int line_row(Line line) const { return row_of_key.at(std::string(engine::line_name(line))); }
};

MonthlyLayout write_monthly(Workbook& book, const SheetNames& names, const RunWorkbook& run) {
  const Formats& f = book.formats();
  lxw_worksheet* sheet = book.sheet(names.monthly);
  MonthlyLayout layout;
  layout.months = static_cast<int>(run.run.months.size());
  const int last_column = layout.column(layout.months - 1);
  text(sheet, 0, 0, "Line (" + run.run.currency + ")", f.header);
  text(sheet, 0, 1, "Key", f.header);
  text(sheet, layout.month_end_row, 0, "Month end", f.bold);
  text(sheet, layout.month_end_row, 1, "month_end");
  for (int m = 0; m < layout.months; ++m) {
    text(sheet, 0, layout.column(m), run.run.months[static_cast<std::size_t>(m)], f.header);
    number(sheet, layout.month_end_row, layout.column(m), run.month_end_serials[static_cast<std::size_t>(m)], f.date);
  }
  book.define(names.name_prefix + "month_end",
              on_sheet(names.monthly, absolute(layout.month_end_row, layout.column(0)) + ":" +
                                          absolute(layout.month_end_row, last_column)));
  int row = 2;
  std::set<std::string> defined;
  const auto define_row = [&](std::string stem, int at) {
    std::string name = names.name_prefix + stem;
    for (int n = 2; defined.count(name); ++n) name = names.name_prefix + stem + "_" + std::to_string(n);
    defined.insert(name);
    book.define(name, on_sheet(names.monthly, absolute(at, layout.column(0)) + ":" + absolute(at, last_column)));
  };
  for (const LedgerRow& line : run.run.ledger) {
    text(sheet, row, 0, line.label);
    text(sheet, row, 1, line.key);
    lxw_format* format = line.kind == engine::LineKind::units ? f.count : f.amount;
    for (int m = 0; m < layout.months; ++m) number(sheet, row, layout.column(m), line.values[static_cast<std::size_t>(m)], format);
    layout.row_of_key[line.key] = row;
    define_row("ledger_" + name_stem(line.key), row);
    ++row;
  }
  ++row;
  text(sheet, row++, 0, "Flows: formulas over the lines above", f.bold);
  for (const MonthlyFlow& flow : run.flows) {
    text(sheet, row, 0, flow.label, f.bold);
    text(sheet, row, 1, flow.key);
    for (int m = 0; m < layout.months; ++m) {
      std::string sum;
      for (const Line line : flow.lines)
        sum += (flow.sign > 0 ? "+" : "-") + cell(layout.line_row(line), layout.column(m));
      if (sum.empty()) sum = "0";
      else if (sum.front() == '+') sum.erase(sum.begin());
      formula(sheet, row, layout.column(m), "=" + sum, flow.values[static_cast<std::size_t>(m)], f.amount_bold);
    }
    layout.row_of_flow[flow.key] = row;
    define_row(flow.key, row);
    ++row;
  }
  width(sheet, 0, 0, 40);
  width(sheet, 1, 1, 24);
  width(sheet, layout.column(0), last_column, 15);
  worksheet_freeze_panes(sheet, 2, 2);
  return layout;
}

// A statement row as written: its ledger lines (what a subtotal may sum it into) and its formula.
struct StatementRow {
  std::string name;
  int row = 0;
  std::vector<Line> lines;  // the ledger lines it covers; empty for a subtotal or a balance
  bool subtotal = false;
};

// The subtotals of the statements by name, each with the lines it sums (engine/statements.hpp).
// `line_like` rows (running costs paid as one row) may themselves be summed into a subtotal.
struct SubtotalInfo {
  std::string_view name;
  bool (*member)(Line);
  bool line_like = false;
};
constexpr bool in_ebit(Line line) { return engine::detail::in_ebit(line); }
constexpr bool in_pre_tax_income(Line line) { return engine::detail::in_pre_tax_income(line); }
const SubtotalInfo subtotals[] = {
    {"Revenue", engine::in_revenue},
    {"EBITDA", engine::in_ebitda},
    {"EBIT", in_ebit},
    {"Pre-tax income", in_pre_tax_income},
    {"Net income", engine::in_net_income},
    {"Running costs paid", engine::is_running_cost_paid, true},
    {"Operating cash flow", engine::in_operating_cash_flow},
    {"Free cash flow to equity", engine::in_free_cash_flow_to_equity},
    {"Free cash flow to firm (pre-tax)", engine::in_free_cash_flow_pre_tax},
    {"Free cash flow to firm (post-tax)", engine::in_free_cash_flow_to_firm},
};
// A statement row that is a balance at each year's end.
const std::pair<std::string_view, Line> year_end_balances[] = {{"Cash at year end", Line::cash_balance}};

struct AnnualLayout {
  int years = 0;
  std::map<std::string, int> row_of;  // statement rows and the ratio rows by name
  int total_column() const { return 1 + years; }
};

class AnnualWriter {
 public:
  AnnualWriter(Workbook& book, const SheetNames& names, const RunWorkbook& run, const MonthlyLayout& monthly)
      : f_(book.formats()), names_(names), run_(run), monthly_(monthly),
        sheet_(book.sheet(names.annual)), years_(engine::deal_years(monthly.months)) {
    layout.years = static_cast<int>(years_.size());
  }

  AnnualLayout write() {
    int row = 0;
    row = statement("Income statement", run_.run.income_statement, true, row) + 1;
    row = statement("Cash flow", run_.run.cash_flow, false, row) + 1;
    ratios(row);
    width(sheet_, 0, 0, 40);
    width(sheet_, 1, layout.total_column(), 15);
    worksheet_freeze_panes(sheet_, 1, 1);
    return layout;
  }

  AnnualLayout layout;

 private:
  int year_column(std::size_t year) const { return 1 + static_cast<int>(year); }
  std::string sum_of_months(int monthly_row, std::size_t year) const {
    return "SUM(" + row_range(names_.monthly, monthly_row, monthly_.column(years_[year].first_month),
                              monthly_.column(years_[year].end_month - 1)) + ")";
  }
  void header(int row, const std::string& title) {
    text(sheet_, row, 0, title, f_.header);
    for (std::size_t y = 0; y < years_.size(); ++y) text(sheet_, row, year_column(y), "Y" + std::to_string(y + 1), f_.header);
    text(sheet_, row, layout.total_column(), "Total", f_.header);
  }
  // The ledger row a statement row shows, if it shows one line.
  std::optional<std::pair<std::string, Line>> ledger_row_of(const std::string& name, bool income) const {
    if (income) {
      for (const LedgerRow& line : run_.run.ledger)
        if (line.key.rfind("running_cost:", 0) == 0 && line.label == name) return std::pair{line.key, Line::other_running_costs};
      for (const engine::LineInfo& info : engine::line_table)
        if (info.kind == engine::LineKind::pnl && info.label == name && info.line != Line::other_running_costs)
          return std::pair{std::string(info.key), info.line};
    } else {
      for (const engine::LineInfo& info : engine::line_table)
        if (engine::is_cash(info.line) && engine::cash_flow_label(info.line) == name)
          return std::pair{std::string(info.key), info.line};
    }
    return std::nullopt;
  }

  // A sum over the lines of `member`: the rows of `rows` that show only such lines, and the
  // Monthly sheet for the lines no row shows.
  // `self` is the subtotal's own row, never one of its terms.
  std::string subtotal_formula(bool (*member)(Line), const std::vector<StatementRow>& rows, std::size_t year,
                               int column, int self = -1) const {
    std::set<Line> covered;
    std::string terms;
    for (const StatementRow& row : rows) {
      if (row.lines.empty() || row.row == self) continue;
      const bool inside = std::ranges::all_of(row.lines, member) &&
                          std::ranges::none_of(row.lines, [&](Line line) { return covered.count(line) > 0; });
      if (!inside) continue;
      // Named running costs are several rows of one line: sum every one of them.
      terms += "+" + cell(row.row, column);
      if (row.lines.size() > 1 || row.lines.front() != Line::other_running_costs) covered.insert(row.lines.begin(), row.lines.end());
    }
    for (const StatementRow& row : rows)
      if (row.row != self && row.lines.size() == 1 && row.lines.front() == Line::other_running_costs && member(Line::other_running_costs))
        covered.insert(Line::other_running_costs);
    for (const engine::LineInfo& info : engine::line_table)
      if (member(info.line) && !covered.count(info.line))
        terms += "+" + sum_of_months(monthly_.line_row(info.line), year);
    return terms.empty() ? "=0" : "=" + terms.substr(1);
  }

  int statement(const std::string& title, const engine::Table<double>& table, bool income, int row) {
    header(row++, title);
    std::vector<StatementRow> rows;
    // First place every row and what it covers, then write: a subtotal may sum rows below it.
    for (const auto& table_row : table.rows) {
      StatementRow placed{table_row.name, row++, {}, table_row.subtotal};
      if (const auto ledger = ledger_row_of(table_row.name, income)) {
        placed.lines = {ledger->second};
      } else {
        for (const SubtotalInfo& subtotal : subtotals)
          if (subtotal.name == table_row.name && subtotal.line_like)
            for (const engine::LineInfo& info : engine::line_table)
              if (subtotal.member(info.line)) placed.lines.push_back(info.line);
      }
      rows.push_back(placed);
      layout.row_of[table_row.name] = placed.row;
    }
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const StatementRow& placed = rows[i];
      const auto& values = table.rows[i].values;
      lxw_format* format = placed.subtotal ? f_.amount_bold : f_.amount;
      text(sheet_, placed.row, 0, placed.name, placed.subtotal ? f_.bold : nullptr);
      const auto ledger = ledger_row_of(placed.name, income);
      const SubtotalInfo* subtotal = nullptr;
      for (const SubtotalInfo& info : subtotals)
        if (info.name == placed.name) subtotal = &info;
      const Line* balance = nullptr;
      for (const auto& [name, line] : year_end_balances)
        if (name == placed.name) balance = &line;
      for (std::size_t y = 0; y < years_.size(); ++y) {
        const int column = year_column(y);
        if (ledger) formula(sheet_, placed.row, column, "=" + sum_of_months(monthly_.row_of_key.at(ledger->first), y), values[y], format);
        else if (subtotal) formula(sheet_, placed.row, column, subtotal_formula(subtotal->member, rows, y, column, placed.row), values[y], format);
        else if (balance)
          formula(sheet_, placed.row, column,
                  "=" + on_sheet(names_.monthly, cell(monthly_.line_row(*balance), monthly_.column(years_[y].end_month - 1))),
                  values[y], format);
        else number(sheet_, placed.row, column, values[y], format);
      }
      const int total = layout.total_column();
      if (balance)
        formula(sheet_, placed.row, total, "=" + cell(placed.row, year_column(years_.size() - 1)), values.back(), format);
      else if (ledger || subtotal)
        formula(sheet_, placed.row, total,
                "=SUM(" + cell(placed.row, year_column(0)) + ":" + cell(placed.row, year_column(years_.size() - 1)) + ")",
                values.back(), format);
      else number(sheet_, placed.row, total, values.back(), format);
      if (!ledger && !subtotal && !balance)
        note(sheet_, placed.row, 0, "The engine's figures: this row has no formula in the workbook.");
    }
    statement_rows_[income ? 0 : 1] = rows;
    return row;
  }

  // A ratio by year and over the life: `numerator` / `denominator` (cells of this sheet), "n/a"
  // where the engine has none.
  void ratio_row(int row, const std::string& name, int numerator, int denominator,
                 const std::vector<std::optional<double>>& engine_values, bool with_total, lxw_format* format,
                 bool negate_denominator = false) {
    text(sheet_, row, 0, name);
    layout.row_of[name] = row;
    const int columns = static_cast<int>(years_.size()) + (with_total ? 1 : 0);
    for (int c = 0; c < columns && c < static_cast<int>(engine_values.size()); ++c) {
      const int column = 1 + c;
      const std::string below = (negate_denominator ? "-" : "") + cell(denominator, column);
      const std::string expression =
          "=IF(" + below + ">0," + cell(numerator, column) + "/(" + below + "),\"n/a\")";
      const auto& value = engine_values[static_cast<std::size_t>(c)];
      if (value) formula(sheet_, row, column, expression, *value, format);
      else formula_text(sheet_, row, column, expression, "n/a", format);
    }
  }

  void ratios(int row) {
    header(row++, "Ratios and debt");
    const auto& metrics = run_.run.metrics;
    const int total = layout.total_column();
    // Lease revenue: the margins' denominator.
    const int lease = row++;
    text(sheet_, lease, 0, "Lease revenue");
    layout.row_of["Lease revenue"] = lease;
    for (std::size_t y = 0; y < years_.size(); ++y)
      formula(sheet_, lease, year_column(y), subtotal_formula(engine::in_lease_revenue, statement_rows_[0], y, year_column(y)),
              run_.lease_revenue_by_year[y], f_.amount);
    formula(sheet_, lease, total, "=SUM(" + cell(lease, 1) + ":" + cell(lease, total - 1) + ")",
            run_.lease_revenue_by_year.back(), f_.amount);
    const auto at = [&](const char* name) {
      const auto found = layout.row_of.find(name);
      return found == layout.row_of.end() ? -1 : found->second;
    };
    // A margin is positive or negative; its denominator must be positive for the engine too.
    const auto margin = [&](const char* name, int numerator, int denominator, const std::vector<std::optional<double>>& values) {
      if (numerator < 0 || denominator < 0) return;
      const int r = row++;
      text(sheet_, r, 0, name);
      layout.row_of[name] = r;
      for (int c = 0; c <= static_cast<int>(years_.size()) && c < static_cast<int>(values.size()); ++c) {
        const int column = 1 + c;
        const std::string expression = "=IF(" + cell(denominator, column) + "=0,\"n/a\"," + cell(numerator, column) +
                                       "/" + cell(denominator, column) + ")";
        const auto& value = values[static_cast<std::size_t>(c)];
        if (value) formula(sheet_, r, column, expression, *value, f_.rate);
        else formula_text(sheet_, r, column, expression, "n/a", f_.rate);
      }
    };
    margin("EBITDA margin", at("EBITDA"), at("Revenue"), metrics.ebitda_margin);
    margin("Net margin", at("Net income"), lease, metrics.net_margin);
    // Debt service coverage: the cash available over the debt service, by deal year.
    const int available = row++, service = row++;
    const auto yearly_sum = [&](int r, const std::string& name, const std::string& flow, const std::vector<double>& values) {
      text(sheet_, r, 0, name);
      layout.row_of[name] = r;
      for (std::size_t y = 0; y < years_.size(); ++y)
        formula(sheet_, r, year_column(y), "=" + sum_of_months(monthly_.row_of_flow.at(flow), y), values[y], f_.amount);
      formula(sheet_, r, total, "=SUM(" + cell(r, 1) + ":" + cell(r, total - 1) + ")", values.back(), f_.amount);
    };
    std::vector<double> available_values;
    double available_life = 0;
    for (const MonthlyFlow& flow : run_.flows) {
      if (flow.key != "operating_cash_flow") continue;
      for (const engine::YearSpan& year : years_) {
        double sum = 0;
        for (int m = year.first_month; m < year.end_month; ++m) sum += flow.values[static_cast<std::size_t>(m)];
        available_values.push_back(sum);
        available_life += sum;
      }
    }
    available_values.push_back(available_life);
    yearly_sum(available, "Cash available for debt service", "operating_cash_flow", available_values);
    yearly_sum(service, "Debt service", "debt_service", run_.debt_service_by_year);
    const int dscr = row++;
    ratio_row(dscr, "DSCR", available, service, metrics.dscr, false, f_.multiple, true);
    note(sheet_, dscr, 0,
         "Cash available for debt service (operating cash flow after tax) over the debt service (interest, swap "
         "settlements and scheduled principal), by deal year; n/a in a year without debt service.");
    const int debt = row++;
    text(sheet_, debt, 0, "Debt outstanding at year end");
    layout.row_of["Debt outstanding at year end"] = debt;
    const int debt_row = monthly_.line_row(Line::debt_outstanding);
    const auto& debt_values = run_.run.ledger[static_cast<std::size_t>(debt_row - 2)].values;
    for (std::size_t y = 0; y < years_.size(); ++y) {
      const int month = years_[y].end_month - 1;
      formula(sheet_, debt, year_column(y), "=" + on_sheet(names_.monthly, cell(debt_row, monthly_.column(month))),
              debt_values[static_cast<std::size_t>(month)], f_.amount);
    }
    if (const auto& minimum = run_.run.covenants.terms.minimum_dscr) {
      const int covenant = row++;
      text(sheet_, covenant, 0, "Covenant minimum DSCR");
      layout.row_of["Covenant minimum DSCR"] = covenant;
      for (std::size_t y = 0; y < years_.size(); ++y)
        number(sheet_, covenant, year_column(y), num::to_double(*minimum), f_.multiple);
      note(sheet_, covenant, 0, "The model's covenants.minimum_dscr, drawn beside the DSCR on the Charts sheet.");
    }
  }

  const Formats& f_;
  const SheetNames& names_;
  const RunWorkbook& run_;
  const MonthlyLayout& monthly_;
  lxw_worksheet* sheet_;
  std::vector<engine::YearSpan> years_;
  std::vector<StatementRow> statement_rows_[2];
};

void write_returns(Workbook& book, const SheetNames& names, const RunWorkbook& run, const AnnualLayout& annual) {
  const Formats& f = book.formats();
  lxw_worksheet* sheet = book.sheet(names.returns);
  const engine::Metrics<double>& metrics = run.run.metrics;
  const std::string& p = names.name_prefix;
  text(sheet, 0, 0, "Metric", f.header);
  text(sheet, 0, 1, "Workbook", f.header);
  text(sheet, 0, 2, "Engine", f.header);
  text(sheet, 0, 3, "Difference", f.header);
  text(sheet, 0, 4, "How the workbook computes it", f.header);
  int row = 1;
  text(sheet, row, 0, "Discount rate (annual)");
  number(sheet, row, 1, run.run.discount_rate, f.rate);
  number(sheet, row, 2, run.run.discount_rate, f.rate);
  text(sheet, row, 4, "An input: change it and the NPVs recompute.", f.note);
  book.define(p + "discount_rate", on_sheet(names.returns, absolute(row, 1)));
  ++row;
  // A metric as a live formula next to the engine's figure, and their difference.
  const auto live = [&](const std::string& label, const std::string& expression, std::optional<double> engine_value,
                        lxw_format* format, const std::string& how, const std::string& why_none = {}) {
    text(sheet, row, 0, label);
    text(sheet, row, 4, how, f.note);
    if (engine_value) {
      formula(sheet, row, 1, expression, *engine_value, format);
      number(sheet, row, 2, *engine_value, format);
      formula(sheet, row, 3, "=" + cell(row, 1) + "-" + cell(row, 2), 0, format);
    } else {
      text(sheet, row, 1, "n/a");
      text(sheet, row, 2, "n/a");
      note(sheet, row, 2, why_none.empty() ? "The engine has no figure." : why_none);
    }
    ++row;
  };
  // A metric no spreadsheet function expresses exactly: the engine's figure, and a note saying so.
  const auto value_only = [&](const std::string& label, std::optional<double> engine_value, lxw_format* format,
                              const std::string& why) {
    text(sheet, row, 0, label);
    if (engine_value) {
      number(sheet, row, 1, *engine_value, format);
      number(sheet, row, 2, *engine_value, format);
    } else {
      text(sheet, row, 1, "n/a");
      text(sheet, row, 2, "n/a");
    }
    text(sheet, row, 4, why, f.note);
    note(sheet, row, 1, why);
    ++row;
  };
  const auto irr = [&](const std::string& label, const std::string& flow, const engine::AnnualIrr& engine_irr) {
    const std::string how = "(1 + IRR of the monthly " + flow + " row on Monthly)^12 - 1: the monthly IRR as an effective annual rate." +
                            (engine_irr.note.empty() ? std::string() : " Engine: " + engine_irr.note);
    // The guess, IRR's starting point, is the engine's monthly rate to four decimals: the spreadsheets'
    // solvers give up after a few dozen steps from a far start (a deal losing 30% a year from 1%).
    const double guess = engine_irr.rate ? std::round((std::pow(1 + *engine_irr.rate, 1.0 / 12) - 1) * 1e4) / 1e4 : 0.01;
    live(label, "=(1+IRR(" + p + flow + "," + number_text(guess) + "))^12-1", engine_irr.rate, f.rate_bold, how,
         engine_irr.note);
  };
  irr("Project IRR, pre-tax", "free_cash_flow_pre_tax", metrics.project_irr_pre_tax);
  irr("Project IRR, post-tax", "free_cash_flow_to_firm", metrics.project_irr_post_tax);
  irr("Equity IRR", "equity_cash_flow", metrics.equity_irr);
  live("Project IRR, post-tax, by XIRR", "=XIRR(" + p + "free_cash_flow_to_firm," + p + "month_end)", run.project_xirr,
       f.rate,
       "XIRR over the same flows on their month-end dates (actual days / 365); the engine's XIRR (fin::xirr) on the "
       "same dates. It differs a little from the IRR above, which counts every month as a twelfth of a year.");
  const std::string monthly_rate = "(1+" + p + "discount_rate)^(1/12)-1";
  live("Project NPV", "=NPV(" + monthly_rate + "," + p + "free_cash_flow_to_firm)", metrics.project_npv, f.amount_bold,
       "NPV at the monthly equivalent of the discount rate, each month's flow at the month's end.");
  live("Equity NPV", "=NPV(" + monthly_rate + "," + p + "equity_cash_flow)", metrics.equity_npv, f.amount,
       "NPV of the shareholders' flows at the monthly equivalent of the discount rate.");
  live("MOIC", "=-SUM(" + p + "ledger_equity_distributed)/SUM(" + p + "ledger_equity_contributed)", metrics.moic,
       f.multiple, "Equity distributed over equity contributed, over the life.", "No equity was contributed.");
  const int total = annual.total_column();
  const int dscr_row = annual.row_of.at("DSCR");
  const std::string dscr_years = row_range(names.annual, dscr_row, 1, total - 1);
  live("Minimum DSCR", "=MIN(" + dscr_years + ")", metrics.minimum_dscr, f.multiple,
       "The lowest yearly DSCR on Annual.", "No year has debt service.");
  live("Average DSCR", "=AVERAGE(" + dscr_years + ")", metrics.average_dscr, f.multiple,
       "The mean of the yearly DSCRs on Annual, over the years with debt service.", "No year has debt service.");
  for (const auto& [label, key, values] : {std::tuple{"EBITDA margin (life)", "EBITDA margin", &metrics.ebitda_margin},
                                          std::tuple{"Net margin (life)", "Net margin", &metrics.net_margin}}) {
    const auto found = annual.row_of.find(key);
    if (found == annual.row_of.end() || values->empty()) continue;
    live(label, "=" + on_sheet(names.annual, cell(found->second, total)), values->back(), f.rate,
         std::string("The whole-life column of ") + key + " on Annual.", "The denominator is zero.");
  }
  const std::string payback_why =
      "A value, not a formula: the engine's payback is the month the cumulative flow turns non-negative for good, "
      "interpolated within the month, which no single spreadsheet function expresses.";
  value_only("Project payback (months)", metrics.project_payback_months, f.months, payback_why);
  value_only("Equity payback (months)", metrics.equity_payback_months, f.months, payback_why);
  if (metrics.minimum_senior_dscr)
    value_only("Minimum senior DSCR", metrics.minimum_senior_dscr, f.multiple,
               "A value, not a formula: the senior debt service is the debt service less the junior tranche's, "
               "which the ledger keeps as a memo line; see Monthly.");
  width(sheet, 0, 0, 32);
  width(sheet, 1, 3, 16);
  width(sheet, 4, 4, 100);
  worksheet_freeze_panes(sheet, 1, 1);
}

void add_series(lxw_chart* chart, const SheetNames& names, const AnnualLayout& annual, const std::string& row_name,
                bool with_total = false) {
  const auto found = annual.row_of.find(row_name);
  if (found == annual.row_of.end()) return;
  const lxw_row_t header = 0;
  const auto last = static_cast<lxw_col_t>(with_total ? annual.total_column() : annual.years);
  lxw_chart_series* series = chart_add_series(chart, nullptr, nullptr);
  chart_series_set_categories(series, names.annual.c_str(), header, 1, header, last);
  chart_series_set_values(series, names.annual.c_str(), static_cast<lxw_row_t>(found->second), 1,
                          static_cast<lxw_row_t>(found->second), last);
  chart_series_set_name_range(series, names.annual.c_str(), static_cast<lxw_row_t>(found->second), 0);
}

void write_charts(Workbook& book, const SheetNames& names, const AnnualLayout& annual) {
  lxw_worksheet* sheet = book.sheet(names.charts);
  lxw_chart* cash = book.chart(LXW_CHART_COLUMN);
  chart_title_set_name(cash, "Annual cash flow");
  add_series(cash, names, annual, "Free cash flow to firm (post-tax)");
  add_series(cash, names, annual, "Free cash flow to equity");
  add_series(cash, names, annual, "Operating cash flow");
  chart_legend_set_position(cash, LXW_CHART_LEGEND_BOTTOM);
  worksheet_insert_chart(sheet, 1, 1, cash);

  lxw_chart* debt = book.chart(LXW_CHART_COLUMN);
  chart_title_set_name(debt, "Debt outstanding at year end");
  add_series(debt, names, annual, "Debt outstanding at year end");
  chart_legend_set_position(debt, LXW_CHART_LEGEND_NONE);
  worksheet_insert_chart(sheet, 1, 9, debt);

  lxw_chart* dscr = book.chart(LXW_CHART_LINE);
  chart_title_set_name(dscr, "DSCR by year and the covenant");
  add_series(dscr, names, annual, "DSCR");
  add_series(dscr, names, annual, "Covenant minimum DSCR");
  chart_legend_set_position(dscr, LXW_CHART_LEGEND_BOTTOM);
  worksheet_insert_chart(sheet, 17, 9, dscr);

  lxw_chart* margins = book.chart(LXW_CHART_LINE);
  chart_title_set_name(margins, "Margins by year");
  add_series(margins, names, annual, "EBITDA margin");
  add_series(margins, names, annual, "Net margin");
  chart_axis_set_num_format(margins->y_axis, "0%");
  chart_legend_set_position(margins, LXW_CHART_LEGEND_BOTTOM);
  worksheet_insert_chart(sheet, 17, 1, margins);
  text(sheet, 0, 1, "Charts over the Annual sheet: they follow its formulas when an input changes.", book.formats().note);
}

void write_run_sheets(Workbook& book, const SheetNames& names, const RunWorkbook& run) {
  write_inputs(book, names, run);
  const MonthlyLayout monthly = write_monthly(book, names, run);
  AnnualWriter annual_writer(book, names, run, monthly);
  const AnnualLayout annual = annual_writer.write();
  write_returns(book, names, run, annual);
  write_charts(book, names, annual);
}

// ---- the studies' sheets ---------------------------------------------------------------------

// A report's CSV as a sheet: numbers as numbers, the rest as text.
void write_csv_sheet(Workbook& book, const std::string& name, const std::string& csv) {
  lxw_worksheet* sheet = book.sheet(name);
  int row = 0;
  std::istringstream lines(csv);
  for (std::string line; std::getline(lines, line); ++row) {
    int column = 0;
    std::string field;
    bool quoted = false;
    const auto flush = [&] {
      double value = 0;
      const auto [at, error] = std::from_chars(field.data(), field.data() + field.size(), value);
      if (!field.empty() && error == std::errc() && at == field.data() + field.size())
        number(sheet, row, column, value, nullptr);
      else if (!field.empty())
        text(sheet, row, column, field, row == 0 ? book.formats().header : nullptr);
      field.clear();
      ++column;
    };
    for (std::size_t i = 0; i < line.size(); ++i) {
      const char c = line[i];
      if (quoted) {
        if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') field += '"', ++i;
        else if (c == '"') quoted = false;
        else field += c;
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        flush();
      } else {
        field += c;
      }
    }
    flush();
  }
  width(sheet, 0, 0, 36);
  width(sheet, 1, 30, 16);
  worksheet_freeze_panes(sheet, 1, 1);
}

lxw_format* measure_format(const Formats& f, solve::Measure measure) {
  switch (measure) {
    case solve::Measure::npv: return f.amount;
    case solve::Measure::minimum_dscr: return f.multiple;
    default: return f.rate;
  }
}

void write_tornado(Workbook& book, const SensitivityReport& report) {
  const Formats& f = book.formats();
  lxw_worksheet* sheet = book.sheet("Tornado");
  const solve::Tornado& tornado = report.tornado;
  const solve::Measure measure = tornado.options.sort_by;
  lxw_format* format = measure_format(f, measure);
  const std::string label(solve::measure_label(measure));
  const char* headers[] = {"Input", "Low input", "High input", "Base", "Low case", "High case", "Change, low",
                           "Change, high", "Note"};
  text(sheet, 0, 0, "Tornado of " + label + ": each input shocked down and up, one at a time", f.bold);
  for (int c = 0; c < 9; ++c) text(sheet, 1, c, headers[c], f.header);
  const std::optional<double> base = solve::value_of(tornado.base, measure);
  int row = 2;
  for (const solve::TornadoRow& input : tornado.rows) {
    text(sheet, row, 0, std::string(solve::input_label(input.input)));
    lxw_format* input_format = input.unit == solve::InputUnit::rate     ? f.rate
                               : input.unit == solve::InputUnit::amount ? f.amount
                                                                        : f.months;
    if (base) number(sheet, row, 3, *base, format);
    const auto side = [&](const std::optional<solve::ShockedCase>& shocked, int input_column, int case_column,
                          int change_column) {
      if (!shocked) return;
      number(sheet, row, input_column, shocked->input_value, input_format);
      const std::optional<double> value = solve::value_of(shocked->outcome, measure);
      if (!value) return;
      number(sheet, row, case_column, *value, format);
      if (base)
        formula(sheet, row, change_column, "=" + cell(row, case_column) + "-" + cell(row, 3), *value - *base, format);
    };
    side(input.low, 1, 4, 6);
    side(input.high, 2, 5, 7);
    if (!input.note.empty()) text(sheet, row, 8, input.note, f.note);
    ++row;
  }
  const int last = row - 1;
  for (const solve::TornadoRow& skipped : tornado.skipped) {
    text(sheet, row, 0, std::string(solve::input_label(skipped.input)));
    text(sheet, row, 8, "not shocked: " + skipped.note, f.note);
    ++row;
  }
  if (last >= 2) {
    lxw_chart* chart = book.chart(LXW_CHART_BAR);
    chart_title_set_name(chart, ("Tornado: change in " + label).c_str());
    for (int column : {6, 7}) {
      lxw_chart_series* series = chart_add_series(chart, nullptr, nullptr);
      chart_series_set_categories(series, "Tornado", 2, 0, static_cast<lxw_row_t>(last), 0);
      chart_series_set_values(series, "Tornado", 2, static_cast<lxw_col_t>(column), static_cast<lxw_row_t>(last),
                              static_cast<lxw_col_t>(column));
      chart_series_set_name_range(series, "Tornado", 1, static_cast<lxw_col_t>(column));
    }
    chart_set_series_overlap(chart, 100);
    chart_axis_set_reverse(chart->x_axis);  // the category axis, upright in a bar chart: the largest swing on top
    chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
    lxw_chart_options options{};
    options.x_scale = 1.6;
    options.y_scale = 1.4;
    worksheet_insert_chart_opt(sheet, static_cast<lxw_row_t>(row + 2), 0, chart, &options);
    row += 26;
  }
  if (report.grid) {
    const solve::TwoWayGrid& grid = *report.grid;
    row += 2;
    text(sheet, row++, 0, std::string(solve::measure_label(grid.measure)) + " by contract price (rows) and billed volume (columns), as factors of the model's",
         f.bold);
    for (std::size_t v = 0; v < grid.volume_factors.size(); ++v)
      number(sheet, row, 1 + static_cast<int>(v), grid.volume_factors[v], f.rate);
    ++row;
    for (std::size_t p = 0; p < grid.price_factors.size(); ++p, ++row) {
      number(sheet, row, 0, grid.price_factors[p], f.rate);
      for (std::size_t v = 0; v < grid.volume_factors.size(); ++v)
        if (const auto& value = grid.at(p, v)) number(sheet, row, 1 + static_cast<int>(v), *value, measure_format(f, grid.measure));
    }
    if (!grid.note.empty()) text(sheet, row, 0, grid.note, f.note);
  }
  width(sheet, 0, 0, 30);
  width(sheet, 1, 7, 15);
  width(sheet, 8, 8, 60);
}

void write_monte_carlo(Workbook& book, const MonteCarloReport& report) {
  const Formats& f = book.formats();
  lxw_worksheet* sheet = book.sheet("Monte Carlo");
  const solve::MonteCarloResult& result = report.result;
  const auto runs = static_cast<int>(result.outcomes.rows());
  constexpr int first_scenario_row = 2, summary_column = 8;
  text(sheet, 0, 0, "Scenarios: each row one draw of the uncertain inputs", f.bold);
  text(sheet, 1, 0, "Scenario", f.header);
  const int measures = static_cast<int>(std::size(solve::all_measures));
  for (int k = 0; k < measures; ++k)
    text(sheet, 1, 1 + k, std::string(solve::measure_label(solve::all_measures[k])), f.header);
  for (int r = 0; r < runs; ++r) {
    number(sheet, first_scenario_row + r, 0, r + 1, f.count);
    for (int k = 0; k < measures; ++k)
      if (result.defined(r, k)) number(sheet, first_scenario_row + r, 1 + k, result.outcomes(r, k), measure_format(f, solve::all_measures[k]));
  }
  const int last_scenario_row = first_scenario_row + std::max(runs, 1) - 1;
  const auto column_range = [&](int k) {
    return on_sheet("Monte Carlo", absolute(first_scenario_row, 1 + k) + ":" + absolute(last_scenario_row, 1 + k));
  };
  // The summary as formulas over the scenarios, next to the engine's: PERCENTILE is the engine's
  // percentile (linear between order statistics), STDEV its sample standard deviation.
  int row = 1;
  text(sheet, row, summary_column, "Summary", f.header);
  text(sheet, row, summary_column + 1, "Workbook", f.header);
  text(sheet, row, summary_column + 2, "Engine", f.header);
  text(sheet, row, summary_column + 3, "Difference", f.header);
  ++row;
  for (int k = 0; k < measures; ++k) {
    const solve::Measure measure = solve::all_measures[k];
    const std::optional<solve::Summary>& summary = result.summary(measure);
    if (!summary) continue;
    lxw_format* format = measure_format(f, measure);
    const std::pair<const char*, double> percentiles[] = {{"P5", summary->p5}, {"P50", summary->p50}, {"P95", summary->p95}};
    const auto line = [&](const std::string& label, const std::string& expression, double engine_value) {
      text(sheet, row, summary_column, std::string(solve::measure_label(measure)) + ", " + label);
      formula(sheet, row, summary_column + 1, expression, engine_value, format);
      number(sheet, row, summary_column + 2, engine_value, format);
      formula(sheet, row, summary_column + 3, "=" + cell(row, summary_column + 1) + "-" + cell(row, summary_column + 2), 0, format);
      ++row;
    };
    for (int i = 0; i < 3; ++i) {
      const double p = i == 0 ? 0.05 : i == 1 ? 0.5 : 0.95;
      line(percentiles[i].first, "=PERCENTILE(" + column_range(k) + "," + number_text(p) + ")", percentiles[i].second);
    }
    line("mean", "=AVERAGE(" + column_range(k) + ")", summary->mean);
    if (summary->scenarios > 1) line("standard deviation", "=STDEV(" + column_range(k) + ")", summary->standard_deviation);
  }
  // A histogram of the NPV in 20 bins, its counts as formulas, with P5, P50 and P95 marked.
  const int npv = static_cast<int>(std::ranges::find(solve::all_measures, solve::Measure::npv) - std::begin(solve::all_measures));
  std::vector<double> values;
  for (int r = 0; r < runs; ++r)
    if (result.defined(r, npv)) values.push_back(result.outcomes(r, npv));
  const auto& npv_summary = result.summary(solve::Measure::npv);
  if (values.size() >= 2 && npv_summary) {
    const auto [low, high] = std::ranges::minmax(values);
    constexpr int bins = 20;
    const double step = high > low ? (high - low) / bins : 1;
    row += 1;
    const int header = row++;
    text(sheet, header, summary_column, "NPV from", f.header);
    text(sheet, header, summary_column + 1, "to", f.header);
    text(sheet, header, summary_column + 2, "Scenarios", f.header);
    text(sheet, header, summary_column + 3, "P5 / P50 / P95", f.header);
    const int first_bin = row;
    for (int b = 0; b < bins; ++b, ++row) {
      const double from = low + step * b, to = b == bins - 1 ? high : low + step * (b + 1);
      number(sheet, row, summary_column, from, f.amount);
      number(sheet, row, summary_column + 1, to, f.amount);
      const bool last_bin = b == bins - 1;
      const auto count = std::ranges::count_if(values, [&](double v) { return v >= from && (last_bin ? v <= to : v < to); });
      const std::string range = column_range(npv);
      formula(sheet, row, summary_column + 2,
              "=COUNTIFS(" + range + ",\">=\"&" + cell(row, summary_column) + "," + range + (last_bin ? ",\"<=\"&" : ",\"<\"&") +
                  cell(row, summary_column + 1) + ")",
              static_cast<double>(count), f.count);
      // The bin holding a percentile shows its count again, in the marker series.
      bool marked = false;
      for (const double p : {npv_summary->p5, npv_summary->p50, npv_summary->p95})
        marked = marked || (p >= from && (last_bin ? p <= to : p < to));
      if (marked) formula(sheet, row, summary_column + 3, "=" + cell(row, summary_column + 2), static_cast<double>(count), f.count);
    }
    const int last_bin = row - 1;
    lxw_chart* chart = book.chart(LXW_CHART_COLUMN);
    chart_title_set_name(chart, "Project NPV over the scenarios (P5, P50 and P95 bins marked)");
    for (int column : {summary_column + 2, summary_column + 3}) {
      lxw_chart_series* series = chart_add_series(chart, nullptr, nullptr);
      chart_series_set_categories(series, "Monte Carlo", static_cast<lxw_row_t>(first_bin), summary_column,
                                  static_cast<lxw_row_t>(last_bin), summary_column);
      chart_series_set_values(series, "Monte Carlo", static_cast<lxw_row_t>(first_bin), static_cast<lxw_col_t>(column),
                              static_cast<lxw_row_t>(last_bin), static_cast<lxw_col_t>(column));
      chart_series_set_name_range(series, "Monte Carlo", static_cast<lxw_row_t>(header), static_cast<lxw_col_t>(column));
    }
    chart_set_series_overlap(chart, 100);
    chart_set_series_gap(chart, 10);
    chart_axis_set_num_format(chart->x_axis, "#,##0");
    lxw_chart_options options{};
    options.x_scale = 1.6;
    options.y_scale = 1.3;
    worksheet_insert_chart_opt(sheet, static_cast<lxw_row_t>(row + 1), summary_column, chart, &options);
  }
  width(sheet, 1, measures, 16);
  width(sheet, summary_column, summary_column, 36);
  width(sheet, summary_column + 1, summary_column + 3, 16);
  worksheet_freeze_panes(sheet, 2, 1);
}

}  // namespace

void write_xlsx(const std::filesystem::path& file, const RunWorkbook& run) {
  Workbook book(file);
  write_run_sheets(book, SheetNames{}, run);
  book.close();
}

void write_xlsx(const std::filesystem::path& file, const RunWorkbook& run, const SensitivityReport& sensitivity) {
  Workbook book(file);
  write_tornado(book, sensitivity);
  write_run_sheets(book, SheetNames{}, run);
  book.close();
}

void write_xlsx(const std::filesystem::path& file, const RunWorkbook& run, const MonteCarloReport& monte_carlo) {
  Workbook book(file);
  write_monte_carlo(book, monte_carlo);
  write_run_sheets(book, SheetNames{}, run);
  book.close();
}

void write_xlsx(const std::filesystem::path& file, const RunWorkbook& run, const BidReport& bid) {
  Workbook book(file);
  std::ostringstream csv;
  write_csv(csv, bid);
  write_csv_sheet(book, "Bid", csv.str());
  write_run_sheets(book, SheetNames{}, run);
  book.close();
}

void write_xlsx(const std::filesystem::path& file, const std::vector<RunWorkbook>& runs, const CompareReport& compare) {
  Workbook book(file);
  std::ostringstream csv;
  write_csv(csv, compare);
  write_csv_sheet(book, "Compare", csv.str());
  for (std::size_t i = 0; i < runs.size(); ++i) write_run_sheets(book, SheetNames::numbered(i + 1), runs[i]);
  book.close();
}

}  // namespace leasecalc::report
