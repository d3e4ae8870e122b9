#pragma once
// The monthly ledger: every line item x month of a projected deal.
//
// Signs: money in is positive, money out negative, so a statement's total is a plain sum.
// Balances (debt outstanding, net book value, ...) are positive amounts at the month's end.

#include "leasecalc/deal/common.hpp"
#include "leasecalc/num/numeric.hpp"

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace leasecalc::engine {

enum class Line : std::size_t {
  // P&L (accrual)
  committed_revenue,      // take-or-pay and follow-on fees as the service is delivered
  on_demand_revenue,      // on-demand rental, including re-leased servers
  sla_credits,            // service credits granted (negative)
  termination_fees,       // early-termination fees; the prepayment a defaulting customer leaves
  capacity_backstop,      // unsold capacity bought by a backstop buyer (deal::CapacityBackstop)
  vat_refund_income,      // VAT refund, only when booked as income (broker convention)
  electricity,            // operator-paid power
  data_centre_rent,
  other_running_costs,    // total of the named running costs (see Ledger::running_costs)
  hardware_replacements,  // failed units replaced, expensed
  credit_losses,          // invoices never collected: the contracts' loss share, bad debt, write-offs
  expected_credit_loss,   // PD x LGD on what the customer owes beyond its prepayment (credit class)
  book_depreciation,
  gain_on_sale,           // residual proceeds less book value at the horizon
  residual_value_guarantee,  // paid by the guarantor when the sale fetches less than the floor
  interest,               // interest on debt
  swap_settlements,       // net settlements of interest-rate swaps (negative: paid)
  financing_fees,         // upfront and commitment fees
  current_tax,            // current tax expense: the tax year's current tax accrued over its months
  deferred_tax,           // deferred tax expense: the change in the deferred tax liability
  // Cash
  customer_receipts,      // fees and output VAT collected, prepayments included
  capex,                  // equipment paid on delivery, input VAT included
  vat_paid,               // output VAT less input credit remitted (negative)
  vat_refunded,           // input-VAT credit refunded in cash
  income_tax,             // current tax paid, at each tax year's end (negative)
  sale_proceeds,          // fleet sold at residual value at the horizon, VAT aside
  vat_on_sale,            // output VAT the fleet's buyer pays on top of the price (remitted in vat_paid)
  debt_drawn,
  principal_repaid,       // scheduled repayments (negative)
  debt_swept,             // principal prepaid from excess cash by the cash sweep (negative)
  debt_prepaid,           // debt still outstanding, repaid when the fleet is sold at the horizon
  reserve_funded,         // the debt-service reserve's first deposit, at the first drawing (negative)
  reserve_topped_up,      // later deposits as the reserve requirement rises (negative)
  reserve_released,       // withdrawals as it falls, and the rest when the debt is repaid
  reserve_drawn,          // drawn to pay senior debt service the month's cash falls short of (positive)
  cash_trapped,           // excess cash held under a lock-up (negative), and released (positive)
  junior_deferred,        // junior service left unpaid and its capitalised interest (+), paid later (-)
  equity_contributed,     // cash put in by the shareholders when the deal's cash would go negative
  equity_distributed,     // cash paid out to the shareholders at each distribution date (negative)
  // Memo: tax
  tax_depreciation,
  advances_taxed_less_earned,  // advance payments taxed in the month less those the books earn
  taxable_income,         // the year's tax base, at each tax year's end (before losses)
  unlevered_income_tax,   // tax as if the deal had no debt (for post-tax project IRR)
  junior_debt_service,    // the junior tranche's scheduled interest and principal (negative)
  // Balances at month end
  deferred_revenue,       // prepayments received, not yet earned
  receivables,            // billed or earned, not yet collected
  debt_outstanding,
  cash_balance,           // cash retained in the deal between distributions
  debt_service_reserve,   // the reserve account: restricted cash the lenders hold for debt service
  trapped_cash,           // cash held under a lock-up, restricted until the test is met again
  junior_deferred_balance,  // junior service deferred and not yet paid, with its capitalised interest
  book_value,             // net book value of the fleet
  tax_value,              // tax written-down value
  vat_credit,             // input-VAT credit carried forward
  tax_losses,             // losses carried forward
  income_tax_payable,     // current tax accrued, not yet paid: nil after each tax year's payment
  deferred_tax_liability, // tax on the fleet's book value over its tax value, less recognised losses
  vat_in_fleet_and_credit,  // input VAT both capitalised and credited (broker convention)
  // Fleet
  units_in_service,
  units_contracted,       // committed or on-demand units with a customer
  count
};

constexpr std::size_t line_count = static_cast<std::size_t>(Line::count);

// ---- what each line is: the one description every statement, subtotal and writer reads ------

// What a line holds: an accrual amount of the P&L, a cash movement, a tax memo, a balance at the
// month's end, or a count of units. Writers pick the number format from it.
enum class LineKind { pnl, cash, memo, balance, units };

// Where a P&L line sits; the subtotals nest in this order (revenue, EBITDA, EBIT, pre-tax income,
// net income).
enum class PnlGroup {
  none,
  lease_revenue,          // rent earned: the denominator of the margins
  other_income,           // income that is not rent (the VAT refund under the broker convention)
  operating_cost,         // in EBITDA
  depreciation_and_sale,  // between EBITDA and EBIT
  financing_cost,         // between EBIT and pre-tax income: interest and financing fees
  income_tax,
};

// Where a cash line sits. Every line of a group other than `none` is a source of cash when
// positive and a use when negative.
enum class CashGroup {
  none,
  operating,   // receipts, running costs paid, VAT
  income_tax,  // tax paid
  investing,   // capex and the sale of the fleet
  debt,        // drawings, interest, fees, principal
  restricted,  // into and out of accounts the lenders control: the reserve, trapped cash
  equity,      // shareholders' contributions and distributions
};

// Where a balance sits on the balance sheet: an asset, a liability, or off it (a tax memo such
// as the tax written-down value). Equity is not a line: it is the shareholders' cash flows and
// the net income, cumulated (statements.hpp).
enum class SheetSide { none, asset, liability };

// Whether a line counts in the year's taxable income: always, or only in the levered base (the
// deal as financed; the unlevered base is the deal as if it had no debt).
enum class TaxBase { excluded, included, levered_only };

struct LineInfo {
  Line line;
  std::string_view key;    // in CSV and JSON: the enumerator, e.g. "committed_revenue"
  std::string_view label;  // in the statements and the terminal ledger
  LineKind kind;
  PnlGroup pnl = PnlGroup::none;
  CashGroup cash = CashGroup::none;
  TaxBase tax_base = TaxBase::excluded;
  SheetSide sheet = SheetSide::none;
};

// In the order of `Line`.
inline constexpr std::array<LineInfo, line_count> line_table{{
    {Line::committed_revenue, "committed_revenue", "Committed revenue", LineKind::pnl, PnlGroup::lease_revenue,
     CashGroup::none, TaxBase::included},
    {Line::on_demand_revenue, "on_demand_revenue", "On-demand revenue", LineKind::pnl, PnlGroup::lease_revenue,
     CashGroup::none, TaxBase::included},
    {Line::sla_credits, "sla_credits", "SLA credits", LineKind::pnl, PnlGroup::lease_revenue, CashGroup::none,
     TaxBase::included},
    {Line::termination_fees, "termination_fees", "Termination fees", LineKind::pnl, PnlGroup::lease_revenue,
     CashGroup::none, TaxBase::included},
    // Collected in the month it is earned, through customer receipts; no VAT on it.
    {Line::capacity_backstop, "capacity_backstop", "Capacity backstop", LineKind::pnl, PnlGroup::lease_revenue,
     CashGroup::none, TaxBase::included},
    {Line::vat_refund_income, "vat_refund_income", "VAT refund income", LineKind::pnl, PnlGroup::other_income,
     CashGroup::none, TaxBase::included},
    // Running costs are paid in the month they are booked: P&L lines that are also cash.
    {Line::electricity, "electricity", "Electricity", LineKind::pnl, PnlGroup::operating_cost, CashGroup::operating,
     TaxBase::included},
    {Line::data_centre_rent, "data_centre_rent", "Data-centre rent", LineKind::pnl, PnlGroup::operating_cost,
     CashGroup::operating, TaxBase::included},
    {Line::other_running_costs, "other_running_costs", "Other running costs", LineKind::pnl,
     PnlGroup::operating_cost, CashGroup::operating, TaxBase::included},
    {Line::hardware_replacements, "hardware_replacements", "Hardware replacements", LineKind::pnl,
     PnlGroup::operating_cost, CashGroup::operating, TaxBase::included},
    // Lost invoices reduce customer receipts rather than being paid.
    {Line::credit_losses, "credit_losses", "Credit losses", LineKind::pnl, PnlGroup::operating_cost,
     CashGroup::none, TaxBase::included},
    // Tax takes tax depreciation and its own gain on sale instead.
    // An allowance on the receivable (IFRS 9 style), collected the less in cash; not deductible for
    // tax until written off, as most tax codes treat a provision.
    {Line::expected_credit_loss, "expected_credit_loss", "Expected credit loss", LineKind::pnl,
     PnlGroup::operating_cost, CashGroup::none, TaxBase::excluded},
    {Line::book_depreciation, "book_depreciation", "Depreciation", LineKind::pnl, PnlGroup::depreciation_and_sale},
    {Line::gain_on_sale, "gain_on_sale", "Gain on sale of fleet", LineKind::pnl, PnlGroup::depreciation_and_sale},
    // Part of the disposal: received in cash with the sale, taxed with the gain on sale.
    {Line::residual_value_guarantee, "residual_value_guarantee", "Residual value guarantee", LineKind::pnl,
     PnlGroup::depreciation_and_sale, CashGroup::investing},
    {Line::interest, "interest", "Interest", LineKind::pnl, PnlGroup::financing_cost, CashGroup::debt,
     TaxBase::levered_only},
    // Interest-like: a financing cost, in debt service and in the levered tax base.
    {Line::swap_settlements, "swap_settlements", "Swap settlements", LineKind::pnl, PnlGroup::financing_cost,
     CashGroup::debt, TaxBase::levered_only},
    {Line::financing_fees, "financing_fees", "Financing fees", LineKind::pnl, PnlGroup::financing_cost,
     CashGroup::debt, TaxBase::levered_only},
    // The expense of the period; the tax is paid at the tax year's end (Line::income_tax).
    {Line::current_tax, "current_tax", "Current tax", LineKind::pnl, PnlGroup::income_tax},
    {Line::deferred_tax, "deferred_tax", "Deferred tax", LineKind::pnl, PnlGroup::income_tax},
    {Line::customer_receipts, "customer_receipts", "Customer receipts", LineKind::cash, PnlGroup::none,
     CashGroup::operating},
    {Line::capex, "capex", "Capex", LineKind::cash, PnlGroup::none, CashGroup::investing},
    {Line::vat_paid, "vat_paid", "VAT paid", LineKind::cash, PnlGroup::none, CashGroup::operating},
    {Line::vat_refunded, "vat_refunded", "VAT refunded", LineKind::cash, PnlGroup::none, CashGroup::operating},
    {Line::income_tax, "income_tax", "Income tax paid", LineKind::cash, PnlGroup::none, CashGroup::income_tax},
    {Line::sale_proceeds, "sale_proceeds", "Sale of fleet", LineKind::cash, PnlGroup::none, CashGroup::investing},
    // Collected from the buyer and remitted through the VAT account with the other VAT flows, in
    // the same month: what it adds to cash is the input-VAT credit it absorbs.
    {Line::vat_on_sale, "vat_on_sale", "Output VAT on sale of fleet", LineKind::cash, PnlGroup::none,
     CashGroup::operating},
    {Line::debt_drawn, "debt_drawn", "Debt drawn", LineKind::cash, PnlGroup::none, CashGroup::debt},
    {Line::principal_repaid, "principal_repaid", "Principal repaid", LineKind::cash, PnlGroup::none,
     CashGroup::debt},
    {Line::debt_swept, "debt_swept", "Debt swept", LineKind::cash, PnlGroup::none, CashGroup::debt},
    {Line::debt_prepaid, "debt_prepaid", "Debt repaid at sale", LineKind::cash, PnlGroup::none, CashGroup::debt},
    {Line::reserve_funded, "reserve_funded", "Debt-service reserve funded", LineKind::cash, PnlGroup::none,
     CashGroup::restricted},
    {Line::reserve_topped_up, "reserve_topped_up", "Debt-service reserve topped up", LineKind::cash, PnlGroup::none,
     CashGroup::restricted},
    {Line::reserve_released, "reserve_released", "Debt-service reserve released", LineKind::cash, PnlGroup::none,
     CashGroup::restricted},
    {Line::reserve_drawn, "reserve_drawn", "Debt-service reserve drawn", LineKind::cash, PnlGroup::none,
     CashGroup::restricted},
    {Line::cash_trapped, "cash_trapped", "Cash trapped (-) or released (+)", LineKind::cash, PnlGroup::none,
     CashGroup::restricted},
    {Line::junior_deferred, "junior_deferred", "Junior service deferred (+) or paid (-)", LineKind::cash,
     PnlGroup::none, CashGroup::debt},
    {Line::equity_contributed, "equity_contributed", "Equity contributed", LineKind::cash, PnlGroup::none,
     CashGroup::equity},
    {Line::equity_distributed, "equity_distributed", "Equity distributed", LineKind::cash, PnlGroup::none,
     CashGroup::equity},
    {Line::tax_depreciation, "tax_depreciation", "Tax depreciation", LineKind::memo, PnlGroup::none,
     CashGroup::none, TaxBase::included},
    // The tax timing of advance payments (deal::IncomeTax::AdvancePayments): nil when they are taxed
    // as earned; cumulated, the advances taxed ahead of the books (a deferred tax asset).
    {Line::advances_taxed_less_earned, "advances_taxed_less_earned", "Advance payments taxed less earned",
     LineKind::memo, PnlGroup::none, CashGroup::none, TaxBase::included},
    {Line::taxable_income, "taxable_income", "Taxable income", LineKind::memo},
    {Line::unlevered_income_tax, "unlevered_income_tax", "Income tax if unlevered", LineKind::memo},
    {Line::junior_debt_service, "junior_debt_service", "Junior debt service", LineKind::memo},
    {Line::deferred_revenue, "deferred_revenue", "Deferred revenue", LineKind::balance, PnlGroup::none,
     CashGroup::none, TaxBase::excluded, SheetSide::liability},
    {Line::receivables, "receivables", "Receivables", LineKind::balance, PnlGroup::none, CashGroup::none,
     TaxBase::excluded, SheetSide::asset},
    {Line::debt_outstanding, "debt_outstanding", "Debt outstanding", LineKind::balance, PnlGroup::none,
     CashGroup::none, TaxBase::excluded, SheetSide::liability},
    {Line::cash_balance, "cash_balance", "Cash balance", LineKind::balance, PnlGroup::none, CashGroup::none,
     TaxBase::excluded, SheetSide::asset},
    // Restricted cash, the lenders' to control but the deal's to own.
    {Line::debt_service_reserve, "debt_service_reserve", "Debt-service reserve", LineKind::balance,
     PnlGroup::none, CashGroup::none, TaxBase::excluded, SheetSide::asset},
    {Line::trapped_cash, "trapped_cash", "Trapped cash", LineKind::balance, PnlGroup::none, CashGroup::none,
     TaxBase::excluded, SheetSide::asset},
    // Owed to the junior lender on top of its scheduled balance (in debt_outstanding).
    {Line::junior_deferred_balance, "junior_deferred_balance", "Junior service deferred", LineKind::balance,
     PnlGroup::none, CashGroup::none, TaxBase::excluded, SheetSide::liability},
    {Line::book_value, "book_value", "Book value", LineKind::balance, PnlGroup::none, CashGroup::none,
     TaxBase::excluded, SheetSide::asset},
    {Line::tax_value, "tax_value", "Tax written-down value", LineKind::balance},
    {Line::vat_credit, "vat_credit", "VAT credit carried forward", LineKind::balance, PnlGroup::none,
     CashGroup::none, TaxBase::excluded, SheetSide::asset},
    {Line::tax_losses, "tax_losses", "Tax losses carried forward", LineKind::balance},
    // Negative (a receivable) when the months so far have accrued a credit.
    {Line::income_tax_payable, "income_tax_payable", "Income tax payable", LineKind::balance, PnlGroup::none,
     CashGroup::none, TaxBase::excluded, SheetSide::liability},
    // Negative when the deferred tax is a net asset.
    {Line::deferred_tax_liability, "deferred_tax_liability", "Deferred tax liability", LineKind::balance,
     PnlGroup::none, CashGroup::none, TaxBase::excluded, SheetSide::liability},
    // Under the broker convention the fleet's cost holds its input VAT and the VAT credit holds it
    // again; this offsets the second count (less what the refund booked as income has realised),
    // so that the balance sheet shows what the convention assumes.
    {Line::vat_in_fleet_and_credit, "vat_in_fleet_and_credit", "Input VAT in both fleet and VAT credit",
     LineKind::balance, PnlGroup::none, CashGroup::none, TaxBase::excluded, SheetSide::liability},
    {Line::units_in_service, "units_in_service", "Units in service", LineKind::units},
    {Line::units_contracted, "units_contracted", "Units contracted", LineKind::units},
}};

constexpr bool line_table_follows_the_enum() {
  for (std::size_t i = 0; i < line_count; ++i)
    if (line_table[i].line != static_cast<Line>(i) || line_table[i].key.empty()) return false;
  return true;
}
static_assert(line_table_follows_the_enum(), "line_table must list every Line once, in the enum's order");

constexpr const LineInfo& line_info(Line line) { return line_table[static_cast<std::size_t>(line)]; }

// The line's name in CSV and JSON output: the enumerator, e.g. "committed_revenue".
constexpr std::string_view line_name(Line line) { return line_info(line).key; }
constexpr std::string_view line_label(Line line) { return line_info(line).label; }

// ---- membership, derived from the table ------------------------------------------------------

constexpr bool in_lease_revenue(Line line) { return line_info(line).pnl == PnlGroup::lease_revenue; }
constexpr bool in_revenue(Line line) {
  return in_lease_revenue(line) || line_info(line).pnl == PnlGroup::other_income;
}
constexpr bool is_operating_cost(Line line) { return line_info(line).pnl == PnlGroup::operating_cost; }
constexpr bool in_ebitda(Line line) { return in_revenue(line) || is_operating_cost(line); }
constexpr bool is_depreciation_or_sale(Line line) { return line_info(line).pnl == PnlGroup::depreciation_and_sale; }
constexpr bool is_financing_cost(Line line) { return line_info(line).pnl == PnlGroup::financing_cost; }
constexpr bool in_net_income(Line line) { return line_info(line).pnl != PnlGroup::none; }

// A running cost paid in cash in the month it is booked.
constexpr bool is_running_cost_paid(Line line) {
  return is_operating_cost(line) && line_info(line).cash == CashGroup::operating;
}
// A source of cash (when positive) or a use (when negative).
constexpr bool is_cash(Line line) { return line_info(line).cash != CashGroup::none; }
constexpr bool in_operating_cash_flow(Line line) {
  const CashGroup group = line_info(line).cash;
  return group == CashGroup::operating || group == CashGroup::income_tax;
}
// The project's own cash before any income tax.
constexpr bool in_free_cash_flow_pre_tax(Line line) {
  const CashGroup group = line_info(line).cash;
  return group == CashGroup::operating || group == CashGroup::investing;
}
// Free cash flow to the firm: the pre-tax flow less the tax the deal would pay with no debt.
constexpr bool in_free_cash_flow_to_firm(Line line) {
  return in_free_cash_flow_pre_tax(line) || line == Line::unlevered_income_tax;
}
// Free cash flow to equity: every cash line but the shareholders' own.
constexpr bool in_free_cash_flow_to_equity(Line line) {
  return is_cash(line) && line_info(line).cash != CashGroup::equity;
}
constexpr bool is_equity_flow(Line line) { return line_info(line).cash == CashGroup::equity; }

// In the year's taxable income: the levered base is the deal as financed (interest and fees
// deducted), the unlevered base the deal as if it had no debt. The gain on sale for tax (proceeds
// less the tax value) is added at the horizon by the tax computation; it is not a ledger line.
constexpr bool in_tax_base(Line line, bool levered) {
  const TaxBase base = line_info(line).tax_base;
  return base == TaxBase::included || (levered && base == TaxBase::levered_only);
}

// The lines for which `Predicate` holds, in the enum's order, as a constexpr array: the subtotals
// iterate these, which the compiler unrolls into the same sums as written by hand.
template <bool (*Predicate)(Line)>
constexpr auto lines_where() {
  constexpr std::size_t size = [] {
    std::size_t n = 0;
    for (std::size_t i = 0; i < line_count; ++i) n += Predicate(static_cast<Line>(i)) ? 1 : 0;
    return n;
  }();
  std::array<Line, size> lines{};
  std::size_t next = 0;
  for (std::size_t i = 0; i < line_count; ++i)
    if (Predicate(static_cast<Line>(i))) lines[next++] = static_cast<Line>(i);
  return lines;
}

namespace detail {
constexpr bool in_levered_tax_base(Line line) { return in_tax_base(line, true); }
constexpr bool in_unlevered_tax_base(Line line) { return in_tax_base(line, false); }
constexpr bool only_in_levered_tax_base(Line line) { return line_info(line).tax_base == TaxBase::levered_only; }
}  // namespace detail

// The ledger lines summed into a year's taxable income, as financed and as if unlevered.
inline constexpr auto levered_tax_base_lines = lines_where<detail::in_levered_tax_base>();
inline constexpr auto unlevered_tax_base_lines = lines_where<detail::in_unlevered_tax_base>();

template <num::Numeric Num>
class Ledger {
 public:
  Ledger(deal::Date start, int months, std::vector<std::string> running_cost_names)
      : start_(start),
        months_(months),
        running_cost_names_(std::move(running_cost_names)),
        values_(line_count * static_cast<std::size_t>(months)),  // zeros (value-initialised: a memset for double)
        running_costs_(running_cost_names_.size() * static_cast<std::size_t>(months)) {}

  deal::Date start() const { return start_; }
  int months() const { return months_; }

  Num& operator()(Line line, int month) { return values_[index(line, month)]; }
  const Num& operator()(Line line, int month) const { return values_[index(line, month)]; }
  // A line's months, month 0 first (they are stored side by side).
  std::span<const Num> row(Line line) const {
    return {values_.data() + index(line, 0), static_cast<std::size_t>(months_)};
  }
  std::span<Num> row(Line line) { return {values_.data() + index(line, 0), static_cast<std::size_t>(months_)}; }

  // The named running costs (O&M, staff, ...); their sum is Line::other_running_costs.
  const std::vector<std::string>& running_cost_names() const { return running_cost_names_; }
  Num& running_cost(std::size_t which, int month) {
    return running_costs_[which * static_cast<std::size_t>(months_) + static_cast<std::size_t>(month)];
  }
  const Num& running_cost(std::size_t which, int month) const {
    return running_costs_[which * static_cast<std::size_t>(months_) + static_cast<std::size_t>(month)];
  }

  // Sum of a line over months [first, last).
  Num total(Line line, int first, int last) const {
    Num sum(0);
    for (int m = first; m < last; ++m) sum += (*this)(line, m);
    return sum;
  }
  Num total(Line line) const { return total(line, 0, months_); }

 private:
  std::size_t index(Line line, int month) const {
    return static_cast<std::size_t>(line) * static_cast<std::size_t>(months_) +
           static_cast<std::size_t>(month);
  }

  deal::Date start_;
  int months_;
  std::vector<std::string> running_cost_names_;
  std::vector<Num> values_;
  std::vector<Num> running_costs_;
};

}  // namespace leasecalc::engine
