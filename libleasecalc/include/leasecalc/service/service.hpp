#pragma once
// The pricing service behind `leasecalc serve` (docs/serve.md): routing, JSON in and out, quotes of
// a base model with overrides, bids, batches, limits and RFC 9457 problem documents. It sees an HTTP
// request as plain values, so it is tested without a socket; the app only moves bytes.
//
//   service::Service service(service::load_base_models("models"));
//   service::Response answer = service.handle({"POST", "/v1/quote", "application/json", body}, deadline);
//
// A Service owns its base models and never changes them: one object serves every thread.

#include "leasecalc/io/load_deal.hpp"

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <mutex>
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
  // From the first byte of a request to its answer: a client slower to send it gets 408 and the
  // connection is closed; a batch still computing at the deadline is cut short with 503.
  std::chrono::milliseconds request_deadline{10'000};
  std::chrono::milliseconds idle_keep_alive{30'000};  // a kept-alive connection with no new request is closed
};

// A model the service quotes by name, parsed once.
struct BaseModel {
  std::string name;  // the file name without its extension: "guosen-2025-standard-10k"
  std::filesystem::path file;
  io::Document document;  // copied (under the lock below) for each quote with overrides
  io::Catalogue catalogue;
  io::LoadedDeal loaded;  // the model as it is, for quotes without overrides and /v1/models
  // yaml-cpp's reads of one document are not safe from several threads at once (Document::with_overrides).
  std::unique_ptr<std::mutex> copying = std::make_unique<std::mutex>();
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

// An RFC 9457 problem document: `type` is a slug under urn:leasecalc:problem:, `detail` the
// located message; `field` (the field path, also given as a JSON `pointer`) when known.
Response problem(int status, std::string_view type, std::string_view title, std::string_view detail,
                 std::string_view field = {});

// The OpenAPI 3.1 document of the service (docs/openapi.json, embedded when the library is built).
std::string_view openapi_document();

class Service {
 public:
  explicit Service(std::vector<BaseModel> models, Limits limits = {});

  // The answer to one request; `deadline` bounds the work of a batch. Never throws: whatever the
  // request holds is answered, bad input with a 4xx problem document.
  Response handle(const Request& request, Clock::time_point deadline) const;
  Response handle(const Request& request) const { return handle(request, Clock::now() + limits_.request_deadline); }

  const Limits& limits() const { return limits_; }
  const std::vector<BaseModel>& models() const { return models_; }

 private:
  Response route(const Request& request, Clock::time_point deadline) const;

  std::vector<BaseModel> models_;
  Limits limits_;
};

}  // namespace leasecalc::service
