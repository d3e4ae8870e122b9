#include "leasecalc/solve/sensitivity.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

namespace leasecalc::solve {

Outcome outcome_of(const deal::Deal& deal) {
  const auto ledger = engine::project<double>(deal);
  return outcome_of(engine::metrics(deal, ledger, outcome_metrics));
}

std::optional<double> value_of(const Outcome& outcome, Measure measure) {
  switch (measure) {
    case Measure::project_irr: return outcome.project_irr;
    case Measure::equity_irr: return outcome.equity_irr;
    case Measure::net_margin: return outcome.net_margin;
    case Measure::first_year_net_margin: return outcome.first_year_net_margin;
    case Measure::npv: return outcome.npv;
    case Measure::minimum_dscr: return outcome.minimum_dscr;
  }
  return std::nullopt;
}

std::string_view measure_key(Measure measure) {
  switch (measure) {
    case Measure::project_irr: return "project_irr";
    case Measure::equity_irr: return "equity_irr";
    case Measure::net_margin: return "net_margin";
    case Measure::first_year_net_margin: return "net_margin_year1";
    case Measure::npv: return "npv";
    case Measure::minimum_dscr: return "minimum_dscr";
  }
  return "";
}

std::string_view measure_label(Measure measure) {
  switch (measure) {
    case Measure::project_irr: return "Project IRR, post-tax";
    case Measure::equity_irr: return "Equity IRR";
    case Measure::net_margin: return "Net margin (life)";
    case Measure::first_year_net_margin: return "Net margin, year 1";
    case Measure::npv: return "NPV, project (post-tax)";
    case Measure::minimum_dscr: return "Minimum DSCR";
  }
  return "";
}

std::optional<Measure> parse_measure(std::string_view key) {
  for (Measure measure : all_measures)
    if (measure_key(measure) == key) return measure;
  return std::nullopt;
}

std::string_view input_key(Input input) {
  switch (input) {
    case Input::contract_price: return "contract_price";
    case Input::billed_volume: return "billed_volume";
    case Input::server_price: return "server_price";
    case Input::debt_rate: return "debt_rate";
    case Input::power_tariff: return "power_tariff";
    case Input::residual_value: return "residual_value";
    case Input::book_depreciation_life: return "book_depreciation_life";
    case Input::tax_depreciation_life: return "tax_depreciation_life";
    case Input::income_tax_rate: return "income_tax_rate";
    case Input::price_decay: return "price_decay";
  }
  return "";
}

std::string_view input_label(Input input) {
  switch (input) {
    case Input::contract_price: return "Contract prices";
    case Input::billed_volume: return "Billed volume (utilisation)";
    case Input::server_price: return "Server price (capex)";
    case Input::debt_rate: return "Debt rate";
    case Input::power_tariff: return "Power tariff";
    case Input::residual_value: return "Residual value";
    case Input::book_depreciation_life: return "Book depreciation life";
    case Input::tax_depreciation_life: return "Tax depreciation life";
    case Input::income_tax_rate: return "Income-tax rate";
    case Input::price_decay: return "Market price decay";
  }
  return "";
}

namespace {

bool residual_is_zero(const deal::Residual& residual) {
  if (const auto* fixed = std::get_if<deal::ResidualShare>(&residual)) return fixed->share == 0;
  if (const auto* curve = std::get_if<deal::ResidualCurve>(&residual))
    return std::all_of(curve->share_by_age.points.begin(), curve->share_by_age.points.end(),
                       [](const auto& point) { return point.value == 0; });
  return false;
}

bool has_market_price_decay(const deal::Deal& deal) {
  return std::any_of(deal.contracts.begin(), deal.contracts.end(), [](const deal::Contract& contract) {
    if (const auto* take_or_pay = std::get_if<deal::TakeOrPay>(&contract))
      return take_or_pay->re_lease.mode != deal::ReLease::Mode::idle;
    return true;
  });
}

}  // namespace

std::optional<std::string> inapplicable(const deal::Deal& deal, Input input) {
  const auto& electricity = deal.running_costs.electricity;
  switch (input) {
    case Input::contract_price:
    case Input::billed_volume:
      if (deal.contracts.empty()) return "the deal has no revenue contracts";
      break;
    case Input::server_price:
      if (deal.cluster.servers == 0 || deal.cluster.price_per_server == 0) return "the deal buys no servers";
      break;
    case Input::debt_rate:
      if (deal.debt.empty()) return "the deal has no debt";
      if (std::all_of(deal.debt.begin(), deal.debt.end(), [](const auto& t) { return t.annual_rate == 0; }))
        return "every debt tranche is at 0%";
      break;
    case Input::power_tariff:
      if (electricity.paid_by_customer) return "power is paid by the customer";
      if (electricity.tariff_per_kwh == 0) return "the power tariff is zero";
      break;
    case Input::residual_value:
      if (residual_is_zero(deal.assets.residual)) return "the model has no residual value";
      break;
    case Input::book_depreciation_life:
      if (std::holds_alternative<deal::Macrs>(deal.assets.book.method)) return "MACRS: the recovery class sets the life";
      break;
    case Input::tax_depreciation_life:
      if (std::holds_alternative<deal::Macrs>(deal.assets.tax.method)) return "MACRS: the recovery class sets the life";
      break;
    case Input::income_tax_rate:
      if (deal.tax.income.rate == 0) return "the deal pays no income tax";
      break;
    case Input::price_decay:
      if (!has_market_price_decay(deal)) return "no on-demand rental or re-lease at market prices";
      break;
  }
  return std::nullopt;
}

double peak_billed_share(const deal::Deal& deal) {
  const auto ledger = engine::project<double>(deal);
  double peak = 0;
  for (int m = 0; m < ledger.months(); ++m) {
    const double in_service = ledger(engine::Line::units_in_service, m);
    if (in_service > 0) peak = std::max(peak, ledger(engine::Line::units_contracted, m) / in_service);
  }
  return peak;
}

std::optional<double> TornadoRow::swing(Measure measure, const Outcome& base) const {
  std::vector<double> values;
  for (const auto& outcome : {low ? std::optional<Outcome>(low->outcome) : std::nullopt, std::optional<Outcome>(base),
                              high ? std::optional<Outcome>(high->outcome) : std::nullopt})
    if (outcome)
      if (const auto value = value_of(*outcome, measure)) values.push_back(*value);
  if (values.size() < 2) return std::nullopt;
  const auto [lowest, highest] = std::minmax_element(values.begin(), values.end());
  return *highest - *lowest;
}

namespace {

using deal::Decimal;

Decimal decimal(double value) { return num::from_double<Decimal>(value); }

// One input's low and high variants, each with the input's value as shown.
struct ShockPlan {
  Input input;
  InputUnit unit;
  double base_value;
  std::optional<double> low_value, high_value;  // none: that side is skipped
  std::function<deal::Deal(bool raised)> apply;  // the deal with the input lowered or raised
  std::string note;
};

std::vector<ShockPlan> shock_plans(const deal::Deal& deal, const TornadoOptions& options) {
  const double down = 1 - options.shock, up = 1 + options.shock;
  const auto scaled = [&deal, down, up](deal::Deal (*with)(deal::Deal, const Decimal&)) {
    return [&deal, with, down, up](bool raised) { return with(deal, decimal(raised ? up : down)); };
  };
  const auto scaled_plan = [&](Input input, InputUnit unit, double base, deal::Deal (*with)(deal::Deal, const Decimal&),
                               std::string note = "") {
    return ShockPlan{input, unit, base, base * down, base * up, scaled(with), std::move(note)};
  };
  std::vector<ShockPlan> plans;
  plans.push_back(scaled_plan(Input::contract_price, InputUnit::factor, 1, with_price_factor));
  plans.push_back(scaled_plan(Input::billed_volume, InputUnit::factor, 1, with_volume_factor));
  if (!inapplicable(deal, Input::billed_volume)) {
    const double peak = peak_billed_share(deal);
    if (peak * up > 1 + 1e-9) {
      plans.back().high_value.reset();
      plans.back().note = "no upside: billing more would exceed the servers in service (peak billed share " +
                          std::to_string(std::lround(peak * 100)) + "%)";
    }
  }
  plans.push_back(scaled_plan(Input::server_price, InputUnit::amount, num::to_double(deal.cluster.price_per_server),
                              with_server_price_factor));
  plans.push_back(scaled_plan(Input::debt_rate, InputUnit::rate,
                              deal.debt.empty() ? 0 : num::to_double(deal.debt.front().annual_rate),
                              with_debt_rate_factor,
                              deal.debt.size() > 1 ? "every tranche's rate scaled alike; the first one's is shown" : ""));
  plans.push_back(scaled_plan(Input::power_tariff, InputUnit::amount,
                              num::to_double(deal.running_costs.electricity.tariff_per_kwh), with_power_tariff_factor));
  if (const auto* fixed = std::get_if<deal::ResidualShare>(&deal.assets.residual)) {
    plans.push_back(scaled_plan(Input::residual_value, InputUnit::rate, num::to_double(fixed->share), with_residual_factor));
    if (*plans.back().high_value > 1) plans.back().high_value = 1;  // capped at the hardware's cost
  } else {
    plans.push_back(scaled_plan(Input::residual_value, InputUnit::factor, 1, with_residual_factor,
                                "the residual curve scaled at every age"));
  }

  const auto life_plan = [&](Input input, int life, deal::Deal (*with)(deal::Deal, int)) {
    const int change = options.life_change_months;
    // Summed in 64 bits: a life near the int's end (a deal built in code) has no longer life to try.
    const bool can_raise = static_cast<long long>(life) + change <= std::numeric_limits<int>::max();
    const int raised_life = can_raise ? life + change : life;
    ShockPlan plan{input, InputUnit::months, static_cast<double>(life), std::nullopt, static_cast<double>(raised_life),
                   [&deal, with, life, change, raised_life](bool raised) { return with(deal, raised ? raised_life : life - change); },
                   ""};
    if (!can_raise) {
      plan.high_value.reset();
      plan.note = "no longer life: it would exceed the months an int can count";
    }
    if (life - change >= 1) plan.low_value = life - change;
    else plan.note = "no shorter life: it would be under one month";
    plans.push_back(std::move(plan));
  };
  life_plan(Input::book_depreciation_life, deal.assets.book.life_months, with_book_depreciation_life);
  if (plans.back().note.empty())
    plans.back().note = "moves profit between years: the gain or loss on the sale at the horizon undoes it over the life";
  life_plan(Input::tax_depreciation_life, deal.assets.tax.life_months, with_tax_depreciation_life);

  const Decimal tax_rate = deal.tax.income.rate;
  ShockPlan tax{Input::income_tax_rate, InputUnit::rate, num::to_double(tax_rate), num::to_double(tax_rate) * down,
                std::min(1.0, num::to_double(tax_rate) * up),
                [&deal, tax_rate, down, up](bool raised) {
                  return with_income_tax_rate(deal, std::min(Decimal(1), Decimal(tax_rate * decimal(raised ? up : down))));
                },
                ""};
  plans.push_back(std::move(tax));
  return plans;
}

}  // namespace

Tornado tornado(const deal::Deal& deal, const TornadoOptions& options) {
  Tornado result{options, outcome_of(deal), {}, {}};
  for (auto& plan : shock_plans(deal, options)) {
    TornadoRow row{plan.input, plan.unit, plan.base_value, std::nullopt, std::nullopt, plan.note};
    if (const auto reason = inapplicable(deal, plan.input)) {
      row.note = *reason;
      result.skipped.push_back(std::move(row));
      continue;
    }
    if (plan.low_value) row.low = ShockedCase{*plan.low_value, outcome_of(plan.apply(false))};
    if (plan.high_value) row.high = ShockedCase{*plan.high_value, outcome_of(plan.apply(true))};
    result.rows.push_back(std::move(row));
  }
  // Largest swing first; rows without a swing in the chosen measure last, in their listed order.
  std::stable_sort(result.rows.begin(), result.rows.end(), [&](const TornadoRow& a, const TornadoRow& b) {
    const auto swing_a = a.swing(options.sort_by, result.base), swing_b = b.swing(options.sort_by, result.base);
    if (!swing_b) return swing_a.has_value();
    return swing_a && *swing_a > *swing_b;
  });
  return result;
}

std::vector<double> factors_around_one(double step, int below, int above) {
  std::vector<double> factors;
  for (int k = -below; k <= above; ++k)
    if (const double factor = 1 + k * step; factor > 1e-12) factors.push_back(factor);
  return factors;
}

TwoWayGrid price_volume_grid(const deal::Deal& deal, Measure measure, const std::vector<double>& price_factors,
                             const std::vector<double>& volume_factors, const Progress& progress) {
  TwoWayGrid grid{measure, price_factors, {}, {}, ""};
  const double peak = peak_billed_share(deal);
  std::string left_out;
  for (double factor : volume_factors) {
    if (peak * factor > 1 + 1e-9) left_out += (left_out.empty() ? "" : ", ") + std::to_string(std::lround(factor * 100)) + "%";
    else grid.volume_factors.push_back(factor);
  }
  if (!left_out.empty())
    grid.note = "billed volume " + left_out + " left out: it would exceed the servers in service";
  const std::size_t cells = grid.price_factors.size() * grid.volume_factors.size();
  for (double price : grid.price_factors) {
    const deal::Deal priced = with_price_factor(deal, decimal(price));
    for (double volume : grid.volume_factors) {
      grid.values.push_back(value_of(outcome_of(with_volume_factor(priced, decimal(volume))), measure));
      report_progress(progress, grid.values.size(), cells);
    }
  }
  return grid;
}

}  // namespace leasecalc::solve
