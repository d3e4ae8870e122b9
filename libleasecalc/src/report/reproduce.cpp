#include "leasecalc/report/reproduce.hpp"
#include "warnings_json.hpp"

#include "leasecalc/solve/breakeven.hpp"
#include "leasecalc/solve/variants.hpp"
#include "text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <ostream>
#include <tuple>

namespace leasecalc::report {

using io::StudyInput;
using io::StudyQuantity;

std::optional<double> quantity_value(StudyQuantity quantity, const CashBasisView& c, const AccrualView& a,
                                     bool in_accrual) {
  if (in_accrual) {
    switch (quantity) {
      case StudyQuantity::lease_revenue: return a.lease_revenue;
      case StudyQuantity::after_tax_profit_a_year: return a.net_income_a_year;
      case StudyQuantity::net_margin: return a.net_margin;
      default: return std::nullopt;
    }
  }
  switch (quantity) {
    case StudyQuantity::hardware: return c.hardware;
    case StudyQuantity::financing_cost: return c.financing_cost;
    case StudyQuantity::running_costs: return c.running_costs;
    case StudyQuantity::lease_revenue: return c.lease_revenue;
    case StudyQuantity::vat_refund: return c.vat_refund;
    case StudyQuantity::residual_value: return c.residual_value;
    case StudyQuantity::total_cost: return c.total_cost;
    case StudyQuantity::total_income: return c.total_income;
    case StudyQuantity::pre_tax_profit: return c.pre_tax_profit;
    case StudyQuantity::after_tax_profit_a_year: return c.after_tax_profit_a_year;
    case StudyQuantity::net_margin: return c.net_margin;
  }
  return std::nullopt;
}

// ---- the model changes -------------------------------------------------------------------------

deal::Deal with_input(deal::Deal deal, StudyInput input, const deal::Decimal& value) {
  switch (input) {
    case StudyInput::contract_price: return solve::with_price_factor(std::move(deal), value);
    case StudyInput::utilisation: return solve::with_volume_factor(std::move(deal), value);
    case StudyInput::server_price: return solve::with_server_price_factor(std::move(deal), value);
    case StudyInput::debt_rate: return solve::with_debt_rate(std::move(deal), value);
    case StudyInput::income_tax_rate: return solve::with_income_tax_rate(std::move(deal), value);
    case StudyInput::vat_refund_as_income: return solve::with_vat_refund_booked_as_income(std::move(deal), value != 0);
    case StudyInput::power_price: {
      const deal::Decimal pue = deal.running_costs.electricity.pue;
      return solve::with_operator_paid_electricity(std::move(deal), value, pue);
    }
    case StudyInput::pue:
      // Who pays for power stays as it is: a PUE alone is no cost to the operator.
      deal.running_costs.electricity.pue = value;
      return deal;
    case StudyInput::colocation_rent: return solve::with_data_centre_rent_per_kw_month(std::move(deal), value);
  }
  return deal;
}

namespace {

std::string value_text(const io::Study& study, StudyInput input, double value) {
  using text::format;
  switch (input) {
    case StudyInput::contract_price:
    case StudyInput::utilisation:
    case StudyInput::server_price: return format("%.1f%%", value * 100);
    case StudyInput::debt_rate:
    case StudyInput::income_tax_rate: return format("%.2f%%", value * 100);
    case StudyInput::vat_refund_as_income: return value != 0 ? "true" : "false";
    case StudyInput::pue: return format("%.2f", value);
    case StudyInput::power_price: return format("%.3f ", value) + study.currency + "/kWh";
    case StudyInput::colocation_rent: return format("%.0f ", value) + study.currency + "/kW-month";
  }
  return format("%g", value);
}

}  // namespace

void price_left_out_costs(io::Study& study, StudyInput input, const deal::Decimal& value) {
  for (auto& cost : study.left_out)
    for (auto& setting : cost.settings)
      if (setting.input == input) setting.value = {value, value_text(study, input, num::to_double(value))};
}

// ---- the reproduction ------------------------------------------------------------------------

namespace {

bool is_range(const io::QuotedFigure& figure) { return figure.low && figure.high; }
double to_double(const deal::Decimal& value) { return num::to_double(value); }

// The band a corner must fall in to "give" a figure: a stated range, or within 5% of a point
// amount ("about", two significant figures), or within a point of a point margin.
std::pair<double, double> band(const io::QuotedFigure& figure) {
  if (is_range(figure)) return {to_double(*figure.low), to_double(*figure.high)};
  const double value = to_double(figure.value);
  if (io::info(figure.quantity).is_margin) return {value - 0.01, value + 0.01};
  return {value * 0.95, value * 1.05};
}

// The report's figure as written in tables: "12.5", "10-12", "3+", "8%", "8-10%".
std::string report_text(const io::Study& study, const io::QuotedFigure& figure) {
  const bool is_margin = io::info(figure.quantity).is_margin;
  const auto one = [&](const deal::Decimal& v) {
    return is_margin ? text::format("%.0f%%", to_double(v) * 100) : text::format("%.4g", to_double(v) / study.scale_divisor);
  };
  if (is_range(figure)) {
    std::string low = one(*figure.low);
    if (is_margin) low.pop_back();  // "8-10%", not "8%-10%"
    return low + "-" + one(*figure.high);
  }
  if (figure.low) return one(*figure.low) + "+";
  return one(figure.value);
}

// "total income about 12亿", "after-tax net profit 1-2亿 a year", "annualised margin 8-10%".
std::string check_name(const io::Study& study, const io::QuotedFigure& figure) {
  const auto& quantity = io::info(figure.quantity);
  std::string name = figure.label.empty() ? std::string(quantity.noun) : figure.label;
  const std::string unit = quantity.is_margin ? "" : study.scale;
  io::QuotedFigure point = figure;
  point.low.reset();  // "about 3亿" for "3亿+": compared at its low end
  name += is_range(figure) ? " " + report_text(study, figure) + unit : " about " + report_text(study, point) + unit;
  return name + std::string(quantity.suffix);
}

}  // namespace

CaseReproduction reproduce_case(const io::Study& study, const io::StudyCase& study_case, const deal::Deal& deal) {
  if (deal.currency != study.currency)
    throw io::InputError(study_case.model_position, study_case.model_path,
                         "expected a model in " + study.currency + " (the study's currency), got one in " +
                             deal.currency,
                         "a model in " + study.currency, deal.currency);
  CaseReproduction r;
  r.name = study_case.name;
  r.model = study_case.model_as_written;
  r.deal_name = deal.name;
  r.income_tax_rate = to_double(deal.tax.income.rate);
  r.life_years = deal.horizon_months / 12;
  r.kw_per_server = to_double(deal.cluster.sku.kw_load);

  // The model as it is, in the exact ledger.
  const auto ledger = engine::project<num::Decimal>(deal);
  r.cash_basis = cash_basis_view(ledger, r.income_tax_rate);
  r.accrual = accrual_view(ledger);
  const auto metrics = engine::metrics(deal, ledger);
  r.project_irr_post_tax = metrics.project_irr_post_tax;
  r.equity_irr = metrics.equity_irr;

  // Line items: the case's own figure for a quantity, else a claim that states one value of it.
  for (const auto& quantity : io::study_quantities()) {
    LineItem item{quantity.quantity, std::string(quantity.label), std::nullopt,
                  quantity_value(quantity.quantity, r.cash_basis, r.accrual, false)};
    if (quantity.over_life) item.label += ", " + std::to_string(r.life_years) + " years";
    for (const auto& figure : study_case.figures)
      if (figure.quantity == quantity.quantity) item.report = figure;
    for (const auto& claim : study.claims)
      if (!item.report && claim.quantity == quantity.quantity && !claim.low && !claim.high) item.report = claim;
    r.line_items.push_back(std::move(item));
  }

  // A variant of the deal, projected in the fast mode, in both views.
  const auto views = [](const deal::Deal& variant) {
    const auto l = engine::project<double>(variant);
    return std::pair(cash_basis_view(l, to_double(variant.tax.income.rate)), accrual_view(l));
  };

  // Every combination of the open assumptions, the first varying slowest, each a re-run.
  const auto& open = study.open_assumptions;
  std::size_t combinations = open.empty() ? 0 : 1;
  for (const auto& assumption : open) combinations *= assumption.values.size();
  for (std::size_t index = 0; index < combinations; ++index) {
    Corner corner;
    corner.choice.resize(open.size());
    std::size_t rest = index;
    for (std::size_t k = open.size(); k-- > 0;) {
      corner.choice[k] = rest % open[k].values.size();
      rest /= open[k].values.size();
    }
    deal::Deal variant = deal;
    for (std::size_t k = 0; k < open.size(); ++k)
      variant = with_input(std::move(variant), open[k].input, open[k].values[corner.choice[k]].value);
    std::tie(corner.cash_basis, corner.accrual) = views(variant);
    r.corners.push_back(std::move(corner));
  }

  // The corners nearest each margin the claims name (a range names both its ends).
  std::vector<double> targets;
  for (const auto& claim : study.claims) {
    if (claim.quantity != StudyQuantity::net_margin) continue;
    for (const auto& value : is_range(claim) ? std::vector{*claim.low, *claim.high} : std::vector{claim.value})
      if (std::find(targets.begin(), targets.end(), to_double(value)) == targets.end())
        targets.push_back(to_double(value));
  }
  for (const double target : targets) {
    if (r.corners.empty()) break;
    std::size_t best = 0;
    double best_gap = INFINITY;
    for (std::size_t i = 0; i < r.corners.size(); ++i) {
      const auto margin = r.corners[i].cash_basis.net_margin;
      if (margin && std::abs(*margin - target) < best_gap) best = i, best_gap = std::abs(*margin - target);
    }
    r.nearest.push_back({target, best});
  }

  // The report's outcome figures against the corners, and all of them at once.
  if (!r.corners.empty()) {
    std::vector<std::size_t> consistent(r.corners.size());
    for (std::size_t i = 0; i < consistent.size(); ++i) consistent[i] = i;
    std::vector<const io::QuotedFigure*> figures;
    for (const auto& figure : study_case.figures) figures.push_back(&figure);
    for (const auto& claim : study.claims) figures.push_back(&claim);
    std::string aside;
    for (const io::QuotedFigure* figure : figures) {
      const auto& quantity = io::info(figure->quantity);
      if (!quantity.outcome) continue;
      if (!figure->in_joint_check) aside += (aside.empty() ? "" : ", ") + report_text(study, *figure);
      const auto [low, high] = band(*figure);
      for (const bool accrual : {false, true}) {
        if (accrual && !quantity.has_accrual) continue;
        FigureCheck check{check_name(study, *figure), accrual ? "accrual" : "cash basis", low, high, quantity.is_margin, {}};
        for (std::size_t i = 0; i < r.corners.size(); ++i) {
          const auto value = quantity_value(figure->quantity, r.corners[i].cash_basis, r.corners[i].accrual, accrual);
          if (value && *value >= low && *value <= high) check.corners.push_back(i);
        }
        if (!accrual && figure->in_joint_check) {
          std::erase_if(consistent, [&](std::size_t i) {
            return std::find(check.corners.begin(), check.corners.end(), i) == check.corners.end();
          });
        }
        r.checks.push_back(std::move(check));
      }
    }
    r.checks.push_back({"every figure above at one corner" + (aside.empty() ? "" : " (" + aside + " aside)"),
                        "cash basis", 0, 0, false, consistent});
  }

  // What the report leaves out, one left-out cost at a time.
  const auto omission = [&](std::string name, const deal::Deal& variant) {
    const auto [cash_basis, accrual] = views(variant);
    r.omissions.push_back({std::move(name), cash_basis, accrual});
  };
  // The deal with a left-out cost's settings, but for `solved` (a factor must apply to the model's
  // own value, not on top of the setting).
  const auto with_settings = [&](const io::LeftOutCost& cost, std::optional<StudyInput> solved = std::nullopt) {
    deal::Deal variant = deal;
    for (const auto& setting : cost.settings)
      if (setting.input != solved) variant = with_input(std::move(variant), setting.input, setting.value.value);
    return variant;
  };
  omission("as modelled", deal);
  for (const auto& cost : study.left_out) omission(cost.label, with_settings(cost));

  // What it would take: each open assumption, and each left-out cost's solved input, on its own.
  const auto& headline = study.claims.at(study.headline);
  const bool in_accrual = io::info(headline.quantity).has_accrual;
  const auto measure = [&](const deal::Deal& variant) {
    const auto [cash_basis, accrual] = views(variant);
    return quantity_value(headline.quantity, cash_basis, accrual, in_accrual);
  };
  const auto solve_for = [&](std::string name, const deal::Deal& base, StudyInput input,
                             const std::optional<io::SearchRange>& range, const std::vector<io::StudyValue>& values) {
    WhatItWouldTake row{std::move(name), input, range, {}, std::nullopt, {}};
    if (!range) {
      for (const auto& value : values) row.at_values.emplace_back(value.text, measure(with_input(base, input, value.value)));
    } else {
      row.solution = solve::input_for_target(
          base,
          [input](const deal::Deal& d, double x) { return with_input(d, input, num::from_double<deal::Decimal>(x)); },
          measure, to_double(headline.value), to_double(range->low), to_double(range->high));
      if (row.solution.value)
        row.lease_revenue = views(with_input(base, input, num::from_double<deal::Decimal>(*row.solution.value))).first.lease_revenue;
    }
    r.what_it_would_take.push_back(std::move(row));
  };
  for (const auto& assumption : open) solve_for(assumption.label, deal, assumption.input, assumption.search, assumption.values);
  for (const auto& cost : study.left_out)
    if (cost.solve)
      solve_for(std::string(io::info(cost.solve->input).noun) + " (" + cost.label + ")", with_settings(cost, cost.solve->input),
                cost.solve->input,
                cost.solve->range, {});
  return r;
}

namespace {

// A value of an open assumption at a corner, as shown: a contract_price read as lease revenue
// shows the revenue the corner earns; every other value as the study writes it.
std::string corner_value(const io::Study& study, const io::OpenAssumption& assumption, const Corner& corner,
                         std::size_t k, bool with_unit) {
  if (assumption.input == StudyInput::contract_price && assumption.relative_to)
    return text::format("%.2f", corner.cash_basis.lease_revenue / study.scale_divisor) + (with_unit ? study.scale : "");
  return assumption.values[corner.choice[k]].text;
}

}  // namespace

std::string corner_label(const io::Study& study, const CaseReproduction& r, std::size_t i) {
  std::string label;
  for (std::size_t k = 0; k < study.open_assumptions.size(); ++k) {
    const auto& assumption = study.open_assumptions[k];
    label += (k == 0 ? "" : ", ") + assumption.column + " " + corner_value(study, assumption, r.corners[i], k, true);
  }
  return label;
}

// ---- terminal table --------------------------------------------------------------------------

namespace {

using text::format;
using text::pad_left;
using text::pad_right;

std::string margin_text(const std::optional<double>& value) { return text::percent(value); }

std::string quote_text(const io::QuotedFigure& figure) { return figure.where + ": \"" + figure.quote + "\""; }

// The input at a solution: a contract price as the lease revenue it earns and the factor on the price.
std::string solved_text(const io::Study& study, const WhatItWouldTake& row) {
  if (row.input == StudyInput::contract_price && row.lease_revenue)
    return format("%.2f", *row.lease_revenue / study.scale_divisor) + study.scale + " of lease revenue (price x " +
           format("%.1f%%", *row.solution.value * 100) + ")";
  return value_text(study, row.input, *row.solution.value);
}

void write_case(std::ostream& out, const io::Study& study, const CaseReproduction& r) {
  const double scale = study.scale_divisor;
  const auto amount = [&](double value) {
    const std::string text = format("%.2f", value / scale);
    return text == "-0.00" ? std::string("0.00") : text;  // "-" is for no figure; a zero has no sign
  };
  const std::string unit = study.scale + " " + study.currency;
  out << "\n" << r.deal_name << "  (" << r.name << ": " << r.model << ")\n";

  out << "\n" << pad_right("Line items (" + unit + ")", 34) << pad_left("report", 10) << pad_left("engine", 10)
      << "   engine - report\n";
  for (const auto& item : r.line_items) {
    const bool is_margin = io::info(item.quantity).is_margin;
    const std::string engine = !item.engine ? "n/a" : is_margin ? margin_text(item.engine) : amount(*item.engine);
    std::string difference;
    if (item.report && item.engine) {
      const double report = to_double(item.report->value), value = *item.engine;
      if (is_margin) {
        difference = format("%+.1f points", (value - report) * 100);
      } else {
        difference = format("%+.2f", (value - report) / scale) + format(" (%+.1f%%)", (value / report - 1) * 100);
        if (is_range(*item.report) && value >= to_double(*item.report->low) && value <= to_double(*item.report->high))
          difference += ", inside the range";
      }
    }
    out << pad_right("  " + item.label, 34) << pad_left(item.report ? report_text(study, *item.report) : "-", 10)
        << pad_left(engine, 10) << "   " << difference << "\n";
  }
  out << "  Sources (" << study.source << "):\n";
  std::vector<std::string> quoted;
  for (const auto& item : r.line_items)
    if (item.report) quoted.push_back(quote_text(*item.report));
  for (const auto& claim : study.claims)
    if (std::find(quoted.begin(), quoted.end(), quote_text(claim)) == quoted.end()) quoted.push_back(quote_text(claim));
  for (const auto& quote : quoted) out << "    " << quote << "\n";

  const auto& c = r.cash_basis;
  const auto& a = r.accrual;
  out << "\n" << pad_right("Two views (" + unit + ")", 34) << pad_left("cash basis", 12) << pad_left("accrual", 12) << "\n";
  const auto row = [&](const std::string& name, const std::string& cash, const std::string& accrual) {
    out << pad_right("  " + name, 34) << pad_left(cash, 12) << pad_left(accrual, 12) << "\n";
  };
  row("Lease revenue", amount(c.lease_revenue), amount(a.lease_revenue));
  row("Pre-tax profit", amount(c.pre_tax_profit), amount(a.pre_tax_income));
  row("Income tax", amount(-c.income_tax), amount(a.income_tax));
  row("After-tax net profit", amount(c.after_tax_profit), amount(a.net_income));
  row("  a year", amount(c.after_tax_profit_a_year), amount(a.net_income_a_year));
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

  const auto& open = study.open_assumptions;
  if (!r.corners.empty()) {
    // Each assumption's column as wide as its heading or its widest value, plus two.
    std::vector<std::size_t> widths;
    for (std::size_t k = 0; k < open.size(); ++k) {
      std::size_t width = text::width(open[k].column);
      for (const auto& corner : r.corners) width = std::max(width, text::width(corner_value(study, open[k], corner, k, false)));
      widths.push_back(width + 2);
    }
    out << "\nNet margin across the assumptions the report leaves open (" << r.corners.size() << " corners)\n";
    std::string heading = "    ", units = "    ";
    for (std::size_t k = 0; k < open.size(); ++k) {
      heading += pad_left(open[k].column, widths[k]);
      units += pad_left(open[k].input == StudyInput::contract_price && open[k].relative_to ? study.scale : "", widths[k]);
    }
    // The figures of each corner: heading, view, width.
    const std::tuple<const char*, const char*, std::size_t> figures[] = {
        {"total income", "(cash)", 14}, {"pre-tax", "(cash)", 10}, {"after-tax/yr", "(cash)", 14},
        {"margin", "(cash)", 9}, {"margin", "(accrual)", 11}};
    for (const auto& [name, view, width] : figures) heading += pad_left(name, width), units += pad_left(view, width);
    out << heading << "\n" << units << "\n";
    for (std::size_t i = 0; i < r.corners.size(); ++i) {
      const auto& k = r.corners[i];
      std::string marks;
      for (const auto& nearest : r.nearest)
        if (nearest.corner == i) marks += (marks.empty() ? "  <- nearest " : " and ") + format("%g%%", nearest.target * 100);
      out << pad_left("#" + std::to_string(i + 1), 4);
      for (std::size_t a = 0; a < open.size(); ++a) out << pad_left(corner_value(study, open[a], k, a, false), widths[a]);
      out << pad_left(amount(k.cash_basis.total_income), 14) << pad_left(amount(k.cash_basis.pre_tax_profit), 10)
          << pad_left(amount(k.cash_basis.after_tax_profit_a_year), 14) << pad_left(margin_text(k.cash_basis.net_margin), 9)
          << pad_left(margin_text(k.accrual.net_margin), 11) << marks << "\n";
    }
    for (const auto& assumption : open)
      if (!assumption.note.empty()) out << "  " << assumption.column << ": " << assumption.note << "\n";
    for (const auto& nearest : r.nearest) {
      const auto& corner = r.corners[nearest.corner];
      out << "  Nearest " << format("%g%%", nearest.target * 100) << ": #" << nearest.corner + 1 << " ("
          << corner_label(study, r, nearest.corner) << "): " << margin_text(corner.cash_basis.net_margin)
          << " cash basis, " << margin_text(corner.accrual.net_margin) << " accrual";
      if (corner.cash_basis.net_margin && std::abs(*corner.cash_basis.net_margin - nearest.target) > 0.01)
        out << "; no corner is within a point of it";
      out << "\n";
    }

    out << "\nThe report's figures against the corners (within 5% of an amount, 1 point of a margin, or in a range)\n";
    for (const auto& check : r.checks) {
      std::string list = "NO corner gives it";
      if (!check.corners.empty()) {
        list = std::to_string(check.corners.size()) + " of " + std::to_string(r.corners.size()) + ":";
        for (std::size_t i : check.corners) list += (i == check.corners.front() ? " #" : ", #") + std::to_string(i + 1);
      }
      out << pad_right("  " + check.figure + " (" + check.view + ")", 66) << list << "\n";
    }
  }

  if (r.omissions.size() > 1) {
    std::size_t name_width = 44;
    for (const auto& o : r.omissions) name_width = std::max(name_width, text::width(o.name) + 4);
    out << "\nWhat the report leaves out (the model as it is, one change at a time)\n"
        << pad_right("", name_width) << "  margin    change   margin    change\n"
        << pad_right("", name_width) << "  (cash)            (accrual)\n";
    const auto& base = r.omissions.front();
    const auto change = [](const std::optional<double>& now, const std::optional<double>& before) {
      return now && before ? format("%+.1f pts", (*now - *before) * 100) : std::string("n/a");
    };
    for (const auto& o : r.omissions) {
      const bool first = &o == &base;
      out << pad_right("  " + o.name, name_width) << pad_left(margin_text(o.cash_basis.net_margin), 8)
          << pad_left(first ? "" : change(o.cash_basis.net_margin, base.cash_basis.net_margin), 10)
          << pad_left(margin_text(o.accrual.net_margin), 9)
          << (first ? "" : pad_left(change(o.accrual.net_margin, base.accrual.net_margin), 10)) << "\n";
    }
    // How each input the left-out costs set is priced.
    std::vector<StudyInput> described;
    for (const auto& cost : study.left_out) {
      for (const auto& setting : cost.settings) {
        if (std::find(described.begin(), described.end(), setting.input) != described.end()) continue;
        described.push_back(setting.input);
        const std::string value = value_text(study, setting.input, to_double(setting.value.value));
        switch (setting.input) {
          case StudyInput::power_price:
            out << "  Electricity paid by the operator at " << format("%g ", to_double(setting.value.value))
                << study.currency << "/kWh, on " << format("%g", r.kw_per_server)
                << " kW a server (the catalogue's full load).\n";
            break;
          case StudyInput::pue: out << "  PUE " << format("%g", to_double(setting.value.value)) << ": facility power over IT power.\n"; break;
          case StudyInput::colocation_rent:
            out << "  Data-centre rent paid by the operator at " << format("%g ", to_double(setting.value.value))
                << study.currency << " per kW-month of IT load.\n";
            break;
          case StudyInput::utilisation: out << "  Utilisation: the billed share of the servers.\n"; break;
          default: out << "  " << io::info(setting.input).noun << ": " << value << ".\n"; break;
        }
      }
    }
    for (const auto& cost : study.left_out)
      if (!cost.note.empty()) out << "  " << cost.label << ": " << cost.note << "\n";
  }

  if (!r.what_it_would_take.empty()) {
    const auto& headline = study.claims.at(study.headline);
    const auto headline_text = [&](const std::optional<double>& value) {
      if (!value) return std::string("n/a");
      return io::info(headline.quantity).is_margin ? margin_text(value) : amount(*value) + study.scale;
    };
    std::size_t name_width = 30;
    for (const auto& row : r.what_it_would_take) name_width = std::max(name_width, text::width(row.name) + 4);
    out << "\nWhat it would take to meet the headline (" << check_name(study, headline) << ", "
        << (io::info(headline.quantity).has_accrual ? "accrual" : "cash basis") << "), one input at a time\n";
    for (const auto& row : r.what_it_would_take) {
      out << pad_right("  " + row.name, name_width);
      if (!row.range) {
        out << "yes or no:";
        for (const auto& [value, measured] : row.at_values)
          out << (&value == &row.at_values.front().first ? " " : ", ") << headline_text(measured) << " " << value;
        out << "\n";
      } else if (row.solution.value) {
        out << solved_text(study, row) << "  (gives " << headline_text(row.solution.measured) << ")\n";
      } else {
        out << "not reachable between " << row.range->low_text << " and " << row.range->high_text;
        if (row.solution.lowest)
          out << " (" << headline_text(row.solution.lowest) << " to " << headline_text(row.solution.highest) << ")";
        out << "\n";
      }
    }
  }
}

}  // namespace

void write_table(std::ostream& out, const Reproduction& reproduction) {
  const auto& study = reproduction.study;
  out << "Reproducing " << study.title << "\n"
      << "Report figures are quoted from the study (" << study.file << "); engine figures come from\n"
      << "projecting its models. Amounts in " << study.scale << " " << study.currency
      << ". Net margin = after-tax net profit / lease revenue.\n";
  for (const auto& c : reproduction.cases) write_case(out, study, c);
  out << "\nMethod and the study format: docs/reproduce.md. Price the left-out costs with --tariff, --pue and\n"
         "--colocation.\n";
}

// ---- JSON ------------------------------------------------------------------------------------

namespace {

using nlohmann::json;

json optional_json(const std::optional<double>& value) { return value ? json(*value) : json(nullptr); }
json optional_json(const std::optional<deal::Decimal>& value) { return value ? json(to_double(*value)) : json(nullptr); }

json figure_json(const io::QuotedFigure& f) {
  return {{"quantity", io::info(f.quantity).key}, {"label", f.label}, {"value", to_double(f.value)},
          {"low", optional_json(f.low)}, {"high", optional_json(f.high)}, {"where", f.where}, {"quote", f.quote},
          {"joint_check", f.in_joint_check}};
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

json range_json(const std::optional<io::SearchRange>& range) {
  if (!range) return nullptr;
  return {{"from", to_double(range->low)}, {"to", to_double(range->high)}};
}

json case_json(const io::Study& study, const CaseReproduction& r) {
  json items = json::array();
  for (const auto& item : r.line_items) {
    const bool is_margin = io::info(item.quantity).is_margin;
    json row = {{"quantity", io::info(item.quantity).key}, {"label", item.label}, {"is_margin", is_margin},
                {"engine", optional_json(item.engine)},
                {"report", item.report ? figure_json(*item.report) : json(nullptr)}};
    if (item.report && item.engine) {
      const double report = to_double(item.report->value);
      row["difference"] = *item.engine - report;
      row["difference_share"] = is_margin ? json(nullptr) : json(*item.engine / report - 1);
    }
    items.push_back(row);
  }
  json corners = json::array();
  for (const auto& k : r.corners) {
    json inputs = json::object();
    for (std::size_t a = 0; a < study.open_assumptions.size(); ++a) {
      const auto& assumption = study.open_assumptions[a];
      const auto& value = assumption.values[k.choice[a]];
      inputs[std::string(io::info(assumption.input).key)] =
          assumption.input == StudyInput::vat_refund_as_income ? json(value.value != 0) : json(to_double(value.value));
    }
    corners.push_back({{"inputs", inputs}, {"cash_basis", cash_json(k.cash_basis)}, {"accrual", accrual_json(k.accrual)}});
  }
  json nearest = json::array();
  for (const auto& n : r.nearest) nearest.push_back({{"target", n.target}, {"corner", n.corner}});
  json checks = json::array();
  for (const auto& c : r.checks)
    checks.push_back({{"figure", c.figure}, {"view", c.view}, {"low", c.low}, {"high", c.high},
                      {"is_margin", c.is_margin}, {"corners", c.corners}});
  json omissions = json::array();
  for (const auto& o : r.omissions)
    omissions.push_back({{"name", o.name}, {"cash_basis", cash_json(o.cash_basis)}, {"accrual", accrual_json(o.accrual)}});
  json would_take = json::array();
  for (const auto& w : r.what_it_would_take) {
    json at_values = json::array();
    for (const auto& [value, measured] : w.at_values) at_values.push_back({{"value", value}, {"measured", optional_json(measured)}});
    would_take.push_back({{"name", w.name}, {"input", io::info(w.input).key}, {"search", range_json(w.range)},
                          {"value", optional_json(w.solution.value)}, {"measured", optional_json(w.solution.measured)},
                          {"lowest", optional_json(w.solution.lowest)}, {"highest", optional_json(w.solution.highest)},
                          {"lease_revenue", optional_json(w.lease_revenue)}, {"at_values", at_values}});
  }
  return {{"case", r.name},
          {"model", r.model},
          {"deal", r.deal_name},
          {"income_tax_rate", r.income_tax_rate},
          {"line_items", items},
          {"cash_basis", cash_json(r.cash_basis)},
          {"accrual", accrual_json(r.accrual)},
          {"project_irr_post_tax", optional_json(r.project_irr_post_tax.rate)},
          {"equity_irr", optional_json(r.equity_irr.rate)},
          {"corners", corners},
          {"nearest", nearest},
          {"checks", checks},
          {"kw_per_server", r.kw_per_server},
          {"omissions", omissions},
          {"what_it_would_take", would_take}};
}

}  // namespace

void write_json(std::ostream& out, const Reproduction& reproduction) {
  const auto& study = reproduction.study;
  json claims = json::array();
  for (const auto& claim : study.claims) claims.push_back(figure_json(claim));
  json open = json::array();
  for (const auto& a : study.open_assumptions) {
    json values = json::array();
    for (const auto& v : a.values)
      values.push_back(a.input == StudyInput::vat_refund_as_income ? json(v.value != 0) : json(to_double(v.value)));
    open.push_back({{"label", a.label}, {"input", io::info(a.input).key}, {"values", values},
                    {"relative_to", optional_json(a.relative_to)}, {"search", range_json(a.search)}});
  }
  json left_out = json::array();
  for (const auto& cost : study.left_out) {
    json settings = json::object();
    for (const auto& s : cost.settings) settings[std::string(io::info(s.input).key)] = to_double(s.value.value);
    left_out.push_back({{"label", cost.label}, {"set", settings},
                        {"solve", cost.solve ? json{{"input", io::info(cost.solve->input).key},
                                                    {"from", to_double(cost.solve->range.low)},
                                                    {"to", to_double(cost.solve->range.high)}}
                                             : json(nullptr)}});
  }
  json cases = json::array();
  for (const auto& c : reproduction.cases) cases.push_back(case_json(study, c));
  json document = {
      {"schema", "leasecalc.reproduce/2"},
      {"study", study.name},
      {"title", study.title},
      {"source", study.source},
      {"currency", study.currency},
      {"net_margin", "after-tax net profit / lease revenue"},
      {"claims", claims},
      {"headline", study.headline},
      {"open_assumptions", open},
      {"left_out", left_out},
      {"cases", cases},
      {"warnings", warnings_json(reproduction.warnings)},
  };
  out << document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

}  // namespace leasecalc::report
