#include "leasecalc/solve/breaking_points.hpp"

#include "leasecalc/engine/covenants.hpp"
#include "leasecalc/engine/metrics.hpp"
#include "leasecalc/engine/project.hpp"
#include "leasecalc/solve/monte_carlo.hpp"
#include "leasecalc/solve/target_input.hpp"
#include "leasecalc/time/date.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <stdexcept>
#include <tuple>
#include <utility>
#include <variant>

namespace leasecalc::solve {

namespace {

// The changes a distribution draws: its support, or four standard deviations of an untruncated normal.
std::pair<double, double> searched_range(const Distribution& distribution) {
  return std::visit(
      [](const auto& d) -> std::pair<double, double> {
        using D = std::decay_t<decltype(d)>;
        if constexpr (std::is_same_v<D, Normal>)
          return {d.min.value_or(d.mean - 4 * d.sd), d.max.value_or(d.mean + 4 * d.sd)};
        else
          return {d.low, d.high};
      },
      distribution);
}

// The input's level as modelled, where one number stands for it, and its unit.
void describe_level(const deal::Deal& deal, UncertainQuantity quantity, BreakingPoint& point) {
  const std::string& currency = deal.currency;
  const auto first_lease = [&]() -> const deal::TakeOrPay* {
    for (const auto& contract : deal.contracts)
      if (const auto* lease = std::get_if<deal::TakeOrPay>(&contract)) return lease;
    return nullptr;
  };
  switch (quantity) {
    case UncertainQuantity::price:
      if (const auto* lease = first_lease()) {
        point.base_level = num::to_double(lease->price.amount);
        point.unit = currency + "/" + std::string(deal::to_string(lease->price.unit)) + " (" + lease->name + ")";
      }
      return;
    case UncertainQuantity::price_decay:
      for (const auto& contract : deal.contracts)
        if (const auto* pool = std::get_if<deal::OnDemand>(&contract)) {
          point.base_level = num::to_double(pool->annual_price_decay);
          point.unit = "a year (" + pool->name + ")";
          return;
        }
      if (const auto* lease = first_lease()) {
        point.base_level = num::to_double(lease->re_lease.annual_price_decay);
        point.unit = "a year (" + lease->name + ", re-lease)";
      }
      return;
    case UncertainQuantity::utilisation:
      point.base_level = 1;
      point.unit = "x the modelled billed servers";
      return;
    case UncertainQuantity::residual:
      if (const auto* share = std::get_if<deal::ResidualShare>(&deal.assets.residual)) {
        point.base_level = num::to_double(share->share);
        point.unit = "of cost";
      } else {
        point.base_level = 1;
        point.unit = "x the modelled residual curve";
      }
      return;
    case UncertainQuantity::power_tariff:
      point.base_level = num::to_double(deal.running_costs.electricity.tariff_per_kwh);
      point.unit = currency + "/kWh";
      return;
    case UncertainQuantity::debt_rate:
      if (!deal.debt.empty()) {
        point.base_level = num::to_double(deal.debt.front().annual_rate);
        point.unit = "a year (" + deal.debt.front().name + ")";
      }
      return;
    case UncertainQuantity::server_price:
      point.base_level = num::to_double(deal.cluster.price_per_server);
      point.unit = currency + "/server";
      return;
  }
}

// The least headroom of the DSCR and LTV tests over the life: negative once one is breached.
std::optional<double> least_headroom(const engine::CovenantReport& report) {
  std::optional<double> least;
  for (const auto& test : report.tests) {
    if (test.test != engine::CovenantTest::minimum_dscr && test.test != engine::CovenantTest::maximum_ltv) continue;
    if (test.minimum_headroom) {
      const double headroom = *test.observations[*test.minimum_headroom].headroom;
      least = least ? std::min(*least, headroom) : headroom;
    }
  }
  return least;
}

// The deal with one input changed, by change: each change is projected once, and its outcome and
// covenant headroom worked out when first asked for. The three searches start from the same
// samples of the range and a search's last steps read the changes it has tried again.
class ChangesOfOneInput {
 public:
  ChangesOfOneInput(const deal::Deal& deal, UncertainQuantity input)
      : deal_(deal), input_(input), residual_by_age_(input == UncertainQuantity::residual ? residual_curve_by_age(deal) : std::nullopt) {}

  const Outcome& outcome(double change) {
    Changed& changed = at(change);
    if (!changed.outcome) changed.outcome = outcome_of(engine::metrics(changed.deal, changed.ledger, outcome_metrics));
    return *changed.outcome;
  }

  std::optional<double> headroom(double change) {
    Changed& changed = at(change);
    if (!changed.headroom) changed.headroom = least_headroom(engine::covenant_report(changed.deal, changed.ledger));
    return *changed.headroom;
  }

 private:
  struct Changed {
    deal::Deal deal;
    engine::Ledger<double> ledger;
    std::optional<Outcome> outcome;
    std::optional<std::optional<double>> headroom;
  };

  Changed& at(double change) {
    if (!std::isfinite(change)) throw std::domain_error("a change must be a finite number");
    if (change == 0) change = 0;  // -0 and +0 change nothing alike
    auto found = changes_.find(change);
    if (found != changes_.end()) return found->second;
    deal::Deal changed = deal_;
    apply_change(changed, input_, change, residual_by_age_);
    auto ledger = engine::project<double>(changed);
    return changes_.emplace(change, Changed{std::move(changed), std::move(ledger), std::nullopt, std::nullopt}).first->second;
  }

  const deal::Deal& deal_;
  UncertainQuantity input_;
  std::optional<deal::ResidualCurve> residual_by_age_;
  std::map<double, Changed> changes_;
};

}  // namespace

std::optional<double> BreakingPoint::level(double change) const {
  if (!base_level) return std::nullopt;
  return is_relative_change(input) ? *base_level * std::max(0.0, 1 + change) : *base_level + change;
}

deal::Covenants tested_covenants(const deal::Deal& deal, double dscr_covenant) {
  if (deal.covenants.any()) return deal.covenants;
  deal::Covenants covenants;
  covenants.minimum_dscr = num::from_double<deal::Decimal>(dscr_covenant);
  covenants.frequency = time::Frequency::quarterly;
  // First tested at the end of the first deal year: lenders' first test dates come a year or more
  // after close (reference/seed-facts.md §8).
  covenants.first_test = time::add_months(deal.start, 11, time::EndOfMonth::off);
  covenants.look_back = deal::CovenantLookBack::trailing_12_months;
  covenants.on_breach = deal::BreachAction::report;
  return covenants;
}

std::vector<BreakingPoint> breaking_points(const deal::Deal& deal, const deal::Uncertainty& uncertainty,
                                           double equity_target) {
  deal::Deal tested = deal;
  tested.covenants = tested_covenants(deal, uncertainty.dscr_covenant);
  std::vector<BreakingPoint> points;
  for (const auto& input : uncertainty.inputs) {
    BreakingPoint point;
    point.input = input.input;
    std::tie(point.low, point.high) = searched_range(input.change);
    describe_level(deal, input.input, point);
    if (const auto reason = inapplicable(deal, sensitivity_input(input.input))) {
      point.note = *reason;
      points.push_back(std::move(point));
      continue;
    }
    ChangesOfOneInput changes(tested, input.input);
    // The change at which the measure crosses the target, below the model's level and above it (a
    // measure that moves one way with the input crosses on one side only); the one nearer the model.
    const auto breaking = [&](const std::function<std::optional<double>(double)>& measure, double target) {
      std::optional<double> nearest;
      for (const auto& [from, to] : {std::pair{0.0, point.low}, std::pair{0.0, point.high}}) {
        if (from == to) continue;
        const double lo = std::min(from, to), hi = std::max(from, to);
        if (!(lo <= 0 && 0 <= hi)) continue;
        const TargetSolution found = input_for_target(measure, target, lo, hi);
        if (found.value && (!nearest || std::abs(*found.value) < std::abs(*nearest))) nearest = found.value;
      }
      return nearest;
    };
    point.npv_zero = breaking([&](double change) -> std::optional<double> { return changes.outcome(change).npv; }, 0.0);
    point.equity_target_missed =
        breaking([&](double change) { return changes.outcome(change).equity_irr; }, equity_target);
    point.first_breach = breaking([&](double change) { return changes.headroom(change); }, 0.0);
    points.push_back(std::move(point));
  }
  return points;
}

namespace {

deal::Deal with_debt_scaled(deal::Deal deal, double factor) {
  const auto scale = num::from_double<deal::Decimal>(factor);
  for (auto& tranche : deal.debt) {
    tranche.amount *= scale;
    tranche.share_of_capex *= scale;
  }
  return deal;
}

}  // namespace

std::optional<DebtAtBreach> largest_debt_at_breach(const deal::Deal& deal, const deal::Uncertainty& uncertainty,
                                                   double level, unsigned threads) {
  if (deal.debt.empty()) return std::nullopt;
  const auto breach_at = [&](double factor) {
    return monte_carlo(with_debt_scaled(deal, factor), uncertainty, threads).lender.breach_over_life;
  };
  const auto found = [&](double factor, const Estimate& breach, bool at_limit) {
    const deal::Deal scaled = with_debt_scaled(deal, factor);
    const auto metrics = engine::metrics(scaled, engine::project<double>(scaled));
    return DebtAtBreach{factor, num::to_double(metrics.debt_drawn), breach, at_limit};
  };
  constexpr double limit = 4;
  if (const Estimate at_limit = breach_at(limit); at_limit.value <= level) return found(limit, at_limit, true);
  double low = 0, high = limit;
  Estimate at_low = breach_at(0);
  if (at_low.value > level) return std::nullopt;
  while (high - low > 1.0 / 512) {
    const double middle = (low + high) / 2;
    const Estimate breach = breach_at(middle);
    if (breach.value <= level) {
      low = middle;
      at_low = breach;
    } else {
      high = middle;
    }
  }
  return found(low, at_low, false);
}

}  // namespace leasecalc::solve
