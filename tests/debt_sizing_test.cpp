// Debt sized on the deal (engine/phases/debt_sizing.hpp), checked on many generated deals against
// figures the test computes itself from the projected ledger: a sculpted loan's size is the present
// value of the CFADS over the target DSCR at the loan's own monthly factors, every sculpted payment
// covers the target DSCR to the cent, the balance rolls to zero, the binding constraint is the
// smallest, and no size exceeds the cost. And the loader's new fields, each with a located error.
#include "support/deals.hpp"
#include "support/model_text.hpp"

#include <leasecalc/engine/metrics.hpp>
#include <leasecalc/engine/project.hpp>
#include <leasecalc/engine/statements.hpp>
#include <leasecalc/engine/tax_years.hpp>
#include <leasecalc/io/input_error.hpp>
#include <leasecalc/io/load_deal.hpp>
#include <leasecalc/solve/bid.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {
using namespace leasecalc;
using engine::Line;
using engine::SizingConstraint;
using num::Decimal;
using test::dec;

Decimal cents(int n) { return Decimal(n) / Decimal(100); }

// A fleet bought in one to three monthly lots, leased on one take-or-pay contract for the whole
// horizon (so every receipt is contracted), with fixed running costs, straight-line depreciation
// and income tax, and one sculpted loan sized on a target DSCR, maturing within the horizon.
struct Generated {
  deal::Deal deal;
  std::string description;
};

Generated generate(std::mt19937_64& random, bool single_lot) {
  const auto pick = [&](int low, int high) { return std::uniform_int_distribution<int>(low, high)(random); };
  Generated g;
  deal::Deal& d = g.deal;
  d.name = "generated";
  d.currency = "USD";
  d.start = deal::Date(static_cast<unsigned short>(pick(2000, 2040)), static_cast<unsigned short>(pick(1, 12)),
                       static_cast<unsigned short>(pick(1, 28)));
  d.horizon_months = pick(30, 84);
  d.discount_rate = dec("0.1");
  const int servers = pick(4, 40);
  const Decimal price = Decimal(pick(100, 2000)) * Decimal(1000);
  d.cluster.sku = {"TEST-8", "test server", 8, price, "USD", dec("10"), dec("3")};
  d.cluster.servers = servers;
  d.cluster.price_per_server = price;
  const int lots = single_lot ? 1 : pick(2, 3);
  for (int lot = 0, left = servers; lot < lots; ++lot) {
    const int n = lot == lots - 1 ? left : std::max(1, servers / lots);
    left -= n;
    d.cluster.deliveries.push_back({time::add_months(d.start, lot, time::EndOfMonth::off), n});
  }
  deal::TakeOrPay lease;
  lease.name = "anchor";
  lease.servers = servers;
  // Rent of 1/20 to 1/40 of the price a month: the fleet pays for itself in two to four years.
  lease.price = {price / Decimal(pick(20, 40)), deal::PriceUnit::server_month};
  lease.start = d.start;
  lease.term_months = d.horizon_months;
  lease.ramp_months = lots > 1 ? lots : 0;
  d.contracts.push_back(lease);
  d.running_costs.electricity.paid_by_customer = true;
  using Basis = deal::RunningCost::Basis;
  d.running_costs.others = {{"Staff", Basis::per_year, price * Decimal(servers) / Decimal(pick(10, 40)), {}}};
  const int life = pick(36, 84);
  d.assets.book = {deal::StraightLine{}, life, 0};
  d.assets.tax = {deal::StraightLine{}, pick(24, 60), 0};
  d.assets.residual = deal::ResidualShare{Decimal(pick(0, 30)) / Decimal(100)};
  d.tax.income = {Decimal(pick(0, 30)) / Decimal(100), 5, dec("1"), 1, std::nullopt};

  deal::DebtTranche& loan = d.debt.emplace_back();
  loan.name = "sculpted";
  loan.sizing = deal::DebtSizing{Decimal(pick(110, 200)) / Decimal(100), std::nullopt, deal::Collateral::book_value};
  loan.amortisation = deal::Amortisation::sculpted;
  loan.annual_rate = Decimal(pick(0, 1500)) / Decimal(10000);
  loan.compounding = pick(0, 1) == 0 ? deal::Compounding::simple : deal::Compounding::annual;
  loan.day_count = time::all_day_counts[static_cast<std::size_t>(pick(0, time::all_day_counts.size() - 1))];
  loan.term_months = pick(12, d.horizon_months - lots - 1);
  if (pick(0, 3) == 0) loan.share_of_capex = Decimal(pick(30, 90)) / Decimal(100);  // sometimes a cap

  std::ostringstream text;
  text << "start " << time::format_date(d.start) << ", horizon " << d.horizon_months << ", " << servers
       << " servers at " << price << " in " << lots << " lots, tax " << d.tax.income.rate << ", DSCR "
       << *loan.sizing->target_dscr << ", rate " << loan.annual_rate << " "
       << (loan.compounding == deal::Compounding::simple ? "simple" : "annual") << " "
       << time::to_string(loan.day_count) << ", term " << loan.term_months << ", share cap " << loan.share_of_capex;
  g.description = text.str();
  return g;
}

// The interest on one unit over deal month m, as the loan agreement states it.
double period_factor(const deal::DebtTranche& tranche, deal::Date start, int m) {
  const double fraction =
      time::year_fraction(tranche.day_count, engine::month_start(start, m), engine::month_start(start, m + 1));
  const double rate = num::to_double(tranche.annual_rate);
  return tranche.compounding == deal::Compounding::simple ? rate * fraction : std::pow(1 + rate, fraction) - 1;
}

// CFADS by month from the ledger, as docs/metrics.md defines it for a deal whose receipts are all
// contracted: the operating cash flow before income tax, less each tax year's income tax in equal
// monthly parts (the last taking the rounding).
std::vector<Decimal> cfads_of(const deal::Deal& deal, const engine::Ledger<Decimal>& l) {
  std::vector<Decimal> cfads;
  for (int m = 0; m < l.months(); ++m) cfads.push_back(engine::operating_cash_flow(l, m) - l(Line::income_tax, m));
  for (const auto& year : engine::tax_years(deal.start, l.months(), deal.tax.income.fiscal_year_start_month)) {
    const int first = year.first_month, end = year.end_month;
    const Decimal tax = l(Line::income_tax, end - 1);
    Decimal parted(0);
    for (int m = first; m < end; ++m) {
      const Decimal part = m == end - 1 ? tax - parted : num::round_cents(tax / Decimal(end - first));
      parted += part;
      cfads[static_cast<std::size_t>(m)] += part;
    }
  }
  return cfads;
}

TEST(DebtSizing, SculptedDebtIsThePresentValueOfCfadsOverTheTargetDscr) {
  std::mt19937_64 random(20251201);
  int sculpted_binds = 0, checked = 0, alternations = 0;
  for (int i = 0; i < 120; ++i) {
    const bool single_lot = i % 3 != 0;
    const Generated g = generate(random, single_lot);
    SCOPED_TRACE(g.description);
    const auto projection = engine::project_with_sizing<Decimal>(g.deal);
    const auto& l = projection.ledger;
    ASSERT_EQ(projection.debt_sizing.size(), 1u);
    const auto& sizing = projection.debt_sizing.front();
    const deal::DebtTranche& loan = g.deal.debt.front();
    const double dscr = num::to_double(*loan.sizing->target_dscr);

    // The binding constraint is the smallest, and the size never exceeds the cost.
    Decimal capex(0), drawn(0), repaid(0);
    for (int m = 0; m < l.months(); ++m) {
      capex -= l(Line::capex, m);
      drawn += l(Line::debt_drawn, m);
      repaid -= l(Line::principal_repaid, m) + l(Line::debt_prepaid, m);
    }
    for (const auto& limit : sizing.limits) {
      if (limit) {
        EXPECT_LE(sizing.size, *limit);
      }
    }
    ASSERT_TRUE(sizing.limit(sizing.binding).has_value());
    EXPECT_EQ(sizing.size, *sizing.limit(sizing.binding));
    EXPECT_LE(sizing.size, capex);
    EXPECT_EQ(*sizing.limit(SizingConstraint::cost), capex);
    // Drawn in full and rolled to zero.
    EXPECT_EQ(drawn, sizing.size);
    EXPECT_EQ(repaid, sizing.size);
    EXPECT_EQ(l(Line::debt_outstanding, l.months() - 1), Decimal(0));
    if (sizing.size == 0) continue;

    const std::vector<Decimal> cfads = cfads_of(g.deal, l);
    int first_draw = 0;
    while (l(Line::debt_drawn, first_draw) == 0) ++first_draw;
    const int maturity = first_draw + loan.term_months;
    ASSERT_LT(maturity, l.months());

    if (sizing.binding == SizingConstraint::sculpted_dscr) {
      ++sculpted_binds;
      // Every payment but the last: debt service = CFADS / DSCR, to the cent (the last absorbs the
      // rounding of the others), so the DSCR of each is the target; a month of negative CFADS pays
      // nothing.
      double minimum_dscr = 1e300;
      for (int m = first_draw + 1; m <= maturity; ++m) {
        const Decimal service = -engine::debt_service(l, m);
        const Decimal available = std::max(cfads[static_cast<std::size_t>(m)], Decimal(0));
        const Decimal due = num::round_cents(available / *loan.sizing->target_dscr);
        // A cent, and the few cents of an alternation of the tax where booking leaves one.
        const Decimal tolerance = (m < maturity ? cents(1) : cents(loan.term_months)) + sizing.tax_alternation;
        EXPECT_LE(num::abs(service - due), tolerance) << "month " << m;
        if (m < maturity && available > 0 && service > 0)
          minimum_dscr = std::min(minimum_dscr, num::to_double(available / service));
      }
      // The DSCR of each payment is the target, to the cent of the payment.
      if (minimum_dscr < 1e300) {
        EXPECT_NEAR(minimum_dscr, dscr, dscr * 1e-6);
      }
      alternations += sizing.tax_alternation > 0 ? 1 : 0;
      // The size: PV(CFADS / DSCR) at the loan's own factors, per unit of the drawings' present
      // value (one lot: PV(CFADS) / DSCR at the drawing), both from the ledger.
      double discount = 1, service_value = 0, drawn_value = 0;
      for (int m = first_draw; m <= maturity; ++m) {
        if (m > first_draw) discount /= 1 + period_factor(loan, g.deal.start, m);
        service_value += std::max(num::to_double(cfads[static_cast<std::size_t>(m)]), 0.0) / dscr * discount *
                         (m > first_draw ? 1 : 0);
        drawn_value += num::to_double(l(Line::debt_drawn, m)) / num::to_double(drawn) * discount;
      }
      EXPECT_NEAR(num::to_double(sizing.size), service_value / drawn_value, 0.01 * loan.term_months + 0.01);
      ++checked;
    } else {
      // A smaller cap binds: each payment covers at least the target DSCR.
      for (int m = first_draw + 1; m <= maturity; ++m) {
        const Decimal service = -engine::debt_service(l, m);
        const Decimal available = std::max(cfads[static_cast<std::size_t>(m)], Decimal(0));
        if (m < maturity && service > -l(Line::interest, m)) {
          EXPECT_LE(service, num::round_cents(available / *loan.sizing->target_dscr) + cents(1)) << "month " << m;
        }
      }
    }
    // The fast mode sizes the same loan.
    const auto fast = engine::project_with_sizing<double>(g.deal);
    EXPECT_NEAR(fast.debt_sizing.front().size, num::to_double(sizing.size), 1e-6 * num::to_double(sizing.size) + 0.02);
    EXPECT_EQ(fast.debt_sizing.front().binding, sizing.binding);
  }
  EXPECT_GE(sculpted_binds, 40);
  EXPECT_EQ(checked, sculpted_binds);
  EXPECT_LE(alternations, sculpted_binds / 10);  // the exception, not the rule
}

// The greater-of rule: each principal the greater of the sculpted one and what keeps the balance
// at or below the LTV limit on the collateral's book value; under per-draw maturity too.
TEST(DebtSizing, GreaterOfKeepsTheBalanceWithinTheLtvLimit) {
  std::mt19937_64 random(7);
  for (int i = 0; i < 60; ++i) {
    Generated g = generate(random, i % 2 == 0);
    deal::DebtTranche& loan = g.deal.debt.front();
    loan.amortisation = deal::Amortisation::greater_of;
    loan.sizing->maximum_ltv = Decimal(std::uniform_int_distribution<int>(30, 90)(random)) / Decimal(100);
    loan.maturity = i % 4 < 2 ? deal::Maturity::common : deal::Maturity::per_draw;
    if (loan.maturity == deal::Maturity::per_draw) loan.term_months = std::min(loan.term_months, g.deal.horizon_months - 4);
    SCOPED_TRACE(g.description);
    const auto projection = engine::project_with_sizing<Decimal>(g.deal);
    const auto& l = projection.ledger;
    const auto& sizing = projection.debt_sizing.front();
    Decimal drawn(0), repaid(0), capex(0);
    for (int m = 0; m < l.months(); ++m) {
      drawn += l(Line::debt_drawn, m);
      capex -= l(Line::capex, m);
      repaid -= l(Line::principal_repaid, m) + l(Line::debt_prepaid, m);
    }
    EXPECT_EQ(drawn, sizing.size);
    EXPECT_EQ(repaid, sizing.size);
    EXPECT_LE(sizing.size, capex);
    EXPECT_LE(sizing.size, *sizing.limit(SizingConstraint::loan_to_value));
    const Decimal ltv = *loan.sizing->maximum_ltv;
    int last_draw = 0;
    for (int m = 0; m < l.months(); ++m)
      if (l(Line::debt_drawn, m) != 0) last_draw = m;
    // After the drawings, the balance at each month end is within the LTV limit (a cent of rounding
    // per drawing's loan).
    for (int m = last_draw + 1; m < l.months(); ++m)
      EXPECT_LE(l(Line::debt_outstanding, m), num::round_cents(ltv * l(Line::book_value, m)) + cents(4)) << "month " << m;
  }
}

TEST(DebtSizing, AnLtvLimitAloneNeedsNoFixedPointAndBindsWhenSmallest) {
  deal::Deal d = test::minimal_deal();
  deal::DebtTranche loan;
  loan.name = "ltv";
  loan.sizing = deal::DebtSizing{std::nullopt, dec("0.5"), deal::Collateral::book_value};
  loan.annual_rate = dec("0.06");
  loan.term_months = 24;
  loan.share_of_capex = dec("0.6");
  d.debt = {loan};
  const auto projection = engine::project_with_sizing<Decimal>(d);
  const auto& sizing = projection.debt_sizing.front();
  // 10M bought at the start: book value after month 0's depreciation is 10M x 35/36.
  EXPECT_EQ(*sizing.limit(SizingConstraint::loan_to_value), num::round_cents(dec("0.5") * projection.ledger(Line::book_value, 0)));
  EXPECT_EQ(sizing.binding, SizingConstraint::loan_to_value);
  EXPECT_EQ(*sizing.limit(SizingConstraint::share_of_cost), dec("6000000"));
  EXPECT_FALSE(sizing.limit(SizingConstraint::sculpted_dscr).has_value());
  EXPECT_EQ(sizing.rounds, 1);
  // The residual rule as collateral instead: 0% residual leaves nothing to lend on.
  d.debt[0].sizing->collateral = deal::Collateral::residual_value;
  const auto nothing = engine::project_with_sizing<Decimal>(d);
  EXPECT_EQ(nothing.debt_sizing.front().size, Decimal(0));
  for (int m = 0; m < nothing.ledger.months(); ++m) EXPECT_EQ(nothing.ledger(Line::debt_drawn, m), Decimal(0));
}

TEST(DebtSizing, SizingNeverExceedsTheCostLeftByTheOtherTranches) {
  deal::Deal d = test::minimal_deal();
  deal::DebtTranche stated;
  stated.name = "stated";
  stated.amount = dec("7000000");
  stated.annual_rate = dec("0.05");
  stated.term_months = 30;
  deal::DebtTranche sized = stated;
  sized.name = "sized";
  sized.amount = 0;
  sized.sizing = deal::DebtSizing{dec("1.2"), std::nullopt, deal::Collateral::book_value};
  sized.amortisation = deal::Amortisation::sculpted;
  d.debt = {stated, sized};
  const auto projection = engine::project_with_sizing<Decimal>(d);
  const auto& sizing = projection.debt_sizing.front();
  EXPECT_EQ(sizing.binding, SizingConstraint::cost);
  EXPECT_EQ(sizing.size, dec("3000000"));
  Decimal drawn(0);
  for (int m = 0; m < projection.ledger.months(); ++m) drawn += projection.ledger(Line::debt_drawn, m);
  EXPECT_EQ(drawn, dec("10000000"));  // the cost, and not a cent more
}

TEST(DebtSizing, AvailabilityWindowAndOriginalIssueDiscount) {
  deal::Deal d = test::minimal_deal();
  d.cluster.deliveries = {{d.start, 4}, {time::add_months(d.start, 1, time::EndOfMonth::off), 3},
                          {time::add_months(d.start, 5, time::EndOfMonth::off), 3}};
  deal::DebtTranche loan;
  loan.name = "ddtl";
  loan.share_of_capex = dec("0.5");
  loan.annual_rate = dec("0.06");
  loan.term_months = 24;
  loan.availability_months = 3;  // months 0-2: the third lot (month 5) is funded by equity
  loan.commitment_fee = dec("0.012");
  loan.original_issue_discount = dec("0.02");
  d.debt = {loan};
  const auto l = engine::project<Decimal>(d);
  EXPECT_EQ(l(Line::debt_drawn, 0), dec("2000000"));
  EXPECT_EQ(l(Line::debt_drawn, 1), dec("1500000"));
  EXPECT_EQ(l(Line::debt_drawn, 5), Decimal(0));
  // The discount on each drawing's face, and the commitment fee on the 1.5M undrawn in month 1.
  EXPECT_EQ(l(Line::financing_fees, 0), dec("-40000"));
  EXPECT_EQ(l(Line::financing_fees, 1), dec("-30000") - dec("1500"));
  EXPECT_EQ(l(Line::financing_fees, 5), Decimal(0));
  // Interest and repayment on the face: the balance rolls to zero from 3.5M.
  Decimal repaid(0);
  for (int m = 0; m < l.months(); ++m) repaid -= l(Line::principal_repaid, m) + l(Line::debt_prepaid, m);
  EXPECT_EQ(repaid, dec("3500000"));
  EXPECT_EQ(l(Line::interest, 1), num::round_cents(dec("-2000000") * dec("0.06") / Decimal(12)));
}

TEST(DebtSizing, ADealBuiltInCodeWithoutItsSizingIsRefused) {
  deal::Deal d = test::minimal_deal();
  deal::DebtTranche loan;
  loan.name = "sculpted";
  loan.amount = dec("1000000");
  loan.annual_rate = dec("0.06");
  loan.term_months = 24;
  loan.amortisation = deal::Amortisation::sculpted;
  d.debt = {loan};
  EXPECT_THROW((void)engine::project<Decimal>(d), std::invalid_argument);
  d.debt[0].sizing = deal::DebtSizing{std::nullopt, dec("0.5"), deal::Collateral::book_value};
  EXPECT_THROW((void)engine::project<Decimal>(d), std::invalid_argument);
  d.debt[0].sizing->target_dscr = dec("1.3");
  d.debt[0].amortisation = deal::Amortisation::greater_of;
  d.debt[0].sizing->maximum_ltv.reset();
  EXPECT_THROW((void)engine::project<Decimal>(d), std::invalid_argument);
  d.debt[0].sizing->maximum_ltv = dec("0.5");
  EXPECT_NO_THROW((void)engine::project<Decimal>(d));
}

// ---- the model file --------------------------------------------------------------------------------

const char* const base_model = R"(deal:
  name: test deal
  currency: USD
  start: 2025-09-01
  horizon: 60 months
cluster:
  sku: H100
  servers: 100
contracts:
  - take_or_pay:
      name: anchor
      servers: 100
      price: 2.1 USD/GPU-hour
      start: 2025-09-01
      term: 48 months
running_costs:
  electricity: {tariff: 0.08 USD/kWh, pue: 1.3}
financing:
  - name: loan
    sizing: {target_dscr: 1.30, maximum_ltv: 65%}
    rate: 9%
    term: 48 months
    amortisation: greater_of
depreciation:
  book: {method: straight_line, life: 60 months}
tax:
  income_tax: 21%
)";

deal::Deal parse(const std::string& text) { return io::parse_deal(text, "test.yaml", test::test_catalogue()); }

// The error loading `text`: at `part` within the only occurrence of `context`, for `path`, with
// `detail`.
void expect_error(const std::string& text, std::string_view context, std::string_view part, const std::string& path,
                  const std::string& detail) {
  try {
    parse(text);
    ADD_FAILURE() << "loaded:\n" << text;
  } catch (const io::InputError& error) {
    const std::size_t found = text.find(context);
    ASSERT_NE(found, std::string::npos) << context;
    EXPECT_EQ(text.find(context, found + 1), std::string::npos) << "not unique: " << context;
    const std::size_t offset = found + std::string_view(context).find(part);
    const std::size_t line_start = text.rfind('\n', offset);
    const int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(offset), '\n'));
    const int column = static_cast<int>(offset - (line_start == std::string::npos ? 0 : line_start + 1)) + 1;
    EXPECT_EQ(error.line(), line) << error.what();
    EXPECT_EQ(error.column(), column) << error.what();
    EXPECT_EQ(error.path(), path) << error.what();
    EXPECT_EQ(error.detail(), detail) << error.what();
  }
}

TEST(DebtSizingModel, TheFieldsLoad) {
  const deal::Deal d = parse(test::edit(base_model, "    amortisation: greater_of\n",
                                        "    amortisation: greater_of\n    availability: 6 months\n"
                                        "    original_issue_discount: 1.5%\n    share_of_capex: 70%\n    amount: 20M USD\n"));
  const auto& loan = d.debt.at(0);
  ASSERT_TRUE(loan.sizing.has_value());
  EXPECT_EQ(*loan.sizing->target_dscr, dec("1.30"));
  EXPECT_EQ(*loan.sizing->maximum_ltv, dec("0.65"));
  EXPECT_EQ(loan.sizing->collateral, deal::Collateral::book_value);
  EXPECT_EQ(loan.amortisation, deal::Amortisation::greater_of);
  EXPECT_EQ(loan.availability_months, 6);
  EXPECT_EQ(loan.original_issue_discount, dec("0.015"));
  EXPECT_EQ(loan.share_of_capex, dec("0.7"));
  EXPECT_EQ(loan.amount, dec("20000000"));
  const deal::Deal residual = parse(test::edit(base_model, "maximum_ltv: 65%}", "maximum_ltv: 65%, collateral: residual_value}"));
  EXPECT_EQ(residual.debt.at(0).sizing->collateral, deal::Collateral::residual_value);
  const deal::Deal sculpted = parse(test::edit(test::edit(base_model, "amortisation: greater_of", "amortisation: sculpted"),
                                               ", maximum_ltv: 65%", ""));
  EXPECT_EQ(sculpted.debt.at(0).amortisation, deal::Amortisation::sculpted);
  EXPECT_FALSE(sculpted.debt.at(0).sizing->maximum_ltv.has_value());
}

TEST(DebtSizingModel, BadFieldsAreLocated) {
  const auto error = [](std::string_view from, std::string_view to, std::string_view context, std::string_view part,
                        const std::string& path, const std::string& detail) {
    expect_error(test::edit(base_model, from, to), context, part, path, detail);
  };
  error("target_dscr: 1.30", "target_dscr: 0", "target_dscr: 0", "0", "financing[0].sizing.target_dscr",
        "expected a ratio above 0 and at most 10, such as 1.30, got \"0\"");
  error("target_dscr: 1.30", "target_dscr: 11", "target_dscr: 11", "11", "financing[0].sizing.target_dscr",
        "expected a ratio above 0 and at most 10, such as 1.30, got \"11\"");
  error("maximum_ltv: 65%", "maximum_ltv: 0%", "maximum_ltv: 0%", "0%", "financing[0].sizing.maximum_ltv",
        "expected a percentage above 0% and at most 100%, such as 65%, got \"0%\"");
  error("maximum_ltv: 65%", "maximum_ltv: 165%", "maximum_ltv: 165%", "165%", "financing[0].sizing.maximum_ltv",
        "expected a percentage from 0% to 100%, got \"165%\"");
  error("maximum_ltv: 65%}", "maximum_ltv: 65%, collateral: market}", "market", "market", "financing[0].sizing.collateral",
        "expected one of book_value or residual_value, got \"market\"");
  error("{target_dscr: 1.30, maximum_ltv: 65%}", "{collateral: book_value}", "{collateral", "{",
        "financing[0].sizing", "expected target_dscr, maximum_ltv or both");
  error("{target_dscr: 1.30,", "{target_dscr: 1.30, dscr: 1,", ", dscr: 1", "dscr", "financing[0].sizing.dscr",
        "unknown key \"dscr\"; accepted keys: target_dscr, maximum_ltv, collateral");
  error("    sizing: {target_dscr: 1.30, maximum_ltv: 65%}\n", "    amount: 10M USD\n", "greater_of", "greater_of",
        "financing[0].amortisation",
        "expected sizing with a target_dscr and a maximum_ltv for greater_of amortisation, got \"greater_of\"");
  error("{target_dscr: 1.30, maximum_ltv: 65%}", "{maximum_ltv: 65%}", "greater_of", "greater_of",
        "financing[0].amortisation",
        "expected sizing with a target_dscr and a maximum_ltv for greater_of amortisation, got \"greater_of\"");
  error("    amortisation: greater_of\n", "    amortisation: greater_of\n    grace: 6 months\n", "grace: 6 months",
        "6 months", "financing[0].grace",
        "expected no grace with greater_of amortisation (every payment is sculpted), got \"6 months\"");
  error("    amortisation: greater_of\n", "    amortisation: greater_of\n    availability: 0 months\n",
        "availability: 0 months", "0 months", "financing[0].availability",
        "expected a duration greater than zero, got \"0 months\"");
  error("    amortisation: greater_of\n", "    amortisation: greater_of\n    original_issue_discount: 60%\n",
        "original_issue_discount: 60%", "60%", "financing[0].original_issue_discount",
        "expected a discount below 50% of the face, such as 2%, got \"60%\"");
  error("    amortisation: greater_of\n", "    amortisation: greater_of\n    share_of_capex: 0%\n", "share_of_capex: 0%",
        "0%", "financing[0].share_of_capex",
        "expected a share above 0% and at most 100% (a cap on the size), got \"0%\"");
  // A second tranche sized on a DSCR: the CFADS covers one sculpted loan.
  error("depreciation:\n", "  - {name: second, sizing: {target_dscr: 1.5}, rate: 9%, term: 24 months}\ndepreciation:\n",
        "sizing: {target_dscr: 1.5}", "{target_dscr: 1.5}", "financing[1].sizing",
        "expected one tranche sized on a target DSCR (the CFADS covers one sculpted loan), got a map");
}

}  // namespace

namespace {

// The bundled delayed-draw model: exact and fast ledgers agree, and it is sized as its notes say.
TEST(DebtSizingModel, TheBundledDelayedDrawLoanAgreesInBothModes) {
  const deal::Deal d = io::load_deal(std::string(LEASECALC_SOURCE_DIR) + "/models/coreweave-ddtl-ig.yaml");
  const auto exact = engine::project_with_sizing<Decimal>(d);
  const auto fast = engine::project_with_sizing<double>(d);
  for (std::size_t line = 0; line < engine::line_count; ++line) {
    const auto which = static_cast<Line>(line);
    const double scale = std::max(1.0, std::abs(num::to_double(exact.ledger.total(which))));
    for (int m = 0; m < d.horizon_months; ++m)
      // Deferred tax is each month's share of its tax year's expense less the month's current tax,
      // both rounded to the cent from running totals: in double a cent may round the other way in
      // any month of the year, and the year's last month carries what the months before left.
      ASSERT_NEAR(num::to_double(exact.ledger(which, m)), fast.ledger(which, m),
                  1e-6 * scale + (which == Line::deferred_tax ? 0.121 : 0.011))
          << engine::line_name(which) << " month " << m;
  }
  ASSERT_EQ(exact.debt_sizing.size(), 1u);
  const auto& sizing = exact.debt_sizing.front();
  for (const auto& limit : sizing.limits) {
    if (limit) {
      EXPECT_LE(sizing.size, *limit);
    }
  }
  EXPECT_EQ(fast.debt_sizing.front().binding, sizing.binding);
  EXPECT_EQ(exact.ledger(Line::debt_outstanding, d.horizon_months - 1), Decimal(0));
}

}  // namespace

namespace {

// A bid on the sized model re-sizes the debt at each trial price: the deal re-priced at the answer
// sizes the same debt and reports the target.
TEST(DebtSizingModel, ABidReSizesTheDebtAtItsPrice) {
  const deal::Deal model = io::load_deal(std::string(LEASECALC_SOURCE_DIR) + "/models/coreweave-ddtl-ig.yaml");
  solve::BidRequest request;
  request.target = {solve::BidMetric::project_irr_post_tax, 0.10};
  const solve::Bid bid = solve::bid<double>(model, request);
  ASSERT_EQ(bid.points.size(), 1u);
  const solve::BidPoint& point = bid.points.front();
  ASSERT_TRUE(point.unit_month_price.has_value()) << point.note;
  ASSERT_EQ(point.debt_sizing.size(), 1u);
  deal::Deal priced = solve::deal_to_bid(model, 0, std::nullopt, std::nullopt);
  solve::set_bid_price(priced, 0, num::from_double<deal::Decimal>(*point.unit_month_price));
  const auto projection = engine::project_with_sizing<double>(priced);
  EXPECT_NEAR(*engine::metrics(priced, projection.ledger).project_irr_post_tax.rate, 0.10, 1e-5);
  EXPECT_NEAR(projection.debt_sizing.front().size, point.debt_sizing.front().size, 0.01);
  EXPECT_EQ(std::string(engine::sizing_constraint_info(projection.debt_sizing.front().binding).key),
            point.debt_sizing.front().binding);
  // A lower price supports less sculpted debt than the model's price.
  const auto at_model = engine::project_with_sizing<double>(solve::deal_to_bid(model, 0, std::nullopt, std::nullopt));
  if (*point.unit_month_price < num::to_double(deal::unit_month_price(std::get<deal::TakeOrPay>(model.contracts[0]).price,
                                                                       model.cluster.sku))) {
    EXPECT_LT(*projection.debt_sizing.front().limit(SizingConstraint::sculpted_dscr),
              *at_model.debt_sizing.front().limit(SizingConstraint::sculpted_dscr));
  }
}

}  // namespace
