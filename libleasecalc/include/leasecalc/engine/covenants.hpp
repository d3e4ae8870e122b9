#pragma once
// Covenant tests on a projected ledger: each test of the deal's `covenants` on each test date,
// with its value, threshold, headroom and pass or breach, the first breach of each test, and
// each debt tranche against the contracts that repay it ("outlives its contracts by N months").
//
// Definitions (docs/metrics.md, "Covenants"), at the end of test month t:
// - DSCR: engine::debt_service_coverage, the one definition the yearly DSCR metric also uses, over
//   the look-back (the trailing 12 months, or the test period), months before the start left out.
// - LTV: debt outstanding over the fleet's value by the model's residual rule
//   (phases::fleet_residual_value, what the fleet fetches when it is sold at the horizon).
// - Contract fulfilment: the lease revenue still to be earned under the signed take-or-pay terms
//   (the contracted backlog, after SLA credits; not follow-on renewals or re-leasing), over what
//   the lenders are still owed (interest and principal after t, the repayment from the sale
//   included), both to the horizon.
// - Largest-customer share: the largest take-or-pay contract's lease revenue over the look-back
//   (its follow-on renewal included: the same customer) over all the lease revenue then.
// Headroom is signed and relative to the threshold: value / threshold - 1 for a minimum,
// 1 - value / threshold for a maximum; a test is breached when its headroom is negative. A date
// is tested while debt is owed in its month; a test whose value has no denominator there (no
// debt service, no collateral, nothing left owed, no lease revenue) is not tested on that date.

#include "leasecalc/deal/deal.hpp"
#include "leasecalc/engine/ledger.hpp"
#include "leasecalc/engine/metrics.hpp"
#include "leasecalc/engine/phases/capex.hpp"
#include "leasecalc/engine/phases/contract_segments.hpp"
#include "leasecalc/engine/phases/fleet_value.hpp"
#include "leasecalc/engine/phases/revenue.hpp"
#include "leasecalc/engine/phases/booking.hpp"
#include "leasecalc/engine/phases/sale_leaseback.hpp"
#include "leasecalc/engine/statements.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace leasecalc::engine {

enum class CovenantTest { minimum_dscr, maximum_ltv, minimum_contract_fulfilment, maximum_customer_share };

// How a covenant value is shown: a multiple (1.35x) or a share (62.0%).
enum class CovenantFormat { multiple, share };

struct CovenantTestInfo {
  CovenantTest test;
  std::string_view key;    // in the model file, CSV and JSON
  std::string_view label;  // in the terminal table
  bool is_minimum;         // breached below the threshold (else above it)
  CovenantFormat format;
};

// The tests, described once: every writer iterates them in this order.
inline constexpr std::array<CovenantTestInfo, 4> covenant_tests{{
    {CovenantTest::minimum_dscr, "minimum_dscr", "Minimum DSCR", true, CovenantFormat::multiple},
    {CovenantTest::maximum_ltv, "maximum_ltv", "Maximum loan-to-value", false, CovenantFormat::share},
    {CovenantTest::minimum_contract_fulfilment, "minimum_contract_fulfilment", "Minimum contract fulfilment", true,
     CovenantFormat::multiple},
    {CovenantTest::maximum_customer_share, "maximum_customer_share", "Maximum largest-customer share", false,
     CovenantFormat::share},
}};

constexpr const CovenantTestInfo& covenant_test_info(CovenantTest test) {
  return covenant_tests[static_cast<std::size_t>(test)];
}

// The model's threshold for a test, if the model sets one.
inline const std::optional<deal::Decimal>& covenant_threshold(const deal::Covenants& covenants, CovenantTest test) {
  switch (test) {
    case CovenantTest::minimum_dscr: return covenants.minimum_dscr;
    case CovenantTest::maximum_ltv: return covenants.maximum_ltv;
    case CovenantTest::minimum_contract_fulfilment: return covenants.minimum_contract_fulfilment;
    case CovenantTest::maximum_customer_share: return covenants.maximum_customer_share;
  }
  return covenants.minimum_dscr;
}

// Signed headroom of `value` against `threshold`, as a share of the threshold.
inline double covenant_headroom(bool is_minimum, double value, double threshold) {
  return is_minimum ? value / threshold - 1 : 1 - value / threshold;
}

// One test on one test date.
struct CovenantObservation {
  std::optional<double> value;     // none: not tested on this date (`note` says why)
  std::optional<double> headroom;  // with the value
  bool breached = false;
  std::string note;  // the largest customer's contract, or why there is no value
};

struct CovenantTestResult {
  CovenantTest test;
  double threshold = 0;
  std::vector<CovenantObservation> observations;  // one per test date
  std::optional<std::size_t> minimum_headroom;    // index of the date with the least headroom
  std::optional<std::size_t> first_breach;        // index of the first breached date
};

// A debt tranche's maturity against the end of the signed contracts.
struct TrancheTenor {
  std::string tranche;
  int maturity_month = 0;  // the month after the last scheduled repayment, from the first drawing
  std::optional<int> contracts_end_month;  // the month after the last signed take-or-pay term; none without one
  int months_past_contracts = 0;           // > 0: the loan outlives its contracts by this many months
  bool matures_after_horizon = false;      // the rest is repaid from the sale at the horizon
};

struct CovenantReport {
  deal::Covenants terms;
  std::vector<int> test_months;  // deal months at whose end the tests are run
  std::vector<CovenantTestResult> tests;  // the tests the model sets, in covenant_tests order
  std::vector<TrancheTenor> tranches;     // every tranche drawn
};

namespace covenant_detail {

// Lease revenue by month of each take-or-pay contract, billed on its own (the revenue phase on a
// scratch ledger): `signed_term` its signed term only, `customer` with its follow-on renewal.
template <num::Numeric Num>
struct ContractRevenue {
  std::string name;
  std::vector<Num> signed_term;
  std::vector<Num> customer;
};

template <num::Numeric Num>
std::vector<ContractRevenue<Num>> contract_revenue(const deal::Deal& deal) {
  const int horizon = deal.horizon_months;
  std::vector<ContractRevenue<Num>> result;
  const auto segments = phases::contract_segments(deal);
  for (const auto& contract : deal.contracts) {
    const auto* take_or_pay = std::get_if<deal::TakeOrPay>(&contract);
    if (!take_or_pay) continue;
    const auto lease_revenue_of = [&](bool with_follow_on) {
      Ledger<Num> scratch = empty_ledger<Num>(deal);
      phases::Revenue<Num> revenue{{phases::zero_months<Num>(horizon), phases::zero_months<Num>(horizon)},
                                   {phases::zero_months<Num>(horizon)},
                                   {phases::zero_months<Num>(horizon), phases::zero_months<Num>(horizon)},
                                   {}};
      for (const auto& segment : segments)
        if (segment.take_or_pay == take_or_pay && segment.kind == phases::Segment::Kind::committed &&
            (with_follow_on || !segment.follow_on))
          phases::revenue_detail::bill_committed(segment, horizon, deal.credit_classes, deal.billed_share, scratch, revenue);
      std::vector<Num> by_month;
      for (int m = 0; m < horizon; ++m) by_month.push_back(lease_revenue(scratch, m));
      return by_month;
    };
    result.push_back({take_or_pay->name, lease_revenue_of(false), lease_revenue_of(true)});
  }
  return result;
}

inline std::vector<int> test_months(const deal::Covenants& covenants, deal::Date start, int horizon, int first_draw) {
  const int period = time::months_per_period(covenants.frequency);
  const int first = covenants.first_test ? month_index(start, *covenants.first_test) : first_draw + period - 1;
  std::vector<int> months;
  for (int m = std::max(first, 0); m < horizon; m += period) months.push_back(m);
  return months;
}

}  // namespace covenant_detail

// `contract_tests` false leaves out the tests that bill each contract again (minimum contract
// fulfilment, maximum customer share): a Monte Carlo scenario counts only the DSCR and LTV tests.
// `capex` is the deal's capex payments (engine/phases/capex.hpp): the collateral and the drawings.
template <num::Numeric Num>
CovenantReport covenant_report(const deal::Deal& deal, const Ledger<Num>& l, const phases::CapexPayments<Num>& capex,
                               bool contract_tests = true) {
  CovenantReport report;
  report.terms = deal.covenants;
  const int horizon = l.months();
  const auto first_capex = std::find_if(capex.cash.begin(), capex.cash.end(), [](const Num& c) { return c != 0; });

  // Each tranche against the signed contracts.
  std::optional<int> contracts_end;
  for (const auto& segment : phases::contract_segments(deal))
    if (segment.kind == phases::Segment::Kind::committed && !segment.follow_on)
      contracts_end = std::max(contracts_end.value_or(segment.end_month), segment.end_month);
  if (first_capex != capex.cash.end()) {
    const int first_draw = static_cast<int>(first_capex - capex.cash.begin());
    const auto last_capex = std::find_if(capex.cash.rbegin(), capex.cash.rend(), [](const Num& c) { return c != 0; });
    const int last_draw = static_cast<int>(capex.cash.rend() - last_capex) - 1;
    for (const auto& tranche : deal.debt) {
      if (tranche.amount == 0 && tranche.share_of_capex == 0 && !tranche.sale_leaseback) continue;  // never drawn
      TrancheTenor tenor;
      tenor.tranche = tranche.name;
      tenor.maturity_month = tranche.sale_leaseback  // drawn once, at the sale
                                 ? phases::sale_leaseback_terms(deal, tranche, capex).repurchase_month + 1
                                 : deal::last_payment_month(tranche, first_draw, last_draw) + 1;
      tenor.contracts_end_month = contracts_end;
      tenor.months_past_contracts = std::max(0, tenor.maturity_month - std::max(contracts_end.value_or(first_draw), first_draw));
      tenor.matures_after_horizon = tenor.maturity_month > horizon;
      report.tranches.push_back(tenor);
    }
  }

  if (!deal.covenants.any()) return report;
  int first_draw = -1;
  for (int m = 0; m < horizon && first_draw < 0; ++m)
    if (l(Line::debt_drawn, m) > 0) first_draw = m;
  if (first_draw < 0) return report;
  // A date is tested while debt is owed in its month.
  for (const int m : covenant_detail::test_months(deal.covenants, deal.start, horizon, first_draw))
    if (l(Line::debt_drawn, m) > 0 || (m > 0 && l(Line::debt_outstanding, m - 1) > 0))
      report.test_months.push_back(m);

  const int period = time::months_per_period(deal.covenants.frequency);
  const int look_back =
      deal.covenants.look_back == deal::CovenantLookBack::trailing_12_months ? 12 : period;
  // Billed again contract by contract only for the tests that read it.
  const auto contracts = contract_tests && (deal.covenants.minimum_contract_fulfilment || deal.covenants.maximum_customer_share)
                             ? covenant_detail::contract_revenue<Num>(deal)
                             : std::vector<covenant_detail::ContractRevenue<Num>>{};

  for (const CovenantTestInfo& info : covenant_tests) {
    const auto& threshold = covenant_threshold(deal.covenants, info.test);
    if (!threshold) continue;
    if (!contract_tests &&
        (info.test == CovenantTest::minimum_contract_fulfilment || info.test == CovenantTest::maximum_customer_share))
      continue;
    CovenantTestResult result{info.test, num::to_double(*threshold), {}, std::nullopt, std::nullopt};
    for (const int t : report.test_months) {
      const int window_start = std::max(0, t - look_back + 1);
      CovenantObservation seen;
      switch (info.test) {
        case CovenantTest::minimum_dscr:
          seen.value = debt_service_coverage(l, window_start, t + 1);
          if (!seen.value) seen.note = "no debt service in the look-back";
          break;
        case CovenantTest::maximum_ltv: {
          const Num collateral = phases::fleet_residual_value(deal, capex, t);
          if (collateral > 0) seen.value = num::to_double(l(Line::debt_outstanding, t)) / num::to_double(collateral);
          else seen.note = "no collateral value";
          break;
        }
        case CovenantTest::minimum_contract_fulfilment: {
          Num backlog(0), owed(0);
          for (int m = t + 1; m < horizon; ++m) {
            for (const auto& contract : contracts) backlog += contract.signed_term[static_cast<std::size_t>(m)];
            owed -= debt_service(l, m) + l(Line::debt_prepaid, m);
          }
          if (owed > 0) seen.value = num::to_double(backlog) / num::to_double(owed);
          else seen.note = "nothing left owed after the date";
          break;
        }
        case CovenantTest::maximum_customer_share: {
          Num total(0);
          for (int m = window_start; m <= t; ++m) total += lease_revenue(l, m);
          if (!(total > 0)) {
            seen.note = "no lease revenue in the look-back";
            break;
          }
          std::optional<Num> largest;
          for (const auto& contract : contracts) {
            Num own(0);
            for (int m = window_start; m <= t; ++m) own += contract.customer[static_cast<std::size_t>(m)];
            if (!largest || own > *largest) {
              largest = own;
              seen.note = contract.name;
            }
          }
          seen.value = largest ? num::to_double(*largest) / num::to_double(total) : 0.0;
          break;
        }
      }
      if (seen.value) {
        seen.headroom = covenant_headroom(info.is_minimum, *seen.value, result.threshold);
        seen.breached = *seen.headroom < 0;
        const std::size_t index = result.observations.size();
        if (!result.minimum_headroom || *seen.headroom < *result.observations[*result.minimum_headroom].headroom)
          result.minimum_headroom = index;
        if (seen.breached && !result.first_breach) result.first_breach = index;
      }
      result.observations.push_back(std::move(seen));
    }
    report.tests.push_back(std::move(result));
  }
  return report;
}

// The same, paying the capex again (a pure phase, on a scratch ledger).
template <num::Numeric Num>
CovenantReport covenant_report(const deal::Deal& deal, const Ledger<Num>& l, bool contract_tests = true) {
  Ledger<Num> scratch = empty_ledger<Num>(deal);
  return covenant_report(deal, l, phases::pay_capex(deal, scratch), contract_tests);
}

}  // namespace leasecalc::engine
