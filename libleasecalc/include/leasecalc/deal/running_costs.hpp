#pragma once
// Running costs: power, data-centre rent and the other operating lines.

#include "leasecalc/deal/common.hpp"

#include <string>
#include <vector>

namespace leasecalc::deal {

struct Electricity {
  Decimal tariff_per_kwh = 0;
  Decimal pue = 1;              // facility power / IT power
  bool paid_by_customer = false;  // passed through: neither a cost nor revenue for the operator
  Decimal take_or_pay_load = 1;   // average load of committed servers, between idle (0) and full (1)
  Escalator escalator;
};

// Data-centre (colocation) rent, on the IT power of the deployed fleet or on racks.
struct DataCentre {
  enum class Basis { per_kw_month, per_rack_month };
  Basis basis = Basis::per_kw_month;
  Decimal price = 0;
  Decimal units_per_rack = 1;  // per_rack_month: servers in one rack
  Escalator escalator;
};

// Every other operating line (O&M, staff, insurance, software licences, SG&A) is one of these.
struct RunningCost {
  enum class Basis {
    per_year,                    // a fixed amount a year
    share_of_hardware_per_year,  // of the capex invoiced to date (VAT included), a year (O&M, insurance)
    per_gpu_month,               // per deployed GPU a month (software licences)
    share_of_revenue,            // of the month's revenue (SG&A)
    rented_gpu_month,            // GPUs rented in from a cloud, per GPU-month of the share used
  };
  std::string name;
  Basis basis = Basis::per_year;
  Decimal value = 0;
  Escalator escalator;
  // rented_gpu_month: a company renting compute for its own use instead of owning servers. It pays
  // `value` per GPU-month for `rented_gpus` x `utilisation` GPUs: renting pays for what is used.
  Decimal rented_gpus = 0;
  Curve utilisation = Curve::constant(Decimal(1));
};

struct RunningCosts {
  Electricity electricity;
  DataCentre data_centre;
  std::vector<RunningCost> others;
};

}  // namespace leasecalc::deal
