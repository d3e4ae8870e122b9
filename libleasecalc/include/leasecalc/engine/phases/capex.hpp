#pragma once
// Capex phase: each delivery of servers paid in its month, with its share of the other capex
// lines; the servers are in service from that month.
//
// Reads: the deal. Writes: Line::capex, Line::units_in_service. Returns the payments, which the
// running costs (O&M on the equipment value), the fleet value, the VAT credit and the debt
// drawings all start from.

#include "leasecalc/deal/deal.hpp"
#include "leasecalc/engine/ledger.hpp"
#include "leasecalc/engine/phases/booking.hpp"
#include "leasecalc/engine/schedules.hpp"

#include <stdexcept>
#include <vector>

namespace leasecalc::engine::phases {

// One delivery's capex: its servers and its share of the other capex lines.
template <num::Numeric Num>
struct CapexPayment {
  int month = 0;
  int servers = 0;
  Num net{0};          // excluding VAT
  Num input_vat{0};
  Num capitalised{0};  // the asset's cost: net, or net plus VAT when input VAT is capitalised
};

template <num::Numeric Num>
struct CapexPayments {
  std::vector<CapexPayment<Num>> deliveries;  // in month order, as the deal's deliveries
  Months<Num> cash;                           // paid in each month, VAT included (positive)
};

// The fleet's capitalised cost, of the deliveries made by month `through`: what a residual value
// guarantee's floor and a sale-leaseback's advance rate are shares of.
template <num::Numeric Num>
Num fleet_cost(const CapexPayments<Num>& capex, int through) {
  Num cost(0);
  for (const auto& payment : capex.deliveries)
    if (payment.month <= through) cost += payment.capitalised;
  return cost;
}

template <num::Numeric Num>
CapexPayments<Num> pay_capex(const deal::Deal& deal, Ledger<Num>& ledger) {
  const auto& cluster = deal.cluster;
  const int horizon = deal.horizon_months;
  std::vector<deal::Tranche> deliveries = cluster.deliveries;
  if (deliveries.empty()) deliveries.push_back({deal.start, cluster.servers});
  const Num vat_rate = as<Num>(cluster.capex_vat_rate);
  const bool vat_capitalised = deal.tax.vat.input_vat_capitalised;
  CapexPayments<Num> result{{}, zero_months<Num>(horizon)};
  int delivered = 0;  // servers delivered so far: each delivery brings the spares they add (deal::spare_units)
  for (const auto& delivery : deliveries) {
    CapexPayment<Num> payment;
    payment.month = month_index(deal.start, delivery.date);
    if (payment.month < 0 || payment.month >= horizon)
      throw std::invalid_argument("a delivery falls outside the deal's horizon");
    payment.servers = delivery.servers;
    const int spares = deal::spare_units(cluster, delivered + delivery.servers) - deal::spare_units(cluster, delivered);
    delivered += delivery.servers;
    const Num servers_cost = Num(delivery.servers + spares) * as<Num>(cluster.price_per_server);
    Num quoted = servers_cost;
    for (const auto& extra : cluster.extra_capex) {
      quoted += extra.amount != 0 ? as<Num>(extra.amount) * Num(delivery.servers) / Num(cluster.servers)
                                  : servers_cost * as<Num>(extra.share_of_servers);
    }
    quoted = booked(quoted);
    // Every capex amount is quoted like the server price: VAT-inclusive or not.
    if (cluster.price_includes_vat) {
      payment.net = booked(quoted / (Num(1) + vat_rate));
      payment.input_vat = quoted - payment.net;
    } else {
      payment.net = quoted;
      payment.input_vat = booked(quoted * vat_rate);
    }
    payment.capitalised = vat_capitalised ? payment.net + payment.input_vat : payment.net;
    ledger(Line::capex, payment.month) -= payment.net + payment.input_vat;
    at(result.cash, payment.month) += payment.net + payment.input_vat;
    for (int m = payment.month; m < horizon; ++m) ledger(Line::units_in_service, m) += Num(delivery.servers);
    result.deliveries.push_back(payment);
  }
  return result;
}

}  // namespace leasecalc::engine::phases
