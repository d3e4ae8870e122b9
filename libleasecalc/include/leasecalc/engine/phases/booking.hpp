#pragma once
// What every phase of the projection shares: deal months, and how an amount is booked (rounded
// to the cent, half-even, once, where it is booked) so that a decimal ledger reconciles to the cent.

#include "leasecalc/deal/deal.hpp"
#include "leasecalc/engine/ledger.hpp"
#include "leasecalc/num/numeric.hpp"
#include "leasecalc/num/rounding.hpp"
#include "leasecalc/time/date.hpp"

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
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

// A phase's bookings, taken off a ledger the phase alone wrote on (every line it left other than
// nil), to be copied into other ledgers of the same deal. For a phase that a solve's trials cannot
// move: each trial copies what it booked once instead of booking it again. The copy is the booking
// itself, bit for bit, only where those lines are still nil (+0) in the ledger it goes into; there
// it is made and `copy_into` says so, elsewhere nothing is copied and the phase books as usual.
// (The named running costs are not copied: only their phase books them.)
template <num::Numeric Num>
class Bookings {
 public:
  // The bookings on `ledger`, which is left empty again for the next phase to book on alone.
  static Bookings take(Ledger<Num>& ledger) {
    Bookings bookings;
    bookings.months_ = static_cast<std::size_t>(ledger.months());
    for (std::size_t k = 0; k < line_count; ++k) {
      const std::span<Num> row = ledger.row(static_cast<Line>(k));
      if (nil(row)) continue;
      bookings.lines_.push_back(static_cast<Line>(k));
      bookings.values_.insert(bookings.values_.end(), row.begin(), row.end());
      std::ranges::fill(row, Num(0));
    }
    return bookings;
  }

  bool copy_into(Ledger<Num>& ledger) const {
    if (static_cast<std::size_t>(ledger.months()) != months_) return false;
    for (const Line line : lines_)
      if (!nil(ledger.row(line))) return false;
    for (std::size_t k = 0; k < lines_.size(); ++k)
      std::ranges::copy(std::span<const Num>(values_).subspan(k * months_, months_), ledger.row(lines_[k]).begin());
    return true;
  }

 private:
  // Every amount +0: a booking on -0 can give a zero of the other sign than on +0.
  static bool nil(std::span<const Num> row) {
    if constexpr (std::same_as<Num, double>) {
      // +0 is the double whose bits are all nil. Four lanes, so that each OR need not wait on the last.
      std::uint64_t lanes[4] = {};
      std::size_t k = 0;
      for (; k + 4 <= row.size(); k += 4)
        for (std::size_t lane = 0; lane < 4; ++lane) lanes[lane] |= std::bit_cast<std::uint64_t>(row[k + lane]);
      for (; k < row.size(); ++k) lanes[0] |= std::bit_cast<std::uint64_t>(row[k]);
      return (lanes[0] | lanes[1] | lanes[2] | lanes[3]) == 0;
    } else {
      return std::ranges::all_of(row, [](const Num& value) { return value == 0 && !value.backend().isneg(); });
    }
  }

  std::size_t months_ = 0;
  std::vector<Line> lines_;
  std::vector<Num> values_;  // the lines' rows, side by side
};

}  // namespace phases
}  // namespace leasecalc::engine
