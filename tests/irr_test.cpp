// IRR and XIRR: agreement with LibreOffice Calc where it answers, with the known rate the flows were
// built from everywhere (including where Calc fails), NPV zero at the answer, typed outcomes.
#include <leasecalc/fin/irr.hpp>
#include <leasecalc/fin/tvm.hpp>

#include "support/csv.hpp"

#include <gtest/gtest.h>

#include <charconv>
#include <chrono>
#include <utility>
#include <cmath>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace {
namespace fin = leasecalc::fin;

using leasecalc::test::split;

// NPV at `rate` relative to the size of the discounted flows: 0 up to rounding at a true root.
double relative_npv(std::span<const double> values, double rate) {
  double sum = 0, magnitude = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double discounted = values[i] * std::pow(1 + rate, -static_cast<double>(i));
    sum += discounted;
    magnitude += std::fabs(discounted);
  }
  return std::fabs(sum) / magnitude;
}

TEST(IrrGolden, MatchesCalcWhereItAnswersAndTheTrueRateEverywhere) {
  std::ifstream file(std::string(LEASECALC_SOURCE_DIR) + "/tests/golden/fin_golden.csv");
  ASSERT_TRUE(file);
  std::string line;
  std::getline(file, line);
  int checked = 0, calc_failed = 0, several = 0;
  while (std::getline(file, line)) {
    const auto cells = split(line, ',');
    ASSERT_EQ(cells.size(), 6u);
    if (cells[0] != "irr" && cells[0] != "xirr") continue;
    std::vector<double> values;
    std::vector<int> dates;
    for (const auto& v : split(cells[2], ';')) values.push_back(std::stod(v));
    for (const auto& d : split(cells[3], ';')) dates.push_back(std::stoi(d));
    const double guess = cells[1].empty() ? 0.1 : std::stod(cells[1]);
    const auto result = cells[0] == "irr" ? fin::irr(values, guess) : fin::xirr(values, dates, guess);
    const std::string where = cells[0] + " of " + std::to_string(values.size()) + " flows, guess " +
                              std::to_string(guess) + ", Calc " + cells[4] + ", true " + cells[5];
    ASSERT_TRUE(result.has_rate()) << where << ": " << result.message;
    if (result.status == fin::IrrStatus::multiple_roots) ++several;
    const double truth = std::stod(cells[5]);
    // The flows are rounded to doubles after construction, so the truth holds to ~1e-14.
    EXPECT_NEAR(result.rate, truth, 1e-10 * std::fabs(truth) + 1e-14) << where;
    const bool calc_answered = cells[4].rfind("error:", 0) != 0 && std::stod(cells[4]) > -1;
    if (calc_answered) {
      // Calc stops at a step below 1e-7 (IRR) or 1e-10 (XIRR), so its last digits are loose.
      EXPECT_NEAR(result.rate, std::stod(cells[4]), 1e-9 * std::fabs(truth) + 1e-12) << where;
    } else {
      ++calc_failed;
    }
    if (cells[0] == "irr") {
      for (const double root : result.roots) EXPECT_LT(relative_npv(values, root), 1e-10) << where << " at " << root;
    }
    ++checked;
  }
  EXPECT_GT(checked, 100);
  EXPECT_GT(calc_failed, 20);  // the golden set keeps cases the spreadsheet cannot solve
  // A balloon payment back out adds a second root far below (about -50%); the guess picks the
  // lease's own rate, which the comparison above checked.
  EXPECT_GE(several, 1);
}

TEST(Irr, NoSignChangeIsATypedOutcome) {
  for (const std::vector<double>& flows : std::vector<std::vector<double>>{{100, 200}, {-1, 0, -3}, {0, 0}, {}}) {
    const auto result = fin::irr(flows);
    EXPECT_EQ(result.status, fin::IrrStatus::no_sign_change);
    EXPECT_FALSE(result.has_rate());
    EXPECT_NE(result.message.find("never change sign"), std::string::npos);
  }
}

TEST(Irr, SeveralRootsAreAllReportedAndTheGuessPicks) {
  // -100 + 230 x - 132 x^2 = 0 at x = 1/1.1 and 1/1.2: IRRs of 10% and 20%.
  const std::vector<double> flows = {-100, 230, -132};
  const auto near_ten = fin::irr(flows, 0.05);
  ASSERT_EQ(near_ten.status, fin::IrrStatus::multiple_roots);
  ASSERT_EQ(near_ten.roots.size(), 2u);
  EXPECT_NEAR(near_ten.roots[0], 0.1, 1e-13);
  EXPECT_NEAR(near_ten.roots[1], 0.2, 1e-13);
  EXPECT_NEAR(near_ten.rate, 0.1, 1e-13);
  EXPECT_NE(near_ten.message.find("several IRRs"), std::string::npos);
  for (const double root : near_ten.roots) {  // the message names each root as printed
    char text[32];
    const auto end = std::to_chars(text, text + sizeof text, root).ptr;
    EXPECT_NE(near_ten.message.find(std::string(text, end)), std::string::npos) << near_ten.message;
  }
  EXPECT_NEAR(fin::irr(flows, 0.3).rate, 0.2, 1e-13);
}

TEST(Irr, SignChangesWithoutARootSayNoRoot) {
  // 100 - 300 x + 250 x^2 has no real root (discriminant 90000 - 100000 < 0).
  const auto result = fin::irr(std::vector<double>{100, -300, 250});
  EXPECT_EQ(result.status, fin::IrrStatus::no_root);
  EXPECT_NE(result.message.find("change sign 2 times"), std::string::npos);
}

TEST(Irr, ConvergesOnLongSeriesNegativeAndLargeRates) {
  std::mt19937_64 random(7);
  std::uniform_real_distribution<double> payment(1e4, 1e5);
  for (double rate : {-0.95, -0.5, -0.05, -0.001, 0.0, 1e-6, 0.004, 0.02, 0.5, 2.0, 9.0}) {
    for (std::size_t n : {2u, 36u, 60u, 360u}) {
      std::vector<double> flows(n + 1);
      double outlay = 0;
      for (std::size_t i = 1; i <= n; ++i) {
        flows[i] = payment(random);
        outlay += flows[i] * std::pow(1 + rate, -static_cast<double>(i));
      }
      flows[0] = -outlay;
      if (!std::isfinite(outlay)) continue;
      for (double guess : {0.1, -0.9, 5.0}) {
        const auto result = fin::irr(flows, guess);
        ASSERT_EQ(result.status, fin::IrrStatus::unique) << rate << " n=" << n << ": " << result.message;
        EXPECT_GT(result.rate, -1);
        EXPECT_LT(relative_npv(flows, result.rate), 1e-12) << rate << " n=" << n;
        EXPECT_NEAR(result.rate, rate, 1e-9 * std::fabs(rate) + 1e-12) << "n=" << n << " guess " << guess;
      }
    }
  }
}

TEST(Irr, RejectsNonFiniteFlowsAndGuessesAtOrBelowMinusOne) {
  EXPECT_THROW(fin::irr(std::vector<double>{-1, NAN}), std::invalid_argument);
  EXPECT_THROW(fin::irr(std::vector<double>{-1, 2}, -1.0), std::invalid_argument);
}

// Issue 14: from a distant guess the first Newton step is huge and the next ordinary; their ratio
// once passed for quadratic convergence and stopped the iteration at 0.0649 for a true 0.1.
TEST(Irr, DistantGuessesConvergeToTheRoot) {
  const std::vector<double> flows = {-100, 10, 110};  // -100 + 10 x + 110 x^2 = 0 at x = 1 / 1.1
  const std::vector<int> days = {45658, 46023, 46388};  // 2025-01-01, 2026-01-01, 2027-01-01
  for (const double guess : {1e3, 1e6, 1e9, 1e15, 1e100, 1e300, -0.9999999999999999, -0.999}) {
    const auto periodic = fin::irr(flows, guess);
    ASSERT_EQ(periodic.status, fin::IrrStatus::unique) << guess << ": " << periodic.message;
    EXPECT_NEAR(periodic.rate, 0.1, 1e-15) << "IRR from " << guess;
    const auto dated = fin::xirr(flows, days, guess);
    ASSERT_TRUE(dated.has_rate()) << guess << ": " << dated.message;
    EXPECT_NEAR(dated.rate, 0.1, 1e-15) << "XIRR from " << guess;
    const auto annuity = fin::rate(2, 10, -100, 100, 0, guess);
    ASSERT_TRUE(annuity.has_rate()) << guess << ": " << annuity.message;
    EXPECT_NEAR(annuity.rate, 0.1, 1e-15) << "RATE from " << guess;
  }
  // The same on lease-like monthly flows with a known rate.
  std::vector<double> lease{-1e6};
  for (int m = 1; m <= 60; ++m) lease.push_back(1e6 * 0.01 / (1 - std::pow(1.01, -60)));
  for (const double guess : {1e9, 1e12, 1e200})
    EXPECT_NEAR(fin::irr(lease, guess).rate, 0.01, 1e-14) << guess;
}

// Issue 14: Newton from a guess next to -100% once stalled where the rates run out of digits and
// reported -100% as a root of -100 + 230 x - 132 x^2, whose NPV runs to -infinity there.
TEST(Irr, MinusOneHundredPercentIsNeverARoot) {
  const std::vector<double> flows = {-100, 230, -132};
  for (const double guess : {-0.9999999999999999, -0.99999999, -0.9}) {
    const auto result = fin::irr(flows, guess);
    ASSERT_EQ(result.status, fin::IrrStatus::multiple_roots) << guess << ": " << result.message;
    ASSERT_EQ(result.roots.size(), 2u) << result.message;
    EXPECT_NEAR(result.roots[0], 0.1, 1e-13);
    EXPECT_NEAR(result.roots[1], 0.2, 1e-13);
    EXPECT_NEAR(result.rate, 0.1, 1e-13) << guess;
  }
}

// Issue 14: subnormal flows once gave whatever the guess suggested. The rate does not depend on
// the flows' scale: flows rescaled by any power of two, down to the smallest subnormals and up to
// the largest doubles, have the rate of the same flows near 1.
TEST(Irr, TheFlowsScaleDoesNotMatterFromSubnormalToTheLargestDoubles) {
  // -1 + 2 x = 0: 100%; -1 + x + x^2 = 0: x = (sqrt 5 - 1) / 2, r = (sqrt 5 - 1) / 2 too.
  const double golden = (std::sqrt(5.0) - 1) / 2;
  for (const double guess : {0.1, -0.9, 50.0, 1e9}) {
    EXPECT_NEAR(fin::irr(std::vector<double>{-5e-324, 1e-323}, guess).rate, 1.0, 1e-15) << guess;
    EXPECT_NEAR(fin::xirr(std::vector<double>{-5e-324, 1e-323}, std::vector<int>{0, 365}, guess).rate, 1.0, 1e-15)
        << guess;
    for (const int exponent : {-1074 + 2, -1050, -1022, -600, 0, 600, 1000, 1021}) {
      std::vector<double> flows;
      for (const double flow : {-1.0, 1.0, 1.0}) flows.push_back(std::ldexp(flow, exponent));
      const auto result = fin::irr(flows, guess);
      ASSERT_EQ(result.status, fin::IrrStatus::unique) << exponent << ": " << result.message;
      EXPECT_NEAR(result.rate, golden, 1e-15) << "2^" << exponent << " from " << guess;
      const auto dated = fin::xirr(flows, std::vector<int>{0, 365, 730}, guess);
      EXPECT_NEAR(dated.rate, golden, 1e-15) << "2^" << exponent << " from " << guess;
    }
  }
  // Flows whose sum overflows a double.
  const auto huge = fin::irr(std::vector<double>{-1.5e308, 1.5e308, 1.5e308});
  EXPECT_NEAR(huge.rate, golden, 1e-15);
  // An outflow 1e-620 of the inflow: NPV is zero only where 1 + r = 1e-620, a rate no double
  // holds, so there is no rate to report (and none suggested by the guess).
  for (const double guess : {0.1, -0.99, 1e9}) {
    EXPECT_FALSE(fin::irr(std::vector<double>{1e300, -1e-320}, guess).has_rate()) << guess;
    EXPECT_FALSE(fin::irr(std::vector<double>{1.0, -5e-324}, guess).has_rate()) << guess;
  }
  // A tiny late inflow decides the root near -100% against huge early outflows (found by
  // fuzz/irr_fuzzer.cpp): rescaling to the largest flow would flush it to zero. NPV
  // -1e241 (1 + r)^-1 + 1e-305 (1 + r)^-3 is zero at (1 + r)^2 = 1e-546, r = -1 + 1e-273.
  // That is no double either; with the inflow at period 60 instead, (1 + r)^59 = 1e-546:
  std::vector<double> lopsided(61, 0.0);
  lopsided[1] = -1e241;
  lopsided[60] = 1e-305;
  const auto near_minus_one = fin::irr(lopsided, -0.5);
  ASSERT_TRUE(near_minus_one.has_rate()) << near_minus_one.message;
  // Rates next to -100% are 2^-53 apart, so 1 + r is known to a few of those steps.
  EXPECT_NEAR(1 + near_minus_one.rate, std::pow(10.0, -546.0 / 59), 1e-15);
}

// Issue 14: a million alternating flows took 498 s (an O(n^2) bound on the number of roots). The
// solver is now linear in the number of flows beyond about a thousand.
TEST(Irr, AMillionAlternatingFlowsAreSolvedInLinearTime) {
  std::vector<double> flows(1000000);
  for (std::size_t i = 0; i < flows.size(); ++i) flows[i] = i % 2 == 0 ? -1.0 : 1.0;
  // NPV = -(1 - x^n) / (1 + x) for an even n: zero only at x = 1, a rate of 0.
  const auto start = std::chrono::steady_clock::now();
  const auto result = fin::irr(flows);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(result.has_rate()) << result.message;
  EXPECT_EQ(result.status, fin::IrrStatus::unique) << result.message;
  EXPECT_NEAR(result.rate, 0.0, 1e-9);
  EXPECT_LT(seconds, 120.0);  // a few seconds in release (more under the sanitizers); it took 498 s
}

TEST(Xirr, UsesDaysOverThreeSixtyFiveFromTheFirstDateAndAnyOrder) {
  // 1000 grows to 1210 over 730 days at 10% a year.
  const std::vector<double> values = {-1000, 1210};
  const std::vector<int> dates = {45000, 45730};
  EXPECT_NEAR(fin::xirr(values, dates).rate, 0.1, 1e-14);
  // Later flows may come in any order, and flows on one day add up.
  const std::vector<double> shuffled = {-1000, 605, 300, 305};
  const std::vector<int> shuffled_dates = {45000, 45730, 45730, 45730};
  EXPECT_NEAR(fin::xirr(shuffled, shuffled_dates).rate, 0.1, 1e-14);
  const std::vector<double> three = {-1000, 1210, 100};
  const std::vector<int> three_dates = {45000, 45730, 45365};
  const double rate = fin::xirr(three, three_dates).rate;
  EXPECT_NEAR(-1000 + 1210 / std::pow(1 + rate, 2.0) + 100 / (1 + rate), 0, 1e-9);
}

// Inputs found by fuzz/irr_fuzzer.cpp that once gave a rate where NPV is not zero. NPV here is
// checked in long double at rates a relative 1e-12 either side of the answer: it changes sign.
int xnpv_sign(std::span<const double> values, std::span<const int> days, long double rate) {
  long double value = 0;
  for (std::size_t i = 0; i < values.size(); ++i)
    value += values[i] * std::pow(1.0L + rate, -(days[i] - days[0]) / 365.0L);
  return value > 0 ? 1 : (value < 0 ? -1 : 0);
}

TEST(Xirr, FuzzFoundExtremesHaveTheirRootWhereNpvChangesSign) {
  // Terms of 1e-385 at the root, below the doubles: once decided by the signs of underflowed sums.
  const std::vector<double> underflow = {4.6670743181255645e-62, 0, 0, 0, 5.6133372797981245e+112,
                                         1.519735308019331e-47, -4.952758238194911e-136, 0};
  const std::vector<int> underflow_days = {45658, 45658, 45658, 45658, 45658 + 4439, 45658 + 18230,
                                           45658 + 28016, 45658 + 51609};
  // A subnormal first inflow against outflows of 1e18: the root is near 4.8e296, next to the
  // largest double, where the bisection's midpoint once overflowed.
  const std::vector<double> huge_rate = {1.04604313014581e-309, -2.3991874782374246e-185, -2.8483943054992686e+18,
                                         -2.8483943054992686e+18};
  const std::vector<int> huge_rate_days = {45658, 45658 + 153, 45658 + 451, 45658 + 50115};
  // Several roots, one at 1 + r = 5.03e-11: Newton once stopped at a step of 1e-12, which next
  // to -100% is 2% of what is left of 1 + r.
  const std::vector<double> near_minus_one = {-514320.1735477829, 9.071290069836614e+135, 94585.55999999976,
                                              -9.256215852134094e+61, -1.1070787873043657e-234,
                                              -5.164494167218874e-284, 9.085956798544184e+135,
                                              -9.561983859296925e+61, -9.32065873872336e+61,
                                              1.0669304766753628e-160};
  const std::vector<int> near_minus_one_days = {45658, 45658 + 35, 45658 + 346, 45658 + 19660, 45658 + 30146,
                                                45658 + 37355, 45658 + 49807, 45658 + 52428, 45658 + 52428,
                                                45658 + 60293};
  for (const auto& [values, days] : {std::pair{underflow, underflow_days}, std::pair{huge_rate, huge_rate_days},
                                     std::pair{near_minus_one, near_minus_one_days}}) {
    const auto result = fin::xirr(values, days, 0.1);
    ASSERT_TRUE(result.has_rate()) << result.message;
    // 32 ulps of the rate either side.
    const long double rate = result.rate,
                      width = 32 * std::numeric_limits<double>::epsilon() * std::fabs(rate) + 1e-16L;
    EXPECT_NE(xnpv_sign(values, days, rate - width), xnpv_sign(values, days, rate + width)) << result.rate;
  }
}

// 100,000 dated flows (the solver is linear in them: Horner's rule over the gaps between dates):
// an outlay that the later receipts repay at exactly 8% a year, in long double, on daily dates and
// on month-like gaps of 28 to 31 days; and 100,000 flows of alternating sign, whose every root
// must be one. Each answer is checked against an independent NPV, term by term in long double.
TEST(Xirr, AHundredThousandFlowsAreSolvedExactly) {
  constexpr std::size_t n = 100'000;
  for (const bool monthly : {false, true}) {
    std::vector<int> days(n);
    std::vector<double> values(n);
    days[0] = 45658;
    long double outlay = 0;
    for (std::size_t i = 1; i < n; ++i) {
      days[i] = days[i - 1] + (monthly ? 28 + static_cast<int>(i % 4) : 1);
      values[i] = 1000.0 + static_cast<double>(i % 17);
      outlay += values[i] * std::pow(1.08L, -(days[i] - days[0]) / 365.0L);
    }
    values[0] = -static_cast<double>(outlay);
    const auto result = fin::xirr(values, days, 0.1);
    ASSERT_EQ(result.status, fin::IrrStatus::unique) << result.message;
    EXPECT_NEAR(result.rate, 0.08, 1e-12) << (monthly ? "monthly" : "daily");
    const long double width = 1e-12L;
    EXPECT_EQ(xnpv_sign(values, days, result.rate - width), 1);
    EXPECT_EQ(xnpv_sign(values, days, result.rate + width), -1);
  }
  std::vector<int> days(n);
  std::vector<double> values(n);
  for (std::size_t i = 0; i < n; ++i) {
    days[i] = 45658 + 7 * static_cast<int>(i) + static_cast<int>(i % 3);
    values[i] = (i % 2 == 1 ? 1 : -1) * (100.0 + static_cast<double>(i % 7));
  }
  const auto alternating = fin::xirr(values, days, 0.1);
  ASSERT_TRUE(alternating.has_rate()) << alternating.message;
  for (const double root : alternating.roots) {
    const long double width = 1e-9L * std::fabs(root) + 1e-12L;
    EXPECT_NE(xnpv_sign(values, days, root - width), xnpv_sign(values, days, root + width)) << root;
  }
}

TEST(Xirr, RejectsADateBeforeTheFirstAndMismatchedSizes) {
  EXPECT_THROW(fin::xirr(std::vector<double>{-1, 2}, std::vector<int>{45000, 44000}), std::invalid_argument);
  EXPECT_THROW(fin::xirr(std::vector<double>{-1, 2}, std::vector<int>{45000}), std::invalid_argument);
}

TEST(Rate, IsTheIrrOfTheAnnuityFlows) {
  const double payment = fin::pmt(0.004, 60.0, 2.26e9);
  const auto result = fin::rate(60, payment, 2.26e9);
  ASSERT_TRUE(result.has_rate());
  EXPECT_NEAR(result.rate, 0.004, 1e-15);
  EXPECT_THROW(fin::rate(60.5, payment, 2.26e9), std::invalid_argument);
}

// RATE over a million periods: the answer is the rate the payment was built from, and each
// evaluation of NPV does not walk the periods (the flows of a whole number of months up to 10^7).
TEST(Rate, ManyPeriodsGiveTheRateThePaymentWasBuiltFrom) {
  for (const double periods : {1101.0, 5000.0, 1e6}) {
    for (const double type : {0.0, 1.0}) {
      const double payment = fin::pmt(0.001, periods, 1e6, -2e5, type);
      const auto result = fin::rate(periods, payment, 1e6, -2e5, type);
      ASSERT_EQ(result.status, fin::IrrStatus::unique) << periods << ": " << result.message;
      EXPECT_NEAR(result.rate, 0.001, 1e-13) << periods << " periods, type " << type;
    }
  }
  // Just above the explicit-flow limit, the closed form agrees with IRR of the flows themselves.
  const double payment = fin::pmt(-0.0005, 2000.0, 1e6, -3e6);
  std::vector<double> flows(2001, payment);
  flows.front() = 1e6;
  flows.back() += -3e6;
  const auto closed = fin::rate(2000, payment, 1e6, -3e6);
  const auto explicit_flows = fin::irr(flows);
  ASSERT_TRUE(closed.has_rate() && explicit_flows.has_rate()) << closed.message << explicit_flows.message;
  EXPECT_NEAR(closed.rate, explicit_flows.rate, 1e-14);
  EXPECT_NEAR(closed.rate, -0.0005, 1e-14);
}

// Found by fuzzing: 680,000 payments of 5 against -801,035 now and -8.01e101 at the end ran the
// scan over the flows for minutes. NPV is negative at every rate (5/r covers 801,035 only for
// r < 6.2e-6, where the final payment discounts to more than 1e99), so there is no rate.
TEST(Rate, AHugeFinalPaymentOverManyPeriodsHasNoRate) {
  const auto result = fin::rate(680000, 5, -801035, -801e99);
  EXPECT_EQ(result.status, fin::IrrStatus::no_root) << result.message;
  EXPECT_FALSE(result.message.empty());
  // Two roots (NPV positive between them) over many periods are both found.
  const double payment = 1000;  // 1e6 at 0.1% a period and 3e6 repaid after 20,000 periods
  const auto both = fin::rate(20000, payment, -1e6, -3e6);
  ASSERT_EQ(both.status, fin::IrrStatus::multiple_roots) << both.message;
  EXPECT_EQ(both.roots.size(), 2u);
  for (const double root : both.roots) {
    // NPV at the root in closed form, relative to the size of its terms: independent of the solver.
    const long double q = 1 / (1 + static_cast<long double>(root)), final_discount = std::pow(q, 20000.0L);
    const long double payments = payment * (1 - final_discount) / root;
    const long double npv = -1e6L + payments - 3e6L * final_discount;
    EXPECT_NEAR(static_cast<double>(npv / (1e6L + std::fabs(payments) + 3e6L * final_discount)), 0.0, 1e-9) << root;
  }
}

// Found by fuzzing: XIRR of 0.0977 after 55,296 days and -1.0e120 220 days later reported a root
// at 3.5e32, where the present values underflow even a long double, taken for NPV = 0. The one
// root is where 0.0977 (1+r)^(220/365) = 1.0e120.
TEST(Xirr, PresentValuesBelowTheLongDoublesKeepTheirSign) {
  const double small = 0.09765625000077038, large = -1.0025201300329382e+120;
  const std::vector<double> values{0.0, large, small};
  const std::vector<int> dates{45658, 45658 + 55516, 45658 + 55296};
  const auto result = fin::xirr(values, dates, 0.1);
  ASSERT_EQ(result.status, fin::IrrStatus::unique) << result.message;
  const double expected = std::expm1(std::log(-large / small) * 365.0 / 220.0);
  EXPECT_NEAR(result.rate / expected, 1.0, 1e-12) << result.rate;
}

// The same for periodic flows: 0.0977 at period 150 and -1e120 at 151 have their root at
// 1e120/0.0977 - 1, where (1+r)^-150 is far below the long doubles.
TEST(Irr, PresentValuesBelowTheLongDoublesKeepTheirSign) {
  const double small = 0.09765625000077038, large = -1.0025201300329382e+120;
  std::vector<double> flows(152, 0.0);
  flows[150] = small;
  flows[151] = large;
  const auto result = fin::irr(flows, 0.1);
  ASSERT_EQ(result.status, fin::IrrStatus::unique) << result.message;
  EXPECT_NEAR(result.rate / (-large / small - 1), 1.0, 1e-12) << result.rate;
}

}  // namespace

namespace {
// Sign changes of NPV on a fine grid of rates from -99% to +1000% (in log(1 + r)): an independent
// count of the roots that the solver's answer must agree with.
int grid_root_count(std::span<const double> values) {
  int count = 0, previous = 0;
  for (double s = std::log(0.01); s <= std::log(11.0); s += 5e-4) {
    const double rate = std::expm1(s);
    double value = 0;  // NPV times (1 + r)^(n-1): the same sign, no overflow
    for (const double flow : values) value = value * (1 + rate) + flow;
    const int sign = value > 0 ? 1 : (value < 0 ? -1 : 0);
    if (sign != 0 && previous != 0 && sign != previous) ++count;
    if (sign != 0) previous = sign;
  }
  return count;
}

TEST(Irr, LeaseFlowsWithSeveralSignChangesButOneRootAreSolvedAsUnique) {
  // Monthly rent with a tax payment at each year's end that exceeds the month's rent: the flows
  // change sign 9 times, yet there is one IRR.
  std::vector<double> flows{-1700.0};
  for (int m = 1; m < 60; ++m) flows.push_back(m % 12 == 11 ? -40.0 : 64.0);
  flows.back() += 133.0;
  const auto result = fin::irr(flows);
  ASSERT_EQ(result.status, fin::IrrStatus::unique) << result.message;
  EXPECT_EQ(grid_root_count(flows), 1);
  EXPECT_NEAR(relative_npv(flows, result.rate), 0.0, 1e-12);
}

TEST(Irr, RootCountsAgreeWithADenseScanOnRandomFlows) {
  std::mt19937_64 generator(20251123);
  std::uniform_real_distribution<double> amount(-1.0, 1.0);
  int unique = 0, several = 0;
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<double> flows(24);
    for (auto& flow : flows) flow = amount(generator);
    const auto result = fin::irr(flows);
    const int grid = grid_root_count(flows);
    if (result.status == fin::IrrStatus::unique) {
      ++unique;
      EXPECT_LE(grid, 1) << "trial " << trial;
      EXPECT_NEAR(relative_npv(flows, result.rate), 0.0, 1e-9);
    } else if (result.status == fin::IrrStatus::multiple_roots) {
      ++several;
      EXPECT_GE(static_cast<int>(result.roots.size()), std::min(grid, 2)) << "trial " << trial;
    } else {
      EXPECT_EQ(grid, 0) << "trial " << trial << ": " << result.message;
    }
  }
  EXPECT_GT(unique, 0);
  EXPECT_GT(several, 0);
}
}  // namespace
