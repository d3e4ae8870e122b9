#pragma once
// The leasecalc.run/1 document as a JSON value, inside the library: write_json prints it, and the
// pricing service answers parts of it (a quote) without printing and re-reading it.

#include "leasecalc/report/run_report.hpp"

#include <nlohmann/json.hpp>

namespace leasecalc::report {

nlohmann::json run_json(const RunReport& report);

}  // namespace leasecalc::report
