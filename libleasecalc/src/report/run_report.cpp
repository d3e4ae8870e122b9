#include "leasecalc/report/run_report.hpp"

#include "text.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <ostream>
#include <string>

namespace leasecalc::report {

Scale default_scale(std::string_view currency) {
  return currency == "CNY" ? Scale{1e8, "亿"} : Scale{1e6, "M"};
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

engine::Metrics<double> to_double(const engine::Metrics<double>& metrics) { return metrics; }

engine::Metrics<double> to_double(const engine::Metrics<num::Decimal>& m) {
  engine::Metrics<double> r;
  r.capex = num::to_double(m.capex);
  r.debt_drawn = num::to_double(m.debt_drawn);
  r.equity_invested = num::to_double(m.equity_invested);
  r.equity_returned = num::to_double(m.equity_returned);
  r.total_revenue = num::to_double(m.total_revenue);
  r.total_ebitda = num::to_double(m.total_ebitda);
  r.total_net_income = num::to_double(m.total_net_income);
  r.total_interest = num::to_double(m.total_interest);
  r.sources = num::to_double(m.sources);
  r.uses = num::to_double(m.uses);
  r.cash_left = num::to_double(m.cash_left);
  r.project_irr_pre_tax = m.project_irr_pre_tax;
  r.project_irr_post_tax = m.project_irr_post_tax;
  r.equity_irr = m.equity_irr;
  r.project_npv = num::to_double(m.project_npv);
  r.equity_npv = num::to_double(m.equity_npv);
  r.moic = m.moic;
  r.project_payback_months = m.project_payback_months;
  r.equity_payback_months = m.equity_payback_months;
  r.minimum_dscr = m.minimum_dscr;
  r.average_dscr = m.average_dscr;
  r.dscr = m.dscr;
  r.ebitda_margin = m.ebitda_margin;
  r.net_margin = m.net_margin;
  r.funding_shortfalls = m.funding_shortfalls;
  return r;
}

// A contract keeps its price as quoted, and the catalogue says whether a unit is a server or a rack.
std::string price_unit_name(deal::PriceUnit unit, const deal::Sku&) { return "per " + std::string(deal::to_string(unit)); }

void add_break_even(RunReport& report, const deal::Deal& deal, const solve::ReturnTarget& target) {
  report.target = target;
  const auto price = solve::price_factor_for_return(deal, target.annual_rate, target.basis);
  report.break_even_price_note = price.note;
  if (price.factor) {
    for (const auto& contract : deal.contracts) {
      ContractBreakEven row;
      if (const auto* take_or_pay = std::get_if<deal::TakeOrPay>(&contract)) {
        row.contract = take_or_pay->name;
        row.quoted_price = num::to_double(take_or_pay->price.amount);
        row.price_unit = price_unit_name(take_or_pay->price.unit, deal.cluster.sku);
      } else {
        const auto& on_demand = std::get<deal::OnDemand>(contract);
        row.contract = on_demand.name;
        row.quoted_price = num::to_double(on_demand.price.points.front().value);
        row.price_unit = price_unit_name(deal::unit_month(deal.cluster.sku), deal.cluster.sku) + " (first price point)";
      }
      row.break_even_price = row.quoted_price * *price.factor;
      report.break_even_prices.push_back(row);
    }
  }
  const auto volume = solve::volume_factor_for_return(deal, target.annual_rate, target.basis);
  report.break_even_utilisation_note = volume.note;
  if (volume.factor && report.utilisation * *volume.factor <= 1.0)
    report.break_even_utilisation = report.utilisation * *volume.factor;
  else if (volume.factor)
    report.break_even_utilisation_note = "none: the NPV stays negative even with every server billed";
}

}  // namespace detail

// ---- terminal table --------------------------------------------------------------------------

namespace {

using text::format;
using text::pad_left;
using text::pad_right;

std::string amount(double value, const Scale& scale) {
  const double shown = value / scale.divisor;
  if (std::abs(shown) < 0.005) return "-";
  return format("%.2f", shown);
}

std::string percent(const std::optional<double>& value) { return text::percent(value, "%.2f%%"); }

constexpr std::size_t label_width = 34;
constexpr std::size_t column_width = 10;

void write_statement(std::ostream& out, const std::string& title, const engine::Table<double>& table,
                     const Scale& scale) {
  out << "\n" << pad_right(title, label_width);
  for (const auto& column : table.columns) out << pad_left(column, column_width);
  out << "\n";
  for (const auto& row : table.rows) {
    bool all_zero = true;
    for (double value : row.values) all_zero = all_zero && std::abs(value) < 0.005;
    if (all_zero && !row.subtotal) continue;
    out << pad_right((row.subtotal ? "" : "  ") + row.name, label_width);
    for (double value : row.values) out << pad_left(amount(value, scale), column_width);
    out << "\n";
  }
}

void write_margins(std::ostream& out, const std::string& name, const std::vector<std::optional<double>>& values) {
  out << pad_right("  " + name, label_width);
  for (const auto& value : values) out << pad_left(percent(value), column_width);
  out << "\n";
}

std::string irr_text(const engine::AnnualIrr& irr) {
  std::string text = percent(irr.rate);
  if (!irr.note.empty()) text += "  (" + irr.note + ")";
  return text;
}

std::string months_text(const std::optional<double>& months) {
  return months ? format("%.1f months", *months) : "not within the horizon";
}

}  // namespace

void write_table(std::ostream& out, const RunReport& r, const Scale& scale) {
  const std::string unit = (scale.label.empty() ? "" : scale.label + " ") + r.currency;
  const auto& m = r.metrics;
  out << r.deal_name << "\n"
      << r.horizon_months << " months from " << r.start << "; amounts in " << unit
      << (r.exact ? " (exact decimal ledger)" : " (fast double mode)") << "\n";

  out << "\nDeal summary\n";
  const auto line = [&](const std::string& name, const std::string& value) {
    out << pad_right("  " + name, label_width) << pad_left(value, column_width) << "\n";
  };
  line("Capex (VAT included)", amount(m.capex, scale));
  line("Debt drawn", amount(m.debt_drawn, scale));
  line("Equity invested", amount(m.equity_invested, scale));
  line("Equity returned", amount(m.equity_returned, scale));
  out << "  Sources " << format("%.2f", m.sources / scale.divisor) << " = uses "
      << format("%.2f", m.uses / scale.divisor) << " + cash left " << format("%.2f", m.cash_left / scale.divisor)
      << (std::abs(m.sources - m.uses - m.cash_left) < 0.005 ? ": balanced" : ": NOT BALANCED") << "\n";

  write_statement(out, "Income statement", r.income_statement, scale);
  write_statement(out, "Cash flow", r.cash_flow, scale);

  out << "\nReturns\n";
  line("Project IRR, pre-tax", irr_text(m.project_irr_pre_tax));
  line("Project IRR, post-tax", irr_text(m.project_irr_post_tax));
  line("Equity IRR", irr_text(m.equity_irr));
  line("NPV @ " + format("%.2f%%", r.discount_rate * 100) + ", project", amount(m.project_npv, scale));
  line("NPV @ " + format("%.2f%%", r.discount_rate * 100) + ", equity", amount(m.equity_npv, scale));
  line("MOIC (equity)", m.moic ? format("%.2fx", *m.moic) : "n/a");
  line("Payback, project", months_text(m.project_payback_months));
  line("Payback, equity", months_text(m.equity_payback_months));
  line("Minimum DSCR", m.minimum_dscr ? format("%.2fx", *m.minimum_dscr) : "n/a (no debt)");
  line("Average DSCR", m.average_dscr ? format("%.2fx", *m.average_dscr) : "n/a (no debt)");
  line("Total interest and fees", amount(m.total_interest, scale));

  out << "\n" << pad_right("Margins", label_width);
  for (const auto& column : r.income_statement.columns) out << pad_left(column, column_width);
  out << "\n";
  write_margins(out, "EBITDA margin", m.ebitda_margin);
  write_margins(out, "Net margin", m.net_margin);
  std::vector<std::optional<double>> dscr = m.dscr;
  dscr.emplace_back(m.minimum_dscr);
  out << pad_right("  DSCR (total: minimum)", label_width);
  for (const auto& value : dscr) out << pad_left(value ? format("%.2fx", *value) : "-", column_width);
  out << "\n";

  const std::string rate = format("%.2f%%", r.target.annual_rate * 100);
  out << "\nBreak-even: the lowest price and use that earn the target, " << solve::names_of(r.target.basis).name
      << " " << rate << " (NPV at " << rate << " = 0)\n";
  if (!r.break_even_price_note.empty()) out << "  price: " << r.break_even_price_note << "\n";
  for (const auto& contract : r.break_even_prices) {
    out << "  " << contract.contract << ": " << format("%.2f", contract.break_even_price) << " "
        << r.currency << " " << contract.price_unit << " (model: " << format("%.2f", contract.quoted_price);
    if (contract.quoted_price > 0)
      out << ", " << format("%+.1f%%", (contract.break_even_price / contract.quoted_price - 1) * 100);
    out << ")\n";
  }
  out << "  utilisation: " << format("%.1f%%", r.utilisation * 100) << " billed in the model";
  if (r.break_even_utilisation) out << ", break-even " << format("%.1f%%", *r.break_even_utilisation * 100);
  else out << "; break-even: " << r.break_even_utilisation_note;
  out << "\n";

  if (!m.funding_shortfalls.empty()) {
    // Cash would go negative: shareholders (or a facility) must fund these months.
    double total = 0;
    const engine::FundingShortfall* largest = &m.funding_shortfalls.front();
    for (const auto& shortfall : m.funding_shortfalls) {
      total += shortfall.amount;
      if (shortfall.amount > largest->amount) largest = &shortfall;
    }
    out << "\nCash goes negative in " << m.funding_shortfalls.size() << " month"
        << (m.funding_shortfalls.size() == 1 ? "" : "s") << " outside the capex months, first in month "
        << m.funding_shortfalls.front().month + 1 << "; equity must add " << amount(total, scale)
        << " in all (largest " << amount(largest->amount, scale) << ", month " << largest->month + 1 << ")\n";
  }

  if (!r.ledger.empty()) {
    out << "\nMonthly ledger (" << unit << ")\n" << pad_right("", label_width);
    for (const auto& month : r.months) out << pad_left(month, column_width);
    out << "\n";
    for (const auto& [name, values] : r.ledger) {
      out << pad_right("  " + name, label_width);
      for (double value : values)
        out << pad_left(name.rfind("units", 0) == 0 ? format("%.1f", value) : amount(value, scale), column_width);
      out << "\n";
    }
  }
}

// ---- CSV -------------------------------------------------------------------------------------

using text::csv_field;
using text::csv_number;

void write_csv(std::ostream& out, const RunReport& r) {
  const auto& m = r.metrics;
  out << "section,item";
  for (const auto& column : r.income_statement.columns) out << "," << column;
  out << "\n";
  for (const auto& [title, table] : {std::pair{"income_statement", &r.income_statement},
                                     std::pair{"cash_flow", &r.cash_flow}}) {
    for (const auto& row : table->rows) {
      out << title << "," << csv_field(row.name);
      for (double value : row.values) out << "," << csv_number(value);
      out << "\n";
    }
  }
  const auto by_year = [&](const char* name, const std::vector<std::optional<double>>& values) {
    out << "margins," << name;
    for (const auto& value : values) out << "," << csv_number(value);
    out << "\n";
  };
  by_year("ebitda_margin", m.ebitda_margin);
  by_year("net_margin", m.net_margin);
  by_year("dscr", m.dscr);
  const auto metric = [&](const char* name, const std::string& value) { out << "metrics," << name << "," << value << "\n"; };
  metric("capex", csv_number(m.capex));
  metric("debt_drawn", csv_number(m.debt_drawn));
  metric("equity_invested", csv_number(m.equity_invested));
  metric("equity_returned", csv_number(m.equity_returned));
  metric("project_irr_pre_tax", csv_number(m.project_irr_pre_tax.rate));
  metric("project_irr_post_tax", csv_number(m.project_irr_post_tax.rate));
  metric("equity_irr", csv_number(m.equity_irr.rate));
  metric("project_npv", csv_number(m.project_npv));
  metric("equity_npv", csv_number(m.equity_npv));
  metric("moic", csv_number(m.moic));
  metric("project_payback_months", csv_number(m.project_payback_months));
  metric("equity_payback_months", csv_number(m.equity_payback_months));
  metric("minimum_dscr", csv_number(m.minimum_dscr));
  metric("average_dscr", csv_number(m.average_dscr));
  metric("total_interest", csv_number(m.total_interest));
  metric("target_irr", csv_number(r.target.annual_rate));
  metric("target_basis", std::string(solve::names_of(r.target.basis).key));
  metric("utilisation", csv_number(r.utilisation));
  metric("break_even_utilisation", csv_number(r.break_even_utilisation));
  for (const auto& contract : r.break_even_prices)
    out << "break_even_price," << csv_field(contract.contract) << "," << csv_number(contract.break_even_price) << "\n";
  if (!r.ledger.empty()) {
    out << "\nledger,line";
    for (const auto& month : r.months) out << "," << month;
    out << "\n";
    for (const auto& [name, values] : r.ledger) {
      out << "ledger," << csv_field(name);
      for (double value : values) out << "," << csv_number(value);
      out << "\n";
    }
  }
}

// ---- JSON ------------------------------------------------------------------------------------

namespace {

using nlohmann::json;

json optional_json(const std::optional<double>& value) { return value ? json(*value) : json(nullptr); }

json optionals_json(const std::vector<std::optional<double>>& values) {
  json array = json::array();
  for (const auto& value : values) array.push_back(optional_json(value));
  return array;
}

json irr_json(const engine::AnnualIrr& irr) {
  return {{"rate", optional_json(irr.rate)}, {"note", irr.note}};
}

json table_json(const engine::Table<double>& table) {
  json rows = json::array();
  for (const auto& row : table.rows) rows.push_back({{"name", row.name}, {"values", row.values}, {"subtotal", row.subtotal}});
  return {{"columns", table.columns}, {"rows", rows}};
}

}  // namespace

void write_json(std::ostream& out, const RunReport& r) {
  const auto& m = r.metrics;
  json shortfalls = json::array();
  for (const auto& s : m.funding_shortfalls) shortfalls.push_back({{"month", s.month}, {"amount", s.amount}});
  json prices = json::array();
  for (const auto& c : r.break_even_prices)
    prices.push_back({{"contract", c.contract}, {"quoted_price", c.quoted_price}, {"unit", c.price_unit},
                      {"break_even_price", c.break_even_price}});
  json document = {
      {"schema", "leasecalc.run/1"},
      {"deal", {{"name", r.deal_name}, {"currency", r.currency}, {"start", r.start},
                {"horizon_months", r.horizon_months}, {"discount_rate", r.discount_rate}}},
      {"exact", r.exact},
      {"summary", {{"capex", m.capex}, {"debt_drawn", m.debt_drawn}, {"equity_invested", m.equity_invested},
                   {"equity_returned", m.equity_returned}, {"total_revenue", m.total_revenue},
                   {"total_ebitda", m.total_ebitda}, {"total_net_income", m.total_net_income},
                   {"total_interest", m.total_interest}, {"sources", m.sources}, {"uses", m.uses},
                   {"cash_left", m.cash_left}}},
      {"returns", {{"project_irr_pre_tax", irr_json(m.project_irr_pre_tax)},
                   {"project_irr_post_tax", irr_json(m.project_irr_post_tax)},
                   {"equity_irr", irr_json(m.equity_irr)},
                   {"project_npv", m.project_npv}, {"equity_npv", m.equity_npv},
                   {"moic", optional_json(m.moic)},
                   {"project_payback_months", optional_json(m.project_payback_months)},
                   {"equity_payback_months", optional_json(m.equity_payback_months)},
                   {"minimum_dscr", optional_json(m.minimum_dscr)},
                   {"average_dscr", optional_json(m.average_dscr)}}},
      {"by_year", {{"columns", r.income_statement.columns},
                   {"ebitda_margin", optionals_json(m.ebitda_margin)},
                   {"net_margin", optionals_json(m.net_margin)},
                   {"dscr", optionals_json(m.dscr)}}},
      {"break_even", {{"target_irr", r.target.annual_rate}, {"basis", solve::names_of(r.target.basis).key},
                      {"prices", prices}, {"price_note", r.break_even_price_note},
                      {"utilisation", r.utilisation},
                      {"break_even_utilisation", optional_json(r.break_even_utilisation)},
                      {"utilisation_note", r.break_even_utilisation_note}}},
      {"funding_shortfalls", shortfalls},
      {"income_statement", table_json(r.income_statement)},
      {"cash_flow", table_json(r.cash_flow)},
  };
  if (!r.ledger.empty()) {
    json lines = json::object();
    for (const auto& [name, values] : r.ledger) lines[name] = values;
    document["ledger"] = {{"months", r.months}, {"lines", lines}};
  }
  out << document.dump(2) << "\n";
}

}  // namespace leasecalc::report
