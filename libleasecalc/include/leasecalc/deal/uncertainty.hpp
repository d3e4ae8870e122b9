#pragma once
// What a model says it is unsure of: the distributions a Monte Carlo run draws the changes of the
// deal's uncertain inputs from (a model file's optional `uncertainty:` section). A description
// only: io::load_uncertainty reads it, solve::monte_carlo draws from it.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace leasecalc::deal {

// A normal distribution, truncated to [min, max] when they are given. sd 0 is the mean itself.
struct Normal {
  double mean = 0, sd = 0;
  std::optional<double> min, max;
};
struct Uniform {
  double low = 0, high = 0;
};
struct Triangular {
  double low = 0, mode = 0, high = 0;
};
using Distribution = std::variant<Normal, Uniform, Triangular>;

// The inputs whose change a scenario may draw, named by their key in `uncertainty:`.
enum class UncertainQuantity {
  price,         // every contract's price (on-demand price curves included)
  price_decay,   // market price decay of on-demand rental and re-leases
  utilisation,   // servers billed by every contract
  residual,      // value of the fleet sold at the horizon
  power_tariff,  // tariff per kWh
  debt_rate,     // every tranche's annual rate
  server_price,  // price per server: the capex
};

inline constexpr UncertainQuantity uncertain_quantities[] = {
    UncertainQuantity::price,        UncertainQuantity::price_decay, UncertainQuantity::utilisation,
    UncertainQuantity::residual,     UncertainQuantity::power_tariff, UncertainQuantity::debt_rate,
    UncertainQuantity::server_price};

// The key in a model file's `uncertainty:` section.
constexpr std::string_view uncertainty_key(UncertainQuantity quantity) {
  switch (quantity) {
    case UncertainQuantity::price: return "price";
    case UncertainQuantity::price_decay: return "price_decay";
    case UncertainQuantity::utilisation: return "utilisation";
    case UncertainQuantity::residual: return "residual";
    case UncertainQuantity::power_tariff: return "power_tariff";
    case UncertainQuantity::debt_rate: return "debt_rate";
    case UncertainQuantity::server_price: return "server_price";
  }
  throw std::invalid_argument("unknown uncertain quantity");
}

// Changes are relative (-0.15 = 15% lower) except for the debt rate and the price decay, which
// move by points (0.01 = one point a year).
constexpr bool is_relative_change(UncertainQuantity quantity) {
  return quantity != UncertainQuantity::debt_rate && quantity != UncertainQuantity::price_decay;
}

// An input whose change from the model is uncertain, and how.
struct UncertainInput {
  UncertainQuantity input;
  Distribution change;
};

// The market's rent as a monthly path (deal::Deal::market_index), relative to the model's own
// prices. Its log x starts at 0 and moves each month, with dt = 1/12 and t in years, by
//   dx = (drift + reversion (trend t - x)) dt + volatility sqrt(dt) e + log(1 + jump) at a generation
// with e standard normal: a pull toward a falling trend, noise, and a step when a new GPU generation
// lands. Or paths as given, scenario i taking path i mod n (`paths`).
struct MarketPath {
  double drift = 0;       // annual, of the log index
  double reversion = 0;   // annual speed of the pull to the trend; 0: a random walk with drift
  double trend = 0;       // annual slope of the log trend pulled toward
  double volatility = 0;  // annual, of the log index
  std::vector<int> generation_months;  // deal months at which a new GPU generation lands
  Distribution generation_jump = Normal{};  // relative change of the market at each of them
  std::vector<std::vector<double>> paths;   // given: the index by deal month (1 = as modelled)
};

// Correlations between uncertain inputs (their keys, and "market" for the path's overall shock),
// a Gaussian copula: each input keeps its own distribution.
struct Correlations {
  std::vector<std::string> keys;
  std::vector<std::vector<double>> matrix;  // symmetric, unit diagonal, positive semi-definite
};

// A power-price shock: in each deal year, with `annual_probability`, a shock starts in a month drawn
// evenly over the year and lasts `duration_months`; while it lasts the tariff is (1 + size) times
// what it would be, `size` drawn per shock. Shocks in force together compound.
struct PowerShock {
  double annual_probability = 0;
  Distribution size = Normal{};  // relative change of the tariff
  int duration_months = 12;
};

// Events drawn per scenario, each take-or-pay contract on its own (one that the model already
// defaults or ends early keeps the model's):
// - customer default: in each year with the annual probability of default of the contract's credit
//   class (the model's `credit_classes:`, else deal::default_credit_risk); the servers wait
//   `re_lease_after_months` and are re-leased as the contract states, at the market of the month;
// - early termination: in each year with `early_termination_probability`; the customer pays
//   `termination_fee_months` months of fees on the way out.
// And for the fleet (solve::fleet_shortfall says what its customers lose):
// - delivery delay: each delivery lot arrives `delivery_delay_months` late (drawn per lot, rounded
//   to whole months, at the latest in the horizon's last month): paid, depreciated, drawn on by the
//   loans (within their availability windows) and in service that much later. Customers are billed
//   only for servers in service, and are credited `late_delivery_credit` of a month's fee for each
//   server-month late;
// - GPU failures: each server fails at `failure_rate` a year (drawn per scenario, replacing the
//   model's rate, and so its replacement costs); a failed server is out for `repair_months`, its
//   place taken by a spare while the pool (cluster spares) lasts, unbilled when none is left;
// - power-price shocks (PowerShock).
struct Events {
  bool customer_default = false;
  int re_lease_after_months = 6;
  double early_termination_probability = 0;  // annual
  double termination_fee_months = 0;
  std::optional<Distribution> delivery_delay_months;
  double late_delivery_credit = 0;  // share of a month's fee per server-month late
  std::optional<Distribution> failure_rate;  // annual, per server
  int repair_months = 1;
  std::optional<PowerShock> power_shock;
  bool any() const {
    return customer_default || early_termination_probability > 0 || fleet_events() || power_shock.has_value();
  }
  bool fleet_events() const { return delivery_delay_months.has_value() || failure_rate.has_value(); }
};

// Pseudo-random draws; a Latin hypercube: each input's draws spread one to each of `runs` equal
// slices of its probability; or Sobol points (a low-discrepancy sequence, one coordinate per input
// and the market's overall shock, in the section's order), each coordinate shifted at random mod 1
// by its own stream so that estimates stay unbiased and have a standard error across seeds.
enum class Sampling { random, latin_hypercube, sobol };

struct Uncertainty {
  int runs = 2000;
  std::uint64_t seed = 42;
  double dscr_covenant = 1.2;  // the lenders' minimum DSCR when the model sets no covenants
  std::vector<UncertainInput> inputs;
  std::optional<MarketPath> market;  // none: prices as modelled, changed by `price` only
  Correlations correlations;         // none: independent inputs
  Sampling sampling = Sampling::random;
  Events events;                     // none by default

  // What `leasecalc montecarlo` uses for a model without an `uncertainty:` section
  // (docs/sensitivity.md).
  static Uncertainty defaults() {
    Uncertainty u;
    u.inputs = {
        {UncertainQuantity::price, Triangular{-0.15, 0.0, 0.05}},
        {UncertainQuantity::utilisation, Normal{0.0, 0.05, -0.30, 0.0}},
        {UncertainQuantity::residual, Uniform{-0.5, 0.5}},
        {UncertainQuantity::power_tariff, Normal{0.0, 0.10, std::nullopt, std::nullopt}},
        {UncertainQuantity::debt_rate, Uniform{-0.01, 0.02}},
    };
    return u;
  }
};

}  // namespace leasecalc::deal
