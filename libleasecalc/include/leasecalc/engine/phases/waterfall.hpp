#pragma once
// Debt-and-waterfall phase: the debt scheduled, the income tax assessed, and below the debt service
// the cash waterfall of the model's `waterfall:` and `covenants.on_breach` (docs/model-format.md):
//
//   cash after running costs, tax, capex and drawings (the operating cash flow after tax)
//   - interest and scheduled principal, financing fees
//   - the debt-service reserve's deposits (+ its releases)
//   - the cash sweep: a share of what is left (the excess cash) prepays the debt
//   - the lock-up: while a test fails, what is left is held in the deal (or swept to the debt)
//   = the free cash flow to equity, which the equity phase distributes.
//
// The reserve (DSRA) is one for the deal: at the end of each month from the first drawing it holds
// the debt service (interest and scheduled principal) of the next `reserve_months` months as the
// ledger schedules them, to the horizon; the shareholders fund its first deposit at the first
// drawing, later rises are topped up from the month's cash (the shareholders funding any
// shortfall, as they fund every shortfall of the deal), falls are released to the waterfall, and
// the rest is released when the debt is repaid or at the horizon. The reserve is never drawn: the
// shareholders stand behind a shortfall of debt service, as elsewhere in the engine.
//
// The sweep runs from the month after the last drawing to the month before the horizon (where the
// sale repays the debt): a share of the month's excess cash (positive) prepays the tranches in the
// model's order, each drawing earliest first, and each level payment is re-fixed on the lower
// balance over the payments left (the term stays, the payments fall), as engine/phases/debt.hpp
// books it. Debt service (and so the DSCR) excludes what the sweep prepays.
//
// The lock-up and the covenant consequences are decided on the covenant test dates
// (engine/covenants.hpp: the model's `covenants:` frequency, first test and look-back, or the
// defaults, quarterly over the trailing 12 months): a test failed at the end of month t governs
// the months after it, t + 1 up to and including the next test date, as lenders act once the test
// date's figures are in. The lock-up fails while the DSCR over the look-back is under
// `lock_up_dscr`; the covenants fail when any test the model sets is breached. Under a lock-up or
// `on_breach: trap` the excess cash after the sweep is held (`lock_up_cash: hold`, the default)
// and covers later shortfalls first, or swept whole to the debt (`lock_up_cash: sweep`); under
// `on_breach: accelerate` the whole excess cash sweeps the debt. A month no test governs releases
// every trapped amount, and the horizon releases the rest.
//
// The circularity (interest moves the tax, the tax the excess cash, the excess cash the sweep,
// the sweep the interest and the next debt service that sizes the reserve) is solved as a fixed
// point to the cent: the debt is scheduled with the sweep of the previous pass, the tax assessed
// and the waterfall walked, until the sweep of a pass equals the one it started from, to the
// cent, every month; the settled pass's ledger is the result. Each pass is a pure function of the
// one before; a model that does not settle within `max_waterfall_passes` is an error that says so.
//
// Reads: the deal, the capex payments and what the tax phase reads. Writes: the debt phase's and
// the tax phase's lines, and Line::reserve_funded, reserve_topped_up, reserve_released,
// debt_service_reserve, cash_trapped, trapped_cash.

#include "leasecalc/deal/deal.hpp"
#include "leasecalc/engine/covenants.hpp"
#include "leasecalc/engine/ledger.hpp"
#include "leasecalc/engine/metrics.hpp"
#include "leasecalc/engine/phases/booking.hpp"
#include "leasecalc/engine/phases/capex.hpp"
#include "leasecalc/engine/phases/debt.hpp"
#include "leasecalc/engine/phases/income_tax.hpp"
#include "leasecalc/engine/statements.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

namespace leasecalc::engine::phases {

inline constexpr int max_waterfall_passes = 60;

// Whether the deal has a waterfall below its debt service; without one the phase is the debt
// phase and the tax phase, as they were.
inline bool has_waterfall(const deal::Deal& deal) {
  return !deal.debt.empty() &&
         (deal.waterfall.any() || (deal.covenants.any() && deal.covenants.on_breach != deal::BreachAction::report));
}

namespace waterfall_detail {

// The months a failed test governs: locked up (the excess cash held, or swept under
// `lock_up_cash: sweep`) or accelerated (the excess cash swept whole).
struct Restrictions {
  std::vector<bool> locked_up, accelerated;
};

// The months from `t` + 1 to the next date of `dates` after t (inclusive), or to the horizon.
inline void govern(std::vector<bool>& months, const std::vector<int>& dates, std::size_t index) {
  const int last = static_cast<int>(months.size()) - 1;
  const int until = index + 1 < dates.size() ? dates[index + 1] : last;
  for (int m = dates[index] + 1; m <= std::min(until, last); ++m) months[static_cast<std::size_t>(m)] = true;
}

template <num::Numeric Num>
Restrictions restrictions(const deal::Deal& deal, const Ledger<Num>& ledger) {
  const int horizon = ledger.months();
  Restrictions r{std::vector<bool>(static_cast<std::size_t>(horizon), false),
                 std::vector<bool>(static_cast<std::size_t>(horizon), false)};
  if (deal.waterfall.lock_up_dscr) {
    int first_draw = -1;
    for (int m = 0; m < horizon && first_draw < 0; ++m)
      if (ledger(Line::debt_drawn, m) > 0) first_draw = m;
    if (first_draw >= 0) {
      // The covenant test dates while debt is owed, and their look-back (engine/covenants.hpp).
      std::vector<int> dates;
      for (const int m : covenant_detail::test_months(deal.covenants, deal.start, horizon, first_draw))
        if (ledger(Line::debt_drawn, m) > 0 || (m > 0 && ledger(Line::debt_outstanding, m - 1) > 0)) dates.push_back(m);
      const int look_back = deal.covenants.look_back == deal::CovenantLookBack::trailing_12_months
                                ? 12
                                : time::months_per_period(deal.covenants.frequency);
      const double threshold = num::to_double(*deal.waterfall.lock_up_dscr);
      for (std::size_t i = 0; i < dates.size(); ++i) {
        const std::optional<double> dscr =
            debt_service_coverage(ledger, std::max(0, dates[i] - look_back + 1), dates[i] + 1);
        if (dscr && *dscr < threshold) govern(r.locked_up, dates, i);
      }
    }
  }
  if (deal.covenants.any() && deal.covenants.on_breach != deal::BreachAction::report) {
    const CovenantReport report = covenant_report(deal, ledger);
    std::vector<bool>& governed =
        deal.covenants.on_breach == deal::BreachAction::trap ? r.locked_up : r.accelerated;
    for (const auto& test : report.tests)
      for (std::size_t i = 0; i < test.observations.size(); ++i)
        if (test.observations[i].breached) govern(governed, report.test_months, i);
  }
  return r;
}

// One walk down the waterfall on a ledger whose debt and tax are booked: books the reserve and
// the lock-up, and returns the sweep each month's excess cash asks for.
template <num::Numeric Num>
Months<Num> walk(const deal::Deal& deal, const Restrictions& restricted, Ledger<Num>& ledger) {
  const int horizon = ledger.months(), last = horizon - 1;
  Months<Num> sweep = zero_months<Num>(horizon);
  int first_draw = -1, last_draw = -1;
  for (int m = 0; m < horizon; ++m)
    if (ledger(Line::debt_drawn, m) > 0) {
      if (first_draw < 0) first_draw = m;
      last_draw = m;
    }
  if (first_draw < 0) return sweep;
  const deal::Waterfall& terms = deal.waterfall;
  const Num share = as<Num>(terms.cash_sweep);
  Num reserve(0), trapped(0);
  for (int m = 0; m <= last; ++m) {
    const auto at_m = static_cast<std::size_t>(m);
    // The cash after debt service, before this month's sweep (the restricted lines are not yet booked).
    Num excess = free_cash_flow_to_equity(ledger, m) - ledger(Line::debt_swept, m);

    Num requirement(0);
    if (terms.reserve_months > 0 && m >= first_draw && m < last)
      for (int k = m + 1; k <= std::min(m + terms.reserve_months, last); ++k) requirement -= debt_service(ledger, k);
    if (requirement > reserve)
      ledger(m == first_draw ? Line::reserve_funded : Line::reserve_topped_up, m) = reserve - requirement;
    else if (requirement < reserve)
      ledger(Line::reserve_released, m) = reserve - requirement;
    excess += reserve - requirement;
    reserve = requirement;
    ledger(Line::debt_service_reserve, m) = reserve;

    const bool locked_up = restricted.locked_up[at_m] && m < last;
    const Num owed = ledger(Line::debt_outstanding, m) - ledger(Line::debt_swept, m);  // before the sweep
    if (m > last_draw && m < last && excess > 0 && owed > 0) {
      const bool whole = restricted.accelerated[at_m] || (locked_up && terms.lock_up_cash == deal::LockUpCash::sweep);
      const Num swept = std::min(whole ? excess : booked(excess * share), owed);
      at(sweep, m) = swept;
      excess -= swept;
    }

    if (locked_up && excess > 0) {
      ledger(Line::cash_trapped, m) = -excess;
      trapped += excess;
    } else if (locked_up && excess < 0 && trapped > 0) {  // held cash covers the shortfall first
      const Num released = std::min(trapped, -excess);
      ledger(Line::cash_trapped, m) = released;
      trapped -= released;
    } else if (!locked_up && trapped > 0) {
      ledger(Line::cash_trapped, m) = trapped;
      trapped = 0;
    }
    ledger(Line::trapped_cash, m) = trapped;
  }
  return sweep;
}

}  // namespace waterfall_detail

// The debt, the income tax and the waterfall between them, settled together (see the header).
template <num::Numeric Num>
IncomeTaxAssessed schedule_debt_and_waterfall(const deal::Deal& deal, const CapexPayments<Num>& capex,
                                              const RunningCostsCharged& running_costs, const VatSettled& vat,
                                              const SaleGain<Num>& sale_gain, Ledger<Num>& ledger) {
  if (!has_waterfall(deal)) {
    const DebtScheduled debt = schedule_debt(deal, capex, ledger);
    return assess_income_tax(deal, running_costs, vat, debt, sale_gain, ledger);
  }
  const Ledger<Num> before_debt = ledger;
  Months<Num> sweep = zero_months<Num>(ledger.months());
  for (int pass = 1; pass <= max_waterfall_passes; ++pass) {
    ledger = before_debt;
    const DebtScheduled debt = schedule_debt(deal, capex, ledger, sweep);
    const IncomeTaxAssessed tax = assess_income_tax(deal, running_costs, vat, debt, sale_gain, ledger);
    const auto restricted = waterfall_detail::restrictions(deal, ledger);
    Months<Num> asked = waterfall_detail::walk(deal, restricted, ledger);
    if (asked == sweep) return tax;
    sweep = std::move(asked);
  }
  throw std::runtime_error("the cash waterfall did not settle to the cent within " +
                           std::to_string(max_waterfall_passes) +
                           " passes: the sweep, the reserve, the covenant tests and the tax keep moving each "
                           "other; try a lower cash_sweep or on_breach: trap");
}

}  // namespace leasecalc::engine::phases
