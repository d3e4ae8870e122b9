#pragma once
// The figures a finance team signs off on, from a projected ledger.
//
// IRRs are computed on monthly cash flows and quoted as effective annual rates,
// (1 + monthly)^12 - 1: the project IRRs on the free cash flow to the firm (pre- and post-tax), the
// equity IRR on the shareholders' own flows (contributions and distributions). NPVs discount each
// month-end flow at the deal's annual rate to the deal's start. Paybacks are in months from the
// start. Margins: EBITDA over revenue, net income over lease revenue (revenue less the VAT refund
// booked as income, which is shown on its own line).

#include "leasecalc/deal/deal.hpp"
#include "leasecalc/engine/schedules.hpp"
#include "leasecalc/engine/statements.hpp"
#include "leasecalc/fin/irr.hpp"

#include <array>
#include <cmath>
#include <cstdio>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace leasecalc::engine {

// An IRR quoted annually, or why there is none.
struct AnnualIrr {
  std::optional<double> rate;  // effective annual
  std::string note;            // empty when the IRR is unique; otherwise what happened
};

// A month in which the deal's cash would go negative outside the capex months: an operating or
// debt-service shortfall that shareholders (or a facility) must fund.
struct FundingShortfall {
  int month;
  double amount;
};

template <num::Numeric Num>
struct Metrics {
  // Sources and uses over the capex months.
  Num capex;          // paid, VAT included
  Num debt_drawn;
  Num equity_invested;  // contributed by shareholders, all months
  Num equity_returned;  // distributed to shareholders, all months
  Num total_lease_revenue;      // rent earned: the margins' denominator
  Num total_vat_refund_income;  // income that is not rent, on its own line
  Num total_revenue;            // lease revenue + VAT refund income
  Num total_ebitda;
  Num total_net_income;
  Num total_interest;        // interest only: with scheduled principal, the debt service
  Num total_financing_fees;  // upfront and commitment fees: not debt service
  // The waterfall below the debt service (engine/phases/waterfall.hpp).
  Num peak_reserve;         // the debt-service reserve's largest month-end balance
  Num total_swept;          // principal prepaid by the cash sweep, life
  int months_cash_trapped = 0;  // month ends with cash held under a lock-up
  Num peak_junior_deferred;  // the junior service deferred, its largest month-end balance
  // Over the life: customer receipts, debt, equity, refunds and the sale, against capex, costs,
  // VAT, tax, debt service, fees and distributions. They differ by the cash left, which is zero.
  Num sources;
  Num uses;
  Num cash_left;
  AnnualIrr project_irr_pre_tax;
  AnnualIrr project_irr_post_tax;
  AnnualIrr equity_irr;
  Num project_npv;  // post-tax free cash flow to the firm at the discount rate
  Num equity_npv;   // the shareholders' contributions and distributions at the discount rate
  std::optional<double> moic;  // equity returned / equity invested
  std::optional<double> project_payback_months;
  std::optional<double> equity_payback_months;
  std::optional<double> minimum_dscr;
  std::optional<double> average_dscr;
  std::optional<double> minimum_senior_dscr;  // on the senior debt service; none without a junior tranche
  std::vector<std::optional<double>> dscr;           // by deal year
  std::vector<std::optional<double>> ebitda_margin;  // EBITDA / revenue, by deal year, then the whole life
  std::vector<std::optional<double>> net_margin;     // net income / lease revenue, by deal year, then the life
  std::vector<FundingShortfall> funding_shortfalls;

  // The same figures with every amount converted by `convert` (to double for the writers): the
  // one place besides the fields above that names them.
  template <class Convert>
  auto converted(Convert convert) const {
    Metrics<decltype(convert(capex))> r;
    r.capex = convert(capex);
    r.debt_drawn = convert(debt_drawn);
    r.equity_invested = convert(equity_invested);
    r.equity_returned = convert(equity_returned);
    r.total_lease_revenue = convert(total_lease_revenue);
    r.total_vat_refund_income = convert(total_vat_refund_income);
    r.total_revenue = convert(total_revenue);
    r.total_ebitda = convert(total_ebitda);
    r.total_net_income = convert(total_net_income);
    r.total_interest = convert(total_interest);
    r.total_financing_fees = convert(total_financing_fees);
    r.peak_reserve = convert(peak_reserve);
    r.total_swept = convert(total_swept);
    r.months_cash_trapped = months_cash_trapped;
    r.peak_junior_deferred = convert(peak_junior_deferred);
    r.sources = convert(sources);
    r.uses = convert(uses);
    r.cash_left = convert(cash_left);
    r.project_irr_pre_tax = project_irr_pre_tax;
    r.project_irr_post_tax = project_irr_post_tax;
    r.equity_irr = equity_irr;
    r.project_npv = convert(project_npv);
    r.equity_npv = convert(equity_npv);
    r.moic = moic;
    r.project_payback_months = project_payback_months;
    r.equity_payback_months = equity_payback_months;
    r.minimum_dscr = minimum_dscr;
    r.average_dscr = average_dscr;
    r.minimum_senior_dscr = minimum_senior_dscr;
    r.dscr = dscr;
    r.ebitda_margin = ebitda_margin;
    r.net_margin = net_margin;
    r.funding_shortfalls = funding_shortfalls;
    return r;
  }
};

namespace detail {

inline double annual_rate(double monthly_rate) { return std::pow(1.0 + monthly_rate, 12.0) - 1.0; }

// "34.33%", or "2.5e+08%" for the far roots a sign-changing flow also has.
inline std::string annual_percent(double rate) {
  char text[32];
  std::snprintf(text, sizeof text, std::fabs(rate) < 100 ? "%.2f%%" : "%.3g%%", rate * 100);
  return text;
}

// The IRR of monthly flows as an annual rate. Where the flows have several, the note lists them as
// annual rates too, beside the figure it explains (fin::irr words them per period, per month here).
inline AnnualIrr annual_irr(const std::vector<double>& monthly_flows) {
  const fin::IrrResult result = fin::irr(monthly_flows);
  AnnualIrr irr;
  if (result.has_rate()) irr.rate = annual_rate(result.rate);
  if (result.status == fin::IrrStatus::multiple_roots) {
    int changes = 0;
    double sign = 0;
    for (const double flow : monthly_flows)
      if (flow != 0) {
        if (sign != 0 && (flow > 0) != (sign > 0)) ++changes;
        sign = flow;
      }
    std::string roots;
    for (std::size_t i = 0; i < result.roots.size(); ++i)
      roots += (i == 0 ? "" : i + 1 == result.roots.size() ? " and " : ", ") + annual_percent(annual_rate(result.roots[i]));
    irr.note = "several IRRs: the monthly cash flows change sign " + std::to_string(changes) +
               " times and NPV is zero at annual rates of " + roots + "; given: " + annual_percent(*irr.rate) +
               ", the one nearest 10% a month";
  } else if (result.status != fin::IrrStatus::unique) {
    irr.note = result.message;
  }
  return irr;
}

// Months until the cumulative flow turns non-negative for good, interpolated within the month.
inline std::optional<double> payback_months(const std::vector<double>& flows) {
  double cumulative = 0;
  std::optional<double> payback;
  for (std::size_t m = 0; m < flows.size(); ++m) {
    const double before = cumulative;
    cumulative += flows[m];
    if (cumulative < 0) payback.reset();
    else if (!payback && before < 0) payback = static_cast<double>(m) + (-before / flows[m]);
    else if (!payback && before >= 0 && m == 0) payback = 0.0;
  }
  return payback;
}

inline std::optional<double> ratio(double numerator, double denominator) {
  if (denominator == 0) return std::nullopt;
  return numerator / denominator;
}

constexpr bool is_other_income(Line line) { return line_info(line).pnl == PnlGroup::other_income; }
constexpr bool below_ebitda(Line line) { return in_net_income(line) && !in_ebitda(line); }
inline constexpr auto other_income_lines = lines_where<is_other_income>();
inline constexpr auto operating_cost_lines = lines_where<is_operating_cost>();
inline constexpr auto below_ebitda_lines = lines_where<below_ebitda>();
inline constexpr std::array<Line, 1> unlevered_tax_line{Line::unlevered_income_tax};

// Whether `whole` lists `first` and then `rest`: a subtotal that continues another's monthly sums
// adds its lines in the order summing it alone would, so it is the same number.
template <std::size_t N, std::size_t A, std::size_t B>
constexpr bool continues(const std::array<Line, N>& whole, const std::array<Line, A>& first,
                         const std::array<Line, B>& rest) {
  if (N != A + B) return false;
  for (std::size_t i = 0; i < N; ++i)
    if (whole[i] != (i < A ? first[i] : rest[i - A])) return false;
  return true;
}
inline constexpr bool subtotals_nest =
    continues(lines_where<in_revenue>(), lines_where<in_lease_revenue>(), other_income_lines) &&
    continues(lines_where<in_ebitda>(), lines_where<in_revenue>(), operating_cost_lines) &&
    continues(lines_where<in_net_income>(), lines_where<in_ebitda>(), below_ebitda_lines) &&
    continues(lines_where<in_free_cash_flow_to_firm>(), lines_where<in_free_cash_flow_pre_tax>(), unlevered_tax_line);
static_assert(subtotals_nest, "the line table must list each subtotal's lines after those of the one it continues");

// Cash available for debt service over the debt service (positive); none without debt service.
template <num::Numeric Num>
std::optional<double> coverage(const Num& available, const Num& service) {
  if (!(service > 0)) return std::nullopt;
  return num::to_double(available) / num::to_double(service);
}

}  // namespace detail

// Debt service coverage over deal months [first, end): the cash available for debt service
// (operating cash flow after tax) over the debt service (interest and scheduled principal; fees
// and the repayment from the sale at the horizon are not in it); none without debt service. The
// one definition of DSCR: the yearly metric below and the covenant test (engine/covenants.hpp)
// both call it.
template <num::Numeric Num>
std::optional<double> debt_service_coverage(const Ledger<Num>& l, int first, int end) {
  Num available(0), service(0);
  for (int m = first; m < end; ++m) {
    available += operating_cash_flow(l, m);
    service -= debt_service(l, m);
  }
  return detail::coverage(available, service);
}

template <num::Numeric Num>
Num npv_at_annual_rate(const std::vector<Num>& monthly_flows, const Num& annual_rate) {
  // Discount factor per month (1 + r)^(-1/12), applied from the first month's end.
  const Num monthly_factor = Num(1) / num::pow(Num(1) + annual_rate, Num(1) / Num(12));
  Num factor = monthly_factor, total(0);
  for (const auto& flow : monthly_flows) {
    total += flow * factor;
    factor *= monthly_factor;
  }
  return total;
}

// The dearest figures metrics() gives, each of which a caller that does not read it (a Monte Carlo
// scenario) may leave out: the IRRs, root searches, come back with no rate and a note saying so;
// the sources and uses, a sum over every cash line of every month, as zero.
struct MetricsWanted {
  bool project_irr_pre_tax = true;
  bool project_irr_post_tax = true;
  bool equity_irr = true;
  bool sources_and_uses = true;
};

template <num::Numeric Num>
Metrics<Num> metrics(const deal::Deal& deal, const Ledger<Num>& l, MetricsWanted wanted = {}) {
  Metrics<Num> r{};
  const int months = l.months();
  // Each month's subtotals, summed a line's row at a time (engine/statements.hpp): the same sums
  // as month by month, at the speed of memory. The firm's flow after tax continues the pre-tax one
  // (detail::subtotals_nest).
  const std::vector<Num> firm_pre_tax = monthly_sums_of_lines<in_free_cash_flow_pre_tax>(l);
  std::vector<Num> firm_post_tax = firm_pre_tax;
  add_rows(firm_post_tax, l, std::span<const Line>(detail::unlevered_tax_line));
  std::vector<Num> equity = monthly_sums_of_lines<is_equity_flow>(l);
  for (Num& flow : equity) flow = -flow;  // received by the shareholders (equity_cash_flow)
  const auto as_doubles = [](const std::vector<Num>& flows) {
    std::vector<double> converted;
    converted.reserve(flows.size());
    for (const Num& flow : flows) converted.push_back(num::to_double(flow));
    return converted;
  };
  const std::vector<double> firm_pre_tax_d = as_doubles(firm_pre_tax), firm_post_tax_d = as_doubles(firm_post_tax),
                            equity_d = as_doubles(equity);
  for (int m = 0; m < months; ++m)
    if (l(Line::equity_contributed, m) > 0 && l(Line::capex, m) == 0)
      r.funding_shortfalls.push_back({m, num::to_double(l(Line::equity_contributed, m))});
  r.total_vat_refund_income = l.total(Line::vat_refund_income);
  r.total_interest = -l.total(Line::interest);
  r.total_financing_fees = -l.total(Line::financing_fees);
  r.total_swept = -l.total(Line::debt_swept);
  for (int m = 0; m < months; ++m) {
    r.peak_reserve = std::max(r.peak_reserve, l(Line::debt_service_reserve, m));
    if (l(Line::trapped_cash, m) > 0) ++r.months_cash_trapped;
    r.peak_junior_deferred = std::max(r.peak_junior_deferred, l(Line::junior_deferred_balance, m));
  }
  // Every cash line is a source when positive and a use when negative.
  if (wanted.sources_and_uses) {
    Num sources(0), uses(0);
    for (const Line line : lines_where<is_cash>()) {
      for (const Num& amount : l.row(line)) {
        if (amount > 0) sources += amount;
        else if (amount < 0) uses -= amount;  // a zero changes neither sum
      }
    }
    r.sources = sources;
    r.uses = uses;
  }
  r.cash_left = l(Line::cash_balance, months - 1);
  r.equity_invested = l.total(Line::equity_contributed);
  r.equity_returned = -l.total(Line::equity_distributed);
  r.capex = -l.total(Line::capex);
  r.debt_drawn = l.total(Line::debt_drawn);
  const auto irr_if = [](bool solved, const std::vector<double>& flows) {
    return solved ? detail::annual_irr(flows) : AnnualIrr{std::nullopt, "not computed"};
  };
  r.project_irr_pre_tax = irr_if(wanted.project_irr_pre_tax, firm_pre_tax_d);
  r.project_irr_post_tax = irr_if(wanted.project_irr_post_tax, firm_post_tax_d);
  r.equity_irr = irr_if(wanted.equity_irr, equity_d);
  // With no capex there is no investment for the project flows to earn a return on: whatever rate
  // solves them (-99% on a deal that only makes money) says nothing, and the note says so.
  if (r.capex == 0) {
    for (AnnualIrr* irr : {&r.project_irr_pre_tax, &r.project_irr_post_tax}) {
      if (!irr->rate) continue;
      const std::string meaningless = "no capex: with nothing invested this IRR is meaningless (read the NPV)";
      irr->note = irr->note.empty() ? meaningless : meaningless + "; " + irr->note;
    }
  }
  const Num rate = as<Num>(deal.discount_rate);
  r.project_npv = npv_at_annual_rate(firm_post_tax, rate);
  r.equity_npv = npv_at_annual_rate(equity, rate);
  r.moic = detail::ratio(num::to_double(r.equity_returned), num::to_double(r.equity_invested));
  r.project_payback_months = detail::payback_months(firm_post_tax_d);
  r.equity_payback_months = detail::payback_months(equity_d);

  // DSCR by deal year (debt_service_coverage's sums, from the monthly subtotals).
  bool has_junior = false;
  for (int m = 0; m < months && !has_junior; ++m) has_junior = l(Line::junior_debt_service, m) != 0;
  // Each P&L subtotal continues the one before it (detail::subtotals_nest).
  const std::vector<Num> lease_revenues = monthly_sums_of_lines<in_lease_revenue>(l);
  std::vector<Num> revenues = lease_revenues;
  add_rows(revenues, l, std::span<const Line>(detail::other_income_lines));
  std::vector<Num> ebitdas = revenues;
  add_rows(ebitdas, l, std::span<const Line>(detail::operating_cost_lines));
  std::vector<Num> net_incomes = ebitdas;
  add_rows(net_incomes, l, std::span<const Line>(detail::below_ebitda_lines));
  const std::vector<Num> operating_cash_flows = monthly_sums_of_lines<in_operating_cash_flow>(l);
  double dscr_sum = 0;
  int dscr_years = 0;
  for (const auto& year : deal_years(months)) {
    Num year_revenue(0), year_lease_revenue(0), year_ebitda(0), year_net(0), available(0), service(0), senior(0);
    for (int m = year.first_month; m < year.end_month; ++m) {
      const auto at_m = static_cast<std::size_t>(m);
      year_revenue += revenues[at_m];
      year_lease_revenue += lease_revenues[at_m];
      year_ebitda += ebitdas[at_m];
      year_net += net_incomes[at_m];
      available += operating_cash_flows[at_m];
      service -= debt_service(l, m);
      if (has_junior) senior -= senior_debt_service(l, m);
    }
    r.total_lease_revenue += year_lease_revenue;
    r.total_revenue += year_revenue;
    r.total_ebitda += year_ebitda;
    r.total_net_income += year_net;
    const std::optional<double> dscr = detail::coverage(available, service);
    if (has_junior && senior > 0) {
      const double senior_dscr = num::to_double(available) / num::to_double(senior);
      r.minimum_senior_dscr = r.minimum_senior_dscr ? std::min(*r.minimum_senior_dscr, senior_dscr) : senior_dscr;
    }
    if (dscr) {
      r.minimum_dscr = r.minimum_dscr ? std::min(*r.minimum_dscr, *dscr) : *dscr;
      dscr_sum += *dscr;
      ++dscr_years;
    }
    r.dscr.push_back(dscr);
    r.ebitda_margin.push_back(detail::ratio(num::to_double(year_ebitda), num::to_double(year_revenue)));
    r.net_margin.push_back(detail::ratio(num::to_double(year_net), num::to_double(year_lease_revenue)));
  }
  if (dscr_years > 0) r.average_dscr = dscr_sum / dscr_years;
  r.ebitda_margin.push_back(detail::ratio(num::to_double(r.total_ebitda), num::to_double(r.total_revenue)));
  r.net_margin.push_back(detail::ratio(num::to_double(r.total_net_income), num::to_double(r.total_lease_revenue)));
  return r;
}

}  // namespace leasecalc::engine
