#pragma once
// The pricing service behind `leasecalc serve` (docs/serve.md): routing, JSON in and out, quotes of
// a base model with overrides, bids, batches, limits and RFC 9457 problem documents. It sees an HTTP
// request as plain values, so it is tested without a socket; the app only moves bytes.
//
//   service::Service service(service::load_base_models("models"));
//   service::Response answer = service.handle({"POST", "/v1/quote", "application/json", body}, deadline);
//
// A Service owns its base models and never changes them: one object serves every thread. It keeps
// the answers to recent quotes (QuoteAnswers below), so a quote asked again is not computed again.

#include "leasecalc/io/load_deal.hpp"

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace leasecalc::service {

using Clock = std::chrono::steady_clock;

// What a client may send (docs/serve.md, "Limits").
struct Limits {
  std::size_t max_body_bytes = 1u << 20;   // 1 MiB: a model is a few kB (413 above)
  std::size_t max_header_bytes = 8u << 10;  // 8 KiB for the request line and headers (431 above)
  std::size_t max_batch_quotes = 100;       // quotes in one /v1/batch (413 above)
  std::size_t max_overrides = 256;          // overrides in one quote (422 above)
  std::size_t max_bid_points = 256;         // terms x prepayment shares in one bid (422 above): each is a solve
  // The answers to recent quotes kept for reuse, in bytes of request and answer (0: none kept).
  std::size_t quote_answer_bytes = 32u << 20;
  // From the first byte of a request to its answer: a client slower to send it gets 408 and the
  // connection is closed; a batch still computing at the deadline is cut short with 503.
  std::chrono::milliseconds request_deadline{10'000};
  std::chrono::milliseconds idle_keep_alive{30'000};  // a kept-alive connection with no new request is closed
};

// A model the service quotes by name, parsed once.
struct BaseModel {
  std::string name;  // the file name without its extension: "guosen-2025-standard-10k"
  std::filesystem::path file;
  io::Document document;  // what a quote's overrides change (Document::with_overrides)
  io::Catalogue catalogue;
  io::LoadedDeal loaded;  // the model as it is, for quotes without overrides and /v1/models
  // `document` without its `uncertainty:` section, a Monte Carlo input the deal does not hold (a
  // third of a model's YAML): what a quote or a bid reads when no override reaches into it.
  std::optional<io::Document> deal_sections;
};

// Every *.yaml, *.yml and *.json model directly in `directory` (not studies or catalogues), by name.
// A file that does not load is an io::InputError: the service does not start with a broken model.
std::vector<BaseModel> load_base_models(const std::filesystem::path& directory);

struct Request {
  std::string method;        // "GET", "POST", ...
  std::string target;        // the path with its query: "/v1/run?fast=true"
  std::string content_type;  // as sent; parameters after ';' are ignored
  std::string body;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::string allow;  // for 405: the methods the path takes
};

// A request the service refuses, answered as a problem document (problem() below) with `status`,
// `type` and `title`; what() is the located detail, `field` the field path when known.
struct Refusal : std::runtime_error {
  Refusal(int status, std::string type, std::string title, const std::string& detail, std::string field = {})
      : std::runtime_error(detail), status(status), type(std::move(type)), title(std::move(title)), field(std::move(field)) {}
  int status;
  std::string type;
  std::string title;
  std::string field;
};

// The overrides of a quote or a bid as a request writes them, from the JSON text of an object of
// field paths and values: {"contracts[0].take_or_pay.price": "60000 CNY/server-month",
// "financing[0].rate": 0.05, "waterfall": {...}}. A value is a model file's text, a number, a
// boolean, or an object or array for a whole section; at most limits.max_overrides of them. The
// one reader of overrides for the service and the Python module's Model.with_overrides; anything
// else is a Refusal (400 for text that is not JSON, 422 naming the field otherwise).
std::vector<io::FieldOverride> read_overrides(std::string_view json_object, const Limits& limits);

// The base model's deal with the overrides put in its document and read by the one loader, as if
// the file said them (the LoadedDeal's `source` is the edited document); the model's own deal
// when there are none. A path that leads nowhere or a value the loader refuses is an InputError.
// The base model's `uncertainty:` section is taken as checked when it was loaded (load_base_models)
// and read again only when an override reaches into it.
// With `SourceKept::deal_sections` (a quote, a bid) the LoadedDeal's `source` may leave out the
// `uncertainty:` section; with `whole`, it is the whole model (a model that may yet run Monte Carlo).
enum class SourceKept { whole, deal_sections };
io::LoadedDeal deal_with_overrides(const BaseModel& model, std::span<const io::FieldOverride> overrides,
                                   SourceKept kept = SourceKept::whole);

// The model `document` a service quotes by `name`, with what it keeps beside it (deal_sections).
BaseModel base_model(std::string name, std::filesystem::path file, io::Document document, io::Catalogue catalogue,
                     io::LoadedDeal loaded);

// An RFC 9457 problem document: `type` is a slug under urn:leasecalc:problem:, `detail` the
// located message; `field` (the field path, also given as a JSON `pointer`) when known.
Response problem(int status, std::string_view type, std::string_view title, std::string_view detail,
                 std::string_view field = {});

// The OpenAPI 3.1 document of the service (docs/openapi.json, embedded when the library is built).
std::string_view openapi_document();

// The answers to the quotes a Service has given, by everything that decides them (the base model,
// its overrides in order and `exact`), up to Limits::quote_answer_bytes; safe from many threads.
class QuoteAnswers;

class Service {
 public:
  explicit Service(std::vector<BaseModel> models, Limits limits = {});
  Service(Service&&) noexcept;
  ~Service();

  // The answer to one request; `deadline` bounds the work of a batch. Never throws: whatever the
  // request holds is answered, bad input with a 4xx problem document.
  Response handle(const Request& request, Clock::time_point deadline) const;
  Response handle(const Request& request) const { return handle(request, Clock::now() + limits_.request_deadline); }

  const Limits& limits() const { return limits_; }
  const std::vector<BaseModel>& models() const { return models_; }
  std::size_t quote_answers_kept() const;  // how many quotes' answers are kept now

 private:
  Response route(const Request& request, Clock::time_point deadline) const;

  std::vector<BaseModel> models_;
  Limits limits_;
  std::unique_ptr<QuoteAnswers> quote_answers_;
};

}  // namespace leasecalc::service
