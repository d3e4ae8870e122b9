#pragma once
// `leasecalc compare A.yaml B.yaml ...`: deals side by side (rent versus build, two bids for one
// customer), each later deal against the first, with the month after which it is ahead on cash
// and the use of capacity at which the two break even.

#include "leasecalc/deal/deal.hpp"
#include "leasecalc/engine/metrics.hpp"
#include "leasecalc/engine/project.hpp"
#include "leasecalc/report/run_report.hpp"
#include "leasecalc/solve/crossover.hpp"

#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace leasecalc::report {

// One deal as compare shows it: every figure of `run` (the metric table, run_metrics()), and what
// having the capacity costs.
struct DealSummary {
  std::string model;  // path as given
  RunReport run;      // the deal's run report, without the monthly ledger
  // Capex as paid (VAT included) + operating costs + financing costs (interest, swap settlements,
  // fees): what having the capacity costs, before income tax, VAT and any residual value.
  double total_cost = 0;
  double gpu_hours = 0;  // owned GPUs in service, plus rented GPUs paid for, x 730 hours a month
  std::optional<double> cost_per_gpu_hour;
  double life_cash_pre_tax = 0;  // pre-tax free cash flow to the firm, undiscounted (net cost if negative)
};

template <num::Numeric Num>
double total_cost(const engine::Ledger<Num>& l) {
  double cost = -num::to_double(l.total(engine::Line::capex));
  for (int m = 0; m < l.months(); ++m)
    cost -= num::to_double(engine::operating_costs(l, m) + engine::financing_costs(l, m));
  return cost;
}

// GPU-hours of capacity the deal has: owned units in service and rented GPUs paid for.
template <num::Numeric Num>
double gpu_hours(const deal::Deal& deal, const engine::Ledger<Num>& l) {
  const double hours = num::to_double(deal::hours_per_month);
  double total = 0;
  for (int m = 0; m < l.months(); ++m) {
    double gpus = num::to_double(l(engine::Line::units_in_service, m)) * deal.cluster.sku.gpus_per_unit;
    for (const auto& cost : deal.running_costs.others)
      if (cost.basis == deal::RunningCost::Basis::rented_gpu_month)
        gpus += num::to_double(cost.rented_gpus) * engine::curve_at<double>(cost.utilisation, m);
    total += gpus * hours;
  }
  return total;
}

DealSummary summarise(const std::string& model, const deal::Deal& deal);

// One later deal against the first.
struct Pairing {
  std::size_t incumbent = 0, challenger = 1;  // indices into CompareReport::deals
  solve::Crossover at_model_use;
  struct AtUse {
    double usage_factor;
    solve::Crossover crossover;
  };
  std::vector<AtUse> by_use;  // the crossover month with both deals' use scaled alike
  solve::UsageCrossover break_even_use;
};

struct CompareReport {
  std::vector<DealSummary> deals;
  std::vector<Pairing> crossovers;  // each later deal against the first
  bool same_currency = true;
  std::vector<io::Warning> warnings;  // about the model(s): JSON `warnings` (docs/json-output.md)
};

struct ModelDeal {
  std::string model;
  deal::Deal deal;
};

// Summaries of every deal, and each later deal's crossover against the first.
CompareReport make_compare_report(const std::vector<ModelDeal>& deals,
                                  const std::vector<double>& usage_factors = {1.0, 0.9, 0.8, 0.7, 0.6});

// The default scale (default_scale) for the largest figure of any of the deals.
Scale compare_scale(const CompareReport& report);

// The rows compare shows for each deal: every metric of run_metrics(), then the cost figures.
struct CompareMetric {
  std::string_view key;
  std::string_view label;
  MetricFormat format;
  std::function<MetricValue(const DealSummary&)> value;
};
const std::vector<CompareMetric>& compare_metrics();

void write_table(std::ostream& out, const CompareReport& report, const Scale& scale);
void write_csv(std::ostream& out, const CompareReport& report);
void write_json(std::ostream& out, const CompareReport& report);

}  // namespace leasecalc::report
