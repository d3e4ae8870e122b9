// The projection's phases and what each promises the phases after it: invariants on each phase's
// typed result, checked against the ledger lines that other phases and the statements read, on
// every bundled model and on the deals built in code, in the exact decimal mode.
#include "support/deals.hpp"

#include <leasecalc/engine/project.hpp>
#include <leasecalc/engine/statements.hpp>
#include <leasecalc/engine/tax_years.hpp>
#include <leasecalc/io/load_deal.hpp>
#include <leasecalc/solve/breakeven.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <ostream>
#include <string>
#include <vector>

namespace {
using namespace leasecalc;
using engine::Line;
using num::Decimal;

// The phases in project()'s order, keeping the results that project() hands from phase to phase.
template <num::Numeric Num>
struct Phased {
  engine::Ledger<Num> ledger;
  engine::phases::CapexPayments<Num> capex;
  engine::phases::Revenue<Num> revenue;
  engine::phases::SaleGain<Num> sale_gain;
};

template <num::Numeric Num>
Phased<Num> run_phases(const deal::Deal& deal) {
  using namespace engine::phases;
  engine::require_projectable(deal);
  auto ledger = engine::empty_ledger<Num>(deal);
  auto capex = pay_capex(deal, ledger);
  auto revenue = book_revenue(deal, ledger);
  time_advance_payments_for_tax(deal, revenue.advances, ledger);
  const auto running_costs = charge_running_costs(deal, capex, revenue.units, ledger);
  buy_unsold_capacity(deal, running_costs, ledger);
  const auto sale_gain = guarantee_residual_value(deal, capex, depreciate_and_sell(deal, capex, ledger), ledger);
  const auto vat = settle_vat(deal, capex, revenue.output_vat, sale_gain, ledger);
  const auto sized = size_debt(deal, capex, sale_gain, ledger);
  // The debt, the income tax and the waterfall between them: without a waterfall, the debt
  // phases then the tax phase.
  const auto income_tax =
      has_waterfall(deal)
          ? schedule_debt_and_waterfall(deal, capex, running_costs, vat, sale_gain, sized.terms, ledger)
          : assess_income_tax(deal, running_costs, vat,
                              lease_back_sold_fleet(deal, capex, schedule_debt(deal, capex, sized.terms, ledger), ledger),
                              sale_gain, ledger);
  carry_customer_balances(revenue.balance_flows, ledger);
  fund_and_distribute_equity(deal.distributions, income_tax, ledger);
  return {std::move(ledger), std::move(capex), std::move(revenue), sale_gain};
}

template <num::Numeric Num>
bool same_ledger(const engine::Ledger<Num>& a, const engine::Ledger<Num>& b) {
  if (a.months() != b.months() || a.running_cost_names() != b.running_cost_names()) return false;
  for (std::size_t line = 0; line < engine::line_count; ++line)
    for (int m = 0; m < a.months(); ++m)
      if (a(Line(line), m) != b(Line(line), m)) return false;
  for (std::size_t i = 0; i < a.running_cost_names().size(); ++i)
    for (int m = 0; m < a.months(); ++m)
      if (a.running_cost(i, m) != b.running_cost(i, m)) return false;
  return true;
}

// A deal built in code ("minimal", "rich") or a bundled model (its file name under models/).
struct Case {
  std::string name;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

deal::Deal load(const Case& c) {
  if (c.name == "minimal") return test::minimal_deal();
  if (c.name == "rich") return test::rich_deal();
  return io::load_deal(std::string(LEASECALC_SOURCE_DIR) + "/models/" + c.name + ".yaml");
}

class Phases : public ::testing::TestWithParam<Case> {
 protected:
  deal::Deal deal = load(GetParam());
  Phased<Decimal> run = run_phases<Decimal>(deal);
  const engine::Ledger<Decimal>& l = run.ledger;
  int last = deal.horizon_months - 1;
};

TEST_P(Phases, InThisOrderTheyAreTheProjection) {
  EXPECT_TRUE(same_ledger(run.ledger, engine::project<Decimal>(deal)));
  EXPECT_TRUE(same_ledger(run_phases<double>(deal).ledger, engine::project<double>(deal)));
}

// Every amount the same number with the same sign (a -0 where the other has +0 is a difference).
template <num::Numeric Num>
bool identical_ledger(const engine::Ledger<Num>& a, const engine::Ledger<Num>& b) {
  const auto sign = [](const Num& value) {
    if constexpr (std::same_as<Num, double>) return std::signbit(value);
    else return value.backend().isneg();
  };
  if (!same_ledger(a, b)) return false;
  for (std::size_t line = 0; line < engine::line_count; ++line)
    for (int m = 0; m < a.months(); ++m)
      if (sign(a(Line(line), m)) != sign(b(Line(line), m))) return false;
  return true;
}

// A solve books what no contract price moves once (engine::prebook) and copies it into each
// trial: the ledger at any price is the one booked afresh, bit for bit, in both modes, whether the
// bookings were made at that price or at another.
template <num::Numeric Num>
void expect_prebooked_projections_identical(const deal::Deal& deal) {
  const deal::Deal cheaper = solve::with_price_factor(deal, num::from_string<Decimal>("0.8317"));
  const engine::Prebooked<Num> prebooked = engine::prebook<Num>(deal);
  // The bookings are copied into a ledger whose lines are empty (else each trial would book afresh
  // and this test would compare a projection with itself).
  auto empty = engine::empty_ledger<Num>(deal);
  EXPECT_TRUE(prebooked.capex_bookings.copy_into(empty));
  EXPECT_TRUE(prebooked.fleet_bookings.copy_into(empty));
  if (prebooked.stated_debt) {
    EXPECT_TRUE(prebooked.stated_debt->copy_into(empty));
  }
  EXPECT_TRUE(identical_ledger(engine::project<Num>(deal, &prebooked), engine::project<Num>(deal)));
  EXPECT_TRUE(identical_ledger(engine::project<Num>(cheaper, &prebooked), engine::project<Num>(cheaper)));
}

TEST_P(Phases, PrebookedBookingsGiveTheSameLedgerAtAnyPrice) {
  expect_prebooked_projections_identical<double>(deal);
  expect_prebooked_projections_identical<Decimal>(deal);
}

TEST_P(Phases, CapexPaymentsAddUpToTheCapexLineAndTheFleet) {
  std::vector<Decimal> paid(static_cast<std::size_t>(deal.horizon_months), Decimal(0));
  int servers = 0;
  for (const auto& payment : run.capex.deliveries) {
    paid[static_cast<std::size_t>(payment.month)] += payment.net + payment.input_vat;
    servers += payment.servers;
    EXPECT_EQ(payment.net, num::round_cents(payment.net));
    EXPECT_EQ(payment.input_vat, num::round_cents(payment.input_vat));
    // The asset's cost carries the VAT only when the refund is booked as income.
    EXPECT_EQ(payment.capitalised,
              deal.tax.vat.refund_booked_as_income ? payment.net + payment.input_vat : payment.net);
  }
  for (int m = 0; m <= last; ++m) {
    EXPECT_EQ(paid[static_cast<std::size_t>(m)], run.capex.cash[static_cast<std::size_t>(m)]) << "month " << m;
    EXPECT_EQ(-l(Line::capex, m), run.capex.cash[static_cast<std::size_t>(m)]) << "month " << m;
  }
  EXPECT_EQ(servers, deal.cluster.servers);
  EXPECT_EQ(l(Line::units_in_service, last), Decimal(servers));
}

TEST_P(Phases, RevenueUnitsAreTheUnitsContractedAndNeverExceedTheFleet) {
  const auto& units = run.revenue.units;
  for (int m = 0; m <= last; ++m) {
    const auto k = static_cast<std::size_t>(m);
    EXPECT_EQ(units.committed[k] + units.on_demand_used[k], l(Line::units_contracted, m)) << "month " << m;
    EXPECT_GE(units.committed[k], Decimal(0));
    EXPECT_GE(units.on_demand_used[k], Decimal(0));
    // Every deal here contracts at most its fleet, and no server before its delivery (a deal may
    // do otherwise; none of these does).
    EXPECT_LE(l(Line::units_contracted, m), l(Line::units_in_service, m)) << "month " << m;
  }
}

TEST_P(Phases, CustomersPayWhatWasBilledLessWhatIsStillOwedPlusWhatIsPrepaid) {
  // Receipts = revenue earned net of credits and losses, plus output VAT, plus prepayments not yet
  // earned, less invoices not yet collected.
  const auto& flows = run.revenue.balance_flows;
  Decimal billed(0), receivable(0), deferred(0);
  for (int m = 0; m <= last; ++m) {
    const auto k = static_cast<std::size_t>(m);
    billed += l(Line::committed_revenue, m) + l(Line::on_demand_revenue, m) + l(Line::sla_credits, m) +
              l(Line::termination_fees, m) + l(Line::credit_losses, m) + l(Line::expected_credit_loss, m) +
              run.revenue.output_vat.by_month[k] + l(Line::capacity_backstop, m);  // collected as it is earned
    receivable += flows.receivable[k];
    deferred += flows.deferred[k];
    EXPECT_GE(deferred, Decimal(0)) << "more prepayment applied than received by month " << m;
    EXPECT_GE(receivable, Decimal(0)) << "collected before billed by month " << m;
  }
  EXPECT_EQ(l.total(Line::customer_receipts), billed + deferred - receivable);
  EXPECT_EQ(receivable, Decimal(0)) << "every invoice is collected by the horizon";
}

// Every month: VAT paid less refunded, plus the change of the credit carried, is the output VAT
// (on rent, and on the sale in the horizon's month) less the input VAT; the sale's output VAT is
// the rate on the sale price, VAT aside.
TEST_P(Phases, VatPaidRefundedAndCarriedIsInputLessOutputVat) {
  Decimal input(0), output(0), paid(0), refunded(0);
  const Decimal sale_rate = deal::vat_rate_on_sale(deal);
  EXPECT_EQ(sale_rate, deal.tax.vat.input_vat_capitalised ? Decimal(0) : deal.cluster.capex_vat_rate);
  EXPECT_EQ(l(Line::vat_on_sale, last), num::round_cents(sale_rate * l(Line::sale_proceeds, last)));
  EXPECT_EQ(run.sale_gain.output_vat, l(Line::vat_on_sale, last));
  for (int m = 0; m <= last; ++m) {
    for (const auto& payment : run.capex.deliveries)
      if (payment.month == m) input += payment.input_vat;
    output += run.revenue.output_vat.by_month[static_cast<std::size_t>(m)] + l(Line::vat_on_sale, m);
    if (m < last) {
      EXPECT_EQ(l(Line::vat_on_sale, m), Decimal(0)) << "month " << m;
    }
    paid += l(Line::vat_paid, m);  // negative
    refunded += l(Line::vat_refunded, m);
    EXPECT_EQ(paid + refunded + l(Line::vat_credit, m), input - output) << "month " << m;
    EXPECT_GE(l(Line::vat_credit, m), Decimal(0));
    EXPECT_EQ(l(Line::vat_refund_income, m),
              deal.tax.vat.refund_booked_as_income ? l(Line::vat_refunded, m) : Decimal(0));
  }
}

TEST_P(Phases, TaxableGainOnSaleIsProceedsLessCostNotYetWrittenOff) {
  Decimal capitalised(0);
  for (const auto& payment : run.capex.deliveries) capitalised += payment.capitalised;
  const Decimal proceeds = l(Line::sale_proceeds, last);
  // A residual value guarantee's payment is taxed with the sale.
  EXPECT_EQ(run.sale_gain.taxable,
            proceeds + l(Line::residual_value_guarantee, last) - (capitalised + l.total(Line::tax_depreciation)));
  EXPECT_EQ(l(Line::gain_on_sale, last), proceeds - (capitalised + l.total(Line::book_depreciation)));
}

TEST_P(Phases, TaxableIncomeIsPreTaxIncomeWithTaxDepreciationForBookDepreciation) {
  // Through the statements' definition of pre-tax income, not the tax phase's list of lines: a P&L
  // line missing from the tax base, or counted twice, shows here. By tax year (fiscal years); the
  // advance payments taxed as the model's rule says rather than as the books earn them.
  for (const auto& year : engine::tax_years(deal.start, deal.horizon_months, deal.tax.income.fiscal_year_start_month)) {
    Decimal expected(0);
    for (int m = year.first_month; m < year.end_month; ++m)
      expected += engine::pre_tax_income(l, m) - l(Line::book_depreciation, m) - l(Line::gain_on_sale, m) -
                  l(Line::residual_value_guarantee, m) +
                  l(Line::tax_depreciation, m) + l(Line::advances_taxed_less_earned, m);
    if (year.end_month == l.months()) expected += run.sale_gain.taxable;
    EXPECT_EQ(l(Line::taxable_income, year.end_month - 1), expected) << "year from month " << year.first_month;
  }
}

TEST_P(Phases, DebtIsDrawnOnlyAsCapexIsPaidAndRepaidByTheHorizon) {
  // (A sale-leaseback draws at its sale; the bundled one sells at the delivery.)
  for (int m = 0; m <= last; ++m)
    if (run.capex.cash[static_cast<std::size_t>(m)] == 0) {
      EXPECT_EQ(l(Line::debt_drawn, m), Decimal(0)) << "month " << m;
    }
  EXPECT_EQ(l.total(Line::debt_drawn) + l.total(Line::principal_repaid) + l.total(Line::debt_prepaid), Decimal(0));
  EXPECT_EQ(l(Line::debt_outstanding, last), Decimal(0));
}

TEST_P(Phases, EquityKeepsTheCashBalanceAtOrAboveZeroAndTakesItAllAtTheEnd) {
  Decimal cash(0);
  for (int m = 0; m <= last; ++m) {
    cash += engine::free_cash_flow_to_equity(l, m) + l(Line::equity_contributed, m) + l(Line::equity_distributed, m);
    EXPECT_EQ(cash, l(Line::cash_balance, m)) << "month " << m;
    EXPECT_GE(cash, Decimal(0)) << "month " << m;
  }
  EXPECT_EQ(cash, Decimal(0));
}

INSTANTIATE_TEST_SUITE_P(
    EveryModel, Phases,
    ::testing::Values(Case{"minimal"}, Case{"rich"}, Case{"china-h800-on-demand"},
                      Case{"guosen-2025-premium-10k"}, Case{"guosen-2025-standard-10k"},
                      Case{"rent-vs-build-build"}, Case{"rent-vs-build-rent"},
                      Case{"us-h100-take-or-pay"}, Case{"xai-spv-lease"}, Case{"gpu-sale-leaseback"},
                      Case{"coreweave-ddtl-ig"}),
    [](const auto& info) {
      std::string name = info.param.name;
      for (auto& c : name)
        if (c == '-') c = '_';
      return name;
    });

}  // namespace
