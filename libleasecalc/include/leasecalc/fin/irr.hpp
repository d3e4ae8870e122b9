#pragma once
// Internal rate of return of periodic (IRR) and dated (XIRR) cash flows, as typed outcomes.
//
// Unlike the spreadsheets' Newton-from-the-guess, these converge on every cash flow with a root
// above -100%: NPV is evaluated as sum c_i (1+r)^-t_i for r >= 0 and as the same sum scaled by
// (1+r)^T for r < 0 (same sign, same roots, no overflow near -100% on 360 flows). Descartes' rule
// of signs (valid for sums of real powers, flows ordered by time) counts the possible roots:
//   - no sign change: no IRR;
//   - one sign change: exactly one root, found by safeguarded Newton from the guess;
//   - several: a scan in log(1+r) over (-100%, +10^5 %) brackets the roots, each is polished,
//     and the one nearest the guess is returned (a spreadsheet user steers with the guess), with
//     status multiple_roots listing them all. A pair of roots closer together than the scan step
//     (about 0.05 % per period around 0) can be missed; the root nearest the guess is also
//     sought by Newton from the guess.
// Rates are per period (IRR) or per 365-day year (XIRR). Never NaN, never a rate <= -100%.
// Flows of any magnitude a double holds are solved as given: where sums of them could overflow or
// lose digits in double (a non-zero flow outside 2^-500 .. 2^500), NPV is summed in long double.
// Any guess above -100% converges, however far.
// Time is linear in the number of flows (the root-count bound, O(n^2), is taken up to 1,100 flows;
// beyond that the scan alone answers).

#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace leasecalc::fin {

enum class IrrStatus {
  unique,          // exactly one root: `rate`
  multiple_roots,  // `roots` lists all found; `rate` is the one nearest the guess
  no_sign_change,  // all flows of one sign (or zero): no rate makes NPV zero
  no_root,         // flows change sign but NPV never crosses zero above -100%
  no_convergence,  // the solver hit its iteration limit (not expected; reported, not hidden)
};

struct IrrResult {
  IrrStatus status = IrrStatus::no_root;
  double rate = 0;                // meaningful only when has_rate()
  std::vector<double> roots;      // every root found, ascending
  std::string message;            // why there is no rate, or which rates there are

  bool has_rate() const { return status == IrrStatus::unique || status == IrrStatus::multiple_roots; }
};

// IRR(values, guess): flow i at the end of period i (i = 0 is "now"); the rate per period.
// Throws std::invalid_argument on a non-finite flow or a guess <= -1.
IrrResult irr(std::span<const double> values, double guess = 0.1);

// XIRR(values, dates, guess): dates in whole days (e.g. spreadsheet serial numbers); flow i is
// discounted over (dates[i] - dates[0]) / 365 years. Throws std::invalid_argument when sizes
// differ, a date precedes dates[0], a flow is not finite or guess <= -1.
IrrResult xirr(std::span<const double> values, std::span<const int> dates, double guess = 0.1);

// IRR of an annuity, RATE's flows: `first` now, `payment` at the end of periods 1 .. periods - 1,
// `last` at the end of period `periods` (periods >= 1). The same outcomes as irr() on those flows
// (which it is, up to 1,100 periods); beyond, NPV is taken in closed form, so the time does not
// grow with the number of periods. Throws std::invalid_argument as irr() does.
IrrResult annuity_irr(std::size_t periods, double first, double payment, double last, double guess = 0.1);

const char* to_string(IrrStatus status);

}  // namespace leasecalc::fin
