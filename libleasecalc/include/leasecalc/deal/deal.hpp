#pragma once
// A deal: everything that moves the money of one GPU cluster over its horizon.

#include "leasecalc/deal/asset_policy.hpp"
#include "leasecalc/deal/cluster.hpp"
#include "leasecalc/deal/contract.hpp"
#include "leasecalc/deal/covenants.hpp"
#include "leasecalc/deal/credit.hpp"
#include "leasecalc/deal/financing.hpp"
#include "leasecalc/deal/running_costs.hpp"
#include "leasecalc/deal/structures.hpp"
#include "leasecalc/deal/tax.hpp"
#include "leasecalc/deal/waterfall.hpp"
#include "leasecalc/time/frequency.hpp"

#include <optional>
#include <string>
#include <vector>

namespace leasecalc::deal {

struct Deal {
  std::string name;
  std::string currency;     // ISO code, e.g. "CNY"; every amount of the deal is in it
  Date start;               // month 0 starts here; cash moves at month ends
  int horizon_months = 60;  // the fleet is sold at residual value at the end
  Decimal discount_rate = 0;  // annual, for NPV and the break-even price
  Cluster cluster;
  std::vector<Contract> contracts;
  RunningCosts running_costs;
  std::vector<DebtTranche> debt;
  // When the shareholders receive the deal's cash: at every month end, or at each deal quarter's or
  // year's end (and at the horizon).
  time::Frequency distributions = time::Frequency::monthly;
  Covenants covenants;  // none by default
  std::optional<Lessee> lessee;  // a lessor SPV's one customer, whose view `run` reports
  Guarantees guarantees;         // none by default
  CreditClasses credit_classes;  // the expected credit loss of each class; none by default
  Waterfall waterfall;           // no reserve, sweep or lock-up by default
  AssetPolicy assets;
  Tax tax;
  // The market's rent relative to the model's own prices, by deal month (1: as modelled; after the
  // last month, the last value): a Monte Carlo scenario's market path (solve/market_path.hpp). It
  // moves on-demand prices, the prices at which servers are re-leased and the used fleet's value
  // (its sale and the loan's collateral) together, as the used-GPU market does. A scenario device
  // drawn in double, hence not Decimal; empty: every price as modelled.
  std::vector<double> market_index;
  // Two more scenario devices of a Monte Carlo run, by deal month (after the last month, the last
  // value; empty: as modelled): the power tariff relative to the model's (a price shock in force),
  // and the share of what each customer holds that is billed, below 1 when servers the model has in
  // service are missing (delivered late, failed with no spare left) or credited for lateness.
  std::vector<double> power_index;
  std::vector<double> billed_share;
};

// When the deal's advance payments are taxed: the model's rule, else the US rule (the §451(c)
// deferral method) for a USD deal and as the books earn them otherwise.
inline IncomeTax::AdvancePayments advance_payments_rule(const Deal& deal) {
  if (deal.tax.income.advance_payments) return *deal.tax.income.advance_payments;
  return deal.currency == "USD" ? IncomeTax::AdvancePayments::deferral : IncomeTax::AdvancePayments::as_earned;
}

// The output VAT rate on the sale of the fleet: the model's, else the equipment's VAT rate when the
// input VAT was deducted (not capitalised), nil when it was capitalised.
inline Decimal vat_rate_on_sale(const Deal& deal) {
  if (deal.tax.vat.sale_rate) return *deal.tax.vat.sale_rate;
  return deal.tax.vat.input_vat_capitalised ? Decimal(0) : deal.cluster.capex_vat_rate;
}

}  // namespace leasecalc::deal
