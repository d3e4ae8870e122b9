// `leasecalc serve` end to end: the real server on a free port, several client threads sending good
// and bad requests mixed (malformed JSON, unknown fields, oversized bodies, wrong methods, clients
// that stop inside a request's body or its headers), every request answered, the good answers equal to the
// CLI's `run --format json` to the cent, one access-log line per answer, and SIGTERM exits 0.
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using nlohmann::json;

const std::string models_dir = std::string(LEASECALC_SOURCE_DIR) + "/models";
const std::string standard_file = models_dir + "/guosen-2025-standard-10k.yaml";

std::string file_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The CLI's run document of a model file.
json cli_run(const std::string& model, bool fast, const std::filesystem::path& scratch) {
  const auto out = scratch / "cli.json";
  const std::string command = std::string(LEASECALC_EXE) + " run '" + model + "' --format json" + (fast ? " --fast" : "") +
                              " > '" + out.string() + "' 2> /dev/null";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
  return json::parse(file_text(out));
}

// Every number in `quote` equals the same number in `run` to the cent (and every other value exactly).
void expect_same_figures(const json& quote, const json& run, const std::string& where) {
  if (quote.is_number() && run.is_number()) {
    EXPECT_LT(std::fabs(quote.get<double>() - run.get<double>()), 0.005) << where;
    return;
  }
  if (quote.is_structured()) {
    ASSERT_EQ(quote.type(), run.type()) << where;
    ASSERT_EQ(quote.size(), run.size()) << where;
    for (auto item = quote.begin(); item != quote.end(); ++item) {
      if (quote.is_object()) expect_same_figures(*item, run.at(item.key()), where + "." + item.key());
      else expect_same_figures(*item, run.at(static_cast<std::size_t>(item - quote.begin())), where + "[]");
    }
    return;
  }
  EXPECT_EQ(quote, run) << where;
}

struct Server {
  pid_t pid = 0;
  unsigned short port = 0;
  std::filesystem::path log;
};

Server start_server(const std::filesystem::path& scratch) {
  Server server;
  server.log = scratch / "access.log";
  int out[2];
  EXPECT_EQ(pipe(out), 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  posix_spawn_file_actions_addopen(&actions, 2, server.log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<std::string> words = {LEASECALC_EXE, "serve", "--port", "0", "--threads", "2", "--models", models_dir,
                                    "--request-timeout", "1500"};
  std::vector<char*> argv;
  for (auto& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);
  EXPECT_EQ(posix_spawn(&server.pid, LEASECALC_EXE, &actions, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  // "listening on 127.0.0.1:PORT"
  std::string line;
  char c = 0;
  while (read(out[0], &c, 1) == 1 && c != '\n') line += c;
  close(out[0]);
  const std::size_t colon = line.rfind(':');
  EXPECT_NE(colon, std::string::npos) << "no port announced: '" << line << "'";
  if (colon != std::string::npos) server.port = static_cast<unsigned short>(std::stoi(line.substr(colon + 1)));
  return server;
}

struct Answer {
  int status = 0;
  std::string content_type;
  std::string body;
};

Answer send(unsigned short port, http::verb method, const std::string& target, const std::string& body,
            const std::string& type = "application/json") {
  asio::io_context context;
  beast::tcp_stream stream(context);
  stream.expires_after(std::chrono::seconds(30));
  stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  http::request<http::string_body> request{method, target, 11};
  request.set(http::field::host, "127.0.0.1");
  if (!body.empty()) request.set(http::field::content_type, type);
  request.body() = body;
  request.prepare_payload();
  http::write(stream, request);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64u << 20);
  http::read(stream, buffer, parser);
  return {static_cast<int>(parser.get().result_int()), std::string(parser.get()[http::field::content_type]), parser.get().body()};
}

TEST(ServeCli, AnswersEveryRequestOfManyClientsAndStopsCleanly) {
  const auto scratch = std::filesystem::temp_directory_path() / ("leasecalc-serve-" + std::to_string(getpid()));
  std::filesystem::create_directories(scratch);
  const Server server = start_server(scratch);
  ASSERT_NE(server.port, 0);

  // The expected figures: the CLI on the model file as it is (exact) and with each price written in (fast).
  const std::string text = file_text(standard_file);
  const std::string price_line = "price: 62663 CNY/server-month";
  ASSERT_NE(text.find(price_line), std::string::npos);
  const std::vector<int> prices = {55000, 60000, 70000};
  std::map<int, json> expected_fast;
  for (const int price : prices) {
    std::string edited = text;
    edited.replace(edited.find(price_line), price_line.size(), "price: " + std::to_string(price) + " CNY/server-month");
    const auto file = scratch / ("standard-" + std::to_string(price) + ".yaml");
    std::ofstream(file) << edited;
    expected_fast[price] = cli_run(file.string(), true, scratch);
  }
  const json expected_exact = cli_run(standard_file, false, scratch);

  // A client that sends half a request and stops: answered 408 at the deadline, holding nobody up.
  asio::io_context half_context;
  tcp::socket half(half_context);
  half.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server.port));
  const std::string half_request = "POST /v1/quote HTTP/1.1\r\nHost: x\r\nContent-Length: 400\r\n\r\n{\"model\": ";
  asio::write(half, asio::buffer(half_request));
  // And one that stops inside its headers: the deadline runs from the first byte, so it too is
  // answered 408 rather than left to the idle limit.
  tcp::socket half_header(half_context);
  half_header.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server.port));
  asio::write(half_header, asio::buffer(std::string("POST /v1/quote HTTP/1.1\r\nHost: x\r\nContent-Le")));

  constexpr int clients = 4, per_client = 60;
  std::atomic<int> answered = 0, good = 0;
  std::vector<std::thread> threads;
  for (int client = 0; client < clients; ++client) {
    threads.emplace_back([&, client] {
      for (int i = 0; i < per_client; ++i) {
        const int kind = (client * per_client + i) % 8;
        const int price = prices[static_cast<std::size_t>(i) % prices.size()];
        Answer answer;
        int expected_status = 200;
        switch (kind) {
          case 0:
          case 1:
          case 2:
            answer = send(server.port, http::verb::post, "/v1/quote",
                          json{{"model", "guosen-2025-standard-10k"},
                               {"overrides", {{"contracts[0].take_or_pay.price", std::to_string(price) + " CNY/server-month"}}}}
                              .dump());
            break;
          case 3:
            answer = send(server.port, http::verb::post, "/v1/quote", R"({"model": "guosen-2025-standard-10k", "exact": true})");
            break;
          case 4:
            answer = send(server.port, http::verb::post, "/v1/quote", R"({"model": "guosen-2025-standard-10k",, })");
            expected_status = 400;
            break;
          case 5:
            answer = send(server.port, http::verb::post, "/v1/quote", R"({"model": "guosen-2025-standard-10k", "overide": {}})");
            expected_status = 422;
            break;
          case 6:
            answer = send(server.port, http::verb::post, "/v1/run", std::string(2u << 20, ' '));
            expected_status = 413;
            break;
          default:
            answer = send(server.port, i % 2 ? http::verb::get : http::verb::delete_, i % 2 ? "/v1/nothing" : "/v1/quote", "");
            expected_status = i % 2 ? 404 : 405;
        }
        ++answered;
        EXPECT_EQ(answer.status, expected_status) << "kind " << kind << ": " << answer.body.substr(0, 300);
        if (answer.status >= 400) {
          EXPECT_EQ(answer.content_type, "application/problem+json");
          EXPECT_EQ(json::parse(answer.body)["status"], answer.status);
        }
        if (answer.status != 200) continue;
        const json quote = json::parse(answer.body);
        const json& run = kind == 3 ? expected_exact : expected_fast.at(price);
        for (const char* section : {"summary", "returns", "break_even"})
          expect_same_figures(quote.at(section), run.at(section), section);
        ++good;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(answered, clients * per_client);
  EXPECT_EQ(good, clients * per_client / 2);

  // The half-sent request's answer came at its deadline.
  beast::flat_buffer buffer;
  http::response<http::string_body> timed_out;
  beast::error_code error;
  http::read(half, buffer, timed_out, error);
  EXPECT_FALSE(error) << error.message();
  EXPECT_EQ(timed_out.result_int(), 408u);
  beast::flat_buffer header_buffer;
  http::response<http::string_body> header_timed_out;
  http::read(half_header, header_buffer, header_timed_out, error);
  EXPECT_FALSE(error) << error.message();
  EXPECT_EQ(header_timed_out.result_int(), 408u);
  EXPECT_EQ(header_timed_out[http::field::content_type], "application/problem+json");

  EXPECT_EQ(send(server.port, http::verb::get, "/healthz", "").status, 200);
  ASSERT_EQ(kill(server.pid, SIGTERM), 0);
  int status = 0;
  ASSERT_EQ(waitpid(server.pid, &status, 0), server.pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;

  // One access-log line per answer: the clients', the two half requests' and the health check.
  std::istringstream log(file_text(server.log));
  int lines = 0;
  for (std::string line; std::getline(log, line);) {
    if (line.find(" ms") != std::string::npos && line.find("warning:") == std::string::npos) ++lines;
  }
  EXPECT_EQ(lines, clients * per_client + 3);
  std::filesystem::remove_all(scratch);
}

}  // namespace
