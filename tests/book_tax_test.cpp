// Book and tax as an accountant writes them: tax expense = current + deferred, a balance sheet that
// balances to the cent every month, and depreciation by tax year (declining balance and SYD
// against LibreOffice Calc, MACRS with the 40% test), on every bundled model, the deals built in
// code and a few hundred generated deals.
#include "support/csv.hpp"
#include "support/deals.hpp"
#include "support/model_text.hpp"

#include <leasecalc/engine/project.hpp>
#include <leasecalc/engine/statements.hpp>
#include <leasecalc/engine/tax_years.hpp>
#include <leasecalc/io/input_error.hpp>
#include <leasecalc/io/load_deal.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace {
using namespace leasecalc;
using engine::Line;
using num::Decimal;
using test::dec;

std::vector<std::string> bundled_models() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(LEASECALC_SOURCE_DIR) / "models"))
    if (entry.path().extension() == ".yaml") names.push_back(entry.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

deal::Deal load(const std::string& name) {
  if (name == "minimal") return test::minimal_deal();
  if (name == "rich") return test::rich_deal();
  return io::load_deal(std::string(LEASECALC_SOURCE_DIR) + "/models/" + name + ".yaml");
}

// The month's part of the year's taxable income as financed, rebuilt from the ledger; the gain on
// sale for tax, not a ledger line, is what the horizon's year's taxable income holds besides.
Decimal month_taxable_income(const engine::Ledger<Decimal>& l, int m) {
  return engine::unlevered_tax_base(l, m) + engine::tax_deductible_financing_costs(l, m);
}

// The current tax expense, accrued: over each tax year the months' expense adds up to the tax paid
// at its end, to the cent; the payable is what is accrued and not yet paid, nil after each payment;
// and each month's cumulated expense is the year's tax times the year's taxable income to date
// over the year's, rounded to the cent (IAS 34: the year's effective rate on each month's income).
void expect_current_tax_accrued(const deal::Deal& deal, const engine::Ledger<Decimal>& l) {
  Decimal payable(0);
  for (const auto& year : engine::tax_years(deal.start, deal.horizon_months, deal.tax.income.fiscal_year_start_month)) {
    const int close = year.end_month - 1;
    const Decimal paid = -l(Line::income_tax, close), year_base = l(Line::taxable_income, close);
    Decimal accrued(0), base_to_date(0);
    for (int m = year.first_month; m < year.end_month; ++m) {
      accrued -= l(Line::current_tax, m);
      payable += l(Line::income_tax, m) - l(Line::current_tax, m);
      ASSERT_EQ(l(Line::income_tax_payable, m), payable) << "month " << m;
      base_to_date += month_taxable_income(l, m);
      if (m == close) continue;  // the horizon's month also holds the gain on sale for tax
      if (paid == 0) {
        EXPECT_EQ(l(Line::current_tax, m), Decimal(0)) << "month " << m;
      } else if (year_base > 0) {
        EXPECT_EQ(accrued, num::round_cents(paid * base_to_date / year_base)) << "month " << m;
      }
    }
    EXPECT_EQ(accrued, paid) << "tax year ending in month " << close;
    EXPECT_EQ(l(Line::income_tax_payable, close), Decimal(0)) << "month " << close;
    EXPECT_EQ(payable, Decimal(0)) << "month " << close;
  }
}

// The books of one projected deal, checked: the balance sheet balances every month to the cent;
// the deferred tax balance is the cumulated deferred tax expense, rebuilt at each tax year's end
// from the fleet's values, the losses and the advance payments taxed ahead of the books, and back
// to nil at the horizon but for the advances still unearned then; over the life the tax expense is
// the tax paid, less that asset.
void expect_books_hold(const deal::Deal& deal, const engine::Ledger<Decimal>& l) {
  const auto sheets = engine::balance_sheets(l);
  ASSERT_EQ(static_cast<int>(sheets.size()), l.months());
  Decimal cumulated_deferred(0), advances_ahead(0);
  const Decimal rate = deal.tax.income.rate;
  std::set<int> closes;
  for (const auto& year : engine::tax_years(deal.start, deal.horizon_months, deal.tax.income.fiscal_year_start_month))
    closes.insert(year.end_month - 1);
  for (int m = 0; m < l.months(); ++m) {
    ASSERT_EQ(sheets[static_cast<std::size_t>(m)].imbalance(), Decimal(0)) << "month " << m;
    cumulated_deferred += l(Line::deferred_tax, m);
    advances_ahead += l(Line::advances_taxed_less_earned, m);
    ASSERT_EQ(l(Line::deferred_tax_liability, m), -cumulated_deferred) << "month " << m;
    if (closes.contains(m)) {
      const Decimal difference = l(Line::book_value, m) - l(Line::tax_value, m);
      const Decimal recognised = std::min(l(Line::tax_losses, m), std::max(difference, Decimal(0)));
      EXPECT_EQ(l(Line::deferred_tax_liability, m), num::round_cents((difference - recognised - advances_ahead) * rate))
          << "month " << m;
    } else {
      EXPECT_EQ(l(Line::income_tax, m), Decimal(0)) << "month " << m;  // paid at tax years' ends only
    }
  }
  // IAS 34: each tax year's tax expense, current and deferred, recognised as the book income is:
  // to each month, the year's expense times the year's pre-tax income to date over the year's,
  // rounded to the cent (evenly when the year's pre-tax income is nil).
  for (const auto& year : engine::tax_years(deal.start, deal.horizon_months, deal.tax.income.fiscal_year_start_month)) {
    Decimal year_expense(0), year_income(0);
    for (int m = year.first_month; m < year.end_month; ++m) {
      year_expense -= l(Line::current_tax, m) + l(Line::deferred_tax, m);
      year_income += engine::pre_tax_income(l, m);
    }
    Decimal expense_to_date(0), income_to_date(0);
    for (int m = year.first_month; m < year.end_month; ++m) {
      expense_to_date -= l(Line::current_tax, m) + l(Line::deferred_tax, m);
      income_to_date += engine::pre_tax_income(l, m);
      const Decimal share = year_income != 0 ? income_to_date / year_income
                                             : Decimal(m - year.first_month + 1) / Decimal(year.end_month - year.first_month);
      EXPECT_EQ(expense_to_date, num::round_cents(year_expense * share)) << "month " << m;
    }
  }
  // Advances are taxed ahead of the books only under a rule that says so.
  if (deal::advance_payments_rule(deal) == deal::IncomeTax::AdvancePayments::as_earned) {
    EXPECT_EQ(advances_ahead, Decimal(0));
  }
  const Decimal closing = num::round_cents(-advances_ahead * rate);  // nil unless unearned at the horizon
  EXPECT_EQ(l(Line::deferred_tax_liability, l.months() - 1), closing);
  EXPECT_EQ(l.total(Line::deferred_tax), -closing);
  // Tax expense (current + deferred) over the life = tax paid (the cash line), less the closing asset.
  EXPECT_EQ(l.total(Line::current_tax) + l.total(Line::deferred_tax), l.total(Line::income_tax) - closing);
  // Net income carries the accrued current tax and the deferred tax, not the tax paid.
  Decimal net(0), on_the_expense(0);
  for (int m = 0; m < l.months(); ++m) {
    net += engine::net_income(l, m);
    on_the_expense += engine::pre_tax_income(l, m) + l(Line::current_tax, m) + l(Line::deferred_tax, m);
  }
  EXPECT_EQ(net, on_the_expense);
  expect_current_tax_accrued(deal, l);
}

class Books : public ::testing::TestWithParam<std::string> {};

TEST_P(Books, BalanceEveryMonthAndDeferredTaxNetsToZero) {
  const deal::Deal deal = load(GetParam());
  expect_books_hold(deal, engine::project<Decimal>(deal));
}

TEST_P(Books, TheYearEndBalanceSheetIsTheMonthlyOneAtEachDealYearsEnd) {
  const deal::Deal deal = load(GetParam());
  const auto l = engine::project<Decimal>(deal);
  const auto table = engine::balance_sheet_statement(l);
  const auto sheets = engine::balance_sheets(l);
  const auto* gap = table.find("Assets less liabilities and equity");
  const auto* assets = table.find("Total assets");
  ASSERT_NE(gap, nullptr);
  ASSERT_NE(assets, nullptr);
  const auto years = engine::deal_years(l.months());
  ASSERT_EQ(assets->values.size(), years.size() + 1);
  for (std::size_t y = 0; y < years.size(); ++y)
    EXPECT_EQ(assets->values[y], sheets[static_cast<std::size_t>(years[y].end_month - 1)].assets);
  for (const Decimal& value : gap->values) EXPECT_EQ(value, Decimal(0));
  // Every balance line the line table puts on the sheet is a row of it.
  for (const auto& info : engine::line_table)
    EXPECT_EQ(table.find(info.label) != nullptr, info.sheet != engine::SheetSide::none) << info.key;
}

// The fast ledger's balance sheet, its equity cumulated over the months in double, balances to
// a hundredth of a cent.
TEST_P(Books, TheFastLedgerBalancesToRounding) {
  const deal::Deal deal = load(GetParam());
  const auto l = engine::project<double>(deal);
  for (const auto& sheet : engine::balance_sheets(l)) EXPECT_LE(std::fabs(sheet.imbalance()), 1e-4);
}

std::vector<std::string> all_cases() {
  auto names = bundled_models();
  names.push_back("minimal");
  names.push_back("rich");
  return names;
}

INSTANTIATE_TEST_SUITE_P(Deals, Books, ::testing::ValuesIn(all_cases()),
                         [](const auto& info) {
                           std::string name = info.param;
                           for (char& c : name)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });

// Deal years that straddle tax years carry no year-end artefact: with no losses carried and a
// positive taxable income in every tax year, each deal year's current tax expense is the rate times
// that deal year's taxable income, to within the rounding of the tax and of the accrual (2 cents),
// whichever month the tax years end in; the Guosen standard model starts in September.
TEST(CurrentTax, EachDealYearCarriesTheRateOnItsOwnTaxableIncome) {
  int checked = 0;
  for (const std::string& name : all_cases()) {
    SCOPED_TRACE(name);
    const deal::Deal deal = load(name);
    const auto l = engine::project<Decimal>(deal);
    const auto years = engine::tax_years(deal.start, deal.horizon_months, deal.tax.income.fiscal_year_start_month);
    bool applies = deal.tax.income.rate > 0;
    for (int m = 0; m < l.months(); ++m) applies = applies && l(Line::tax_losses, m) == 0;
    for (const auto& year : years) applies = applies && l(Line::taxable_income, year.end_month - 1) > 0;
    if (name == "guosen-2025-standard-10k") {
      ASSERT_TRUE(applies);
      ASSERT_NE(static_cast<int>(deal.start.month()), deal.tax.income.fiscal_year_start_month);
    }
    if (!applies) continue;
    ++checked;
    std::vector<Decimal> month_base;
    for (int m = 0; m < l.months(); ++m) month_base.push_back(month_taxable_income(l, m));
    // The horizon's month also holds the gain on sale for tax: the last tax year's income less its other months.
    Decimal others(0);
    for (int m = years.back().first_month; m < l.months() - 1; ++m) others += month_base[static_cast<std::size_t>(m)];
    month_base.back() = l(Line::taxable_income, l.months() - 1) - others;
    for (const auto& year : engine::deal_years(l.months())) {
      Decimal expense(0), base(0);
      for (int m = year.first_month; m < year.end_month; ++m) {
        expense -= l(Line::current_tax, m);
        base += month_base[static_cast<std::size_t>(m)];
      }
      EXPECT_LE(abs(expense - base * deal.tax.income.rate), dec("0.02")) << "deal year from month " << year.first_month;
    }
  }
  EXPECT_GE(checked, 2);
}

// ---- generated deals --------------------------------------------------------------------------

// The deals built in code, varied: start date and fiscal year, horizon, deliveries, book and tax
// methods, tax rate and loss rules, the VAT booking, debt or none, distribution dates, and prices
// low enough for losses.
deal::Deal generate_deal(std::mt19937_64& random) {
  const auto pick = [&](int low, int high) { return std::uniform_int_distribution<int>(low, high)(random); };
  deal::Deal d = pick(0, 2) == 0 ? test::minimal_deal() : test::rich_deal();
  const int year = pick(2000, 2040), month = pick(1, 12), day = pick(0, 1) == 0 ? 1 : pick(2, 28);
  const deal::Date start(static_cast<unsigned short>(year), static_cast<unsigned short>(month),
                         static_cast<unsigned short>(day));
  const auto shift = [&](deal::Date date) {
    return engine::month_start(start, engine::month_index(d.start, date));
  };
  for (auto& delivery : d.cluster.deliveries) delivery.date = shift(delivery.date);
  for (auto& contract : d.contracts)
    std::visit([&](auto& c) { c.start = shift(c.start); }, contract);
  d.start = start;
  d.horizon_months = std::max(d.horizon_months + pick(-24, 12), 6 + 12);
  d.tax.income.fiscal_year_start_month = pick(1, 12);
  d.tax.income.rate = Decimal(pick(0, 40)) / Decimal(100);
  d.tax.income.loss_carry_forward_years = pick(1, 10);
  d.tax.income.loss_offset_cap = Decimal(pick(30, 100)) / Decimal(100);
  d.tax.vat.refund_booked_as_income = pick(0, 1) == 1;
  d.tax.vat.input_vat_capitalised = pick(0, 1) == 1;
  if (pick(0, 2) == 0) d.tax.vat.sale_rate = Decimal(pick(0, 13)) / Decimal(100);
  if (pick(0, 3) > 0) d.tax.income.advance_payments = static_cast<deal::IncomeTax::AdvancePayments>(pick(0, 2));
  d.cluster.capex_vat_rate = Decimal(pick(0, 13)) / Decimal(100);
  const auto method = [&](bool for_tax) {
    deal::Depreciation policy;
    policy.life_months = 12 * pick(2, 6) + (pick(0, 3) == 0 ? pick(1, 11) : 0);
    policy.salvage_share = Decimal(pick(0, 10)) / Decimal(100);
    switch (pick(0, 3)) {
      case 0: policy.method = deal::StraightLine{}; break;
      case 1: policy.method = deal::DecliningBalance{Decimal(pick(10, 30)) / Decimal(10)}; break;
      case 2: policy.method = deal::SumOfYearsDigits{}; break;
      default:
        policy.method = deal::Macrs{std::array{3, 5, 7}[static_cast<std::size_t>(pick(0, 2))],
                                    static_cast<deal::Macrs::Convention>(pick(0, 2))};
        policy.salvage_share = 0;
    }
    if (for_tax && pick(0, 2) == 0) policy.bonus_share = Decimal(pick(0, 100)) / Decimal(100);
    return policy;
  };
  d.assets.book = method(false);
  d.assets.tax = method(true);
  // Cheaper rent: some deals make losses, carried forward.
  for (auto& contract : d.contracts)
    if (auto* lease = std::get_if<deal::TakeOrPay>(&contract))
      lease->price.amount = lease->price.amount * Decimal(pick(20, 120)) / Decimal(100);
  if (pick(0, 2) == 0) d.debt.clear();
  // Structures and the waterfall below the debt service, on some of the financed deals: a junior
  // tranche beside the senior, or the fleet sold and leased back; a reserve, a sweep, a lock-up.
  if (!d.debt.empty()) {
    switch (pick(0, 3)) {
      case 0: {
        deal::DebtTranche junior;
        junior.name = "junior";
        junior.share_of_capex = dec("0.1");
        junior.annual_rate = dec("0.12");
        junior.term_months = 12 * pick(1, 3);
        junior.rank = deal::Rank::junior;
        d.debt.push_back(junior);
        break;
      }
      case 1: {
        deal::DebtTranche sold;
        sold.name = "sale-leaseback";
        sold.kind = deal::DebtTranche::Kind::sale_leaseback;
        sold.annual_rate = dec("0.11");
        sold.term_months = 12 * pick(1, 4);
        sold.upfront_fee = dec("0.01");
        sold.sale_leaseback = deal::SaleLeaseback{dec("0.6"), std::nullopt, dec("0.2"), 0};
        d.debt = {sold};
        break;
      }
      default: break;
    }
    if (pick(0, 1) == 0) {
      d.waterfall.reserve_months = pick(0, 6);
      d.waterfall.cash_sweep = pick(0, 1) == 0 ? dec("0.5") : Decimal(0);
      if (pick(0, 1) == 0) d.waterfall.lock_up_dscr = dec("1.4");
    }
  }
  d.distributions = time::all_frequencies[static_cast<std::size_t>(pick(0, 3))];
  return d;
}

TEST(GeneratedBooks, BalanceEveryMonthAndDeferredTaxNetsToZero) {
  std::mt19937_64 random(20261201);
  // What the generated deals exercise, so that the invariants are not checked on trivial books.
  int with_liability = 0, with_asset = 0, with_losses_recognised = 0, with_vat_counted_twice = 0;
  int with_advances_ahead = 0, with_sale_vat = 0;
  int with_reserve = 0, with_trapped_cash = 0, with_junior_deferred = 0, with_sweep = 0, with_sale_leaseback = 0;
  for (int i = 0; i < 300; ++i) {
    const deal::Deal deal = generate_deal(random);
    SCOPED_TRACE("generated deal " + std::to_string(i));
    engine::Ledger<Decimal> ledger = engine::empty_ledger<Decimal>(deal);
    try {
      ledger = engine::project<Decimal>(deal);
    } catch (const std::invalid_argument& error) {
      ADD_FAILURE() << error.what();
      continue;
    }
    expect_books_hold(deal, ledger);
    if (HasFailure()) return;
    bool liability = false, asset = false, recognised = false, counted_twice = false, ahead = false;
    for (int m = 0; m < ledger.months(); ++m) {
      const Decimal deferred = ledger(Line::deferred_tax_liability, m);
      const Decimal difference = ledger(Line::book_value, m) - ledger(Line::tax_value, m);
      liability = liability || deferred > 0;
      asset = asset || deferred < 0;
      recognised = recognised || (difference > 0 && ledger(Line::tax_losses, m) > 0 && deal.tax.income.rate > 0 &&
                                  deferred < num::round_cents(difference * deal.tax.income.rate));
      counted_twice = counted_twice || ledger(Line::vat_in_fleet_and_credit, m) != 0;
      ahead = ahead || ledger(Line::advances_taxed_less_earned, m) != 0;
    }
    const auto ever = [&](Line line) {
      for (int m = 0; m < ledger.months(); ++m)
        if (ledger(line, m) != 0) return true;
      return false;
    };
    with_reserve += ever(Line::debt_service_reserve);
    with_trapped_cash += ever(Line::trapped_cash);
    with_junior_deferred += ever(Line::junior_deferred_balance);
    with_sweep += ever(Line::debt_swept);
    with_sale_leaseback += std::ranges::any_of(
        deal.debt, [](const auto& tranche) { return tranche.kind == deal::DebtTranche::Kind::sale_leaseback; });
    with_liability += liability;
    with_asset += asset;
    with_losses_recognised += recognised;
    with_vat_counted_twice += counted_twice;
    with_advances_ahead += ahead;
    with_sale_vat += ever(Line::vat_on_sale);
  }
  EXPECT_GT(with_advances_ahead, 30);
  EXPECT_GT(with_sale_vat, 30);
  EXPECT_GT(with_liability, 30);
  EXPECT_GT(with_asset, 30);
  EXPECT_GT(with_losses_recognised, 10);
  EXPECT_GT(with_vat_counted_twice, 30);
  std::cout << "generated books: " << with_reserve << " with a reserve, " << with_trapped_cash << " with trapped cash, "
            << with_junior_deferred << " with junior service deferred, " << with_sweep << " swept, "
            << with_sale_leaseback << " sold and leased back\n";
  EXPECT_GT(with_reserve, 10);
  EXPECT_GT(with_trapped_cash, 3);
  EXPECT_GT(with_junior_deferred, 3);
  EXPECT_GT(with_sweep, 5);
  EXPECT_GT(with_sale_leaseback, 30);
}

// ---- tax years ----------------------------------------------------------------------------------

TEST(TaxYears, AreFiscalYearsCutToTheHorizon) {
  // From 2025-09-01 over 30 months: Sep-Dec 2025, 2026, 2027, Jan-Feb 2028.
  const auto calendar = engine::tax_years(deal::Date(2025, 9, 1), 30, 1);
  ASSERT_EQ(calendar.size(), 4u);
  EXPECT_EQ(calendar[0].end_month, 4);
  EXPECT_EQ(calendar[1].end_month, 16);
  EXPECT_EQ(calendar[3].first_month, 28);
  EXPECT_EQ(calendar[3].end_month, 30);
  // April years: Sep 2025-Mar 2026 first.
  EXPECT_EQ(engine::tax_years(deal::Date(2025, 9, 1), 30, 4)[0].end_month, 7);
  // Starting on the fiscal year's first month, tax years are deal years.
  for (const auto& year : engine::tax_years(deal::Date(2025, 4, 1), 36, 4)) EXPECT_EQ(year.end_month - year.first_month, 12);
  EXPECT_EQ(engine::months_left_in_fiscal_year(deal::Date(2025, 9, 1), 0, 1), 4);
  EXPECT_EQ(engine::months_left_in_fiscal_year(deal::Date(2025, 9, 1), 4, 1), 12);
}

// Whatever the start, the fiscal year and the horizon (one that ends a fiscal year among them):
// contiguous years of at most 12 months, each after the first beginning in the fiscal year's first
// month, each before the last running a full year's end.
TEST(TaxYears, EveryYearAfterTheFirstBeginsInTheFiscalMonth) {
  for (int start_month = 1; start_month <= 12; ++start_month)
    for (int fiscal = 1; fiscal <= 12; ++fiscal)
      for (int horizon = 1; horizon <= 40; ++horizon) {
        const deal::Date start(2025, static_cast<unsigned short>(start_month), 1);
        const auto years = engine::tax_years(start, horizon, fiscal);
        ASSERT_FALSE(years.empty());
        EXPECT_EQ(years.front().first_month, 0);
        EXPECT_EQ(years.back().end_month, horizon);
        for (std::size_t i = 0; i < years.size(); ++i) {
          EXPECT_LE(years[i].end_month - years[i].first_month, 12);
          EXPECT_LT(years[i].first_month, years[i].end_month);
          if (i > 0) {
            EXPECT_EQ(years[i].first_month, years[i - 1].end_month);
            EXPECT_EQ(engine::calendar_month(start, years[i].first_month), fiscal) << start_month << " " << fiscal;
          }
          if (i + 1 < years.size()) {
            EXPECT_EQ(engine::calendar_month(start, years[i].end_month), fiscal);
          }
        }
      }
}

TEST(TaxYears, TaxIsBookedAtEachFiscalYearsEnd) {
  deal::Deal deal = test::minimal_deal();
  deal.start = deal::Date(2025, 9, 1);
  std::get<deal::TakeOrPay>(deal.contracts[0]).start = deal.start;
  deal.tax.income.rate = dec("0.25");
  for (const int fiscal_start : {1, 4}) {
    deal.tax.income.fiscal_year_start_month = fiscal_start;
    const auto l = engine::project<Decimal>(deal);
    const int first_close = fiscal_start == 1 ? 3 : 6;  // December 2025, March 2026
    EXPECT_LT(l(Line::income_tax, first_close), Decimal(0));
    // The first tax year's base: its months' rent less their depreciation.
    Decimal base(0);
    for (int m = 0; m <= first_close; ++m) base += l(Line::committed_revenue, m) + l(Line::tax_depreciation, m);
    EXPECT_EQ(l(Line::taxable_income, first_close), base);
    EXPECT_EQ(l(Line::income_tax, first_close), -num::round_cents(base * dec("0.25")));
  }
}

// ---- depreciation by tax year --------------------------------------------------------------------

// A 10M fleet placed in service in the deal's first month, depreciated for the books by `method`
// over 60 months, in a deal starting on 1 January or `start`.
engine::Ledger<Decimal> depreciated(deal::DepreciationMethod method, deal::Date start = deal::Date(2025, 1, 1),
                                    int fiscal_start = 1) {
  deal::Deal deal = test::minimal_deal();
  deal.start = start;
  std::get<deal::TakeOrPay>(deal.contracts[0]).start = start;
  deal.horizon_months = 72;
  deal.tax.income.fiscal_year_start_month = fiscal_start;
  deal.assets.book = {method, 60, 0};
  return engine::project<Decimal>(deal);
}

TEST(DepreciationByYear, DoubleDecliningTakesFortyPercentInTheFirstYear) {
  const auto l = depreciated(deal::DecliningBalance{2});
  EXPECT_EQ(-l.total(Line::book_depreciation, 0, 12), dec("4000000"));            // 40%
  EXPECT_EQ(-l.total(Line::book_depreciation, 12, 24), dec("2400000"));           // 40% of 60%
  EXPECT_EQ(-l.total(Line::book_depreciation, 0, 60), dec("10000000"));           // switches to SL, ends at 0
  EXPECT_EQ(l(Line::book_depreciation, 0), l(Line::book_depreciation, 11));       // spread evenly
}

TEST(DepreciationByYear, SumOfYearsDigitsTakesFiveFifteenthsInTheFirstYear) {
  const auto l = depreciated(deal::SumOfYearsDigits{});
  EXPECT_EQ(-l.total(Line::book_depreciation, 0, 12), num::round_cents(dec("10000000") * 5 / 15));
  EXPECT_EQ(-l.total(Line::book_depreciation, 48, 60), num::round_cents(dec("10000000") * 1 / 15));
  EXPECT_EQ(-l.total(Line::book_depreciation, 0, 60), dec("10000000"));
}

TEST(DepreciationByYear, APartFirstTaxYearTakesItsShare) {
  // In service from July with calendar tax years: 2025 takes half of the life's first year.
  const auto l = depreciated(deal::DecliningBalance{2}, deal::Date(2025, 7, 1));
  EXPECT_EQ(-l.total(Line::book_depreciation, 0, 6), dec("2000000"));
  // 2026: the other half of life year 1 (2M) and half of life year 2 (1.2M).
  EXPECT_EQ(-l.total(Line::book_depreciation, 6, 18), dec("3200000"));
  // The same deal with tax years from July is on whole years again.
  const auto july = depreciated(deal::DecliningBalance{2}, deal::Date(2025, 7, 1), 7);
  EXPECT_EQ(-july.total(Line::book_depreciation, 0, 12), dec("4000000"));
}

struct ByYearRow {
  std::string method;
  std::string cost, salvage, life, factor;
  int first_year_months = 12;
  int tax_year = 1;
  double expected = 0;
  int line = 0;
};

std::vector<ByYearRow> read_by_year_golden() {
  const std::string path = LEASECALC_SOURCE_DIR "/tests/golden/depreciation_by_year_golden.csv";
  std::ifstream file(path);
  if (!file) throw std::runtime_error("missing golden file " + path);
  std::string line;
  std::getline(file, line);
  if (line != "method,cost,salvage,life_years,factor,first_year_months,tax_year,expected")
    throw std::runtime_error("unexpected golden header: " + line);
  std::vector<ByYearRow> rows;
  for (int number = 2; std::getline(file, line); ++number) {
    const auto f = test::split(line, ',');
    if (f.size() != 8) throw std::runtime_error("line " + std::to_string(number) + ": want 8 fields");
    rows.push_back({f[0], f[1], f[2], f[3], f[4], std::stoi(f[5]), std::stoi(f[6]), std::stod(f[7]), number});
  }
  return rows;
}

template <num::Numeric Num>
std::vector<Num> by_tax_year(const ByYearRow& row) {
  const auto n = [](const std::string& text) { return num::from_string<Num>(text); };
  const std::vector<Num> life_years =
      row.method == "syd" ? engine::sum_of_years_digits_by_year(n(row.cost), n(row.salvage), n(row.life))
                          : engine::declining_balance_by_year(n(row.cost), n(row.salvage), n(row.life), n(row.factor),
                                                              row.method == "vdb");
  return engine::allocated_to_tax_years(life_years, row.first_year_months);
}

::testing::AssertionResult Near(double actual, double expected) {
  if (std::fabs(actual - expected) <= 1e-9 * std::max(1.0, std::fabs(expected))) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << actual << " vs LibreOffice " << expected;
}

TEST(DepreciationByYear, AgreesWithLibreOfficeDdbVdbAndSydAllocatedToTaxYears) {
  const auto rows = read_by_year_golden();
  ASSERT_GE(rows.size(), 500u);
  std::set<std::string> methods;
  for (const auto& row : rows) {
    methods.insert(row.method);
    SCOPED_TRACE("golden line " + std::to_string(row.line));
    const auto fast = by_tax_year<double>(row);
    const auto exact = by_tax_year<Decimal>(row);
    ASSERT_EQ(fast.size(), exact.size());
    // The golden lists every tax year of the life; the schedule has no more.
    const auto k = static_cast<std::size_t>(row.tax_year - 1);
    ASSERT_LT(k, fast.size());
    EXPECT_TRUE(Near(fast[k], row.expected));
    EXPECT_TRUE(Near(num::to_double(exact[k]), row.expected));
  }
  EXPECT_EQ(methods, (std::set<std::string>{"ddb", "syd", "vdb"}));
}

// ---- MACRS by tax year and the 40% test ------------------------------------------------------------

// 5-year MACRS for tax on a fleet delivered in lots: (deal month, servers) from 1 January 2025.
engine::Ledger<Decimal> macrs(std::vector<std::pair<int, int>> lots, deal::Macrs::Convention convention) {
  deal::Deal deal = test::minimal_deal();
  deal.horizon_months = 84;
  deal.cluster.deliveries.clear();
  int servers = 0;
  for (const auto& [month, count] : lots) {
    deal.cluster.deliveries.push_back({engine::month_start(deal.start, month), count});
    servers += count;
  }
  deal.cluster.servers = servers;
  std::get<deal::TakeOrPay>(deal.contracts[0]).servers = 1;
  deal.assets.tax = {deal::Macrs{5, convention}, 60, 0};
  return engine::project<Decimal>(deal);
}

Decimal tax_depreciation_in(const engine::Ledger<Decimal>& l, int year) { return -l.total(Line::tax_depreciation, year * 12, year * 12 + 12); }

TEST(MacrsByTaxYear, TheFortyPercentTestChoosesMidQuarter) {
  using Convention = deal::Macrs::Convention;
  const Decimal million(1000000);
  // All of 2025's property placed in service in October: mid-quarter, fourth quarter (5% in 2025).
  const auto q4 = macrs({{9, 10}}, Convention::forty_percent_test);
  EXPECT_EQ(tax_depreciation_in(q4, 0), num::round_cents(10 * million * dec("0.05")));
  EXPECT_EQ(tax_depreciation_in(q4, 1), num::round_cents(10 * million * dec("0.38")));
  // Forced half-year: 20% in 2025.
  EXPECT_EQ(tax_depreciation_in(macrs({{9, 10}}, Convention::half_year), 0), 10 * million * dec("0.2"));
  // 4 of 10 servers in the last quarter is not over 40%: half-year for all.
  EXPECT_EQ(tax_depreciation_in(macrs({{0, 6}, {10, 4}}, Convention::forty_percent_test), 0),
            10 * million * dec("0.2"));
  // 5 of 10 is: mid-quarter for all, each by its quarter (Q1 35%, Q4 5%).
  EXPECT_EQ(tax_depreciation_in(macrs({{0, 5}, {10, 5}}, Convention::forty_percent_test), 0),
            num::round_cents(5 * million * dec("0.35") + 5 * million * dec("0.05")));
  // Forced mid-quarter, by quarter: Q1 35% though the test would not apply.
  EXPECT_EQ(tax_depreciation_in(macrs({{0, 10}}, Convention::mid_quarter), 0), 10 * million * dec("0.35"));
}

// ---- the model file ---------------------------------------------------------------------------

TEST(FiscalYearStart, IsReadFromTheTaxSectionAndCheckedWithItsPlace) {
  const std::string model = std::string(LEASECALC_SOURCE_DIR) + "/models/china-h800-on-demand.yaml";
  std::ifstream file(model);
  const std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  const auto loaded = [&](const std::string& edited) {
    return io::parse_deal(edited, "model.yaml",
                          io::load_catalogue(std::string(LEASECALC_SOURCE_DIR) + "/models/catalog/gpus.yaml"));
  };
  EXPECT_EQ(loaded(text).tax.income.fiscal_year_start_month, 1);
  EXPECT_EQ(loaded(test::edit(text, "  income_tax: 25%\n", "  income_tax: 25%\n  fiscal_year_start: april\n"))
                .tax.income.fiscal_year_start_month,
            4);
  try {
    loaded(test::edit(text, "  income_tax: 25%\n", "  income_tax: 25%\n  fiscal_year_start: aprl\n"));
    ADD_FAILURE() << "accepted a misspelt month";
  } catch (const io::InputError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("model.yaml:"), std::string::npos) << message;
    EXPECT_NE(message.find("fiscal_year_start"), std::string::npos) << message;
    EXPECT_NE(message.find("april"), std::string::npos) << message;
  }
}

// ---- the VAT conventions (docs/model-format.md, "The VAT conventions") ----------------------------

std::string model_text(const std::string& name) {
  std::ifstream file(std::string(LEASECALC_SOURCE_DIR) + "/models/" + name + ".yaml");
  return std::string((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
}

deal::Deal parsed(const std::string& text) {
  return io::parse_deal(text, "model.yaml", io::load_catalogue(std::string(LEASECALC_SOURCE_DIR) + "/models/catalog/gpus.yaml"));
}

// The fleet's cost as the books carry it: depreciated over the life, and the rest sold.
Decimal cost_basis(const engine::Ledger<Decimal>& l) {
  return -l.total(Line::book_depreciation) + l.total(Line::sale_proceeds) - l.total(Line::gain_on_sale);
}

// Proper accounting, the default, keeps the input VAT it recovers (by offset or refund) out of the
// fleet's cost; the broker's reading, kept to reproduce the report, capitalises it and books the
// refund as income besides, so that the input VAT is recovered and depreciated both.
TEST(VatConvention, ProperKeepsRecoveredInputVatOutOfTheCostAndTheBrokerCountsItTwice) {
  const std::string text = model_text("guosen-2025-standard-10k");
  const deal::Deal broker = parsed(text);
  const deal::Deal proper = parsed(test::edit(text, "    convention: broker\n", "    convention: proper\n"));
  const deal::Deal by_default = parsed(test::edit(text, "    convention: broker\n", ""));
  EXPECT_TRUE(broker.tax.vat.input_vat_capitalised && broker.tax.vat.refund_booked_as_income);
  for (const deal::Deal* d : {&proper, &by_default})
    EXPECT_FALSE(d->tax.vat.input_vat_capitalised || d->tax.vat.refund_booked_as_income);

  const auto b = engine::project<Decimal>(broker), p = engine::project<Decimal>(proper);
  // The equipment invoices include 13% VAT: the VAT is 13/113 of what is paid, to a cent a delivery.
  const Decimal paid = -p.total(Line::capex), rate = proper.cluster.capex_vat_rate;
  ASSERT_TRUE(proper.cluster.price_includes_vat);
  ASSERT_GT(rate, Decimal(0));
  const Decimal input_vat = paid * rate / (1 + rate);
  const Decimal cents = Decimal(static_cast<int>(proper.cluster.deliveries.size())) / Decimal(100);
  EXPECT_LE(abs(cost_basis(p) - (paid - input_vat)), cents);
  EXPECT_EQ(cost_basis(b), paid);
  EXPECT_EQ(-b.total(Line::capex), paid);
  // The input VAT is recovered in cash under both: refunded and offset alike.
  EXPECT_GT(p.total(Line::vat_refunded), Decimal(0));
  EXPECT_EQ(p.total(Line::vat_refunded), b.total(Line::vat_refunded));
  const int last = p.months() - 1;
  EXPECT_EQ(p.total(Line::vat_paid, 0, last), b.total(Line::vat_paid, 0, last));
  // Only the broker books the refund as income, and only the broker's balance sheet shows the input
  // VAT it counts twice.
  EXPECT_EQ(p.total(Line::vat_refund_income), Decimal(0));
  EXPECT_EQ(b.total(Line::vat_refund_income), b.total(Line::vat_refunded));
  for (int m = 0; m < p.months(); ++m) EXPECT_EQ(p(Line::vat_in_fleet_and_credit, m), Decimal(0)) << "month " << m;
  // Output VAT on the sale: the equipment's rate on the price under proper accounting, none under
  // the broker's reading.
  EXPECT_EQ(p(Line::vat_on_sale, last), num::round_cents(rate * p(Line::sale_proceeds, last)));
  EXPECT_GT(p(Line::vat_on_sale, last), Decimal(0));
  EXPECT_EQ(b.total(Line::vat_on_sale), Decimal(0));
  // Pre-tax cash differs only in the sale: the broker's residual share also applies to the VAT.
  for (int m = 0; m + 1 < p.months(); ++m)
    EXPECT_EQ(engine::free_cash_flow_pre_tax(p, m), engine::free_cash_flow_pre_tax(b, m)) << "month " << m;
  EXPECT_GT(b.total(Line::sale_proceeds), p.total(Line::sale_proceeds));
  // Both keep their books balanced.
  expect_books_hold(proper, p);
  expect_books_hold(broker, b);
}

TEST(VatConvention, TheFormerKeyIsRefusedWithItsPlaceAndTheNewOne) {
  const std::string text = model_text("guosen-2025-standard-10k");
  try {
    parsed(test::edit(text, "    convention: broker\n", "    refund_booked_as: other_income\n"));
    ADD_FAILURE() << "accepted refund_booked_as";
  } catch (const io::InputError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("model.yaml:"), std::string::npos) << message;
    EXPECT_NE(message.find("tax.vat.refund_booked_as"), std::string::npos) << message;
    EXPECT_NE(message.find("convention"), std::string::npos) << message;
  }
  try {
    parsed(test::edit(text, "    convention: broker\n", "    convention: brokers\n"));
    ADD_FAILURE() << "accepted a misspelt convention";
  } catch (const io::InputError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("tax.vat.convention"), std::string::npos) << message;
    EXPECT_NE(message.find("broker"), std::string::npos) << message;
  }
}


// ---- output VAT on the sale of the fleet (docs/model-format.md, `tax.vat.sale_rate`) ------------

// The minimal deal with VAT: 10M of servers bought with 13% input VAT (1.3M), rent of 300,000 a
// month with 6% output VAT (18,000 a month), and the fleet sold after 36 months at a share of its
// cost. The credit left before the horizon's month is 1.3M - 35 x 18,000 = 670,000.
deal::Deal vat_deal(const char* residual_share) {
  deal::Deal d = test::minimal_deal();
  d.cluster.capex_vat_rate = dec("0.13");
  std::get<deal::TakeOrPay>(d.contracts[0]).vat_rate = dec("0.06");
  d.assets.residual = deal::ResidualShare{dec(residual_share)};
  d.tax.income.rate = dec("0.25");
  return d;
}

// Proper accounting charges the buyer 13% on the sale price and remits it with the month's other
// output VAT: it first absorbs the credit still carried, which comes back in cash. Against the same
// deal with no VAT on the sale, cash differs by exactly the credit absorbed, and nothing else does.
TEST(VatOnSale, AbsorbsTheUnusedInputCreditAndCashDiffersByIt) {
  struct Case {
    const char* residual;
    Decimal sale_vat, paid_in_last_month, credit_left, credit_absorbed;
  };
  // 30%: sale 3M, VAT 390,000; with the month's 18,000 on rent, 408,000 <= 670,000: all absorbed.
  // 60%: sale 6M, VAT 780,000; 798,000 - 670,000 = 128,000 paid; the 652,000 otherwise left absorbed.
  for (const Case& c : {Case{"0.3", dec("390000"), dec("0"), dec("262000"), dec("390000")},
                        Case{"0.6", dec("780000"), dec("128000"), dec("0"), dec("652000")}}) {
    SCOPED_TRACE(c.residual);
    const deal::Deal with = vat_deal(c.residual);
    deal::Deal without = with;
    without.tax.vat.sale_rate = Decimal(0);
    EXPECT_EQ(deal::vat_rate_on_sale(with), dec("0.13"));
    const auto l = engine::project<Decimal>(with), n = engine::project<Decimal>(without);
    const int last = l.months() - 1;
    EXPECT_EQ(l(Line::sale_proceeds, last), dec("10000000") * dec(c.residual));
    EXPECT_EQ(l(Line::vat_on_sale, last), c.sale_vat);
    EXPECT_EQ(-l(Line::vat_paid, last), c.paid_in_last_month);
    EXPECT_EQ(l(Line::vat_credit, last), c.credit_left);
    EXPECT_EQ(n(Line::vat_credit, last), dec("652000"));
    EXPECT_EQ(n(Line::vat_paid, last), Decimal(0));
    // VAT paid less refunded plus the change of the credit is output less input, every month.
    Decimal credit_before(0);
    for (int m = 0; m <= last; ++m) {
      const Decimal input = m == 0 ? dec("1300000") : Decimal(0);
      const Decimal output = dec("18000") + (m == last ? c.sale_vat : Decimal(0));
      EXPECT_EQ(-l(Line::vat_paid, m) - l(Line::vat_refunded, m) - (l(Line::vat_credit, m) - credit_before),
                output - input)
          << "month " << m;
      credit_before = l(Line::vat_credit, m);
    }
    // Cash: the same every month but the last, which gains the credit absorbed; the P&L and the
    // tax are the same (VAT is off the P&L).
    Decimal cash_gained(0), equity_gained(0);
    for (int m = 0; m <= last; ++m) {
      const Decimal gained = engine::free_cash_flow_pre_tax(l, m) - engine::free_cash_flow_pre_tax(n, m);
      if (m < last) {
        EXPECT_EQ(gained, Decimal(0)) << "month " << m;
      }
      cash_gained += gained;
      equity_gained += engine::free_cash_flow_to_equity(l, m) - engine::free_cash_flow_to_equity(n, m);
      EXPECT_EQ(engine::net_income(l, m), engine::net_income(n, m)) << "month " << m;
    }
    EXPECT_EQ(cash_gained, c.credit_absorbed);
    EXPECT_EQ(equity_gained, c.credit_absorbed);
    EXPECT_EQ(l.total(Line::income_tax), n.total(Line::income_tax));
    expect_books_hold(with, l);
    expect_books_hold(without, n);
  }
}

// The broker's reading charges no VAT on the sale unless the model says so; a seller outside VAT
// states 0%.
TEST(VatOnSale, TheRateIsTheModelsOrFollowsTheConvention) {
  const std::string text = model_text("guosen-2025-standard-10k");
  const deal::Deal broker = parsed(text);
  EXPECT_FALSE(broker.tax.vat.sale_rate.has_value());
  EXPECT_EQ(deal::vat_rate_on_sale(broker), Decimal(0));
  const deal::Deal proper = parsed(test::edit(text, "    convention: broker\n", "    convention: proper\n"));
  EXPECT_EQ(deal::vat_rate_on_sale(proper), dec("0.13"));
  const deal::Deal stated =
      parsed(test::edit(text, "    convention: broker\n", "    convention: proper\n    sale_rate: 3%\n"));
  EXPECT_EQ(deal::vat_rate_on_sale(stated), dec("0.03"));
  try {
    parsed(test::edit(text, "    convention: broker\n", "    convention: broker\n    sale_rate: 113%\n"));
    ADD_FAILURE() << "accepted a VAT rate above 100%";
  } catch (const io::InputError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("model.yaml:"), std::string::npos) << message;
    EXPECT_NE(message.find("tax.vat.sale_rate"), std::string::npos) << message;
  }
}

// ---- advance payments for tax (docs/model-format.md, `tax.advance_payments`) ----------------------

// A USD deal from July 2025, calendar tax years, 36 months: 10 servers on a 24-month contract at
// 300,000 a month, the whole contract value (7.2M) prepaid at signing and applied to the invoices
// as they fall due. The books earn 1.8M in 2025 (6 months), 3.6M in 2026 and 1.8M in 2027.
deal::Deal prepaid_deal() {
  deal::Deal d = test::minimal_deal();
  d.currency = "USD";
  d.start = deal::Date(2025, 7, 1);
  auto& lease = std::get<deal::TakeOrPay>(d.contracts[0]);
  lease.start = d.start;
  lease.term_months = 24;
  lease.prepayment_share = 1;
  d.tax.income.rate = dec("0.21");
  return d;
}

// Taxable income of each tax year (2025 to mid-2028) by hand from the contract's terms: the revenue
// taxed under each rule, plus the year's tax depreciation (the only other line of this deal).
TEST(AdvancePayments, EachRuleTaxesTheContractByHand) {
  using Rule = deal::IncomeTax::AdvancePayments;
  struct Case {
    Rule rule;
    std::array<const char*, 4> revenue_taxed;
    std::array<const char*, 4> deferred_tax_liability;  // at each tax year's end: -21% of what is taxed ahead
  };
  const Case cases[] = {
      {Rule::as_earned, {"1800000", "3600000", "1800000", "0"}, {"0", "0", "0", "0"}},
      // §451(c): 2025 takes what the books earn in it, 2026 the remaining 5.4M.
      {Rule::deferral, {"1800000", "5400000", "0", "0"}, {"0", "-378000", "0", "0"}},
      {Rule::as_received, {"7200000", "0", "0", "0"}, {"-1134000", "-378000", "0", "0"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(static_cast<int>(c.rule));
    deal::Deal d = prepaid_deal();
    d.tax.income.advance_payments = c.rule;
    const auto l = engine::project<Decimal>(d);
    const auto years = engine::tax_years(d.start, d.horizon_months, d.tax.income.fiscal_year_start_month);
    ASSERT_EQ(years.size(), 4u);
    for (std::size_t y = 0; y < years.size(); ++y) {
      const int close = years[y].end_month - 1;
      EXPECT_EQ(l(Line::taxable_income, close),
                dec(c.revenue_taxed[y]) + l.total(Line::tax_depreciation, years[y].first_month, years[y].end_month))
          << "tax year " << y;
      EXPECT_EQ(l(Line::deferred_tax_liability, close), dec(c.deferred_tax_liability[y])) << "tax year " << y;
    }
    // The books are the same under every rule: revenue as earned, the prepayment as deferred revenue.
    EXPECT_EQ(l(Line::deferred_revenue, 0), dec("6900000"));
    expect_books_hold(d, l);
    EXPECT_EQ(l(Line::deferred_tax_liability, l.months() - 1), Decimal(0));
    EXPECT_EQ(l.total(Line::current_tax) + l.total(Line::deferred_tax), l.total(Line::income_tax));
  }
}

TEST(AdvancePayments, TheDefaultIsTheUsRuleForUsdDealsAndIsReadWithItsPlace) {
  using Rule = deal::IncomeTax::AdvancePayments;
  deal::Deal d = prepaid_deal();
  EXPECT_EQ(deal::advance_payments_rule(d), Rule::deferral);
  d.currency = "CNY";
  EXPECT_EQ(deal::advance_payments_rule(d), Rule::as_earned);
  const std::string text = model_text("us-h100-take-or-pay");
  EXPECT_EQ(deal::advance_payments_rule(parsed(text)), Rule::deferral);
  const std::string anchor = "  income_tax: ";
  ASSERT_NE(text.find(anchor), std::string::npos);
  EXPECT_EQ(deal::advance_payments_rule(parsed(test::edit(text, anchor, "  advance_payments: as_received\n" + anchor))),
            Rule::as_received);
  try {
    parsed(test::edit(text, anchor, "  advance_payments: when_paid\n" + anchor));
    ADD_FAILURE() << "accepted an unknown rule";
  } catch (const io::InputError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("model.yaml:"), std::string::npos) << message;
    EXPECT_NE(message.find("tax.advance_payments"), std::string::npos) << message;
    EXPECT_NE(message.find("deferral"), std::string::npos) << message;
  }
}

}  // namespace
