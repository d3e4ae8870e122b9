#pragma once
// Deals built in code for engine tests: a minimal one with known closed forms, and a rich one
// that switches every feature on.

#include <leasecalc/deal/deal.hpp>

namespace leasecalc::test {

inline deal::Decimal dec(const char* text) { return num::from_string<deal::Decimal>(text); }

// 10 servers bought for 1M each at the start, all leased for 36 months at 30,000 a server-month,
// billed monthly in advance; no costs, debt, tax or VAT; straight line to zero; no residual.
inline deal::Deal minimal_deal() {
  deal::Deal d;
  d.name = "minimal";
  d.currency = "CNY";
  d.start = deal::Date(2025, 1, 1);
  d.horizon_months = 36;
  d.discount_rate = dec("0.08");
  d.cluster.sku = {"TEST-8", "test server", 8, dec("1000000"), "CNY", dec("10"), dec("3")};
  d.cluster.servers = 10;
  d.cluster.price_per_server = dec("1000000");
  deal::TakeOrPay lease;
  lease.name = "anchor";
  lease.servers = 10;
  lease.price = {dec("30000"), deal::PriceUnit::server_month};
  lease.start = d.start;
  lease.term_months = 36;
  d.contracts.push_back(lease);
  d.running_costs.electricity.paid_by_customer = true;
  d.assets.book = {deal::StraightLine{}, 36, 0};
  d.assets.tax = d.assets.book;
  d.assets.residual = deal::ResidualShare{0};
  return d;
}

// Every feature on: VAT-inclusive capex in two deliveries with spares and extras, a take-or-pay
// with ramp, prepayment, quarterly billing in arrears, escalator, SLA credits, early termination
// and on-demand re-lease, an on-demand pool with price history, every running cost, two debt
// tranches, declining-balance book and MACRS tax depreciation, income tax with losses, VAT refunds.
inline deal::Deal rich_deal() {
  deal::Deal d;
  d.name = "rich";
  d.currency = "CNY";
  d.start = deal::Date(2025, 3, 1);
  d.horizon_months = 66;
  d.discount_rate = dec("0.1");
  auto& c = d.cluster;
  c.sku = {"H800", "8x H800", 8, dec("2600000"), "CNY", dec("10.2"), dec("3.1")};
  c.servers = 128;
  c.price_per_server = dec("2600000");
  c.price_includes_vat = true;
  c.capex_vat_rate = dec("0.13");
  c.extra_capex = {{"network fabric", 0, dec("0.1")}, {"installation", dec("3000000"), 0}};
  c.deliveries = {{deal::Date(2025, 3, 1), 96}, {deal::Date(2025, 7, 15), 32}};
  c.spares_share = dec("0.02");
  c.annual_failure_rate = dec("0.09");
  c.replacement_cost = dec("40000");

  deal::TakeOrPay lease;
  lease.name = "anchor";
  lease.servers = 96;
  lease.price = {dec("1.95"), deal::PriceUnit::gpu_hour};
  lease.start = d.start;
  lease.term_months = 48;
  lease.ramp_months = 3;
  lease.prepayment_share = dec("0.2");
  lease.prepayment_application = deal::PrepaymentApplication::spread_over_term;
  lease.billing = leasecalc::time::Frequency::quarterly;
  lease.timing = leasecalc::time::PaymentTiming::in_arrears;
  lease.escalator.annual_rate = dec("0.03");
  lease.sla = {dec("0.995"), dec("0.993"), {{dec("0.995"), dec("0.05")}, {dec("0.99"), dec("0.1")}}};
  lease.early_termination = deal::EarlyTermination{42, dec("6")};
  lease.expected_credit_loss = dec("0.005");
  lease.vat_rate = dec("0.06");
  lease.re_lease.mode = deal::ReLease::Mode::on_demand;
  lease.re_lease.annual_price_decay = dec("0.15");
  lease.re_lease.utilisation = deal::Curve{{{0, dec("0.5")}, {12, dec("0.8")}}};
  d.contracts.push_back(lease);

  deal::OnDemand pool;
  pool.name = "spot";
  pool.servers = 32;
  pool.start = deal::Date(2025, 8, 1);
  pool.price = deal::Curve{{{-21, dec("100000")}, {3, dec("66000")}}};
  pool.annual_price_decay = dec("0.17");
  pool.utilisation = deal::Curve{{{0, dec("0.4")}, {12, dec("0.75")}}};
  pool.bad_debt = dec("0.01");
  pool.vat_rate = dec("0.06");
  d.contracts.push_back(pool);

  auto& rc = d.running_costs;
  rc.electricity = {dec("0.65"), dec("1.3"), false, dec("0.8"), {dec("0.02")}};
  rc.data_centre = {deal::DataCentre::Basis::per_rack_month, dec("30000"), dec("4"), {dec("0.03")}};
  using Basis = deal::RunningCost::Basis;
  rc.others = {{"O&M", Basis::share_of_hardware_per_year, dec("0.012"), {}},
               {"Staff", Basis::per_year, dec("6000000"), {dec("0.05")}},
               {"Software licences", Basis::per_gpu_month, dec("120"), {}},
               {"SG&A", Basis::share_of_revenue, dec("0.03"), {}}};

  deal::DebtTranche senior;
  senior.name = "senior";
  senior.share_of_capex = dec("0.6");
  senior.annual_rate = dec("0.05");
  senior.term_months = 48;
  senior.grace_months = 6;
  senior.upfront_fee = dec("0.01");
  senior.commitment_fee = dec("0.005");
  deal::DebtTranche lease_finance;
  lease_finance.name = "finance lease";
  lease_finance.kind = deal::DebtTranche::Kind::finance_lease;
  lease_finance.amount = dec("50000000");
  lease_finance.annual_rate = dec("0.065");
  lease_finance.compounding = deal::Compounding::annual;
  lease_finance.day_count = time::DayCount::act_365_fixed;
  lease_finance.term_months = 72;
  lease_finance.amortisation = deal::Amortisation::balloon;
  lease_finance.balloon_share = dec("0.2");
  d.debt = {senior, lease_finance};

  d.assets.book = {deal::DecliningBalance{dec("1.5")}, 60, dec("0.05")};
  d.assets.tax = {deal::Macrs{5, deal::Macrs::Convention::half_year}, 60, 0};
  d.assets.residual = deal::ResidualExponential{dec("0.08"), dec("0.35")};
  d.tax.income = {dec("0.25"), 5, dec("1"), 1, std::nullopt};
  d.tax.vat = {deal::Vat::Refund::annual, 12, dec("0.6"), false, false, std::nullopt};
  return d;
}

}  // namespace leasecalc::test
