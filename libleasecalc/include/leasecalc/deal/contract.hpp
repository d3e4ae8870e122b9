#pragma once
// Revenue contracts: take-or-pay commitments and on-demand rental, each on a share of the fleet.

#include "leasecalc/deal/common.hpp"
#include "leasecalc/deal/credit.hpp"
#include "leasecalc/deal/price.hpp"
#include "leasecalc/time/frequency.hpp"

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace leasecalc::deal {

// How a prepayment received at signing is consumed by later invoices.
enum class PrepaymentApplication {
  credit_first_invoices,  // invoices are paid from the prepayment until it is used up
  spread_over_term,       // each invoice is reduced by an equal share of the prepayment
};

// Service credits: when availability falls below `availability_below`, the customer gets
// `credit_share` of the month's fee back. The lowest tier that applies wins.
struct SlaCreditTier {
  Decimal availability_below;
  Decimal credit_share;
};

struct Sla {
  Decimal availability_target = 1;     // what the contract promises
  Decimal expected_availability = 1;   // what the operator expects to deliver
  std::vector<SlaCreditTier> credits;  // sorted by threshold, highest first
};

// The customer leaves after `after_months` and pays `fee_months` months of fees on the way out.
struct EarlyTermination {
  int after_months = 0;
  Decimal fee_months = 0;
};

// What happens to the servers when a committed contract ends before the deal's horizon.
struct ReLease {
  enum class Mode { idle, on_demand, follow_on };
  // When the market price starts to fall: from the contract's signing (its start; the default, so
  // that at the expiry the price has already lost the term's decay), or from its expiry (the end of
  // its service: the re-lease starts at the full market price).
  enum class DecayFrom { signing, expiry };
  Mode mode = Mode::idle;
  Decimal annual_price_decay = 0;  // the market price falls by this a year from `decay_from`
  Decimal price_discount = 0;      // follow-on: a further discount off that market price
  int follow_on_term_months = 0;   // follow-on: its term
  Curve utilisation = Curve::constant(Decimal(1));  // on-demand: billed share of the servers
  // The market price at the contract's start, from which the re-lease price decays; none: the
  // contract's own price. A bid that moves the contract's price pins this at the model's level, so
  // that what the fleet earns after the contract stays where the model puts it.
  std::optional<Price> market_price;
  DecayFrom decay_from = DecayFrom::signing;
};

// The customer defaults: it pays for the contract's first `after_months` months of service and
// nothing after; the servers stand idle for `re_lease_after_months` and are then re-leased as the
// contract's re-lease states (at its market price), as if the term had ended then. The prepayment
// not yet applied is kept (earned at the default); invoices falling due from the default on are
// written off as credit losses.
struct CustomerDefault {
  int after_months = 0;
  int re_lease_after_months = 0;
};

struct TakeOrPay {
  std::string name;
  Decimal servers = 0;  // committed units (whole in a model; solvers may scale them)
  Price price;      // as quoted, before escalation; deal::unit_month_price converts it
  Date start;
  int term_months = 0;
  int ramp_months = 0;  // capacity ramps up linearly over these first months
  Decimal prepayment_share = 0;  // of the total contract value, received at signing
  PrepaymentApplication prepayment_application = PrepaymentApplication::credit_first_invoices;
  time::Frequency billing = time::Frequency::monthly;               // how often invoices are issued
  time::PaymentTiming timing = time::PaymentTiming::in_advance;  // paid at the period's start or after it
  Escalator escalator;  // steps up on each contract anniversary
  Sla sla;
  std::optional<EarlyTermination> early_termination;
  Decimal expected_credit_loss = 0;  // share of invoices never collected
  Decimal vat_rate = 0;              // output VAT charged on top of the price
  ReLease re_lease;
  std::optional<CreditClass> credit;  // none: unrated (deal::credit_class_of)
  std::optional<CustomerDefault> customer_default;
};

// The contract's credit class as lenders price it: stated, or unrated.
inline CreditClass credit_class_of(const TakeOrPay& contract) {
  return contract.credit.value_or(CreditClass::unrated);
}

struct OnDemand {
  std::string name;
  Decimal servers = 0;  // units offered on demand (whole in a model; solvers may scale them)
  Date start;
  std::optional<Date> end;  // default: the deal's horizon
  // Price per unit-month by month since the deal start (e.g. dated market history); after the last
  // point it decays at `annual_price_decay`.
  Curve price;
  Decimal annual_price_decay = 0;
  Curve utilisation = Curve::constant(Decimal(1));  // billed share of the servers
  Decimal bad_debt = 0;                             // share of billings never collected
  Decimal vat_rate = 0;
};

using Contract = std::variant<TakeOrPay, OnDemand>;

}  // namespace leasecalc::deal
