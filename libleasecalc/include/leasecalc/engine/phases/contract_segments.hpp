#pragma once
// The contracts as stretches of months ("segments") during which some servers earn one
// contract's revenue, with re-leasing once a committed term ends: the revenue phase bills them.

#include "leasecalc/deal/deal.hpp"
#include "leasecalc/engine/phases/booking.hpp"
#include "leasecalc/engine/schedules.hpp"

#include <variant>
#include <vector>

namespace leasecalc::engine::phases {

struct Segment {
  enum class Kind { committed, on_demand };
  Kind kind = Kind::committed;
  const deal::TakeOrPay* take_or_pay = nullptr;  // committed: the contract, or the one followed on
  const deal::OnDemand* on_demand = nullptr;     // on demand: the contract, unless re-leased
  deal::Decimal servers = 0;
  int first_month = 0;  // deal months [first_month, end_month)
  int end_month = 0;
  bool follow_on = false;
  bool defaulted = false;  // committed: the customer defaults at end_month (deal::CustomerDefault)
  // Committed: price per unit-month at signing. Re-leased on demand: the market price (the
  // expiring contract's own price unless the re-lease states one), decaying at
  // `annual_price_decay` from `price_month`: the contract's start or its end (ReLease::decay_from).
  deal::Decimal unit_month_price = 0;
  int price_month = 0;
  deal::Decimal annual_price_decay = 0;
  const deal::Curve* utilisation = nullptr;  // re-leased on demand
};

// The segments point into `deal`, which must outlive them.
inline std::vector<Segment> contract_segments(const deal::Deal& deal) {
  const int horizon = deal.horizon_months;
  std::vector<Segment> result;
  for (const auto& contract : deal.contracts) {
    if (const auto* take_or_pay = std::get_if<deal::TakeOrPay>(&contract)) {
      Segment committed;
      committed.take_or_pay = take_or_pay;
      committed.servers = take_or_pay->servers;
      committed.first_month = month_index(deal.start, take_or_pay->start);
      committed.end_month = committed.first_month + (take_or_pay->early_termination
                                                         ? take_or_pay->early_termination->after_months
                                                         : take_or_pay->term_months);
      // A customer default ends the service at its month; the servers wait before a re-lease.
      int re_lease_delay = 0;
      if (const auto& failed = take_or_pay->customer_default;
          failed && committed.first_month + failed->after_months < committed.end_month) {
        committed.end_month = committed.first_month + failed->after_months;
        committed.defaulted = true;
        re_lease_delay = failed->re_lease_after_months;
      }
      committed.unit_month_price =
          deal::unit_month_price(deal::net_of_vat(take_or_pay->price, take_or_pay->vat_rate), deal.cluster.sku);
      result.push_back(committed);

      const auto& re_lease = take_or_pay->re_lease;
      if (committed.end_month >= horizon || re_lease.mode == deal::ReLease::Mode::idle) continue;
      Segment next = committed;
      next.defaulted = false;
      // The market price at the contract's start: stated, or the contract's own price.
      next.unit_month_price =
          re_lease.market_price
              ? deal::unit_month_price(deal::net_of_vat(*re_lease.market_price, take_or_pay->vat_rate), deal.cluster.sku)
              : committed.unit_month_price;
      next.first_month = committed.end_month + re_lease_delay;
      if (next.first_month >= horizon) continue;
      next.price_month =
          re_lease.decay_from == deal::ReLease::DecayFrom::expiry ? committed.end_month : committed.first_month;
      next.annual_price_decay = re_lease.annual_price_decay;
      if (re_lease.mode == deal::ReLease::Mode::on_demand) {
        next.kind = Segment::Kind::on_demand;
        next.end_month = horizon;
        next.utilisation = &re_lease.utilisation;
      } else {
        // Signed at the market price then: the market price decayed, less a discount.
        next.follow_on = true;
        next.end_month = next.first_month + re_lease.follow_on_term_months;
        const deal::Decimal years = deal::Decimal(next.first_month - next.price_month) / 12;
        next.unit_month_price = next.unit_month_price *
                                num::pow(deal::Decimal(1) - re_lease.annual_price_decay, years) *
                                (deal::Decimal(1) - re_lease.price_discount);
        // On a market path, at the market of the month it is signed.
        if (!deal.market_index.empty())
          next.unit_month_price *= market_index_at<deal::Decimal>(deal.market_index, next.first_month);
      }
      result.push_back(next);
    } else {
      const auto& on_demand = std::get<deal::OnDemand>(contract);
      Segment segment;
      segment.kind = Segment::Kind::on_demand;
      segment.on_demand = &on_demand;
      segment.servers = on_demand.servers;
      segment.first_month = month_index(deal.start, on_demand.start);
      segment.end_month = on_demand.end ? month_index(deal.start, *on_demand.end) : horizon;
      result.push_back(segment);
    }
  }
  return result;
}

}  // namespace leasecalc::engine::phases
