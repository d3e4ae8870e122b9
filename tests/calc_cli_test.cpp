// `leasecalc calc` end to end: stdout carries the result alone, stderr the messages, and the exit
// code says 0 result, 1 no result, 2 bad input.
#include "support/cli.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <utility>
#include <vector>
#include <cmath>

namespace {

using leasecalc::test::CliRun;

// Runs `leasecalc calc ARGS` with `input` on standard input.
CliRun calc(const std::string& args, const std::string& input = "") {
  return leasecalc::test::run_leasecalc("calc " + args, input);
}

double number(const std::string& out) { return std::stod(out); }

TEST(CalcCli, PmtPrintsTheResultAloneWithFullPrecision) {
  const CliRun run = calc("pmt 0.004 60 -2.26e9");
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_TRUE(std::regex_match(run.out, std::regex(R"(\d{8}\.\d{7,9}\n)"))) << run.out;  // 15+ digits, nothing else
  // 2.26e9 x 0.004 / (1 - 1.004^-60) = 42442216.9432544237339 (to 21 digits, by exact arithmetic);
  // Calc shows 42442216.94325442.
  EXPECT_NEAR(number(run.out), 42442216.9432544237339, 42442216.9432544237339 * 1e-15);
  EXPECT_EQ(run.err, "");
}

TEST(CalcCli, OptionalArgumentsTakeSpreadsheetDefaults) {
  EXPECT_EQ(calc("pmt 0.004 60 -2.26e9").out, calc("pmt 0.004 60 -2.26e9 0 0").out);
  EXPECT_NE(calc("pmt 0.004 60 -2.26e9").out, calc("pmt 0.004 60 -2.26e9 0 1").out);
  EXPECT_EQ(calc("vdb 2.66e9 1.33e8 5 0 1.5").out, calc("vdb 2.66e9 1.33e8 5 0 1.5 2 0").out);
}

TEST(CalcCli, VdbMatchesTheSpreadsheet) {
  const CliRun run = calc("vdb 2.66e9 1.33e8 5 0 1.5 2 0");
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_NEAR(number(run.out), 1383200000, 1e-3);  // Calc: 2.66e9 * 0.4 + 2.66e9 * 0.6 * 0.4 / 2
}

TEST(CalcCli, IrrReadsFlowsFromStandardInputSkippingBlankLines) {
  const CliRun run = calc("irr", "-1000\n\n  1210 \n");
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_NEAR(number(run.out), 0.21, 1e-15);
}

TEST(CalcCli, SeveralIrrsPrintTheOneNearTheGuessAndNameAllOnStderr) {
  const CliRun run = calc("irr 0.3", "-100\n230\n-132\n");
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_NEAR(number(run.out), 0.2, 1e-13);
  EXPECT_NE(run.err.find("several IRRs"), std::string::npos);
  // Both roots, 10% and 20% (to rounding), are named.
  EXPECT_TRUE(std::regex_search(run.err, std::regex(R"(zero at 0\.(1|0999999\d*|10000000\d*), 0\.(2|1999999\d*|20000000\d*);)")))
      << run.err;
}

TEST(CalcCli, NoIrrExitsOneWithAMessage) {
  const CliRun run = calc("irr", "100\n200\n");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.out, "");
  EXPECT_NE(run.err.find("never change sign"), std::string::npos);
}

TEST(CalcCli, AResultBeyondTheDoublesIsNoResultNeverInfOrNan) {
  // (1 + 1e10)^1e10 and 1.05^1e308 overflow; a spreadsheet shows #NUM!.
  for (const char* args : {"fv 1e10 1e10 1", "fv 0.05 1e308 1", "ipmt 0.05 1e308 1e308 1"}) {
    const CliRun run = calc(args);
    EXPECT_EQ(run.exit_code, 1) << args << ": " << run.out;
    EXPECT_EQ(run.out, "") << args;
    EXPECT_NE(run.err.find("no finite result"), std::string::npos) << args << ": " << run.err;
  }
  const CliRun npv = calc("npv -1", "1\n");  // discounting at -100% divides by zero: refused up front
  EXPECT_EQ(npv.exit_code, 2) << npv.out;
  EXPECT_NE(npv.err.find("rate must be above -1"), std::string::npos) << npv.err;
}

TEST(CalcCli, ResultsWithAFiniteLimitStayFinite) {
  // The PV of 1 a period for 1e308 periods is the perpetuity 1 / 5% = 20; the payment on a loan at
  // a rate of 1e10 a period over 1e10 periods is the interest alone, rate x PV.
  EXPECT_NEAR(number(calc("pv 0.05 1e308 1").out), -20, 1e-13);
  EXPECT_NEAR(number(calc("pmt 1e10 1e10 1").out), -1e10, 1e-5);
}

TEST(CalcCli, NegativeZeroPrintsAsZero) {
  // A loan of 0 pays -(5% x 0) = -0 a period: printed 0. (Rates of -100% are refused.)
  const CliRun run = calc("pmt 0.05 10 0");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "0\n");
}

// Issue 14: a distant guess once ended the iteration after its first, huge step (0.0649 for 0.1).
TEST(CalcCli, ADistantGuessStillFindsTheRate) {
  for (const char* guess : {"1e9", "1e300", "-0.9999999999999999"}) {
    const CliRun irr = calc(std::string("irr ") + guess, "-100\n10\n110\n");
    EXPECT_EQ(irr.exit_code, 0) << guess << ": " << irr.err;
    EXPECT_NEAR(number(irr.out), 0.1, 1e-14) << guess;
    const CliRun xirr = calc(std::string("xirr ") + guess, "2025-01-01,-100\n2026-01-01,10\n2027-01-01,110\n");
    EXPECT_EQ(xirr.exit_code, 0) << guess << ": " << xirr.err;
    EXPECT_NEAR(number(xirr.out), 0.1, 1e-14) << guess;  // both years have 365 days
    const CliRun rate = calc(std::string("rate 2 10 -100 100 0 ") + guess);
    EXPECT_EQ(rate.exit_code, 0) << guess << ": " << rate.err;
    EXPECT_NEAR(number(rate.out), 0.1, 1e-14) << guess;
  }
}

// Issue 14: a guess next to -100% once reported a "root" at -100%, where NPV runs to -infinity.
TEST(CalcCli, MinusOneHundredPercentIsNeverARoot) {
  const CliRun run = calc("irr -0.9999999999999999", "-100\n230\n-132\n");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NEAR(number(run.out), 0.1, 1e-13);  // roots 10% and 20%; 10% is nearer the guess
  EXPECT_NE(run.err.find("several IRRs"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("-1,"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("zero at -"), std::string::npos) << run.err;
}

TEST(CalcCli, NperWithoutASolutionIsNoResultExitOne) {
  const CliRun run = calc("nper 0.05 -10 1000");  // 10 a period never repays 1000 accruing 50
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_EQ(run.out, "");
  EXPECT_NE(run.err.find("never take pv to fv"), std::string::npos) << run.err;
}

TEST(CalcCli, PpmtErrorsNamePpmt) {
  for (const char* args : {"ppmt 0.01 13 12 1000", "ppmt 0.01 1 12 1000 0 2", "ppmt -1 1 12 1000"}) {
    const CliRun run = calc(args);
    EXPECT_EQ(run.exit_code, 2) << args;
    EXPECT_NE(run.err.find("PPMT: "), std::string::npos) << args << ": " << run.err;
    EXPECT_EQ(run.err.find("IPMT"), std::string::npos) << args << ": " << run.err;
    EXPECT_EQ(run.err.find(" PMT:"), std::string::npos) << args << ": " << run.err;
  }
}

TEST(CalcCli, RatesAtOrBelowMinusOneHundredPercentAreBadInputEverywhere) {
  for (const char* rate : {"-1", "-1.5"}) {
    const std::string r(rate);
    for (const auto& [args, input] : std::vector<std::pair<std::string, std::string>>{
             {"npv " + r, "1\n"}, {"xnpv " + r, "2025-01-01,-1\n2026-01-01,2\n"},
             {"pmt " + r + " 10 100", ""}, {"ipmt " + r + " 2 10 100", ""}, {"ppmt " + r + " 2 10 100", ""},
             {"pv " + r + " 10 100", ""}, {"fv " + r + " 10 100", ""}, {"nper " + r + " -10 100", ""},
             {"mirr " + r + " 0.1", "-1\n2\n"}, {"mirr 0.1 " + r, "-1\n2\n"}, {"dpayback " + r, "-1\n2\n"},
             {"irr " + r, "-1\n2\n"}, {"rate 10 -1 5 0 0 " + r, ""}}) {
      const CliRun run = calc(args, input);
      EXPECT_EQ(run.exit_code, 2) << args;
      EXPECT_EQ(run.out, "") << args;
      EXPECT_NE(run.err.find("above -1 (-100%)"), std::string::npos) << args << ": " << run.err;
    }
  }
}

TEST(CalcCli, MirrOfSevenThousandFlowsIsFinite) {
  // An outlay of 1000 and 6,999 receipts of 150: the receipts compounded at 12% reach e^793, past
  // the doubles. MIRR = (150 ((1.12)^6999 - 1) / 0.12 / 1000)^(1/6999) - 1, in logs.
  std::string input = "-1000\n";
  for (int i = 1; i < 7000; ++i) input += "150\n";
  const CliRun run = calc("mirr 0.1 0.12", input);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  const double log_future = std::log(150 / 0.12) + 6999 * std::log1p(0.12);  // 1.12^-6999 is below 1e-300
  EXPECT_NEAR(number(run.out), std::expm1((log_future - std::log(1000.0)) / 6999), 1e-14);
}

TEST(CalcCli, XirrAndXnpvReadDatedLines) {
  const CliRun irr = calc("xirr", "2025-01-01,-1000\n2027-01-01,1210\n");  // 730 days
  EXPECT_EQ(irr.exit_code, 0);
  EXPECT_NEAR(number(irr.out), 0.1, 1e-14);
  const CliRun npv = calc("xnpv 0.1", "2025-01-01,-1000\n2027-01-01,1210\n");
  EXPECT_EQ(npv.exit_code, 0);
  EXPECT_NEAR(number(npv.out), 0, 1e-9);
}

TEST(CalcCli, BadInputNamesTheLineOrArgumentAndExitsTwo) {
  const CliRun line = calc("npv 0.1", "-100\n50\nfifty\n");
  EXPECT_EQ(line.exit_code, 2);
  EXPECT_NE(line.err.find("line 3"), std::string::npos);
  EXPECT_NE(line.err.find("fifty"), std::string::npos);

  const CliRun date = calc("xirr", "2025-01-01,-100\n2025-02-30,120\n");
  EXPECT_EQ(date.exit_code, 2);
  EXPECT_NE(date.err.find("line 2"), std::string::npos);
  EXPECT_NE(date.err.find("YYYY-MM-DD"), std::string::npos);

  const CliRun count = calc("pmt 0.01");
  EXPECT_EQ(count.exit_code, 2);
  EXPECT_NE(count.err.find("pmt RATE NPER PV"), std::string::npos);

  const CliRun not_number = calc("pmt 0.01 sixty 1000");
  EXPECT_EQ(not_number.exit_code, 2);
  EXPECT_NE(not_number.err.find("NPER"), std::string::npos);

  const CliRun domain = calc("sln 1000 100 0");
  EXPECT_EQ(domain.exit_code, 2);
  EXPECT_NE(domain.err.find("life"), std::string::npos);

  const CliRun unknown = calc("npw 0.1");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("npw"), std::string::npos);

  EXPECT_EQ(calc("irr", "").exit_code, 2);  // no flows at all
  EXPECT_EQ(calc("", "").exit_code, 2);
}

// Arguments and cash flows take the number grammar of model files (docs/units.md): a plain
// number, a percentage, or an amount with a scale; each reads as the same double as the plain
// number it stands for.
TEST(CalcCli, NumbersTakePercentagesAndScales) {
  EXPECT_EQ(calc("pmt 7.5% 60 100M").out, calc("pmt 0.075 60 100000000").out);
  EXPECT_EQ(calc("pmt 0.625% 60 -2.26e9").out, calc("pmt 0.00625 60 -2.26e9").out);
  EXPECT_EQ(calc("pmt 50bp 60 -2.26亿").out, calc("pmt 0.005 60 -226000000").out);
  EXPECT_EQ(calc("pmt 0.004 60 -2,260,000,000").out, calc("pmt 0.004 60 -2.26e9").out);
  EXPECT_EQ(calc("npv 10%", "-1M\n600k\n600k\n").out, calc("npv 0.1", "-1000000\n600000\n600000\n").out);
  EXPECT_EQ(calc("pmt 7.5% 60 100M").exit_code, 0);
}

// Every argument that is a rate takes a percentage, as model files require one.
TEST(CalcCli, EveryRateArgumentTakesAPercentage) {
  const char* flows = "-1000\n300\n400\n500\n";
  const char* dated = "2025-01-01,-1000\n2025-07-01,300\n2026-03-01,900\n";
  EXPECT_EQ(calc("npv 8%", flows).out, calc("npv 0.08", flows).out);
  EXPECT_EQ(calc("xnpv 8%", dated).out, calc("xnpv 0.08", dated).out);
  EXPECT_EQ(calc("irr 5%", flows).out, calc("irr 0.05", flows).out);
  EXPECT_EQ(calc("xirr 5%", dated).out, calc("xirr 0.05", dated).out);
  EXPECT_EQ(calc("mirr 5% 7%", flows).out, calc("mirr 0.05 0.07", flows).out);
  EXPECT_EQ(calc("dpayback 5%", flows).out, calc("dpayback 0.05", flows).out);
  for (const char* function : {"ipmt 5% 2 60 100000", "ppmt 5% 2 60 100000", "pv 5% 60 -2000", "fv 5% 60 -2000",
                               "nper 5% -2000 30000"}) {
    std::string fraction = function;
    fraction.replace(fraction.find("5%"), 2, "0.05");
    const CliRun with_percent = calc(function);
    EXPECT_EQ(with_percent.exit_code, 0) << function << ": " << with_percent.err;
    EXPECT_EQ(with_percent.out, calc(fraction).out) << function;
  }
  EXPECT_EQ(calc("rate 60 -2000 100000 0 0 1%").out, calc("rate 60 -2000 100000 0 0 0.01").out);
}

TEST(CalcCli, ASecondSignOrAnUnknownSuffixIsRefused) {
  const CliRun sign = calc("pmt 0.01 60 +-100");
  EXPECT_EQ(sign.exit_code, 2);
  EXPECT_EQ(sign.out, "");
  EXPECT_NE(sign.err.find("PV: expected a number"), std::string::npos) << sign.err;
  EXPECT_NE(sign.err.find("'+-100'"), std::string::npos) << sign.err;
  const CliRun flow = calc("irr", "+-100\n120\n");
  EXPECT_EQ(flow.exit_code, 2);
  EXPECT_NE(flow.err.find("line 1"), std::string::npos) << flow.err;
  for (const char* bad : {"pmt 0.01 60 100m", "pmt 0.01 60 100 USD", "pmt 1%% 60 100", "pmt 0.01 60 1e400",
                          "pmt 0.01 60 .5", "pmt 0.01 60 inf"})
    EXPECT_EQ(calc(bad).exit_code, 2) << bad;
}

TEST(CalcCli, PaybackNeverPaidBackExitsOne) {
  const CliRun ok = calc("payback", "-1000\n300\n300\n300\n300\n");
  EXPECT_EQ(ok.exit_code, 0);
  EXPECT_NEAR(number(ok.out), 3 + 1.0 / 3, 1e-15);
  const CliRun never = calc("dpayback 0.1", "-1000\n300\n300\n300\n300\n");
  EXPECT_EQ(never.exit_code, 1);
  EXPECT_NE(never.err.find("never pays back"), std::string::npos);
}

TEST(CalcCli, MacrsTakesAConventionName) {
  const CliRun half = calc("macrs 1000 5 1");
  EXPECT_EQ(half.exit_code, 0);
  EXPECT_NEAR(number(half.out), 200, 1e-9);  // IRS Publication 946 table A-1: 20.00 %
  EXPECT_EQ(calc("macrs 1000 5 1 quarterly").exit_code, 2);
}

// One set of names with model files (depreciation.tax.convention: half_year | mid_quarter); the
// quarter placed in service is calc's fifth argument, the fourth by default as in a model file.
TEST(CalcCli, MacrsConventionNamesAreThoseOfModelFiles) {
  const CliRun first = calc("macrs 1000 5 1 mid_quarter 1");
  EXPECT_EQ(first.exit_code, 0);
  EXPECT_NEAR(number(first.out), 350, 1e-9);  // Pub 946 table A-2: 35.00 %
  const CliRun fourth = calc("macrs 1000 5 1 mid_quarter");
  EXPECT_EQ(fourth.exit_code, 0);
  EXPECT_NEAR(number(fourth.out), 50, 1e-9);  // table A-5: 5.00 %
  const CliRun old_name = calc("macrs 1000 5 1 mid_quarter_1");
  EXPECT_EQ(old_name.exit_code, 2);
  EXPECT_NE(old_name.err.find("mid_quarter 1"), std::string::npos) << old_name.err;
  const CliRun no_quarter = calc("macrs 1000 5 1 mid_quarter 5");
  EXPECT_EQ(no_quarter.exit_code, 2);
  EXPECT_NE(no_quarter.err.find("QUARTER: expected a quarter from 1 to 4"), std::string::npos) << no_quarter.err;
}

TEST(CalcCli, HelpListsEveryFunctionWithItsArguments) {
  const CliRun run = calc("--help");
  EXPECT_EQ(run.exit_code, 0);
  for (const char* usage : {"npv RATE", "xnpv RATE", "irr [GUESS=0.1]", "xirr [GUESS=0.1]",
                            "mirr FINANCE_RATE REINVEST_RATE", "pmt RATE NPER PV [FV=0] [TYPE=0]",
                            "ipmt RATE PER NPER PV", "ppmt RATE PER NPER PV", "pv RATE NPER PMT",
                            "fv RATE NPER PMT [PV=0]", "nper RATE PMT PV", "rate NPER PMT PV",
                            "payback", "dpayback RATE", "sln COST SALVAGE LIFE", "syd COST SALVAGE LIFE PER",
                            "db COST SALVAGE LIFE PERIOD [MONTH=12]", "ddb COST SALVAGE LIFE PERIOD [FACTOR=2]",
                            "vdb COST SALVAGE LIFE START_PERIOD END_PERIOD [FACTOR=2] [NO_SWITCH=0]",
                            "macrs COST RECOVERY_YEARS YEAR [CONVENTION=half_year]"})
    EXPECT_NE(run.out.find(usage), std::string::npos) << usage;
}

}  // namespace
