#pragma once
// `leasecalc reproduce STUDY.yaml`: a published estimate (io::Study, docs/reproduce.md) redone
// from the models it names. For each model: beside each of the report's own figures, the engine's
// figure for the same quantity; the report's cash-basis life-of-deal arithmetic and the engine's
// accrual monthly model, each with its net margin; the net margin across the assumptions the
// report leaves open (the corners) and which corners give the report's figures; what the costs it
// leaves out take away; and what it would take, input by input, to meet the headline claim.
//
// Every figure of the report comes from the study file; every other number from projecting a
// model. Net margin, in both views, is after-tax net profit over lease revenue (a VAT refund
// booked as income is income, not revenue).

#include "leasecalc/deal/deal.hpp"
#include "leasecalc/engine/metrics.hpp"
#include "leasecalc/engine/project.hpp"
#include "leasecalc/engine/statements.hpp"
#include "leasecalc/io/load_study.hpp"
#include "leasecalc/io/warning.hpp"
#include "leasecalc/solve/target_input.hpp"

#include <algorithm>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace leasecalc::report {

// ---- the two views ---------------------------------------------------------------------------

// The report's arithmetic on a projected deal: cash basis over the whole life, the hardware
// subtracted once, the residual value and the VAT refund added as income, no depreciation
// schedule, tax once on the life's profit, no time value of money.
struct CashBasisView {
  double hardware = 0;        // as capitalised: VAT included under the broker convention, net otherwise
  double financing_cost = 0;  // interest, swap settlements and financing fees
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

// Lease revenue over the life, as the engine defines it (the denominator of every net margin).
template <num::Numeric Num>
double lease_revenue(const engine::Ledger<Num>& l) {
  Num total(0);
  for (int m = 0; m < l.months(); ++m) total += engine::lease_revenue(l, m);
  return num::to_double(total);
}

template <num::Numeric Num>
CashBasisView cash_basis_view(const engine::Ledger<Num>& l, double income_tax_rate) {
  using engine::Line;
  const auto total = [&](Line line) { return num::to_double(l.total(line)); };
  CashBasisView v;
  // What was capitalised is what depreciation took plus the book value left at the sale.
  v.hardware = -total(Line::book_depreciation) + total(Line::sale_proceeds) - total(Line::gain_on_sale);
  Num financing_costs(0);
  for (int m = 0; m < l.months(); ++m) financing_costs += engine::financing_costs(l, m);
  v.financing_cost = -num::to_double(financing_costs);
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

// A study quantity in one view; none where the view lacks it (the accrual model has no "total
// income") or it has no value (a margin without revenue).
std::optional<double> quantity_value(io::StudyQuantity quantity, const CashBasisView& cash_basis,
                                     const AccrualView& accrual, bool in_accrual);

// ---- the model changes a study makes -----------------------------------------------------------

// The deal with one study input set (solve/variants.hpp does the change).
deal::Deal with_input(deal::Deal deal, io::StudyInput input, const deal::Decimal& value);

// Every left-out cost that sets `input` sets it to `value` instead (the command line's --tariff,
// --pue and --colocation).
void price_left_out_costs(io::Study& study, io::StudyInput input, const deal::Decimal& value);

// ---- the reproduction ------------------------------------------------------------------------

// A report figure beside the engine's figure for the same quantity.
struct LineItem {
  io::StudyQuantity quantity = io::StudyQuantity::hardware;
  std::string label;                         // "Financing cost, 5 years"
  std::optional<io::QuotedFigure> report;    // the case's figure, else a claim's; none where the report is silent
  std::optional<double> engine;
};

// One combination of the open assumptions: value index per assumption, in study order.
struct Corner {
  std::vector<std::size_t> choice;
  CashBasisView cash_basis;
  AccrualView accrual;
};

// A report figure tested against every corner: which corners give it (within the band).
struct FigureCheck {
  std::string figure;  // "total income about 12亿"
  std::string view;    // "cash basis" or "accrual"
  double low = 0, high = 0;
  bool is_margin = false;
  std::vector<std::size_t> corners;  // indices into CaseReproduction::corners
};

// The corner whose cash-basis net margin is nearest a margin the claims name.
struct Nearest {
  double target = 0;
  std::size_t corner = 0;
};

// A cost or shortfall the report leaves out, and the net margin without and with it.
struct Omission {
  std::string name;
  CashBasisView cash_basis;
  AccrualView accrual;
};

// The value of one input at which the headline claim is met, over a searched range.
struct WhatItWouldTake {
  std::string name;          // "financing rate", "+ electricity: power_price"
  io::StudyInput input = io::StudyInput::debt_rate;
  std::optional<io::SearchRange> range;  // none for a yes/no input, which is tried at each value
  solve::TargetSolution solution;
  std::optional<double> lease_revenue;   // at the solution
  // A yes/no input: the headline quantity at each of its values.
  std::vector<std::pair<std::string, std::optional<double>>> at_values;
};

struct CaseReproduction {
  std::string name;   // the case's name: "standard"
  std::string model;  // path as written in the study
  std::string deal_name;
  double income_tax_rate = 0;
  int life_years = 0;
  double kw_per_server = 0;  // the catalogue's full-load IT power
  std::vector<LineItem> line_items;
  CashBasisView cash_basis;
  AccrualView accrual;
  engine::AnnualIrr project_irr_post_tax, equity_irr;
  std::vector<Corner> corners;  // every combination of the open assumptions
  std::vector<Nearest> nearest;
  std::vector<FigureCheck> checks;
  std::vector<Omission> omissions;  // the first is the model as it is
  std::vector<WhatItWouldTake> what_it_would_take;
};

// The case `study_case` of `study` redone on `deal` (the case's model, loaded). A model in
// another currency than the study's is an io::InputError at the case's model field.
CaseReproduction reproduce_case(const io::Study& study, const io::StudyCase& study_case, const deal::Deal& deal);

struct Reproduction {
  io::Study study;
  std::vector<CaseReproduction> cases;
  std::vector<io::Warning> warnings;  // about the cases' models: JSON `warnings` (docs/json-output.md)
};

// "revenue 12.00亿, rate 6%, tax 25%, VAT refund as income" for corner i: each open assumption's
// column and value.
std::string corner_label(const io::Study& study, const CaseReproduction& reproduction, std::size_t i);

void write_table(std::ostream& out, const Reproduction& reproduction);
void write_json(std::ostream& out, const Reproduction& reproduction);

}  // namespace leasecalc::report
