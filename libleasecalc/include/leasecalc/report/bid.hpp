#pragma once
// What `leasecalc bid` shows: for each term and prepayment share of the grid, the lowest price of
// the contract that earns the target, and the deal's returns at that price; as a terminal table,
// CSV or JSON (docs/bid.md).

#include "leasecalc/io/warning.hpp"
#include "leasecalc/solve/bid.hpp"

#include <iosfwd>
#include <string>

namespace leasecalc::report {

struct Scale;

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
