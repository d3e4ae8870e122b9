#include "leasecalc/deal/fleet.hpp"

#include "leasecalc/time/date.hpp"

#include <algorithm>
#include <variant>
#include <vector>

namespace leasecalc::deal {

ContractMonths contract_months(const Deal& deal, const Contract& contract) {
  const int horizon = deal.horizon_months;
  ContractMonths months;
  if (const auto* take_or_pay = std::get_if<TakeOrPay>(&contract)) {
    months.first = time::months_between(deal.start, take_or_pay->start);
    months.end = months.first + take_or_pay->term_months;
  } else {
    const auto& on_demand = std::get<OnDemand>(contract);
    months.first = time::months_between(deal.start, on_demand.start);
    months.end = on_demand.end ? time::months_between(deal.start, *on_demand.end) : horizon;
  }
  months.first = std::clamp(months.first, 0, horizon);
  months.end = std::clamp(months.end, months.first, horizon);
  return months;
}

Decimal contract_servers(const Contract& contract) {
  return std::visit([](const auto& c) { return c.servers; }, contract);
}

namespace {

// Servers held in each month by the first `count` contracts: a running sum of the changes at each
// contract's first and end month, linear in contracts plus months.
std::vector<Decimal> held_by_month(const Deal& deal, std::size_t count) {
  const auto horizon = static_cast<std::size_t>(std::max(deal.horizon_months, 0));
  std::vector<Decimal> change(horizon + 1, Decimal(0));
  for (std::size_t i = 0; i < count; ++i) {
    const ContractMonths months = contract_months(deal, deal.contracts[i]);
    if (months.first == months.end) continue;
    const Decimal servers = contract_servers(deal.contracts[i]);
    change[static_cast<std::size_t>(months.first)] += servers;
    change[static_cast<std::size_t>(months.end)] -= servers;
  }
  std::vector<Decimal> held(horizon, Decimal(0));
  Decimal running = 0;
  for (std::size_t m = 0; m < horizon; ++m) held[m] = running += change[m];
  return held;
}

std::optional<int> first_month_above(const std::vector<Decimal>& held, const Decimal& fleet) {
  for (std::size_t m = 0; m < held.size(); ++m)
    if (held[m] > fleet) return static_cast<int>(m);
  return std::nullopt;
}

}  // namespace

Decimal peak_contracted_servers(const Deal& deal) {
  const std::vector<Decimal> held = held_by_month(deal, deal.contracts.size());
  Decimal peak = 0;
  for (const Decimal& servers : held) peak = std::max(peak, servers);
  return peak;
}

std::optional<FleetOverrun> first_fleet_overrun(const Deal& deal) {
  const Decimal fleet(deal.cluster.servers);
  if (!first_month_above(held_by_month(deal, deal.contracts.size()), fleet)) return std::nullopt;
  // Servers are never negative, so the months held only grow as contracts are added: the first
  // contract to tip a month over is found by bisection on how many contracts are counted.
  std::size_t fits = 0, overruns = deal.contracts.size();  // the first `fits` fit; the first `overruns` do not
  while (overruns - fits > 1) {
    const std::size_t middle = fits + (overruns - fits) / 2;
    if (first_month_above(held_by_month(deal, middle), fleet)) overruns = middle;
    else fits = middle;
  }
  const std::vector<Decimal> held = held_by_month(deal, overruns);
  const int month = *first_month_above(held, fleet);
  return FleetOverrun{overruns - 1, month, held[static_cast<std::size_t>(month)]};
}

int contract_revenue_end(const Deal& deal, const Contract& contract) {
  const int horizon = deal.horizon_months;
  if (std::holds_alternative<OnDemand>(contract)) return contract_months(deal, contract).end;
  const auto& take_or_pay = std::get<TakeOrPay>(contract);
  const int first = time::months_between(deal.start, take_or_pay.start);
  const int end = first + (take_or_pay.early_termination ? take_or_pay.early_termination->after_months
                                                         : take_or_pay.term_months);
  switch (take_or_pay.re_lease.mode) {
    case ReLease::Mode::idle: return std::min(end, horizon);
    case ReLease::Mode::on_demand: return horizon;
    case ReLease::Mode::follow_on: return std::min(end + take_or_pay.re_lease.follow_on_term_months, horizon);
  }
  return std::min(end, horizon);
}

}  // namespace leasecalc::deal
