// The `uncertainty:` section of a model file. Only that section is read here: io::load_deal checks
// the rest of the file.

#include "leasecalc/io/load_uncertainty.hpp"

#include "leasecalc/io/document.hpp"

#include <boost/math/distributions/normal.hpp>

#include <array>
#include <cmath>
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
     "server_price"});
constexpr auto distribution_keys =
    std::to_array<std::string_view>({"distribution", "mean", "sd", "min", "max", "low", "mode", "high"});

deal::Distribution read_distribution(Object object, bool relative) {
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
      uncertainty.inputs.push_back({quantity, read_distribution(*object, deal::is_relative_change(quantity))});
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
