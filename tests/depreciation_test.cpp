// Depreciation: spreadsheet functions against LibreOffice Calc (golden file) and published
// examples, their accounting invariants, Decimal/double agreement, argument checks, and MACRS
// against the percentage tables of IRS Publication 946.
#include <leasecalc/fin/depreciation.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <functional>
#include <iomanip>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {
namespace fin = leasecalc::fin;
using fin::MacrsConvention;
using leasecalc::num::Decimal;
using leasecalc::num::from_string;
using leasecalc::num::to_double;

Decimal dec(const char* s) { return from_string<Decimal>(s); }

// Relative agreement, with an absolute floor of `tolerance` for results near zero.
::testing::AssertionResult Near(double actual, double expected, double tolerance = 1e-9) {
  const double allowed = tolerance * std::max(1.0, std::fabs(expected));
  if (std::fabs(actual - expected) <= allowed) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << std::setprecision(17) << "actual " << actual
                                       << " expected " << expected << " (allowed " << allowed
                                       << ")";
}

// Decimal division carries guard digits past the 34 significant ones, so a quotient can sit a
// hair (~1e-50) off an exact decimal; "exact" below means equal to 28 significant digits.
::testing::AssertionResult DecimalNear(const Decimal& actual, const Decimal& expected) {
  const Decimal allowed = dec("1e-28") * std::max(Decimal(1), leasecalc::num::abs(expected));
  if (leasecalc::num::abs(actual - expected) <= allowed) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << std::setprecision(34) << "actual " << actual << " expected "
                                       << expected;
}

// ---- published examples (Microsoft's function reference; amounts to the cent) ------------------

TEST(SpreadsheetDepreciation, MatchesPublishedExamples) {
  EXPECT_NEAR(fin::sln(30000.0, 7500.0, 10.0), 2250.00, 0.005);
  EXPECT_NEAR(fin::syd(30000.0, 7500.0, 10.0, 1.0), 4090.91, 0.005);
  EXPECT_NEAR(fin::syd(30000.0, 7500.0, 10.0, 10.0), 409.09, 0.005);

  EXPECT_NEAR(fin::ddb(2400.0, 300.0, 3650.0, 1.0), 1.32, 0.005);
  EXPECT_NEAR(fin::ddb(2400.0, 300.0, 120.0, 1.0, 2.0), 40.00, 0.005);
  EXPECT_NEAR(fin::ddb(2400.0, 300.0, 10.0, 1.0, 2.0), 480.00, 0.005);
  EXPECT_NEAR(fin::ddb(2400.0, 300.0, 10.0, 1.0, 1.5), 360.00, 0.005);
  EXPECT_NEAR(fin::ddb(2400.0, 300.0, 10.0, 10.0), 22.12, 0.005);

  EXPECT_NEAR(fin::vdb(2400.0, 300.0, 3650.0, 0.0, 1.0), 1.32, 0.005);
  EXPECT_NEAR(fin::vdb(2400.0, 300.0, 120.0, 0.0, 1.0), 40.00, 0.005);
  EXPECT_NEAR(fin::vdb(2400.0, 300.0, 10.0, 0.0, 1.0), 480.00, 0.005);
  EXPECT_NEAR(fin::vdb(2400.0, 300.0, 120.0, 6.0, 18.0), 396.31, 0.005);
  EXPECT_NEAR(fin::vdb(2400.0, 300.0, 120.0, 6.0, 18.0, 1.5), 311.81, 0.005);
  EXPECT_NEAR(fin::vdb(2400.0, 300.0, 10.0, 0.0, 0.875, 1.5), 315.00, 0.005);

  // DB(1000000, 100000, 6, period, 7): a 7-month first year and a seventh, 5-month stub.
  const double expected_db[] = {186083.33, 259639.42, 176814.44, 120410.64,
                                81999.64,  55841.76,  15845.10};
  for (int period = 1; period <= 7; ++period)
    EXPECT_NEAR(fin::db(1e6, 1e5, 6.0, double(period), 7.0), expected_db[period - 1], 0.005)
        << "period " << period;
}

// ---- golden agreement with LibreOffice Calc ----------------------------------------------------

struct GoldenRow {
  std::string function;
  std::vector<std::string> fields;  // cost, salvage, life, arg4..arg7
  double expected = 0;
  int line = 0;
};

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> fields;
  std::string field;
  std::istringstream stream(line);
  while (std::getline(stream, field, ',')) {
    if (!field.empty() && field.back() == '\r') field.pop_back();
    fields.push_back(field);
  }
  if (!line.empty() && line.back() == ',') fields.emplace_back();
  return fields;
}

std::vector<GoldenRow> read_golden() {
  const std::string path = LEASECALC_SOURCE_DIR "/tests/golden/depreciation_golden.csv";
  std::ifstream file(path);
  if (!file) throw std::runtime_error("missing golden file " + path);
  std::vector<GoldenRow> rows;
  std::string line;
  std::getline(file, line);
  if (line.rfind("function,cost,salvage,life,arg4,arg5,arg6,arg7,expected", 0) != 0)
    throw std::runtime_error("unexpected golden header: " + line);
  int number = 1;
  while (std::getline(file, line)) {
    ++number;
    if (line.empty() || line == "\r") continue;
    auto fields = split_csv_line(line);
    if (fields.size() != 9) throw std::runtime_error("line " + std::to_string(number) + ": want 9 fields");
    GoldenRow row;
    row.function = fields[0];
    for (char& letter : row.function) letter = char(std::toupper(static_cast<unsigned char>(letter)));
    row.expected = from_string<double>(fields[8]);
    row.fields.assign(fields.begin() + 1, fields.begin() + 8);
    row.line = number;
    rows.push_back(row);
  }
  return rows;
}

bool parse_flag(const std::string& text) {
  if (text == "TRUE" || text == "true" || text == "1") return true;
  if (text.empty() || text == "FALSE" || text == "false" || text == "0") return false;
  throw std::runtime_error("not a boolean: " + text);
}

// Evaluates one golden row with the spreadsheet's defaults for omitted trailing arguments.
template <class Num>
Num evaluate(const GoldenRow& row) {
  const auto arg = [&](int index) { return from_string<Num>(row.fields.at(index)); };
  const auto given = [&](int index) { return !row.fields.at(index).empty(); };
  const Num cost = arg(0), salvage = arg(1), life = arg(2);
  if (row.function == "SLN") return fin::sln(cost, salvage, life);
  if (row.function == "SYD") return fin::syd(cost, salvage, life, arg(3));
  if (row.function == "DB") return fin::db(cost, salvage, life, arg(3), given(4) ? arg(4) : Num(12));
  if (row.function == "DDB") return fin::ddb(cost, salvage, life, arg(3), given(4) ? arg(4) : Num(2));
  if (row.function == "VDB")
    return fin::vdb(cost, salvage, life, arg(3), arg(4), given(5) ? arg(5) : Num(2),
                    given(6) && parse_flag(row.fields.at(6)));
  throw std::runtime_error("unknown function " + row.function);
}

TEST(SpreadsheetDepreciation, AgreesWithLibreOfficeGolden) {
  const auto rows = read_golden();
  ASSERT_GE(rows.size(), 20u);
  std::set<std::string> functions;
  for (const auto& row : rows) {
    functions.insert(row.function);
    SCOPED_TRACE("golden line " + std::to_string(row.line) + " " + row.function);
    EXPECT_TRUE(Near(evaluate<double>(row), row.expected, 1e-12));
    EXPECT_TRUE(Near(to_double(evaluate<Decimal>(row)), row.expected, 1e-12));
  }
  EXPECT_EQ(functions, (std::set<std::string>{"DB", "DDB", "SLN", "SYD", "VDB"}));
}

// ---- invariants --------------------------------------------------------------------------------

TEST(SpreadsheetDepreciation, SydOverTheLifeDepreciatesCostLessSalvage) {
  for (int life : {1, 3, 5, 7, 12, 60}) {
    Decimal total = 0;
    for (int period = 1; period <= life; ++period)
      total += fin::syd(dec("185000.00"), dec("12500.50"), Decimal(life), Decimal(period));
    EXPECT_LT(leasecalc::num::abs(total - dec("172499.50")), dec("1e-25")) << "life " << life;
    // Digits decrease linearly: each period's amount exceeds the next by the same step.
    if (life >= 3) {
      const Decimal step = fin::syd(dec("185000"), dec("12500.5"), Decimal(life), Decimal(1)) -
                           fin::syd(dec("185000"), dec("12500.5"), Decimal(life), Decimal(2));
      const Decimal last_step = fin::syd(dec("185000"), dec("12500.5"), Decimal(life), Decimal(life - 1)) -
                                fin::syd(dec("185000"), dec("12500.5"), Decimal(life), Decimal(life));
      EXPECT_LT(leasecalc::num::abs(step - last_step), dec("1e-25"));
    }
  }
}

TEST(SpreadsheetDepreciation, DbLeavesTheBookValueOfTheRoundedRate) {
  // Book value after the whole life (+ the stub period) is cost x the product of the period
  // factors with the 3-decimal rate; it lands near salvage, off by the rounding of the rate.
  struct Case { double cost, salvage, life, month; };
  for (const Case c : {Case{2'600'000, 260'000, 5, 12}, Case{1'000'000, 100'000, 6, 7},
                       Case{48'000, 3'000, 4, 1}, Case{350'000, 35'000, 7, 9}}) {
    const int periods = int(c.life) + (c.month < 12 ? 1 : 0);
    double total = 0;
    for (int p = 1; p <= periods; ++p) total += fin::db(c.cost, c.salvage, c.life, double(p), c.month);
    const double rate = std::round((1 - std::pow(c.salvage / c.cost, 1 / c.life)) * 1000) / 1000;
    double book_factor = (1 - rate * c.month / 12) * std::pow(1 - rate, c.life - 1);
    if (c.month < 12) book_factor *= 1 - rate * (12 - c.month) / 12;
    EXPECT_TRUE(Near(c.cost - total, c.cost * book_factor, 1e-12));
    // A rate off by at most 0.0005 moves the book value by about life x 0.0005 / (1 - rate);
    // splitting a period into a first and a stub period compounds it, leaving a x b / (1 - rate)
    // more (a, b the two parts of the rate).
    const double first_part = rate * c.month / 12, stub_part = rate * (12 - c.month) / 12;
    const double bound = c.salvage * ((c.life + 1) * 0.0005 / (1 - rate - 0.0005) +
                                      first_part * stub_part / (1 - rate));
    EXPECT_NEAR(c.cost - total, c.salvage, bound) << "cost " << c.cost;
  }
}

TEST(SpreadsheetDepreciation, DbRoundsTheRateExactlyInDecimal) {
  // sqrt(0.76825225) = 0.8765 exactly, so the rate is the tie 0.1235, rounded half up to 0.124.
  EXPECT_EQ(fin::db(dec("100000000"), dec("76825225"), Decimal(2), Decimal(1)), dec("12400000"));
  // (0.512)^(1/3) = 0.8: rate 0.2 exactly; the second period is 0.2 x the remaining 0.8.
  EXPECT_EQ(fin::db(dec("1000.00"), dec("512.00"), Decimal(3), Decimal(2)), dec("160.00"));
  EXPECT_TRUE(DecimalNear(fin::db(dec("1000.00"), dec("512.00"), Decimal(3), Decimal(1), Decimal(3)), dec("50.00")));
}

TEST(SpreadsheetDepreciation, VdbOverTheWholeLifeDepreciatesCostLessSalvage) {
  for (double factor : {1.0, 1.5, 2.0, 3.0}) {
    for (double life : {3.0, 5.0, 10.0, 48.0}) {
      EXPECT_TRUE(Near(fin::vdb(2'600'000.0, 130'000.0, life, 0.0, life, factor), 2'470'000.0, 1e-12))
          << "factor " << factor << " life " << life;
      const Decimal exact = fin::vdb(dec("2600000"), dec("130000"), Decimal(life), Decimal(0),
                                     Decimal(life), leasecalc::num::from_double<Decimal>(factor));
      EXPECT_LT(leasecalc::num::abs(exact - dec("2470000")), dec("1e-20"));
    }
  }
  // Without the switch, declining balance alone leaves more than salvage on the books.
  EXPECT_LT(fin::vdb(2'600'000.0, 130'000.0, 10.0, 0.0, 10.0, 2.0, true), 2'470'000.0 - 1.0);
}

TEST(SpreadsheetDepreciation, VdbIsAdditiveOverWholePeriods) {
  for (bool no_switch : {false, true}) {
    for (double factor : {1.5, 2.0}) {
      const double life = 10;
      for (int a = 0; a <= 10; ++a)
        for (int b = a; b <= 10; ++b)
          for (int c = b; c <= 10; ++c) {
            const double split = fin::vdb(50'000.0, 4'000.0, life, double(a), double(b), factor, no_switch) +
                                 fin::vdb(50'000.0, 4'000.0, life, double(b), double(c), factor, no_switch);
            const double whole = fin::vdb(50'000.0, 4'000.0, life, double(a), double(c), factor, no_switch);
            ASSERT_TRUE(Near(split, whole, 1e-12)) << a << ".." << b << ".." << c;
          }
    }
  }
}

TEST(SpreadsheetDepreciation, VdbWithoutSwitchIsDdbPeriodByPeriod) {
  for (int period = 1; period <= 8; ++period)
    EXPECT_TRUE(Near(fin::vdb(40'000.0, 2'000.0, 8.0, period - 1.0, double(period), 1.75, true),
                     fin::ddb(40'000.0, 2'000.0, 8.0, double(period), 1.75), 1e-14));
}

TEST(SpreadsheetDepreciation, VdbSwitchesToStraightLineWhenItIsLarger) {
  // Cost 10000, salvage 1000, life 5, 150% declining (30%): 3000, 2100, 1470 (book 3430); then
  // straight line on the remaining base 2430 over 2 periods (1215) beats declining 1029.
  const double expected[] = {3000, 2100, 1470, 1215, 1215};
  for (int p = 1; p <= 5; ++p) {
    EXPECT_TRUE(Near(fin::vdb(10'000.0, 1'000.0, 5.0, p - 1.0, double(p), 1.5), expected[p - 1], 1e-14))
        << "period " << p;
    EXPECT_TRUE(DecimalNear(fin::vdb(dec("10000"), dec("1000"), Decimal(5), Decimal(p - 1), Decimal(p), dec("1.5")),
                            Decimal(expected[p - 1])));
  }
  EXPECT_TRUE(Near(fin::vdb(10'000.0, 1'000.0, 5.0, 3.0, 4.0, 1.5, true), 1029, 1e-14));
}

TEST(SpreadsheetDepreciation, VdbFractionalPeriodsTakeFractionsOfTheEnclosingPeriods) {
  // Start 0.5 and end 2.25: all of period 2, half of period 1 and a quarter of period 3.
  const double p1 = fin::vdb(10'000.0, 1'000.0, 5.0, 0.0, 1.0);
  const double p2 = fin::vdb(10'000.0, 1'000.0, 5.0, 1.0, 2.0);
  const double p3 = fin::vdb(10'000.0, 1'000.0, 5.0, 2.0, 3.0);
  EXPECT_TRUE(Near(fin::vdb(10'000.0, 1'000.0, 5.0, 0.5, 2.25), 0.5 * p1 + p2 + 0.25 * p3, 1e-14));
  EXPECT_TRUE(Near(fin::vdb(10'000.0, 1'000.0, 5.0, 1.25, 1.75), 0.5 * p2, 1e-14));
}

TEST(SpreadsheetDepreciation, DdbNeverDepreciatesBelowSalvage) {
  for (double salvage : {0.0, 500.0, 3'000.0, 6'000.0, 9'999.0}) {
    for (double factor : {1.0, 2.0, 4.0, 12.0}) {
      double book = 10'000;
      for (int p = 1; p <= 12; ++p) {
        const double amount = fin::ddb(10'000.0, salvage, 12.0, double(p), factor);
        EXPECT_GE(amount, 0.0);
        book -= amount;
        EXPECT_GE(book, salvage - 1e-9) << "salvage " << salvage << " factor " << factor << " p " << p;
      }
      // A factor of 12 writes the asset down to salvage in the first period.
      if (factor == 12.0) {
        EXPECT_NEAR(book, salvage, 1e-9);
      }
    }
  }
}

TEST(SpreadsheetDepreciation, DdbTakesFractionalPeriods) {
  // The book value decays continuously: cost x (1 - 2/life)^(period - 1) - cost x (1 - 2/life)^period.
  const double expected = 10'000 * (std::pow(0.6, 1.5) - std::pow(0.6, 2.5));
  EXPECT_TRUE(Near(fin::ddb(10'000.0, 0.0, 5.0, 2.5), expected, 1e-14));
}

TEST(SpreadsheetDepreciation, DecimalAndDoubleAgree) {
  const char* costs[] = {"2600000", "48250.75", "1999.99"};
  const char* salvages[] = {"0", "130000.5", "1999.99"};
  for (const char* cost_text : costs)
    for (const char* salvage_text : salvages) {
      const Decimal cost = dec(cost_text), salvage = std::min(dec(salvage_text), cost);
      const double cost_d = to_double(cost), salvage_d = to_double(salvage);
      for (int life : {3, 5, 7}) {
        const Decimal life_x(life);
        const double life_d = life;
        EXPECT_TRUE(Near(to_double(fin::sln(cost, salvage, life_x)), fin::sln(cost_d, salvage_d, life_d), 1e-13));
        for (int p = 1; p <= life; ++p) {
          const Decimal px(p);
          const double pd = p;
          EXPECT_TRUE(Near(to_double(fin::syd(cost, salvage, life_x, px)), fin::syd(cost_d, salvage_d, life_d, pd), 1e-13));
          EXPECT_TRUE(Near(to_double(fin::ddb(cost, salvage, life_x, px, dec("1.5"))),
                           fin::ddb(cost_d, salvage_d, life_d, pd, 1.5), 1e-13));
          EXPECT_TRUE(Near(to_double(fin::vdb(cost, salvage, life_x, px - 1, px)),
                           fin::vdb(cost_d, salvage_d, life_d, pd - 1, pd), 1e-13));
          EXPECT_TRUE(Near(to_double(fin::vdb(cost, salvage, life_x, px - dec("0.7"), px - dec("0.2"))),
                           fin::vdb(cost_d, salvage_d, life_d, pd - 0.7, pd - 0.2), 1e-13));
          if (salvage > 0) {
            EXPECT_TRUE(Near(to_double(fin::db(cost, salvage, life_x, px, Decimal(5))),
                             fin::db(cost_d, salvage_d, life_d, pd, 5.0), 1e-13));
          }
        }
      }
    }
}

// ---- argument checks ---------------------------------------------------------------------------

void expect_rejects(const std::function<void()>& call, const std::string& argument) {
  try {
    call();
    ADD_FAILURE() << "accepted a bad " << argument;
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find(argument + " must be"), std::string::npos) << error.what();
  }
}

TEST(SpreadsheetDepreciation, RejectsBadArguments) {
  expect_rejects([] { fin::sln(-1.0, 0.0, 5.0); }, "cost");
  expect_rejects([] { fin::sln(100.0, -1.0, 5.0); }, "salvage");
  expect_rejects([] { fin::sln(100.0, 0.0, 0.0); }, "life");
  expect_rejects([] { fin::sln(100.0, 0.0, std::nan("")); }, "life");

  expect_rejects([] { fin::syd(100.0, 0.0, -5.0, 1.0); }, "life");
  expect_rejects([] { fin::syd(100.0, 0.0, 5.0, 0.0); }, "period");
  expect_rejects([] { fin::syd(100.0, 0.0, 5.0, 6.0); }, "period");

  expect_rejects([] { fin::ddb(-100.0, 0.0, 5.0, 1.0); }, "cost");
  expect_rejects([] { fin::ddb(100.0, -1.0, 5.0, 1.0); }, "salvage");
  expect_rejects([] { fin::ddb(100.0, 101.0, 5.0, 1.0); }, "salvage");
  expect_rejects([] { fin::ddb(100.0, 0.0, 0.0, 1.0); }, "life");
  expect_rejects([] { fin::ddb(100.0, 0.0, 5.0, 0.5); }, "period");
  expect_rejects([] { fin::ddb(100.0, 0.0, 5.0, 5.5); }, "period");
  expect_rejects([] { fin::ddb(100.0, 0.0, 5.0, 1.0, 0.0); }, "factor");

  expect_rejects([] { fin::db(0.0, 0.0, 5.0, 1.0); }, "cost");
  expect_rejects([] { fin::db(100.0, -1.0, 5.0, 1.0); }, "salvage");
  expect_rejects([] { fin::db(100.0, 200.0, 5.0, 1.0); }, "salvage");
  expect_rejects([] { fin::db(100.0, 10.0, -5.0, 1.0); }, "life");
  expect_rejects([] { fin::db(100.0, 10.0, 5.0, 0.0); }, "period");
  expect_rejects([] { fin::db(100.0, 10.0, 5.0, 6.0); }, "period");       // no stub with 12 months
  expect_rejects([] { fin::db(100.0, 10.0, 5.0, 7.0, 6.0); }, "period");  // past the stub
  expect_rejects([] { fin::db(100.0, 10.0, 5.0, 1.0, 0.0); }, "month");
  expect_rejects([] { fin::db(100.0, 10.0, 5.0, 1.0, 13.0); }, "month");
  EXPECT_NO_THROW(fin::db(100.0, 10.0, 5.0, 6.0, 6.0));

  expect_rejects([] { fin::vdb(-1.0, 0.0, 5.0, 0.0, 1.0); }, "cost");
  expect_rejects([] { fin::vdb(100.0, -1.0, 5.0, 0.0, 1.0); }, "salvage");
  expect_rejects([] { fin::vdb(100.0, 101.0, 5.0, 0.0, 1.0); }, "salvage");
  expect_rejects([] { fin::vdb(100.0, 0.0, 0.0, 0.0, 0.0); }, "life");
  expect_rejects([] { fin::vdb(100.0, 0.0, 5.0, -1.0, 1.0); }, "start_period");
  expect_rejects([] { fin::vdb(100.0, 0.0, 5.0, 3.0, 2.0); }, "end_period");
  expect_rejects([] { fin::vdb(100.0, 0.0, 5.0, 0.0, 5.5); }, "end_period");
  expect_rejects([] { fin::vdb(100.0, 0.0, 5.0, 0.0, 1.0, -2.0); }, "factor");

  expect_rejects([] { fin::ddb(dec("100"), dec("0"), dec("5"), dec("1"), dec("0")); }, "factor");
  expect_rejects([] { fin::db(dec("100"), dec("10"), dec("5"), dec("1"), dec("0.5")); }, "month");

  expect_rejects([] { fin::macrs_rate(4, 1); }, "recovery_years");
  expect_rejects([] { fin::macrs_rate(5, 0); }, "year");
  expect_rejects([] { fin::macrs_rate(5, 7); }, "year");
  expect_rejects([] { fin::macrs_rate(5, 1, static_cast<MacrsConvention>(9)); }, "convention");
  expect_rejects([] { fin::macrs(-1.0, 5, 1); }, "cost");
  expect_rejects([] { fin::macrs(dec("1000"), 39, 1); }, "recovery_years");
}

// ---- MACRS -------------------------------------------------------------------------------------

// Percentages as printed in IRS Publication 946, Appendix A (GDS, 200% / 150% declining balance).
struct PublishedTable {
  int recovery_years;
  MacrsConvention convention;
  std::vector<double> percent;
};

const std::vector<PublishedTable>& published_tables() {
  static const std::vector<PublishedTable> tables = {
      // Table A-1, half-year convention.
      {3, MacrsConvention::half_year, {33.33, 44.45, 14.81, 7.41}},
      {5, MacrsConvention::half_year, {20.00, 32.00, 19.20, 11.52, 11.52, 5.76}},
      {7, MacrsConvention::half_year, {14.29, 24.49, 17.49, 12.49, 8.93, 8.92, 8.93, 4.46}},
      {10, MacrsConvention::half_year,
       {10.00, 18.00, 14.40, 11.52, 9.22, 7.37, 6.55, 6.55, 6.56, 6.55, 3.28}},
      {15, MacrsConvention::half_year,
       {5.00, 9.50, 8.55, 7.70, 6.93, 6.23, 5.90, 5.90, 5.91, 5.90, 5.91, 5.90, 5.91, 5.90, 5.91,
        2.95}},
      {20, MacrsConvention::half_year,
       {3.750, 7.219, 6.677, 6.177, 5.713, 5.285, 4.888, 4.522, 4.462, 4.461, 4.462,
        4.461, 4.462, 4.461, 4.462, 4.461, 4.462, 4.461, 4.462, 4.461, 2.231}},
      // Table A-2, mid-quarter convention, placed in service in the first quarter.
      {3, MacrsConvention::mid_quarter_1, {58.33, 27.78, 12.35, 1.54}},
      {5, MacrsConvention::mid_quarter_1, {35.00, 26.00, 15.60, 11.01, 11.01, 1.38}},
      {7, MacrsConvention::mid_quarter_1, {25.00, 21.43, 15.31, 10.93, 8.75, 8.74, 8.75, 1.09}},
      // Table A-3, second quarter.
      {3, MacrsConvention::mid_quarter_2, {41.67, 38.89, 14.14, 5.30}},
      {5, MacrsConvention::mid_quarter_2, {25.00, 30.00, 18.00, 11.37, 11.37, 4.26}},
      // Table A-4, third quarter.
      {5, MacrsConvention::mid_quarter_3, {15.00, 34.00, 20.40, 12.24, 11.30, 7.06}},
      // Table A-5, fourth quarter.
      {3, MacrsConvention::mid_quarter_4, {8.33, 61.11, 20.37, 10.19}},
      {5, MacrsConvention::mid_quarter_4, {5.00, 38.00, 22.80, 13.68, 10.94, 9.58}},
      {7, MacrsConvention::mid_quarter_4, {3.57, 27.55, 19.68, 14.06, 10.04, 8.73, 8.73, 7.64}},
      {10, MacrsConvention::mid_quarter_4,
       {2.50, 19.50, 15.60, 12.48, 9.98, 7.99, 6.55, 6.55, 6.56, 6.55, 5.74}},
  };
  return tables;
}

TEST(Macrs, DerivedRatesMatchPublication946) {
  for (const auto& table : published_tables()) {
    ASSERT_EQ(int(table.percent.size()), table.recovery_years + 1);
    for (int year = 1; year <= table.recovery_years + 1; ++year)
      EXPECT_NEAR(100 * fin::macrs_rate(table.recovery_years, year, table.convention),
                  table.percent[year - 1], 1e-9)
          << table.recovery_years << "-year, convention " << int(table.convention) << ", year " << year;
  }
}

TEST(Macrs, EveryTableRecoversExactlyTheCost) {
  for (int recovery_years : {3, 5, 7, 10, 15, 20})
    for (auto convention : {MacrsConvention::half_year, MacrsConvention::mid_quarter_1,
                            MacrsConvention::mid_quarter_2, MacrsConvention::mid_quarter_3,
                            MacrsConvention::mid_quarter_4}) {
      Decimal total = 0;
      for (int year = 1; year <= recovery_years + 1; ++year) {
        const Decimal amount = fin::macrs(dec("1"), recovery_years, year, convention);
        EXPECT_GT(amount, 0) << recovery_years << "-year, year " << year;
        total += amount;
      }
      EXPECT_EQ(total, Decimal(1)) << recovery_years << "-year, convention " << int(convention);
    }
}

TEST(Macrs, DeductionIsCostTimesTheRateToTheCent) {
  // A $2,600,000.00 GPU cluster as 5-year property, half-year convention.
  const char* expected[] = {"520000", "832000", "499200", "299520", "299520", "149760"};
  for (int year = 1; year <= 6; ++year)
    EXPECT_EQ(fin::macrs(dec("2600000.00"), 5, year), dec(expected[year - 1]));
  // Exact decimal: 7-year year 1 on $123,456.78 is 14.29% = 17641.973862.
  EXPECT_EQ(fin::macrs(dec("123456.78"), 7, 1), dec("17641.973862"));
  EXPECT_TRUE(Near(fin::macrs(123456.78, 7, 1), 17641.973862, 1e-14));
}

}  // namespace

// DB and VDB step through the life period by period: a life of billions of periods (as a fuzzed
// `calc vdb 24055 0 5.55e19 0 5555050000 5` had) is refused at once instead of running for minutes,
// while the longest accepted life still answers, and exactly.
TEST(SpreadsheetDepreciation, SteppedMethodsRefuseLivesBeyondAnyAsset) {
  expect_rejects([] { fin::vdb(24055.0, 0.0, 5.55e19, 0.0, 5555050000.0, 5.0); }, "life");
  expect_rejects([] { fin::db(1000.0, 100.0, 1e9, 5.0); }, "life");
  expect_rejects([] { fin::vdb(Decimal(1000), Decimal(0), Decimal(100001), Decimal(0), Decimal(1)); }, "life");
  const double life = fin::depreciation_detail::max_stepped_periods;
  EXPECT_TRUE(Near(fin::vdb(1000.0, 0.0, life, 0.0, life), 1000.0, 1e-12));
  // DB's rate 1 - 0.1^(1/100000) = 0.000023 rounds to 0.000 at three decimals: nothing to charge.
  EXPECT_EQ(fin::db(1000.0, 100.0, life, life), 0.0);
}
