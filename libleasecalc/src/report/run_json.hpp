#pragma once
// The leasecalc.run/1 document as a JSON value, inside the library: write_json prints it, and the
// pricing service answers parts of it (a quote) without printing and re-reading it.

#include "leasecalc/report/run_report.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace leasecalc::report {

nlohmann::json run_json(const RunReport& report);
// Its headline sections alone (schema, deal, exact, summary, returns, break_even, notes, warnings)
// as compact JSON text, with `schema` as given and a "model" key when `model` is not empty: what a
// quote answers, written straight to text (json_text.hpp); run_json reads it back and adds the rest.
std::string run_json_headline_text(const RunReport& report, std::string_view schema, std::string_view model = {});

}  // namespace leasecalc::report
