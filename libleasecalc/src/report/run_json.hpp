#pragma once
// The leasecalc.run/1 document as a JSON value, inside the library: write_json prints it, and the
// pricing service answers parts of it (a quote) without printing and re-reading it.

#include "leasecalc/report/run_report.hpp"

#include <nlohmann/json.hpp>

namespace leasecalc::report {

nlohmann::json run_json(const RunReport& report);
// Its headline sections alone (schema, deal, exact, summary, returns, break_even, notes, warnings):
// what a quote answers, without building the statements it would drop.
nlohmann::json run_json_headline(const RunReport& report);

}  // namespace leasecalc::report
