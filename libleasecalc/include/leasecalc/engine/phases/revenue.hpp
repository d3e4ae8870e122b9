#pragma once
// Revenue phase: every contract segment billed month by month (fees, service credits, credit
// losses, output VAT) and collected when its invoice falls due.
//
// A contract whose credit class has a risk in the model (deal::CreditClasses) is charged an expected
// credit loss each month of its signed term: the annual probability of default x the loss given
// default x the month's exposure, the invoice less what the prepayment settles, over 12 (a year's
// probability on a receivable outstanding for a month); the customer is collected the less. A
// customer default (deal::CustomerDefault) ends the service at its month: the prepayment not yet
// applied is kept as earned, and invoices falling due from then on are written off.
//
// Reads: the deal. Writes: Line::committed_revenue, on_demand_revenue, sla_credits,
// termination_fees, credit_losses, expected_credit_loss, customer_receipts, units_contracted.
// Returns the units earning revenue (the running costs' power draw), the output VAT (the VAT phase),
// the flows into receivables and deferred revenue (the balances phase) and the advance payments
// one by one (their tax timing, engine/phases/advance_payments.hpp).

#include "leasecalc/deal/deal.hpp"
#include "leasecalc/engine/ledger.hpp"
#include "leasecalc/engine/phases/booking.hpp"
#include "leasecalc/engine/phases/contract_segments.hpp"
#include "leasecalc/engine/schedules.hpp"
#include "leasecalc/time/frequency.hpp"

#include <algorithm>

namespace leasecalc::engine::phases {

// Units with a customer, by month: committed capacity billed, and on-demand capacity used.
template <num::Numeric Num>
struct RevenueUnits {
  Months<Num> committed;
  Months<Num> on_demand_used;
};

// VAT charged on the revenue earned, by month.
template <num::Numeric Num>
struct OutputVat {
  Months<Num> by_month;
};

// Changes of the customer balances, by month.
template <num::Numeric Num>
struct CustomerBalanceFlows {
  Months<Num> receivable;  // invoices earned less invoices collected
  Months<Num> deferred;    // prepayments received less prepayments applied to invoices
};

// An advance payment: a contract's prepayment, received at its signing, and what leaves deferred
// revenue of it month by month (applied to invoices, kept on a default, refunded on an early exit).
template <num::Numeric Num>
struct AdvancePayment {
  int received_month = 0;
  Num amount{0};
  Months<Num> released;  // by deal month
};

template <num::Numeric Num>
struct Revenue {
  RevenueUnits<Num> units;
  OutputVat<Num> output_vat;
  CustomerBalanceFlows<Num> balance_flows;
  std::vector<AdvancePayment<Num>> advances;  // in the order of the contract segments
};

namespace revenue_detail {

// The share of the worst tier of service credits that the expected availability triggers.
template <num::Numeric Num>
Num sla_credit_share(const deal::Sla& sla) {
  Num share(0);
  for (const auto& tier : sla.credits)
    if (sla.expected_availability < tier.availability_below) share = std::max(share, as<Num>(tier.credit_share));
  return share;
}

// A committed segment's terms in the engine's number type, converted once.
template <num::Numeric Num>
struct CommittedTerms {
  Num servers, unit_month_price;
  int ramp_months;
  mutable Escalation<Num> escalator;  // the factor of the year last billed

  explicit CommittedTerms(const Segment& segment)
      : servers(as<Num>(segment.servers)),
        unit_month_price(as<Num>(segment.unit_month_price)),
        ramp_months(segment.follow_on ? 0 : segment.take_or_pay->ramp_months),
        escalator(as<Num>(segment.take_or_pay->escalator.annual_rate)) {}

  // Committed capacity billed in the k-th month of the segment (the ramp-up), in units: a share of
  // the servers during the ramp, all of them from its last month on (without a division a month).
  Num units(int k) const {
    const Num ramp = k + 1 < ramp_months ? Num(k + 1) / Num(ramp_months) : Num(1);
    return servers * ramp;
  }

  // Fee for the k-th month of the segment, before service credits.
  Num fee(int k) const { return units(k) * unit_month_price * escalator.after(k / 12); }
};

inline int billing_period(const Segment& segment) {
  return time::months_per_period(segment.take_or_pay->billing);
}

// The deal month in which the invoice for the k-th service month is paid: at the start of its
// billing period (advance) or one month after the period (arrears); at the latest, the horizon.
inline int payment_month(const Segment& segment, int k, int last) {
  const int period = billing_period(segment);
  const int period_start = segment.first_month + (k / period) * period;
  const bool advance = segment.take_or_pay->timing == time::PaymentTiming::in_advance;
  return std::clamp(advance ? period_start : period_start + period, 0, last);
}

// The expected credit loss charged per unit of a month's exposure: PD x LGD / 12, on the signed term
// of a contract whose class the model gives a risk; zero otherwise.
template <num::Numeric Num>
Num expected_loss_rate(const Segment& segment, const deal::CreditClasses& credit_classes) {
  const auto& contract = *segment.take_or_pay;
  if (segment.follow_on) return Num(0);
  const std::optional<deal::CreditRisk>& risk = credit_classes.of(deal::credit_class_of(contract));
  if (!risk) return Num(0);
  return as<Num>(risk->probability_of_default) * as<Num>(risk->loss_given_default) / Num(12);
}

template <num::Numeric Num>
void bill_committed(const Segment& segment, int horizon, const deal::CreditClasses& credit_classes,
                    const std::vector<double>& billed_share, Ledger<Num>& ledger, Revenue<Num>& revenue) {
  const auto& contract = *segment.take_or_pay;
  const int first = segment.first_month;
  const int months = std::min(segment.end_month, horizon) - first;
  if (months <= 0) return;
  const int term = segment.follow_on ? contract.re_lease.follow_on_term_months : contract.term_months;
  const Num credit_share = sla_credit_share<Num>(contract.sla);
  const Num loss_share = as<Num>(contract.expected_credit_loss);
  const Num vat_rate = as<Num>(contract.vat_rate);
  const int period = billing_period(segment);
  const CommittedTerms<Num> terms(segment);
  const Num expected_loss = expected_loss_rate<Num>(segment, credit_classes);
  // The month from which the customer pays nothing: its default, on the signed term.
  const bool defaults = segment.defaulted;
  const int default_month = defaults ? segment.end_month : horizon;
  auto& receivable = revenue.balance_flows.receivable;
  auto& deferred = revenue.balance_flows.deferred;
  AdvancePayment<Num>* advance = nullptr;  // this contract's, if it prepays
  const auto release = [&](int month, const Num& amount) {
    at(deferred, month) -= amount;
    if (advance) at(advance->released, month) += amount;
  };

  // The prepayment: a share of the whole term's fees, received at signing.
  Num prepayment(0);
  if (!segment.follow_on && contract.prepayment_share > 0) {
    Num contract_value(0);
    for (int k = 0; k < term; ++k) contract_value += terms.fee(k);
    prepayment = booked(contract_value * as<Num>(contract.prepayment_share));
    ledger(Line::customer_receipts, first) += prepayment;
    at(deferred, first) += prepayment;
    revenue.advances.push_back({first, prepayment, zero_months<Num>(horizon)});
    advance = &revenue.advances.back();
  }
  const Num spread_per_invoice = booked(prepayment / Num((term + period - 1) / period));
  Num unapplied = prepayment;

  // A month's fee as billed, its credit, VAT and loss: the month before's again when its fee before
  // rounding is (a flat fee: no ramp, no escalation that year, no servers missing), worked out
  // afresh only when the fee changes.
  Num last_fee_before_rounding(0), fee(0), credit(0), earned(0), vat(0), lost(0), invoice(0);
  for (int k = 0; k < months; ++k) {
    const int m = first + k;
    // Servers missing in a Monte Carlo scenario (deal::Deal::billed_share) are not billed.
    const Num share = billed_share.empty() ? Num(1) : market_index_at<Num>(billed_share, m);
    const Num units = billed_share.empty() ? terms.units(k) : terms.units(k) * share;
    const Num fee_before_rounding = billed_share.empty() ? terms.fee(k) : terms.fee(k) * share;
    // (A nil fee, the first month's included, is always worked out: it may be -0, booked as such.)
    if (fee_before_rounding != last_fee_before_rounding || fee_before_rounding == 0) {
      last_fee_before_rounding = fee_before_rounding;
      fee = booked(fee_before_rounding);
      credit = booked_share(fee, credit_share);
      earned = fee - credit;
      vat = booked_share(earned, vat_rate);
      lost = booked_share(earned + vat, loss_share);
      invoice = earned + vat - lost;
    }
    ledger(Line::committed_revenue, m) += fee;
    ledger(Line::sla_credits, m) -= credit;
    ledger(Line::credit_losses, m) -= lost;
    ledger(Line::units_contracted, m) += units;
    at(revenue.units.committed, m) += units;
    at(revenue.output_vat.by_month, m) += vat;

    Num applied(0);  // the part of this invoice settled from the prepayment
    if (unapplied > 0) {
      if (contract.prepayment_application == deal::PrepaymentApplication::credit_first_invoices)
        applied = std::min(unapplied, invoice);
      else if (k % period == 0)
        applied = std::min(unapplied, spread_per_invoice);
      unapplied -= applied;
    }
    const Num exposure = std::max(invoice - applied, Num(0));  // what the prepayment has not settled
    const Num allowance = booked_share(exposure, expected_loss);
    ledger(Line::expected_credit_loss, m) -= allowance;
    const Num owed = invoice - allowance;
    const int due = payment_month(segment, k, horizon - 1);
    if (due >= default_month) ledger(Line::credit_losses, due) -= owed - applied;  // written off unpaid
    else ledger(Line::customer_receipts, due) += owed - applied;
    at(receivable, m) += owed;
    at(receivable, due) -= owed;
    release(due, applied);
  }

  // A default: the prepayment not yet applied is kept, earned in the last month of service.
  if (defaults && segment.end_month <= horizon) {
    const int exit = first + months - 1;
    ledger(Line::termination_fees, exit) += unapplied;
    release(exit, unapplied);
    return;
  }

  // An early exit: the fee is due in the last month of service, net of the prepayment left,
  // which is refunded where it exceeds the fee.
  if (!segment.follow_on && contract.early_termination && segment.end_month <= horizon) {
    const int exit = first + months - 1;
    const Num fee = booked(terms.fee(months - 1) * as<Num>(contract.early_termination->fee_months));
    ledger(Line::termination_fees, exit) += fee;
    ledger(Line::customer_receipts, exit) += fee - unapplied;
    release(exit, unapplied);
  }
}

// On-demand price per unit-month by deal month: the quoted curve, decaying after its last point;
// for servers re-leased on demand, the expiring contract's price decaying from its signing or its
// expiry. On a market path (deal::Deal::market_index), times the month's market index.
template <num::Numeric Num>
struct OnDemandPrice {
  OnDemandPrice(const Segment& segment, const std::vector<double>& market_index)
      : quoted(segment.on_demand ? segment.on_demand->price : deal::Curve::constant(segment.unit_month_price)),
        decay_from(segment.on_demand ? quoted.last_month() : segment.price_month),
        retained(Num(1) - as<Num>(segment.on_demand ? segment.on_demand->annual_price_decay
                                                    : segment.annual_price_decay)),
        market(market_index) {
  }

  Num at(int m) const {
    const Num modelled = m <= decay_from || retained == 1
                             ? quoted.at(m)
                             : quoted.at(m) * num::pow(retained, Num(m - decay_from) / Num(12));
    return market.empty() ? modelled : modelled * market_index_at<Num>(market, m);
  }

  CurveValues<Num> quoted;
  int decay_from;
  Num retained;  // share of the price kept after a year
  const std::vector<double>& market;
};

template <num::Numeric Num>
void bill_on_demand(const Segment& segment, int horizon, const std::vector<double>& market_index,
                    const std::vector<double>& billed_share, Ledger<Num>& ledger, Revenue<Num>& revenue) {
  const bool re_leased = segment.on_demand == nullptr;
  const Num bad_debt = as<Num>(re_leased ? segment.take_or_pay->expected_credit_loss : segment.on_demand->bad_debt);
  const Num vat_rate = as<Num>(re_leased ? segment.take_or_pay->vat_rate : segment.on_demand->vat_rate);
  const CurveValues<Num> utilisation(re_leased ? *segment.utilisation : segment.on_demand->utilisation);
  const Num servers = as<Num>(segment.servers);
  const OnDemandPrice<Num> price(segment, market_index);
  auto& receivable = revenue.balance_flows.receivable;
  for (int m = std::max(segment.first_month, 0); m < std::min(segment.end_month, horizon); ++m) {
    const Num used = billed_share.empty() ? servers * utilisation.at(m - segment.first_month)
                                          : servers * utilisation.at(m - segment.first_month) *
                                                market_index_at<Num>(billed_share, m);
    const Num earned = booked(used * price.at(m));
    const Num vat = booked_share(earned, vat_rate);
    const Num lost = booked_share(earned + vat, bad_debt);
    const Num invoice = earned + vat - lost;
    ledger(Line::on_demand_revenue, m) += earned;
    ledger(Line::credit_losses, m) -= lost;
    ledger(Line::units_contracted, m) += used;
    at(revenue.units.on_demand_used, m) += used;
    at(revenue.output_vat.by_month, m) += vat;
    const int due = std::min(m + 1, horizon - 1);  // billed monthly in arrears
    ledger(Line::customer_receipts, due) += invoice;
    at(receivable, m) += invoice;
    at(receivable, due) -= invoice;
  }
}

}  // namespace revenue_detail

// An on-demand contract's market price per unit-month in deal month `month`, without VAT, as it
// is billed: what a break-even price is quoted at (month 0, the deal's start).
template <num::Numeric Num>
Num on_demand_unit_month_price(const deal::OnDemand& contract, int month) {
  Segment segment;
  segment.kind = Segment::Kind::on_demand;
  segment.on_demand = &contract;
  const std::vector<double> no_market_path;  // the price as modelled, off any Monte Carlo path
  return revenue_detail::OnDemandPrice<Num>(segment, no_market_path).at(month);
}

template <num::Numeric Num>
Revenue<Num> book_revenue(const deal::Deal& deal, Ledger<Num>& ledger) {
  const int horizon = deal.horizon_months;
  Revenue<Num> revenue{{zero_months<Num>(horizon), zero_months<Num>(horizon)},
                       {zero_months<Num>(horizon)},
                       {zero_months<Num>(horizon), zero_months<Num>(horizon)},
                       {}};
  for (const auto& segment : contract_segments(deal)) {
    if (segment.kind == Segment::Kind::committed)
      revenue_detail::bill_committed(segment, horizon, deal.credit_classes, deal.billed_share, ledger, revenue);
    else revenue_detail::bill_on_demand(segment, horizon, deal.market_index, deal.billed_share, ledger, revenue);
  }
  return revenue;
}

}  // namespace leasecalc::engine::phases
