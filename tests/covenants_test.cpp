// Covenant tests: values and headroom against a hand computation on a 12-month deal, the first
// breach at its date, the DSCR test agreeing with the yearly DSCR metric, a loan that outlives its
// contracts, and every writer of `run` carrying every test.

#include "leasecalc/engine/covenants.hpp"
#include "leasecalc/engine/metrics.hpp"
#include "leasecalc/engine/project.hpp"
#include "leasecalc/report/run_report.hpp"
#include "support/deals.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sstream>
#include <string>

namespace {

using namespace leasecalc;
using test::dec;

// 10 servers bought for 1M each at the start; two take-or-pay contracts for months 0-8 (6 servers
// at 100,000 and 4 at 50,000 a server-month, billed monthly in advance: 800,000 received each
// month), nothing in months 9-11; a 6M loan at 12% (1% a month under 30/360) drawn at the end of
// month 0, straight line over 12 months (500,000 principal a month from month 1; the twelfth
// instalment would fall after the horizon, so the sale repays it in month 11); no costs, tax or VAT. The fleet is worth 1 - 5% a month
// of age of its cost. Covenants tested quarterly on each quarter alone, from month 2.
deal::Deal hand_deal() {
  deal::Deal d = test::minimal_deal();
  d.horizon_months = 12;
  d.contracts.clear();
  deal::TakeOrPay anchor;
  anchor.name = "anchor";
  anchor.servers = 6;
  anchor.price = {dec("100000"), deal::PriceUnit::server_month};
  anchor.start = d.start;
  anchor.term_months = 9;
  deal::TakeOrPay second = anchor;
  second.name = "second";
  second.servers = 4;
  second.price = {dec("50000"), deal::PriceUnit::server_month};
  d.contracts = {anchor, second};
  deal::DebtTranche loan;
  loan.name = "term loan";
  loan.amount = dec("6000000");
  loan.annual_rate = dec("0.12");
  loan.term_months = 12;
  loan.amortisation = deal::Amortisation::straight_line;
  d.debt = {loan};
  d.assets.book = {deal::StraightLine{}, 12, 0};
  d.assets.tax = d.assets.book;
  d.assets.residual = deal::ResidualCurve{deal::Curve{{{0, dec("1")}, {12, dec("0.4")}}}};
  d.covenants.frequency = time::Frequency::quarterly;
  d.covenants.look_back = deal::CovenantLookBack::test_period;
  d.covenants.minimum_dscr = dec("1.40");
  d.covenants.maximum_ltv = dec("0.5");
  d.covenants.minimum_contract_fulfilment = dec("1.0");
  d.covenants.maximum_customer_share = dec("0.8");
  return d;
}

// The loan by hand: the payment at the end of month k >= 1 carries 1% interest on the balance
// before it, 6M - 500,000 (k - 1), and 500,000 of principal; the rest, 500,000, is repaid from the
// sale in month 11.
double interest_in(int k) { return k == 0 ? 0.0 : 0.01 * (6'000'000.0 - 500'000.0 * (k - 1)); }
double service_in(int k) { return k == 0 ? 0.0 : 500'000.0 + interest_in(k); }
constexpr double repaid_from_the_sale = 500'000.0;
double revenue_in(int k) { return k < 9 ? 800'000.0 : 0.0; }

const engine::CovenantTestResult& result_of(const engine::CovenantReport& report, engine::CovenantTest test) {
  for (const auto& result : report.tests)
    if (result.test == test) return result;
  throw std::logic_error("test not in the report");
}

TEST(Covenants, ValuesAndHeadroomMatchAHandComputationOnEachQuarter) {
  const deal::Deal deal = hand_deal();
  const auto ledger = engine::project<num::Decimal>(deal);
  const engine::CovenantReport report = engine::covenant_report(deal, ledger);
  ASSERT_EQ(report.test_months, (std::vector<int>{2, 5, 8, 11}));
  ASSERT_EQ(report.tests.size(), 4u);

  const auto& dscr = result_of(report, engine::CovenantTest::minimum_dscr);
  const auto& ltv = result_of(report, engine::CovenantTest::maximum_ltv);
  const auto& fulfilment = result_of(report, engine::CovenantTest::minimum_contract_fulfilment);
  const auto& share = result_of(report, engine::CovenantTest::maximum_customer_share);
  for (std::size_t q = 0; q < 4; ++q) {
    const int end = report.test_months[q], first = end - 2;
    double available = 0, service = 0, backlog = 0, owed = 0;
    for (int k = first; k <= end; ++k) {
      available += revenue_in(k);
      service += service_in(k);
    }
    for (int k = end + 1; k < 12; ++k) {
      backlog += revenue_in(k);
      owed += service_in(k);
    }
    if (end < 11) owed += repaid_from_the_sale;
    SCOPED_TRACE("quarter ending month " + std::to_string(end));
    // DSCR: the quarter's receipts over its interest and principal.
    ASSERT_TRUE(dscr.observations[q].value);
    EXPECT_NEAR(*dscr.observations[q].value, available / service, 1e-12);
    EXPECT_NEAR(*dscr.observations[q].headroom, available / service / 1.40 - 1, 1e-12);
    EXPECT_EQ(dscr.observations[q].breached, available / service < 1.40);
    // LTV: the balance after the quarter's repayments over the fleet at its age (end + 1 months).
    const double debt = end < 11 ? 6'000'000.0 - 500'000.0 * end : 0.0;  // the sale repays the rest
    const double fleet = 10'000'000.0 * (1 - 0.05 * (end + 1));
    ASSERT_TRUE(ltv.observations[q].value);
    EXPECT_NEAR(*ltv.observations[q].value, debt / fleet, 1e-12);
    EXPECT_NEAR(*ltv.observations[q].headroom, 1 - debt / fleet / 0.5, 1e-12);
    // Contract fulfilment: the revenue still to be earned over what is still owed.
    if (owed > 0) {
      ASSERT_TRUE(fulfilment.observations[q].value);
      EXPECT_NEAR(*fulfilment.observations[q].value, backlog / owed, 1e-12);
      EXPECT_NEAR(*fulfilment.observations[q].headroom, backlog / owed - 1, 1e-12);
    } else {
      EXPECT_FALSE(fulfilment.observations[q].value);
      EXPECT_EQ(fulfilment.observations[q].note, "nothing left owed after the date");
    }
    // Largest customer: the anchor's 600,000 of the 800,000 a month, while there is revenue.
    if (available > 0) {
      ASSERT_TRUE(share.observations[q].value);
      EXPECT_NEAR(*share.observations[q].value, 0.75, 1e-12);
      EXPECT_NEAR(*share.observations[q].headroom, 1 - 0.75 / 0.8, 1e-12);
      EXPECT_EQ(share.observations[q].note, "anchor");
    } else {
      EXPECT_FALSE(share.observations[q].value);
    }
  }
}

TEST(Covenants, TheFirstBreachAndTheLeastHeadroomFallOnTheirDates) {
  const deal::Deal deal = hand_deal();
  const engine::CovenantReport report = engine::covenant_report(deal, engine::project<num::Decimal>(deal));
  // DSCR passes for three quarters (about 2.15x, 1.47x, 1.51x) and falls to 0 once the contracts
  // end: first breached in month 11.
  const auto& dscr = result_of(report, engine::CovenantTest::minimum_dscr);
  ASSERT_TRUE(dscr.first_breach);
  EXPECT_EQ(report.test_months[*dscr.first_breach], 11);
  EXPECT_EQ(report.test_months[*dscr.minimum_headroom], 11);
  EXPECT_DOUBLE_EQ(*dscr.observations[*dscr.minimum_headroom].headroom, -1.0);
  // LTV: 5M / 8.5M = 58.8% in month 2, above the 50% limit; 3.5M / 7M = 50% after.
  const auto& ltv = result_of(report, engine::CovenantTest::maximum_ltv);
  ASSERT_TRUE(ltv.first_breach);
  EXPECT_EQ(report.test_months[*ltv.first_breach], 2);
  EXPECT_FALSE(ltv.observations[1].breached);
  // Contract fulfilment: 4.8M to come against 5.27M owed in month 2 (4.77M of instalments and
  // 0.5M from the sale): breached at once.
  const auto& fulfilment = result_of(report, engine::CovenantTest::minimum_contract_fulfilment);
  ASSERT_TRUE(fulfilment.first_breach);
  EXPECT_EQ(report.test_months[*fulfilment.first_breach], 2);
  // The customer share never breaches.
  EXPECT_FALSE(result_of(report, engine::CovenantTest::maximum_customer_share).first_breach);

  // Raising the DSCR threshold above the second quarter's 1.4679x moves its first breach there.
  deal::Deal stricter = deal;
  stricter.covenants.minimum_dscr = dec("1.50");
  const auto strict = engine::covenant_report(stricter, engine::project<num::Decimal>(stricter));
  const auto& strict_dscr = result_of(strict, engine::CovenantTest::minimum_dscr);
  ASSERT_TRUE(strict_dscr.first_breach);
  EXPECT_EQ(strict.test_months[*strict_dscr.first_breach], 5);
}

TEST(Covenants, ExactAndFastLedgersGiveTheSameTests) {
  const deal::Deal deal = hand_deal();
  const auto exact = engine::covenant_report(deal, engine::project<num::Decimal>(deal));
  const auto fast = engine::covenant_report(deal, engine::project<double>(deal));
  ASSERT_EQ(exact.tests.size(), fast.tests.size());
  for (std::size_t t = 0; t < exact.tests.size(); ++t)
    for (std::size_t i = 0; i < exact.tests[t].observations.size(); ++i) {
      const auto& a = exact.tests[t].observations[i];
      const auto& b = fast.tests[t].observations[i];
      ASSERT_EQ(a.value.has_value(), b.value.has_value());
      if (a.value) {
        EXPECT_NEAR(*a.value, *b.value, 1e-9);
      }
      EXPECT_EQ(a.breached, b.breached);
    }
}

// A trailing-12-month DSCR tested once a year at each deal-year end is the yearly DSCR metric:
// one definition of DSCR.
TEST(Covenants, AnnualTrailingDscrIsTheYearlyDscrMetric) {
  deal::Deal deal = test::rich_deal();
  deal.covenants.frequency = time::Frequency::annual;
  deal.covenants.first_test = engine::month_start(deal.start, 11);
  deal.covenants.minimum_dscr = dec("1.2");
  const auto ledger = engine::project<num::Decimal>(deal);
  const auto metrics = engine::metrics(deal, ledger);
  const auto report = engine::covenant_report(deal, ledger);
  ASSERT_FALSE(report.test_months.empty());
  const auto& dscr = report.tests.front();
  int compared = 0;
  for (std::size_t i = 0; i < report.test_months.size(); ++i) {
    const int month = report.test_months[i];
    ASSERT_EQ((month + 1) % 12, 0);
    const auto& yearly = metrics.dscr[static_cast<std::size_t>(month / 12)];
    ASSERT_EQ(dscr.observations[i].value.has_value(), yearly.has_value()) << "month " << month;
    if (yearly) {
      EXPECT_EQ(*dscr.observations[i].value, *yearly) << "month " << month;
      ++compared;
    }
  }
  EXPECT_GE(compared, 4);
}

// Each contract billed on its own adds up to the ledger's committed lease revenue.
TEST(Covenants, ContractsBilledOnTheirOwnAddUpToTheLedger) {
  const deal::Deal deal = test::rich_deal();
  const auto ledger = engine::project<num::Decimal>(deal);
  const auto contracts = engine::covenant_detail::contract_revenue<num::Decimal>(deal);
  ASSERT_FALSE(contracts.empty());
  for (int m = 0; m < ledger.months(); ++m) {
    num::Decimal own(0);
    for (const auto& contract : contracts) own += contract.customer[static_cast<std::size_t>(m)];
    EXPECT_EQ(own, engine::lease_revenue(ledger, m) - ledger(engine::Line::on_demand_revenue, m)) << "month " << m;
  }
}

// The fleet's value at the horizon's last month is what it is sold for.
TEST(Covenants, CollateralAtTheHorizonIsTheSaleProceeds) {
  const deal::Deal deal = test::rich_deal();
  const auto ledger = engine::project<num::Decimal>(deal);
  auto scratch = engine::empty_ledger<num::Decimal>(deal);
  const auto capex = engine::phases::pay_capex(deal, scratch);
  const int last = deal.horizon_months - 1;
  EXPECT_EQ(engine::phases::booked(engine::phases::fleet_residual_value(deal, capex, last)),
            ledger(engine::Line::sale_proceeds, last));
}

// 10 servers on one 3-year contract, financed by a 4-year loan.
deal::Deal four_year_loan_on_three_year_contract(int horizon_months) {
  deal::Deal d = test::minimal_deal();
  d.horizon_months = horizon_months;
  deal::DebtTranche loan;
  loan.name = "4-year loan";
  loan.share_of_capex = dec("0.6");
  loan.annual_rate = dec("0.08");
  loan.term_months = 48;
  d.debt = {loan};
  return d;
}

// A loan is drawn at the end of its first month and repaid from the month after: a 48-month loan
// drawn at the end of month 0 makes its last payment at the end of month 48, 13 months after the
// contract's last month (35).
TEST(Covenants, AFourYearLoanOnAThreeYearContractOutlivesIt) {
  for (const int horizon : {48, 36}) {
    SCOPED_TRACE("horizon " + std::to_string(horizon));
    const deal::Deal deal = four_year_loan_on_three_year_contract(horizon);
    const auto report = engine::covenant_report(deal, engine::project<num::Decimal>(deal));
    ASSERT_EQ(report.tranches.size(), 1u);
    const auto& tenor = report.tranches.front();
    EXPECT_EQ(tenor.maturity_month, 49);
    EXPECT_EQ(tenor.contracts_end_month, 36);
    EXPECT_EQ(tenor.months_past_contracts, 13);
    EXPECT_TRUE(tenor.matures_after_horizon);
    std::ostringstream table;
    report::write_table(table, report::make_run_report<num::Decimal>(deal, false), {1, ""});
    EXPECT_NE(table.str().find("4-year loan outlives its contracts by 13 months"), std::string::npos) << table.str();
  }
  // A loan whose last payment falls in the contract's last month (35 payments from month 1) does not.
  deal::Deal matched = four_year_loan_on_three_year_contract(48);
  matched.debt.front().term_months = 35;
  const auto report = engine::covenant_report(matched, engine::project<num::Decimal>(matched));
  EXPECT_EQ(report.tranches.front().months_past_contracts, 0);
  std::ostringstream table;
  report::write_table(table, report::make_run_report<num::Decimal>(matched, false), {1, ""});
  EXPECT_EQ(table.str().find("outlives"), std::string::npos);
  EXPECT_EQ(table.str().find("Covenants"), std::string::npos);
}

TEST(Covenants, NoCovenantsNoTests) {
  deal::Deal deal = hand_deal();
  deal.covenants = {};
  const auto report = engine::covenant_report(deal, engine::project<num::Decimal>(deal));
  EXPECT_TRUE(report.tests.empty());
  EXPECT_TRUE(report.test_months.empty());
  EXPECT_EQ(report.tranches.size(), 1u);
}

// Every writer carries every test, its threshold and its first breach, and the tranche's tenor.
TEST(CovenantWriters, EveryWriterCarriesEveryTest) {
  const deal::Deal deal = hand_deal();
  const report::RunReport summary = report::make_run_report<num::Decimal>(deal, false);
  const report::RunReport monthly = report::make_run_report<num::Decimal>(deal, true);
  std::ostringstream table, table_monthly, csv, json_text;
  report::write_table(table, summary, {1, ""});
  report::write_table(table_monthly, monthly, {1, ""});
  report::write_csv(csv, summary);
  report::write_json(json_text, summary);
  const nlohmann::json json = nlohmann::json::parse(json_text.str());
  const auto& tests = json.at("covenants").at("tests");
  ASSERT_EQ(tests.size(), engine::covenant_tests.size());
  EXPECT_EQ(json.at("covenants").at("test_dates").size(), 4u);
  EXPECT_EQ(json.at("covenants").at("test_dates")[0].at("month"), 2);
  for (std::size_t i = 0; i < engine::covenant_tests.size(); ++i) {
    const auto& info = engine::covenant_tests[i];
    const auto& result = summary.covenants.tests[i];
    SCOPED_TRACE(std::string(info.key));
    EXPECT_NE(table.str().find(std::string(info.label)), std::string::npos);
    EXPECT_NE(table_monthly.str().find(std::string(info.label) + " ("), std::string::npos);  // the by-date grid
    EXPECT_NE(csv.str().find("covenant," + std::string(info.key) + ",threshold,"), std::string::npos);
    EXPECT_NE(csv.str().find("covenant_test," + std::string(info.key) + ",2,2025-03,"), std::string::npos);
    const auto& written = tests[i];
    EXPECT_EQ(written.at("key"), info.key);
    EXPECT_EQ(written.at("bound"), info.is_minimum ? "minimum" : "maximum");
    EXPECT_DOUBLE_EQ(written.at("threshold").get<double>(), result.threshold);
    ASSERT_EQ(written.at("values").size(), 4u);
    for (std::size_t q = 0; q < 4; ++q) {
      const auto& seen = result.observations[q];
      if (seen.value) EXPECT_DOUBLE_EQ(written.at("values")[q].get<double>(), *seen.value);
      else EXPECT_TRUE(written.at("values")[q].is_null());
      EXPECT_EQ(written.at("breached")[q].get<bool>(), seen.breached);
    }
    if (result.first_breach) {
      const int month = summary.covenants.test_months[*result.first_breach];
      EXPECT_EQ(written.at("first_breach").at("month"), month);
      EXPECT_NE(csv.str().find("covenant," + std::string(info.key) + ",first_breach," + std::to_string(month) + ","),
                std::string::npos);
    } else {
      EXPECT_TRUE(written.at("first_breach").is_null());
      EXPECT_NE(csv.str().find("covenant," + std::string(info.key) + ",first_breach,none"), std::string::npos);
    }
  }
  // The DSCR's first breach in month 11 (2025-12) is in the table's row.
  EXPECT_NE(table.str().find("2025-12"), std::string::npos);
  // The last instalment is due at the end of month 12, after the horizon: the loan matures in month
  // 13, four months after the contracts' end (month 9).
  EXPECT_NE(csv.str().find("tranche_tenor,term loan,13,9,4,after_horizon"), std::string::npos) << csv.str();
  EXPECT_EQ(json.at("covenants").at("tranches")[0].at("months_past_contracts"), 4);
  EXPECT_NE(table.str().find("term loan outlives its contracts by 4 months"), std::string::npos);
}

}  // namespace
