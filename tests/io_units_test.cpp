// Quantities as written in model files: every accepted form, exactness, and the wording of errors.
#include <leasecalc/io/units.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

using leasecalc::io::Money;
using leasecalc::io::ParseError;
using leasecalc::deal::Price;
using leasecalc::deal::PriceUnit;
using leasecalc::num::Decimal;
namespace io = leasecalc::io;

Decimal dec(const char* text) { return Decimal(text); }

// The message of the ParseError that `parse` throws, or a marker when it throws none.
template <class Parse>
std::string error_of(Parse parse) {
  try {
    parse();
  } catch (const ParseError& error) {
    return error.what();
  }
  return "(no error)";
}

// ---- amounts of money --------------------------------------------------------------------------

TEST(ParseMoney, ScalesAndCurrencies) {
  EXPECT_EQ(io::parse_money("2.6M CNY"), (Money{dec("2600000"), "CNY"}));
  EXPECT_EQ(io::parse_money("26.6亿 CNY"), (Money{dec("2660000000"), "CNY"}));
  EXPECT_EQ(io::parse_money("26.6亿"), (Money{dec("2660000000"), ""}));
  EXPECT_EQ(io::parse_money("26.6亿CNY"), (Money{dec("2660000000"), "CNY"}));
  EXPECT_EQ(io::parse_money("1.6 亿 CNY"), (Money{dec("160000000"), "CNY"}));
  EXPECT_EQ(io::parse_money("150 万"), (Money{dec("1500000"), ""}));
  EXPECT_EQ(io::parse_money("2,600,000 CNY"), (Money{dec("2600000"), "CNY"}));
  EXPECT_EQ(io::parse_money("11.9bn USD"), (Money{dec("11900000000"), "USD"}));
  EXPECT_EQ(io::parse_money("11.9 Bn USD"), (Money{dec("11900000000"), "USD"}));
  EXPECT_EQ(io::parse_money("2.3B USD"), (Money{dec("2300000000"), "USD"}));
  EXPECT_EQ(io::parse_money("184 USD"), (Money{dec("184"), "USD"}));
  EXPECT_EQ(io::parse_money("-5k USD"), (Money{dec("-5000"), "USD"}));
  EXPECT_EQ(io::parse_money("5K EUR"), (Money{dec("5000"), "EUR"}));
  EXPECT_EQ(io::parse_money("2600000"), (Money{dec("2600000"), ""}));
  EXPECT_EQ(io::parse_money("  42.50 USD  "), (Money{dec("42.5"), "USD"}));
  EXPECT_EQ(io::parse_money("1.2万亿 CNY"), (Money{dec("1200000000000"), "CNY"}));
  EXPECT_EQ(io::parse_money("3億"), (Money{dec("300000000"), ""}));
  EXPECT_EQ(io::parse_money("2.5e6 USD"), (Money{dec("2500000"), "USD"}));
  EXPECT_EQ(io::parse_money("5EUR"), (Money{dec("5"), "EUR"}));  // not an exponent: no digits follow
}

TEST(ParseMoney, IsExactWhereDoubleIsNot) {
  // The digits are read as text and scaled in decimal: no binary rounding anywhere.
  const Money yi = io::parse_money("26.6亿 CNY");
  EXPECT_EQ(yi.amount.str(), "2660000000");
  // In double, 2.3 * 1e8 is 229999999.99999997 and 0.57 * 1e4 is 5699.999999999999.
  EXPECT_NE(2.3 * 1e8, 230000000.0);
  EXPECT_EQ(io::parse_money("2.3亿").amount.str(), "230000000");
  EXPECT_EQ(io::parse_money("0.57万").amount.str(), "5700");
  EXPECT_EQ(io::parse_money("8.2M").amount.str(), "8200000");
  EXPECT_EQ(io::parse_money("0.1M").amount + io::parse_money("0.2M").amount, dec("300000"));
  const Money cents = io::parse_money("1,234,567,890,123.45 CNY");
  EXPECT_EQ(cents.amount - dec("1234567890123"), dec("0.45"));
}

TEST(ParseMoney, RejectsAmbiguousAndMalformedText) {
  EXPECT_EQ(error_of([] { io::parse_money("2.6 XX"); }),
            R"(expected an amount of money such as "2.6M CNY" or "26.6亿 CNY", got "2.6 XX" ()"
            R"("XX" is neither a scale (k, M, bn, B, 万, 亿) nor a currency code (three upper-case letters such as CNY)))");
  EXPECT_NE(error_of([] { io::parse_money("2.6m CNY"); }).find("write M for million"), std::string::npos);
  EXPECT_NE(error_of([] { io::parse_money("2.6mm"); }).find("write M for million"), std::string::npos);
  EXPECT_NE(error_of([] { io::parse_money("100 usd"); }).find("three upper-case letters"), std::string::npos);
  EXPECT_NE(error_of([] { io::parse_money("150万元"); }).find("CNY instead of 元"), std::string::npos);
  EXPECT_NE(error_of([] { io::parse_money("2,60,000"); }).find("groups of three digits"), std::string::npos);
  EXPECT_NE(error_of([] { io::parse_money("2,6 CNY"); }).find("groups of three digits"), std::string::npos);
  EXPECT_NE(error_of([] { io::parse_money("2600,000"); }).find("groups of three digits"), std::string::npos);
  EXPECT_NE(error_of([] { io::parse_money("2. CNY"); }).find("followed by digits"), std::string::npos);
  EXPECT_NE(error_of([] { io::parse_money("5 USD CNY"); }).find("unexpected \"CNY\""), std::string::npos);
  EXPECT_NE(error_of([] { io::parse_money("2.6MCNY"); }).find("\"MCNY\""), std::string::npos);
  EXPECT_NE(error_of([] { io::parse_money("12345678901234567890123456789012345"); }).find("34 significant digits"),
            std::string::npos);
  EXPECT_THROW(io::parse_money(""), ParseError);
  EXPECT_THROW(io::parse_money("USD 5"), ParseError);
  EXPECT_THROW(io::parse_money("k"), ParseError);
  EXPECT_THROW(io::parse_money("1e999 USD"), ParseError);
}

TEST(ParseMoney, ErrorExposesItsParts) {
  try {
    io::parse_money("2.6m");
    FAIL() << "no error";
  } catch (const ParseError& error) {
    EXPECT_EQ(error.expected(), R"(an amount of money such as "2.6M CNY" or "26.6亿 CNY")");
    EXPECT_EQ(error.text(), "2.6m");
    EXPECT_EQ(error.note(), "write M for million: a lower-case m could mean milli or million");
  }
}

TEST(ParseCurrency, ThreeUpperCaseLetters) {
  EXPECT_EQ(io::parse_currency("CNY"), "CNY");
  EXPECT_EQ(io::parse_currency(" USD "), "USD");
  EXPECT_THROW(io::parse_currency("usd"), ParseError);
  EXPECT_THROW(io::parse_currency("US"), ParseError);
  EXPECT_THROW(io::parse_currency("USDT"), ParseError);
  EXPECT_THROW(io::parse_currency("USD EUR"), ParseError);
}

// ---- percentages -------------------------------------------------------------------------------

TEST(ParsePercent, PercentAndBasisPoints) {
  EXPECT_EQ(io::parse_percent("4.5%"), dec("0.045"));
  EXPECT_EQ(io::parse_percent("4.5 %"), dec("0.045"));
  EXPECT_EQ(io::parse_percent("4.5％"), dec("0.045"));
  EXPECT_EQ(io::parse_percent("250bp"), dec("0.025"));
  EXPECT_EQ(io::parse_percent("250 bps"), dec("0.025"));
  EXPECT_EQ(io::parse_percent("-3%"), dec("-0.03"));
  EXPECT_EQ(io::parse_percent("100%"), dec("1"));
  EXPECT_EQ(io::parse_percent("0.1%").str(), "0.001");
  EXPECT_EQ(io::parse_percent("0.07%").str(), "0.0007");  // 0.07 / 100 in double is 0.0007000000000000001
}

// One grammar with the command line: a plain number below 1 in size is the fraction itself.
TEST(ParsePercent, APlainFractionIsTheRate) {
  EXPECT_EQ(io::parse_percent("0.15"), dec("0.15"));
  EXPECT_EQ(io::parse_percent("-0.025"), dec("-0.025"));
  EXPECT_EQ(io::parse_percent("0"), Decimal(0));
  EXPECT_NE(error_of([] { io::parse_percent("1"); }).find("a bare 5 could mean 5 or 5%"), std::string::npos);
  EXPECT_NE(error_of([] { io::parse_percent("-2.5"); }).find("a bare 5 could mean 5 or 5%"), std::string::npos);
}

TEST(ParseNumbers, ASecondSignIsNotANumber) {
  EXPECT_THROW(io::parse_number("+-100"), ParseError);
  EXPECT_THROW(io::parse_number("-+100"), ParseError);
  EXPECT_THROW(io::parse_percent("+-5%"), ParseError);
  EXPECT_THROW(io::parse_money("+-5M CNY"), ParseError);
  EXPECT_EQ(io::parse_number("+100"), dec("100"));
}

TEST(ParsePercent, BareNumberIsAmbiguous) {
  EXPECT_EQ(error_of([] { io::parse_percent("5"); }),
            R"(expected a percentage such as "4.5%" or "250bp", got "5" )"
            R"((write the unit, as in 5% or 500bp: a bare 5 could mean 5 or 5%))");
  EXPECT_NE(error_of([] { io::parse_percent("5 pct"); }).find("\"pct\" is not a percentage unit"), std::string::npos);
  EXPECT_THROW(io::parse_percent("5%%"), ParseError);
  EXPECT_THROW(io::parse_percent("%"), ParseError);
}

// ---- durations ---------------------------------------------------------------------------------

TEST(ParseMonths, MonthsAndYears) {
  EXPECT_EQ(io::parse_months("60 months"), 60);
  EXPECT_EQ(io::parse_months("18 month"), 18);
  EXPECT_EQ(io::parse_months("5 years"), 60);
  EXPECT_EQ(io::parse_months("1 year"), 12);
  EXPECT_EQ(io::parse_months("2.5 years"), 30);
  EXPECT_EQ(io::parse_months("0 months"), 0);
  EXPECT_EQ(io::parse_months("36months"), 36);
  EXPECT_EQ(io::parse_months("3 Years"), 36);
}

TEST(ParseMonths, RejectsFractionsBareNumbersAndNegatives) {
  EXPECT_NE(error_of([] { io::parse_months("1.5 months"); }).find("not a whole number of months"), std::string::npos);
  EXPECT_NE(error_of([] { io::parse_months("1.1 years"); }).find("not a whole number of months"), std::string::npos);
  EXPECT_EQ(error_of([] { io::parse_months("60"); }),
            R"(expected a duration such as "60 months" or "5 years", got "60" (write the unit, months or years))");
  EXPECT_NE(error_of([] { io::parse_months("-1 year"); }).find("cannot be negative"), std::string::npos);
  EXPECT_NE(error_of([] { io::parse_months("3 weeks"); }).find("\"weeks\" is not a unit of duration"),
            std::string::npos);
  EXPECT_THROW(io::parse_months("9999999999 years"), ParseError);
}

// ---- prices ------------------------------------------------------------------------------------

TEST(ParsePrice, ValueCurrencyAndUnit) {
  EXPECT_EQ(io::parse_price("2.99 USD/GPU-hour"), (Price{dec("2.99"), PriceUnit::gpu_hour, "USD"}));
  EXPECT_EQ(io::parse_price("66000 CNY/server-month"), (Price{dec("66000"), PriceUnit::server_month, "CNY"}));
  EXPECT_EQ(io::parse_price("184 USD/kW-month"), (Price{dec("184"), PriceUnit::kw_month, "USD"}));
  EXPECT_EQ(io::parse_price("0.65 CNY/kWh"), (Price{dec("0.65"), PriceUnit::kwh, "CNY"}));
  EXPECT_EQ(io::parse_price("30000 CNY/rack-month"), (Price{dec("30000"), PriceUnit::rack_month, "CNY"}));
  EXPECT_EQ(io::parse_price("6.6万 CNY/server-month"), (Price{dec("66000"), PriceUnit::server_month, "CNY"}));
  EXPECT_EQ(io::parse_price("2.99/GPU-hour"), (Price{dec("2.99"), PriceUnit::gpu_hour, ""}));
  EXPECT_EQ(io::parse_price("2.99 USD / gpu-hour"), (Price{dec("2.99"), PriceUnit::gpu_hour, "USD"}));
  EXPECT_EQ(io::parse_price("25k USD/GPU"), (Price{dec("25000"), PriceUnit::gpu, "USD"}));
  EXPECT_EQ(io::parse_price("80 USD/MWh"), (Price{dec("80"), PriceUnit::mwh, "USD"}));
}

TEST(ParsePrice, EveryUnitRoundTripsThroughItsSpelling) {
  for (int index = 0; index <= static_cast<int>(PriceUnit::year); ++index) {
    const auto unit = static_cast<PriceUnit>(index);
    const std::string text = "1 USD/" + std::string(leasecalc::deal::to_string(unit));
    EXPECT_EQ(io::parse_price(text).unit, unit) << text;
  }
}

TEST(ParsePrice, RejectsMissingOrUnknownUnits) {
  EXPECT_NE(error_of([] { io::parse_price("2.99 USD"); }).find("after a slash"), std::string::npos);
  const std::string unknown = error_of([] { io::parse_price("2.99 USD/GPU-hr"); });
  EXPECT_NE(unknown.find(R"(unknown unit "GPU-hr"; did you mean "GPU-hour"?)"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("GPU-month"), std::string::npos);  // lists the accepted units
  EXPECT_NE(error_of([] { io::parse_price("1 USD/GPU/hour"); }).find("one slash"), std::string::npos);
  EXPECT_NE(error_of([] { io::parse_price("2.99m USD/GPU-hour"); }).find("write M for million"), std::string::npos);
  EXPECT_THROW(io::parse_price("USD/GPU-hour"), ParseError);
}

// ---- power -------------------------------------------------------------------------------------

TEST(ParsePower, ToKilowatts) {
  EXPECT_EQ(io::parse_power_kw("10.2 kW"), dec("10.2"));
  EXPECT_EQ(io::parse_power_kw("700 W"), dec("0.7"));
  EXPECT_EQ(io::parse_power_kw("72 MW"), dec("72000"));
  EXPECT_EQ(io::parse_power_kw("5KW"), dec("5"));
  EXPECT_NE(error_of([] { io::parse_power_kw("10.2"); }).find("write the unit: W, kW or MW"), std::string::npos);
  EXPECT_NE(error_of([] { io::parse_power_kw("10 mW"); }).find("\"mW\" is not a unit of power"), std::string::npos);
  EXPECT_THROW(io::parse_power_kw("10 kWh"), ParseError);
}

// ---- plain numbers, counts, dates, booleans ----------------------------------------------------

TEST(ParseNumber, PlainNumbersOnly) {
  EXPECT_EQ(io::parse_number("1024"), dec("1024"));
  EXPECT_EQ(io::parse_number("1.17"), dec("1.17"));
  EXPECT_EQ(io::parse_number("-3"), dec("-3"));
  EXPECT_EQ(io::parse_number("1,024"), dec("1024"));
  EXPECT_EQ(io::parse_number("2.5e3"), dec("2500"));
  EXPECT_NE(error_of([] { io::parse_number("5%"); }).find("takes no unit or scale"), std::string::npos);
  EXPECT_THROW(io::parse_number("1.2.3"), ParseError);
  EXPECT_THROW(io::parse_number("abc"), ParseError);
  EXPECT_THROW(io::parse_number(".5"), ParseError);
}

TEST(ParseCount, WholeAndNotNegative) {
  EXPECT_EQ(io::parse_count("1024"), 1024);
  EXPECT_EQ(io::parse_count("0"), 0);
  EXPECT_EQ(io::parse_count("10,240"), 10240);
  EXPECT_EQ(error_of([] { io::parse_count("1024.5"); }),
            R"(expected a whole number such as "1024", got "1024.5" (not a whole number))");
  EXPECT_NE(error_of([] { io::parse_count("-1"); }).find("cannot be negative"), std::string::npos);
  EXPECT_NE(error_of([] { io::parse_count("1e3"); }).find("not a whole number"), std::string::npos);
  EXPECT_NE(error_of([] { io::parse_count("3000000000"); }).find("out of range"), std::string::npos);
  EXPECT_THROW(io::parse_count("12 servers"), ParseError);
}

TEST(ParseDate, IsoCalendarDates) {
  EXPECT_EQ(io::parse_date("2025-03-01"), boost::gregorian::date(2025, 3, 1));
  EXPECT_EQ(io::parse_date("2024-02-29"), boost::gregorian::date(2024, 2, 29));
  EXPECT_NE(error_of([] { io::parse_date("2025-02-29"); }).find("no such day"), std::string::npos);
  EXPECT_NE(error_of([] { io::parse_date("2025-13-01"); }).find("no such day"), std::string::npos);
  EXPECT_EQ(error_of([] { io::parse_date("2025/03/01"); }),
            R"(expected a date such as "2025-03-01" (YYYY-MM-DD), got "2025/03/01")");
  EXPECT_THROW(io::parse_date("2025-3-1"), ParseError);
  EXPECT_THROW(io::parse_date("1399-01-01"), ParseError);
}

TEST(ParseBool, TrueOrFalseOnly) {
  EXPECT_TRUE(io::parse_bool("true"));
  EXPECT_TRUE(io::parse_bool("True"));
  EXPECT_FALSE(io::parse_bool("false"));
  EXPECT_FALSE(io::parse_bool("FALSE"));
  EXPECT_THROW(io::parse_bool("yes"), ParseError);
  EXPECT_THROW(io::parse_bool("no"), ParseError);
  EXPECT_THROW(io::parse_bool("1"), ParseError);
}

}  // namespace
