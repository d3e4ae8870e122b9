// leasecalc serve: the pricing service over HTTP/1.1 (Boost.Beast). This file only moves bytes:
// options, the listening socket, the threads, timeouts, the signal that drains, the access log.
// Every answer comes from service::Service (libleasecalc/src/service/).
#include "command_line.hpp"

#include <leasecalc/service/service.hpp>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace leasecalc::app {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = service::Clock;
// Each connection's handlers run one at a time on its strand; the concrete executor type (not the
// type-erased any_io_executor of beast::tcp_stream) spares every operation a dynamic dispatch.
using Strand = asio::strand<asio::io_context::executor_type>;
using Stream = beast::basic_stream<tcp, Strand>;
using Socket = tcp::socket::rebind_executor<Strand>::other;
using Timer = asio::basic_waitable_timer<std::chrono::steady_clock, asio::wait_traits<std::chrono::steady_clock>, Strand>;

constexpr const char* serve_usage =
    "usage: leasecalc serve [--port 8080] [--bind 127.0.0.1] [--threads N] [--models DIR]\n"
    "\n"
    "An HTTP/1.1 JSON pricing service over the same library as the other commands (docs/serve.md):\n"
    "POST /v1/run, /v1/quote, /v1/bid, /v1/batch; GET /healthz, /v1/models, /openapi.json.\n"
    "Prints `listening on ADDRESS:PORT` on stdout once it accepts connections, and one access-log\n"
    "line per request on stderr (method, path, status, milliseconds). SIGTERM or SIGINT stops\n"
    "accepting, lets the requests under way finish, and exits 0.\n"
    "\n"
    "  --port     TCP port (default 8080; 0 picks a free one, printed on stdout)\n"
    "  --bind     the address to listen on (default 127.0.0.1, loopback only)\n"
    "  --threads  threads serving requests (default: the machine's cores)\n"
    "  --models   the directory of base models a quote names (default: the bundled models)\n"
    "  --request-timeout MS  the time a request has from its first byte to its answer (default 10000)\n";

// The connections alive, so that a stop can close the idle ones.
class Server;

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Socket socket, Server& server) : stream_(std::move(socket)), server_(server) {}
  void start() { asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read_request(); }); }
  // On a stop: an idle connection closes now, a busy one after its answer.
  void drain() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      self->draining_ = true;
      if (!self->busy_) self->close();
      else if (self->receiving_) self->arm_deadline(std::chrono::seconds(2));  // a half-sent request does not hold the stop
    });
  }

 private:
  void read_request();
  void receive_request();
  void on_read(beast::error_code error);
  void answer(service::Response response, bool keep_alive);
  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.close();
  }
  // After an answer that ends the connection while the client may still be sending (a body too
  // large): stop sending, then read and drop what arrives for a moment, so that closing with
  // unread data (a reset) does not destroy the answer before the client reads it.
  void close_after_answer() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(std::chrono::seconds(1));
    discard_more(0);
  }
  void discard_more(std::size_t discarded) {
    constexpr std::size_t max_discarded = 8u << 20;
    stream_.async_read_some(asio::buffer(discard_), [self = shared_from_this(), discarded](beast::error_code error, std::size_t bytes) {
      if (error || discarded + bytes > max_discarded) return self->stream_.close();
      self->discard_more(discarded + bytes);
    });
  }
  void log(int status) const;
  // The request deadline while the request arrives, headers and body: a timer of its own rather
  // than the stream's expiry, which would close the socket before the 408 is written.
  void arm_deadline(std::chrono::steady_clock::duration after) {
    deadline_.expires_after(after);
    deadline_.async_wait([self = shared_from_this()](beast::error_code error) {
      if (error || !self->receiving_) return;
      self->timed_out_ = true;
      beast::error_code ignored;
      self->stream_.socket().cancel(ignored);
    });
  }

  Stream stream_;
  Server& server_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> response_;
  Clock::time_point started_{};
  std::string method_ = "-", target_ = "-";
  std::array<char, 16384> discard_{};
  Timer deadline_{stream_.get_executor()};
  bool busy_ = false, draining_ = false, receiving_ = false, timed_out_ = false;
};

class Server {
 public:
  Server(asio::io_context& context, const service::Service& service, const tcp::endpoint& endpoint)
      : context_(context), service_(service), acceptor_(asio::make_strand(context)) {
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(asio::socket_base::max_listen_connections);
  }
  tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }
  const service::Service& service() const { return service_; }
  bool stopping() const { return stopping_; }

  void accept() {
    acceptor_.async_accept(asio::make_strand(context_.get_executor()), [this](beast::error_code error, Socket socket) {
      if (stopping_) return;
      if (!error) {
        auto session = std::make_shared<Session>(std::move(socket), *this);
        {
          const std::lock_guard<std::mutex> lock(sessions_mutex_);
          sessions_.remove_if([](const std::weak_ptr<Session>& weak) { return weak.expired(); });
          sessions_.push_back(session);
        }
        session->start();
      }
      accept();  // an error on one connection (too many open files, a reset) does not stop the others
    });
  }

  void stop() {
    asio::post(acceptor_.get_executor(), [this] {
      stopping_ = true;
      beast::error_code ignored;
      acceptor_.close(ignored);
      const std::lock_guard<std::mutex> lock(sessions_mutex_);
      for (const auto& weak : sessions_) {
        if (auto session = weak.lock()) session->drain();
      }
    });
  }

 private:
  asio::io_context& context_;
  const service::Service& service_;
  tcp::acceptor acceptor_;
  std::atomic<bool> stopping_ = false;
  std::mutex sessions_mutex_;
  std::list<std::weak_ptr<Session>> sessions_;
};

void Session::read_request() {
  if (draining_ || server_.stopping()) return close();
  const service::Limits& limits = server_.service().limits();
  parser_.emplace();
  method_ = target_ = "-";
  parser_->header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
  parser_->body_limit(limits.max_body_bytes);
  busy_ = false;
  if (buffer_.size() > 0) return receive_request();  // the next request is already here (pipelined)
  // Waiting for a request on a kept-alive connection: the idle limit. The request deadline starts
  // with its first byte.
  stream_.expires_after(limits.idle_keep_alive);
  constexpr std::size_t first_read = 4096;
  stream_.async_read_some(buffer_.prepare(first_read), [self = shared_from_this()](beast::error_code error, std::size_t bytes) {
    if (error) return self->close();  // idle, closed or reset before a request: nothing to answer
    self->buffer_.commit(bytes);
    self->receive_request();
  });
}

// From a request's first byte: its headers and body must arrive within the request deadline, or
// it is answered 408 (a client that stalls inside the headers as much as one inside the body).
void Session::receive_request() {
  busy_ = true;
  started_ = Clock::now();
  stream_.expires_never();
  receiving_ = true;
  arm_deadline(server_.service().limits().request_deadline);
  http::async_read_header(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code error, std::size_t) {
    if (error) return self->on_read(error);
    const auto& header = self->parser_->get();
    self->method_ = std::string(header.method_string());
    self->target_ = std::string(header.target());
    http::async_read(self->stream_, self->buffer_, *self->parser_,
                     [self](beast::error_code error, std::size_t) { self->on_read(error); });
  });
}

void Session::on_read(beast::error_code error) {
  const service::Limits& limits = server_.service().limits();
  receiving_ = false;
  deadline_.cancel();
  if (timed_out_) {
    timed_out_ = false;
    return answer(service::problem(408, "request-timeout", "The request was not received in time",
                                   "the whole request must arrive within " + std::to_string(limits.request_deadline.count()) + " ms"),
                  false);
  }
  if (error == http::error::end_of_stream || error == asio::error::operation_aborted || error == asio::error::connection_reset ||
      error == asio::error::bad_descriptor)
    return close();
  if (error == beast::error::timeout) return close();
  if (error) {
    // A refusal at the headers (too large, a body over the limit): log what was read of the request line.
    const auto& header = parser_->get();
    if (method_ == "-" && !header.target().empty()) {
      method_ = std::string(header.method_string());
      target_ = std::string(header.target());
    }
    if (error == http::error::header_limit)
      return answer(service::problem(431, "headers-too-large", "Request header fields too large",
                                     "the request line and headers may hold at most " + std::to_string(limits.max_header_bytes) + " bytes"),
                    false);
    if (error == http::error::body_limit)
      return answer(service::problem(413, "body-too-large", "The body is too large",
                                     "a body may hold at most " + std::to_string(limits.max_body_bytes) + " bytes"),
                    false);
    if (error == http::error::partial_message) return close();  // the client went away mid-request
    return answer(service::problem(400, "bad-request", "Malformed HTTP request", error.message()), false);
  }
  const auto& request = parser_->get();
  const service::Request plain{method_, target_, std::string(request[http::field::content_type]), request.body()};
  const bool keep_alive = request.keep_alive();
  answer(server_.service().handle(plain, started_ + limits.request_deadline), keep_alive);
}

void Session::answer(service::Response response, bool keep_alive) {
  response_ = {};
  response_.version(11);
  response_.result(static_cast<unsigned>(response.status));
  response_.set(http::field::server, "leasecalc");
  response_.set(http::field::content_type, response.content_type);
  if (!response.allow.empty()) response_.set(http::field::allow, response.allow);
  if (response.status == 503) response_.set(http::field::retry_after, "1");
  keep_alive = keep_alive && !draining_ && !server_.stopping();
  response_.keep_alive(keep_alive);
  response_.body() = std::move(response.body);
  response_.prepare_payload();
  log(response.status);
  stream_.expires_after(server_.service().limits().request_deadline);  // a client that does not read its answer
  http::async_write(stream_, response_, [self = shared_from_this(), keep_alive](beast::error_code error, std::size_t) {
    self->busy_ = false;
    if (error) return self->close();
    if (!keep_alive) return self->close_after_answer();
    self->read_request();
  });
}

void Session::log(int status) const {
  const double milliseconds = std::chrono::duration<double, std::milli>(Clock::now() - started_).count();
  // Built whole and written in one call, so that lines of different threads never interleave.
  char line[160];
  const std::string path = target_.substr(0, target_.find('?')).substr(0, 80);
  const int length = std::snprintf(line, sizeof line, "%s %s %d %.3f ms\n", method_.substr(0, 16).c_str(), path.c_str(), status, milliseconds);
  if (length > 0) std::fwrite(line, 1, std::min(static_cast<std::size_t>(length), sizeof line - 1), stderr);
}

}  // namespace

int serve(Args args) {
  return run_command("serve", serve_usage, args, [&] {
    int port = 8080;
    int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    std::string models = LEASECALC_MODELS_DIR, bind = "127.0.0.1";
    service::Limits limits;
    for (CommandLine line(args); line.next();) {
      if (line.is("--port")) port = whole_number_option(line, 0, 65535);
      else if (line.is("--threads")) threads = whole_number_option(line, 1, 256);
      else if (line.is("--models")) models = std::string(line.value("a directory of model files"));
      else if (line.is("--request-timeout")) limits.request_deadline = std::chrono::milliseconds(whole_number_option(line, 100, 600'000));
      else if (line.is("--bind")) bind = std::string(line.value("an IP address, such as 127.0.0.1"));
      else if (line.is_option()) line.unknown();
      else throw UsageError("unexpected argument '" + std::string(line.arg()) + "'");
    }
    beast::error_code bad_address;
    const auto address = asio::ip::make_address(bind, bad_address);
    if (bad_address) throw UsageError("--bind expects an IP address, such as 127.0.0.1, got '" + bind + "'");
    if (!std::filesystem::is_directory(models)) throw UsageError("--models expects a directory, got '" + models + "'");
    std::vector<service::BaseModel> base_models = service::load_base_models(models);
    for (const auto& model : base_models) print_warnings(model.loaded.warnings);
    const service::Service service(std::move(base_models), limits);

    asio::io_context context(threads);
    std::optional<Server> server;
    try {
      server.emplace(context, service, tcp::endpoint(address, static_cast<unsigned short>(port)));
    } catch (const boost::system::system_error& error) {
      std::cerr << "leasecalc serve: cannot listen on " << bind << ":" << port << ": " << error.code().message() << "\n";
      return 1;
    }
    asio::signal_set signals(context, SIGINT, SIGTERM);
    signals.async_wait([&](beast::error_code error, int) {
      if (error) return;
      std::cerr << "leasecalc serve: stopping; finishing the requests under way\n";
      server->stop();
    });
    server->accept();
    std::cout << "listening on " << server->local_endpoint().address().to_string() << ":" << server->local_endpoint().port()
              << std::endl;

    std::vector<std::thread> pool;
    for (int i = 1; i < threads; ++i) pool.emplace_back([&context] { context.run(); });
    context.run();
    for (auto& thread : pool) thread.join();
    return 0;
  });
}

}  // namespace leasecalc::app
