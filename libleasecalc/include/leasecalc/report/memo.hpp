#pragma once
// The deal memo (`leasecalc report`): one self-contained HTML page a finance team sends to a
// committee. The deal in a paragraph, the headline figures, the annual statements, charts of the
// cash flows, the debt and its DSCR against the covenant, the margins by year, the tornado and the
// Monte Carlo range, and the assumptions the model states in its comments. Every figure comes
// from the same library calls as `run`, `sensitivity` and `montecarlo`, shown as they show it.
//
// Self-contained: styles and charts (inline SVG) are in the page, which has no script and asks for
// nothing over the network (its Content-Security-Policy forbids it); a print stylesheet lays it
// out on A4 pages.

#include "leasecalc/deal/deal.hpp"
#include "leasecalc/io/model_comments.hpp"
#include "leasecalc/io/warning.hpp"
#include "leasecalc/report/run_report.hpp"
#include "leasecalc/report/sensitivity.hpp"
#include "leasecalc/solve/monte_carlo.hpp"
#include "leasecalc/solve/progress.hpp"

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace leasecalc::report {

// The Monte Carlo runs of a memo unless asked otherwise: the model's own count, at most this many,
// so that a memo takes seconds.
inline constexpr int memo_default_runs = 2000;

struct MemoOptions {
  solve::Uncertainty uncertainty;  // the model's `uncertainty:` section or the defaults, runs as wanted
  bool uncertainty_from_model = false;
  unsigned threads = 1;
  solve::TornadoOptions tornado;  // sorted by NPV, 10% shocks, by default
};

struct Memo {
  deal::Deal deal;
  RunReport run;  // exact, with the monthly ledger (for the debt balance)
  solve::Tornado tornado;
  MonteCarloReport monte_carlo;
  std::optional<double> dscr_covenant;  // the model's minimum DSCR
  std::vector<io::ModelComment> assumptions;  // the model's comments
  std::vector<io::Warning> warnings;          // about the model, and the Monte Carlo's capped draws
};

// The deal in one paragraph: the fleet, its cost, the contracts, the financing and the horizon.
std::string deal_paragraph(const deal::Deal& deal, const RunReport& run, const Scale& scale);

// Projects the deal exactly, runs the tornado and the Monte Carlo (`progress` hears of its
// scenarios) and gathers the model's comments.
Memo make_memo(const deal::Deal& deal, const MemoOptions& options, std::vector<io::ModelComment> assumptions,
               const solve::Progress& progress = {});

// The page, amounts at `scale` (as the terminal table shows them).
void write_html(std::ostream& out, const Memo& memo, const Scale& scale);

}  // namespace leasecalc::report
