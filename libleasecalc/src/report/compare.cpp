#include "leasecalc/report/compare.hpp"

#include "text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <ostream>

namespace leasecalc::report {

DealSummary summarise(const std::string& model, const deal::Deal& deal) {
  const auto ledger = engine::project<num::Decimal>(deal);
  const auto m = engine::metrics(deal, ledger);
  DealSummary s;
  s.model = model;
  s.name = deal.name;
  s.currency = deal.currency;
  s.horizon_months = deal.horizon_months;
  s.discount_rate = num::to_double(deal.discount_rate);
  s.project_irr = m.project_irr_post_tax;
  s.equity_irr = m.equity_irr;
  s.project_npv = num::to_double(m.project_npv);
  s.total_revenue = num::to_double(m.total_revenue);
  s.total_net_income = num::to_double(m.total_net_income);
  s.net_margin = m.net_margin.empty() ? std::nullopt : m.net_margin.back();
  s.project_payback_months = m.project_payback_months;
  s.total_cost = total_cost(ledger);
  s.gpu_hours = gpu_hours(deal, ledger);
  if (s.gpu_hours > 0) s.cost_per_gpu_hour = s.total_cost / s.gpu_hours;
  for (int month = 0; month < ledger.months(); ++month)
    s.life_cash_pre_tax += num::to_double(engine::free_cash_flow_pre_tax(ledger, month));
  return s;
}

CompareReport make_compare_report(const std::vector<ModelDeal>& deals, const std::vector<double>& usage_factors) {
  CompareReport report;
  for (const auto& [model, deal] : deals) {
    report.deals.push_back(summarise(model, deal));
    report.same_currency = report.same_currency && deal.currency == deals.front().deal.currency;
  }
  for (std::size_t i = 1; i < deals.size(); ++i) {
    if (deals[i].deal.currency != deals.front().deal.currency) continue;  // no common unit of cash
    const auto& incumbent = deals.front().deal;
    const auto& challenger = deals[i].deal;
    Pairing pairing{0, i, solve::crossover_month(incumbent, challenger), {}, {}};
    for (double factor : usage_factors) {
      const auto scale = num::from_double<deal::Decimal>(factor);
      pairing.by_use.push_back({factor, solve::crossover_month(solve::with_usage_factor(incumbent, scale),
                                                               solve::with_usage_factor(challenger, scale))});
    }
    pairing.break_even_use = solve::break_even_usage(incumbent, challenger);
    report.crossovers.push_back(std::move(pairing));
  }
  return report;
}

Scale compare_scale(const CompareReport& report) {
  if (report.deals.empty() || report.deals.front().currency != "CNY") return default_scale(report.deals.front().currency);
  double largest = 0;
  for (const auto& d : report.deals) largest = std::max({largest, d.total_cost, std::abs(d.total_revenue)});
  return largest >= 1e8 ? Scale{1e8, "亿"} : Scale{1e4, "万"};
}

// ---- the rows, shared by every format --------------------------------------------------------

namespace {

enum class Kind { rate, amount, months, price };

struct Metric {
  std::string key;    // for CSV and JSON
  std::string label;  // for the table
  Kind kind;
  std::function<std::optional<double>(const DealSummary&)> value;
};

std::vector<Metric> metrics_rows() {
  return {
      {"project_irr_post_tax", "Project IRR, post-tax", Kind::rate, [](const DealSummary& s) { return s.project_irr.rate; }},
      {"equity_irr", "Equity IRR", Kind::rate, [](const DealSummary& s) { return s.equity_irr.rate; }},
      {"project_npv", "NPV, project (post-tax)", Kind::amount,
       [](const DealSummary& s) { return std::optional<double>(s.project_npv); }},
      {"net_margin", "Net margin (net income / revenue)", Kind::rate, [](const DealSummary& s) { return s.net_margin; }},
      {"project_payback_months", "Payback, project (months)", Kind::months,
       [](const DealSummary& s) { return s.project_payback_months; }},
      {"total_revenue", "Total revenue", Kind::amount,
       [](const DealSummary& s) { return std::optional<double>(s.total_revenue); }},
      {"total_cost", "Total cost", Kind::amount, [](const DealSummary& s) { return std::optional<double>(s.total_cost); }},
      {"cost_per_gpu_hour", "Cost per GPU-hour", Kind::price, [](const DealSummary& s) { return s.cost_per_gpu_hour; }},
      {"life_cash_pre_tax", "Net cash over the life, pre-tax", Kind::amount,
       [](const DealSummary& s) { return std::optional<double>(s.life_cash_pre_tax); }},
  };
}

std::optional<double> difference(const std::optional<double>& b, const std::optional<double>& a) {
  if (!a || !b) return std::nullopt;
  return *b - *a;
}

// Deal i less the first, for the same metric; none across currencies (rates aside).
std::optional<double> difference_from_first(const CompareReport& r, std::size_t i, const Metric& metric) {
  const bool money = metric.kind == Kind::amount || metric.kind == Kind::price;
  if (money && r.deals[i].currency != r.deals.front().currency) return std::nullopt;
  return difference(metric.value(r.deals[i]), metric.value(r.deals.front()));
}

std::string letter(std::size_t i) { return std::string(1, static_cast<char>('A' + i % 26)); }

}  // namespace

// ---- terminal table --------------------------------------------------------------------------

namespace {

using text::format;
using text::pad_left;
using text::pad_right;

std::string shown(Kind kind, const std::optional<double>& value, const Scale& scale, bool is_difference) {
  if (!value) return "n/a";
  switch (kind) {
    case Kind::rate: return is_difference ? format("%+.2f pts", *value * 100) : format("%.2f%%", *value * 100);
    case Kind::amount: return format(is_difference ? "%+.2f" : "%.2f", *value / scale.divisor);
    case Kind::months: return format(is_difference ? "%+.1f" : "%.1f", *value);
    case Kind::price: return format(is_difference ? "%+.2f" : "%.2f", *value);
  }
  return "";
}

std::string crossover_text(const solve::Crossover& crossover) {
  if (!crossover.months) return crossover.note;
  if (!crossover.note.empty()) return crossover.note;
  return format("%.1f months", *crossover.months);
}

}  // namespace

void write_table(std::ostream& out, const CompareReport& r, const Scale& scale) {
  constexpr std::size_t label_width = 36, column_width = 14;
  const std::string unit = (scale.label.empty() ? "" : scale.label + " ") + r.deals.front().currency;
  out << "Deals side by side; amounts in " << unit << ", cost per GPU-hour in " << r.deals.front().currency << "\n";
  for (std::size_t i = 0; i < r.deals.size(); ++i) {
    const auto& d = r.deals[i];
    out << "  " << letter(i) << ": " << d.name << "  (" << d.model << "; " << d.horizon_months << " months, "
        << d.currency << ", discount rate " << format("%g%%", d.discount_rate * 100) << ")\n";
  }
  if (!r.same_currency)
    out << "  The deals are in different currencies: money differences and crossovers are shown only for\n"
           "  deals in A's currency.\n";

  out << "\n" << pad_right("", label_width);
  for (std::size_t i = 0; i < r.deals.size(); ++i) out << pad_left(letter(i), column_width);
  for (std::size_t i = 1; i < r.deals.size(); ++i) out << pad_left(letter(i) + " - A", column_width);
  out << "\n";
  for (const auto& metric : metrics_rows()) {
    out << pad_right("  " + metric.label, label_width);
    for (const auto& d : r.deals) out << pad_left(shown(metric.kind, metric.value(d), scale, false), column_width);
    for (std::size_t i = 1; i < r.deals.size(); ++i)
      out << pad_left(shown(metric.kind, difference_from_first(r, i, metric), scale, true), column_width);
    out << "\n";
  }
  out << "  Total cost: capex as paid + operating costs + interest and fees (before tax, VAT and residual).\n"
         "  Cost per GPU-hour: over owned GPUs in service and rented GPUs paid for, 730 hours a month.\n";
  std::string on_cost;
  for (std::size_t i = 0; i < r.deals.size(); ++i) {
    const auto& d = r.deals[i];
    if (d.total_revenue == 0) on_cost += (on_cost.empty() ? "" : ", ") + letter(i);
    else if (!d.project_irr.note.empty()) out << "  " << letter(i) << ", project IRR: " << d.project_irr.note << "\n";
  }
  if (!on_cost.empty()) out << "  Valued on cost (no revenue), so no IRR, margin or payback: " << on_cost << ".\n";

  for (const auto& p : r.crossovers) {
    const std::string a = letter(p.incumbent), b = letter(p.challenger);
    out << "\nCrossover, " << b << " against " << a << " (cumulative pre-tax cash, undiscounted)\n";
    out << "  " << b << " ahead of " << a << " for good after: " << crossover_text(p.at_model_use)
        << " (at each model's use)\n";
    out << "  with both deals' use scaled to\n";
    for (const auto& at : p.by_use)
      out << pad_left(format("%g%%", at.usage_factor * 100), 8) << ": " << crossover_text(at.crossover) << "\n";
    const auto& use = p.break_even_use;
    if (use.usage_factor)
      out << "  break-even use over the life: " << format("%.1f%%", *use.usage_factor * 100) << " of the modelled use; "
          << b << " is ahead " << (use.challenger_ahead_above ? "above" : "below") << " it, " << a
          << (use.challenger_ahead_above ? " below" : " above") << " it\n";
    else
      out << "  break-even use over the life: none (" << use.note << ")\n";
  }
  if (!r.crossovers.empty())
    out << "  Use scales what each deal bills and what it pays for rented GPUs; owned servers cost the same\n"
           "  whatever the use.\n";
}

// ---- CSV -------------------------------------------------------------------------------------

using text::csv_field;
using text::csv_number;

void write_csv(std::ostream& out, const CompareReport& r) {
  out << "metric";
  for (const auto& d : r.deals) out << "," << csv_field(d.name);
  for (std::size_t i = 1; i < r.deals.size(); ++i) out << "," << csv_field(r.deals[i].name + " - " + r.deals.front().name);
  out << "\n";
  for (const auto& metric : metrics_rows()) {
    out << metric.key;
    for (const auto& d : r.deals) out << "," << csv_number(metric.value(d));
    for (std::size_t i = 1; i < r.deals.size(); ++i) out << "," << csv_number(difference_from_first(r, i, metric));
    out << "\n";
  }
  out << "\ncrossover,challenger,usage_factor,months,note\n";
  for (const auto& p : r.crossovers) {
    const std::string name = csv_field(r.deals[p.challenger].name);
    out << "crossover_month," << name << ",model," << csv_number(p.at_model_use.months) << ","
        << csv_field(p.at_model_use.note) << "\n";
    for (const auto& at : p.by_use)
      out << "crossover_month," << name << "," << csv_number(at.usage_factor) << "," << csv_number(at.crossover.months)
          << "," << csv_field(at.crossover.note) << "\n";
    out << "break_even_use," << name << "," << csv_number(p.break_even_use.usage_factor) << ",,"
        << csv_field(p.break_even_use.note) << "\n";
  }
}

// ---- JSON ------------------------------------------------------------------------------------

namespace {

using nlohmann::json;

json optional_json(const std::optional<double>& value) { return value ? json(*value) : json(nullptr); }

json crossover_json(const solve::Crossover& c) { return {{"months", optional_json(c.months)}, {"note", c.note}}; }

}  // namespace

void write_json(std::ostream& out, const CompareReport& r) {
  json deals = json::array();
  for (const auto& d : r.deals) {
    json metrics = json::object();
    for (const auto& metric : metrics_rows()) metrics[metric.key] = optional_json(metric.value(d));
    deals.push_back({{"model", d.model}, {"name", d.name}, {"currency", d.currency},
                     {"horizon_months", d.horizon_months}, {"discount_rate", d.discount_rate},
                     {"project_irr_note", d.project_irr.note}, {"equity_irr_note", d.equity_irr.note},
                     {"gpu_hours", d.gpu_hours}, {"metrics", metrics}});
  }
  json differences = json::array();
  for (std::size_t i = 1; i < r.deals.size(); ++i) {
    json values = json::object();
    for (const auto& metric : metrics_rows()) values[metric.key] = optional_json(difference_from_first(r, i, metric));
    differences.push_back({{"deal", i}, {"against", 0}, {"values", values}});
  }
  json crossovers = json::array();
  for (const auto& p : r.crossovers) {
    json by_use = json::array();
    for (const auto& at : p.by_use) by_use.push_back({{"usage_factor", at.usage_factor}, {"crossover", crossover_json(at.crossover)}});
    crossovers.push_back({{"incumbent", p.incumbent}, {"challenger", p.challenger},
                          {"at_model_use", crossover_json(p.at_model_use)}, {"by_use", by_use},
                          {"break_even_use", {{"usage_factor", optional_json(p.break_even_use.usage_factor)},
                                              {"challenger_ahead_above", p.break_even_use.challenger_ahead_above},
                                              {"note", p.break_even_use.note}}}});
  }
  json document = {{"schema", "leasecalc.compare/1"}, {"same_currency", r.same_currency}, {"deals", deals},
                   {"differences", differences}, {"crossovers", crossovers}};
  out << document.dump(2) << "\n";
}

}  // namespace leasecalc::report
