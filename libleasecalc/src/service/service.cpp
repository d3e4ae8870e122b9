// The pricing service: routes, request reading, quotes with overrides, bids, batches and problem
// documents (docs/serve.md). Every answer's figures come from the same writers as the CLI's JSON.
#include "leasecalc/service/service.hpp"

#include "../report/run_json.hpp"

#include "leasecalc/io/units.hpp"
#include "leasecalc/report/bid.hpp"
#include "leasecalc/report/run_report.hpp"
#include "leasecalc/solve/bid.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <deque>
#include <exception>
#include <fstream>
#include <iterator>
#include <new>
#include <optional>
#include <shared_mutex>
#include <sstream>
#include <stdexcept>
#include <unordered_map>
#include <utility>
#include <variant>

namespace leasecalc::service {

using nlohmann::json;

namespace {

// Nesting a request may use: a quote needs three levels, a structured override a few more.
constexpr int max_request_nesting = 32;

[[noreturn]] void unprocessable(const std::string& field, const std::string& detail) {
  throw Refusal(422, "invalid-request", "The request does not match its schema", field + ": " + detail, field);
}

// "contracts[0].take_or_pay.price" -> "/contracts/0/take_or_pay/price" (RFC 6901).
std::string json_pointer(std::string_view path) {
  std::string pointer;
  bool step_start = true;
  for (const char c : path) {
    if (c == '.' || c == '[') {
      step_start = true;
      continue;
    }
    if (c == ']') continue;
    if (step_start) pointer += '/';
    step_start = false;
    if (c == '~') pointer += "~0";
    else if (c == '/') pointer += "~1";
    else pointer += c;
  }
  return pointer;
}

bool deeper_than(const json& value, int levels) {
  if (levels < 0) return true;
  if (!value.is_structured()) return false;
  for (const auto& item : value) {
    if (deeper_than(item, levels - 1)) return true;
  }
  return false;
}

json parse_json_body(const std::string& body) {
  json value;
  try {
    value = json::parse(body);
  } catch (const json::parse_error& error) {
    // nlohmann's message names the byte; the line and column help a person find it.
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i + 1 < error.byte && i < body.size(); ++i) {
      if (body[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    throw Refusal(400, "malformed-json", "The body is not valid JSON",
                  "line " + std::to_string(line) + ", column " + std::to_string(column) + " (byte " +
                      std::to_string(error.byte) + "): " + error.what());
  } catch (const json::out_of_range& error) {  // a number beyond a double's range ("1e999")
    throw Refusal(400, "malformed-json", "The body holds a number beyond a double's range", error.what());
  }
  if (deeper_than(value, max_request_nesting))
    throw Refusal(400, "malformed-json", "The body is nested too deeply",
                  "the request nests more than " + std::to_string(max_request_nesting) + " levels of objects and arrays");
  return value;
}

const char* type_name(const json& value) {
  switch (value.type()) {
    case json::value_t::object: return "an object";
    case json::value_t::array: return "an array";
    case json::value_t::string: return "a string";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::null: return "null";
    default: return "a number";
  }
}

// A JSON object read strictly: each key is taken once, and finish() refuses any other.
class RequestObject {
 public:
  RequestObject(const json& value, std::string path) : value_(value), path_(std::move(path)) {
    if (!value.is_object()) unprocessable(where(), std::string("expected an object, got ") + type_name(value));
  }
  const json* optional(std::string_view key) {
    taken_.emplace_back(key);
    const auto found = value_.find(key);
    return found == value_.end() ? nullptr : &*found;
  }
  const json& required(std::string_view key, std::string_view expected) {
    const json* value = optional(key);
    if (!value) unprocessable(where(), "missing key '" + std::string(key) + "' (" + std::string(expected) + ")");
    return *value;
  }
  std::string child(std::string_view key) const { return path_.empty() ? std::string(key) : path_ + "." + std::string(key); }
  void finish() const {
    for (const auto& entry : value_.items()) {
      if (std::find(taken_.begin(), taken_.end(), entry.key()) == taken_.end())
        unprocessable(child(entry.key()), "unknown key; expected " + text::join_alternatives(taken_));
    }
  }

 private:
  std::string where() const { return path_.empty() ? "the request" : path_; }
  const json& value_;
  std::string path_;
  std::vector<std::string> taken_;
};

std::string required_string(const json& value, const std::string& path) {
  if (!value.is_string()) unprocessable(path, std::string("expected a string, got ") + type_name(value));
  return value.get<std::string>();
}

bool required_bool(const json& value, const std::string& path) {
  if (!value.is_boolean()) unprocessable(path, std::string("expected true or false, got ") + type_name(value));
  return value.get<bool>();
}

// A number as a model file would write it, from a JSON string or number.
std::string scalar_text(const json& value, const std::string& path, std::string_view expected) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number()) return value.dump();
  unprocessable(path, "expected " + std::string(expected) + ", got " + type_name(value));
}

std::vector<io::FieldOverride> overrides_of(const json* overrides, const Limits& limits) {
  std::vector<io::FieldOverride> result;
  if (!overrides) return result;
  if (!overrides->is_object())
    unprocessable("overrides", std::string("expected an object of field paths and values, got ") + type_name(*overrides));
  if (overrides->size() > limits.max_overrides)
    unprocessable("overrides", "expected at most " + std::to_string(limits.max_overrides) + " overrides, got " +
                                   std::to_string(overrides->size()));
  for (const auto& entry : overrides->items()) {
    const json& value = entry.value();
    const std::string path = "overrides." + entry.key();
    if (value.is_string()) result.push_back({entry.key(), value.get<std::string>(), false});
    else if (value.is_number() || value.is_boolean()) result.push_back({entry.key(), value.dump(), false});
    else if (value.is_structured()) result.push_back({entry.key(), value.dump(), true});
    else unprocessable(path, "expected a value as the model file writes it (text such as \"60000 CNY/server-month\", a number, "
                             "a boolean, or an object or array for a whole section), got null");
  }
  return result;
}

const BaseModel& find_model(const std::vector<BaseModel>& models, const json& name_value) {
  const std::string name = required_string(name_value, "model");
  for (const BaseModel& model : models) {
    if (model.name == name) return model;
  }
  std::vector<std::string> names;
  for (const BaseModel& model : models) names.push_back(model.name);
  throw Refusal(422, "unknown-model", "No base model has that name",
                "model: expected one of " + text::join_alternatives(names) + ", got \"" + name + "\"", "model");
}

// The headline figures only (report::make_headline_report): what a quote answers with.
report::RunReport headline_report(const io::LoadedDeal& loaded, bool exact) {
  const deal::Deal& deal = loaded.deal;
  const solve::ReturnTarget target{num::to_double(deal.discount_rate), solve::ReturnBasis::project_post_tax};
  report::RunReport result = exact ? report::make_headline_report(deal, engine::project<num::Decimal>(deal), target)
                                   : report::make_headline_report(deal, engine::project<double>(deal), target);
  result.warnings = loaded.warnings;
  return result;
}

report::RunReport run_report(const io::LoadedDeal& loaded, bool exact, bool monthly) {
  const deal::Deal& deal = loaded.deal;
  const solve::ReturnTarget target{num::to_double(deal.discount_rate), solve::ReturnBasis::project_post_tax};
  report::RunReport result = exact ? report::make_run_report<num::Decimal>(deal, monthly, target)
                                   : report::make_run_report<double>(deal, monthly, target);
  result.warnings = loaded.warnings;
  return result;
}

// A request's bytes reach the answers (a malformed body quoted in a parse error, a posted model's
// names): bytes that are not UTF-8 are written as U+FFFD rather than failing the answer.
std::string json_text(const json& document, int indent = -1) {
  return document.dump(indent, ' ', false, json::error_handler_t::replace);
}

// The CLI's `run --format json` text (report::write_json), with the replacement above.
std::string run_text(const report::RunReport& result) { return json_text(report::run_json(result), 2) + "\n"; }

// The sections of the run document a quote answers with: the deal, the returns, the summary (with
// the margins), the break-even figures, their notes and the warnings, as JSON text. The
// statements, the years' series and the covenant tests are left to /v1/run.
std::string quote_text(const std::string& model, const io::LoadedDeal& loaded, bool exact) {
  return report::run_json_headline_text(headline_report(loaded, exact), "leasecalc.quote/1", model);
}

struct QuoteRequest {
  const BaseModel* model = nullptr;
  std::vector<io::FieldOverride> overrides;
  bool exact = false;
};

QuoteRequest read_quote(const json& body, const std::vector<BaseModel>& models, const Limits& limits, const std::string& path) {
  RequestObject request(body, path);
  QuoteRequest quote;
  quote.model = &find_model(models, request.required("model", "the name of a base model, from GET /v1/models"));
  quote.overrides = overrides_of(request.optional("overrides"), limits);
  if (const json* exact = request.optional("exact")) quote.exact = required_bool(*exact, request.child("exact"));
  request.finish();
  return quote;
}

// What decides a quote's answer, as one key: the base model's name (find_model gives one model a
// name), `exact` and each override in order. Each part is preceded by its length, so that no two
// different requests share a key whatever bytes their paths and values hold.
std::string quote_key(const QuoteRequest& quote) {
  std::string key;
  const auto add = [&key](std::string_view part) {
    key += std::to_string(part.size());
    key += ':';
    key += part;
  };
  add(quote.model->name);
  key += quote.exact ? 'e' : 'f';
  for (const io::FieldOverride& override : quote.overrides) {
    add(override.path);
    key += override.structured ? 's' : 'v';
    add(override.value);
  }
  return key;
}

}  // namespace

// A quote's answer, as the text of its document: /v1/quote sends it as it is, and a batch puts it
// in its results as it is.
struct QuoteAnswer {
  std::string text;
};

class QuoteAnswers {
 public:
  explicit QuoteAnswers(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  std::shared_ptr<const QuoteAnswer> find(const std::string& key) const {
    const std::shared_lock lock(mutex_);
    const auto found = answers_.find(key);
    return found == answers_.end() ? nullptr : found->second;
  }

  std::size_t size() const {
    const std::shared_lock lock(mutex_);
    return answers_.size();
  }

  // Kept until the bytes kept would pass the limit: then the oldest answers go first.
  void keep(std::string key, std::shared_ptr<const QuoteAnswer> answer) {
    const std::size_t bytes = size_of(key, *answer);
    if (bytes > max_bytes_ / 4) return;  // a rare large request does not push out many small ones
    const std::unique_lock lock(mutex_);
    const auto [entry, added] = answers_.try_emplace(std::move(key), std::move(answer));
    if (!added) return;  // another thread answered the same quote meanwhile
    order_.push_back(&entry->first);
    bytes_ += bytes;
    while (bytes_ > max_bytes_) {
      const auto oldest = answers_.find(*order_.front());
      bytes_ -= size_of(oldest->first, *oldest->second);
      order_.pop_front();
      answers_.erase(oldest);
    }
  }

 private:
  static std::size_t size_of(const std::string& key, const QuoteAnswer& answer) { return key.size() + answer.text.size(); }

  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const QuoteAnswer>> answers_;
  std::deque<const std::string*> order_;  // the keys, oldest first (a map's keys stay where they are)
  std::size_t bytes_ = 0;
  const std::size_t max_bytes_;
};

namespace {

// The answer to a quote: kept from an earlier request with the same key, or computed (and kept).
std::shared_ptr<const QuoteAnswer> answer_quote(const QuoteRequest& quote, QuoteAnswers* answers) {
  std::string key;
  if (answers) {
    key = quote_key(quote);
    if (auto kept = answers->find(key)) return kept;
  }
  auto answer = std::make_shared<QuoteAnswer>();
  answer->text = quote_text(quote.model->name, deal_with_overrides(*quote.model, quote.overrides, SourceKept::deal_sections),
                            quote.exact);
  if (answers) answers->keep(std::move(key), answer);
  return answer;
}

json problem_json(int status, std::string_view type, std::string_view title, std::string_view detail, std::string_view field) {
  json document = {{"type", "urn:leasecalc:problem:" + std::string(type)},
                   {"title", title},
                   {"status", status},
                   {"detail", detail}};
  if (!field.empty()) {
    document["field"] = field;
    document["pointer"] = json_pointer(field);
  }
  return document;
}

json input_error_json(const io::InputError& error) {
  json document = problem_json(422, "invalid-model", "The model is not valid", error.what(), error.path());
  if (!error.expected().empty()) document["expected"] = error.expected();
  if (!error.got().empty()) document["got"] = error.got();
  if (error.line() > 0) {
    document["line"] = error.line();
    document["column"] = error.column();
  }
  return document;
}

Response json_response(const json& document, int status = 200) {
  Response response;
  response.status = status;
  response.body = json_text(document);
  return response;
}

Response problem_response(const json& document) {
  Response response;
  response.status = document.at("status").get<int>();
  response.content_type = "application/problem+json";
  response.body = json_text(document);
  return response;
}

// The answer to a quote, or the problem with it: one batch item, as JSON text. A quote's answer is
// put in as its text, which is what dumping its document inside the item's would write (the
// item's keys in order: "problem" or "quote", then "status").
std::string quote_result(const json& item, const std::vector<BaseModel>& models, const Limits& limits, const std::string& path,
                         QuoteAnswers* answers) {
  const auto problem_item = [](int status, const json& problem) { return json_text({{"status", status}, {"problem", problem}}); };
  try {
    const QuoteRequest quote = read_quote(item, models, limits, path);
    return "{\"quote\":" + answer_quote(quote, answers)->text + ",\"status\":200}";
  } catch (const Refusal& refusal) {
    return problem_item(refusal.status, problem_json(refusal.status, refusal.type, refusal.title, refusal.what(), refusal.field));
  } catch (const io::InputError& error) {
    return problem_item(422, input_error_json(error));
  } catch (const std::invalid_argument& error) {
    return problem_item(422, problem_json(422, "invalid-model", "The model is not valid", error.what(), {}));
  }
}

// ---- the bid ----------------------------------------------------------------------------------

Response bid(const json& body, const std::vector<BaseModel>& models, const Limits& limits) {
  constexpr std::size_t max_grid = 16;  // terms, prepayment shares or credit classes: a bid solves each point
  RequestObject request(body, {});
  const BaseModel& model = find_model(models, request.required("model", "the name of a base model, from GET /v1/models"));
  const std::vector<io::FieldOverride> overrides = overrides_of(request.optional("overrides"), limits);
  solve::BidRequest bid_request;
  {
    RequestObject target(request.required("target", "{\"metric\": \"equity-irr\", \"value\": \"15%\"}"), "target");
    const std::string name = required_string(target.required("metric", report::bid_metric_names), "target.metric");
    const auto metric = solve::parse_bid_metric(name);
    if (!metric) unprocessable("target.metric", "expected " + std::string(report::bid_metric_names) + ", got \"" + name + "\"");
    const std::string expected(report::bid_target_value_expected(*metric));
    const std::string text = scalar_text(target.required("value", "a rate such as \"15%\" or a multiple such as \"1.30x\""), "target.value", expected);
    const auto value = report::parse_bid_target_value(*metric, text);
    if (!value) unprocessable("target.value", "expected " + expected + ", got \"" + text + "\"");
    bid_request.target = {*metric, *value};
    target.finish();
  }
  const auto list = [&](const char* key) -> const json* {
    const json* value = request.optional(key);
    if (!value) return nullptr;
    if (!value->is_array() || value->empty() || value->size() > max_grid)
      unprocessable(key, "expected an array of 1 to " + std::to_string(max_grid) + " values, got " +
                             (value->is_array() ? std::to_string(value->size()) + " values" : type_name(*value)));
    return value;
  };
  if (const json* terms = list("terms")) {
    for (std::size_t i = 0; i < terms->size(); ++i) {
      const json& term = (*terms)[i];
      if (!term.is_number_integer() || term.get<long long>() < 1 || term.get<long long>() > 360)
        unprocessable("terms[" + std::to_string(i) + "]", "expected whole months from 1 to 360, got " + term.dump());
      bid_request.term_months.push_back(static_cast<int>(term.get<long long>()));
    }
  }
  if (const json* shares = list("prepayment")) {
    for (std::size_t i = 0; i < shares->size(); ++i) {
      const std::string path = "prepayment[" + std::to_string(i) + "]";
      const std::string text = scalar_text((*shares)[i], path, "a share from 0% to below 100%, such as \"15%\"");
      std::optional<num::Decimal> share;
      try {
        share = io::parse_percent(text);
      } catch (const io::ParseError&) {
      }
      if (!share || *share < 0 || *share >= 1) unprocessable(path, "expected a share from 0% to below 100%, such as \"15%\", got \"" + text + "\"");
      bid_request.prepayment_shares.push_back(*share);
    }
  }
  // The customer's credit classes, as `leasecalc bid --credit` takes them.
  if (const json* classes = list("credit")) {
    for (std::size_t i = 0; i < classes->size(); ++i) {
      const std::string path = "credit[" + std::to_string(i) + "]";
      const std::string name = required_string((*classes)[i], path);
      const auto named = std::ranges::find(deal::credit_class_names, name, [](const auto& entry) { return entry.first; });
      if (named == deal::credit_class_names.end())
        unprocessable(path, "expected a credit class (investment_grade, sub_investment_grade or unrated), got \"" + name + "\"");
      bid_request.credit_classes.push_back(named->second);
    }
  }
  const auto axis = [](std::size_t size) { return std::max<std::size_t>(1, size); };
  const std::size_t points = axis(bid_request.term_months.size()) * axis(bid_request.prepayment_shares.size()) *
                             axis(bid_request.credit_classes.size());
  if (points > limits.max_bid_points)
    unprocessable("terms", "expected at most " + std::to_string(limits.max_bid_points) +
                               " terms x prepayment shares x credit classes, got " + std::to_string(points));
  if (const json* contract = request.optional("contract")) bid_request.contract = required_string(*contract, "contract");
  bool exact = false;
  if (const json* value = request.optional("exact")) exact = required_bool(*value, "exact");
  request.finish();
  const io::LoadedDeal loaded = deal_with_overrides(model, overrides, SourceKept::deal_sections);
  const report::BidReport result{exact ? solve::bid<num::Decimal>(loaded.deal, bid_request) : solve::bid<double>(loaded.deal, bid_request),
                                 loaded.warnings};
  std::ostringstream out;
  report::write_json(out, result);
  Response response;
  response.body = std::move(out).str();
  return response;
}

// ---- the routes -------------------------------------------------------------------------------

struct Route {
  std::string_view path;
  std::string_view method;
};

constexpr Route routes[] = {
    {"/healthz", "GET"},   {"/openapi.json", "GET"}, {"/v1/models", "GET"}, {"/v1/run", "POST"},
    {"/v1/quote", "POST"}, {"/v1/bid", "POST"},      {"/v1/batch", "POST"},
};

bool is_yaml(std::string_view content_type) {
  const std::string_view media = content_type.substr(0, content_type.find(';'));
  for (const std::string_view yaml : {"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"}) {
    if (media.size() >= yaml.size() && media.substr(0, yaml.size()) == yaml) return true;
  }
  return false;
}

// "fast=true&monthly=1": a flag is on when present with no value, "true" or "1".
bool query_flag(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view item = query.substr(0, amp);
    const std::size_t equals = item.find('=');
    if (item.substr(0, equals) == name) {
      if (equals == std::string_view::npos) return true;
      const std::string_view value = item.substr(equals + 1);
      if (value == "true" || value == "1") return true;
      if (value == "false" || value == "0") return false;
      unprocessable(std::string(name), "expected true or false in the query, got \"" + std::string(value) + "\"");
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return false;
}

}  // namespace

Response problem(int status, std::string_view type, std::string_view title, std::string_view detail, std::string_view field) {
  return problem_response(problem_json(status, type, title, detail, field));
}

std::vector<io::FieldOverride> read_overrides(std::string_view json_object, const Limits& limits) {
  const json overrides = parse_json_body(std::string(json_object));
  return overrides_of(&overrides, limits);
}

io::LoadedDeal deal_with_overrides(const BaseModel& model, std::span<const io::FieldOverride> overrides, SourceKept kept) {
  if (overrides.empty()) return model.loaded;
  // The model without its `uncertainty:` section (less to copy), unless an override reaches into it.
  const io::Document& base = !io::reaches(overrides, "uncertainty") && kept == SourceKept::deal_sections && model.deal_sections
                                 ? *model.deal_sections
                                 : model.document;
  return io::read_deal_with_overrides(base, model.loaded.deal, overrides, model.catalogue);
}

BaseModel base_model(std::string name, std::filesystem::path file, io::Document document, io::Catalogue catalogue,
                     io::LoadedDeal loaded) {
  std::optional<io::Document> deal_sections = document.without("uncertainty");
  return {std::move(name), std::move(file), std::move(document), std::move(catalogue), std::move(loaded), std::move(deal_sections)};
}

std::vector<BaseModel> load_base_models(const std::filesystem::path& directory) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    const std::string extension = entry.path().extension().string();
    if (entry.is_regular_file() && (extension == ".yaml" || extension == ".yml" || extension == ".json"))
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<BaseModel> models;
  for (const auto& file : files) {
    // Named by the file's name alone: messages to clients do not show the server's directories.
    std::ifstream stream(file, std::ios::binary);
    if (!stream) throw io::InputError(io::SourcePosition{file.string()}, {}, "cannot read the file");
    const std::string text((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
    io::Document document = io::Document::parse(text, file.filename().string());
    io::Catalogue catalogue = io::catalogue_of(document, file);
    io::LoadedDeal loaded = io::read_deal_with_warnings(document, catalogue);
    models.push_back(base_model(file.stem().string(), file, std::move(document), std::move(catalogue), std::move(loaded)));
  }
  return models;
}

Service::Service(std::vector<BaseModel> models, Limits limits)
    : models_(std::move(models)),
      limits_(limits),
      quote_answers_(limits.quote_answer_bytes > 0 ? std::make_unique<QuoteAnswers>(limits.quote_answer_bytes) : nullptr) {}
Service::Service(Service&&) noexcept = default;
std::size_t Service::quote_answers_kept() const { return quote_answers_ ? quote_answers_->size() : 0; }
Service::~Service() = default;

Response Service::handle(const Request& request, Clock::time_point deadline) const {
  try {
    return route(request, deadline);
  } catch (const Refusal& refusal) {
    return problem(refusal.status, refusal.type, refusal.title, refusal.what(), refusal.field);
  } catch (const io::InputError& error) {
    return problem_response(input_error_json(error));
  } catch (const std::invalid_argument& error) {  // an input the library refuses (a bid's contract name, ...)
    return problem(422, "invalid-model", "The model is not valid", error.what());
  } catch (const std::bad_alloc&) {
    return problem(503, "out-of-memory", "The service is out of memory", "try again later, or send a smaller request");
  } catch (const std::exception& error) {
    return problem(500, "internal-error", "The service failed on this request", error.what());
  }
}

Response Service::route(const Request& request, Clock::time_point deadline) const {
  const std::string_view target = request.target;
  const std::size_t question = target.find('?');
  const std::string_view path = target.substr(0, question);
  const std::string_view query = question == std::string_view::npos ? std::string_view{} : target.substr(question + 1);
  const Route* route = nullptr;
  for (const Route& candidate : routes) {
    if (candidate.path == path) route = &candidate;
  }
  if (!route)
    return problem(404, "not-found", "No such endpoint",
                   "no endpoint at " + std::string(path) + "; GET /openapi.json describes them");
  if (request.method != route->method) {
    Response response = problem(405, "method-not-allowed", "Method not allowed",
                                std::string(path) + " takes " + std::string(route->method) + ", not " + request.method);
    response.allow = route->method;
    return response;
  }
  if (request.body.size() > limits_.max_body_bytes)
    return problem(413, "body-too-large", "The body is too large",
                   "a body may hold at most " + std::to_string(limits_.max_body_bytes) + " bytes");

  if (path == "/healthz") return json_response({{"status", "ok"}, {"models", models_.size()}});
  if (path == "/openapi.json") {
    Response response;
    response.body = std::string(openapi_document());
    return response;
  }
  if (path == "/v1/models") {
    json list = json::array();
    for (const BaseModel& model : models_) {
      const deal::Deal& deal = model.loaded.deal;
      json contracts = json::array();
      for (const auto& contract : deal.contracts) contracts.push_back(std::visit([](const auto& kind) { return kind.name; }, contract));
      list.push_back({{"name", model.name},
                      {"deal_name", deal.name},
                      {"currency", deal.currency},
                      {"start", time::format_date(deal.start)},
                      {"horizon_months", deal.horizon_months},
                      {"discount_rate", num::to_double(deal.discount_rate)},
                      {"sku", deal.cluster.sku.name},
                      {"servers", deal.cluster.servers},
                      {"price_per_server", num::to_double(deal.cluster.price_per_server)},
                      {"contracts", contracts}});
    }
    return json_response({{"models", list}});
  }
  if (path == "/v1/run") {
    const bool fast = query_flag(query, "fast"), monthly = query_flag(query, "monthly");
    if (!is_yaml(request.content_type)) parse_json_body(request.body);  // a precise 400 for malformed JSON
    std::optional<io::Document> document;
    try {
      document = io::Document::parse(request.body, "request body");
    } catch (const io::InputError& error) {
      throw Refusal(400, "malformed-model", "The body is not a readable model", error.what());
    }
    // A posted model prices with the service's catalogue: it may not point at files on the server.
    if (document->root().optional_field("catalog"))
      throw Refusal(422, "invalid-model", "The model is not valid",
                    "catalog: a posted model uses the service's GPU catalogue; leave out `catalog:`", "catalog");
    if (models_.empty()) throw Refusal(503, "no-catalogue", "No catalogue", "the service has no base model and so no catalogue");
    const io::LoadedDeal loaded = io::read_deal_with_warnings(std::move(*document), models_.front().catalogue);
    Response response;
    response.body = run_text(run_report(loaded, !fast, monthly));
    return response;
  }
  const json body = parse_json_body(request.body);
  if (path == "/v1/quote") {
    const QuoteRequest quote = read_quote(body, models_, limits_, {});
    Response response;
    response.body = answer_quote(quote, quote_answers_.get())->text;
    return response;
  }
  if (path == "/v1/bid") return bid(body, models_, limits_);
  // /v1/batch
  RequestObject batch(body, {});
  const json& quotes = batch.required("quotes", "an array of quote requests");
  batch.finish();
  if (!quotes.is_array()) unprocessable("quotes", std::string("expected an array of quote requests, got ") + type_name(quotes));
  if (quotes.size() > limits_.max_batch_quotes)
    throw Refusal(413, "batch-too-large", "The batch is too large",
                  "quotes: a batch holds at most " + std::to_string(limits_.max_batch_quotes) + " quotes, got " +
                      std::to_string(quotes.size()),
                  "quotes");
  // {"results":[...],"schema":"leasecalc.batch/1"}, as the document would be dumped (keys in order).
  std::string results = "{\"results\":[";
  for (std::size_t i = 0; i < quotes.size(); ++i) {
    if (Clock::now() > deadline)
      throw Refusal(503, "deadline-exceeded", "The request ran past its deadline",
                    "the batch was cut short after " + std::to_string(i) + " of " + std::to_string(quotes.size()) +
                        " quotes; send smaller batches");
    if (i > 0) results += ',';
    results += quote_result(quotes[i], models_, limits_, "quotes[" + std::to_string(i) + "]", quote_answers_.get());
  }
  Response response;
  response.body = results + "],\"schema\":\"leasecalc.batch/1\"}";
  return response;
}

}  // namespace leasecalc::service
