#pragma once
// `leasecalc reproduce guosen-2025`: the Guosen Securities estimate of a 10k-card cluster's
// returns (reference seed-facts §1) redone from the bundled models. Beside each of the report's
// own figures, the engine's figure for the same item; the report's cash-basis life-of-deal
// arithmetic and the engine's accrual monthly model, each with its net margin; the net margin
// across the assumptions the report leaves open; and what the costs it leaves out take away.
//
// Only the report's figures are quoted here (guosen_2025_figures); every other number comes from
// projecting a model. Net margin, in both views, is after-tax net profit over lease revenue.

#include "leasecalc/deal/deal.hpp"
#include "leasecalc/engine/metrics.hpp"
#include "leasecalc/engine/project.hpp"
#include "leasecalc/engine/statements.hpp"
#include "leasecalc/report/run_report.hpp"
#include "leasecalc/solve/variants.hpp"

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace leasecalc::report {

// ---- the report's figures --------------------------------------------------------------------

enum class GuosenCluster { standard, premium };

// One figure as the report states it, in CNY (or as a fraction for margins). A range gives its
// low and high ends and its midpoint as `value`; "3亿+" is a low end only.
struct BrokerFigure {
  std::string item;  // a key of LineItem (or "net_margin", "annualised_margin")
  double value = 0;
  std::optional<double> low, high;
  std::string quote;  // the report's words and where they are recorded
};

std::vector<BrokerFigure> guosen_2025_figures(GuosenCluster cluster);
// The bundled model of each cluster, relative to the models directory.
std::string guosen_2025_model(GuosenCluster cluster);
std::string cluster_name(GuosenCluster cluster);  // "standard", "premium"

// ---- the two views ---------------------------------------------------------------------------

// The report's arithmetic on a projected deal: cash basis over the whole life, the hardware
// subtracted once, the residual value and the VAT refund added as income, no depreciation
// schedule, tax once on the life's profit, no time value of money.
struct CashBasisView {
  double hardware = 0;        // as capitalised: VAT included under the broker convention, net otherwise
  double financing_cost = 0;  // interest and financing fees
  double running_costs = 0;   // O&M and every other running cost paid
  double lease_revenue = 0;   // rent earned: committed and on-demand, after service credits
  double vat_refund = 0;      // input VAT refunded in cash
  double vat_refund_income = 0;  // the part booked as income (all of it under the broker convention)
  double residual_value = 0;  // the fleet's sale at the horizon
  double total_cost = 0;      // hardware + financing cost + running costs
  double total_income = 0;    // lease revenue + VAT refund income + residual value
  double pre_tax_profit = 0;
  double income_tax = 0;      // the rate on the life's pre-tax profit
  double after_tax_profit = 0;
  double after_tax_profit_a_year = 0;
  std::optional<double> net_margin;  // after-tax profit / lease revenue
};

// The engine's own accrual figures: monthly depreciation, interest as it accrues, tax by year.
struct AccrualView {
  double lease_revenue = 0;
  double pre_tax_income = 0;
  double income_tax = 0;
  double net_income = 0;
  double net_income_a_year = 0;
  std::optional<double> net_margin;  // net income / lease revenue
};

template <num::Numeric Num>
double lease_revenue(const engine::Ledger<Num>& l) {
  return num::to_double(l.total(engine::Line::committed_revenue) + l.total(engine::Line::on_demand_revenue) +
                        l.total(engine::Line::sla_credits) + l.total(engine::Line::termination_fees));
}

template <num::Numeric Num>
CashBasisView cash_basis_view(const engine::Ledger<Num>& l, double income_tax_rate) {
  using engine::Line;
  const auto total = [&](Line line) { return num::to_double(l.total(line)); };
  CashBasisView v;
  // What was capitalised is what depreciation took plus the book value left at the sale.
  v.hardware = -total(Line::book_depreciation) + total(Line::sale_proceeds) - total(Line::gain_on_sale);
  v.financing_cost = -(total(Line::interest) + total(Line::financing_fees));
  for (int m = 0; m < l.months(); ++m) v.running_costs -= num::to_double(engine::operating_costs(l, m));
  v.lease_revenue = lease_revenue(l);
  v.vat_refund = total(Line::vat_refunded);
  v.vat_refund_income = total(Line::vat_refund_income);
  v.residual_value = total(Line::sale_proceeds);
  v.total_cost = v.hardware + v.financing_cost + v.running_costs;
  v.total_income = v.lease_revenue + v.vat_refund_income + v.residual_value;
  v.pre_tax_profit = v.total_income - v.total_cost;
  v.income_tax = std::max(0.0, v.pre_tax_profit) * income_tax_rate;
  v.after_tax_profit = v.pre_tax_profit - v.income_tax;
  v.after_tax_profit_a_year = v.after_tax_profit / (l.months() / 12.0);
  if (v.lease_revenue != 0) v.net_margin = v.after_tax_profit / v.lease_revenue;
  return v;
}

template <num::Numeric Num>
AccrualView accrual_view(const engine::Ledger<Num>& l) {
  AccrualView v;
  v.lease_revenue = lease_revenue(l);
  for (int m = 0; m < l.months(); ++m) {
    v.pre_tax_income += num::to_double(engine::pre_tax_income(l, m));
    v.net_income += num::to_double(engine::net_income(l, m));
  }
  v.income_tax = v.net_income - v.pre_tax_income;
  v.net_income_a_year = v.net_income / (l.months() / 12.0);
  if (v.lease_revenue != 0) v.net_margin = v.net_income / v.lease_revenue;
  return v;
}

// ---- the reproduction ------------------------------------------------------------------------

// A report figure beside the engine's figure for the same item.
struct LineItem {
  std::string item;   // key: hardware, financing_cost, ...
  std::string label;  // "Financing cost, 5 years"
  std::optional<BrokerFigure> report;  // none where the report gives no figure
  std::optional<double> engine;
  bool is_margin = false;              // a fraction, not an amount
};

struct Corner {
  solve::OpenAssumptions assumptions;
  CashBasisView cash_basis;
  AccrualView accrual;
};

// A report figure tested against every corner: which corners give it (within the band).
struct FigureCheck {
  std::string figure;  // "total income about 43亿"
  std::string view;    // "cash basis" or "accrual"
  double low = 0, high = 0;
  bool is_margin = false;
  std::vector<std::size_t> corners;  // indices into ClusterReproduction::corners
};

// A cost or shortfall the report leaves out, and the net margin without and with it.
struct Omission {
  std::string name;
  CashBasisView cash_basis;
  AccrualView accrual;
};

// What the costs the report leaves out are priced at (stated on screen with the results).
struct OmittedCosts {
  double tariff_per_kwh = 0.65;
  double pue = 1.3;
  double colocation_per_kw_month = 600;  // CNY per kW of IT load a month: space, cooling, network
  std::vector<double> utilisations = {0.9, 0.8};
};

// The report's open assumptions: lease revenue across its 37-40亿 range (as shares of the
// 38.5亿 midpoint, applied to each model's price), financing at 4% or 5%, tax at 25% or 15%, and
// the VAT refund booked as income or not.
struct OpenRanges {
  std::vector<double> revenue_factors = {37.0 / 38.5, 1.0, 40.0 / 38.5};
  std::vector<double> debt_rates = {0.04, 0.05};
  std::vector<double> income_tax_rates = {0.25, 0.15};
  std::vector<bool> vat_bookings = {true, false};
};

struct ClusterReproduction {
  GuosenCluster cluster = GuosenCluster::standard;
  std::string model;  // path as given
  std::string deal_name;
  double income_tax_rate = 0;
  std::vector<LineItem> line_items;
  CashBasisView cash_basis;
  AccrualView accrual;
  engine::AnnualIrr project_irr_post_tax, equity_irr;
  std::vector<Corner> corners;          // every combination of the open assumptions
  std::size_t nearest_15 = 0, nearest_20 = 0;  // corners whose cash-basis net margin is nearest
  std::vector<FigureCheck> checks;
  OmittedCosts omitted;                 // how the omitted costs are priced
  double kw_per_server = 0;             // the catalogue's full-load IT power
  std::vector<Omission> omissions;      // the first is the model as it is
};

ClusterReproduction reproduce_cluster(GuosenCluster cluster, const std::string& model, const deal::Deal& deal,
                                      const OmittedCosts& omitted = {}, const OpenRanges& ranges = {});

struct Reproduction {
  std::string study = "guosen-2025";
  OmittedCosts omitted;
  OpenRanges ranges;
  std::vector<ClusterReproduction> clusters;
};

// "Revenue 38.5亿 · rate 5% · tax 25% · VAT refund as income" for corner i.
std::string corner_label(const ClusterReproduction& cluster, std::size_t i);

void write_table(std::ostream& out, const Reproduction& reproduction);
void write_json(std::ostream& out, const Reproduction& reproduction);

}  // namespace leasecalc::report
