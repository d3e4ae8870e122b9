// The leasecalc.run/1 document (docs/json-output.md): its headline written straight to text (what a
// quote answers with), and the whole document as a JSON value, which `run --format json` prints.
#include "leasecalc/report/run_report.hpp"

#include "json_text.hpp"
#include "run_json.hpp"
#include "warnings_json.hpp"

#include "leasecalc/time/date.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace leasecalc::report {

using detail::leaseback;
using detail::look_back_key;

namespace {

using nlohmann::json;

json optional_json(const std::optional<double>& value) { return value ? json(*value) : json(nullptr); }

json optionals_json(const std::vector<std::optional<double>>& values) {
  json array = json::array();
  for (const auto& value : values) array.push_back(optional_json(value));
  return array;
}

json table_json(const engine::Table<double>& table) {
  json rows = json::array();
  for (const auto& row : table.rows) rows.push_back({{"name", row.name}, {"values", row.values}, {"subtotal", row.subtotal}});
  return {{"columns", table.columns}, {"rows", rows}};
}

json month_json(const RunReport& r, int month) {
  const bool inside = month >= 0 && static_cast<std::size_t>(month) < r.months.size();
  return {{"month", month}, {"date", inside ? json(r.months[static_cast<std::size_t>(month)]) : json(nullptr)}};
}

json covenants_json(const RunReport& r) {
  const auto& c = r.covenants;
  json dates = json::array();
  for (const int m : c.test_months) dates.push_back(month_json(r, m));
  json tests = json::array();
  for (const auto& test : c.tests) {
    const auto& info = engine::covenant_test_info(test.test);
    json values = json::array(), headrooms = json::array(), breached = json::array(), notes = json::array();
    for (const auto& seen : test.observations) {
      values.push_back(optional_json(seen.value));
      headrooms.push_back(optional_json(seen.headroom));
      breached.push_back(seen.breached);
      notes.push_back(seen.note);
    }
    json least = nullptr, first = nullptr;
    if (test.minimum_headroom) {
      least = month_json(r, c.test_months[*test.minimum_headroom]);
      least["headroom"] = *test.observations[*test.minimum_headroom].headroom;
      least["value"] = *test.observations[*test.minimum_headroom].value;
    }
    if (test.first_breach) {
      first = month_json(r, c.test_months[*test.first_breach]);
      first["value"] = *test.observations[*test.first_breach].value;
    }
    tests.push_back({{"key", info.key}, {"label", info.label}, {"bound", info.is_minimum ? "minimum" : "maximum"},
                     {"threshold", test.threshold}, {"values", values}, {"headroom", headrooms},
                     {"breached", breached}, {"notes", notes}, {"minimum_headroom", least}, {"first_breach", first}});
  }
  json tranches = json::array();
  for (const auto& tenor : c.tranches)
    tranches.push_back({{"name", tenor.tranche}, {"maturity_month", tenor.maturity_month},
                        {"contracts_end_month", tenor.contracts_end_month ? json(*tenor.contracts_end_month) : json(nullptr)},
                        {"months_past_contracts", tenor.months_past_contracts},
                        {"outlives_contracts", tenor.months_past_contracts > 0},
                        {"matures_after_horizon", tenor.matures_after_horizon}});
  json result = {{"tested", c.terms.any()}, {"test_dates", dates}, {"tests", tests}, {"tranches", tranches}};
  if (c.terms.any()) {
    result["frequency"] = time::to_string(c.terms.frequency);
    result["look_back"] = look_back_key(c.terms.look_back);
  }
  return result;
}

}  // namespace

namespace {

// The headline's objects, each with its keys in sorted order (as nlohmann's objects hold them):
// what each key is, worked out once from the metric table.
struct HeadlineKey {
  enum Kind { metric, deal, exact, model, notes, schema, warnings, section, basis, prices, price_note, utilisation_note };
  std::string_view name;
  Kind kind;
  const MetricInfo* info = nullptr;                // a metric's
  const std::vector<HeadlineKey>* keys = nullptr;  // a section's
};

struct HeadlineLayout {
  std::map<std::string_view, std::vector<HeadlineKey>> sections;  // "break_even", "returns", "summary"
  std::vector<HeadlineKey> top;
};

const HeadlineLayout& headline_layout() {
  static const HeadlineLayout layout = [] {
    using K = HeadlineKey;
    const auto by_name = [](const HeadlineKey& a, const HeadlineKey& b) { return a.name < b.name; };
    HeadlineLayout built;
    built.sections["break_even"] = {{"basis", K::basis}, {"prices", K::prices}, {"price_note", K::price_note},
                                    {"utilisation_note", K::utilisation_note}};
    for (const auto& metric : run_metrics()) built.sections[metric.section].push_back({metric.key, K::metric, &metric});
    built.top = {{"deal", K::deal}, {"exact", K::exact}, {"model", K::model}, {"notes", K::notes},
                 {"schema", K::schema}, {"warnings", K::warnings}};
    for (auto& [name, keys] : built.sections) {
      std::sort(keys.begin(), keys.end(), by_name);
      built.top.push_back({name, K::section, nullptr, &keys});
    }
    std::sort(built.top.begin(), built.top.end(), by_name);
    return built;
  }();
  return layout;
}

void write_metric(JsonText& out, const MetricInfo& metric, const MetricValue& value) {
  if (metric.format != MetricFormat::irr) return out.number(value.value);
  out.begin_object();
  out.member("note", value.note);
  out.member("rate", value.value);
  out.end_object();
}

}  // namespace

std::string run_json_headline_text(const RunReport& r, std::string_view schema, std::string_view model) {
  using K = HeadlineKey;
  const std::vector<MetricInfo>& metrics = run_metrics();
  std::vector<MetricValue> values;  // each metric's, worked out once for its section and the notes
  values.reserve(metrics.size());
  for (const auto& metric : metrics) values.push_back(metric.value(r));
  const auto value_of = [&](const MetricInfo& metric) -> const MetricValue& {
    return values[static_cast<std::size_t>(&metric - metrics.data())];
  };
  std::string text;
  text.reserve(2048);
  JsonText out(text);
  out.begin_object();
  for (const HeadlineKey& top : headline_layout().top) {
    if (top.kind == K::model && model.empty()) continue;
    out.key(top.name);
    switch (top.kind) {
      case K::deal:
        out.begin_object();
        out.member("currency", r.currency);
        out.member("discount_rate", r.discount_rate);
        out.member("horizon_months", r.horizon_months);
        out.member("name", r.deal_name);
        out.member("start", r.start);
        out.end_object();
        break;
      case K::exact: out.boolean(r.exact); break;
      case K::model: out.string(model); break;
      case K::schema: out.string(schema); break;
      case K::warnings: write_warnings(out, r.warnings); break;
      case K::notes: {
        // The reason for each missing value, by the metric's key.
        std::vector<std::pair<std::string_view, std::string_view>> notes;
        for (const auto& metric : metrics)
          if (const auto& note = value_of(metric).note; !note.empty()) notes.emplace_back(metric.key, note);
        std::sort(notes.begin(), notes.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        out.begin_object();
        for (const auto& [key, note] : notes) out.member(key, note);
        out.end_object();
        break;
      }
      case K::section:
        out.begin_object();
        for (const HeadlineKey& key : *top.keys) {
          out.key(key.name);
          switch (key.kind) {
            case K::metric: write_metric(out, *key.info, value_of(*key.info)); break;
            case K::basis: out.string(solve::names_of(r.target.basis).key); break;
            case K::price_note: out.string(r.break_even_price_note); break;
            case K::utilisation_note: out.string(r.break_even_utilisation_note); break;
            case K::prices:
              out.begin_array();
              for (const auto& c : r.break_even_prices) {
                out.begin_object();
                out.member("break_even_price", c.break_even_price);
                out.member("contract", c.contract);
                out.member("quoted_price", c.quoted_price);
                out.member("unit", c.price_unit);
                out.end_object();
              }
              out.end_array();
              break;
            default: break;
          }
        }
        out.end_object();
        break;
      default: break;
    }
  }
  out.end_object();
  return text;
}

nlohmann::json run_json(const RunReport& r) {
  json document = json::parse(run_json_headline_text(r, "leasecalc.run/1"));
  json shortfalls = json::array();
  for (const auto& s : r.metrics.funding_shortfalls)
    shortfalls.push_back({{"month", s.month}, {"date", r.months[static_cast<std::size_t>(s.month)]}, {"amount", s.amount}});
  document["funding_shortfalls"] = shortfalls;
  document["income_statement"] = table_json(r.income_statement);
  document["cash_flow"] = table_json(r.cash_flow);
  document["balance_sheet"] = table_json(r.balance_sheet);
  document["covenants"] = covenants_json(r);
  // The structures the model has, each an object of its figures (an IRR as {"rate", "note"}), with
  // their notes; no "structures" key when the model has none.
  if (r.structures.any()) {
    json structures = json::object(), structure_notes = json::object();
    for (const auto& metric : structure_metrics()) {
      if (!structure_present(r, metric.section)) continue;
      const MetricValue value = metric.value(r);
      json& section = structures[std::string(metric.section)];
      if (metric.format == MetricFormat::irr) section[std::string(metric.key)] = {{"rate", optional_json(value.value)}, {"note", value.note}};
      else section[std::string(metric.key)] = optional_json(value.value);
      if (!value.note.empty()) structure_notes[std::string(metric.key)] = value.note;
    }
    if (r.structures.lessee) structures["lessee"]["name"] = r.structures.lessee->name;
    if (!r.structures.sale_leasebacks.empty()) {
      const auto& view = leaseback(r);
      structures["sale_leaseback"]["name"] = view.name;
      structures["sale_leaseback"]["sale"] = month_json(r, view.sale_month);
      structures["sale_leaseback"]["repurchase"] = month_json(r, view.repurchase_month);
    }
    structures["notes"] = structure_notes;
    document["structures"] = structures;
  }
  if (!r.debt_sizing.empty()) {
    json sizing = json::array();
    for (const auto& tranche : r.debt_sizing) {
      json limits = json::object();
      for (const auto& info : engine::sizing_constraints)
        limits[std::string(info.key)] = optional_json(tranche.limit(info.constraint));
      sizing.push_back({{"tranche", tranche.tranche}, {"size", tranche.size},
                        {"binding", engine::sizing_constraint_info(tranche.binding).key}, {"constraints", limits},
                        {"rounds", tranche.rounds}, {"tax_alternation", tranche.tax_alternation}});
    }
    document["debt_sizing"] = sizing;
  }
  json by_year = {{"columns", r.income_statement.columns}};
  for (const auto& series : run_series()) by_year[std::string(series.key)] = optionals_json(series.values(r));
  document["by_year"] = by_year;
  if (!r.ledger.empty()) {
    json lines = json::object();
    for (const auto& row : r.ledger) lines[row.key] = row.values;
    document["ledger"] = {{"months", r.months}, {"lines", lines}};
  }
  return document;
}

void write_json(std::ostream& out, const RunReport& r) { out << run_json(r).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n"; }

}  // namespace leasecalc::report
