#include "leasecalc/report/compare.hpp"
#include "warnings_json.hpp"

#include "text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <ostream>

namespace leasecalc::report {

DealSummary summarise(const std::string& model, const deal::Deal& deal) {
  const auto ledger = engine::project<num::Decimal>(deal);
  DealSummary s;
  s.model = model;
  s.run = make_run_report<num::Decimal>(deal, ledger, false);
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
  double largest = 0;
  for (const auto& d : report.deals) largest = std::max({largest, magnitude(d.run), std::abs(d.total_cost)});
  return default_scale(report.deals.front().run.currency, largest);
}

// ---- the rows, shared by every format --------------------------------------------------------

const std::vector<CompareMetric>& compare_metrics() {
  static const std::vector<CompareMetric> rows = [] {
    std::vector<CompareMetric> all;
    for (const MetricInfo& metric : run_metrics())
      all.push_back({metric.key, metric.label, metric.format,
                     [value = metric.value](const DealSummary& s) { return value(s.run); }});
    const auto plain = [](double value) { return MetricValue{value, ""}; };
    all.push_back({"total_cost", "Total cost", MetricFormat::amount,
                   [plain](const DealSummary& s) { return plain(s.total_cost); }});
    all.push_back({"cost_per_gpu_hour", "Cost per GPU-hour", MetricFormat::price, [](const DealSummary& s) {
                     return MetricValue{s.cost_per_gpu_hour, s.cost_per_gpu_hour ? "" : "no GPU-hours"};
                   }});
    all.push_back({"life_cash_pre_tax", "Net cash over the life, pre-tax", MetricFormat::amount,
                   [plain](const DealSummary& s) { return plain(s.life_cash_pre_tax); }});
    return all;
  }();
  return rows;
}

namespace {

std::optional<double> difference(const std::optional<double>& b, const std::optional<double>& a) {
  if (!a || !b) return std::nullopt;
  return *b - *a;
}

bool is_money(MetricFormat format) { return format == MetricFormat::amount || format == MetricFormat::price; }

// Deal i less the first, for the same metric; none across currencies (rates aside).
std::optional<double> difference_from_first(const CompareReport& r, std::size_t i, const CompareMetric& metric) {
  if (is_money(metric.format) && r.deals[i].run.currency != r.deals.front().run.currency) return std::nullopt;
  return difference(metric.value(r.deals[i]).value, metric.value(r.deals.front()).value);
}

std::string letter(std::size_t i) { return std::string(1, static_cast<char>('A' + i % 26)); }

}  // namespace

// ---- terminal table --------------------------------------------------------------------------

namespace {

using text::format;
using text::pad_left;
using text::pad_right;

std::string shown(MetricFormat kind, const std::optional<double>& value, const Scale& scale, bool is_difference) {
  if (!value) return "n/a";
  if (!is_difference) return formatted(kind, *value, scale);
  switch (kind) {
    case MetricFormat::rate:
    case MetricFormat::irr:
    case MetricFormat::share: return format("%+.2f pts", *value * 100);
    case MetricFormat::amount: return *value == 0 ? "-" : format("%+.2f", *value / scale.divisor);
    case MetricFormat::multiple: return format("%+.2fx", *value);
    case MetricFormat::months: return format("%+.1f", *value);
    case MetricFormat::price: return format("%+.2f", *value);
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
  const auto& first = r.deals.front().run;
  const std::string unit = (scale.label.empty() ? "" : scale.label + " ") + first.currency;
  out << "Deals side by side; amounts in " << unit << ", cost per GPU-hour in " << first.currency << "\n";
  for (std::size_t i = 0; i < r.deals.size(); ++i) {
    const auto& d = r.deals[i];
    out << "  " << letter(i) << ": " << d.run.deal_name << "  (" << d.model << "; " << d.run.horizon_months
        << " months, " << d.run.currency << ", discount rate " << format("%g%%", d.run.discount_rate * 100) << ")\n";
  }
  if (!r.same_currency)
    out << "  The deals are in different currencies: money differences and crossovers are shown only for\n"
           "  deals in A's currency.\n";

  // Cells first, so that the columns fit them at any scale.
  std::vector<std::string> labels;
  std::vector<std::vector<std::string>> cells;
  std::size_t label_width = 0, column_width = 12;
  for (const auto& metric : compare_metrics()) {
    labels.push_back("  " + std::string(metric.label));
    std::vector<std::string> row;
    for (const auto& d : r.deals) row.push_back(shown(metric.format, metric.value(d).value, scale, false));
    for (std::size_t i = 1; i < r.deals.size(); ++i)
      row.push_back(shown(metric.format, difference_from_first(r, i, metric), scale, true));
    for (const auto& cell : row) column_width = std::max(column_width, text::width(cell));
    label_width = std::max(label_width, text::width(labels.back()));
    cells.push_back(std::move(row));
  }
  label_width += 2;
  column_width += 2;
  out << "\n" << pad_right("", label_width);
  for (std::size_t i = 0; i < r.deals.size(); ++i) out << pad_left(letter(i), column_width);
  for (std::size_t i = 1; i < r.deals.size(); ++i) out << pad_left(letter(i) + " - A", column_width);
  out << "\n";
  for (std::size_t row = 0; row < labels.size(); ++row) {
    out << pad_right(labels[row], label_width);
    for (const auto& cell : cells[row]) out << pad_left(cell, column_width);
    out << "\n";
  }
  out << "  Total cost: capex as paid + operating costs + interest and fees (before tax, VAT and residual).\n"
         "  Cost per GPU-hour: over owned GPUs in service and rented GPUs paid for, 730 hours a month.\n";
  // Why a figure is n/a (or which of several IRRs is given), as run says it: one line a reason,
  // with the figures and the deals it applies to.
  struct Note {
    std::string reason, figures, deals;
  };
  std::vector<Note> notes;
  const auto add_once = [](std::string& list, const std::string& item) {
    if (("; " + list + "; ").find("; " + item + "; ") == std::string::npos) list += (list.empty() ? "" : "; ") + item;
  };
  for (const auto& metric : compare_metrics()) {
    for (std::size_t i = 0; i < r.deals.size(); ++i) {
      const MetricValue value = metric.value(r.deals[i]);
      if (value.note.empty()) continue;
      auto note = std::find_if(notes.begin(), notes.end(), [&](const Note& n) { return n.reason == value.note; });
      if (note == notes.end()) note = notes.insert(notes.end(), Note{value.note, "", ""});
      add_once(note->figures, std::string(metric.label));
      add_once(note->deals, letter(i));
    }
  }
  if (!notes.empty()) out << "  Why n/a:\n";
  for (const auto& note : notes) out << "    " << note.figures << " (" << note.deals << "): " << note.reason << "\n";

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
  for (const auto& d : r.deals) out << "," << csv_field(d.run.deal_name);
  for (std::size_t i = 1; i < r.deals.size(); ++i)
    out << "," << csv_field(r.deals[i].run.deal_name + " - " + r.deals.front().run.deal_name);
  out << "\n";
  for (const auto& metric : compare_metrics()) {
    out << metric.key;
    for (const auto& d : r.deals) out << "," << csv_number(metric.value(d).value);
    for (std::size_t i = 1; i < r.deals.size(); ++i) out << "," << csv_number(difference_from_first(r, i, metric));
    out << "\n";
  }
  // Why a figure is missing, deal by deal.
  out << "\nnote,metric,deal,note\n";
  for (const auto& metric : compare_metrics())
    for (const auto& d : r.deals)
      if (const MetricValue value = metric.value(d); !value.note.empty())
        out << "note," << metric.key << "," << csv_field(d.run.deal_name) << "," << csv_field(value.note) << "\n";
  out << "\ncrossover,challenger,usage_factor,months,note\n";
  for (const auto& p : r.crossovers) {
    const std::string name = csv_field(r.deals[p.challenger].run.deal_name);
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
    json metrics = json::object(), notes = json::object();
    for (const auto& metric : compare_metrics()) {
      const MetricValue value = metric.value(d);
      metrics[std::string(metric.key)] = optional_json(value.value);
      if (!value.note.empty()) notes[std::string(metric.key)] = value.note;
    }
    deals.push_back({{"model", d.model}, {"name", d.run.deal_name}, {"currency", d.run.currency},
                     {"horizon_months", d.run.horizon_months}, {"discount_rate", d.run.discount_rate},
                     {"project_irr_note", d.run.metrics.project_irr_post_tax.note},
                     {"equity_irr_note", d.run.metrics.equity_irr.note}, {"gpu_hours", d.gpu_hours},
                     {"metrics", metrics}, {"notes", notes}});
  }
  json differences = json::array();
  for (std::size_t i = 1; i < r.deals.size(); ++i) {
    json values = json::object();
    for (const auto& metric : compare_metrics())
      values[std::string(metric.key)] = optional_json(difference_from_first(r, i, metric));
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
                   {"differences", differences}, {"crossovers", crossovers},
                   {"warnings", warnings_json(r.warnings)}};
  out << document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

}  // namespace leasecalc::report
