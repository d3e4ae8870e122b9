#pragma once
// Debt-sizing phase: a tranche with `sizing` is sized on the deal before it is scheduled. Its face
// amount is the smallest of
//   (a) the sculpted size: the present value, at the loan's own monthly factors, of the contracted
//       CFADS over the target DSCR in each payment month, per unit of drawings made pro rata to
//       the capex (for drawings all in one month: PV(CFADS) / DSCR at the drawing);
//   (b) the LTV limit: the maximum LTV times the collateral's value (book value, or the residual
//       rule's value) at the end of the last drawing month;
//   (c) the tranche's share_of_capex of the capex it draws on, and (d) its amount, when given;
// and never above the cost it funds: the capex in its availability window less the other
// tranches' commitments. The smallest binds (ties go to the earlier in that order).
//
// CFADS (docs/metrics.md), month m: the operating cash flow after tax (what the DSCR metric counts)
// with the customer receipts replaced by the receipts of the signed take-or-pay terms only:
//   contracted receipts - running costs paid - VAT paid (net of refunds) - income tax,
// the income tax counted as it accrues: each tax year's tax (paid at the year's end) in equal
// monthly parts over that year's months, the last part taking the rounding. A sculpted schedule
// thus meets its DSCR in the months of a year and over the year, as a lender tests it, rather
// than breaking at each year end when the tax falls due.
// On-demand revenue, re-leasing and follow-on renewals are not counted: lenders size on contracted
// cash. The payment months run from the month after the first drawing to the last payment (or the
// horizon's last month, where the sale repays what is left); a month of negative CFADS counts as
// zero.
//
// The circularity: the income tax deducts the interest, which depends on the size and the
// sculpted schedule. The sizing is solved as a fixed point on the monthly income tax: size and
// schedule the debt with the tax of the last round, assess the tax on that schedule, and repeat
// until no month's tax moves by more than a cent (at most `max_sizing_rounds`, else
// std::runtime_error naming the tranche). At the fixed point the projection's own tax is the one
// sized on, to the cent. Booking to the cent can leave the rounds alternating by a few cents
// where the exact fixed point falls between cents: the sizing then takes the round with the more
// tax, and reports the alternation (TrancheSizing::tax_alternation).
//
// Reads: the deal, the capex payments, the taxable gain on the sale and the ledger's lines up to
// the VAT phase. Writes nothing: returns each tranche's terms (the debt phase books them) and each
// sized tranche's constraints.

#include "leasecalc/deal/deal.hpp"
#include "leasecalc/engine/ledger.hpp"
#include "leasecalc/engine/phases/booking.hpp"
#include "leasecalc/engine/phases/capex.hpp"
#include "leasecalc/engine/phases/contract_segments.hpp"
#include "leasecalc/engine/phases/debt.hpp"
#include "leasecalc/engine/phases/fleet_value.hpp"
#include "leasecalc/engine/phases/income_tax.hpp"
#include "leasecalc/engine/phases/revenue.hpp"
#include "leasecalc/engine/statements.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace leasecalc::engine {

// What limits a sized tranche, in the order ties are broken.
enum class SizingConstraint { sculpted_dscr, loan_to_value, share_of_cost, amount, cost };

struct SizingConstraintInfo {
  SizingConstraint constraint;
  std::string_view key;    // in CSV and JSON
  std::string_view label;  // in the terminal table
};

inline constexpr std::array<SizingConstraintInfo, 5> sizing_constraints{{
    {SizingConstraint::sculpted_dscr, "sculpted_dscr", "Sculpted at the target DSCR"},
    {SizingConstraint::loan_to_value, "loan_to_value", "Loan-to-value limit"},
    {SizingConstraint::share_of_cost, "share_of_cost", "Share of cost"},
    {SizingConstraint::amount, "amount", "Amount cap"},
    {SizingConstraint::cost, "cost", "Cost funded"},
}};

constexpr const SizingConstraintInfo& sizing_constraint_info(SizingConstraint constraint) {
  return sizing_constraints[static_cast<std::size_t>(constraint)];
}

// One sized tranche: each constraint's amount (none where the model sets none; the cost always),
// the one that binds, and the size.
template <num::Numeric Num>
struct TrancheSizing {
  std::string tranche;
  std::array<std::optional<Num>, sizing_constraints.size()> limits;  // by SizingConstraint
  SizingConstraint binding = SizingConstraint::cost;
  Num size{0};
  int rounds = 0;  // of the fixed point on the income tax (1 when nothing is sculpted)
  // Where booking to the cent leaves the fixed point alternating between two rounds: the largest
  // move of a month's tax between them (a few cents), sized on the round with the more tax; else 0.
  Num tax_alternation{0};

  const std::optional<Num>& limit(SizingConstraint constraint) const {
    return limits[static_cast<std::size_t>(constraint)];
  }
};

// The sizing phase's result: the terms of every tranche (none when no tranche is sized) and each
// sized tranche's constraints.
template <num::Numeric Num>
struct SizedDebt {
  std::vector<phases::DebtTerms<Num>> terms;
  std::vector<TrancheSizing<Num>> sizing;
};

inline constexpr int max_sizing_rounds = 100;

namespace phases {

namespace sizing_detail {

// The customer receipts of the signed take-or-pay terms (no follow-on, re-lease or on-demand), by
// month: the revenue phase on a scratch ledger.
template <num::Numeric Num>
Months<Num> contracted_receipts(const deal::Deal& deal) {
  const int horizon = deal.horizon_months;
  Ledger<Num> scratch(deal.start, horizon, {});
  Revenue<Num> revenue{{zero_months<Num>(horizon), zero_months<Num>(horizon)},
                       {zero_months<Num>(horizon)},
                       {zero_months<Num>(horizon), zero_months<Num>(horizon)},
                       {}};
  for (const auto& segment : contract_segments(deal))
    if (segment.kind == Segment::Kind::committed && !segment.follow_on)
      revenue_detail::bill_committed(segment, horizon, deal.credit_classes, deal.billed_share, scratch, revenue);
  Months<Num> receipts = zero_months<Num>(horizon);
  for (int m = 0; m < horizon; ++m) at(receipts, m) = scratch(Line::customer_receipts, m);
  return receipts;
}

// The deal months of a tranche's drawings and of its last payment, from the capex it draws on.
struct DrawingSpan {
  int first_draw = -1, last_draw = -1, last_payment = -1;
};

template <num::Numeric Num>
DrawingSpan drawing_span(const deal::DebtTranche& tranche, const Months<Num>& drawable) {
  DrawingSpan span;
  for (int m = 0; m < static_cast<int>(drawable.size()); ++m) {
    if (at(drawable, m) == 0) continue;
    if (span.first_draw < 0) span.first_draw = m;
    span.last_draw = m;
  }
  if (span.first_draw >= 0) span.last_payment = deal::last_payment_month(tranche, span.first_draw, span.last_draw);
  return span;
}

// The collateral's value at the end of month m, as the tranche's sizing takes it.
template <num::Numeric Num>
Num collateral_value(const deal::Deal& deal, const deal::DebtSizing& sizing, const CapexPayments<Num>& capex,
                     const Ledger<Num>& ledger, int m) {
  return sizing.collateral == deal::Collateral::book_value ? ledger(Line::book_value, m)
                                                           : fleet_residual_value(deal, capex, m);
}

// A sized tranche's terms and constraints, given the CFADS by month.
template <num::Numeric Num>
std::pair<DebtTerms<Num>, TrancheSizing<Num>> size_tranche(const deal::Deal& deal, std::size_t index,
                                                           const CapexPayments<Num>& capex, const Ledger<Num>& ledger,
                                                           const Months<Num>& cfads) {
  const deal::DebtTranche& tranche = deal.debt[index];
  const deal::DebtSizing& sizing = *tranche.sizing;
  const int horizon = deal.horizon_months;
  const Months<Num> drawable = debt_detail::capex_in_window(tranche, capex.cash);
  Num window_cost(0);
  for (const auto& cash : drawable) window_cost += cash;
  TrancheSizing<Num> result;
  result.tranche = tranche.name;
  DebtTerms<Num> terms;
  // The ceiling: the capex it draws on, less what the other tranches commit.
  Num others(0);
  for (std::size_t j = 0; j < deal.debt.size(); ++j)
    if (j != index && !deal.debt[j].sizing) {
      Num their_capex(0);
      for (const auto& cash : debt_detail::capex_in_window(deal.debt[j], capex.cash)) their_capex += cash;
      others += debt_detail::stated_commitment(deal.debt[j], their_capex);
    }
  auto& limits = result.limits;
  const auto limit = [&](SizingConstraint c) -> std::optional<Num>& { return limits[static_cast<std::size_t>(c)]; };
  limit(SizingConstraint::cost) = std::max(window_cost - others, Num(0));
  const DrawingSpan span = drawing_span(tranche, drawable);
  if (span.first_draw >= 0) {
    const bool sculpts = tranche.amortisation == deal::Amortisation::sculpted ||
                         tranche.amortisation == deal::Amortisation::greater_of;
    if (sizing.target_dscr) {
      const Num dscr = as<Num>(*sizing.target_dscr);
      Months<Num> service = zero_months<Num>(horizon);
      for (int m = span.first_draw + 1; m <= std::min(span.last_payment, horizon - 1); ++m)
        at(service, m) = booked(std::max(at(cfads, m), Num(0)) / dscr);
      // Discounted to the first drawing at the loan's own factors: the drawings the service repays.
      const debt_detail::Accrual<Num> accrued =
          debt_detail::accrual<Num>(tranche, deal.start, std::max(span.last_payment, horizon) + 1);
      Num discount(1), drawn_value(0), service_value(0);
      for (int m = span.first_draw; m < horizon; ++m) {
        if (m > span.first_draw) discount /= Num(1) + at(accrued.factors, m);
        drawn_value += at(drawable, m) / window_cost * discount;
        service_value += at(service, m) * discount;
      }
      limit(SizingConstraint::sculpted_dscr) = std::max(booked(service_value / drawn_value), Num(0));
      if (sculpts) terms.sculpted_service = std::move(service);
    }
    if (sizing.maximum_ltv) {
      const Num ltv = as<Num>(*sizing.maximum_ltv);
      limit(SizingConstraint::loan_to_value) =
          booked(ltv * collateral_value(deal, sizing, capex, ledger, span.last_draw));
      if (tranche.amortisation == deal::Amortisation::greater_of) {
        terms.maximum_balance = zero_months<Num>(horizon);
        for (int m = span.first_draw; m < horizon; ++m)
          at(terms.maximum_balance, m) = booked(ltv * collateral_value(deal, sizing, capex, ledger, m));
      }
    }
  }
  if (tranche.share_of_capex != 0)
    limit(SizingConstraint::share_of_cost) = booked(window_cost * as<Num>(tranche.share_of_capex));
  if (tranche.amount != 0) limit(SizingConstraint::amount) = as<Num>(tranche.amount);
  result.size = *limit(SizingConstraint::cost);
  result.binding = SizingConstraint::cost;
  for (const auto& info : sizing_constraints) {
    const auto& amount = limit(info.constraint);
    if (amount && *amount <= result.size && (*amount < result.size || info.constraint < result.binding)) {
      result.size = *amount;
      result.binding = info.constraint;
    }
  }
  terms.commitment = result.size;
  return {std::move(terms), std::move(result)};
}

}  // namespace sizing_detail

template <num::Numeric Num>
SizedDebt<Num> size_debt(const deal::Deal& deal, const CapexPayments<Num>& capex, const SaleGain<Num>& sale_gain,
                         const Ledger<Num>& ledger) {
  SizedDebt<Num> sized;
  const bool any_sized = std::ranges::any_of(deal.debt, [](const auto& tranche) { return tranche.sizing.has_value(); });
  if (!any_sized) return sized;
  const int horizon = deal.horizon_months;
  const bool circular = std::ranges::any_of(deal.debt, [](const auto& tranche) {
    return tranche.sizing && tranche.sizing->target_dscr.has_value();
  });
  // CFADS before income tax: the operating cash flow with the contracted receipts only (the
  // ledger holds no income tax yet).
  const Months<Num> contracted = circular ? sizing_detail::contracted_receipts<Num>(deal) : Months<Num>{};
  Months<Num> before_tax = zero_months<Num>(circular ? horizon : 0);
  for (int m = 0; circular && m < horizon; ++m)
    at(before_tax, m) = operating_cash_flow(ledger, m) - ledger(Line::customer_receipts, m) + at(contracted, m);
  Months<Num> tax = zero_months<Num>(horizon);  // accrued (negative) by month, sized on this round
  Months<Num> before;                           // sized on the round before
  Num alternation(0);
  bool last_round = false;
  for (int round = 1;; ++round) {
    Months<Num> cfads = before_tax;
    for (int m = 0; circular && m < horizon; ++m) at(cfads, m) += at(tax, m);
    sized.terms.assign(deal.debt.size(), DebtTerms<Num>{});
    sized.sizing.clear();
    for (std::size_t i = 0; i < deal.debt.size(); ++i) {
      if (!deal.debt[i].sizing) continue;
      auto [terms, sizing] = sizing_detail::size_tranche(deal, i, capex, ledger, cfads);
      sizing.rounds = round;
      sizing.tax_alternation = alternation;
      sized.terms[i] = std::move(terms);
      sized.sizing.push_back(std::move(sizing));
    }
    if (!circular || last_round) return sized;
    // The income tax on this schedule: the debt and tax phases on a copy of the ledger.
    Ledger<Num> scratch = ledger;
    const DebtScheduled scheduled = schedule_debt(deal, capex, sized.terms, scratch);
    (void)assess_income_tax(deal, RunningCostsCharged{}, VatSettled{}, scheduled, sale_gain, scratch);
    Months<Num> next = zero_months<Num>(horizon);
    Num largest_move(0), back_two(0), total_now(0), total_next(0);
    for (const TaxYear& year : tax_years(deal.start, horizon, deal.tax.income.fiscal_year_start_month)) {
      const int first = year.first_month, end = year.end_month;
      const Num year_tax = scratch(Line::income_tax, end - 1);
      Num parted(0);
      for (int m = first; m < end; ++m) {
        const Num part = m == end - 1 ? year_tax - parted : booked(year_tax / Num(end - first));
        parted += part;
        at(next, m) = part;
        largest_move = std::max(largest_move, num::abs(part - at(tax, m)));
        if (!before.empty()) back_two = std::max(back_two, num::abs(part - at(before, m)));
        total_now += at(tax, m);
        total_next += part;
      }
    }
    const Num cent = Num(1) / Num(100);
    if (largest_move <= cent) return sized;  // settled to the cent
    // Booking to the cent can leave a two-round alternation of a few cents where the exact fixed
    // point falls between cents: then size on the round with the more tax (the lower CFADS), so
    // that the tax the ledger books is the smaller and every payment still covers the target.
    if (!before.empty() && back_two <= cent && largest_move <= Num(1)) {
      alternation = largest_move;
      if (total_now <= total_next) return sized;  // this round has the more tax (negative)
      last_round = true;
    }
    if (round == max_sizing_rounds)
      throw std::runtime_error("debt sizing: the size of tranche \"" + sized.sizing.front().tranche +
                               "\" and the income tax on its interest did not settle to the cent in " +
                               std::to_string(max_sizing_rounds) + " rounds (last size " +
                               std::to_string(num::to_double(sized.sizing.front().size)) +
                               ", a month's tax still moving by " + std::to_string(num::to_double(largest_move)) + ")");
    before = std::move(tax);
    tax = std::move(next);
  }
}

}  // namespace phases

}  // namespace leasecalc::engine
