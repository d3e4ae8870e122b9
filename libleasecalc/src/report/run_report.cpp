// The run report: the metric and series tables, the break-even figures, and the terminal table and
// CSV a run prints (the JSON document is run_json.cpp's).
#include "leasecalc/report/run_report.hpp"

#include "text.hpp"

#include "leasecalc/engine/phases/revenue.hpp"
#include "leasecalc/time/date.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <ostream>
#include <string>

namespace leasecalc::report {

Scale default_scale(std::string_view currency, double magnitude) {
  const double size = std::abs(magnitude);
  if (currency == "CNY") {
    if (size >= 1e8) return {1e8, "亿"};
    if (size >= 1e4) return {1e4, "万"};
    return {1, ""};
  }
  if (size >= 1e6) return {1e6, "M"};
  if (size >= 1e3) return {1e3, "k"};
  return {1, ""};
}

Scale default_scale(const deal::Deal& deal) {
  const auto& cluster = deal.cluster;
  const double equipment_cost = static_cast<double>(cluster.servers + deal::spare_units(cluster, cluster.servers)) *
                                num::to_double(cluster.price_per_server);
  return default_scale(deal.currency, equipment_cost);
}

std::optional<Scale> parse_scale(std::string_view text) {
  if (text == "亿") return Scale{1e8, "亿"};
  if (text == "万") return Scale{1e4, "万"};
  if (text == "bn") return Scale{1e9, "bn"};
  if (text == "M") return Scale{1e6, "M"};
  if (text == "k") return Scale{1e3, "k"};
  if (text == "1") return Scale{1, ""};
  return std::nullopt;
}

double magnitude(const RunReport& report) {
  double largest = 0;
  for (const auto* table : {&report.income_statement, &report.cash_flow})
    for (const auto& row : table->rows)
      if (!row.values.empty()) largest = std::max(largest, std::abs(row.values.back()));
  return largest;
}

// ---- the metric tables -----------------------------------------------------------------------

namespace {

MetricValue amount(double value) { return {value, ""}; }

MetricValue irr(const engine::AnnualIrr& irr) { return {irr.rate, irr.note}; }

MetricValue optional(const std::optional<double>& value, std::string_view why_none) {
  return {value, value ? "" : std::string(why_none)};
}

// The life-of-deal value of a by-year series (its last entry).
std::optional<double> life(const std::vector<std::optional<double>>& series) {
  return series.empty() ? std::nullopt : series.back();
}

constexpr std::string_view no_revenue = "no lease revenue";

}  // namespace

const std::vector<MetricInfo>& run_metrics() {
  using F = MetricFormat;
  using R = const RunReport&;
  static const std::vector<MetricInfo> table = {
      // Sources and uses
      {"capex", "summary", "Capex (VAT included)", F::amount, "",
       [](R r) { return amount(r.metrics.capex); }},
      {"debt_drawn", "summary", "Debt drawn", F::amount, "", [](R r) { return amount(r.metrics.debt_drawn); }},
      {"equity_invested", "summary", "Equity invested", F::amount, "",
       [](R r) { return amount(r.metrics.equity_invested); }},
      {"equity_returned", "summary", "Equity returned", F::amount, "",
       [](R r) { return amount(r.metrics.equity_returned); }},
      {"sources", "summary", "Sources of cash, life", F::amount, "", [](R r) { return amount(r.metrics.sources); }},
      {"uses", "summary", "Uses of cash, life", F::amount, "", [](R r) { return amount(r.metrics.uses); }},
      {"cash_left", "summary", "Cash left at the horizon", F::amount, "",
       [](R r) { return amount(r.metrics.cash_left); }},
      // Life totals of the P&L
      {"total_lease_revenue", "summary", "Lease revenue, life", F::amount, "",
       [](R r) { return amount(r.metrics.total_lease_revenue); }},
      {"total_vat_refund_income", "summary", "VAT refund income, life", F::amount, "",
       [](R r) { return amount(r.metrics.total_vat_refund_income); }},
      {"total_revenue", "summary", "Revenue, life", F::amount, "",
       [](R r) { return amount(r.metrics.total_revenue); }},
      {"total_ebitda", "summary", "EBITDA, life", F::amount, "", [](R r) { return amount(r.metrics.total_ebitda); }},
      {"total_net_income", "summary", "Net income, life", F::amount, "",
       [](R r) { return amount(r.metrics.total_net_income); }},
      {"total_interest", "summary", "Interest, life", F::amount, "",
       [](R r) { return amount(r.metrics.total_interest); }},
      {"total_financing_fees", "summary", "Financing fees, life", F::amount, "",
       [](R r) { return amount(r.metrics.total_financing_fees); }},
      {"peak_reserve", "summary", "Debt-service reserve, peak", F::amount, "",
       [](R r) { return amount(r.metrics.peak_reserve); }},
      {"total_swept", "summary", "Debt swept from excess cash, life", F::amount, "",
       [](R r) { return amount(r.metrics.total_swept); }},
      {"months_cash_trapped", "summary", "Months ending with cash trapped", F::months, "",
       [](R r) { return amount(r.metrics.months_cash_trapped); }},
      {"peak_junior_deferred", "summary", "Junior service deferred, peak", F::amount, "",
       [](R r) { return amount(r.metrics.peak_junior_deferred); }},
      {"ebitda_margin", "summary", "EBITDA margin (EBITDA / revenue)", F::rate, no_revenue,
       [](R r) { return optional(life(r.metrics.ebitda_margin), "no revenue"); }},
      {"net_margin", "summary", "Net margin (net income / lease revenue)", F::rate, no_revenue,
       [](R r) { return optional(life(r.metrics.net_margin), no_revenue); }},
      // Returns
      {"project_irr_pre_tax", "returns", "Project IRR, pre-tax", F::irr, "no IRR: the note says why",
       [](R r) { return irr(r.metrics.project_irr_pre_tax); }},
      {"project_irr_post_tax", "returns", "Project IRR, post-tax", F::irr, "no IRR: the note says why",
       [](R r) { return irr(r.metrics.project_irr_post_tax); }},
      {"equity_irr", "returns", "Equity IRR", F::irr, "no IRR: the note says why",
       [](R r) { return irr(r.metrics.equity_irr); }},
      {"project_npv", "returns", "NPV at the discount rate, project", F::amount, "",
       [](R r) { return amount(r.metrics.project_npv); }},
      {"equity_npv", "returns", "NPV at the discount rate, equity", F::amount, "",
       [](R r) { return amount(r.metrics.equity_npv); }},
      {"moic", "returns", "MOIC (equity)", F::multiple, "no equity invested",
       [](R r) { return optional(r.metrics.moic, "no equity invested"); }},
      {"project_payback_months", "returns", "Payback, project", F::months, "not within the horizon",
       [](R r) { return optional(r.metrics.project_payback_months, "not within the horizon"); }},
      {"equity_payback_months", "returns", "Payback, equity", F::months, "not within the horizon",
       [](R r) { return optional(r.metrics.equity_payback_months, "not within the horizon"); }},
      {"minimum_dscr", "returns", "Minimum DSCR", F::multiple, "no debt service",
       [](R r) { return optional(r.metrics.minimum_dscr, "no debt service"); }},
      {"average_dscr", "returns", "Average DSCR", F::multiple, "no debt service",
       [](R r) { return optional(r.metrics.average_dscr, "no debt service"); }},
      {"minimum_senior_dscr", "returns", "Minimum senior DSCR", F::multiple, "no junior tranche",
       [](R r) { return optional(r.metrics.minimum_senior_dscr, "no junior tranche"); }},
      // Break-even
      {"target_irr", "break_even", "Target return", F::rate, "", [](R r) { return amount(r.target.annual_rate); }},
      {"break_even_price_change", "break_even", "Break-even price, change from the model", F::rate,
       "no price earns the target: the note says why", [](R r) {
         return r.break_even_price_factor ? MetricValue{*r.break_even_price_factor - 1, ""}
                                          : MetricValue{std::nullopt, r.break_even_price_note};
       }},
      {"utilisation", "break_even", "Utilisation billed in the model", F::share, "",
       [](R r) { return amount(r.utilisation); }},
      {"break_even_utilisation", "break_even", "Break-even utilisation", F::share,
       "no billed volume earns the target: the note says why",
       [](R r) { return MetricValue{r.break_even_utilisation, r.break_even_utilisation ? "" : r.break_even_utilisation_note}; }},
  };
  return table;
}

const std::vector<SeriesInfo>& run_series() {
  using R = const RunReport&;
  static const std::vector<SeriesInfo> table = {
      {"ebitda_margin", "EBITDA margin", MetricFormat::rate, "no revenue in the year", true,
       [](R r) -> const std::vector<std::optional<double>>& { return r.metrics.ebitda_margin; }},
      {"net_margin", "Net margin", MetricFormat::rate, "no lease revenue in the year", true,
       [](R r) -> const std::vector<std::optional<double>>& { return r.metrics.net_margin; }},
      {"dscr", "DSCR", MetricFormat::multiple, "no debt service in the year", false,
       [](R r) -> const std::vector<std::optional<double>>& { return r.metrics.dscr; }},
  };
  return table;
}

namespace detail {
const engine::SaleLeasebackView& leaseback(const RunReport& r) { return r.structures.sale_leasebacks.front(); }
}  // namespace detail

using detail::leaseback;

namespace {

std::string either_way_note(const RunReport& r) {
  const auto& lessee = *r.structures.lessee;
  return lessee.costs_borne_either_way_included ? "power the lessee pays either way included on both sides"
                                                : "power the lessee pays either way left out of both sides";
}

}  // namespace

const std::vector<MetricInfo>& structure_metrics() {
  using F = MetricFormat;
  using R = const RunReport&;
  static const std::vector<MetricInfo> table = {
      // The lessee of a lessor SPV
      {"lessee_discount_rate", "lessee", "Lessee's discount rate", F::rate, "",
       [](R r) { return amount(r.structures.lessee->discount_rate); }},
      {"lessee_present_lease_payments", "lessee", "Lease payments, present value", F::amount, "",
       [](R r) { return amount(r.structures.lessee->present_lease_payments); }},
      {"lessee_present_owning_cost", "lessee", "Owning (capex - residual + running costs), present value", F::amount,
       "", [](R r) {
         const auto& v = *r.structures.lessee;
         return amount(v.present_capex - v.present_residual + v.present_running_costs);
       }},
      {"lessee_present_costs_either_way", "lessee", "Costs borne either way, present value", F::amount, "",
       [](R r) { return MetricValue{r.structures.lessee->present_costs_either_way, either_way_note(r)}; }},
      {"lessee_lease_cost_per_gpu_hour", "lessee", "Lessee's cost per GPU-hour, leasing", F::price,
       "no GPU-hours leased", [](R r) {
         return MetricValue{r.structures.lessee->lease_cost_per_gpu_hour,
                            r.structures.lessee->lease_cost_per_gpu_hour ? either_way_note(r) : "no GPU-hours leased"};
       }},
      {"lessee_own_cost_per_gpu_hour", "lessee", "Lessee's cost per GPU-hour, owning", F::price, "no GPU-hours leased",
       [](R r) {
         return MetricValue{r.structures.lessee->own_cost_per_gpu_hour,
                            r.structures.lessee->own_cost_per_gpu_hour ? either_way_note(r) : "no GPU-hours leased"};
       }},
      {"lessee_lease_premium_per_gpu_hour", "lessee", "Leasing less owning, per GPU-hour", F::price,
       "no GPU-hours leased", [](R r) {
         const auto& v = *r.structures.lessee;
         if (!v.lease_cost_per_gpu_hour) return MetricValue{std::nullopt, "no GPU-hours leased"};
         return amount(*v.lease_cost_per_gpu_hour - *v.own_cost_per_gpu_hour);
       }},
      // A sale-leaseback
      {"sale_leaseback_proceeds", "sale_leaseback", "Sale proceeds (advance rate x cost)", F::amount, "",
       [](R r) { return amount(leaseback(r).proceeds); }},
      {"sale_leaseback_first_rent", "sale_leaseback", "Rent a month", F::amount, "",
       [](R r) { return amount(leaseback(r).first_rent); }},
      {"sale_leaseback_repurchase_price", "sale_leaseback", "Repurchase price", F::amount, "",
       [](R r) { return amount(leaseback(r).repurchase_price); }},
      {"sale_leaseback_fleet_value_at_repurchase", "sale_leaseback", "Fleet value at the repurchase", F::amount,
       "the term ends after the horizon", [](R r) {
         return optional(leaseback(r).fleet_value_at_repurchase, "the term ends after the horizon");
       }},
      {"sale_leaseback_effective_cost", "sale_leaseback", "Operator's effective cost of the financing", F::irr,
       "no IRR: the note says why", [](R r) { return irr(leaseback(r).effective_cost); }},
      {"sale_leaseback_investor_irr", "sale_leaseback", "Investor's IRR", F::irr, "no IRR: the note says why",
       [](R r) { return irr(leaseback(r).investor_irr); }},
      {"sale_leaseback_investor_irr_without_repurchase", "sale_leaseback",
       "Investor's IRR if not repurchased (fleet kept at its value)", F::irr, "no IRR: the note says why",
       [](R r) { return irr(leaseback(r).investor_irr_without_repurchase); }},
      {"equity_irr_without_sale_leaseback", "sale_leaseback", "Operator's equity IRR without the sale-leaseback",
       F::irr, "no IRR: the note says why", [](R r) { return irr(leaseback(r).equity_irr_without); }},
      // The floors under the fleet
      {"residual_value_floor", "residual_value_guarantee", "Residual value floor", F::amount, "",
       [](R r) { return MetricValue{r.structures.guarantees.residual_value_floor, ""}; }},
      {"residual_value_guarantee_paid", "residual_value_guarantee", "Paid by the guarantor", F::amount, "",
       [](R r) {
         return MetricValue{r.structures.guarantees.residual_value_guarantee_paid,
                            "guarantor: " + r.structures.guarantees.residual_value_guarantor};
       }},
      {"capacity_backstop_cap", "capacity_backstop", "Capacity backstop cap", F::amount, "",
       [](R r) { return MetricValue{r.structures.guarantees.capacity_backstop_cap, ""}; }},
      {"capacity_backstop_paid", "capacity_backstop", "Paid by the backstop buyer", F::amount, "", [](R r) {
         return MetricValue{r.structures.guarantees.capacity_backstop_paid,
                            "buyer: " + r.structures.guarantees.capacity_backstop_buyer};
       }},
  };
  return table;
}

bool structure_present(const RunReport& r, std::string_view section) {
  const auto& s = r.structures;
  if (section == "lessee") return s.lessee.has_value();
  if (section == "sale_leaseback") return !s.sale_leasebacks.empty();
  if (section == "residual_value_guarantee") return s.guarantees.residual_value_floor.has_value();
  if (section == "capacity_backstop") return s.guarantees.capacity_backstop_cap.has_value();
  return false;
}

namespace detail {

engine::Table<double> to_double(const engine::Table<double>& table) { return table; }

engine::Table<double> to_double(const engine::Table<num::Decimal>& table) {
  engine::Table<double> result{table.columns, {}};
  for (const auto& row : table.rows) {
    std::vector<double> values;
    for (const auto& value : row.values) values.push_back(num::to_double(value));
    result.rows.push_back({row.name, std::move(values), row.subtotal});
  }
  return result;
}

// A contract keeps its price as quoted, and the catalogue says whether a unit is a server or a rack.
std::string price_unit_name(deal::PriceUnit unit, const deal::Sku&) { return "per " + std::string(deal::to_string(unit)); }

void add_break_even(RunReport& report, const deal::Deal& deal, const solve::ReturnTarget& target,
                    solve::SolvePrecision precision, std::optional<double> npv_as_it_is) {
  report.target = target;
  const auto price = solve::price_factor_for_return(deal, target.annual_rate, target.basis, precision, npv_as_it_is);
  report.break_even_price_note = price.note;
  report.break_even_price_factor = price.factor;
  if (price.factor) {
    for (const auto& contract : deal.contracts) {
      ContractBreakEven row;
      if (const auto* take_or_pay = std::get_if<deal::TakeOrPay>(&contract)) {
        row.contract = take_or_pay->name;
        row.quoted_price = num::to_double(take_or_pay->price.amount);
        row.price_unit = price_unit_name(take_or_pay->price.unit, deal.cluster.sku) +
                         (take_or_pay->price.vat == deal::VatBasis::included ? " incl. VAT" : "");
      } else {
        const auto& on_demand = std::get<deal::OnDemand>(contract);
        row.contract = on_demand.name;
        // At the deal's start, as billed: a history's first point may be years before it.
        row.quoted_price = engine::phases::on_demand_unit_month_price<double>(on_demand, 0);
        row.price_unit = price_unit_name(deal::unit_month(deal.cluster.sku), deal.cluster.sku) +
                         (on_demand.vat_rate > 0 ? " excl. VAT" : "") + " (market price at the deal's start, " +
                         time::format_date(deal.start) + ")";
      }
      row.break_even_price = row.quoted_price * *price.factor;
      report.break_even_prices.push_back(row);
    }
  }
  const auto volume = solve::volume_factor_for_return(deal, target.annual_rate, target.basis, precision, npv_as_it_is, price.factor);
  report.break_even_utilisation_note = volume.note;
  if (volume.factor && report.utilisation * *volume.factor <= 1.0)
    report.break_even_utilisation = report.utilisation * *volume.factor;
  else if (volume.factor)
    report.break_even_utilisation_note = "none: the NPV stays negative even with every server billed";
}

}  // namespace detail

// ---- number forms ----------------------------------------------------------------------------

using text::format;

namespace {

// An amount at the scale: "-" only for a true zero; an amount too small for the scale still
// shows its sign and "0.00".
std::string amount_text(double value, const Scale& scale) {
  if (value == 0) return "-";
  const std::string shown = format("%.2f", value / scale.divisor);
  return shown == "-0.00" ? "0.00" : shown;
}

}  // namespace

std::string formatted(MetricFormat kind, double value, const Scale& scale) {
  switch (kind) {
    case MetricFormat::amount: return amount_text(value, scale);
    case MetricFormat::rate:
    case MetricFormat::irr: return format("%.2f%%", value * 100);
    case MetricFormat::multiple: return format("%.2fx", value);
    case MetricFormat::months: return format("%.1f months", value);
    case MetricFormat::share: return format("%.1f%%", value * 100);
    case MetricFormat::price: return format("%.2f", value);
  }
  return "";
}

std::string shown_value(const MetricInfo& metric, const MetricValue& value, const Scale& scale) {
  if (!value.value) {
    const std::string_view why = value.note.empty() ? metric.when_null : std::string_view(value.note);
    return why.empty() ? "n/a" : "n/a (" + std::string(why) + ")";
  }
  std::string text = formatted(metric.format, *value.value, scale);
  if (!value.note.empty()) text += "  (" + value.note + ")";
  return text;
}

std::string covenant_value_text(engine::CovenantFormat format, double value) {
  return format == engine::CovenantFormat::multiple ? text::format("%.2fx", value) : text::format("%.1f%%", value * 100);
}

std::string headroom_text(double headroom) { return format("%+.1f%%", headroom * 100); }

namespace detail {
std::string_view look_back_key(deal::CovenantLookBack look_back) {
  return look_back == deal::CovenantLookBack::trailing_12_months ? "trailing_12_months" : "test_period";
}
}  // namespace detail

using detail::look_back_key;

namespace {

// "month 36 (2028-09)", or past the horizon "month 72 (after the horizon)".
std::string month_text(const RunReport& r, int month) {
  const bool inside = month >= 0 && static_cast<std::size_t>(month) < r.months.size();
  return "month " + std::to_string(month) + " (" + (inside ? r.months[static_cast<std::size_t>(month)] : "after the horizon") +
         ")";
}

// What the report says of a tranche against its contracts; empty when the contracts outlast it.
std::string tenor_text(const RunReport& r, const engine::TrancheTenor& tenor) {
  if (tenor.months_past_contracts <= 0) return "";
  const std::string last_repayment = month_text(r, tenor.maturity_month - 1);
  std::string said =
      tenor.contracts_end_month
          ? tenor.tranche + " outlives its contracts by " + std::to_string(tenor.months_past_contracts) +
                (tenor.months_past_contracts == 1 ? " month" : " months") + ": its last repayment falls in " + last_repayment + ", the signed take-or-pay terms end with " +
                month_text(r, *tenor.contracts_end_month - 1)
          : tenor.tranche + " has no signed take-or-pay contract behind it: all " +
                std::to_string(tenor.months_past_contracts) + " months to its last repayment in " + last_repayment +
                " rest on revenue nobody has committed to";
  if (tenor.matures_after_horizon) said += "; what is owed at the horizon is repaid from the sale of the fleet";
  return said;
}

}  // namespace

// ---- terminal table --------------------------------------------------------------------------

namespace {

using text::pad_left;
using text::pad_right;

// Columns wide enough for their widest cell at any scale, and at least the usual ten.
std::size_t column_width(const std::vector<std::string>& headers, const std::vector<std::vector<std::string>>& rows) {
  std::size_t width = 8;
  for (const auto& header : headers) width = std::max(width, text::width(header));
  for (const auto& row : rows)
    for (const auto& cell : row) width = std::max(width, text::width(cell));
  return width + 2;
}

std::size_t label_width(const std::vector<std::string>& labels) {
  std::size_t width = 32;
  for (const auto& label : labels) width = std::max(width, text::width(label));
  return width + 2;
}

// A titled grid: labels on the left, one right-aligned column per header.
struct Grid {
  std::vector<std::string> labels;
  std::vector<std::vector<std::string>> cells;
};

void write_grid(std::ostream& out, const std::string& title, const std::vector<std::string>& headers,
                const Grid& grid) {
  std::vector<std::string> all_labels = grid.labels;
  all_labels.push_back(title);
  const std::size_t label = label_width(all_labels), column = column_width(headers, grid.cells);
  out << "\n" << pad_right(title, label);
  for (const auto& header : headers) out << pad_left(header, column);
  out << "\n";
  for (std::size_t i = 0; i < grid.labels.size(); ++i) {
    out << pad_right(grid.labels[i], label);
    for (const auto& cell : grid.cells[i]) out << pad_left(cell, column);
    out << "\n";
  }
}

void write_statement(std::ostream& out, const std::string& title, const engine::Table<double>& table,
                     const Scale& scale) {
  Grid grid;
  for (const auto& row : table.rows) {
    const bool all_zero = std::all_of(row.values.begin(), row.values.end(), [](double v) { return v == 0; });
    if (all_zero && !row.subtotal) continue;
    grid.labels.push_back((row.subtotal ? "" : "  ") + row.name);
    std::vector<std::string> cells;
    for (double value : row.values) cells.push_back(amount_text(value, scale));
    grid.cells.push_back(std::move(cells));
  }
  write_grid(out, title, table.columns, grid);
}

// The metrics of one section as "label  value" lines.
void write_section(std::ostream& out, const std::string& title, std::string_view section, const RunReport& r,
                   const Scale& scale) {
  std::vector<std::pair<std::string, std::string>> lines;
  for (const auto& metric : run_metrics())
    if (metric.section == section) lines.emplace_back(std::string(metric.label), shown_value(metric, metric.value(r), scale));
  std::vector<std::string> labels;
  std::size_t value_width = 10;
  for (const auto& [label, value] : lines) {
    labels.push_back("  " + label);
    // A value with a note runs on past the column; the column fits the plain values.
    if (value.find("  (") == std::string::npos && value.rfind("n/a", 0) != 0)
      value_width = std::max(value_width, text::width(value));
  }
  const std::size_t label = label_width(labels);
  out << "\n" << title << "\n";
  for (const auto& [name, value] : lines) out << pad_right("  " + name, label) << pad_left(value, value_width) << "\n";
}

// Each sized tranche: every constraint's amount, the one that binds, and the size.
void write_debt_sizing(std::ostream& out, const RunReport& r, const Scale& scale) {
  for (const auto& tranche : r.debt_sizing) {
    out << "\nDebt sizing: " << tranche.tranche << " (" << r.currency << (scale.label.empty() ? "" : " " + scale.label)
        << "; the smallest binds)\n";
    std::vector<std::pair<std::string, std::string>> rows;
    for (const auto& info : engine::sizing_constraints) {
      const auto& limit = tranche.limit(info.constraint);
      rows.emplace_back("  " + std::string(info.label),
                        (limit ? amount_text(*limit, scale) : std::string("not set")) +
                            (info.constraint == tranche.binding ? "  binds" : ""));
    }
    rows.emplace_back("  Size", amount_text(tranche.size, scale));
    std::size_t width = 0;
    for (const auto& row : rows) width = std::max(width, text::width(row.first));
    for (const auto& [label, value] : rows) out << pad_right(label, width + 2) << value << "\n";
  }
}

// The covenant tests (threshold, least headroom and its date, first breach), each tranche that
// outlives its contracts and, with the monthly ledger, every test date. Nothing when the model
// sets no covenant and every loan ends within its contracts.
void write_covenants(std::ostream& out, const RunReport& r) {
  const auto& c = r.covenants;
  std::vector<std::string> tenors;
  for (const auto& tenor : c.tranches)
    if (std::string said = tenor_text(r, tenor); !said.empty()) tenors.push_back(std::move(said));
  if (!c.terms.any() && tenors.empty()) return;
  out << "\nCovenants";
  if (c.terms.any()) {
    constexpr std::array<std::string_view, 4> adverbs{"monthly", "quarterly", "semi-annually", "annually"};
    out << ": tested " << adverbs[static_cast<std::size_t>(c.terms.frequency)] << " at month ends";
    if (!c.test_months.empty()) out << " from " << month_text(r, c.test_months.front());
    out << "; DSCR and customer share over the "
        << (c.terms.look_back == deal::CovenantLookBack::trailing_12_months ? "trailing 12 months" : "test period");
  }
  out << "\n";
  if (c.terms.any() && c.test_months.empty()) out << "  No test date: no debt is owed on any of them.\n";
  if (!c.test_months.empty()) {
    std::vector<std::vector<std::string>> rows{{"  test", "threshold", "least headroom (value, date)", "first breach"}};
    for (const auto& test : c.tests) {
      const auto& info = engine::covenant_test_info(test.test);
      std::string least = "-";
      if (test.minimum_headroom) {
        const auto& seen = test.observations[*test.minimum_headroom];
        least = headroom_text(*seen.headroom) + " (" + covenant_value_text(info.format, *seen.value) + ", " +
                r.months[static_cast<std::size_t>(c.test_months[*test.minimum_headroom])] + ")";
      }
      const std::string breach =
          test.first_breach ? r.months[static_cast<std::size_t>(c.test_months[*test.first_breach])] : "none";
      rows.push_back({"  " + std::string(info.label), covenant_value_text(info.format, test.threshold), least, breach});
    }
    // Each column as wide as its widest cell: the label left-aligned, the figures right-aligned.
    std::vector<std::size_t> widths(rows.front().size(), 0);
    for (const auto& row : rows)
      for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], text::width(row[i]));
    for (const auto& row : rows) {
      out << pad_right(row[0], widths[0] + 2);
      for (std::size_t i = 1; i < row.size(); ++i) out << pad_left(row[i], widths[i] + 2);
      out << "\n";
    }
  }
  for (const auto& said : tenors) out << "  " << said << ".\n";
  if (r.ledger.empty() || c.test_months.empty() || c.tests.empty()) return;
  Grid dates;
  for (const auto& test : c.tests) {
    const auto& info = engine::covenant_test_info(test.test);
    dates.labels.push_back("  " + std::string(info.label) + " (" + covenant_value_text(info.format, test.threshold) + ")");
    std::vector<std::string> cells;
    for (const auto& seen : test.observations)
      cells.push_back(seen.value ? covenant_value_text(info.format, *seen.value) + (seen.breached ? " *" : "") : "n/a");
    dates.cells.push_back(std::move(cells));
  }
  std::vector<std::string> headers;
  for (const int m : c.test_months) headers.push_back(std::to_string(m) + ": " + r.months[static_cast<std::size_t>(m)]);
  write_grid(out, "Covenant tests by date (* breached)", headers, dates);
}

// Each structure the model has, as "label  value" lines, a note after its value.
void write_structures(std::ostream& out, const RunReport& r, const Scale& scale) {
  constexpr std::array<std::pair<std::string_view, std::string_view>, 4> sections{{
      {"lessee", "Lessee's view"},
      {"sale_leaseback", "Sale-leaseback"},
      {"residual_value_guarantee", "Residual value guarantee"},
      {"capacity_backstop", "Capacity backstop"},
  }};
  for (const auto& [section, title] : sections) {
    if (!structure_present(r, section)) continue;
    std::string heading(title);
    if (section == "lessee") heading += ": " + r.structures.lessee->name;
    if (section == "sale_leaseback") heading += ": " + leaseback(r).name;
    std::vector<std::pair<std::string, std::string>> lines;
    for (const auto& metric : structure_metrics()) {
      if (metric.section != section) continue;
      const MetricValue value = metric.value(r);
      lines.emplace_back("  " + std::string(metric.label), shown_value(metric, value, scale));
    }
    std::vector<std::string> labels;
    for (const auto& line : lines) labels.push_back(line.first);
    const std::size_t width = label_width(labels);
    out << "\n" << heading << "\n";
    for (const auto& [label, value] : lines) out << pad_right(label, width) << value << "\n";
  }
}

}  // namespace

void write_table(std::ostream& out, const RunReport& r, const Scale& scale) {
  const std::string unit = (scale.label.empty() ? "" : scale.label + " ") + r.currency;
  const auto& m = r.metrics;
  out << r.deal_name << "\n"
      << r.horizon_months << " months from " << r.start << "; amounts in " << unit
      << (r.exact ? " (exact decimal ledger)" : " (fast double mode)") << "; discount rate "
      << format("%.2f%%", r.discount_rate * 100) << "\n";

  write_section(out, "Deal summary", "summary", r, scale);
  const auto in_words = [&](double value) { return format("%.2f", value / scale.divisor); };
  out << "  Sources " << in_words(m.sources) << " = uses " << in_words(m.uses) << " + cash left " << in_words(m.cash_left)
      << (std::abs(m.sources - m.uses - m.cash_left) < 0.005 ? ": balanced" : ": NOT BALANCED") << "\n";

  write_statement(out, "Income statement", r.income_statement, scale);
  write_statement(out, "Cash flow", r.cash_flow, scale);
  write_statement(out, "Balance sheet at year end", r.balance_sheet, scale);

  write_section(out, "Returns", "returns", r, scale);

  Grid margins;
  for (const auto& series : run_series()) {
    std::vector<std::string> cells;
    const MetricInfo as_metric{series.key, "", series.label, series.format, series.when_null, nullptr};
    for (const auto& value : series.values(r)) cells.push_back(value ? shown_value(as_metric, {value, ""}, scale) : "-");
    if (!series.has_total) {  // DSCR: the life column holds the minimum
      cells.push_back(m.minimum_dscr ? format("%.2fx", *m.minimum_dscr) : "-");
      margins.labels.push_back("  " + std::string(series.label) + " (total: minimum)");
    } else {
      margins.labels.push_back("  " + std::string(series.label));
    }
    margins.cells.push_back(std::move(cells));
  }
  write_grid(out, "Margins", r.income_statement.columns, margins);

  const std::string rate = format("%.2f%%", r.target.annual_rate * 100);
  out << "\nBreak-even: the lowest price and use that earn the target, " << solve::names_of(r.target.basis).name
      << " " << rate << " (NPV at " << rate << " = 0)\n";
  for (const auto& contract : r.break_even_prices) {
    out << "  " << contract.contract << ": " << format("%.2f", contract.break_even_price) << " "
        << r.currency << " " << contract.price_unit << " (model: " << format("%.2f", contract.quoted_price);
    if (contract.quoted_price > 0)
      out << ", " << format("%+.1f%%", (contract.break_even_price / contract.quoted_price - 1) * 100);
    out << ")\n";
  }
  for (const auto& metric : run_metrics())
    if (metric.section == "break_even")
      out << "  " << metric.label << ": " << shown_value(metric, metric.value(r), scale) << "\n";

  if (!m.funding_shortfalls.empty()) {
    // Cash would go negative: shareholders (or a facility) must fund these months.
    double total = 0;
    const engine::FundingShortfall* largest = &m.funding_shortfalls.front();
    for (const auto& shortfall : m.funding_shortfalls) {
      total += shortfall.amount;
      if (shortfall.amount > largest->amount) largest = &shortfall;
    }
    const auto month_name = [&](int month) {
      return "month " + std::to_string(month) + " (" + r.months[static_cast<std::size_t>(month)] + ")";
    };
    out << "\nCash goes negative in " << m.funding_shortfalls.size() << " month"
        << (m.funding_shortfalls.size() == 1 ? "" : "s") << " outside the capex months, first in "
        << month_name(m.funding_shortfalls.front().month) << "; equity must add " << amount_text(total, scale)
        << " in all, the most in " << month_name(largest->month) << ": " << amount_text(largest->amount, scale)
        << ". Months are numbered from 0, the start's month.\n";
  }

  write_debt_sizing(out, r, scale);
  write_covenants(out, r);
  write_structures(out, r, scale);

  if (!r.ledger.empty()) {
    Grid ledger;
    for (const auto& row : r.ledger) {
      ledger.labels.push_back("  " + row.label);
      std::vector<std::string> cells;
      for (double value : row.values)
        cells.push_back(row.kind == engine::LineKind::units ? format("%.1f", value) : amount_text(value, scale));
      ledger.cells.push_back(std::move(cells));
    }
    std::vector<std::string> headers;
    for (std::size_t i = 0; i < r.months.size(); ++i) headers.push_back(std::to_string(i) + ": " + r.months[i]);
    write_grid(out, "Monthly ledger (" + unit + "; unit counts as counts)", headers, ledger);
  }
}

// ---- CSV -------------------------------------------------------------------------------------

using text::csv_field;
using text::csv_number;

void write_csv(std::ostream& out, const RunReport& r) {
  out << "section,item";
  for (const auto& column : r.income_statement.columns) out << "," << column;
  out << "\n";
  for (const auto& [title, table] : {std::pair{"income_statement", &r.income_statement},
                                     std::pair{"cash_flow", &r.cash_flow},
                                     std::pair{"balance_sheet", &r.balance_sheet}}) {
    for (const auto& row : table->rows) {
      out << title << "," << csv_field(row.name);
      for (double value : row.values) out << "," << csv_number(value);
      out << "\n";
    }
  }
  for (const auto& series : run_series()) {
    out << "margins," << series.key;
    for (const auto& value : series.values(r)) out << "," << csv_number(value);
    out << "\n";
  }
  // One row a metric: its value, and the note where there is one (why a value is missing).
  for (const auto& metric : run_metrics()) {
    const MetricValue value = metric.value(r);
    out << "metrics," << metric.key << "," << csv_number(value.value);
    if (!value.note.empty()) out << "," << csv_field(value.note);
    out << "\n";
  }
  out << "metrics,target_basis," << solve::names_of(r.target.basis).key << "\n";
  for (const auto& contract : r.break_even_prices)
    out << "break_even_price," << csv_field(contract.contract) << "," << csv_number(contract.break_even_price) << "\n";
  for (const auto& shortfall : r.metrics.funding_shortfalls)
    out << "funding_shortfall," << shortfall.month << "," << r.months[static_cast<std::size_t>(shortfall.month)] << ","
        << csv_number(shortfall.amount) << "\n";
  const auto& c = r.covenants;
  if (c.terms.any()) {
    out << "covenants,frequency," << time::to_string(c.terms.frequency) << "\n"
        << "covenants,look_back," << look_back_key(c.terms.look_back) << "\n";
  }
  for (const auto& test : c.tests) {
    const std::string key(engine::covenant_test_info(test.test).key);
    const auto date_of = [&](std::size_t index) {
      const int month = c.test_months[index];
      return std::to_string(month) + "," + r.months[static_cast<std::size_t>(month)];
    };
    out << "covenant," << key << ",threshold," << csv_number(test.threshold) << "\n";
    if (test.minimum_headroom)
      out << "covenant," << key << ",minimum_headroom,"
          << csv_number(test.observations[*test.minimum_headroom].headroom) << "," << date_of(*test.minimum_headroom)
          << "\n";
    out << "covenant," << key << ",first_breach," << (test.first_breach ? date_of(*test.first_breach) : "none") << "\n";
    // One row a test date: month, date, value, headroom, result, note.
    for (std::size_t i = 0; i < test.observations.size(); ++i) {
      const auto& seen = test.observations[i];
      out << "covenant_test," << key << "," << date_of(i) << "," << csv_number(seen.value) << ","
          << csv_number(seen.headroom) << "," << (!seen.value ? "not_tested" : seen.breached ? "breach" : "pass");
      if (!seen.note.empty()) out << "," << csv_field(seen.note);
      out << "\n";
    }
  }
  // One row a sized tranche and constraint: the constraint's amount (empty when not set); then the
  // binding constraint and the size.
  for (const auto& tranche : r.debt_sizing) {
    for (const auto& info : engine::sizing_constraints)
      out << "debt_sizing," << csv_field(tranche.tranche) << "," << info.key << ","
          << csv_number(tranche.limit(info.constraint)) << "\n";
    out << "debt_sizing," << csv_field(tranche.tranche) << ",binding,"
        << engine::sizing_constraint_info(tranche.binding).key << "\n"
        << "debt_sizing," << csv_field(tranche.tranche) << ",size," << csv_number(tranche.size) << "\n";
  }
  // One row a tranche: maturity month, end month of the signed contracts, months past them.
  for (const auto& tenor : c.tranches)
    out << "tranche_tenor," << csv_field(tenor.tranche) << "," << tenor.maturity_month << ","
        << (tenor.contracts_end_month ? std::to_string(*tenor.contracts_end_month) : "") << ","
        << tenor.months_past_contracts << "," << (tenor.matures_after_horizon ? "after_horizon" : "within_horizon")
        << "\n";
  // The structures the model has: one row a figure, the note where there is one.
  for (const auto& metric : structure_metrics()) {
    if (!structure_present(r, metric.section)) continue;
    const MetricValue value = metric.value(r);
    out << "structures," << metric.key << "," << csv_number(value.value);
    if (!value.note.empty()) out << "," << csv_field(value.note);
    out << "\n";
  }
  if (!r.ledger.empty()) {
    out << "\nledger,line";
    for (const auto& month : r.months) out << "," << month;
    out << "\n";
    for (const auto& row : r.ledger) {
      out << "ledger," << csv_field(row.key);
      for (double value : row.values) out << "," << csv_number(value);
      out << "\n";
    }
  }
}

}  // namespace leasecalc::report
