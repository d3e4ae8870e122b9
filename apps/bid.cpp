// leasecalc bid MODEL.yaml --target METRIC VALUE: the lowest price of one take-or-pay contract that
// earns a target, over a grid of terms, prepayment shares and credit classes.
#include "command_line.hpp"

#include <leasecalc/io/load_deal.hpp>
#include <leasecalc/report/bid.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace leasecalc::app {

namespace {

constexpr const char* bid_usage =
    "usage: leasecalc bid MODEL.yaml --target METRIC VALUE [--terms 36,48,60] [--prepayment 0%,15%,25%]\n"
    "                     [--credit investment_grade,sub_investment_grade] [--contract NAME]\n"
    "                     [--format table|csv|json] [--scale 亿|万|bn|M|k|1] [--fast] [--quiet]\n"
    "\n"
    "The lowest price of one take-or-pay contract (per GPU-hour and per server-month) that earns the\n"
    "target, for each term, prepayment share and credit class, and the deal's returns at that price. Only the bid\n"
    "contract's price moves: the re-lease after its term, the other contracts and the market price path\n"
    "stay where the model puts them (docs/bid.md).\n"
    "\n"
    "  --target      equity-irr 15%, project-irr 12% (post-tax), project-irr-pre-tax 14%,\n"
    "                minimum-dscr 1.30x, or net-margin 15% (net income over lease revenue, life)\n"
    "  --terms       contract terms in months, comma-separated (default: the model's); the horizon stays\n"
    "  --prepayment  prepayment shares of the contract's value, comma-separated (default: the model's)\n"
    "  --credit      the customer's credit classes, comma-separated: investment_grade, sub_investment_grade,\n"
    "                unrated (default: the model's); each re-prices the debt on its margin grid\n"
    "  --contract    the take-or-pay contract bid (default: the model's first)\n"
    "  --format      table (default), csv or json\n"
    "  --scale       amounts divided by 亿, 万, bn, M, k or 1 (default: by the deal's size)\n"
    "  --fast        figures at the price in double arithmetic instead of the exact decimal ledger\n"
    "  --quiet       no progress line over the grid (shown on standard error only when it is a terminal)\n"
    "\n"
    "Exit code 1 when no point of the grid has a price.\n";

// The words of a comma-separated list, none empty.
std::vector<std::string_view> list_items(CommandLine& line, std::string_view expected) {
  const std::string_view text = line.value(expected);
  std::vector<std::string_view> items;
  std::size_t from = 0;
  while (true) {
    const std::size_t comma = text.find(',', from);
    const std::string_view item = text.substr(from, comma == std::string_view::npos ? text.npos : comma - from);
    if (item.empty())
      throw UsageError(std::string(line.arg()) + " expects " + std::string(expected) + ", got '" + std::string(text) + "'");
    items.push_back(item);
    if (comma == std::string_view::npos) return items;
    from = comma + 1;
  }
}

std::vector<int> terms_option(CommandLine& line) {
  constexpr std::string_view expected = "whole months from 1 to 360, comma-separated, such as 36,48,60";
  std::vector<int> terms;
  for (const auto item : list_items(line, expected)) {
    std::optional<int> months;
    try {
      months = io::parse_count(item);
    } catch (const io::ParseError&) {
    }
    if (!months || *months < 1 || *months > 360)
      throw UsageError("--terms expects " + std::string(expected) + ", got '" + std::string(item) + "'");
    terms.push_back(*months);
  }
  return terms;
}

std::vector<num::Decimal> prepayment_option(CommandLine& line) {
  constexpr std::string_view expected = "shares from 0% to below 100%, comma-separated, such as 0%,15%,25%";
  std::vector<num::Decimal> shares;
  for (const auto item : list_items(line, expected)) {
    std::optional<num::Decimal> share;
    try {
      share = io::parse_percent(item);
    } catch (const io::ParseError&) {
    }
    if (!share || *share < 0 || *share >= 1)
      throw UsageError("--prepayment expects " + std::string(expected) + ", got '" + std::string(item) + "'");
    shares.push_back(*share);
  }
  return shares;
}

std::vector<deal::CreditClass> credit_option(CommandLine& line) {
  constexpr std::string_view expected =
      "credit classes (investment_grade, sub_investment_grade, unrated), comma-separated";
  std::vector<deal::CreditClass> classes;
  for (const auto item : list_items(line, expected)) {
    const auto named = std::ranges::find(deal::credit_class_names, item, [](const auto& entry) { return entry.first; });
    if (named == deal::credit_class_names.end())
      throw UsageError("--credit expects " + std::string(expected) + ", got '" + std::string(item) + "'");
    classes.push_back(named->second);
  }
  return classes;
}

// --target METRIC VALUE: a rate ("15%") for the IRRs and the margin, a multiple ("1.30x") for DSCR.
solve::BidTarget target_option(CommandLine& line) {
  const std::string_view name = line.value("a metric (" + std::string(report::bid_metric_names) + ") and a value");
  const auto metric = solve::parse_bid_metric(name);
  if (!metric)
    throw UsageError("--target expects " + std::string(report::bid_metric_names) + ", got '" + std::string(name) + "'");
  const std::string expected(report::bid_target_value_expected(*metric));
  const std::string_view text = line.value(expected + " after " + std::string(name));
  if (const auto value = report::parse_bid_target_value(*metric, text)) return {*metric, *value};
  throw UsageError("--target " + std::string(name) + " expects " + expected + ", got '" + std::string(text) + "'");
}

}  // namespace

int bid(Args args) {
  return run_command("bid", bid_usage, args, [&] {
    std::optional<std::string> model;
    std::string format = "table";
    std::optional<report::Scale> scale;
    bool fast = false, quiet = false;
    std::optional<solve::BidTarget> target;
    solve::BidRequest request;
    std::optional<std::string> xlsx;
    for (CommandLine line(args); line.next();) {
      if (line.is("--target")) target = target_option(line);
      else if (line.is("--terms")) request.term_months = terms_option(line);
      else if (line.is("--prepayment")) request.prepayment_shares = prepayment_option(line);
      else if (line.is("--contract")) request.contract = std::string(line.value("a contract's name"));
      else if (line.is("--credit")) request.credit_classes = credit_option(line);
      else if (line.is("--format")) format = format_option(line);
      else if (line.is("--scale")) scale = scale_option(line);
      else if (line.is("--fast")) fast = true;
      else if (line.is("--xlsx")) xlsx = xlsx_option(line);
      else if (line.is("--quiet")) quiet = true;
      else if (line.is_option()) line.unknown();
      else model_argument(line, model);
    }
    const std::string path = required_model(model, "bid");
    if (!target) throw UsageError("which target? e.g. --target equity-irr 15%");
    request.target = *target;
    const io::LoadedDeal loaded = load_model(path);
    const deal::Deal& deal = loaded.deal;
    TerminalProgress progress(quiet, "bid", "grid points");
    const report::BidReport result{fast ? solve::bid<double>(deal, request, progress.callback())
                                        : solve::bid<num::Decimal>(deal, request, progress.callback()),
                                   loaded.warnings};
    progress.finish();
    write_report(format, result, scale.value_or(report::default_scale(deal)));
    if (xlsx) report::write_xlsx(*xlsx, report::make_run_workbook<num::Decimal>(loaded), result);
    return result.bid.none_priced() ? 1 : 0;
  });
}

}  // namespace leasecalc::app
