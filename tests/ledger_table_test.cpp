// The table of ledger lines (engine/ledger.hpp): every subtotal, the tax base and the statements
// follow the definitions in docs/metrics.md, written out here line by line as the independent check.
#include <leasecalc/engine/metrics.hpp>
#include <leasecalc/engine/project.hpp>
#include <leasecalc/engine/statements.hpp>

#include "support/deals.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <set>
#include <string>

namespace {
using namespace leasecalc;
using engine::Line;
using Num = num::Decimal;

// A one-month ledger in which line i holds 2^i: a subtotal's value then says exactly which lines
// it summed.
engine::Ledger<Num> powers_of_two() {
  engine::Ledger<Num> l(deal::Date(2025, 1, 1), 1, {});
  for (std::size_t i = 0; i < engine::line_count; ++i) l(static_cast<Line>(i), 0) = num::powi(Num(2), static_cast<long long>(i));
  return l;
}

Num sum(std::initializer_list<Line> lines) {
  Num total(0);
  for (const Line line : lines) total += num::powi(Num(2), static_cast<long long>(line));
  return total;
}

const std::initializer_list<Line> lease_revenue = {Line::committed_revenue, Line::on_demand_revenue, Line::sla_credits,
                                                   Line::termination_fees, Line::capacity_backstop};
const std::initializer_list<Line> running_costs_paid = {Line::electricity, Line::data_centre_rent,
                                                        Line::other_running_costs, Line::hardware_replacements};

std::set<Line> set_of(std::initializer_list<std::initializer_list<Line>> groups) {
  std::set<Line> all;
  for (const auto& group : groups) all.insert(group.begin(), group.end());
  return all;
}

Num sum(const std::set<Line>& lines) {
  Num total(0);
  for (const Line line : lines) total += num::powi(Num(2), static_cast<long long>(line));
  return total;
}

TEST(LineTable, SubtotalsSumTheDocumentedLines) {
  const auto l = powers_of_two();
  const auto revenue = set_of({lease_revenue, {Line::vat_refund_income}});
  const auto ebitda = set_of({lease_revenue, {Line::vat_refund_income}, running_costs_paid,
                              {Line::credit_losses, Line::expected_credit_loss}});
  auto ebit = ebitda;
  ebit.insert({Line::book_depreciation, Line::gain_on_sale, Line::residual_value_guarantee});
  EXPECT_EQ(engine::lease_revenue(l, 0), sum(lease_revenue));
  EXPECT_EQ(engine::revenue(l, 0), sum(revenue));
  EXPECT_EQ(engine::running_costs_paid(l, 0), sum(running_costs_paid));
  EXPECT_EQ(engine::operating_costs(l, 0),
            sum(running_costs_paid) + sum({Line::credit_losses, Line::expected_credit_loss}));
  EXPECT_EQ(engine::ebitda(l, 0), sum(ebitda));
  EXPECT_EQ(engine::ebit(l, 0), sum(ebit));
  EXPECT_EQ(engine::pre_tax_income(l, 0), sum(ebit) + sum({Line::interest, Line::swap_settlements, Line::financing_fees}));
  // Net income on the tax expense, current (accrued) and deferred; never on the tax paid.
  EXPECT_EQ(engine::net_income(l, 0), sum(ebit) + sum({Line::interest, Line::swap_settlements, Line::financing_fees,
                                                       Line::current_tax, Line::deferred_tax}));

  const Num operating =
      sum({Line::customer_receipts, Line::vat_paid, Line::vat_refunded, Line::vat_on_sale}) + sum(running_costs_paid);
  EXPECT_EQ(engine::operating_cash_flow(l, 0), operating + sum({Line::income_tax}));
  const Num firm_pre_tax = operating + sum({Line::capex, Line::sale_proceeds, Line::residual_value_guarantee});
  EXPECT_EQ(engine::free_cash_flow_pre_tax(l, 0), firm_pre_tax);
  EXPECT_EQ(engine::free_cash_flow_to_firm(l, 0), firm_pre_tax + sum({Line::unlevered_income_tax}));
  EXPECT_EQ(engine::free_cash_flow_to_equity(l, 0),
            firm_pre_tax + sum({Line::income_tax, Line::debt_drawn, Line::interest, Line::swap_settlements,
                                Line::financing_fees, Line::principal_repaid, Line::debt_swept, Line::debt_prepaid,
                                Line::junior_deferred, Line::reserve_funded, Line::reserve_topped_up,
                                Line::reserve_released, Line::reserve_drawn, Line::cash_trapped}));
  EXPECT_EQ(engine::equity_cash_flow(l, 0), -sum({Line::equity_contributed, Line::equity_distributed}));
}

TEST(LineTable, DebtServiceIsInterestSwapSettlementsAndScheduledPrincipalOnly) {
  const auto l = powers_of_two();
  // Lenders' debt service: no financing fees, no repayment from the sale at the horizon; the swap
  // settlements fix part of the interest and count with it.
  EXPECT_EQ(engine::debt_service(l, 0), sum({Line::interest, Line::swap_settlements, Line::principal_repaid}));
  // Nor what the cash sweep prepays; the senior part leaves out the junior tranche's service.
  EXPECT_EQ(engine::senior_debt_service(l, 0),
            sum({Line::interest, Line::swap_settlements, Line::principal_repaid}) - sum({Line::junior_debt_service}));
}

TEST(LineTable, TaxBaseIsTheAccrualIncomeWithTaxDepreciation) {
  // Prepayments are taxed as the model's rule says: book revenue and the difference of the rule.
  const std::set<Line> unlevered = set_of({lease_revenue, {Line::vat_refund_income}, running_costs_paid,
                                           {Line::credit_losses, Line::tax_depreciation,
                                            Line::advances_taxed_less_earned}});
  // The expected credit loss is an allowance: not deductible until written off (Line::credit_losses).
  EXPECT_EQ(unlevered.count(Line::expected_credit_loss), 0u);
  std::set<Line> levered = unlevered;
  levered.insert({Line::interest, Line::swap_settlements, Line::financing_fees});
  EXPECT_EQ(std::set<Line>(engine::unlevered_tax_base_lines.begin(), engine::unlevered_tax_base_lines.end()), unlevered);
  EXPECT_EQ(std::set<Line>(engine::levered_tax_base_lines.begin(), engine::levered_tax_base_lines.end()), levered);
  const auto l = powers_of_two();
  EXPECT_EQ(engine::unlevered_tax_base(l, 0), sum(unlevered));
  EXPECT_EQ(engine::unlevered_tax_base(l, 0) + engine::tax_deductible_financing_costs(l, 0), sum(levered));
  for (std::size_t i = 0; i < engine::line_count; ++i) {
    const auto line = static_cast<Line>(i);
    EXPECT_EQ(engine::in_tax_base(line, true), levered.count(line) == 1) << engine::line_name(line);
    EXPECT_EQ(engine::in_tax_base(line, false), unlevered.count(line) == 1) << engine::line_name(line);
  }
}

TEST(LineTable, KeysAreUniqueAndEveryLineHasALabel) {
  std::set<std::string_view> keys, labels;
  for (const auto& info : engine::line_table) {
    EXPECT_TRUE(keys.insert(info.key).second) << info.key;
    EXPECT_TRUE(labels.insert(info.label).second) << info.label;
    EXPECT_EQ(engine::line_name(info.line), info.key);
    // Only the fleet counts are units; every other line is money.
    EXPECT_EQ(info.kind == engine::LineKind::units,
              info.line == Line::units_in_service || info.line == Line::units_contracted)
        << info.key;
  }
}

TEST(LineTable, EveryPnlLineIsInTheIncomeStatementAndEveryCashLineInTheCashFlow) {
  auto deal = test::minimal_deal();
  deal.running_costs.others.push_back({});
  deal.running_costs.others.back().name = "O&M";
  const auto ledger = engine::project<Num>(deal);
  const auto income = engine::income_statement(ledger);
  for (const auto& info : engine::line_table) {
    if (info.pnl == engine::PnlGroup::none) continue;
    const std::string label = info.line == Line::other_running_costs ? "O&M" : std::string(info.label);
    EXPECT_NE(income.find(label), nullptr) << info.key;
  }
  // The cash-flow statement lists every cash line once, and no other.
  std::multiset<Line> listed(std::begin(engine::cash_flow_order), std::end(engine::cash_flow_order));
  for (const auto& info : engine::line_table)
    EXPECT_EQ(listed.count(info.line), engine::is_cash(info.line) ? 1u : 0u) << info.key;
  const auto cash = engine::cash_flow_statement(ledger);
  for (const char* row : {"Customer receipts", "Running costs paid", "Income tax paid", "Interest paid",
                          "Financing fees paid", "Debt repaid at sale", "Operating cash flow",
                          "Free cash flow to equity", "Free cash flow to firm (post-tax)"})
    EXPECT_NE(cash.find(row), nullptr) << row;
}

// Every balance is on the balance sheet, as an asset or a liability, but the tax memos (the tax
// written-down value and the losses carried forward, which the deferred tax stands for); nothing
// else is. A new balance line must take its side for the sheet to balance.
TEST(LineTable, EveryBalanceButTheTaxMemosIsOnTheBalanceSheet) {
  for (const auto& info : engine::line_table) {
    const bool tax_memo = info.line == Line::tax_value || info.line == Line::tax_losses;
    EXPECT_EQ(info.sheet != engine::SheetSide::none, info.kind == engine::LineKind::balance && !tax_memo) << info.key;
  }
}

TEST(Metrics, NetMarginIsOverLeaseRevenueAndFeesAreNotInterest) {
  auto deal = test::rich_deal();
  deal.tax.vat.refund_booked_as_income = true;  // other income, kept out of the margin's denominator
  const auto ledger = engine::project<Num>(deal);
  const auto m = engine::metrics(deal, ledger);
  ASSERT_GT(m.total_vat_refund_income, 0);
  EXPECT_EQ(m.total_lease_revenue + m.total_vat_refund_income, m.total_revenue);
  ASSERT_TRUE(m.net_margin.back());
  EXPECT_DOUBLE_EQ(*m.net_margin.back(), num::to_double(m.total_net_income) / num::to_double(m.total_lease_revenue));
  EXPECT_NE(*m.net_margin.back(), num::to_double(m.total_net_income) / num::to_double(m.total_revenue));
  EXPECT_DOUBLE_EQ(*m.ebitda_margin.back(), num::to_double(m.total_ebitda) / num::to_double(m.total_revenue));

  ASSERT_GT(-ledger.total(Line::financing_fees), 0);
  EXPECT_EQ(m.total_interest, -ledger.total(Line::interest));
  EXPECT_EQ(m.total_financing_fees, -ledger.total(Line::financing_fees));
  // The first year's DSCR: operating cash flow over interest and principal, with no fees.
  Num available(0), service(0);
  for (int month = 0; month < 12; ++month) {
    available += engine::operating_cash_flow(ledger, month);
    service -= ledger(Line::interest, month) + ledger(Line::principal_repaid, month);
  }
  ASSERT_TRUE(m.dscr.front());
  EXPECT_DOUBLE_EQ(*m.dscr.front(), num::to_double(available) / num::to_double(service));
}

TEST(Metrics, SourcesAreEveryPositiveCashFlowAndUsesEveryNegative) {
  const auto deal = test::rich_deal();
  const auto ledger = engine::project<Num>(deal);
  const auto m = engine::metrics(deal, ledger);
  Num sources(0), uses(0);
  for (const Line line : {Line::customer_receipts, Line::electricity, Line::data_centre_rent, Line::other_running_costs,
                          Line::hardware_replacements, Line::vat_paid, Line::vat_refunded, Line::vat_on_sale,
                          Line::income_tax,
                          Line::capex, Line::sale_proceeds, Line::debt_drawn, Line::interest, Line::financing_fees,
                          Line::principal_repaid, Line::debt_swept, Line::debt_prepaid, Line::junior_deferred,
                          Line::reserve_funded, Line::reserve_topped_up, Line::reserve_released, Line::reserve_drawn,
                          Line::cash_trapped, Line::equity_contributed, Line::equity_distributed})
    for (int month = 0; month < ledger.months(); ++month) {
      const Num& amount = ledger(line, month);
      (amount > 0 ? sources : uses) += num::abs(amount);
    }
  EXPECT_EQ(m.sources, sources);
  EXPECT_EQ(m.uses, uses);
  EXPECT_EQ(m.sources, m.uses + m.cash_left);
}

}  // namespace
