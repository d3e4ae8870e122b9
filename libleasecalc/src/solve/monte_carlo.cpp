#include "leasecalc/solve/monte_carlo.hpp"

#include "leasecalc/deal/fleet.hpp"
#include "leasecalc/engine/covenants.hpp"
#include "leasecalc/engine/metrics.hpp"
#include "leasecalc/engine/phases/booking.hpp"
#include "leasecalc/engine/phases/capex.hpp"
#include "leasecalc/engine/phases/fleet_value.hpp"
#include "leasecalc/engine/project.hpp"
#include "leasecalc/solve/breaking_points.hpp"
#include "leasecalc/solve/market_path.hpp"
#include "leasecalc/solve/scenario_seed.hpp"

#include <Eigen/Cholesky>

#include <boost/random/sobol.hpp>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/triangular.hpp>
#include <boost/math/distributions/uniform.hpp>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cmath>
#include <exception>
#include <limits>
#include <random>
#include <stdexcept>
#include <thread>

namespace leasecalc::solve {

double quantile(const Distribution& distribution, double u) {
  // Keep u inside (0, 1): the normal quantile is infinite at either end.
  u = std::clamp(u, std::numeric_limits<double>::min(), std::nextafter(1.0, 0.0));
  return std::visit(
      [u](const auto& d) -> double {
        using D = std::decay_t<decltype(d)>;
        if constexpr (std::is_same_v<D, Normal>) {
          if (d.sd == 0) return d.mean;
          const boost::math::normal_distribution<double> normal(d.mean, d.sd);
          const double below = d.min ? boost::math::cdf(normal, *d.min) : 0.0;
          const double up_to = d.max ? boost::math::cdf(normal, *d.max) : 1.0;
          const double p = std::clamp(below + u * (up_to - below), std::numeric_limits<double>::min(),
                                      std::nextafter(1.0, 0.0));
          const double x = boost::math::quantile(normal, p);
          return std::clamp(x, d.min.value_or(x), d.max.value_or(x));
        } else if constexpr (std::is_same_v<D, Uniform>) {
          if (d.low == d.high) return d.low;
          return boost::math::quantile(boost::math::uniform_distribution<double>(d.low, d.high), u);
        } else {
          if (d.low == d.high) return d.low;
          return boost::math::quantile(boost::math::triangular_distribution<double>(d.low, d.mode, d.high), u);
        }
      },
      distribution);
}

Input sensitivity_input(UncertainQuantity quantity) {
  switch (quantity) {
    case UncertainQuantity::price: return Input::contract_price;
    case UncertainQuantity::price_decay: return Input::price_decay;
    case UncertainQuantity::utilisation: return Input::billed_volume;
    case UncertainQuantity::residual: return Input::residual_value;
    case UncertainQuantity::power_tariff: return Input::power_tariff;
    case UncertainQuantity::debt_rate: return Input::debt_rate;
    case UncertainQuantity::server_price: return Input::server_price;
  }
  throw std::invalid_argument("unknown uncertain quantity");
}

void apply_change(deal::Deal& deal, UncertainQuantity quantity, double change,
                  const std::optional<deal::ResidualCurve>& residual_by_age) {
  if (change == 0) return;
  if (quantity == UncertainQuantity::residual && residual_by_age &&
      std::holds_alternative<deal::ResidualExponential>(deal.assets.residual))
    deal.assets.residual = *residual_by_age;  // the same shares, read from the curve
  const Input input = sensitivity_input(quantity);
  // The deal moves through the variant's function and back: changed in place, never copied.
  const auto factor = [change] { return num::from_double<deal::Decimal>(std::max(0.0, 1 + change)); };
  const auto points = [change] { return num::from_double<deal::Decimal>(change); };
  switch (input) {
    case Input::contract_price: deal = with_price_factor(std::move(deal), factor()); return;
    case Input::billed_volume: deal = with_volume_factor(std::move(deal), factor()); return;
    case Input::server_price: deal = with_server_price_factor(std::move(deal), factor()); return;
    case Input::power_tariff: deal = with_power_tariff_factor(std::move(deal), factor()); return;
    case Input::residual_value: deal = with_residual_factor(std::move(deal), factor()); return;
    case Input::debt_rate: deal = with_debt_rate_change(std::move(deal), points()); return;
    case Input::price_decay: deal = with_price_decay_change(std::move(deal), points()); return;
    default: throw std::invalid_argument("not an uncertain input: " + std::string(input_key(input)));
  }
}

std::optional<deal::ResidualCurve> residual_curve_by_age(const deal::Deal& deal) {
  if (!std::holds_alternative<deal::ResidualExponential>(deal.assets.residual)) return std::nullopt;
  deal::ResidualCurve curve;
  for (int age = 0; age <= deal.horizon_months; ++age)
    curve.share_by_age.points.push_back({age, engine::residual_share<deal::Decimal>(deal.assets.residual, age)});
  return curve;
}

deal::Deal with_change(const deal::Deal& deal, UncertainQuantity quantity, double change) {
  deal::Deal changed = deal;
  apply_change(changed, quantity, change);
  return changed;
}

namespace {

double standard_normal_quantile(double u) {
  u = std::clamp(u, std::numeric_limits<double>::min(), std::nextafter(1.0, 0.0));
  return boost::math::quantile(boost::math::normal_distribution<double>(), u);
}

double standard_normal_cdf(double z) { return boost::math::cdf(boost::math::normal_distribution<double>(), z); }

// The stream of the market path's overall shock, apart from every input's.
constexpr std::uint32_t market_stream = 1000;

// Uniforms of one stream: independent draws, or a Latin hypercube (one draw in each of the `runs`
// equal slices of (0, 1), in an order shuffled by the same stream).
Eigen::VectorXd stream_uniforms(std::uint64_t seed, std::uint32_t stream, Eigen::Index runs, deal::Sampling sampling) {
  std::seed_seq sequence{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32), stream};
  std::mt19937_64 generator(sequence);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  Eigen::VectorXd u(runs);
  if (sampling != deal::Sampling::latin_hypercube) {  // Sobol: the first draw is the coordinate's shift
    for (Eigen::Index i = 0; i < runs; ++i) u(i) = uniform(generator);
    return u;
  }
  std::vector<Eigen::Index> slice(static_cast<std::size_t>(runs));
  for (Eigen::Index i = 0; i < runs; ++i) slice[static_cast<std::size_t>(i)] = i;
  for (Eigen::Index i = runs - 1; i > 0; --i) {  // Fisher-Yates, on this stream's own draws
    const auto j = static_cast<Eigen::Index>(uniform(generator) * static_cast<double>(i + 1));
    std::swap(slice[static_cast<std::size_t>(i)], slice[static_cast<std::size_t>(std::min(j, i))]);
  }
  for (Eigen::Index i = 0; i < runs; ++i)
    u(i) = (static_cast<double>(slice[static_cast<std::size_t>(i)]) + uniform(generator)) / static_cast<double>(runs);
  return u;
}

}  // namespace

Eigen::MatrixXd correlation_factor(const Eigen::MatrixXd& correlations) {
  // Eigen reports a zero pivot (a singular matrix) as a numerical issue; the pivoting puts such
  // pivots last, so the factor still holds: it is checked by rebuilding the matrix instead.
  const Eigen::LDLT<Eigen::MatrixXd> ldlt(correlations);
  const Eigen::VectorXd d = ldlt.vectorD();
  const Eigen::MatrixXd l = ldlt.matrixL();
  const Eigen::MatrixXd factor =
      ldlt.transpositionsP().transpose() * (l * d.cwiseMax(0.0).cwiseSqrt().asDiagonal());
  if ((d.array() < -1e-10).any() || !factor.allFinite() ||
      (factor * factor.transpose() - correlations).cwiseAbs().maxCoeff() > 1e-9)
    throw std::invalid_argument("a correlation matrix must be positive semi-definite");
  return factor;
}

Draws draw(const Uncertainty& uncertainty) {
  const auto runs = static_cast<Eigen::Index>(std::max(0, uncertainty.runs));
  const auto inputs = static_cast<Eigen::Index>(uncertainty.inputs.size());
  const bool market = uncertainty.market && is_drawn(*uncertainty.market);
  Eigen::MatrixXd uniforms(runs, inputs + (market ? 1 : 0));
  for (Eigen::Index j = 0; j < inputs; ++j)  // one stream per input, named by the input rather than its place
    uniforms.col(j) = stream_uniforms(
        uncertainty.seed, static_cast<std::uint32_t>(sensitivity_input(uncertainty.inputs[static_cast<std::size_t>(j)].input)),
        runs, uncertainty.sampling);
  if (market) uniforms.col(inputs) = stream_uniforms(uncertainty.seed, market_stream, runs, uncertainty.sampling);
  if (uncertainty.sampling == deal::Sampling::sobol && uniforms.cols() > 0) {
    // Point i of the Sobol sequence, its coordinate j shifted by stream j's first uniform, mod 1
    // (a random shift: every point stays uniform, the set keeps its low discrepancy).
    boost::random::sobol sequence(static_cast<std::size_t>(uniforms.cols()));
    const Eigen::RowVectorXd shift = uniforms.row(0);
    for (Eigen::Index i = 0; i < runs; ++i)
      for (Eigen::Index j = 0; j < uniforms.cols(); ++j) {
        const double point = std::ldexp(static_cast<double>(sequence() >> 11), -53);  // 53 bits: exact in a double
        const double shifted = point + shift(j);
        uniforms(i, j) = shifted >= 1 ? shifted - 1 : shifted;
      }
  }

  if (const auto& correlated = uncertainty.correlations; !correlated.keys.empty()) {
    std::vector<Eigen::Index> columns;
    for (const std::string& key : correlated.keys) {
      Eigen::Index column = -1;
      for (Eigen::Index j = 0; j < inputs; ++j)
        if (uncertainty_key(uncertainty.inputs[static_cast<std::size_t>(j)].input) == key) column = j;
      if (key == "market" && market) column = inputs;
      if (column < 0) throw std::invalid_argument("correlations name '" + key + "', which is not drawn");
      columns.push_back(column);
    }
    const auto n = static_cast<Eigen::Index>(columns.size());
    Eigen::MatrixXd matrix(n, n);
    for (Eigen::Index a = 0; a < n; ++a)
      for (Eigen::Index b = 0; b < n; ++b)
        matrix(a, b) = correlated.matrix.at(static_cast<std::size_t>(a)).at(static_cast<std::size_t>(b));
    const Eigen::MatrixXd factor = correlation_factor(matrix);
    Eigen::VectorXd z(n);
    for (Eigen::Index i = 0; i < runs; ++i) {
      for (Eigen::Index k = 0; k < n; ++k) z(k) = standard_normal_quantile(uniforms(i, columns[static_cast<std::size_t>(k)]));
      const Eigen::VectorXd correlated_z = factor * z;
      for (Eigen::Index k = 0; k < n; ++k) uniforms(i, columns[static_cast<std::size_t>(k)]) = standard_normal_cdf(correlated_z(k));
    }
  }

  Draws draws;
  draws.changes.resize(runs, inputs);
  for (Eigen::Index j = 0; j < inputs; ++j)
    for (Eigen::Index i = 0; i < runs; ++i)
      draws.changes(i, j) = quantile(uncertainty.inputs[static_cast<std::size_t>(j)].change, uniforms(i, j));
  if (market) {
    draws.market_shocks.resize(runs);
    for (Eigen::Index i = 0; i < runs; ++i) draws.market_shocks(i) = standard_normal_quantile(uniforms(i, inputs));
  }
  return draws;
}

Eigen::MatrixXd draw_changes(const Uncertainty& uncertainty) { return draw(uncertainty).changes; }

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) throw std::invalid_argument("percentile of no values");
  const double rank = p * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(rank));
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  return sorted[below] + (rank - static_cast<double>(below)) * (sorted[above] - sorted[below]);
}

std::optional<Summary> summarise(std::vector<double> values) {
  if (values.empty()) return std::nullopt;
  Summary s;
  s.scenarios = static_cast<int>(values.size());
  double sum = 0;
  for (double v : values) sum += v;
  s.mean = sum / static_cast<double>(values.size());
  double squares = 0;
  for (double v : values) squares += (v - s.mean) * (v - s.mean);
  s.standard_deviation = values.size() > 1 ? std::sqrt(squares / static_cast<double>(values.size() - 1)) : 0.0;
  s.mean_standard_error = s.standard_deviation / std::sqrt(static_cast<double>(values.size()));
  std::sort(values.begin(), values.end());
  s.p5 = percentile(values, 0.05);
  s.p25 = percentile(values, 0.25);
  s.p50 = percentile(values, 0.50);
  s.p75 = percentile(values, 0.75);
  s.p95 = percentile(values, 0.95);
  return s;
}

std::vector<double> power_index(const deal::PowerShock& shock, int months, std::uint64_t seed, std::uint64_t scenario) {
  std::vector<double> index(static_cast<std::size_t>(std::max(months, 1)), 1.0);
  ScenarioGenerator generator(scenario_seed(seed, scenario, 0x706f776572ULL));  // "power"
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  for (int year = 0; 12 * year < months; ++year) {
    // Three draws every year, struck or not, so that a year's shock does not hang on the years before.
    const double strikes = uniform(generator), when = uniform(generator), size = uniform(generator);
    if (strikes >= shock.annual_probability) continue;
    const int start = 12 * year + std::min(11, static_cast<int>(when * 12));
    const double factor = std::max(0.0, 1 + quantile(shock.size, size));
    for (int m = start; m < std::min(months, start + shock.duration_months); ++m) index[static_cast<std::size_t>(m)] *= factor;
  }
  return index;
}

FleetShortfall fleet_shortfall(const deal::Deal& deal, const std::vector<int>& months_late, double failure_rate,
                               int repair_months, double late_delivery_credit, const std::vector<double>& held) {
  const int months = deal.horizon_months;
  const auto size = static_cast<std::size_t>(std::max(months, 1));
  FleetShortfall result;
  std::vector<std::pair<int, int>> lots;  // month, servers
  if (deal.cluster.deliveries.empty()) lots.emplace_back(0, deal.cluster.servers);
  for (const auto& lot : deal.cluster.deliveries) lots.emplace_back(engine::month_index(deal.start, lot.date), lot.servers);
  result.months_late.assign(lots.size(), 0);
  std::vector<double> modelled(size, 0.0), served(size, 0.0);
  for (std::size_t k = 0; k < lots.size(); ++k) {
    const int on_time = std::max(0, lots[k].first);
    const int late = k < months_late.size() ? std::clamp(months_late[k], 0, std::max(0, months - 1 - on_time)) : 0;
    result.months_late[k] = late;
    for (int m = on_time; m < months; ++m) modelled[static_cast<std::size_t>(m)] += lots[k].second;
    for (int m = on_time + late; m < months; ++m) served[static_cast<std::size_t>(m)] += lots[k].second;
  }
  result.late.assign(size, 0.0);
  result.unreplaced.assign(size, 0.0);
  result.billed_share.assign(size, 1.0);
  double in_repair = 0;  // failed in the last `repair_months` months, a month's failures being served x rate / 12
  for (std::size_t m = 0; m < size && static_cast<int>(m) < months; ++m) {
    in_repair += served[m] * failure_rate / 12;
    if (static_cast<int>(m) >= repair_months) in_repair -= served[m - static_cast<std::size_t>(repair_months)] * failure_rate / 12;
    const double spares = deal::spare_units(deal.cluster, static_cast<int>(served[m]));
    result.late[m] = modelled[m] - served[m];
    result.unreplaced[m] = std::max(0.0, in_repair - spares);
    const double holding = m < held.size() ? held[m] : 0.0;
    const double idle = std::max(0.0, modelled[m] - holding);  // servers no customer holds stand in first
    const double missing = std::max(0.0, result.late[m] + result.unreplaced[m] - idle);
    const double missing_late = std::max(0.0, result.late[m] - idle);
    if (holding <= 0) continue;
    result.billed_share[m] = std::clamp(1 - (missing + late_delivery_credit * missing_late) / holding, 0.0, 1.0);
    result.unbilled_unit_months += std::min(missing, holding);
  }
  return result;
}

namespace {

// Counts by deal quarter and over the life, summed over the scenarios a worker evaluates: whole
// numbers, so the sum is the same in any order.
struct Tally {
  std::vector<int> dscr_breach, ltv_breach, cash_trap, funding_shortfall, first_breach;
  int breach = 0, cash_trap_life = 0, funding_shortfall_life = 0, loss = 0, defaulted = 0, terminated = 0, late = 0,
      power_shocked = 0;

  explicit Tally(std::size_t quarters)
      : dscr_breach(quarters), ltv_breach(quarters), cash_trap(quarters), funding_shortfall(quarters),
        first_breach(quarters) {}

  void add(const Tally& other) {
    for (std::size_t q = 0; q < dscr_breach.size(); ++q) {
      dscr_breach[q] += other.dscr_breach[q];
      ltv_breach[q] += other.ltv_breach[q];
      cash_trap[q] += other.cash_trap[q];
      funding_shortfall[q] += other.funding_shortfall[q];
      first_breach[q] += other.first_breach[q];
    }
    breach += other.breach;
    cash_trap_life += other.cash_trap_life;
    funding_shortfall_life += other.funding_shortfall_life;
    loss += other.loss;
    defaulted += other.defaulted;
    terminated += other.terminated;
    late += other.late;
    power_shocked += other.power_shocked;
  }
};

// What does not change from one scenario to the next.
struct Plan {
  const deal::Deal& model;
  const Uncertainty& uncertainty;
  const Draws& draws;
  std::vector<bool> applies;     // by input: whether it can change this deal
  deal::Covenants covenants;     // the scenarios' covenants: the model's, or the DSCR test counted
  std::size_t quarters = 0;
  std::vector<double> held;      // with fleet events: the units the model's customers hold, by month
  // An exponential residual rule as a curve, worked out once rather than in every scenario that draws it.
  std::optional<deal::ResidualCurve> residual_by_age;
  // The model's capex payments, for the covenant tests and the lenders' loss of a scenario that pays
  // the same: one that moves neither the server price nor the deliveries (the cluster fields a
  // scenario can change that the payments read).
  std::optional<engine::phases::CapexPayments<double>> model_capex;
};

// The events of scenario i (deal::Events), from a generator seeded by the seed and i alone: each
// take-or-pay contract's default and early exit as the first month of a yearly hazard.
struct EventsDrawn {
  bool default_drawn = false, termination_drawn = false, late_drawn = false, power_shock_drawn = false;
};

EventsDrawn draw_events(const deal::Events& events, std::uint64_t seed, Eigen::Index i, deal::Deal& scenario) {
  EventsDrawn drawn;
  if (!events.any()) return drawn;
  ScenarioGenerator generator(scenario_seed(seed, static_cast<std::uint64_t>(i), 0x6576656e7473ULL));  // "events"
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  // The month (from the contract's start) of the first event of an annual probability p.
  const auto first_month = [&](double p) -> std::optional<int> {
    const double u = uniform(generator);
    if (p <= 0) return std::nullopt;
    if (p >= 1) return 0;
    const double years = std::log1p(-u) / std::log1p(-p);  // exponential time at hazard -log(1 - p)
    return years * 12 < 1e6 ? std::optional<int>(static_cast<int>(years * 12)) : std::nullopt;
  };
  for (auto& contract : scenario.contracts) {
    auto* lease = std::get_if<deal::TakeOrPay>(&contract);
    if (!lease) continue;
    if (events.customer_default) {
      const deal::CreditClass credit = deal::credit_class_of(*lease);
      const auto& stated = scenario.credit_classes.of(credit);
      const double pd = num::to_double((stated ? *stated : deal::default_credit_risk(credit)).probability_of_default);
      const auto month = first_month(pd);
      if (!lease->customer_default && month && *month < lease->term_months) {
        lease->customer_default = deal::CustomerDefault{*month, events.re_lease_after_months};
        drawn.default_drawn = true;
      }
    }
    if (events.early_termination_probability > 0) {
      const auto month = first_month(events.early_termination_probability);
      if (!lease->early_termination && month && *month > 0 && *month < lease->term_months) {
        lease->early_termination = deal::EarlyTermination{*month, num::from_double<deal::Decimal>(events.termination_fee_months)};
        drawn.termination_drawn = true;
      }
    }
  }
  return drawn;
}

// A generator of scenario i's draws for one kind of event, seeded by the seed, i and the kind alone.
ScenarioGenerator event_generator(std::uint64_t seed, Eigen::Index i, std::uint64_t kind) {
  return ScenarioGenerator(scenario_seed(seed, static_cast<std::uint64_t>(i), kind));
}

// The fleet events (deliveries late, failures against the spares) and power shocks of scenario i.
void draw_fleet_and_power(const Plan& plan, Eigen::Index i, deal::Deal& scenario, EventsDrawn& drawn,
                          double& unbilled) {
  const deal::Events& events = plan.uncertainty.events;
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  if (events.fleet_events()) {
    const std::size_t lots = std::max<std::size_t>(1, plan.model.cluster.deliveries.size());
    std::vector<int> months_late(lots, 0);
    if (events.delivery_delay_months) {
      auto generator = event_generator(plan.uncertainty.seed, i, 0x64656c6179ULL);  // "delay"
      for (int& late : months_late)
        late = std::max(0, static_cast<int>(std::lround(quantile(*events.delivery_delay_months, uniform(generator)))));
    }
    double failure_rate = 0;  // without the event, the model's spares cover its failures
    if (events.failure_rate) {
      auto generator = event_generator(plan.uncertainty.seed, i, 0x6661696cULL);  // "fail"
      failure_rate = std::clamp(quantile(*events.failure_rate, uniform(generator)), 0.0, 1.0);
      scenario.cluster.annual_failure_rate = num::from_double<deal::Decimal>(failure_rate);
    }
    FleetShortfall shortfall = fleet_shortfall(plan.model, months_late, failure_rate, events.repair_months,
                                               events.late_delivery_credit, plan.held);
    // The lots as delivered: explicit, each moved by its months late (clamped to the horizon), in date order.
    if (scenario.cluster.deliveries.empty()) scenario.cluster.deliveries.push_back({scenario.start, scenario.cluster.servers});
    for (std::size_t k = 0; k < scenario.cluster.deliveries.size(); ++k) {
      auto& lot = scenario.cluster.deliveries[k];
      lot.date = time::add_months(lot.date, shortfall.months_late[k], time::EndOfMonth::off);
    }
    std::stable_sort(scenario.cluster.deliveries.begin(), scenario.cluster.deliveries.end(),
                     [](const deal::Tranche& a, const deal::Tranche& b) { return a.date < b.date; });
    drawn.late_drawn = std::any_of(shortfall.months_late.begin(), shortfall.months_late.end(), [](int m) { return m > 0; });
    unbilled = shortfall.unbilled_unit_months;
    scenario.billed_share = std::move(shortfall.billed_share);
  }
  if (events.power_shock) {
    scenario.power_index = power_index(*events.power_shock, scenario.horizon_months, plan.uncertainty.seed,
                                       static_cast<std::uint64_t>(i));
    drawn.power_shock_drawn =
        std::any_of(scenario.power_index.begin(), scenario.power_index.end(), [](double x) { return x != 1; });
  }
}

// Scenario i into `scenario`, a worker's scratch deal: the model copied over what the last
// scenario left there (into the buffers it holds), then its draws applied in place.
void scenario_into(const Plan& plan, Eigen::Index i, deal::Deal& scenario, EventsDrawn& events, double& unbilled) {
  scenario = plan.model;
  for (std::size_t j = 0; j < plan.uncertainty.inputs.size(); ++j) {
    if (!plan.applies[j]) continue;
    const UncertainQuantity input = plan.uncertainty.inputs[j].input;
    apply_change(scenario, input, plan.draws.changes(i, static_cast<Eigen::Index>(j)), plan.residual_by_age);
  }
  scenario.covenants = plan.covenants;
  events = draw_events(plan.uncertainty.events, plan.uncertainty.seed, i, scenario);
  draw_fleet_and_power(plan, i, scenario, events, unbilled);
  if (plan.uncertainty.market)
    market_path_into(*plan.uncertainty.market, scenario.horizon_months, plan.uncertainty.seed, static_cast<std::uint64_t>(i),
                     plan.draws.market_shocks.size() > 0 ? std::optional<double>(plan.draws.market_shocks(i)) : std::nullopt,
                     scenario.market_index);
}

// Evaluates scenarios [first, end) into the result's rows and the worker's tally; `scenario` is
// the worker's scratch deal.
void evaluate(const Plan& plan, MonteCarloResult& result, std::vector<std::optional<double>>& paybacks, Tally& tally,
              deal::Deal& scenario, Eigen::Index first, Eigen::Index end) {
  std::vector<char> flagged(plan.quarters);
  for (Eigen::Index i = first; i < end; ++i) {
    EventsDrawn events;
    double unbilled = 0;
    scenario_into(plan, i, scenario, events, unbilled);
    tally.defaulted += events.default_drawn;
    tally.terminated += events.termination_drawn;
    tally.late += events.late_drawn;
    tally.power_shocked += events.power_shock_drawn;
    result.unbilled_by_scenario[static_cast<std::size_t>(i)] = unbilled;
    const auto ledger = engine::project<double>(scenario);
    const auto metrics = engine::metrics(scenario, ledger, outcome_metrics);
    const Outcome outcome = outcome_of(metrics);
    for (std::size_t k = 0; k < std::size(all_measures); ++k) {
      const auto value = value_of(outcome, all_measures[k]);
      const auto column = static_cast<Eigen::Index>(k);
      result.defined(i, column) = value.has_value();
      result.outcomes(i, column) = value.value_or(0.0);
    }
    paybacks[static_cast<std::size_t>(i)] = metrics.project_payback_months;

    // The scenario's capex payments: the model's unless it moves the server price or the deliveries.
    std::optional<engine::phases::CapexPayments<double>> paid;
    if (!plan.model_capex || scenario.cluster.price_per_server != plan.model.cluster.price_per_server) {
      engine::Ledger<double> scratch = engine::empty_ledger<double>(scenario);
      paid = engine::phases::pay_capex(scenario, scratch);
    }
    const auto& capex = paid ? *paid : *plan.model_capex;

    // Covenant breaches on the test dates, by quarter.
    const engine::CovenantReport report = engine::covenant_report(scenario, ledger, capex, false);  // DSCR and LTV only
    int first_breach = -1;
    for (const auto& test : report.tests) {
      if (test.test != engine::CovenantTest::minimum_dscr && test.test != engine::CovenantTest::maximum_ltv) continue;
      auto& counts = test.test == engine::CovenantTest::minimum_dscr ? tally.dscr_breach : tally.ltv_breach;
      std::fill(flagged.begin(), flagged.end(), 0);
      for (std::size_t k = 0; k < test.observations.size(); ++k) {
        if (!test.observations[k].breached) continue;
        const int month = report.test_months[k];
        flagged[static_cast<std::size_t>(month / 3)] = 1;
        if (first_breach < 0 || month < first_breach) first_breach = month;
      }
      for (std::size_t q = 0; q < plan.quarters; ++q) counts[q] += flagged[q];
    }
    if (first_breach >= 0) {
      ++tally.breach;
      ++tally.first_breach[static_cast<std::size_t>(first_breach / 3)];
    }
    result.first_breach_months[static_cast<std::size_t>(i)] = first_breach;

    // Cash trapped by a lock-up, and shortfalls the shareholders fund, by quarter.
    std::fill(flagged.begin(), flagged.end(), 0);
    for (int m = 0; m < ledger.months(); ++m)
      if (ledger(engine::Line::trapped_cash, m) > 0) flagged[static_cast<std::size_t>(m / 3)] = 1;
    bool any = false;
    for (std::size_t q = 0; q < plan.quarters; ++q) {
      tally.cash_trap[q] += flagged[q];
      any = any || flagged[q];
    }
    tally.cash_trap_life += any;
    std::fill(flagged.begin(), flagged.end(), 0);
    for (const auto& shortfall : metrics.funding_shortfalls) flagged[static_cast<std::size_t>(shortfall.month / 3)] = 1;
    for (std::size_t q = 0; q < plan.quarters; ++q) tally.funding_shortfall[q] += flagged[q];

    // The lenders' loss if they enforce at the first shortfall: the debt then less the fleet's value.
    double loss = 0;
    if (!metrics.funding_shortfalls.empty()) {
      ++tally.funding_shortfall_life;
      const int month = metrics.funding_shortfalls.front().month;
      const double debt = ledger(engine::Line::debt_outstanding, month);
      if (debt > 0) loss = std::max(0.0, debt - engine::phases::fleet_residual_value(scenario, capex, month));
    }
    tally.loss += loss > 0;
    result.lender_losses[static_cast<std::size_t>(i)] = loss;
  }
}

Estimate share(int count, Eigen::Index runs) {
  const double n = static_cast<double>(runs), p = count / n;
  return {p, std::sqrt(p * (1 - p) / n)};
}

Estimate mean_of(const std::vector<double>& values) {
  if (values.empty()) return {};
  const double n = static_cast<double>(values.size());
  double sum = 0;
  for (double v : values) sum += v;
  const double mean = sum / n;
  double squares = 0;
  for (double v : values) squares += (v - mean) * (v - mean);
  return {mean, values.size() > 1 ? std::sqrt(squares / (n - 1) / n) : 0.0};
}

std::string runs_text(double runs) {
  return std::to_string(static_cast<long long>(std::ceil(std::max(runs, 1.0))));
}

// How many runs a given precision needs: a standard error scales as 1 / sqrt(runs).
std::vector<std::string> convergence_notes(const MonteCarloResult& result, Eigen::Index runs) {
  std::vector<std::string> notes;
  char text[256];
  const Estimate& breach = result.lender.breach_over_life;
  std::snprintf(text, sizeof text,
                "covenant breach probability %.2f%% +/- %.2f points (one standard error); +/- 1 point needs %s runs, "
                "+/- 0.5 point %s",
                breach.value * 100, breach.standard_error * 100,
                runs_text(breach.value * (1 - breach.value) / 1e-4).c_str(),
                runs_text(breach.value * (1 - breach.value) / 2.5e-5).c_str());
  notes.emplace_back(text);
  if (const auto& npv = result.summary(Measure::npv); npv && npv->mean != 0) {
    std::snprintf(text, sizeof text, "NPV mean to within 1%% (one standard error) needs %s runs",
                  runs_text(std::pow(npv->standard_deviation / (0.01 * std::abs(npv->mean)), 2)).c_str());
    notes.emplace_back(text);
  }
  std::snprintf(text, sizeof text, "%lld runs: four times as many halve every standard error%s",
                static_cast<long long>(runs),
                result.uncertainty.sampling == deal::Sampling::latin_hypercube
                    ? " (Latin hypercube: the standard errors shown are those of independent draws, an upper bound)"
                : result.uncertainty.sampling == deal::Sampling::sobol
                    ? " (Sobol: the standard errors shown are those of independent draws; on a smooth deal the error "
                      "falls nearer 1/runs, compare seeds to see it)"
                    : "");
  notes.emplace_back(text);
  return notes;
}

// A utilisation drawn above what the fleet can serve would bill more servers than it has (the
// model loader refuses the same contracts): such draws are capped at the fleet over the most
// servers the contracts hold at once, and counted.
void cap_utilisation(const deal::Deal& deal, const Uncertainty& uncertainty, const std::vector<bool>& applies,
                     MonteCarloResult& result) {
  const deal::Decimal peak = deal::peak_contracted_servers(deal);
  if (peak <= 0) return;
  const double largest_change = num::to_double(deal::Decimal(deal.cluster.servers) / peak) - 1;
  for (std::size_t j = 0; j < uncertainty.inputs.size(); ++j) {
    if (uncertainty.inputs[j].input != UncertainQuantity::utilisation || !applies[j]) continue;
    auto drawn = result.changes.col(static_cast<Eigen::Index>(j));
    for (Eigen::Index i = 0; i < drawn.size(); ++i) {
      if (drawn(i) <= largest_change) continue;
      drawn(i) = largest_change;
      ++result.utilisation_draws_capped;
    }
  }
  if (result.utilisation_draws_capped == 0) return;
  char cap[32];
  std::snprintf(cap, sizeof cap, "%+.2f%%", largest_change * 100);
  result.warnings.push_back(
      {"uncertainty.utilisation",
       std::to_string(result.utilisation_draws_capped) + " of " + std::to_string(result.changes.rows()) +
           " scenarios drew a utilisation above what the fleet can serve and were capped at " + cap +
           " (the contracts hold up to " + num::to_text(num::to_double(peak)) + " servers at once, of a fleet of " +
           std::to_string(deal.cluster.servers) + ")"});
}

// The plan of a run: which inputs apply, the utilisation draws capped (into result.changes and
// the draws), the covenants counted and, with fleet events, what the model's customers hold.
Plan make_plan(const deal::Deal& deal, const Uncertainty& uncertainty, Draws& draws, MonteCarloResult& result) {
  Plan plan{deal, uncertainty, draws, {}, deal.covenants, static_cast<std::size_t>((deal.horizon_months + 2) / 3), {}, {}, {}};
  for (const auto& input : uncertainty.inputs) {
    const auto reason = inapplicable(deal, sensitivity_input(input.input));
    if (reason) result.notes.push_back(std::string(uncertainty_key(input.input)) + ": ignored, " + *reason);
    plan.applies.push_back(!reason);
  }
  if (uncertainty.events.fleet_events()) {
    const auto ledger = engine::project<double>(deal);
    for (int m = 0; m < ledger.months(); ++m) plan.held.push_back(ledger(engine::Line::units_contracted, m));
  }
  plan.residual_by_age = residual_curve_by_age(deal);
  if (!uncertainty.events.fleet_events()) {
    engine::Ledger<double> scratch = engine::empty_ledger<double>(deal);
    plan.model_capex = engine::phases::pay_capex(deal, scratch);
  }
  result.changes = std::move(draws.changes);
  cap_utilisation(deal, uncertainty, plan.applies, result);
  draws.changes = result.changes;
  // The DSCR and LTV tests counted: the model's, or a quarterly DSCR test that only reports.
  result.lender.covenants_from_model = deal.covenants.any();
  plan.covenants = tested_covenants(deal, uncertainty.dscr_covenant);
  if (plan.covenants.minimum_dscr) result.lender.dscr_threshold = num::to_double(*plan.covenants.minimum_dscr);
  if (plan.covenants.maximum_ltv) result.lender.ltv_threshold = num::to_double(*plan.covenants.maximum_ltv);

  return plan;
}

}  // namespace

deal::Deal monte_carlo_scenario(const deal::Deal& deal, const Uncertainty& uncertainty, Eigen::Index scenario) {
  if (scenario < 0 || scenario >= uncertainty.runs) throw std::invalid_argument("no such scenario in the run");
  MonteCarloResult scratch;
  Draws draws = draw(uncertainty);
  const Plan plan = make_plan(deal, uncertainty, draws, scratch);
  EventsDrawn events;
  double unbilled = 0;
  deal::Deal drawn;
  scenario_into(plan, scenario, drawn, events, unbilled);
  return drawn;
}

MonteCarloResult monte_carlo(const deal::Deal& deal, const Uncertainty& uncertainty, unsigned threads,
                             const Progress& progress) {
  if (uncertainty.runs < 1) throw std::invalid_argument("a Monte Carlo run needs at least one scenario");
  MonteCarloResult result;
  result.uncertainty = uncertainty;
  result.base = outcome_of(deal);
  Draws draws = draw(uncertainty);
  const Eigen::Index runs = draws.changes.rows();
  const auto measures = static_cast<Eigen::Index>(std::size(all_measures));
  result.outcomes = Eigen::ArrayXXd::Zero(runs, measures);
  result.defined = Eigen::Array<bool, Eigen::Dynamic, Eigen::Dynamic>::Constant(runs, measures, false);
  result.first_breach_months.assign(static_cast<std::size_t>(runs), -1);
  result.lender_losses.assign(static_cast<std::size_t>(runs), 0.0);
  result.unbilled_by_scenario.assign(static_cast<std::size_t>(runs), 0.0);
  std::vector<std::optional<double>> paybacks(static_cast<std::size_t>(runs));

  const Plan plan = make_plan(deal, uncertainty, draws, result);

  // Fixed-size chunks handed out in turn: each row's value depends on its own draws only.
  constexpr Eigen::Index chunk = 16;
  const unsigned workers = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>((runs + chunk - 1) / chunk)));
  std::atomic<Eigen::Index> next{0};
  std::vector<std::exception_ptr> failures(workers);
  std::vector<Eigen::Index> failed_at(workers, runs);
  std::atomic<std::size_t> done{0};
  std::vector<Tally> tallies(workers, Tally(plan.quarters));
  const auto work = [&](unsigned w) {
    deal::Deal scenario;
    for (Eigen::Index first; (first = next.fetch_add(chunk)) < runs;) {
      try {
        evaluate(plan, result, paybacks, tallies[w], scenario, first, std::min(runs, first + chunk));
      } catch (...) {
        if (first < failed_at[w]) {
          failed_at[w] = first;
          failures[w] = std::current_exception();
        }
      }
      const auto finished = static_cast<std::size_t>(std::min(runs, first + chunk) - first);
      report_progress(progress, done += finished, static_cast<std::size_t>(runs));
    }
  };
  if (workers == 1) {
    work(0);
  } else {
    std::vector<std::thread> pool;
    for (unsigned w = 0; w < workers; ++w) pool.emplace_back(work, w);
    for (auto& thread : pool) thread.join();
  }
  // The failure of the earliest scenario, whichever thread met it.
  const auto earliest = std::min_element(failed_at.begin(), failed_at.end()) - failed_at.begin();
  if (failures[static_cast<std::size_t>(earliest)]) std::rethrow_exception(failures[static_cast<std::size_t>(earliest)]);

  for (std::size_t k = 0; k < std::size(all_measures); ++k) {
    std::vector<double> values;
    const auto column = static_cast<Eigen::Index>(k);
    for (Eigen::Index i = 0; i < runs; ++i)
      if (result.defined(i, column)) values.push_back(result.outcomes(i, column));
    result.undefined[k] = static_cast<int>(runs) - static_cast<int>(values.size());
    result.summaries[k] = summarise(std::move(values));
  }
  std::vector<double> paid_back;
  for (const auto& months : paybacks)
    if (months) paid_back.push_back(*months);
  result.scenarios_without_payback = static_cast<int>(runs) - static_cast<int>(paid_back.size());
  result.project_payback_months = summarise(std::move(paid_back));

  const auto npv = static_cast<Eigen::Index>(Measure::npv), dscr = static_cast<Eigen::Index>(Measure::minimum_dscr);
  const Estimate npv_negative = share(static_cast<int>((result.outcomes.col(npv) < 0).count()), runs);
  result.probability_npv_negative = npv_negative.value;
  result.probability_npv_negative_standard_error = npv_negative.standard_error;
  const auto with_dscr = result.defined.col(dscr).count();
  if (with_dscr > 0) {
    Eigen::Index below = 0;
    for (Eigen::Index i = 0; i < runs; ++i)
      below += result.defined(i, dscr) && result.outcomes(i, dscr) < uncertainty.dscr_covenant;
    result.probability_dscr_below_covenant = static_cast<double>(below) / static_cast<double>(with_dscr);
  }

  Tally total(plan.quarters);
  for (const Tally& tally : tallies) total.add(tally);
  LenderRisk& lender = result.lender;
  for (std::size_t q = 0; q < plan.quarters; ++q)
    lender.quarters.push_back({static_cast<int>(q), share(total.dscr_breach[q], runs), share(total.ltv_breach[q], runs),
                               share(total.cash_trap[q], runs), share(total.funding_shortfall[q], runs),
                               share(total.first_breach[q], runs)});
  lender.breach_over_life = share(total.breach, runs);
  lender.cash_trap_over_life = share(total.cash_trap_life, runs);
  lender.funding_shortfall_over_life = share(total.funding_shortfall_life, runs);
  std::vector<double> breach_months;
  for (const int month : result.first_breach_months)
    if (month >= 0) breach_months.push_back(month);
  lender.first_breach_month = summarise(std::move(breach_months));
  lender.expected_loss = mean_of(result.lender_losses);
  lender.probability_of_loss = share(total.loss, runs);
  result.customer_default_drawn = share(total.defaulted, runs);
  result.early_termination_drawn = share(total.terminated, runs);
  result.late_delivery_drawn = share(total.late, runs);
  result.power_shock_drawn = share(total.power_shocked, runs);
  result.unbilled_unit_months = mean_of(result.unbilled_by_scenario);
  result.convergence = convergence_notes(result, runs);
  return result;
}

}  // namespace leasecalc::solve
