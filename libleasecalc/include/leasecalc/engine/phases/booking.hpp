#pragma once
// What every phase of the projection shares: deal months, and how an amount is booked (rounded
// to the cent, half-even, once, where it is booked) so that a decimal ledger reconciles to the cent.

#include "leasecalc/deal/deal.hpp"
#include "leasecalc/engine/ledger.hpp"
#include "leasecalc/num/numeric.hpp"
#include "leasecalc/num/rounding.hpp"
#include "leasecalc/time/date.hpp"

#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace leasecalc::engine {

// The deal month a date falls in (negative before the start).
inline int month_index(deal::Date start, deal::Date date) { return time::months_between(start, date); }

// The first day of deal month m.
inline deal::Date month_start(deal::Date start, int m) {
  return time::add_months(start, m, time::EndOfMonth::on);
}

// An all-zero ledger over the deal's horizon, with a row for each named running cost.
template <num::Numeric Num>
Ledger<Num> empty_ledger(const deal::Deal& deal) {
  std::vector<std::string> running_cost_names;
  for (const auto& cost : deal.running_costs.others) running_cost_names.push_back(cost.name);
  return Ledger<Num>(deal.start, deal.horizon_months, std::move(running_cost_names));
}

namespace phases {

// An amount for each deal month, month 0 first.
template <num::Numeric Num>
using Months = std::vector<Num>;

template <num::Numeric Num>
Months<Num> zero_months(int horizon) {
  return Months<Num>(static_cast<std::size_t>(horizon));  // zeros, value-initialised
}

template <num::Numeric Num>
Num& at(Months<Num>& months, int month) {
  return months[static_cast<std::size_t>(month)];
}

template <num::Numeric Num>
const Num& at(const Months<Num>& months, int month) {
  return months[static_cast<std::size_t>(month)];
}

template <num::Numeric Num>
Num booked(const Num& amount) {
  return num::round_cents(amount);
}

// A share of an amount, booked: nil at a share of nil (no SLA credit, no VAT, no credit loss)
// without the rounding, which a month's chain of charges would otherwise wait on.
template <num::Numeric Num>
Num booked_share(const Num& amount, const Num& share) {
  return share == 0 ? Num(0) : booked(amount * share);
}

// Adds a schedule starting at `first` to `totals`, each month rounded to the cent such that the
// rounded amounts add up to the rounded total: no cent is lost or invented over the life.
template <num::Numeric Num>
void add_rounded_cumulatively(const std::vector<Num>& schedule, int first, std::vector<Num>& totals) {
  Num cumulative(0), booked_so_far(0);
  for (std::size_t k = 0; k < schedule.size(); ++k) {
    cumulative += schedule[k];
    const Num charge = booked(cumulative) - booked_so_far;
    booked_so_far += charge;
    totals[static_cast<std::size_t>(first) + k] += charge;
  }
}

// `total` (booked to the cent) spread over months pro rata to `weights`, rounded cumulatively as
// add_rounded_cumulatively does (each month's amount is the rounded share to date less what the
// months before took), the last month taking what is left: the months add up to `total` to the
// cent in either numeric type. Weights that sum to nil spread it evenly; weights that sum to a
// negative amount (a loss) allocate it pro rata as well, each month by its share of the sum.
template <num::Numeric Num>
void allocate_pro_rata(const Num& total, std::span<const Num> weights, Months<Num>& allocated) {
  allocated.assign(weights.size(), Num(0));
  if (total == 0 || weights.empty()) return;
  Num weight_sum(0);
  for (const Num& weight : weights) weight_sum += weight;
  const bool by_weight = weight_sum != 0;
  if (!by_weight) weight_sum = Num(static_cast<int>(weights.size()));
  Num weight_to_date(0), booked_so_far(0);
  for (std::size_t k = 0; k < weights.size(); ++k) {
    weight_to_date += by_weight ? weights[k] : Num(1);
    const Num to_date = k + 1 == weights.size() ? total : booked(total * weight_to_date / weight_sum);
    allocated[k] = to_date - booked_so_far;
    booked_so_far = to_date;
  }
}

}  // namespace phases
}  // namespace leasecalc::engine
