#include "leasecalc/report/reproduce.hpp"

#include "text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <ostream>

namespace leasecalc::report {

namespace {
constexpr double yi = 1e8;  // 亿
}

// ---- the report's figures --------------------------------------------------------------------

std::vector<BrokerFigure> guosen_2025_figures(GuosenCluster cluster) {
  // Quoted from reference/seed-facts.md §1 (Guosen Securities, compute-leasing report, Aug/Sep 2025).
  if (cluster == GuosenCluster::premium) {
    return {
        {"hardware", 38.5 * yi, 37 * yi, 40 * yi, "§1b hardware: \"about 37-40 亿\""},
        {"lease_revenue", 60 * yi, {}, {}, "§1b lease revenue: \"5-year contract, about 60 亿\""},
        {"after_tax_profit_a_year", 3.75 * yi, 3.5 * yi, 4 * yi,
         "§1b after-tax net profit: \"about 3.5-4 亿 a year\""},
        {"net_margin", 0.15, {}, {}, "§1 headline: \"net margin may reach about 15%\""},
        {"annualised_margin", 0.175, 0.15, 0.20, "§1 worked example: \"annualised margin 15-20%\""},
    };
  }
  return {
      {"hardware", 26.6 * yi, {}, {}, "§1a hardware: \"about 2.6 million CNY per 8-GPU server x 1024 servers = 26.6 亿\""},
      {"financing_cost", 3 * yi, 3 * yi, {},
       "§1a financing: \"about 85% ... at 4-5% a year; 5-year total financing cost 3 亿+\""},
      {"running_costs", 1.6 * yi, {}, {}, "§1a O&M: \"5 years, about 6% of hardware cost = 1.6 亿\""},
      {"lease_revenue", 38.5 * yi, 37 * yi, 40 * yi, "§1a lease revenue: \"5-year long-term contract, 37-40 亿 in total\""},
      {"vat_refund", 1.86 * yi, {}, {}, "§1a VAT refund: \"about 7% (of hardware), about 1.86 亿\""},
      {"residual_value", 1.33 * yi, {}, {}, "§1a residual value: \"servers after 5 years, conservatively 5% = 1.33 亿\""},
      {"total_cost", 31.2 * yi, {}, {}, "§1a total cost: \"hardware 26.6 + financing 3+ + O&M 1.6 = about 31.2 亿+\""},
      {"total_income", 43 * yi, {}, {}, "§1a total pre-tax profit: \"total income (about 43 亿)\""},
      {"pre_tax_profit", 11.8 * yi, {}, {},
       "§1a total pre-tax profit: \"total income (about 43 亿) - total cost (about 31.2 亿) = about 11.8 亿\""},
      {"after_tax_profit_a_year", 2 * yi, {}, {},
       "§1a after-tax net profit: \"about 2 亿 a year (conservatively 1.5-2 亿)\""},
      {"net_margin", 0.15, {}, {}, "§1 headline: \"net margin may reach about 15%\""},
      {"annualised_margin", 0.175, 0.15, 0.20, "§1 worked example: \"annualised margin 15-20%\""},
  };
}

std::string guosen_2025_model(GuosenCluster cluster) {
  return cluster == GuosenCluster::premium ? "guosen-2025-premium-10k.yaml" : "guosen-2025-standard-10k.yaml";
}

std::string cluster_name(GuosenCluster cluster) {
  return cluster == GuosenCluster::premium ? "premium" : "standard";
}

// ---- the reproduction ------------------------------------------------------------------------

namespace {

deal::Decimal exact(double value) { return num::from_double<deal::Decimal>(value); }

std::optional<BrokerFigure> find_figure(const std::vector<BrokerFigure>& figures, const std::string& item) {
  for (const auto& figure : figures)
    if (figure.item == item) return figure;
  return std::nullopt;
}

// The band a corner must fall in to "give" a figure: a stated range, or within 5% of a point
// amount ("about", two significant figures), or within a point of a point margin.
std::pair<double, double> band(const BrokerFigure& figure, bool is_margin) {
  if (figure.low && figure.high) return {*figure.low, *figure.high};
  if (is_margin) return {figure.value - 0.01, figure.value + 0.01};
  return {figure.value * 0.95, figure.value * 1.05};
}

std::string check_name(const BrokerFigure& figure, bool is_margin) {
  const auto amount = [](double value) { return text::format("%.4g", value / yi) + "亿"; };
  std::string name;
  if (figure.item == "total_income") name = "total income";
  else if (figure.item == "pre_tax_profit") name = "total pre-tax profit";
  else if (figure.item == "after_tax_profit_a_year") name = "after-tax net profit";
  else if (figure.item == "net_margin") name = "net margin";
  else name = "annualised margin";
  const auto value = [&](double v) { return is_margin ? text::format("%.0f%%", v * 100) : amount(v); };
  if (figure.low && figure.high)
    name += " " + value(*figure.low).substr(0, value(*figure.low).size() - (is_margin ? 1 : std::string("亿").size())) +
            "-" + value(*figure.high);
  else
    name += " about " + value(figure.value);
  if (figure.item == "after_tax_profit_a_year") name += " a year";
  return name;
}

}  // namespace

ClusterReproduction reproduce_cluster(GuosenCluster which, const std::string& model, const deal::Deal& deal,
                                      const OmittedCosts& omitted, const OpenRanges& ranges) {
  ClusterReproduction r;
  r.cluster = which;
  r.model = model;
  r.deal_name = deal.name;
  r.income_tax_rate = num::to_double(deal.tax.income.rate);

  // The model as it is, in the exact ledger.
  const auto ledger = engine::project<num::Decimal>(deal);
  r.cash_basis = cash_basis_view(ledger, r.income_tax_rate);
  r.accrual = accrual_view(ledger);
  const auto metrics = engine::metrics(deal, ledger);
  r.project_irr_post_tax = metrics.project_irr_post_tax;
  r.equity_irr = metrics.equity_irr;

  const auto figures = guosen_2025_figures(which);
  const auto& c = r.cash_basis;
  const auto item = [&](std::string key, std::string label, std::optional<double> engine, bool is_margin = false) {
    r.line_items.push_back({key, std::move(label), find_figure(figures, key), engine, is_margin});
  };
  const std::string life = std::to_string(deal.horizon_months / 12) + " years";
  item("hardware", "Hardware", c.hardware);
  item("financing_cost", "Financing cost, " + life, c.financing_cost);
  item("running_costs", "O&M (running costs), " + life, c.running_costs);
  item("lease_revenue", "Lease revenue, " + life, c.lease_revenue);
  item("vat_refund", "VAT refund", c.vat_refund);
  item("residual_value", "Residual value", c.residual_value);
  item("total_cost", "Total cost", c.total_cost);
  item("total_income", "Total income", c.total_income);
  item("pre_tax_profit", "Total pre-tax profit", c.pre_tax_profit);
  item("after_tax_profit_a_year", "After-tax profit a year", c.after_tax_profit_a_year);
  item("net_margin", "Net margin", c.net_margin, true);

  // Every combination of the open assumptions, each a re-run of the engine.
  std::vector<deal::Decimal> revenue, rates, taxes;
  for (double f : ranges.revenue_factors) revenue.push_back(exact(f));
  for (double f : ranges.debt_rates) rates.push_back(exact(f));
  for (double f : ranges.income_tax_rates) taxes.push_back(exact(f));
  for (const auto& assumptions : solve::every_combination(revenue, rates, taxes, ranges.vat_bookings)) {
    const auto corner_ledger = engine::project<double>(solve::with_assumptions(deal, assumptions));
    r.corners.push_back({assumptions, cash_basis_view(corner_ledger, num::to_double(assumptions.income_tax_rate)),
                         accrual_view(corner_ledger)});
  }
  const auto nearest = [&](double target) {
    std::size_t best = 0;
    double best_gap = INFINITY;
    for (std::size_t i = 0; i < r.corners.size(); ++i) {
      const auto margin = r.corners[i].cash_basis.net_margin;
      if (margin && std::abs(*margin - target) < best_gap) best = i, best_gap = std::abs(*margin - target);
    }
    return best;
  };
  r.nearest_15 = nearest(0.15);
  r.nearest_20 = nearest(0.20);

  // The report's figures against the corners, and all of them at once.
  std::vector<std::size_t> consistent(r.corners.size());
  for (std::size_t i = 0; i < consistent.size(); ++i) consistent[i] = i;
  for (const auto& figure : figures) {
    const bool is_margin = figure.item == "net_margin" || figure.item == "annualised_margin";
    const bool cash_only = figure.item == "total_income" || figure.item == "pre_tax_profit";
    if (!is_margin && !cash_only && figure.item != "after_tax_profit_a_year") continue;
    const auto [low, high] = band(figure, is_margin);
    for (const bool accrual : {false, true}) {
      if (accrual && cash_only) continue;
      FigureCheck check{check_name(figure, is_margin), accrual ? "accrual" : "cash basis", low, high, is_margin, {}};
      for (std::size_t i = 0; i < r.corners.size(); ++i) {
        const auto& corner = r.corners[i];
        const std::optional<double> value =
            figure.item == "total_income"    ? corner.cash_basis.total_income
            : figure.item == "pre_tax_profit" ? corner.cash_basis.pre_tax_profit
            : figure.item == "after_tax_profit_a_year"
                ? (accrual ? corner.accrual.net_income_a_year : corner.cash_basis.after_tax_profit_a_year)
                : (accrual ? corner.accrual.net_margin : corner.cash_basis.net_margin);
        if (value && *value >= low && *value <= high) check.corners.push_back(i);
      }
      if (!accrual && figure.item != "annualised_margin") {
        std::erase_if(consistent, [&](std::size_t i) {
          return std::find(check.corners.begin(), check.corners.end(), i) == check.corners.end();
        });
      }
      r.checks.push_back(std::move(check));
    }
  }
  r.checks.push_back({"every figure above at one corner (15-20% aside)", "cash basis", 0, 0, false, consistent});

  // What the report leaves out, one at a time and power with rent together.
  const auto tariff = exact(omitted.tariff_per_kwh), pue = exact(omitted.pue);
  const auto colocation = exact(omitted.colocation_per_kw_month);
  const auto omission = [&](std::string name, const deal::Deal& variant) {
    const auto l = engine::project<double>(variant);
    r.omissions.push_back({std::move(name), cash_basis_view(l, r.income_tax_rate), accrual_view(l)});
  };
  r.omitted = omitted;
  r.kw_per_server = num::to_double(deal.cluster.sku.kw_load);
  omission("as modelled", deal);
  omission("+ electricity", solve::with_operator_paid_electricity(deal, tariff, pue));
  omission("+ data-centre rent", solve::with_data_centre_rent_per_kw_month(deal, colocation));
  omission("+ electricity and data-centre rent",
           solve::with_data_centre_rent_per_kw_month(solve::with_operator_paid_electricity(deal, tariff, pue),
                                                     colocation));
  for (double utilisation : omitted.utilisations)
    omission("utilisation " + text::format("%g", utilisation * 100) + "%",
             solve::with_volume_factor(deal, exact(utilisation)));
  return r;
}

std::string corner_label(const ClusterReproduction& cluster, std::size_t i) {
  const auto& a = cluster.corners[i].assumptions;
  return "revenue " + text::format("%.2f", cluster.corners[i].cash_basis.lease_revenue / yi) + "亿, rate " +
         text::format("%g%%", num::to_double(a.debt_rate) * 100) + ", tax " +
         text::format("%g%%", num::to_double(a.income_tax_rate) * 100) + ", VAT refund " +
         (a.vat_refund_as_income ? "as income" : "not income");
}

// ---- terminal table --------------------------------------------------------------------------

namespace {

using text::format;
using text::pad_left;
using text::pad_right;

std::string yi_amount(double value) { return format("%.2f", value / yi); }

std::string margin_text(const std::optional<double>& value) { return text::percent(value); }

std::string report_text(const BrokerFigure& figure, bool is_margin) {
  const auto one = [&](double v) { return is_margin ? format("%.0f%%", v * 100) : format("%.4g", v / yi); };
  if (figure.low && figure.high) return one(*figure.low) + "-" + one(*figure.high);
  if (figure.low) return one(*figure.low) + "+";
  return one(figure.value);
}

std::string difference_text(const LineItem& item) {
  if (!item.report || !item.engine) return "";
  const double report = item.report->value, engine = *item.engine;
  if (item.is_margin) return format("%+.1f points", (engine - report) * 100);
  std::string text = format("%+.2f", (engine - report) / yi) + format(" (%+.1f%%)", (engine / report - 1) * 100);
  if (item.report->low && item.report->high && engine >= *item.report->low && engine <= *item.report->high)
    text += ", inside the range";
  return text;
}

std::string corner_list(const ClusterReproduction& cluster, const std::vector<std::size_t>& corners) {
  if (corners.empty()) return "NO corner gives it";
  std::string list;
  for (std::size_t i : corners) list += (list.empty() ? "#" : ", #") + std::to_string(i + 1);
  return std::to_string(corners.size()) + " of " + std::to_string(cluster.corners.size()) + ": " + list;
}

void write_cluster(std::ostream& out, const ClusterReproduction& r) {
  out << "\n" << r.deal_name << "  (" << r.model << ")\n";

  out << "\n" << pad_right("Line items (亿 CNY)", 34) << pad_left("report", 10) << pad_left("engine", 10)
      << "   engine - report\n";
  for (const auto& item : r.line_items) {
    const std::string engine = !item.engine ? "n/a" : item.is_margin ? margin_text(item.engine) : yi_amount(*item.engine);
    out << pad_right("  " + item.label, 34) << pad_left(item.report ? report_text(*item.report, item.is_margin) : "-", 10)
        << pad_left(engine, 10) << "   " << difference_text(item) << "\n";
  }
  out << "  Sources (reference seed-facts):\n";
  for (const auto& item : r.line_items)
    if (item.report) out << "    " << item.report->quote << "\n";
  for (const auto& figure : guosen_2025_figures(r.cluster))
    if (figure.item == "annualised_margin") out << "    " << figure.quote << "\n";

  const auto& c = r.cash_basis;
  const auto& a = r.accrual;
  out << "\n" << pad_right("Two views (亿 CNY)", 34) << pad_left("cash basis", 12) << pad_left("accrual", 12) << "\n";
  const auto row = [&](const std::string& name, const std::string& cash, const std::string& accrual) {
    out << pad_right("  " + name, 34) << pad_left(cash, 12) << pad_left(accrual, 12) << "\n";
  };
  row("Lease revenue", yi_amount(c.lease_revenue), yi_amount(a.lease_revenue));
  row("Pre-tax profit", yi_amount(c.pre_tax_profit), yi_amount(a.pre_tax_income));
  row("Income tax", yi_amount(-c.income_tax), yi_amount(a.income_tax));
  row("After-tax net profit", yi_amount(c.after_tax_profit), yi_amount(a.net_income));
  row("  a year", yi_amount(c.after_tax_profit_a_year), yi_amount(a.net_income_a_year));
  row("Net margin", margin_text(c.net_margin), margin_text(a.net_margin));
  out << "  cash basis: the report's arithmetic on the engine's figures: total income (lease revenue\n"
         "    + VAT refund income + residual) - total cost (hardware once + financing + O&M), taxed once\n"
         "    at "
      << format("%g%%", r.income_tax_rate * 100) << ", no time value.\n"
         "  accrual: the engine's monthly model: depreciation, interest as it accrues, tax by year.\n"
         "  Over the whole life the two agree unless a year makes a loss (depreciation plus the book value\n"
         "  sold is the hardware; tax by year adds up to tax once); they differ in timing, which the IRRs\n"
         "  show: project IRR (post-tax) "
      << text::percent(r.project_irr_post_tax.rate, "%.2f%%") << ", equity IRR "
      << text::percent(r.equity_irr.rate, "%.2f%%") << ".\n";

  out << "\nNet margin across the assumptions the report leaves open (" << r.corners.size() << " corners)\n"
      << "     revenue  rate   tax  VAT refund    total income  pre-tax  after-tax/yr   margin   margin\n"
      << "       亿                                   (cash)     (cash)     (cash)      (cash) (accrual)\n";
  for (std::size_t i = 0; i < r.corners.size(); ++i) {
    const auto& k = r.corners[i];
    const std::string mark = i == r.nearest_15 && i == r.nearest_20 ? "  <- nearest 15% and 20%"
                             : i == r.nearest_15                      ? "  <- nearest 15%"
                             : i == r.nearest_20                      ? "  <- nearest 20%"
                                                                      : "";
    out << pad_left("#" + std::to_string(i + 1), 4) << pad_left(format("%.2f", k.cash_basis.lease_revenue / yi), 8)
        << pad_left(format("%g%%", num::to_double(k.assumptions.debt_rate) * 100), 6)
        << pad_left(format("%g%%", num::to_double(k.assumptions.income_tax_rate) * 100), 6)
        << pad_left(k.assumptions.vat_refund_as_income ? "as income" : "not income", 12)
        << pad_left(yi_amount(k.cash_basis.total_income), 14) << pad_left(yi_amount(k.cash_basis.pre_tax_profit), 9)
        << pad_left(yi_amount(k.cash_basis.after_tax_profit_a_year), 11)
        << pad_left(margin_text(k.cash_basis.net_margin), 11) << pad_left(margin_text(k.accrual.net_margin), 9) << mark
        << "\n";
  }
  out << "  VAT refund not income: proper accounting, the equipment capitalised net of input VAT and the\n"
         "  refund cash only.\n";
  const auto nearest = [&](double target, std::size_t i) {
    const auto margin = r.corners[i].cash_basis.net_margin;
    out << "  Nearest " << format("%g%%", target * 100) << ": #" << i + 1 << " (" << corner_label(r, i)
        << "): " << margin_text(margin) << " cash basis, " << margin_text(r.corners[i].accrual.net_margin)
        << " accrual";
    if (margin && std::abs(*margin - target) > 0.01) out << "; no corner is within a point of it";
    out << "\n";
  };
  nearest(0.15, r.nearest_15);
  nearest(0.20, r.nearest_20);

  out << "\nThe report's figures against the corners (within 5% of an amount, 1 point of a margin, or in a range)\n";
  for (const auto& check : r.checks)
    out << pad_right("  " + check.figure + " (" + check.view + ")", 66) << corner_list(r, check.corners) << "\n";

  out << "\nWhat the report leaves out (the model as it is, one change at a time)\n"
      << pad_right("", 44) << "  margin    change   margin    change\n"
      << pad_right("", 44) << "  (cash)            (accrual)\n";
  const auto& base = r.omissions.front();
  for (const auto& o : r.omissions) {
    const auto change = [](const std::optional<double>& now, const std::optional<double>& before) {
      return now && before ? format("%+.1f pts", (*now - *before) * 100) : std::string("n/a");
    };
    out << pad_right("  " + o.name, 44) << pad_left(margin_text(o.cash_basis.net_margin), 8)
        << pad_left(&o == &base ? "" : change(o.cash_basis.net_margin, base.cash_basis.net_margin), 10)
        << pad_left(margin_text(o.accrual.net_margin), 9)
        << pad_left(&o == &base ? "" : change(o.accrual.net_margin, base.accrual.net_margin), 10) << "\n";
  }
  out << "  Electricity at " << format("%g", r.omitted.tariff_per_kwh) << " CNY/kWh, PUE " << format("%g", r.omitted.pue)
      << ", " << format("%g", r.kw_per_server) << " kW a server (the catalogue's full load); data-centre rent at\n  "
      << format("%g", r.omitted.colocation_per_kw_month)
      << " CNY per kW-month of IT load (assumed: about half the 184 USD/kW-month of North American\n"
         "  markets); both paid by the operator. Utilisation: the billed share of the servers.\n";
}

}  // namespace

void write_table(std::ostream& out, const Reproduction& reproduction) {
  out << "Reproducing the Guosen Securities 10k-card cluster estimate (compute-leasing report, 2025)\n"
         "Report figures are quoted from reference seed-facts §1; engine figures come from projecting the\n"
         "bundled models. Amounts in 亿 CNY (10^8). Net margin = after-tax net profit / lease revenue.\n";
  for (const auto& cluster : reproduction.clusters) write_cluster(out, cluster);
  out << "\nMethod and definitions: docs/reproduce.md. Price the omitted costs with --tariff, --pue and\n"
         "--colocation.\n";
}

// ---- JSON ------------------------------------------------------------------------------------

namespace {

using nlohmann::json;

json optional_json(const std::optional<double>& value) { return value ? json(*value) : json(nullptr); }

json figure_json(const BrokerFigure& f) {
  return {{"item", f.item}, {"value", f.value}, {"low", optional_json(f.low)}, {"high", optional_json(f.high)},
          {"quote", f.quote}};
}

json cash_json(const CashBasisView& v) {
  return {{"hardware", v.hardware}, {"financing_cost", v.financing_cost}, {"running_costs", v.running_costs},
          {"lease_revenue", v.lease_revenue}, {"vat_refund", v.vat_refund}, {"vat_refund_income", v.vat_refund_income},
          {"residual_value", v.residual_value}, {"total_cost", v.total_cost}, {"total_income", v.total_income},
          {"pre_tax_profit", v.pre_tax_profit}, {"income_tax", v.income_tax}, {"after_tax_profit", v.after_tax_profit},
          {"after_tax_profit_a_year", v.after_tax_profit_a_year}, {"net_margin", optional_json(v.net_margin)}};
}

json accrual_json(const AccrualView& v) {
  return {{"lease_revenue", v.lease_revenue}, {"pre_tax_income", v.pre_tax_income}, {"income_tax", v.income_tax},
          {"net_income", v.net_income}, {"net_income_a_year", v.net_income_a_year},
          {"net_margin", optional_json(v.net_margin)}};
}

json cluster_json(const ClusterReproduction& r) {
  json items = json::array();
  for (const auto& item : r.line_items) {
    json row = {{"item", item.item}, {"label", item.label}, {"is_margin", item.is_margin},
                {"engine", optional_json(item.engine)},
                {"report", item.report ? figure_json(*item.report) : json(nullptr)}};
    if (item.report && item.engine) {
      row["difference"] = *item.engine - item.report->value;
      row["difference_share"] = item.is_margin ? json(nullptr) : json(*item.engine / item.report->value - 1);
    }
    items.push_back(row);
  }
  json corners = json::array();
  for (const auto& k : r.corners)
    corners.push_back({{"revenue_factor", num::to_double(k.assumptions.revenue_factor)},
                       {"debt_rate", num::to_double(k.assumptions.debt_rate)},
                       {"income_tax_rate", num::to_double(k.assumptions.income_tax_rate)},
                       {"vat_refund_as_income", k.assumptions.vat_refund_as_income},
                       {"cash_basis", cash_json(k.cash_basis)}, {"accrual", accrual_json(k.accrual)}});
  json checks = json::array();
  for (const auto& c : r.checks)
    checks.push_back({{"figure", c.figure}, {"view", c.view}, {"low", c.low}, {"high", c.high},
                      {"is_margin", c.is_margin}, {"corners", c.corners}});
  json omissions = json::array();
  for (const auto& o : r.omissions)
    omissions.push_back({{"name", o.name}, {"cash_basis", cash_json(o.cash_basis)}, {"accrual", accrual_json(o.accrual)}});
  return {{"cluster", cluster_name(r.cluster)},
          {"model", r.model},
          {"deal", r.deal_name},
          {"income_tax_rate", r.income_tax_rate},
          {"line_items", items},
          {"cash_basis", cash_json(r.cash_basis)},
          {"accrual", accrual_json(r.accrual)},
          {"project_irr_post_tax", optional_json(r.project_irr_post_tax.rate)},
          {"equity_irr", optional_json(r.equity_irr.rate)},
          {"corners", corners},
          {"nearest_15", r.nearest_15},
          {"nearest_20", r.nearest_20},
          {"checks", checks},
          {"kw_per_server", r.kw_per_server},
          {"omissions", omissions}};
}

}  // namespace

void write_json(std::ostream& out, const Reproduction& reproduction) {
  json clusters = json::array();
  for (const auto& cluster : reproduction.clusters) clusters.push_back(cluster_json(cluster));
  const auto& o = reproduction.omitted;
  json document = {
      {"schema", "leasecalc.reproduce/1"},
      {"study", reproduction.study},
      {"currency", "CNY"},
      {"net_margin", "after-tax net profit / lease revenue"},
      {"omitted_costs", {{"tariff_per_kwh", o.tariff_per_kwh}, {"pue", o.pue},
                         {"colocation_per_kw_month", o.colocation_per_kw_month}, {"utilisations", o.utilisations}}},
      {"clusters", clusters},
  };
  out << document.dump(2) << "\n";
}

}  // namespace leasecalc::report
