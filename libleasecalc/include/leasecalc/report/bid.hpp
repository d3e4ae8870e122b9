#pragma once
// What `leasecalc bid` shows: for each term and prepayment share of the grid, the lowest price of
// the contract that earns the target, and the deal's returns at that price; as a terminal table,
// CSV or JSON (docs/bid.md).

#include "leasecalc/io/warning.hpp"
#include "leasecalc/solve/bid.hpp"

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

namespace leasecalc::report {

struct Scale;

// ---- the target as a person writes it -----------------------------------------------------
// One reading for `leasecalc bid --target METRIC VALUE` and the service's {"metric", "value"}.

// The metric names a target takes, for messages.
inline constexpr std::string_view bid_metric_names = "equity-irr, project-irr, project-irr-pre-tax, minimum-dscr or net-margin";
// What a target's value on `metric` must be: "a multiple above 0, such as 1.30x", or a rate or share.
std::string_view bid_target_value_expected(solve::BidMetric metric);
// The value of a target on `metric`: a multiple above 0 and below 1000 ("1.30x" or "1.30") for the
// DSCR; a percentage above -100% and below 100% for the net margin, below 10,000% for the IRRs.
// None when the text is not one.
std::optional<double> parse_bid_target_value(solve::BidMetric metric, std::string_view text);

// The solved grid, as the writers take it.
struct BidReport {
  solve::Bid bid;
  std::vector<io::Warning> warnings;  // about the model: JSON `warnings` (docs/json-output.md)
};

// A price per GPU-hour's key and per unit-month's key in CSV and JSON: "price_per_gpu_hour" and
// "price_per_server_month" (or "price_per_rack_month" for a rack SKU).
std::string unit_month_price_key(const solve::Bid& bid);

// The table shows amounts at `scale` (equity invested); prices are per unit, never scaled.
void write_table(std::ostream& out, const BidReport& report, const Scale& scale);
void write_csv(std::ostream& out, const BidReport& report);
void write_json(std::ostream& out, const BidReport& report);

}  // namespace leasecalc::report
