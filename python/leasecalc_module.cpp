// The `leasecalc` Python module (docs/python.md): a thin layer over the library. Models load by the
// one loader; results are the library's own JSON documents turned into dicts and lists, with the
// monthly ledger and the Monte Carlo scenarios as numpy arrays; quotes and bids go through the
// pricing service's own request handling (service::Service), so a Python quote is a /v1/quote.
// The engine runs with the GIL released: a Model is immutable and may be shared by many threads.
#include <leasecalc/fin/spreadsheet.hpp>
#include <leasecalc/io/input_error.hpp>
#include <leasecalc/io/load_deal.hpp>
#include <leasecalc/io/load_uncertainty.hpp>
#include <leasecalc/report/run_report.hpp>
#include <leasecalc/report/sensitivity.hpp>
#include <leasecalc/service/service.hpp>
#include <leasecalc/solve/monte_carlo.hpp>
#include <leasecalc/version.hpp>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace py = pybind11;
using nlohmann::json;

namespace leasecalc::python {

namespace {

// ---- errors -------------------------------------------------------------------------------------

// leasecalc.InputError (a ValueError) and leasecalc.NoResult (an ArithmeticError), as the module
// holds them (created when it is imported).
py::object error_type(const char* name) { return py::module_::import("leasecalc").attr(name); }

// A located problem as the library reports it: the whole message and, where known, its parts.
struct Located {
  std::string message;
  std::optional<std::string> file{};
  int line = 0, column = 0;
  std::string field{}, expected{}, got{};
};

// Thrown by the binding (a service problem document, a bad argument); raised as InputError.
struct InputProblem : std::runtime_error {
  explicit InputProblem(Located located) : std::runtime_error(located.message), located(std::move(located)) {}
  Located located;
};

[[noreturn]] void refuse(std::string message) { throw InputProblem(Located{std::move(message)}); }

void set_input_error(const Located& located) {
  const py::object type = error_type("InputError");
  py::object error = type(located.message);
  error.attr("file") = located.file ? py::object(py::str(*located.file)) : py::object(py::none());
  error.attr("line") = located.line;
  error.attr("column") = located.column;
  error.attr("field") = located.field;
  error.attr("expected") = located.expected;
  error.attr("got") = located.got;
  PyErr_SetObject(type.ptr(), error.ptr());
}

// ---- JSON to and from Python ----------------------------------------------------------------

py::object to_python(const json& value) {
  switch (value.type()) {
    case json::value_t::null: return py::none();
    case json::value_t::boolean: return py::bool_(value.get<bool>());
    case json::value_t::number_integer: return py::int_(value.get<std::int64_t>());
    case json::value_t::number_unsigned: return py::int_(value.get<std::uint64_t>());
    case json::value_t::number_float: return py::float_(value.get<double>());
    case json::value_t::string: return py::str(value.get_ref<const std::string&>());
    case json::value_t::array: {
      py::list list;
      for (const json& item : value) list.append(to_python(item));
      return list;
    }
    case json::value_t::object: {
      py::dict dict;
      for (const auto& item : value.items()) dict[py::str(item.key())] = to_python(item.value());
      return dict;
    }
    default: return py::none();
  }
}

py::array_t<double> to_array(const std::vector<double>& values) {
  py::array_t<double> array(static_cast<py::ssize_t>(values.size()));
  std::copy(values.begin(), values.end(), array.mutable_data());
  return array;
}

// A Python value as JSON, for a model given as a dict and the overrides of a quote. `path` names
// the value in the error ("overrides.contracts[0].price").
json from_python(py::handle value, const std::string& path) {
  if (value.is_none()) return nullptr;
  if (py::isinstance<py::bool_>(value)) return value.cast<bool>();
  if (py::isinstance<py::str>(value)) return value.cast<std::string>();
  if (py::isinstance<py::int_>(value) || py::hasattr(value, "__index__")) {
    const py::int_ whole = py::reinterpret_steal<py::int_>(PyNumber_Index(value.ptr()));
    if (!whole) throw py::error_already_set();
    const long long number = PyLong_AsLongLong(whole.ptr());
    if (number == -1 && PyErr_Occurred()) {
      PyErr_Clear();
      refuse(path + ": expected a number a model can hold, got " + py::str(value).cast<std::string>());
    }
    return number;
  }
  if (py::isinstance<py::float_>(value) || py::hasattr(value, "__float__")) {
    const double number = value.cast<double>();
    if (!std::isfinite(number)) refuse(path + ": expected a finite number, got " + py::str(value).cast<std::string>());
    return number;
  }
  if (py::isinstance<py::dict>(value)) {
    json object = json::object();
    for (const auto& [key, item] : value.cast<py::dict>()) {
      if (!py::isinstance<py::str>(key)) refuse(path + ": expected text keys, got " + py::repr(key).cast<std::string>());
      const std::string name = key.cast<std::string>();
      object[name] = from_python(item, path.empty() ? name : path + "." + name);
    }
    return object;
  }
  if (py::isinstance<py::list>(value) || py::isinstance<py::tuple>(value)) {
    json array = json::array();
    std::size_t index = 0;
    for (const auto& item : value) array.push_back(from_python(item, path + "[" + std::to_string(index++) + "]"));
    return array;
  }
  if (py::hasattr(value, "isoformat")) return value.attr("isoformat")().cast<std::string>();  // a date
  throw py::type_error(path + ": expected text, a number, a boolean, a date, a dict or a list, got " +
                       py::str(py::type::of(value).attr("__name__")).cast<std::string>());
}

// A report written by the library's JSON writer, read back as JSON.
template <class Report>
json report_json(const Report& report) {
  std::ostringstream out;
  report::write_json(out, report);
  return json::parse(std::move(out).str());
}

// ---- models -----------------------------------------------------------------------------------

// A loaded model: the service's view of it (one base model), so that quotes and bids are the
// service's own, and what a Monte Carlo run draws from. Immutable once built.
struct Model {
  std::shared_ptr<const service::Service> service;
  std::optional<deal::Uncertainty> uncertainty;  // the model's `uncertainty:` section

  const service::BaseModel& base() const { return service->models().front(); }
  const io::LoadedDeal& loaded() const { return base().loaded; }
  const deal::Deal& deal() const { return loaded().deal; }
};

// `name`: what quotes call the model and messages name it by; `file`: where relative paths in it
// (its `catalog:`) are taken from.
Model make_model(io::Document document, std::string name, std::filesystem::path file,
                 const std::optional<std::filesystem::path>& catalogue) {
  io::Catalogue skus = catalogue ? io::load_catalogue(*catalogue) : io::catalogue_of(document, file);
  io::LoadedDeal loaded = io::read_deal_with_warnings(document, skus);
  std::optional<deal::Uncertainty> uncertainty = io::read_uncertainty(document);
  std::vector<service::BaseModel> models;
  // Without a copy of the deal's sections: a model loaded in Python may never be quoted.
  models.push_back({std::move(name), std::move(file), std::move(document), std::move(skus), std::move(loaded), std::nullopt});
  return {std::make_shared<const service::Service>(std::move(models)), std::move(uncertainty)};
}

std::optional<std::filesystem::path> optional_path(const py::object& path) {
  if (path.is_none()) return std::nullopt;
  return std::filesystem::path(py::str(py::module_::import("os").attr("fspath")(path)).cast<std::string>());
}

Model from_file(const py::object& path, const py::object& catalogue) {
  const std::filesystem::path file = *optional_path(path);
  const auto skus = optional_path(catalogue);
  py::gil_scoped_release release;
  return make_model(io::Document::load_file(file), file.stem().string(), file, skus);
}

Model from_text(const std::string& text, const std::string& name, const py::object& directory, const py::object& catalogue) {
  const std::filesystem::path folder = optional_path(directory).value_or(std::filesystem::path{});
  const auto skus = optional_path(catalogue);
  py::gil_scoped_release release;
  return make_model(io::Document::parse(text, name), name, folder / name, skus);
}

Model from_dict(const py::dict& model, const std::string& name, const py::object& directory, const py::object& catalogue) {
  return from_text(from_python(model, {}).dump(), name, directory, catalogue);
}

// A path, a model's text (YAML or JSON) or a dict.
Model load(const py::object& source, const std::optional<std::string>& name, const py::object& directory,
           const py::object& catalogue) {
  if (py::isinstance<py::dict>(source)) return from_dict(source, name.value_or("model"), directory, catalogue);
  if (py::isinstance<py::str>(source)) {
    const std::string text = source.cast<std::string>();
    const bool is_text = text.find('\n') != std::string::npos || text.starts_with('{');
    if (is_text) return from_text(text, name.value_or("model"), directory, catalogue);
  }
  if (!py::isinstance<py::str>(source) && !py::hasattr(source, "__fspath__"))
    throw py::type_error("load: expected a path, a model's YAML or JSON text, or a dict");
  return from_file(source, catalogue);
}

// ---- the service's requests ------------------------------------------------------------------

// The answer of the pricing service to a POST of `body`; a refusal raises InputError with the
// service's located message.
py::object service_post(const Model& model, const char* target, const json& body) {
  service::Response response;
  json answer;
  {
    const std::string text = body.dump();
    py::gil_scoped_release release;
    response = model.service->handle({"POST", target, "application/json", text});
    answer = json::parse(response.body);
  }
  if (response.status == 200) return to_python(answer);
  Located located{answer.value("detail", std::string("the service refused the request"))};
  located.field = answer.value("field", std::string{});
  located.line = answer.value("line", 0);
  located.column = answer.value("column", 0);
  located.expected = answer.value("expected", std::string{});
  located.got = answer.value("got", std::string{});
  if (response.status >= 500) throw std::runtime_error(located.message);
  throw InputProblem(std::move(located));
}

json overrides_json(const py::object& overrides) {
  if (overrides.is_none()) return json::object();
  if (!py::isinstance<py::dict>(overrides)) throw py::type_error("overrides: expected a dict of field paths and values");
  json result = json::object();
  for (const auto& [key, value] : overrides.cast<py::dict>()) {
    if (!py::isinstance<py::str>(key)) throw py::type_error("overrides: expected field paths as keys, got " + py::repr(key).cast<std::string>());
    const std::string path = key.cast<std::string>();
    result[path] = from_python(value, "overrides." + path);
  }
  return result;
}

// The model with the overrides put in its document and read by the one loader, as the service reads
// a quote's (service::read_overrides, service::deal_with_overrides): a new Model of its own, by the
// same name, whose warnings and errors name the fields overridden.
Model with_overrides(const Model& model, const py::object& overrides) {
  const std::string text = overrides_json(overrides).dump();
  py::gil_scoped_release release;
  std::vector<io::FieldOverride> list;
  try {
    list = service::read_overrides(text, model.service->limits());
  } catch (const service::Refusal& refusal) {
    Located located{refusal.what()};
    located.field = refusal.field;
    throw InputProblem(std::move(located));
  }
  const service::BaseModel& base = model.base();
  io::LoadedDeal loaded = service::deal_with_overrides(base, list);
  io::Document document = loaded.source;
  std::optional<deal::Uncertainty> uncertainty = io::read_uncertainty(document);
  std::vector<service::BaseModel> models;
  models.push_back(service::base_model(base.name, base.file, std::move(document), base.catalogue, std::move(loaded)));
  return {std::make_shared<const service::Service>(std::move(models), model.service->limits()), std::move(uncertainty)};
}

py::object quote(const Model& model, const py::object& overrides, bool exact) {
  return service_post(model, "/v1/quote",
                      {{"model", model.base().name}, {"overrides", overrides_json(overrides)}, {"exact", exact}});
}

// A number or the text a model file writes: 0.15, "15%", "1.30x".
json scalar_json(const py::object& value, const std::string& path) {
  if (py::isinstance<py::str>(value)) return value.cast<std::string>();
  return from_python(value, path);
}

py::object bid(const Model& model, const std::string& target, const py::object& value, const py::object& terms,
               const py::object& prepayment, const std::optional<std::string>& contract, const py::object& overrides,
               bool exact, const py::object& credit) {
  json body = {{"model", model.base().name},
               {"target", {{"metric", target}, {"value", scalar_json(value, "value")}}},
               {"overrides", overrides_json(overrides)},
               {"exact", exact}};
  if (!terms.is_none()) body["terms"] = from_python(terms, "terms");
  if (!prepayment.is_none()) {
    json shares = json::array();
    std::size_t index = 0;
    for (const auto& share : prepayment) {
      shares.push_back(scalar_json(py::reinterpret_borrow<py::object>(share), "prepayment[" + std::to_string(index++) + "]"));
    }
    body["prepayment"] = shares;
  }
  if (!credit.is_none()) {
    // One class by name, or a list of them: the command's --credit investment_grade,unrated.
    body["credit"] = py::isinstance<py::str>(credit) ? json::array({credit.cast<std::string>()}) : from_python(credit, "credit");
  }
  if (contract) body["contract"] = *contract;
  return service_post(model, "/v1/bid", body);
}

// ---- run, sensitivity, Monte Carlo -----------------------------------------------------------

solve::ReturnBasis basis_of(const std::string& basis) {
  if (basis == "project") return solve::ReturnBasis::project_post_tax;
  if (basis == "project-pre-tax") return solve::ReturnBasis::project_pre_tax;
  if (basis == "equity") return solve::ReturnBasis::equity;
  refuse("basis: expected project, project-pre-tax or equity, got \"" + basis + "\"");
}

// The `leasecalc.run/1` document, as `leasecalc run --format json` writes it; with `monthly`, its
// `ledger` holds numpy arrays: `months` as datetime64[M], `lines` as float64 by month.
py::object run(const Model& model, bool exact, bool monthly, const std::optional<double>& target_irr, const std::string& basis) {
  const deal::Deal& deal = model.deal();
  const solve::ReturnTarget target{target_irr.value_or(num::to_double(deal.discount_rate)), basis_of(basis)};
  if (!(target.annual_rate > -1 && target.annual_rate < 100)) refuse("target_irr: expected an annual rate above -100% and below 10000%");
  json document;
  {
    py::gil_scoped_release release;
    report::RunReport result = exact ? report::make_run_report<num::Decimal>(deal, monthly, target)
                                     : report::make_run_report<double>(deal, monthly, target);
    result.warnings = model.loaded().warnings;
    document = report_json(result);
  }
  json ledger;
  if (monthly) ledger = std::move(document.at("ledger"));
  py::dict result = to_python(document);
  if (monthly) {
    py::dict lines;
    for (const auto& line : ledger.at("lines").items()) lines[py::str(line.key())] = to_array(line.value().get<std::vector<double>>());
    py::module_ numpy = py::module_::import("numpy");
    py::dict monthly_ledger;
    monthly_ledger["months"] = numpy.attr("array")(to_python(ledger.at("months")), "datetime64[M]");
    monthly_ledger["lines"] = lines;
    result["ledger"] = monthly_ledger;
  }
  return result;
}

py::object sensitivity(const Model& model, double shock, int life_change_months, const std::string& metric, bool grid) {
  if (!(shock > 0 && shock < 1)) refuse("shock: expected a share above 0% and below 100%, such as 0.10");
  if (life_change_months < 1 || life_change_months > 600) refuse("life_change_months: expected a whole number from 1 to 600");
  const auto measure = solve::parse_measure(metric);
  if (!measure) refuse("metric: expected project_irr, equity_irr, net_margin, npv or minimum_dscr, got \"" + metric + "\"");
  solve::TornadoOptions options;
  options.shock = shock;
  options.life_change_months = life_change_months;
  options.sort_by = *measure;
  json document;
  {
    py::gil_scoped_release release;
    report::SensitivityReport result = report::make_sensitivity_report(model.deal(), options, grid);
    result.warnings = model.loaded().warnings;
    document = report_json(result);
  }
  return to_python(document);
}

// The `leasecalc.montecarlo/1` document, with each scenario's figures as numpy arrays: `outcomes`
// (measure key -> float64 by scenario, NaN where the scenario has none) and `changes` (uncertain
// input key -> the drawn change by scenario).
py::object montecarlo(const Model& model, const std::optional<long long>& runs, const std::optional<unsigned long long>& seed,
                      unsigned threads) {
  if (runs && (*runs < 1 || *runs > 10'000'000)) refuse("runs: expected a whole number from 1 to 10000000");
  if (threads < 1 || threads > 256) refuse("threads: expected a whole number from 1 to 256");
  const deal::Deal& deal = model.deal();
  solve::Uncertainty uncertainty = model.uncertainty.value_or(solve::Uncertainty::defaults());
  if (runs) uncertainty.runs = static_cast<int>(*runs);
  if (seed) uncertainty.seed = *seed;
  json document;
  std::vector<std::pair<std::string, std::vector<double>>> outcomes, changes;
  {
    py::gil_scoped_release release;
    report::MonteCarloReport result =
        report::make_monte_carlo_report(deal, uncertainty, model.uncertainty.has_value(), {threads, {}, {}, {}});
    result.warnings = model.loaded().warnings;
    for (const deal::Warning& capped : result.result.warnings) result.warnings.push_back(model.loaded().locate(capped));
    document = report_json(result);
    const auto& mc = result.result;
    for (std::size_t m = 0; m < std::size(solve::all_measures); ++m) {
      std::vector<double> values(static_cast<std::size_t>(mc.outcomes.rows()), std::nan(""));
      for (Eigen::Index run = 0; run < mc.outcomes.rows(); ++run)
        if (mc.defined(run, static_cast<Eigen::Index>(m))) values[static_cast<std::size_t>(run)] = mc.outcomes(run, static_cast<Eigen::Index>(m));
      outcomes.emplace_back(std::string(solve::measure_key(solve::all_measures[m])), std::move(values));
    }
    for (std::size_t i = 0; i < mc.uncertainty.inputs.size() && static_cast<Eigen::Index>(i) < mc.changes.cols(); ++i) {
      std::vector<double> values(static_cast<std::size_t>(mc.changes.rows()));
      for (Eigen::Index run = 0; run < mc.changes.rows(); ++run) values[static_cast<std::size_t>(run)] = mc.changes(run, static_cast<Eigen::Index>(i));
      changes.emplace_back(std::string(solve::uncertainty_key(mc.uncertainty.inputs[i].input)), std::move(values));
    }
  }
  py::dict result = to_python(document);
  py::dict outcome_arrays, change_arrays;
  for (const auto& [key, values] : outcomes) outcome_arrays[py::str(key)] = to_array(values);
  for (const auto& [key, values] : changes) change_arrays[py::str(key)] = to_array(values);
  result["outcomes"] = outcome_arrays;
  result["changes"] = change_arrays;
  return result;
}

// Mean, standard deviation and percentiles as the Monte Carlo report gives them (NaN left out).
py::object summarise(const py::array_t<double, py::array::c_style | py::array::forcecast>& values) {
  std::vector<double> finite;
  for (py::ssize_t i = 0; i < values.size(); ++i)
    if (!std::isnan(values.data()[i])) finite.push_back(values.data()[i]);
  const std::optional<solve::Summary> summary = solve::summarise(std::move(finite));
  if (!summary) return py::none();
  py::dict result;
  result["scenarios"] = summary->scenarios;
  result["mean"] = summary->mean;
  result["sd"] = summary->standard_deviation;
  result["p5"] = summary->p5;
  result["p25"] = summary->p25;
  result["p50"] = summary->p50;
  result["p75"] = summary->p75;
  result["p95"] = summary->p95;
  return result;
}

py::list warnings_of(const Model& model) {
  py::list list;
  for (const io::Warning& warning : model.loaded().warnings) {
    py::dict item;
    item["file"] = warning.position.file;
    item["line"] = warning.position.line;
    item["column"] = warning.position.column;
    item["field"] = warning.field;
    item["message"] = warning.message;
    list.append(item);
  }
  return list;
}

// ---- spreadsheet functions -------------------------------------------------------------------

std::string lower(std::string_view text) {
  std::string result(text);
  for (char& c : result) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return result;
}

// The Python parameters of a spreadsheet function: its cash flows (`values`, and `dates` for dated
// flows) come first, as in IRR(values, guess), except after a leading RATE, as in NPV(rate, values).
std::vector<std::string> python_parameters(const fin::SpreadsheetFunction& function) {
  std::vector<std::string> names;
  for (const auto& parameter : function.parameters) names.push_back(lower(parameter.name));
  if (function.cash_flows == fin::CashFlowInput::none) return names;
  std::vector<std::string> flows{"values"};
  if (function.cash_flows == fin::CashFlowInput::dated_amounts) flows.emplace_back("dates");
  const auto at = names.begin() + (!names.empty() && names.front() == "rate" ? 1 : 0);
  names.insert(at, flows.begin(), flows.end());
  return names;
}

std::string signature(const fin::SpreadsheetFunction& function) {
  std::string text = std::string(function.name) + "(";
  bool first = true;
  for (const std::string& name : python_parameters(function)) {
    if (!first) text += ", ";
    first = false;
    text += name;
    for (const auto& parameter : function.parameters)
      if (lower(parameter.name) == name && !parameter.default_text.empty()) text += "=" + std::string(parameter.default_text);
  }
  return text + ")";
}

std::string docstring(const fin::SpreadsheetFunction& function) {
  std::string text = signature(function) + "\n\n" + std::string(function.summary) + ".\n";
  if (function.cash_flows != fin::CashFlowInput::none)
    text += "  values: the cash flows, in order (money paid out negative)\n";
  if (function.cash_flows == fin::CashFlowInput::dated_amounts)
    text += "  dates: one date per value (datetime.date, \"YYYY-MM-DD\" or a spreadsheet serial day)\n";
  for (const auto& parameter : function.parameters) text += "  " + lower(parameter.name) + ": " + std::string(parameter.meaning) + "\n";
  return text;
}

// An argument as the spreadsheet table reads it: a number, or text in the grammar of model files
// ("7.5%", "2.26e9").
std::string argument_text(py::handle value, const std::string& name) {
  if (py::isinstance<py::str>(value)) return value.cast<std::string>();
  if (py::isinstance<py::bool_>(value) || !(py::hasattr(value, "__float__") || py::hasattr(value, "__index__")))
    throw py::type_error(name + ": expected a number, got " + py::str(py::type::of(value).attr("__name__")).cast<std::string>());
  if (py::hasattr(value, "__index__")) return py::str(py::reinterpret_steal<py::object>(PyNumber_Index(value.ptr()))).cast<std::string>();
  return py::repr(py::float_(value.cast<double>())).cast<std::string>();
}

fin::SpreadsheetOutcome call_spreadsheet(const fin::SpreadsheetFunction& function, const py::args& args, const py::kwargs& kwargs) {
  const std::vector<std::string> names = python_parameters(function);
  std::vector<std::optional<py::object>> given(names.size());
  if (args.size() > names.size())
    throw py::type_error(std::string(function.name) + "() takes at most " + std::to_string(names.size()) + " arguments (" +
                         std::to_string(args.size()) + " given)");
  for (std::size_t i = 0; i < args.size(); ++i) given[i] = py::reinterpret_borrow<py::object>(args[i]);
  for (const auto& [key, value] : kwargs) {
    const std::string name = key.cast<std::string>();
    const auto found = std::find(names.begin(), names.end(), name);
    if (found == names.end()) throw py::type_error(std::string(function.name) + "() got an unexpected keyword argument '" + name + "'");
    auto& slot = given[static_cast<std::size_t>(found - names.begin())];
    if (slot) throw py::type_error(std::string(function.name) + "() got multiple values for argument '" + name + "'");
    slot = py::reinterpret_borrow<py::object>(value);
  }
  fin::CashFlows flows;
  std::vector<std::string> texts;
  std::size_t last_given = 0;
  for (std::size_t p = 0; p < function.parameters.size(); ++p) {
    const std::string name = lower(function.parameters[p].name);
    if (given[static_cast<std::size_t>(std::find(names.begin(), names.end(), name) - names.begin())]) last_given = p + 1;
  }
  for (std::size_t p = 0; p < function.parameters.size(); ++p) {
    const auto& parameter = function.parameters[p];
    const std::string name = lower(parameter.name);
    const auto& value = given[static_cast<std::size_t>(std::find(names.begin(), names.end(), name) - names.begin())];
    if (value) texts.push_back(argument_text(*value, name));
    else if (parameter.default_text.empty())
      throw py::type_error(std::string(function.name) + "() missing required argument '" + name + "'");
    else if (p < last_given) texts.emplace_back(parameter.default_text);
  }
  if (function.cash_flows != fin::CashFlowInput::none) {
    const auto& values = given[static_cast<std::size_t>(std::find(names.begin(), names.end(), "values") - names.begin())];
    if (!values) throw py::type_error(std::string(function.name) + "() missing required argument 'values'");
    flows.amounts = py::cast<std::vector<double>>(py::module_::import("builtins").attr("list")(*values));
    if (function.cash_flows == fin::CashFlowInput::dated_amounts) {
      const auto& dates = given[static_cast<std::size_t>(std::find(names.begin(), names.end(), "dates") - names.begin())];
      if (!dates) throw py::type_error(std::string(function.name) + "() missing required argument 'dates'");
      for (const auto& date : *dates) {
        if (py::isinstance<py::int_>(date) && !py::isinstance<py::bool_>(date)) flows.days.push_back(date.cast<int>());
        else if (py::isinstance<py::str>(date)) flows.days.push_back(fin::parse_serial_day(date.cast<std::string>()));
        else if (py::hasattr(date, "isoformat")) flows.days.push_back(fin::parse_serial_day(date.attr("isoformat")().cast<std::string>()));
        else throw py::type_error(std::string(function.name) + "(): dates: expected datetime.date, \"YYYY-MM-DD\" or a serial day");
      }
      if (flows.days.size() != flows.amounts.size())
        refuse(std::string(function.name) + ": needs one date per value (" + std::to_string(flows.amounts.size()) + " values, " +
               std::to_string(flows.days.size()) + " dates)");
    }
  }
  std::vector<std::string_view> views(texts.begin(), texts.end());
  return fin::evaluate(function, views, flows);
}

double value_or_raise(const fin::SpreadsheetOutcome& outcome) {
  if (const auto* none = std::get_if<fin::SpreadsheetNoResult>(&outcome)) {
    PyErr_SetString(error_type("NoResult").ptr(), none->message.c_str());
    throw py::error_already_set();
  }
  return std::get<fin::SpreadsheetValue>(outcome).value;
}

const fin::SpreadsheetFunction& spreadsheet_function(const std::string& name) {
  const fin::SpreadsheetFunction* function = fin::find_spreadsheet_function(name);
  if (!function) refuse("calc: unknown function '" + name + "'; leasecalc.spreadsheet_functions() lists them");
  return *function;
}

}  // namespace

}  // namespace leasecalc::python

PYBIND11_MODULE(leasecalc, module) {
  using namespace leasecalc;
  using namespace leasecalc::python;
  module.doc() =
      "leasecalc: the economics of renting out GPUs (docs/python.md).\n\n"
      "    model = leasecalc.load(\"models/guosen-2025-standard-10k.yaml\")\n"
      "    model.run()[\"returns\"][\"equity_irr\"][\"rate\"]\n"
      "    model.quote({\"contracts[0].take_or_pay.price\": \"60000 CNY/server-month\"})\n";
  module.attr("__version__") = std::string(leasecalc::version());

  PyObject* input_error = PyErr_NewExceptionWithDoc(
      "leasecalc.InputError",
      "A model, an override or an argument the library refuses. str() is the located message\n"
      "(FILE:LINE:COLUMN: FIELD: DETAIL); the attributes file, line, column (0 when unknown), field\n"
      "(the field path), expected and got give its parts.",
      PyExc_ValueError, nullptr);
  PyObject* no_result = PyErr_NewExceptionWithDoc(
      "leasecalc.NoResult", "A spreadsheet function with valid arguments but no answer (an IRR of flows of one sign).",
      PyExc_ArithmeticError, nullptr);
  if (!input_error || !no_result) throw py::error_already_set();
  module.attr("InputError") = py::reinterpret_steal<py::object>(input_error);
  module.attr("NoResult") = py::reinterpret_steal<py::object>(no_result);

  py::register_exception_translator([](std::exception_ptr error) {
    try {
      if (error) std::rethrow_exception(error);
    } catch (const io::InputError& e) {
      set_input_error({e.what(), e.file(), e.line(), e.column(), e.path(), e.expected(), e.got()});
    } catch (const InputProblem& e) {
      set_input_error(e.located);
    } catch (const std::invalid_argument& e) {  // an input the library refuses (a bad argument of calc, ...)
      set_input_error({e.what()});
    } catch (const std::domain_error& e) {
      set_input_error({e.what()});
    }
  });

  py::class_<Model>(module, "Model",
                    "A loaded model (leasecalc.load). Immutable: one Model may serve many threads at once;\n"
                    "the engine runs with the GIL released.")
      .def_property_readonly("name", [](const Model& m) { return m.base().name; }, "the name quotes call it by (the file's stem)")
      .def_property_readonly("deal_name", [](const Model& m) { return m.deal().name; })
      .def_property_readonly("currency", [](const Model& m) { return m.deal().currency; })
      .def_property_readonly("horizon_months", [](const Model& m) { return m.deal().horizon_months; })
      .def_property_readonly("file", [](const Model& m) { return m.base().file.string(); })
      .def_property_readonly("warnings", &warnings_of, "warnings about the model, each with its file, line, column and field")
      .def("run", &run, py::arg("exact") = true, py::arg("monthly") = false, py::arg("target_irr") = py::none(),
           py::arg("basis") = "project",
           "The leasecalc.run/1 document (as `leasecalc run --format json`) as a dict. exact: the decimal\n"
           "ledger (else double); monthly: add `ledger` with `months` (numpy datetime64[M]) and `lines`\n"
           "(line key -> numpy float64 by month); target_irr, basis: the return the break-even figures earn\n"
           "(project, project-pre-tax or equity; default: the discount rate, post-tax project).")
      .def("quote", &quote, py::arg("overrides") = py::none(), py::arg("exact") = false,
           "POST /v1/quote of this model: overrides map field paths (as error messages name them) to\n"
           "values as the model file writes them. Returns the leasecalc.quote/1 document.")
      .def("bid", &bid, py::arg("target"), py::arg("value"), py::arg("terms") = py::none(), py::arg("prepayment") = py::none(),
           py::arg("contract") = py::none(), py::arg("overrides") = py::none(), py::arg("exact") = false,
           py::arg("credit") = py::none(),
           "POST /v1/bid of this model: the lowest price of a take-or-pay contract that earns the target\n"
           "(equity-irr, project-irr, project-irr-pre-tax, minimum-dscr or net-margin) of `value` (0.15,\n"
           "\"15%\", \"1.30x\"), over terms (months), prepayment shares and the customer's credit classes\n"
           "(credit: \"investment_grade\", \"sub_investment_grade\", \"unrated\", or a list of them, as\n"
           "`leasecalc bid --credit`). Returns the leasecalc.bid/1 document.")
      .def("with_overrides", &with_overrides, py::arg("overrides"),
           "A new Model: this one with overrides (field paths, as error messages name them, to values as the\n"
           "model file writes them, or dicts and lists for whole sections) put in its document and read by\n"
           "the one loader, as a quote reads them. This model is unchanged.")
      .def("sensitivity", &sensitivity, py::arg("shock") = 0.10, py::arg("life_change_months") = 12,
           py::arg("metric") = "npv", py::arg("grid") = false,
           "The tornado (and with grid, the price x volume grid) as `leasecalc sensitivity --format json`.")
      .def("montecarlo", &montecarlo, py::arg("runs") = py::none(), py::arg("seed") = py::none(), py::arg("threads") = 1u,
           "The leasecalc.montecarlo/1 document, plus `outcomes` (measure -> numpy array by scenario, NaN\n"
           "where none) and `changes` (input -> the drawn change by scenario). runs and seed default to the\n"
           "model's `uncertainty:` section (else 2000 and 42); the same seed gives the same result on any\n"
           "number of threads.")
      .def("__repr__", [](const Model& m) { return "<leasecalc.Model " + m.base().name + ": " + m.deal().name + ">"; });

  module.def("load", &load, py::arg("source"), py::kw_only(), py::arg("name") = py::none(), py::arg("directory") = py::none(),
             py::arg("catalog") = py::none(),
             "A model from a path (str or os.PathLike), its YAML or JSON text, or a dict.\n"
             "name: what messages call a model given as text or dict (default \"model\"); directory: where\n"
             "its relative `catalog:` is taken from (default: the working directory); catalog: a GPU\n"
             "catalogue file to use instead of the model's.");
  module.def("from_yaml", &from_text, py::arg("text"), py::kw_only(), py::arg("name") = "model",
             py::arg("directory") = py::none(), py::arg("catalog") = py::none(), "A model from its YAML text.");
  module.def("from_json", &from_text, py::arg("text"), py::kw_only(), py::arg("name") = "model",
             py::arg("directory") = py::none(), py::arg("catalog") = py::none(), "A model from its JSON text.");
  module.def("from_dict", &from_dict, py::arg("model"), py::kw_only(), py::arg("name") = "model",
             py::arg("directory") = py::none(), py::arg("catalog") = py::none(),
             "A model from a dict with the keys of a model file (docs/model-format.md).");
  module.def("summarise", &summarise, py::arg("values"),
             "Mean, sd and P5-P95 (PERCENTILE.INC) of the values that are not NaN, as a Monte Carlo\n"
             "report gives them; None when there are none.");

  // The spreadsheet functions, one per entry of the library's table.
  py::list names;
  for (const fin::SpreadsheetFunction& function : fin::spreadsheet_functions()) {
    const fin::SpreadsheetFunction* entry = &function;
    module.def(
        std::string(function.name).c_str(),
        [entry](const py::args& args, const py::kwargs& kwargs) { return value_or_raise(call_spreadsheet(*entry, args, kwargs)); },
        docstring(function).c_str());
    names.append(std::string(function.name));
  }
  module.def(
      "calc",
      [](const std::string& name, const py::args& args, const py::kwargs& kwargs) {
        const fin::SpreadsheetOutcome outcome = call_spreadsheet(spreadsheet_function(name), args, kwargs);
        py::dict result;
        result["value"] = value_or_raise(outcome);
        result["note"] = std::get<fin::SpreadsheetValue>(outcome).note;
        return result;
      },
      py::arg("name"),
      "A spreadsheet function by name, as `leasecalc calc`: {\"value\": ..., \"note\": ...}; the note says,\n"
      "e.g., which of several IRRs is given.");
  module.def(
      "spreadsheet_functions",
      [] {
        py::list list;
        for (const fin::SpreadsheetFunction& function : fin::spreadsheet_functions()) {
          py::dict item;
          item["name"] = std::string(function.name);
          item["summary"] = std::string(function.summary);
          item["signature"] = signature(function);
          list.append(item);
        }
        return list;
      },
      "Every spreadsheet function: name, summary and Python signature.");
}
