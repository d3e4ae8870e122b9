#pragma once
// Bids: the lowest price of one take-or-pay contract that earns a target (an equity or project IRR,
// a minimum DSCR, a net margin), over a grid of the contract's terms, prepayment shares and credit
// classes (the customer's class re-prices the debt through its margin grid, and sets its expected
// credit loss).
//
// The bid moves only the contract being bid. What the fleet earns after it (a re-lease on demand
// or a follow-on contract, the on-demand contracts, the market price path) stays where the model
// puts it: a re-lease priced off the contract's own price is pinned at the model's price before
// the contract is re-priced (deal::ReLease::market_price). A shorter term keeps the model's
// horizon: the servers go to the re-lease the model states (or idle) when the term ends.
//
// Each projection is a whole projection of the re-priced deal, so anything in it that depends on
// the price (the prepayment; debt sized on the contracted cash flows, with its own fixed point on
// the tax) is re-evaluated inside it, and the root in price solves that circularity too. The solve runs in the fast (double)
// mode; the answer is then confirmed by one projection in the requested mode (exact by default),
// whose figures are the ones reported. Like every solver it is a loop around project() and owns no
// finance logic.

#include "leasecalc/deal/deal.hpp"
#include "leasecalc/engine/metrics.hpp"
#include "leasecalc/solve/progress.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leasecalc::solve {

// What a bid must earn.
enum class BidMetric { equity_irr, project_irr_post_tax, project_irr_pre_tax, minimum_dscr, net_margin };

struct BidMetricNames {
  std::string_view key;     // in CSV and JSON: "equity_irr"
  std::string_view option;  // on the command line: "equity-irr"
  std::string_view name;    // for readers: "equity IRR"
};

BidMetricNames names_of(BidMetric metric);
// "equity-irr", "project-irr" (post-tax), "project-irr-pre-tax", "minimum-dscr", "net-margin".
std::optional<BidMetric> parse_bid_metric(std::string_view option);
// Whether the metric is a multiple (DSCR) rather than a rate.
inline bool is_multiple(BidMetric metric) { return metric == BidMetric::minimum_dscr; }

struct BidTarget {
  BidMetric metric = BidMetric::equity_irr;
  double value = 0;  // an annual rate, a share, or a multiple (DSCR)
};

// The grid: each term with each prepayment share and each credit class; an empty axis is the
// model's own value.
struct BidRequest {
  std::optional<std::string> contract;  // by name; none: the model's first take-or-pay contract
  BidTarget target;
  std::vector<int> term_months;
  std::vector<deal::Decimal> prepayment_shares;
  std::vector<deal::CreditClass> credit_classes;
};

// Below this share of the cost, equity is too small for its IRR to mean anything: the prepayment
// and the debt fund (nearly) all of it, and what equity later pays in (shortfalls, once the
// prepayment has been distributed) and gets back decides a "return" on next to nothing.
inline constexpr double minimum_equity_share_of_capex = 0.05;

enum class BidStatus {
  priced,            // the lowest price earning the target
  unreachable,       // no price up to the search's ceiling earns it
  equity_too_small,  // the price is found, but equity is tiny or nil: the target (an equity IRR) is not met
};

// A tranche sized on the deal, as sized at the bid price.
struct BidDebtSizing {
  std::string tranche;
  double size = 0;
  std::string binding;  // the binding constraint's key (engine::sizing_constraints)
};

// One point of the grid.
// A floating tranche's margin at a grid point (from its grid, by the customer's class).
struct TrancheMargin {
  std::string tranche;
  double margin = 0;
};

// A metric that is not continuous in the price at the answer: a threshold in the model (a lock-up
// that stops binding, a sizing constraint that changes) is crossed between a cent below the price
// (per unit-month) and the price, so the metric leaps rather than crosses the target.
struct MetricJump {
  BidMetric metric = BidMetric::equity_irr;
  double price_below = 0;  // the price less a cent
  std::optional<double> below, at;
  std::string cause;  // "the lock-up at 1.35x stops binding (...)"
};

struct BidPoint {
  int term_months = 0;
  double prepayment_share = 0;
  std::string credit_class;               // the contract's class ("unrated" when the model states none)
  std::vector<TrancheMargin> debt_margins;  // each floating tranche's margin at this class
  BidStatus status = BidStatus::priced;
  // The price, per unit (server or rack) per month and per GPU-hour, in the deal's currency.
  std::optional<double> unit_month_price;
  std::optional<double> gpu_hour_price;
  // At that price (confirmed in the requested mode): the target metric and the figures of the deal.
  std::optional<double> achieved;
  engine::AnnualIrr equity_irr, project_irr_post_tax, project_irr_pre_tax;
  std::optional<double> minimum_dscr, net_margin;
  double equity_invested = 0;  // contributed over the life
  double equity_upfront = 0;   // contributed in the months the cost is paid: what funds the cost
  double capex = 0;
  std::vector<BidDebtSizing> debt_sizing;  // each sized tranche at the price
  // Unreachable: the best the metric reached over the searched prices, and where.
  std::optional<double> best_reachable;
  std::optional<double> best_reachable_unit_month_price;
  std::vector<MetricJump> jumps;  // the equity IRR and the target metric, where they jump at the price
  std::string note;     // why there is no price, or what to know about the one given
  int projections = 0;  // fast projections the solve took
};

struct Bid {
  std::string deal_name;
  std::string currency;
  std::string contract;
  BidTarget target;
  bool exact = true;             // the figures at the price: exact decimal, or double
  std::string unit_month;        // "server-month" or "rack-month"
  int gpus_per_unit = 0;
  double model_unit_month_price = 0;  // the contract's price in the model
  int model_term_months = 0;
  double model_prepayment_share = 0;
  std::string model_credit_class;
  bool credit_axis = false;  // the request varied the credit class
  std::string re_lease;  // what the servers do after the term, and at what price
  std::vector<BidPoint> points;

  // Whether no grid point has a price (the command then exits with 1).
  bool none_priced() const;
};

// The contract bid: the one named, or the model's first take-or-pay contract. Throws
// std::invalid_argument when the name matches none or several, or the model has no take-or-pay.
std::size_t bid_contract_index(const deal::Deal& deal, const std::optional<std::string>& name);

// The deal to bid on: the contract at `term_months` and `prepayment_share` (none: the model's),
// its re-lease pinned at the model's market price. Throws std::invalid_argument for a term that
// runs past the horizon or falls short of the contract's ramp or early exit.
deal::Deal deal_to_bid(deal::Deal deal, std::size_t contract, std::optional<int> term_months,
                       const std::optional<deal::Decimal>& prepayment_share);

// The contract's customer of credit class `credit`. Throws std::invalid_argument when a tranche's
// margin grid has no margin for the class it then prices.
void set_credit_class(deal::Deal& deal, std::size_t contract, deal::CreditClass credit);

// The contract priced at `unit_month_price` per unit (server or rack) and month.
void set_bid_price(deal::Deal& deal, std::size_t contract, const deal::Decimal& unit_month_price);

// The fast solve on a deal from deal_to_bid: the lowest unit-month price at which the target is
// met, to a relative 1e-7 of the price (a lower price within that misses it).
struct PriceSolution {
  std::optional<double> unit_month_price;
  double best_surplus = 0;  // the target metric less the target, at its best over the prices tried
  double best_price = 0;
  double ceiling = 0;  // the highest price searched
  int projections = 0;
  std::string note;
};
PriceSolution solve_bid_price(const deal::Deal& deal, std::size_t contract, const BidTarget& target);

// The whole grid, each answer confirmed by a projection in `Num` (num::Decimal: exact). `progress`
// hears of the grid points done.
template <num::Numeric Num>
Bid bid(const deal::Deal& deal, const BidRequest& request, const Progress& progress = {});

extern template Bid bid<double>(const deal::Deal&, const BidRequest&, const Progress&);
extern template Bid bid<num::Decimal>(const deal::Deal&, const BidRequest&, const Progress&);

}  // namespace leasecalc::solve
