#pragma once
// What a model says it is unsure of: the distributions a Monte Carlo run draws the changes of the
// deal's uncertain inputs from (a model file's optional `uncertainty:` section). A description
// only: io::load_uncertainty reads it, solve::monte_carlo draws from it.

#include <cstdint>
#include <optional>
#include <stdexcept>
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

struct Uncertainty {
  int runs = 2000;
  std::uint64_t seed = 42;
  double dscr_covenant = 1.2;  // the lenders' minimum DSCR
  std::vector<UncertainInput> inputs;

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
