// The `uncertainty:` section of a model file. Only that section is read here: io::load_deal checks
// the rest of the file.

#include "leasecalc/io/load_uncertainty.hpp"

#include "leasecalc/io/document.hpp"

#include <Eigen/Eigenvalues>
#include <boost/math/distributions/normal.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>

namespace leasecalc::io {

namespace {

double percent(const Field& field, Range range = Range::any) { return num::to_double(field.as_percent(range)); }

// A relative change below -100% would make the input negative.
void require_relative_floor(const Field& field, double value, bool relative) {
  if (relative && value < -1) field.fail_expected("a change of at least -100%");
}

// The keys of the section and of a distribution (named when something else is written there).
constexpr auto uncertainty_keys = std::to_array<std::string_view>(
    {"runs", "seed", "dscr_covenant", "price", "price_decay", "utilisation", "residual", "power_tariff", "debt_rate",
     "server_price", "market", "correlations", "sampling", "events"});
constexpr auto event_keys = std::to_array<std::string_view>(
    {"customer_default", "re_lease_after", "early_termination", "termination_fee_months", "delivery_delay",
     "late_delivery_credit", "failure_rate", "repair_months", "power_shock"});
constexpr auto power_shock_keys = std::to_array<std::string_view>({"probability", "size", "duration"});
constexpr auto market_keys = std::to_array<std::string_view>(
    {"drift", "reversion", "trend", "volatility", "generations", "generation_jump", "paths"});
constexpr auto correlation_keys = std::to_array<std::string_view>({"inputs", "matrix"});
constexpr auto distribution_keys =
    std::to_array<std::string_view>({"distribution", "mean", "sd", "min", "max", "low", "mode", "high"});

// What a distribution's values are: changes (percentages; relative ones at least -100%), shares
// from 0% to 100%, or months from 0 to 600.
enum class Values { change, relative_change, share, months };

double value_of(const Field& field, Values values, Range range) {
  switch (values) {
    case Values::change:
    case Values::relative_change: return num::to_double(field.as_percent(range));
    case Values::share: return num::to_double(field.as_percent(Range::fraction));
    case Values::months: {
      const double months = num::to_double(field.as_number(Range::non_negative));
      if (months > 600) field.fail_expected("at most 600 months");
      return months;
    }
  }
  return 0;
}

deal::Distribution read_distribution(Object object, Values values) {
  const bool relative = values == Values::relative_change;
  const auto percent = [values](const Field& field, Range range = Range::any) { return value_of(field, values, range); };
  enum class Kind { normal, uniform, triangular };
  const Kind kind = object.required_enum<Kind>(
      "distribution", {{"normal", Kind::normal}, {"uniform", Kind::uniform}, {"triangular", Kind::triangular}});
  deal::Distribution distribution;
  if (kind == Kind::normal) {
    deal::Normal normal;
    normal.mean = percent(object.field("mean"));
    normal.sd = percent(object.field("sd"), Range::non_negative);
    const std::optional<Field> min = object.optional_field("min"), max = object.optional_field("max");
    if (min) {
      normal.min = percent(*min);
      require_relative_floor(*min, *normal.min, relative);
    }
    if (max) normal.max = percent(*max);
    if (min && max && *normal.max < *normal.min) max->fail_expected("at least min (" + min->as_string() + ")");
    if (normal.sd == 0) {
      if ((normal.min && normal.mean < *normal.min) || (normal.max && normal.mean > *normal.max))
        object.field("mean").fail_expected("a mean between min and max when sd is 0%");
    } else if (min || max) {
      const boost::math::normal_distribution<double> curve(normal.mean, normal.sd);
      const double mass = (normal.max ? boost::math::cdf(curve, *normal.max) : 1.0) -
                          (normal.min ? boost::math::cdf(curve, *normal.min) : 0.0);
      if (mass < 1e-9) (min ? *min : *max).fail("min and max leave almost none of the normal distribution");
    }
    distribution = normal;
  } else if (kind == Kind::uniform) {
    const Field low = object.field("low"), high = object.field("high");
    deal::Uniform uniform{percent(low), percent(high)};
    require_relative_floor(low, uniform.low, relative);
    if (uniform.high < uniform.low) high.fail_expected("at least low (" + low.as_string() + ")");
    distribution = uniform;
  } else {
    const Field low = object.field("low"), mode = object.field("mode"), high = object.field("high");
    deal::Triangular triangular{percent(low), percent(mode), percent(high)};
    require_relative_floor(low, triangular.low, relative);
    if (triangular.mode < triangular.low) mode.fail_expected("at least low (" + low.as_string() + ")");
    if (triangular.high < triangular.mode) high.fail_expected("at least mode (" + mode.as_string() + ")");
    distribution = triangular;
  }
  object.finish();
  return distribution;
}

deal::MarketPath read_market(Object object) {
  deal::MarketPath market;
  if (const auto field = object.optional_field("drift")) market.drift = percent(*field, Range::any);
  if (const auto field = object.optional_field("reversion")) market.reversion = percent(*field, Range::annual_rate);
  if (const auto field = object.optional_field("trend")) market.trend = percent(*field, Range::any);
  if (const auto field = object.optional_field("volatility")) market.volatility = percent(*field, Range::annual_rate);
  const std::optional<List> generations = object.optional_list("generations");
  if (generations) {
    for (const Field& month : *generations) {
      const int value = month.as_count();
      if (!market.generation_months.empty() && value <= market.generation_months.back())
        month.fail_expected("a deal month after the one before it");
      market.generation_months.push_back(value);
    }
  }
  if (std::optional<Object> jump = object.optional_object("generation_jump", distribution_keys))
    market.generation_jump = read_distribution(*jump, Values::relative_change);
  else if (generations)
    generations->fail("needs a generation_jump beside it: the market's change at each generation");
  if (const std::optional<List> paths = object.optional_list("paths")) {
    if (paths->empty()) paths->fail("expected at least one path");
    for (const Field& path : *paths) {
      std::vector<double> index;
      for (const Field& point : path.as_list()) index.push_back(num::to_double(point.as_number(Range::non_negative)));
      if (index.empty()) path.fail("expected the market index by deal month, e.g. [1, 0.98, 0.95]");
      market.paths.push_back(std::move(index));
    }
    if (market.volatility != 0 || market.drift != 0 || market.reversion != 0 || !market.generation_months.empty())
      paths->fail("given paths take the place of drift, reversion, volatility and generations: give one or the other");
  }
  object.finish();
  return market;
}

// A correlation matrix: square over the named inputs, symmetric, unit diagonal, entries in [-1, 1]
// and positive semi-definite (a Cholesky factor exists), each failure at the entry or the matrix.
deal::Correlations read_correlations(Object object, const deal::Uncertainty& uncertainty) {
  deal::Correlations correlations;
  const List inputs = object.list("inputs");
  for (const Field& key : inputs) {
    const std::string name = key.as_string();
    const bool drawn = std::any_of(uncertainty.inputs.begin(), uncertainty.inputs.end(),
                                   [&](const deal::UncertainInput& input) { return deal::uncertainty_key(input.input) == name; });
    if (name == "market" ? !uncertainty.market || !uncertainty.market->paths.empty() : !drawn)
      key.fail_expected("an input the section draws (market for a drawn market path)");
    if (std::find(correlations.keys.begin(), correlations.keys.end(), name) != correlations.keys.end())
      key.fail("named twice");
    correlations.keys.push_back(name);
  }
  const std::size_t n = correlations.keys.size();
  if (n < 2) inputs.fail("expected at least two inputs to correlate");
  const List rows = object.list("matrix");
  if (rows.size() != n) rows.fail("expected " + std::to_string(n) + " rows, one per input");
  Eigen::MatrixXd matrix(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(n));
  for (std::size_t i = 0; i < n; ++i) {
    const List row = rows[i].as_list();
    if (row.size() != n) row.fail("expected " + std::to_string(n) + " entries, one per input");
    std::vector<double> values;
    for (std::size_t j = 0; j < n; ++j) {
      const double value = num::to_double(row[j].as_number(Range::any));
      if (i == j && value != 1) row[j].fail_expected("1 on the diagonal");
      if (std::abs(value) > 1) row[j].fail_expected("a correlation from -1 to 1");
      if (j < i && value != correlations.matrix[j][i])
        row[j].fail_expected("the same as row " + std::to_string(j + 1) + ", entry " + std::to_string(i + 1) +
                             " (a symmetric matrix)");
      matrix(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = value;
      values.push_back(value);
    }
    correlations.matrix.push_back(std::move(values));
  }
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(matrix, Eigen::EigenvaluesOnly);
  if (eigen.eigenvalues().minCoeff() < -1e-10) {
    char smallest[32];
    std::snprintf(smallest, sizeof smallest, "%.4g", eigen.eigenvalues().minCoeff());
    rows.fail(std::string("not positive semi-definite (smallest eigenvalue ") + smallest +
              "): no set of inputs can have these correlations together");
  }
  object.finish();
  return correlations;
}

deal::Events read_events(Object object) {
  deal::Events events;
  events.customer_default = object.optional_bool("customer_default", false);
  if (const auto field = object.optional_field("re_lease_after")) events.re_lease_after_months = field->as_months();
  if (const auto field = object.optional_field("early_termination"))
    events.early_termination_probability = percent(*field, Range::fraction);
  if (const auto field = object.optional_field("termination_fee_months")) {
    events.termination_fee_months = num::to_double(field->as_number(Range::non_negative));
    if (events.early_termination_probability == 0) field->fail("applies only with early_termination above 0%");
  }
  if (std::optional<Object> delay = object.optional_object("delivery_delay", distribution_keys))
    events.delivery_delay_months = read_distribution(*delay, Values::months);
  if (const auto field = object.optional_field("late_delivery_credit")) {
    events.late_delivery_credit = percent(*field, Range::non_negative);
    if (events.late_delivery_credit > 10) field->fail_expected("at most 1000% of a month's fee");
    if (!events.delivery_delay_months) field->fail("applies only with a delivery_delay");
  }
  if (std::optional<Object> rate = object.optional_object("failure_rate", distribution_keys))
    events.failure_rate = read_distribution(*rate, Values::share);
  if (const auto field = object.optional_field("repair_months")) {
    events.repair_months = field->as_count();
    if (events.repair_months > 600) field->fail_expected("at most 600 months");
    if (!events.failure_rate) field->fail("applies only with a failure_rate");
  }
  if (std::optional<Object> shock = object.optional_object("power_shock", power_shock_keys)) {
    deal::PowerShock power;
    power.annual_probability = percent(shock->field("probability"), Range::fraction);
    Object size = shock->object("size", distribution_keys);
    power.size = read_distribution(size, Values::relative_change);
    if (const auto field = shock->optional_field("duration")) {
      power.duration_months = field->as_months();
      if (power.duration_months < 1) field->fail_expected("at least 1 month");
    }
    shock->finish();
    events.power_shock = power;
  }
  object.finish();
  return events;
}

}  // namespace

std::optional<deal::Uncertainty> read_uncertainty(const Document& document) {
  Object root = document.root();
  std::optional<Object> section = root.optional_object("uncertainty", uncertainty_keys);
  if (!section) return std::nullopt;
  deal::Uncertainty uncertainty;
  uncertainty.runs = section->optional_count("runs", uncertainty.runs);
  if (uncertainty.runs > 10'000'000) section->field("runs").fail_expected("at most 10,000,000 runs");
  uncertainty.seed = static_cast<std::uint64_t>(section->optional_count("seed", 42, Range::non_negative));
  if (const std::optional<Field> covenant = section->optional_field("dscr_covenant"))
    uncertainty.dscr_covenant = num::to_double(covenant->as_number());
  for (const deal::UncertainQuantity quantity : deal::uncertain_quantities)
    if (std::optional<Object> object = section->optional_object(deal::uncertainty_key(quantity), distribution_keys))
      uncertainty.inputs.push_back({quantity, read_distribution(*object, deal::is_relative_change(quantity) ? Values::relative_change : Values::change)});
  if (std::optional<Object> market = section->optional_object("market", market_keys)) uncertainty.market = read_market(*market);
  if (std::optional<Object> correlations = section->optional_object("correlations", correlation_keys))
    uncertainty.correlations = read_correlations(*correlations, uncertainty);
  if (std::optional<Object> events = section->optional_object("events", event_keys)) uncertainty.events = read_events(*events);
  uncertainty.sampling = section->optional_enum<deal::Sampling>(
      "sampling", {{"random", deal::Sampling::random},
                   {"latin_hypercube", deal::Sampling::latin_hypercube},
                   {"sobol", deal::Sampling::sobol}})
      .value_or(deal::Sampling::random);
  section->finish();
  return uncertainty;
}

std::optional<deal::Uncertainty> load_uncertainty(const std::filesystem::path& model) {
  return read_uncertainty(Document::load_file(model));
}

std::optional<deal::Uncertainty> parse_uncertainty(std::string_view text, std::string display_name) {
  return read_uncertainty(Document::parse(text, std::move(display_name)));
}

}  // namespace leasecalc::io
