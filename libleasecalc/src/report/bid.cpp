#include "leasecalc/report/bid.hpp"

#include "leasecalc/io/units.hpp"
#include "leasecalc/report/run_report.hpp"
#include "text.hpp"
#include "warnings_json.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <ostream>
#include <vector>

namespace leasecalc::report {

std::string_view bid_target_value_expected(solve::BidMetric metric) {
  if (solve::is_multiple(metric)) return "a multiple above 0, such as 1.30x";
  if (metric == solve::BidMetric::net_margin) return "a share above -100% and below 100%, such as 15%";
  return "an annual rate above -100%, such as 15%";
}

std::optional<double> parse_bid_target_value(solve::BidMetric metric, std::string_view text) {
  try {
    if (solve::is_multiple(metric)) {
      const std::string_view number = text.ends_with('x') ? text.substr(0, text.size() - 1) : text;
      const double value = num::to_double(io::parse_number(number));
      if (value > 0 && value < 1000) return value;
    } else {
      const double value = num::to_double(io::parse_percent(text));
      if (value > -1 && value < (metric == solve::BidMetric::net_margin ? 1 : 100)) return value;
    }
  } catch (const io::ParseError&) {
  }
  return std::nullopt;
}

namespace {

using nlohmann::json;
using solve::Bid;
using solve::BidPoint;
using solve::BidStatus;
using text::format;

std::string_view status_key(BidStatus status) {
  switch (status) {
    case BidStatus::unreachable: return "unreachable";
    case BidStatus::equity_too_small: return "equity_too_small";
    case BidStatus::priced: break;
  }
  return "priced";
}

double gpu_hour(const Bid& bid, double unit_month_price) {
  return unit_month_price / (bid.gpus_per_unit * num::to_double(deal::hours_per_month));
}

std::string target_text(const solve::BidTarget& target) {
  return std::string(solve::names_of(target.metric).name) + " " +
         (solve::is_multiple(target.metric) ? format("%.2fx", target.value) : format("%.2f%%", target.value * 100));
}

std::string rate_cell(const std::optional<double>& rate) { return rate ? format("%.2f%%", *rate * 100) : "n/a"; }

// A price with thousands separators and two decimals: 12,264.00.
std::string grouped(double value) {
  std::string digits = format("%.2f", std::abs(value));
  for (int i = static_cast<int>(digits.find('.')) - 3; i > 0; i -= 3) digits.insert(static_cast<std::size_t>(i), ",");
  return (value < 0 ? "-" : "") + digits;
}

// The point's note, and why an IRR at its price is missing or not the only one.
std::string full_note(const BidPoint& p) {
  std::string note = p.note;
  const std::pair<const char*, const engine::AnnualIrr*> irrs[] = {
      {"equity IRR", &p.equity_irr}, {"post-tax project IRR", &p.project_irr_post_tax}, {"pre-tax project IRR", &p.project_irr_pre_tax}};
  for (const auto& [name, irr] : irrs)
    if (!irr->note.empty() && note.find(irr->note) == std::string::npos)
      note += (note.empty() ? "" : "; ") + std::string(name) + ": " + irr->note;
  return note;
}

// Each floating tranche's margin: "Senior 6.25%; Junior 13.00%" (the name left out when one).
std::string margins_text(const BidPoint& p) {
  std::string text;
  for (const auto& [tranche, margin] : p.debt_margins)
    text += (text.empty() ? "" : "; ") + (p.debt_margins.size() > 1 ? tranche + " " : std::string()) +
            format("%.2f%%", margin * 100);
  return text;
}

// The point's axes for its note: "48 months, 15.0% prepaid" and the credit class when it varies.
std::string point_label(const Bid& bid, const BidPoint& p) {
  std::string label = std::to_string(p.term_months) + " months, " + format("%.1f%%", p.prepayment_share * 100) + " prepaid";
  if (bid.credit_axis) label += ", " + p.credit_class;
  return label;
}

json optional_json(const std::optional<double>& value) { return value ? json(*value) : json(nullptr); }

// The debt sized at the price: its amount, and each sized tranche's binding constraint.
double debt_sized(const BidPoint& p) {
  double total = 0;
  for (const auto& tranche : p.debt_sizing) total += tranche.size;
  return total;
}
std::string binding_text(const BidPoint& p) {
  std::string text;
  for (const auto& tranche : p.debt_sizing)
    text += (text.empty() ? "" : "; ") + (p.debt_sizing.size() > 1 ? tranche.tranche + ": " : "") + tranche.binding;
  return text;
}

json irr_json(const engine::AnnualIrr& irr) { return {{"rate", optional_json(irr.rate)}, {"note", irr.note}}; }

}  // namespace

std::string unit_month_price_key(const Bid& bid) {
  std::string key = "price_per_" + bid.unit_month;
  std::replace(key.begin(), key.end(), '-', '_');
  return key;
}

void write_table(std::ostream& out, const BidReport& report, const Scale& scale) {
  const Bid& bid = report.bid;
  out << bid.deal_name << "\n"
      << "Bid on '" << bid.contract << "': the lowest price that earns " << target_text(bid.target)
      << (bid.exact ? " (figures at the price from the exact decimal ledger)" : " (figures in the fast double mode)")
      << "\n"
      << "  Model: " << format("%.4f", gpu_hour(bid, bid.model_unit_month_price)) << " " << bid.currency
      << " per GPU-hour (" << grouped(bid.model_unit_month_price) << " per " << bid.unit_month << "), "
      << bid.model_term_months << " months, prepayment " << format("%.1f%%", bid.model_prepayment_share * 100)
      << (bid.credit_axis ? ", credit " + bid.model_credit_class : std::string()) << "\n"
      << "  After the term: " << bid.re_lease << "\n\n";

  const bool sized = std::ranges::any_of(bid.points, [](const BidPoint& p) { return !p.debt_sizing.empty(); });
  std::vector<std::string> headers = {"Term", "Prepaid"};
  if (bid.credit_axis) headers.insert(headers.end(), {"Credit", "Margin"});
  headers.insert(headers.end(), {bid.currency + "/GPU-hour",
                                            bid.currency + "/" + bid.unit_month,
                                            "Equity IRR",
                                            "Project IRR",
                                            "pre-tax",
                                            "Min DSCR",
                                            "Net margin",
                                 "Equity " + (scale.label.empty() ? "" : scale.label + " ") + bid.currency});
  if (sized) {
    headers.push_back("Debt " + (scale.label.empty() ? "" : scale.label + " ") + bid.currency);
    headers.push_back("Sizing binds");
  }
  std::vector<std::vector<std::string>> rows;
  for (const BidPoint& p : bid.points) {
    std::vector<std::string> row = {std::to_string(p.term_months) + " mo", format("%.1f%%", p.prepayment_share * 100)};
    if (bid.credit_axis) row.insert(row.end(), {p.credit_class, p.debt_margins.empty() ? "-" : margins_text(p)});
    if (p.unit_month_price) {
      row.push_back(format("%.4f", *p.gpu_hour_price));
      row.push_back(grouped(*p.unit_month_price));
      row.push_back(rate_cell(p.equity_irr.rate));
      row.push_back(rate_cell(p.project_irr_post_tax.rate));
      row.push_back(rate_cell(p.project_irr_pre_tax.rate));
      row.push_back(p.minimum_dscr ? format("%.2fx", *p.minimum_dscr) : "n/a");
      row.push_back(rate_cell(p.net_margin));
      row.push_back(format("%.2f", p.equity_invested / scale.divisor));
      if (sized) {
        row.push_back(p.debt_sizing.empty() ? "-" : format("%.2f", debt_sized(p) / scale.divisor));
        row.push_back(p.debt_sizing.empty() ? "-" : binding_text(p));
      }
    } else {
      row.push_back(p.status == BidStatus::unreachable ? "none" : "n/a");
      for (std::size_t i = row.size(); i < headers.size(); ++i) row.push_back("-");
    }
    rows.push_back(std::move(row));
  }
  std::vector<std::size_t> widths(headers.size());
  for (std::size_t c = 0; c < headers.size(); ++c) {
    widths[c] = text::width(headers[c]);
    for (const auto& row : rows) widths[c] = std::max(widths[c], text::width(row[c]));
  }
  const auto line = [&](const std::vector<std::string>& cells) {
    for (std::size_t c = 0; c < cells.size(); ++c) out << "  " << text::pad_left(cells[c], widths[c]);
    out << "\n";
  };
  line(headers);
  for (const auto& row : rows) line(row);

  bool any_note = false;
  for (const BidPoint& p : bid.points) {
    const std::string note = full_note(p);
    if (note.empty()) continue;
    if (!any_note) out << "\nNotes:\n";
    any_note = true;
    out << "  " << point_label(bid, p) << ": " << note << "\n";
  }
}

void write_csv(std::ostream& out, const BidReport& report) {
  const Bid& bid = report.bid;
  using text::csv_field;
  using text::csv_number;
  const std::string unit_key = unit_month_price_key(bid);
  out << "contract,target_metric,target,term_months,prepayment_share,status,price_per_gpu_hour," << unit_key
      << ",achieved,equity_irr,project_irr_post_tax,project_irr_pre_tax,minimum_dscr,net_margin,equity_invested,equity_upfront,capex,"
         "best_reachable,best_reachable_"
      << unit_key << ",credit_class,debt_margins,debt_sized,sizing_binds,note\n";
  for (const BidPoint& p : bid.points) {
    const std::string note = full_note(p);
    const bool priced = p.status != BidStatus::unreachable;  // the deal was projected at the price found
    out << csv_field(bid.contract) << "," << solve::names_of(bid.target.metric).key << ","
        << csv_number(bid.target.value) << "," << p.term_months << "," << csv_number(p.prepayment_share) << ","
        << status_key(p.status) << "," << csv_number(p.gpu_hour_price) << "," << csv_number(p.unit_month_price) << ","
        << csv_number(p.achieved) << "," << csv_number(p.equity_irr.rate) << ","
        << csv_number(p.project_irr_post_tax.rate) << "," << csv_number(p.project_irr_pre_tax.rate) << ","
        << csv_number(p.minimum_dscr) << "," << csv_number(p.net_margin) << ","
        << csv_number(priced ? std::optional(p.equity_invested) : std::nullopt) << ","
        << csv_number(priced ? std::optional(p.equity_upfront) : std::nullopt) << ","
        << csv_number(priced ? std::optional(p.capex) : std::nullopt) << "," << csv_number(p.best_reachable) << ","
        << csv_number(p.best_reachable_unit_month_price) << "," << csv_field(p.credit_class) << ","
        << csv_field(margins_text(p)) << ","
        << csv_number(p.debt_sizing.empty() ? std::nullopt : std::optional(debt_sized(p))) << ","
        << csv_field(binding_text(p)) << "," << csv_field(note) << "\n";
  }
}

void write_json(std::ostream& out, const BidReport& report) {
  const Bid& bid = report.bid;
  const std::string unit_key = unit_month_price_key(bid);
  json points = json::array();
  for (const BidPoint& p : bid.points) {
    const bool priced = p.status != BidStatus::unreachable;  // the deal was projected at the price found
    json margins = json::array();
    for (const auto& [tranche, margin] : p.debt_margins) margins.push_back({{"tranche", tranche}, {"margin", margin}});
    json point = {{"term_months", p.term_months},
                  {"prepayment_share", p.prepayment_share},
                  {"status", status_key(p.status)},
                  {"price_per_gpu_hour", optional_json(p.gpu_hour_price)},
                  {unit_key, optional_json(p.unit_month_price)},
                  {"achieved", optional_json(p.achieved)},
                  {"equity_irr", irr_json(p.equity_irr)},
                  {"project_irr_post_tax", irr_json(p.project_irr_post_tax)},
                  {"project_irr_pre_tax", irr_json(p.project_irr_pre_tax)},
                  {"minimum_dscr", optional_json(p.minimum_dscr)},
                  {"net_margin", optional_json(p.net_margin)},
                  {"equity_invested", priced ? json(p.equity_invested) : json(nullptr)},
                  {"equity_upfront", priced ? json(p.equity_upfront) : json(nullptr)},
                  {"capex", priced ? json(p.capex) : json(nullptr)},
                  {"best_reachable", optional_json(p.best_reachable)},
                  {"best_reachable_" + unit_key, optional_json(p.best_reachable_unit_month_price)},
                  {"credit_class", p.credit_class},
                  {"debt_margins", margins},
                  {"note", p.note}};
    json sizing = json::array();
    for (const auto& tranche : p.debt_sizing)
      sizing.push_back({{"tranche", tranche.tranche}, {"size", tranche.size}, {"binding", tranche.binding}});
    point["debt_sizing"] = std::move(sizing);
    json jumps = json::array();
    for (const auto& jump : p.jumps)
      jumps.push_back({{"metric", solve::names_of(jump.metric).key},
                       {"below_" + unit_key, jump.price_below},
                       {"below", optional_json(jump.below)},
                       {"at", optional_json(jump.at)},
                       {"cause", jump.cause}});
    point["jumps"] = std::move(jumps);
    points.push_back(std::move(point));
  }
  const json document = {
      {"schema", "leasecalc.bid/1"},
      {"deal", {{"name", bid.deal_name}, {"currency", bid.currency}}},
      {"contract", bid.contract},
      {"target", {{"metric", solve::names_of(bid.target.metric).key}, {"value", bid.target.value}}},
      {"exact", bid.exact},
      {"model",
       {{"price_per_gpu_hour", gpu_hour(bid, bid.model_unit_month_price)},
        {unit_key, bid.model_unit_month_price},
        {"term_months", bid.model_term_months},
        {"prepayment_share", bid.model_prepayment_share},
        {"credit_class", bid.model_credit_class}}},
      {"after_term", bid.re_lease},
      {"bids", std::move(points)},
      {"warnings", warnings_json(report.warnings)},
  };
  out << document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

}  // namespace leasecalc::report
