// Money: the decimal type is exact where double is not, and rounding follows the stated rule.
#include <leasecalc/num/number_text.hpp>
#include <leasecalc/num/rounding.hpp>

#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace {
using leasecalc::num::Decimal;
using leasecalc::num::Rounding;
using leasecalc::num::from_string;
using leasecalc::num::round_cents;

Decimal dec(const char* s) { return from_string<Decimal>(s); }

TEST(Decimal, TenthsAddUpExactly) {
  Decimal sum = 0;
  for (int i = 0; i < 10; ++i) sum += dec("0.1");
  EXPECT_EQ(sum, Decimal(1));
  double d = 0;
  for (int i = 0; i < 10; ++i) d += 0.1;
  EXPECT_NE(d, 1.0);  // the reason the ledger is decimal
}

TEST(Decimal, HoldsAtLeast28SignificantDigits) {
  EXPECT_GE(std::numeric_limits<Decimal>::digits10, 28);
  const Decimal big = dec("2660000000.123456789012345678");
  EXPECT_EQ(big - dec("2660000000"), dec("0.123456789012345678"));
}

TEST(Decimal, FromDoubleUsesShortestRepresentation) {
  EXPECT_EQ(leasecalc::num::from_double<Decimal>(0.1), dec("0.1"));
  EXPECT_EQ(leasecalc::num::from_double<Decimal>(2.6e6), dec("2600000"));
  EXPECT_THROW(leasecalc::num::from_double<Decimal>(std::nan("")), std::domain_error);
}

TEST(Decimal, RejectsMalformedText) {
  EXPECT_THROW(from_string<Decimal>("2.6x"), std::invalid_argument);
  EXPECT_THROW(from_string<double>(""), std::invalid_argument);
}

TEST(Rounding, HalfEvenSendsTiesToTheEvenCent) {
  EXPECT_EQ(round_cents(dec("2.665"), Rounding::half_even), dec("2.66"));
  EXPECT_EQ(round_cents(dec("2.675"), Rounding::half_even), dec("2.68"));
  EXPECT_EQ(round_cents(dec("-2.665"), Rounding::half_even), dec("-2.66"));
  EXPECT_EQ(round_cents(dec("2.6651"), Rounding::half_even), dec("2.67"));
}

TEST(Rounding, HalfUpSendsTiesAwayFromZero) {
  EXPECT_EQ(round_cents(dec("2.665"), Rounding::half_up), dec("2.67"));
  EXPECT_EQ(round_cents(dec("-2.665"), Rounding::half_up), dec("-2.67"));
  EXPECT_EQ(round_cents(dec("2.6649"), Rounding::half_up), dec("2.66"));
}

TEST(Rounding, DoubleRoundsTheScaledValueAsSpreadsheetsDo) {
  // 2.675 is 2.67499999999999982... in binary, but 2.675 * 100 rounds to exactly 267.5, so the
  // double path gives 2.68, the answer of the spreadsheet ROUND(2.675, 2).
  EXPECT_EQ(round_cents(2.675, Rounding::half_up), 2.68);
  EXPECT_EQ(round_cents(0.125, Rounding::half_even), 0.12);  // an exact binary tie
  EXPECT_EQ(round_cents(0.125, Rounding::half_up), 0.13);
}

// Booking rounds with an addition trick instead of a libm call: it must be nearbyint exactly.
TEST(Rounding, NearestEvenIsNearbyintBitForBit) {
  std::vector<double> values = {0.0, -0.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.49999999999999994, -0.49999999999999994,
                                0x1p51, -0x1p51, 0x1p51 - 0.5, -(0x1p51 - 0.5), 0x1p52 + 1, 0x1p53 + 2, 1e300, -1e300,
                                std::numeric_limits<double>::denorm_min(), -std::numeric_limits<double>::denorm_min(),
                                std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()};
  std::mt19937_64 random(20261201);
  for (int i = 0; i < 200000; ++i) {
    const double magnitude = std::ldexp(1.0, static_cast<int>(random() % 120) - 60);  // 2^-60 .. 2^59
    const double x = (static_cast<double>(random() >> 11) * 0x1p-53 - 0.5) * magnitude;
    values.push_back(x);
    values.push_back(std::nearbyint(x * 4) / 4);  // quarters: many exact ties
  }
  for (const double x : values) {
    const double expected = std::nearbyint(x), got = leasecalc::num::nearest_even(x);
    ASSERT_EQ(std::bit_cast<std::uint64_t>(got), std::bit_cast<std::uint64_t>(expected)) << x;
  }
  EXPECT_TRUE(std::isnan(leasecalc::num::nearest_even(std::numeric_limits<double>::quiet_NaN())));
}

TEST(Decimal, TimesPowerOfTenIsTheExactShift) {
  // Written out as text, the shift is a move of the decimal point: "123.45e-9" read by Boost is
  // the exact value, which the scaling must equal (and undo), whatever the digits and the power.
  std::mt19937_64 random(20261202);
  for (int i = 0; i < 20000; ++i) {
    const int digits = 1 + static_cast<int>(random() % 26), exponent = static_cast<int>(random() % 61) - 30;
    std::string mantissa = random() % 2 ? "-" : "";
    for (int d = 0; d < digits; ++d) mantissa += static_cast<char>('0' + (d == 0 ? 1 + random() % 9 : random() % 10));
    const int point = static_cast<int>(random() % static_cast<unsigned>(digits + 1));
    mantissa.insert(mantissa.size() - static_cast<std::size_t>(point), ".");
    const Decimal value = dec(mantissa.c_str());
    const Decimal scaled = leasecalc::num::times_power_of_ten(value, exponent);
    ASSERT_EQ(scaled, Decimal((mantissa + "e" + std::to_string(exponent)).c_str())) << mantissa << "e" << exponent;
    ASSERT_EQ(leasecalc::num::times_power_of_ten(scaled, -exponent), value) << mantissa << "e" << exponent;
  }
}

TEST(Rounding, CentsSumOfRoundedPartsIsExactInDecimal) {
  // Split 1,000,000.00 into 7 equal parts; the rounded parts plus the remainder give it back.
  const Decimal total = dec("1000000");
  const Decimal part = round_cents(total / 7);
  const Decimal last = total - part * 6;
  EXPECT_EQ(part * 6 + last, total);
  EXPECT_EQ(round_cents(last), last);
}
}  // namespace

namespace {
TEST(Decimal, ToDoubleIsCorrectlyRoundedForShortDecimals) {
  for (const char* text : {"0.1", "0.608", "62663", "2600000", "2.6e9", "0.0045", "-1234.57", "0.13",
                           "1e-12", "9.99999999999999e20", "0.000001", "123456789.012345"})
    EXPECT_EQ(leasecalc::num::to_double(dec(text)), std::stod(text)) << text;
}

// Decimals of one to fifteen significant digits (every cent amount below 10^13), the first digit's
// power of ten from -6 to 16 (rates to amounts): the double strtod reads from the same text, which
// is correctly rounded.
TEST(Decimal, ToDoubleIsStrtodsReadingOfTheSameText) {
  std::mt19937_64 generator(5);
  for (int i = 0; i < 20000; ++i) {
    const int digits = 1 + static_cast<int>(generator() % 15);
    std::string text = generator() % 2 ? "-" : "";
    for (int d = 0; d < digits; ++d)
      text += static_cast<char>('0' + (d == 0 ? 1 + generator() % 9 : generator() % 10));
    const int first_digit_power = static_cast<int>(generator() % 23) - 6;
    text += "e" + std::to_string(first_digit_power - (digits - 1));
    ASSERT_EQ(leasecalc::num::to_double(dec(text.c_str())), std::strtod(text.c_str(), nullptr)) << text;
  }
}

TEST(Decimal, ToDoubleOfLongValuesIsWithinAnUlpOfBoost) {
  const Decimal third = Decimal(1) / 3;
  for (const Decimal& value : {third, third * dec("1e25"), Decimal(2) / 7 * dec("1e-30"), -third * 1000,
                               dec("1.23456789012345678901234567"), dec("98765432109876543210.5")}) {
    const double expected = value.convert_to<double>();
    EXPECT_NEAR(leasecalc::num::to_double(value), expected, std::abs(expected) * 2.3e-16);
  }
  EXPECT_EQ(leasecalc::num::to_double(Decimal(0)), 0.0);
}
TEST(Decimal, ToDoubleOfLongValuesIsBoostsOwn) {
  // Values of more than 17 significant digits (products of two 12-digit numbers ending in 1, 3, 7
  // or 9, quotients, exponentials) and ties at the 19th digit, to which Boost rounds to even: the
  // same double as Boost's conversion through text, bit for bit.
  std::mt19937_64 generator(12);
  const auto twelve_digits = [&] {
    const char last[] = {'1', '3', '7', '9'};
    std::string text = std::to_string(100000000000ULL + generator() % 900000000000ULL);
    text.back() = last[generator() % 4];
    return dec((text + "e" + std::to_string(static_cast<int>(generator() % 24) - 18)).c_str());
  };
  std::vector<Decimal> values;
  for (int i = 0; i < 2000; ++i) {
    values.push_back(twelve_digits() * twelve_digits());
    values.push_back(-twelve_digits() / twelve_digits());
    values.push_back(boost::multiprecision::exp(-Decimal(i % 97) / 12 * dec("0.3")) * dec("0.9") + dec("0.1"));
  }
  for (const char* text : {"1234567890123456788.5e-10", "1234567890123456789.5e-10", "1234567890123456788.5000000001",
                           "-9999999999999999999.5e-3", "9999999999999999999.49999999e-20"})
    values.push_back(dec(text));
  for (const Decimal& value : values) {
    const double expected = value.convert_to<double>();
    ASSERT_EQ(leasecalc::num::to_double(value), expected) << value.str(40, std::ios_base::scientific);
  }
}

TEST(Decimal, FromDoubleIsBoostsReadingOfTheShortestText) {
  // Built from the limbs, the decimal is the one Boost reads from the double's shortest text.
  std::mt19937_64 generator(7);
  std::vector<double> values{0.0, -0.0, 0.1, -0.0125, 2.6e6, 1e-7, 1e22, 123456789012345678.0, 5e-324, 1.7976931348623157e308};
  for (int i = 0; i < 3000; ++i) {
    values.push_back(std::ldexp(static_cast<double>(generator() >> 11), static_cast<int>(generator() % 120) - 100));
    values.push_back(-static_cast<double>(generator() % 1000000) / 100);
  }
  for (const double value : values) {
    char text[32];
    const auto written = std::to_chars(text, text + sizeof text, value);
    const Decimal read(std::string(text, written.ptr));
    const Decimal built = leasecalc::num::from_double<Decimal>(value);
    ASSERT_EQ(built, read) << text;
    ASSERT_EQ(built.str(40, std::ios_base::scientific), read.str(40, std::ios_base::scientific)) << text;
  }
}

// ---- the number grammar ----------------------------------------------------------------------

using leasecalc::num::NumberTextError;
using leasecalc::num::parse_quantity;
using leasecalc::num::Suffixes;

Decimal exact(const char* text, Suffixes accepted) { return leasecalc::num::to_decimal(parse_quantity(text, accepted)); }
double nearest(const char* text, Suffixes accepted) { return leasecalc::num::to_double(parse_quantity(text, accepted)); }

TEST(NumberText, PlainPercentAndScale) {
  const Suffixes all{.percent = true, .scale = true};
  EXPECT_EQ(exact(" 1,024 ", {}), dec("1024"));
  EXPECT_EQ(exact("7.5%", all), dec("0.075"));
  EXPECT_EQ(exact("250 bp", all), dec("0.025"));
  EXPECT_EQ(exact("100M", all), dec("100000000"));
  EXPECT_EQ(exact("26.6亿", all), dec("2660000000"));
  EXPECT_EQ(exact("1.2万亿", all), dec("1200000000000"));
  EXPECT_EQ(exact("-2.5e3", {}), dec("-2500"));
  EXPECT_EQ(exact("+3", {}), dec("3"));
}

// The double is the one nearest the written value, not a product of two roundings.
TEST(NumberText, DoublesAreCorrectlyRounded) {
  const Suffixes all{.percent = true, .scale = true};
  EXPECT_EQ(nearest("0.625%", all), 0.00625);
  EXPECT_EQ(nearest("0.07%", all), 0.0007);  // 0.07 / 100 in double is 0.0007000000000000001
  EXPECT_EQ(nearest("2.26e9", {}), 2.26e9);
  EXPECT_EQ(nearest("1.1e-3%", all), 1.1e-5);
  EXPECT_EQ(nearest("2.66亿", all), 266000000.0);
  EXPECT_THROW(nearest("1e400", {}), NumberTextError);
}

TEST(NumberText, RejectsWhatItDoesNotAccept) {
  const Suffixes all{.percent = true, .scale = true};
  for (const char* bad : {"+-100", "-+1", "", "%", ".5", "5.", "1,00", "1.2.3", "5%%", "100m", "5 USD", "inf", "nan"})
    EXPECT_THROW(parse_quantity(bad, all), NumberTextError) << bad;
  EXPECT_THROW(parse_quantity("5%", {}), NumberTextError);
  EXPECT_THROW(parse_quantity("5M", {.percent = true}), NumberTextError);
  EXPECT_THROW(parse_quantity("5%", {.scale = true}), NumberTextError);
  try {
    parse_quantity("5%", {});
  } catch (const NumberTextError& error) {
    EXPECT_EQ(error.note(), "a plain number takes no unit or scale");
  }
}

}  // namespace

namespace {
TEST(DecimalText, BookedCentsAndRatesAreWrittenAsGiven) {
  using leasecalc::num::to_text;
  EXPECT_EQ(to_text(181545015.73), "181545015.73");  // %.17g writes 181545015.72999999
  EXPECT_EQ(to_text(0.08), "0.08");                  // %.17g writes 0.080000000000000002
  EXPECT_EQ(to_text(-2662400000.0), "-2662400000");
  EXPECT_EQ(to_text(-0.0), "0");
  EXPECT_EQ(to_text(1e-7), "0.0000001");
  EXPECT_THROW(to_text(std::nan("")), std::domain_error);
}

TEST(DecimalText, EveryCentAmountBelowTenTrillionComesBackAsBooked) {
  // Cent amounts of every length up to 15 significant digits, through double and back to text.
  std::uint64_t state = 42;
  for (int i = 0; i < 20000; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    const long long cents = static_cast<long long>((state >> 11) % 1000000000000000ULL) >> (i % 40);
    const Decimal booked = Decimal(cents) / 100 * (i % 2 ? 1 : -1);
    const std::string text = leasecalc::num::to_text(leasecalc::num::to_double(booked));
    ASSERT_EQ(from_string<Decimal>(text), booked) << text;
  }
}
}  // namespace
