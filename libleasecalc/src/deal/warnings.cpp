#include "leasecalc/deal/warnings.hpp"

#include "leasecalc/deal/fleet.hpp"
#include "leasecalc/time/date.hpp"

#include <algorithm>
#include <variant>

namespace leasecalc::deal {

namespace {

// "100%", "112.5%": a share as the model file writes it.
std::string percent(const Decimal& share) {
  std::string text = Decimal(share * 100).str(2, std::ios_base::fixed);
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text + "%";
}

std::string months(int count) { return std::to_string(count) + (count == 1 ? " month" : " months"); }

// The months of the first and last capex payments: a tranche's first and last drawings.
std::pair<int, int> drawing_months(const Deal& deal) {
  if (deal.cluster.deliveries.empty()) return {0, 0};
  return {time::months_between(deal.start, deal.cluster.deliveries.front().date),
          time::months_between(deal.start, deal.cluster.deliveries.back().date)};
}

void debt_warnings(const Deal& deal, std::vector<Warning>& out) {
  const int horizon = deal.horizon_months;
  const auto [first_drawing, last_drawing] = drawing_months(deal);
  int revenue_end = -1;  // the last contract's
  for (const Contract& contract : deal.contracts) revenue_end = std::max(revenue_end, contract_revenue_end(deal, contract));
  for (std::size_t i = 0; i < deal.debt.size(); ++i) {
    const DebtTranche& tranche = deal.debt[i];
    const std::string field = "financing[" + std::to_string(i) + "].term";
    std::string kind = tranche.kind == DebtTranche::Kind::finance_lease ? "the finance lease" : "the loan";
    int maturity = last_payment_month(tranche, first_drawing, last_drawing) + 1;  // after its last payment
    if (tranche.sale_leaseback) {  // one drawing, at the sale
      kind = "the sale-leaseback";
      const auto& sale = tranche.sale_leaseback->sale;
      maturity = (sale ? time::months_between(deal.start, *sale) : last_drawing) + tranche.term_months + 1;
    }
    if (maturity > horizon)
      out.push_back({field, kind + " runs " + months(maturity - horizon) + " past the " + std::to_string(horizon) +
                                "-month horizon (its last payment falls at the end of deal month " + std::to_string(maturity - 1) +
                                "): what is still owed then is repaid from the sale of the fleet at the horizon"});
    if (revenue_end >= 0 && revenue_end < std::min(maturity, horizon))
      out.push_back({field, kind + " outlives every contract: the last one ends " + months(revenue_end) +
                                " into the deal, and " + kind + " is serviced until " +
                                months(std::min(maturity, horizon)) + " in, with no contracted revenue behind it"});
  }
}

void residual_warnings(const Deal& deal, std::vector<Warning>& out) {
  const std::string at_cost = " of the purchase price: used hardware sold at or above what it cost, a gain taxed at the horizon";
  const Residual& residual = deal.assets.residual;
  if (const auto* fixed = std::get_if<ResidualShare>(&residual)) {
    if (fixed->share >= 1) out.push_back({"depreciation.residual", "a residual value of " + percent(fixed->share) + at_cost});
  } else if (const auto* curve = std::get_if<ResidualCurve>(&residual)) {
    const auto& points = curve->share_by_age.points;
    for (std::size_t i = 0; i < points.size(); ++i) {
      const std::string field = "depreciation.residual.curve[" + std::to_string(i) + "].share";
      // New hardware (age 0) is worth its price; older hardware at that price or above is not.
      const bool flat_after = i + 1 == points.size();
      if (points[i].value > 1 || (points[i].value >= 1 && (points[i].month > 0 || flat_after)))
        out.push_back({field, "a residual value at " + months(points[i].month) + " of age of " +
                                  percent(points[i].value) + at_cost});
      else if (i > 0 && points[i].value > points[i - 1].value)
        out.push_back({field, "the used-GPU value rises with age, from " + percent(points[i - 1].value) + " at " +
                                  months(points[i - 1].month) + " to " + percent(points[i].value) + " at " +
                                  months(points[i].month)});
    }
  } else {
    const auto& rule = std::get<ResidualExponential>(residual);
    if (rule.floor >= 1)
      out.push_back({"depreciation.residual.floor", "a residual floor of " + percent(rule.floor) + at_cost});
    else if (rule.annual_decay == 0)
      out.push_back({"depreciation.residual.decay", "a decay of 0% keeps the residual value at 100%" + at_cost});
  }
}

void capex_warnings(const Deal& deal, std::vector<Warning>& out) {
  const Cluster& cluster = deal.cluster;
  if (cluster.servers == 0 || cluster.price_per_server != 0) return;
  std::string message = "the servers cost nothing (a price of zero): the capex leaves them out";
  if (total_capex(cluster) == 0)
    message += "; with no capex at all nothing is invested, so the project IRR is meaningless (read the NPV)";
  out.push_back({"cluster.price_per_server", message});
}

}  // namespace

std::vector<Warning> warnings(const Deal& deal) {
  std::vector<Warning> out;
  capex_warnings(deal, out);
  debt_warnings(deal, out);
  residual_warnings(deal, out);
  return out;
}

}  // namespace leasecalc::deal
