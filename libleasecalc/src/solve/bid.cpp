#include "leasecalc/solve/bid.hpp"

#include "leasecalc/deal/credit_pricing.hpp"
#include "leasecalc/engine/project.hpp"
#include "leasecalc/solve/breakeven.hpp"
#include "leasecalc/text/text.hpp"

#include <boost/math/tools/roots.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <stdexcept>
#include <variant>

namespace leasecalc::solve {

namespace {

struct MetricEntry {
  BidMetric metric;
  BidMetricNames names;
};

constexpr MetricEntry metric_table[] = {
    {BidMetric::equity_irr, {"equity_irr", "equity-irr", "equity IRR"}},
    {BidMetric::project_irr_post_tax, {"project_irr_post_tax", "project-irr", "post-tax project IRR"}},
    {BidMetric::project_irr_pre_tax, {"project_irr_pre_tax", "project-irr-pre-tax", "pre-tax project IRR"}},
    {BidMetric::minimum_dscr, {"minimum_dscr", "minimum-dscr", "minimum DSCR"}},
    {BidMetric::net_margin, {"net_margin", "net-margin", "net margin"}},
};

// The price's relative precision: the solve stops once the lowest price known to earn the target
// is within this of the highest known not to.
constexpr double price_tolerance = 1e-7;
// The second price tried, this far above the model's: the secant's first slope.
constexpr double first_step = 1e-3;
// The search goes up to this multiple of the model's price before it calls a target unreachable.
constexpr double ceiling_multiple = 1000;

const deal::TakeOrPay& bid_contract(const deal::Deal& deal, std::size_t contract) {
  return std::get<deal::TakeOrPay>(deal.contracts[contract]);
}

double unit_month_price_of(const deal::Deal& deal, std::size_t contract) {
  const deal::TakeOrPay& bid = bid_contract(deal, contract);
  return num::to_double(deal::unit_month_price(deal::net_of_vat(bid.price, bid.vat_rate), deal.cluster.sku));
}

// The target metric of a projected deal.
template <num::Numeric Num>
std::optional<double> metric_value(const engine::Metrics<Num>& metrics, BidMetric metric) {
  switch (metric) {
    case BidMetric::equity_irr: return metrics.equity_irr.rate;
    case BidMetric::project_irr_post_tax: return metrics.project_irr_post_tax.rate;
    case BidMetric::project_irr_pre_tax: return metrics.project_irr_pre_tax.rate;
    case BidMetric::minimum_dscr: return metrics.minimum_dscr;
    case BidMetric::net_margin: return metrics.net_margin.empty() ? std::nullopt : metrics.net_margin.back();
  }
  return std::nullopt;
}

// How far the deal is above the target (negative: below), in the fast mode. For an IRR that is the
// NPV of its flows at the target rate: it rises with the price as the IRR does, is nearly linear
// in the price (the secant closes it in a step or two), and exists where the IRR has several roots
// or none. The DSCR and the margin are measured as such.
// `prebooked`: what the deal books at any price (engine::prebook), booked once for the solve.
std::optional<double> surplus(const deal::Deal& deal, const BidTarget& target, const engine::Prebooked<double>& prebooked) {
  switch (target.metric) {
    case BidMetric::equity_irr: return npv(deal, ReturnBasis::equity, target.value, &prebooked);
    case BidMetric::project_irr_post_tax: return npv(deal, ReturnBasis::project_post_tax, target.value, &prebooked);
    case BidMetric::project_irr_pre_tax: return npv(deal, ReturnBasis::project_pre_tax, target.value, &prebooked);
    case BidMetric::minimum_dscr:
    case BidMetric::net_margin: break;
  }
  const auto ledger = engine::project<double>(deal, &prebooked);
  const std::optional<double> value = metric_value(engine::metrics(deal, ledger), target.metric);
  if (!value) return std::nullopt;
  return *value - target.value;
}

std::string amount_text(double value, const std::string& currency) {
  const double size = std::fabs(value);
  char buffer[64];
  if (size >= 1e9) std::snprintf(buffer, sizeof buffer, "%.2fbn", value / 1e9);
  else if (size >= 1e6) std::snprintf(buffer, sizeof buffer, "%.1fM", value / 1e6);
  else if (size >= 1e3) std::snprintf(buffer, sizeof buffer, "%.1fk", value / 1e3);
  else std::snprintf(buffer, sizeof buffer, "%.0f", value);
  return std::string(buffer) + " " + currency;
}

std::string metric_text(BidMetric metric, double value) {
  char buffer[64];
  if (is_multiple(metric)) std::snprintf(buffer, sizeof buffer, "%.2fx", value);
  else std::snprintf(buffer, sizeof buffer, "%.2f%%", value * 100);
  return buffer;
}

// "2.1000 USD per GPU-hour (12,264.00 per server-month)".
std::string price_text(double unit_month_price, const Bid& bid) {
  char gpu_hour[64], unit_month[64];
  std::snprintf(gpu_hour, sizeof gpu_hour, "%.4f", unit_month_price / (bid.gpus_per_unit * num::to_double(deal::hours_per_month)));
  std::snprintf(unit_month, sizeof unit_month, "%.2f", unit_month_price);
  std::string grouped = unit_month;
  for (int i = static_cast<int>(grouped.find('.')) - 3; i > 0 && std::isdigit(static_cast<unsigned char>(grouped[i - 1])); i -= 3)
    grouped.insert(static_cast<std::size_t>(i), ",");
  return std::string(gpu_hour) + " " + bid.currency + " per GPU-hour (" + grouped + " per " + bid.unit_month + ")";
}

std::string describe_re_lease(const deal::Deal& deal, std::size_t contract) {
  const auto& re_lease = bid_contract(deal, contract).re_lease;
  if (re_lease.mode == deal::ReLease::Mode::idle) return "idle after the term (the model's re-lease rule)";
  const deal::Price market = re_lease.market_price.value_or(bid_contract(deal, contract).price);
  char price[96];
  std::snprintf(price, sizeof price, "%s %s per %s%s", num::to_text(num::to_double(market.amount)).c_str(),
                deal.currency.c_str(), std::string(deal::to_string(market.unit)).c_str(),
                market.vat == deal::VatBasis::included ? " incl. VAT" : "");
  const std::string decay = num::to_text(num::to_double(re_lease.annual_price_decay) * 100) + "% a year";
  const bool from_expiry = re_lease.decay_from == deal::ReLease::DecayFrom::expiry;
  const std::string from = std::string(" at the model's market price, ") + price +
                           (from_expiry ? " at the contract's end" : " at the contract's start") + " falling " + decay +
                           ", whatever the bid";
  return (re_lease.mode == deal::ReLease::Mode::on_demand ? "re-leased on demand after the term"
                                                          : "a follow-on contract after the term") +
         from;
}

}  // namespace

BidMetricNames names_of(BidMetric metric) {
  for (const auto& entry : metric_table)
    if (entry.metric == metric) return entry.names;
  return metric_table[0].names;
}

std::optional<BidMetric> parse_bid_metric(std::string_view option) {
  for (const auto& entry : metric_table)
    if (entry.names.option == option) return entry.metric;
  return std::nullopt;
}

bool Bid::none_priced() const {
  return std::ranges::none_of(points, [](const BidPoint& point) { return point.status == BidStatus::priced; });
}

std::size_t bid_contract_index(const deal::Deal& deal, const std::optional<std::string>& name) {
  std::vector<std::string> take_or_pay_names;
  std::optional<std::size_t> found;
  int matches = 0;
  for (std::size_t i = 0; i < deal.contracts.size(); ++i) {
    const auto* take_or_pay = std::get_if<deal::TakeOrPay>(&deal.contracts[i]);
    if (!take_or_pay) continue;
    take_or_pay_names.push_back(take_or_pay->name);
    if (!name && !found) found = i;
    if (name && take_or_pay->name == *name) {
      if (!found) found = i;
      ++matches;
    }
  }
  if (take_or_pay_names.empty())
    throw std::invalid_argument("the model has no take-or-pay contract to bid (a bid prices a committed contract)");
  if (!name) return *found;
  if (matches > 1)
    throw std::invalid_argument(std::to_string(matches) + " take-or-pay contracts are named '" + *name +
                                "': name them apart to bid one");
  if (found) return *found;
  for (const auto& contract : deal.contracts)
    if (const auto* on_demand = std::get_if<deal::OnDemand>(&contract); on_demand && on_demand->name == *name)
      throw std::invalid_argument("'" + *name + "' is an on-demand contract: a bid prices a take-or-pay contract");
  std::string message = "no take-or-pay contract is named '" + *name + "'";
  if (const auto meant = text::closest_match(*name, take_or_pay_names)) message += " (did you mean '" + *meant + "'?)";
  message += "; the model has: ";
  for (std::size_t i = 0; i < take_or_pay_names.size(); ++i) message += (i ? ", '" : "'") + take_or_pay_names[i] + "'";
  throw std::invalid_argument(message);
}

deal::Deal deal_to_bid(deal::Deal deal, std::size_t contract, std::optional<int> term_months,
                       const std::optional<deal::Decimal>& prepayment_share) {
  auto& bid = std::get<deal::TakeOrPay>(deal.contracts[contract]);
  // Pinned before the price moves: the re-lease keeps the model's market price.
  if (bid.re_lease.mode != deal::ReLease::Mode::idle && !bid.re_lease.market_price)
    bid.re_lease.market_price = bid.price;
  if (term_months) {
    const int term = *term_months;
    const int first = engine::month_index(deal.start, bid.start);
    const std::string months = std::to_string(term) + " months";
    if (term <= 0) throw std::invalid_argument("a bid term must be at least one month");
    if (first + term > deal.horizon_months)
      throw std::invalid_argument("a term of " + months + " runs past the model's horizon: '" + bid.name +
                                  "' starts in month " + std::to_string(first) + " of " +
                                  std::to_string(deal.horizon_months) + ", so its term is at most " +
                                  std::to_string(deal.horizon_months - first) + " months");
    if (bid.ramp_months > term)
      throw std::invalid_argument("a term of " + months + " is shorter than the contract's ramp of " +
                                  std::to_string(bid.ramp_months) + " months");
    if (bid.early_termination && bid.early_termination->after_months >= term)
      throw std::invalid_argument("a term of " + months + " ends before the contract's early exit after " +
                                  std::to_string(bid.early_termination->after_months) + " months");
    bid.term_months = term;
  }
  if (prepayment_share) {
    if (*prepayment_share < 0 || *prepayment_share >= 1)
      throw std::invalid_argument("a prepayment is a share from 0% to below 100% of the contract's value");
    bid.prepayment_share = *prepayment_share;
  }
  return deal;
}

void set_bid_price(deal::Deal& deal, std::size_t contract, const deal::Decimal& unit_month_price) {
  auto& price = std::get<deal::TakeOrPay>(deal.contracts[contract]).price;
  price.amount = unit_month_price;
  price.unit = deal::unit_month(deal.cluster.sku);
  price.vat = deal::VatBasis::excluded;  // the solve is in prices without VAT
}

PriceSolution solve_bid_price(const deal::Deal& deal, std::size_t contract, const BidTarget& target) {
  PriceSolution solution;
  deal::Deal working = deal;  // re-priced at each price tried
  const engine::Prebooked<double> prebooked = engine::prebook<double>(deal);
  const double model_price = unit_month_price_of(deal, contract);
  // A contract quoted at zero still needs a scale to search from: its servers' cost over its term.
  const double start = model_price > 0 ? model_price
                                       : std::max(1.0, num::to_double(deal.cluster.price_per_server) /
                                                           std::max(1, bid_contract(deal, contract).term_months));
  solution.ceiling = ceiling_multiple * start;
  solution.best_surplus = -std::numeric_limits<double>::infinity();

  // The bracket: `low` misses the target (or has no measure; a price of zero until it is tried),
  // `high` earns it.
  double low = 0;
  std::optional<double> at_low, high, at_high;
  bool zero_tried = false;
  struct Point {
    double price, surplus;
  };
  std::optional<Point> previous, latest;  // the last two prices with a measure, for the secant
  const auto try_price = [&](double price) -> std::optional<double> {
    ++solution.projections;
    zero_tried = zero_tried || price == 0;
    set_bid_price(working, contract, num::from_double<deal::Decimal>(price));
    std::optional<double> value = surplus(working, target, prebooked);
    if (value && !std::isfinite(*value)) value.reset();
    if (value && *value > solution.best_surplus) solution.best_surplus = *value, solution.best_price = price;
    if (value && *value >= 0) {
      if (!high || price < *high) high = price, at_high = value;
    } else if (price >= low) {
      low = price, at_low = value;
    }
    if (value) previous = latest, latest = Point{price, *value};
    return value;
  };
  bool answered = false;  // by the secant's line, with no bracket as narrow as the tolerance (below)
  const auto converged = [&] { return answered || (high && *high - low <= 2 * price_tolerance * *high); };
  const auto unreachable = [&] {
    solution.note = "no price up to the search's ceiling earns the target";
    return solution;
  };

  // Two prices next to the model's give the secant its first slope where the answer usually is.
  try_price(start);
  try_price(start * (1 + first_step));

  // Secant steps through the last two prices tried. Where the measure is linear in the price
  // between them (it is, but for kinks such as a tax loss used up) the secant lands on the root, and
  // one more price a tolerance across it closes the bracket (none where the landing earns the
  // target and the line says so by far, below). Before a price is known to earn the target the
  // search goes up (doubling where the measure does not rise), to the ceiling at most; after, it
  // stays inside the bracket, and tries a price of zero when the secant points below it.
  for (int step = 0; step < 40 && !converged(); ++step) {
    if (!high && low >= solution.ceiling) return unreachable();
    if (high && step >= 10) break;  // a bracket the secant does not close: TOMS 748 below
    std::optional<double> estimate;
    if (previous && latest && latest->surplus != previous->surplus)
      estimate = latest->price - latest->surplus * (latest->price - previous->price) / (latest->surplus - previous->surplus);
    // On the last price tried, which earns the target, to within a hundredth of the tolerance, by
    // the line through it and a price near it (within a thousandth): by that line the price a
    // tolerance below misses the target by 99% of a tolerance step, which only a slope a hundred
    // times flatter just below could undo. That price is the answer; the step across would only
    // confirm it.
    if (estimate && high && *high == latest->price &&
        std::fabs(previous->price - latest->price) <= 1e-3 * latest->price &&
        std::fabs(*estimate - latest->price) <= 0.01 * price_tolerance * latest->price) {
      answered = true;
      break;
    }
    // On the last price tried, to within the tolerance: step the tolerance across it instead.
    if (estimate && latest && std::fabs(*estimate - latest->price) <= price_tolerance * latest->price)
      estimate = latest->price * (latest->surplus < 0 ? 1 + price_tolerance : 1 - price_tolerance);
    if (high) {
      if (estimate && *estimate <= 0 && !zero_tried) estimate = 0.0;
      else if (!estimate || !(*estimate > low && *estimate < *high))
        estimate = at_low ? low + (*high - low) * (-*at_low / (*at_high - *at_low)) : 0.5 * (low + *high);
      if (*estimate != 0 && !(*estimate > low && *estimate < *high)) estimate = 0.5 * (low + *high);
    } else {
      if (!estimate || !(*estimate > low)) estimate = 2 * std::max(low, 0.5 * start);
      estimate = std::min(*estimate, solution.ceiling);
    }
    try_price(*estimate);
  }
  if (!high) return unreachable();
  if (!converged() && low == 0 && !zero_tried) try_price(0);
  if (!converged()) {
    // A bracket the secant did not close (a kinked or bent measure, or one flat over the cents it
    // rounds to): TOMS 748 closes it. A price without a measure counts as missing the target.
    const double far_side = at_low ? *at_low : -std::fabs(*at_high);
    const auto f = [&](double price) {
      const std::optional<double> value = try_price(price);
      return value ? *value : far_side;
    };
    std::uintmax_t iterations = 100;
    const auto tolerance = [](double a, double b) { return b - a <= 2 * price_tolerance * b; };
    boost::math::tools::toms748_solve(f, low, *high, far_side, *at_high, tolerance, iterations);
  }
  solution.unit_month_price = *high;
  if (*high == 0) solution.note = "the target is earned even at a zero price";
  return solution;
}

void set_credit_class(deal::Deal& deal, std::size_t contract, deal::CreditClass credit) {
  std::get<deal::TakeOrPay>(deal.contracts[contract]).credit = credit;
  // Each grid re-priced now, so that a grid without the class fails before any solve, and the
  // tranche's first-month rate says what it pays at this class.
  for (auto& tranche : deal.debt) {
    if (!tranche.floating || !tranche.floating->margin_grid) continue;
    tranche = deal::credit_priced(deal.contracts, tranche);
    tranche.annual_rate = deal::all_in_rate(*tranche.floating, deal.start);
  }
}

namespace {

std::vector<TrancheMargin> debt_margins(const deal::Deal& deal) {
  std::vector<TrancheMargin> margins;
  for (const auto& tranche : deal.debt)
    if (tranche.floating) margins.push_back({tranche.name, num::to_double(deal::credit_priced(deal.contracts, tranche).floating->margin)});
  return margins;
}

// Whether anything in the deal depends on a customer's credit class.
bool prices_credit(const deal::Deal& deal) {
  return !deal.credit_classes.empty() || std::ranges::any_of(deal.debt, [](const deal::DebtTranche& tranche) {
           return tranche.floating && tranche.floating->margin_grid;
         });
}

// A metric jumps at a price when a cent below it moves the metric by more than a basis point (a
// hundredth of a turn for a DSCR) and by far more than a cent above it does: a continuous metric
// moves by about as much on either side.
constexpr double jump_step = 0.01;
constexpr double smallest_jump = 1e-4;
constexpr double jump_to_slope = 20;

struct FastFigures {
  engine::Metrics<double> metrics;
  std::vector<engine::TrancheSizing<double>> sizing;
};

FastFigures fast_figures(deal::Deal deal, std::size_t contract, double price) {
  set_bid_price(deal, contract, num::from_double<deal::Decimal>(price));
  auto projection = engine::project_with_sizing<double>(deal);
  return {engine::metrics(deal, projection.ledger), std::move(projection.debt_sizing)};
}

std::string ratio_text(const deal::Decimal& ratio) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2fx", num::to_double(ratio));
  return buffer;
}

std::string months_text(int months) { return std::to_string(months) + (months == 1 ? " month" : " months"); }

// What changes between the figures a cent below the price and at it, in the terms of the model.
std::string jump_cause(const deal::Deal& deal, const FastFigures& below, const FastFigures& at) {
  std::vector<std::string> causes;
  const int trapped_below = below.metrics.months_cash_trapped, trapped_at = at.metrics.months_cash_trapped;
  if (trapped_below != trapped_at) {
    const std::string what = deal.waterfall.lock_up_dscr ? "the lock-up at " + ratio_text(*deal.waterfall.lock_up_dscr)
                                                         : std::string("the covenants' cash trap");
    causes.push_back(what + (trapped_at < trapped_below ? " stops binding" : " starts binding") + " (cash trapped in " +
                     months_text(trapped_below) + " a cent below, " + months_text(trapped_at) + " at the price)");
  }
  if (deal.covenants.on_breach == deal::BreachAction::accelerate &&
      std::fabs(below.metrics.total_swept - at.metrics.total_swept) > 0.5)
    causes.push_back(std::string("the covenants' accelerated repayment ") +
                     (at.metrics.total_swept < below.metrics.total_swept ? "stops" : "starts"));
  for (std::size_t i = 0; i < std::min(below.sizing.size(), at.sizing.size()); ++i)
    if (below.sizing[i].binding != at.sizing[i].binding)
      causes.push_back("the debt's sizing of '" + below.sizing[i].tranche + "' binds on " +
                       std::string(engine::sizing_constraint_info(at.sizing[i].binding).key) + " instead of " +
                       std::string(engine::sizing_constraint_info(below.sizing[i].binding).key));
  const auto called = [](const FastFigures& f) { return f.metrics.funding_shortfalls.size(); };
  if (called(below) != called(at))
    causes.push_back("the shareholders are called after the capex in " + months_text(static_cast<int>(called(below))) +
                     " a cent below, " + months_text(static_cast<int>(called(at))) + " at the price");
  if (causes.empty()) return "a threshold in the model the bid cannot name moves the equity's cash flows";
  std::string text;
  for (const auto& cause : causes) text += (text.empty() ? "" : "; ") + cause;
  return text;
}

// The equity IRR and the target metric where they jump at `price`, found on fast projections a
// cent either side.
std::vector<MetricJump> jumps_at(const deal::Deal& deal, std::size_t contract, double price, BidMetric target) {
  std::vector<MetricJump> jumps;
  if (price < jump_step) return jumps;
  const FastFigures below = fast_figures(deal, contract, price - jump_step), at = fast_figures(deal, contract, price),
                    above = fast_figures(deal, contract, price + jump_step);
  std::vector<BidMetric> metrics = {BidMetric::equity_irr};
  if (target != BidMetric::equity_irr) metrics.push_back(target);
  for (const BidMetric metric : metrics) {
    const std::optional<double> low = metric_value(below.metrics, metric), mid = metric_value(at.metrics, metric),
                                high = metric_value(above.metrics, metric);
    if (!mid) continue;
    const double step_below = low ? std::fabs(*mid - *low) : std::numeric_limits<double>::infinity();
    const double step_above = high ? std::fabs(*high - *mid) : 0;
    if (step_below <= (is_multiple(metric) ? 1e-2 : smallest_jump) || step_below <= jump_to_slope * step_above) continue;
    jumps.push_back({metric, price - jump_step, low, mid, jump_cause(deal, below, at)});
  }
  return jumps;
}

// "the equity IRR jumps from 12.40% at 12,263.99 to 15.02% at 12,264.00 per server-month: ...".
std::string jump_text(const MetricJump& jump, double price, const Bid& bid) {
  const auto value = [&](const std::optional<double>& v) { return v ? metric_text(jump.metric, *v) : std::string("n/a"); };
  const auto grouped = [](double amount) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.2f", amount);
    std::string text = buffer;
    for (int i = static_cast<int>(text.find('.')) - 3; i > 0 && std::isdigit(static_cast<unsigned char>(text[i - 1])); i -= 3)
      text.insert(static_cast<std::size_t>(i), ",");
    return text;
  };
  return "the " + std::string(names_of(jump.metric).name) + " jumps from " + value(jump.below) + " at " +
         grouped(jump.price_below) + " to " + value(jump.at) + " at " + grouped(price) + " per " + bid.unit_month +
         ": " + jump.cause;
}

// What the shareholders put in over the months the cost is paid: what funds the capex.
template <num::Numeric Num>
double equity_upfront(const engine::Ledger<Num>& ledger) {
  double upfront = 0;
  for (int m = 0; m < ledger.months(); ++m)
    if (ledger(engine::Line::capex, m) != 0) upfront += num::to_double(ledger(engine::Line::equity_contributed, m));
  return upfront;
}

// Why an equity IRR says nothing, when equity funds under the minimum share of the cost.
std::optional<std::string> equity_too_small(double upfront, double capex, double debt_drawn, const std::string& currency) {
  if (upfront >= minimum_equity_share_of_capex * capex) return std::nullopt;
  return (upfront <= 0 ? std::string("equity puts nothing into the cost")
                       : "equity puts only " + amount_text(upfront, currency) + " (" +
                             metric_text(BidMetric::net_margin, upfront / capex) + ") into the " +
                             amount_text(capex, currency) + " cost") +
         ": the prepayment and the debt (" + amount_text(debt_drawn, currency) +
         ") fund the rest, so an equity IRR says nothing";
}

}  // namespace

template <num::Numeric Num>
Bid bid(const deal::Deal& model, const BidRequest& request, const Progress& progress) {
  const std::size_t index = bid_contract_index(model, request.contract);
  const auto& contract = bid_contract(model, index);
  if (request.target.metric == BidMetric::minimum_dscr && model.debt.empty())
    throw std::invalid_argument("the model has no debt: a minimum DSCR target needs debt service");

  Bid result;
  result.deal_name = model.name;
  result.currency = model.currency;
  result.contract = contract.name;
  result.target = request.target;
  result.exact = std::same_as<Num, num::Decimal>;
  result.unit_month = std::string(deal::to_string(deal::unit_month(model.cluster.sku)));
  result.gpus_per_unit = model.cluster.sku.gpus_per_unit;
  result.model_unit_month_price = unit_month_price_of(model, index);
  result.model_term_months = contract.term_months;
  result.model_prepayment_share = num::to_double(contract.prepayment_share);
  result.model_credit_class = std::string(deal::to_string(deal::credit_class_of(contract)));
  result.credit_axis = !request.credit_classes.empty();
  result.re_lease = describe_re_lease(model, index);
  if (!request.credit_classes.empty() && !prices_credit(model))
    throw std::invalid_argument(
        "a credit-class axis needs something priced on the customer's credit: a tranche whose margin is a grid by "
        "credit class, or a credit_classes section charging an expected credit loss; the model has neither");

  std::vector<std::optional<int>> terms;
  for (const int term : request.term_months) terms.emplace_back(term);
  if (terms.empty()) terms.emplace_back();
  std::vector<std::optional<deal::Decimal>> prepayments;
  for (const auto& share : request.prepayment_shares) prepayments.emplace_back(share);
  if (prepayments.empty()) prepayments.emplace_back();
  std::vector<std::optional<deal::CreditClass>> credits(request.credit_classes.begin(), request.credit_classes.end());
  if (credits.empty()) credits.emplace_back();

  // Every point is checked before any is solved, so a bad axis value fails at once.
  std::vector<deal::Deal> deals;
  for (const auto& term : terms)
    for (const auto& prepayment : prepayments)
      for (const auto& credit : credits) {
        deal::Deal deal = deal_to_bid(model, index, term, prepayment);
        if (credit) set_credit_class(deal, index, *credit);
        deals.push_back(std::move(deal));
      }

  const std::string target_name(names_of(request.target.metric).name);
  for (deal::Deal& deal : deals) {
    report_progress(progress, result.points.size(), deals.size());
    BidPoint point;
    point.term_months = bid_contract(deal, index).term_months;
    point.prepayment_share = num::to_double(bid_contract(deal, index).prepayment_share);
    point.credit_class = std::string(deal::to_string(deal::credit_class_of(bid_contract(deal, index))));
    point.debt_margins = debt_margins(deal);
    const PriceSolution solution = solve_bid_price(deal, index, request.target);  // from the model's price
    point.projections = solution.projections;
    point.note = solution.note;
    if (!solution.unit_month_price) {
      point.status = BidStatus::unreachable;
      set_bid_price(deal, index, num::from_double<deal::Decimal>(solution.best_price));
      const auto ledger = engine::project<double>(deal);
      point.best_reachable = metric_value(engine::metrics(deal, ledger), request.target.metric);
      point.best_reachable_unit_month_price = solution.best_price;
      const auto reachable = engine::metrics(deal, ledger);
      const auto tiny = equity_too_small(equity_upfront(ledger), num::to_double(reachable.capex),
                                         num::to_double(reachable.debt_drawn), model.currency);
      point.note = "no price earns " + target_name + " " + metric_text(request.target.metric, request.target.value) +
                   " (searched up to " + price_text(solution.ceiling, result) + ")";
      if (point.best_reachable)
        point.note += "; the best reachable is " + metric_text(request.target.metric, *point.best_reachable) + ", at " +
                      price_text(solution.best_price, result);
      if (tiny) point.note += "; at that price " + *tiny;
      result.points.push_back(std::move(point));
      continue;
    }
    const double price = *solution.unit_month_price;
    set_bid_price(deal, index, num::from_double<deal::Decimal>(price));
    // The debt re-sized at the price (engine/phases/debt_sizing.hpp): the confirming projection's.
    auto projection = engine::project_with_sizing<Num>(deal);
    const auto& ledger = projection.ledger;
    const auto metrics = engine::metrics(deal, ledger);
    for (const auto& sized : projection.debt_sizing)
      point.debt_sizing.push_back({sized.tranche, num::to_double(sized.size),
                                   std::string(engine::sizing_constraint_info(sized.binding).key)});
    point.unit_month_price = price;
    point.gpu_hour_price = price / (model.cluster.sku.gpus_per_unit * num::to_double(deal::hours_per_month));
    point.equity_irr = metrics.equity_irr;
    point.project_irr_post_tax = metrics.project_irr_post_tax;
    point.project_irr_pre_tax = metrics.project_irr_pre_tax;
    point.minimum_dscr = metrics.minimum_dscr;
    point.net_margin = metrics.net_margin.empty() ? std::nullopt : metrics.net_margin.back();
    point.equity_invested = num::to_double(metrics.equity_invested);
    point.capex = num::to_double(metrics.capex);
    point.equity_upfront = equity_upfront(ledger);
    point.achieved = metric_value(metrics, request.target.metric);
    // Said plainly where a threshold makes the answer a leap: the figures a cent below, in the
    // requested mode, against those at the price.
    point.jumps = jumps_at(deal, index, price, request.target.metric);
    if (!point.jumps.empty()) {
      deal::Deal cheaper = deal;
      set_bid_price(cheaper, index, num::from_double<deal::Decimal>(price - jump_step));
      const auto below = engine::metrics(cheaper, engine::project<Num>(cheaper));
      for (MetricJump& jump : point.jumps) {
        jump.below = metric_value(below, jump.metric);
        jump.at = metric_value(metrics, jump.metric);
        point.note += (point.note.empty() ? "" : "; ") + jump_text(jump, price, result);
      }
    }
    // Equity that is tiny or nil has no return worth quoting: say so instead of a number.
    if (const auto tiny = equity_too_small(point.equity_upfront, point.capex, num::to_double(metrics.debt_drawn),
                                           model.currency)) {
      const std::string& why = *tiny;
      point.equity_irr = {std::nullopt, why};
      if (request.target.metric == BidMetric::equity_irr) {
        point.status = BidStatus::equity_too_small;
        point.jumps.clear();
        point.achieved.reset();
        point.unit_month_price.reset();
        point.gpu_hour_price.reset();
        point.note = "no bid on an equity IRR: " + why;
        result.points.push_back(std::move(point));
        continue;
      }
      if (!point.note.empty()) point.note += "; ";
      point.note += why;
    }
    result.points.push_back(std::move(point));
  }
  report_progress(progress, result.points.size(), deals.size());
  return result;
}

template Bid bid<double>(const deal::Deal&, const BidRequest&, const Progress&);
template Bid bid<num::Decimal>(const deal::Deal&, const BidRequest&, const Progress&);

}  // namespace leasecalc::solve
