// The pricing service's request handling on any bytes. The bytes are read as an HTTP/1.1 request
// by Beast's parser under the service's limits, as `leasecalc serve` reads a connection; a request
// the parser refuses gets the answer the server gives it (400, 413, 431; 408 for one cut short),
// and a whole one goes to service::Service::handle, the function the tests call. Every answer must
// be a well-formed HTTP response with a status the service documents (docs/serve.md; a 500 is a
// fault), a JSON body, and for a refusal an RFC 9457 problem document carrying that status.
// The limits are tightened (3 quotes a batch, 2 points a bid) so that one input stays well under
// a second even under the sanitizers; the code paths are the same.
#include <leasecalc/service/service.hpp>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>

namespace {

namespace http = boost::beast::http;
namespace service = leasecalc::service;
using nlohmann::json;

[[noreturn]] void fail(const std::string& what, const service::Response& response) {
  std::fprintf(stderr, "serve_fuzzer: %s\nstatus %d, %s:\n%.2000s\n", what.c_str(), response.status,
               response.content_type.c_str(), response.body.c_str());
  std::abort();
}

const service::Service& the_service() {
  static const service::Service instance = [] {  // read-only after the first call
    service::Limits limits;
    limits.max_batch_quotes = 3;
    limits.max_bid_points = 2;
    return service::Service(service::load_base_models(LEASECALC_SOURCE_DIR "/models"), limits);
  }();
  return instance;
}

void check_answer(const service::Response& response) {
  constexpr int documented[] = {200, 400, 404, 405, 408, 413, 422, 431, 503};
  if (std::find(std::begin(documented), std::end(documented), response.status) == std::end(documented))
    fail("a status the service does not document", response);
  json body;
  try {
    body = json::parse(response.body);
  } catch (const json::exception& error) {
    fail(std::string("the body is not JSON: ") + error.what(), response);
  }
  if (response.status == 200) {
    if (response.content_type != "application/json") fail("a 200 answer that is not application/json", response);
    if (!body.is_object()) fail("a 200 answer that is not a JSON object", response);
  } else {
    if (response.content_type != "application/problem+json") fail("a refusal that is not application/problem+json", response);
    const auto string_at = [&](const char* key) { return body.is_object() && body.contains(key) && body[key].is_string(); };
    if (!string_at("type") || !body["type"].get<std::string>().starts_with("urn:leasecalc:problem:") || !string_at("title") ||
        !string_at("detail") || body["detail"].get<std::string>().empty())
      fail("a problem document without its type, title and detail", response);
    if (!body.contains("status") || body["status"] != response.status) fail("a problem document with another status", response);
    if (response.status == 405 && response.allow.empty()) fail("a 405 without Allow", response);
  }
  // As the server writes it, and read back by an HTTP client's parser.
  http::response<http::string_body> message{static_cast<http::status>(response.status), 11};
  message.set(http::field::content_type, response.content_type);
  if (!response.allow.empty()) message.set(http::field::allow, response.allow);
  message.body() = response.body;
  message.prepare_payload();
  std::ostringstream wire;
  wire << message;
  const std::string text = std::move(wire).str();
  http::response_parser<http::string_body> reader;
  reader.body_limit(std::uint64_t{64} << 20);
  boost::beast::error_code error;
  std::size_t used = 0;
  while (!error && !reader.is_done() && used < text.size()) {
    const std::size_t step = reader.put(boost::asio::buffer(text.data() + used, text.size() - used), error);
    if (step == 0) break;
    used += step;
  }
  if (error || !reader.is_done() || reader.get().result_int() != static_cast<unsigned>(response.status) ||
      reader.get().body() != response.body)
    fail("the answer does not read back as the same HTTP response" + (error ? ": " + error.message() : std::string()), response);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const service::Service& server = the_service();
  const service::Limits& limits = server.limits();
  http::request_parser<http::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
  parser.body_limit(limits.max_body_bytes);
  parser.eager(true);
  boost::beast::error_code error;
  std::size_t used = 0;
  while (!error && !parser.is_done() && used < size) {
    const std::size_t step = parser.put(boost::asio::buffer(data + used, size - used), error);
    if (step == 0) break;
    used += step;
  }
  if (error == http::error::need_more) error = {};
  if (!error && !parser.is_done() && parser.got_some()) parser.put_eof(error);  // the client closes its side

  service::Response response;
  if (error == http::error::header_limit) response = service::problem(431, "headers-too-large", "Request header fields too large", "too large");
  else if (error == http::error::body_limit) response = service::problem(413, "body-too-large", "The body is too large", "too large");
  else if (error) response = service::problem(400, "bad-request", "Malformed HTTP request", error.message());
  else if (!parser.is_done()) response = service::problem(408, "request-timeout", "The request was not received in time", "cut short");
  else {
    const auto& request = parser.get();
    const service::Request plain{std::string(request.method_string()), std::string(request.target()),
                                 std::string(request[http::field::content_type]), request.body()};
    response = server.handle(plain, service::Clock::now() + std::chrono::seconds(5));
  }
  check_answer(response);
  return 0;
}
