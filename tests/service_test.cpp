// The pricing service's handler without a socket: routes, quotes with overrides against the loader
// and the run report computed directly, problem documents and limits.
#include <leasecalc/io/load_deal.hpp>
#include <leasecalc/report/bid.hpp>
#include <leasecalc/report/run_report.hpp>
#include <leasecalc/service/service.hpp>
#include <leasecalc/solve/bid.hpp>
#include <leasecalc/solve/breakeven.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace leasecalc {
namespace {

using nlohmann::json;

const std::string models_dir = std::string(LEASECALC_SOURCE_DIR) + "/models";
constexpr const char* standard = "guosen-2025-standard-10k";

const service::Service& shared_service() {
  static const service::Service service(service::load_base_models(models_dir));
  return service;
}

service::Response post(const std::string& path, const std::string& body, const std::string& type = "application/json") {
  return shared_service().handle({"POST", path, type, body});
}

json body_of(const service::Response& response) { return json::parse(response.body); }

std::string file_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The run document of a model text, computed without the service.
json run_document(const std::string& text, bool exact) {
  const io::LoadedDeal loaded = io::parse_deal_with_warnings(text, "model.yaml", io::load_catalogue(models_dir + "/catalog/gpus.yaml"));
  const solve::ReturnTarget target{num::to_double(loaded.deal.discount_rate), solve::ReturnBasis::project_post_tax};
  report::RunReport result = exact ? report::make_run_report<num::Decimal>(loaded.deal, false, target)
                                   : report::make_run_report<double>(loaded.deal, false, target);
  result.warnings = loaded.warnings;
  std::ostringstream out;
  report::write_json(out, result);
  return json::parse(out.str());
}

TEST(Service, HealthAndModels) {
  const auto health = shared_service().handle({"GET", "/healthz", "", ""});
  EXPECT_EQ(health.status, 200);
  const auto models = body_of(shared_service().handle({"GET", "/v1/models", "", ""}));
  bool found = false;
  for (const auto& model : models["models"]) {
    if (model["name"] == standard) {
      found = true;
      EXPECT_EQ(model["currency"], "CNY");
      EXPECT_GT(model["servers"].get<int>(), 0);
    }
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(body_of(shared_service().handle({"GET", "/openapi.json", "", ""}))["openapi"], "3.1.0");
}

TEST(Service, UnknownEndpointAndWrongMethod) {
  const auto missing = shared_service().handle({"GET", "/v2/nothing", "", ""});
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.content_type, "application/problem+json");
  const auto wrong = shared_service().handle({"GET", "/v1/quote", "", ""});
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.allow, "POST");
}

// A quote with a price override equals the run of the model file with that price written in it.
TEST(Service, QuoteWithOverrideEqualsTheEditedModel) {
  const std::string text = file_text(models_dir + "/" + standard + ".yaml");
  const std::string price_line = "price: 62663 CNY/server-month";
  const std::size_t at = text.find(price_line);
  ASSERT_NE(at, std::string::npos) << "the model's contract price changed; update the test's edit";
  std::string edited = text;
  edited.replace(at, price_line.size(), "price: 60000 CNY/server-month");
  for (const bool exact : {false, true}) {
    const auto response = post("/v1/quote", json{{"model", standard},
                                                 {"overrides", {{"contracts[0].take_or_pay.price", "60000 CNY/server-month"}}},
                                                 {"exact", exact}}
                                                .dump());
    ASSERT_EQ(response.status, 200) << response.body;
    const json quote = json::parse(response.body);
    const json run = run_document(edited, exact);
    EXPECT_EQ(quote["schema"], "leasecalc.quote/1");
    EXPECT_EQ(quote["exact"], exact);
    EXPECT_EQ(quote["returns"], run["returns"]);
    EXPECT_EQ(quote["break_even"], run["break_even"]);
    EXPECT_EQ(quote["summary"], run["summary"]);
    EXPECT_EQ(quote["break_even"]["prices"][0]["quoted_price"], 60000.0);
  }
  // And the override moved the figures: the unedited model's differ.
  const json base = body_of(post("/v1/quote", json{{"model", standard}}.dump()));
  EXPECT_NE(base["summary"]["total_lease_revenue"], run_document(edited, false)["summary"]["total_lease_revenue"]);
}

TEST(Service, RunAnswersTheRunDocumentForYamlAndJson) {
  const std::string text = file_text(models_dir + "/" + standard + ".yaml");
  const auto yaml = post("/v1/run", text, "application/yaml");
  ASSERT_EQ(yaml.status, 200) << yaml.body;
  json expected = run_document(text, true);
  json answered = body_of(yaml);
  // The warnings name the text they were read from; the figures are what must match.
  expected.erase("warnings");
  answered.erase("warnings");
  EXPECT_EQ(answered, expected);
  const auto fast = post("/v1/run?fast=true", text, "application/x-yaml");
  EXPECT_EQ(body_of(fast)["exact"], false);
  EXPECT_EQ(post("/v1/run?fast=maybe", text, "application/yaml").status, 422);
}

// A JSON model (tests/golden/json-model, the standard model converted by regenerate.sh) reads
// through the same loader: the same figures, and errors at their line and column in the JSON.
TEST(Service, JsonModelsReadThroughTheSameLoader) {
  const std::string json_text = file_text(std::string(LEASECALC_SOURCE_DIR) + "/tests/golden/json-model/guosen-2025-standard-10k.json");
  const auto response = post("/v1/run", json_text);
  ASSERT_EQ(response.status, 200) << response.body;
  json answered = body_of(response);
  json expected = run_document(file_text(models_dir + "/" + standard + ".yaml"), true);
  ASSERT_FALSE(answered["warnings"].empty());
  EXPECT_EQ(answered["warnings"][0]["field"], expected["warnings"][0]["field"]);
  EXPECT_EQ(answered["warnings"][0]["file"], "request body");
  answered.erase("warnings");
  expected.erase("warnings");
  EXPECT_EQ(answered, expected);

  const std::string servers = "\"servers\": 1024";
  std::string broken = json_text;
  const std::size_t at = broken.find(servers);
  ASSERT_NE(at, std::string::npos);
  broken.replace(at, servers.size(), "\"servers\": \"ten\"");
  int line = 1, column = 1;
  for (std::size_t i = 0; i < at + servers.size() - 4; ++i) {
    if (broken[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  const json problem = body_of(post("/v1/run", broken));
  EXPECT_EQ(problem["status"], 422);
  EXPECT_EQ(problem["field"], "cluster.servers");
  EXPECT_EQ(problem["pointer"], "/cluster/servers");
  EXPECT_EQ(problem["line"], line);
  EXPECT_EQ(problem["column"], column);
  EXPECT_EQ(problem["got"], "ten");
}

TEST(Service, OverrideErrorsAreLocatedAndMatchTheLoader) {
  const auto currency = post("/v1/quote", R"({"model": "guosen-2025-standard-10k",
      "overrides": {"contracts[0].take_or_pay.price": "60000 USD/server-month"}})");
  EXPECT_EQ(currency.status, 422);
  const json problem = body_of(currency);
  EXPECT_EQ(problem["field"], "contracts[0].take_or_pay.price");
  EXPECT_EQ(problem["pointer"], "/contracts/0/take_or_pay/price");
  EXPECT_NE(problem["detail"].get<std::string>().find("expected a price in CNY"), std::string::npos) << problem;
  EXPECT_EQ(problem["detail"].get<std::string>().find(models_dir), std::string::npos) << "no server paths in answers";

  const json typo = body_of(post("/v1/quote", R"({"model": "guosen-2025-standard-10k", "overrides": {"contracts[0].take_or_pay.prise": "1"}})"));
  EXPECT_NE(typo["detail"].get<std::string>().find("did you mean \"price\""), std::string::npos) << typo;

  const json nowhere = body_of(post("/v1/quote", R"({"model": "guosen-2025-standard-10k", "overrides": {"contracts[7].take_or_pay.price": "1"}})"));
  EXPECT_EQ(nowhere["status"], 422);
  EXPECT_EQ(nowhere["field"], "contracts[7].take_or_pay.price");

  const json absurd = body_of(post("/v1/quote", R"({"model": "guosen-2025-standard-10k", "overrides": {"cluster.servers": 1e300}})"));
  EXPECT_EQ(absurd["status"], 422) << absurd;
}

// The `uncertainty:` section, which a quote does not use, is still checked when an override
// reaches into it, whole or one field: the loader's located refusal, as for the edited file.
TEST(Service, OverridesOfTheUncertaintySectionAreChecked) {
  for (const json& overrides : {json{{"uncertainty.runs", "0"}}, json{{"uncertainty", {{"runs", 0}}}},
                                json{{"uncertainty.sampling", "halton"}}}) {
    const auto response = post("/v1/quote", json{{"model", standard}, {"overrides", overrides}}.dump());
    EXPECT_EQ(response.status, 422) << overrides;
    EXPECT_EQ(body_of(response)["type"], "urn:leasecalc:problem:invalid-model") << response.body;
    EXPECT_EQ(body_of(response)["field"].get<std::string>().rfind("uncertainty.", 0), 0u) << response.body;
  }
  EXPECT_EQ(post("/v1/quote", json{{"model", standard}, {"overrides", {{"uncertainty.runs", "500"}}}}.dump()).status, 200);
}

// A quote or a bid copies the model without its `uncertainty:` section when no override reaches
// into it: the same deal (the same NPV to the last bit), the same warnings, the same located
// errors as the copy of the whole model that a model for Monte Carlo keeps.
TEST(Service, AQuoteCopiesTheDealSectionsToTheSameDealAndErrors) {
  const std::vector<std::vector<io::FieldOverride>> cases = {
      {{"contracts[0].take_or_pay.price", "60000 CNY/server-month"}},
      {{"financing[0].rate", "6%"}, {"tax.income.rate", "30%"}},
      {{"contracts[0].take_or_pay.price", "60000 USD/server-month"}},
      {{"contracts[0].take_or_pay.prise", "1"}},
      {{"contracts[7].take_or_pay.price", "1"}},
      {{"running_costs", "{}", true}},
      {{"uncertainty.runs", "0"}},
  };
  for (const service::BaseModel& model : shared_service().models()) {
    ASSERT_TRUE(model.deal_sections) << model.name;
    EXPECT_FALSE(model.deal_sections->root().has("uncertainty")) << model.name;
    for (const auto& overrides : cases) {
      const std::string what = model.name + " " + overrides.front().path;
      std::optional<io::LoadedDeal> whole, deal_only;
      std::string whole_error, deal_only_error;
      try {
        whole = service::deal_with_overrides(model, overrides, service::SourceKept::whole);
      } catch (const io::InputError& error) {
        whole_error = error.what() + std::string(" @ ") + error.path();
      }
      try {
        deal_only = service::deal_with_overrides(model, overrides, service::SourceKept::deal_sections);
      } catch (const io::InputError& error) {
        deal_only_error = error.what() + std::string(" @ ") + error.path();
      }
      EXPECT_EQ(deal_only_error, whole_error) << what;
      ASSERT_EQ(deal_only.has_value(), whole.has_value()) << what;
      if (!whole) continue;
      const double rate = num::to_double(whole->deal.discount_rate);
      EXPECT_EQ(solve::npv(deal_only->deal, solve::ReturnBasis::equity, rate), solve::npv(whole->deal, solve::ReturnBasis::equity, rate)) << what;
      ASSERT_EQ(deal_only->warnings.size(), whole->warnings.size()) << what;
      for (std::size_t i = 0; i < whole->warnings.size(); ++i) {
        EXPECT_EQ(deal_only->warnings[i].message, whole->warnings[i].message) << what;
        EXPECT_EQ(deal_only->warnings[i].position.line, whole->warnings[i].position.line) << what;
      }
      EXPECT_EQ(whole->source.root().has("uncertainty"), model.document.root().has("uncertainty")) << what;
    }
  }
}

// A quote's warnings point where the model file says what they are about, as the CLI's do, with
// or without overrides (an override copies only the values on its path; the rest keep their lines).
TEST(Service, AQuotesWarningsAreLocatedInTheModelFile) {
  const std::vector<service::BaseModel> models = service::load_base_models(models_dir);
  const auto model = std::ranges::find(models, "guosen-2025-standard-10k", &service::BaseModel::name);
  ASSERT_NE(model, models.end());
  ASSERT_FALSE(model->loaded.warnings.empty());
  for (const char* overrides : {"{}", R"({"contracts[0].take_or_pay.price": "50000.01 CNY/server-month"})"}) {
    const json answer = body_of(post("/v1/quote", R"({"model": "guosen-2025-standard-10k", "overrides": )" + std::string(overrides) + "}"));
    ASSERT_EQ(answer["warnings"].size(), model->loaded.warnings.size()) << overrides;
    for (std::size_t i = 0; i < model->loaded.warnings.size(); ++i) {
      const io::Warning& warning = model->loaded.warnings[i];
      EXPECT_GT(warning.position.line, 1) << warning.message;  // each is about a field below the top
      EXPECT_EQ(answer["warnings"][i]["line"], warning.position.line) << overrides << ": " << warning.message;
      EXPECT_EQ(answer["warnings"][i]["column"], warning.position.column) << overrides << ": " << warning.message;
      EXPECT_EQ(answer["warnings"][i]["field"], warning.field) << overrides;
    }
  }
}

// Found by the serve fuzz target: a number beyond a double's range made the JSON reader throw
// out of range, answered 500 as a failure of the service. It is the client's malformed body.
TEST(Service, ANumberBeyondADoubleIsAMalformedBody) {
  for (const char* body : {"[888E88888888888888]", R"({"model": "guosen-2025-standard-10k", "overrides": {"x": 1e999}})"}) {
    const auto response = post("/v1/quote", body);
    EXPECT_EQ(response.status, 400) << body;
    EXPECT_EQ(body_of(response)["type"], "urn:leasecalc:problem:malformed-json") << response.body;
  }
}

TEST(Service, MalformedAndUnknownRequestsAreRefusedWithTheirPlace) {
  const json malformed = body_of(post("/v1/quote", "{\"model\": \n  \"x\",, }"));
  EXPECT_EQ(malformed["status"], 400);
  EXPECT_NE(malformed["detail"].get<std::string>().find("line 2"), std::string::npos) << malformed;

  const json unknown = body_of(post("/v1/quote", R"({"model": "guosen-2025-standard-10k", "exactly": true})"));
  EXPECT_EQ(unknown["status"], 422);
  EXPECT_EQ(unknown["field"], "exactly");

  const json wrong_type = body_of(post("/v1/quote", R"({"model": "guosen-2025-standard-10k", "exact": "yes"})"));
  EXPECT_EQ(wrong_type["status"], 422);
  EXPECT_EQ(wrong_type["field"], "exact");

  const json no_model = body_of(post("/v1/quote", R"({"model": "guosen-2030"})"));
  EXPECT_EQ(no_model["status"], 422);
  EXPECT_EQ(no_model["type"], "urn:leasecalc:problem:unknown-model");

  std::string deep(200, '[');
  EXPECT_EQ(post("/v1/quote", deep + std::string(200, ']')).status, 400);
  EXPECT_EQ(post("/v1/run", "a: [b", "application/yaml").status, 400);
  EXPECT_EQ(post("/v1/run", "catalog: /etc/passwd\n", "application/yaml").status, 422);
}

TEST(Service, BatchAnswersInOrderEachWithItsOwnResult) {
  const json request = {{"quotes",
                         {{{"model", standard}},
                          {{"model", standard}, {"overrides", {{"cluster.servers", "many"}}}},
                          {{"model", standard}, {"overrides", {{"contracts[0].take_or_pay.price", "60000 CNY/server-month"}}}},
                          {{"model", standard}, {"overrides", {{"contracts[0].take_or_pay.price", 60000}}}}}}};
  const auto response = post("/v1/batch", request.dump());
  ASSERT_EQ(response.status, 200) << response.body;
  const json results = body_of(response)["results"];
  ASSERT_EQ(results.size(), 4u);
  EXPECT_EQ(results[0]["status"], 200);
  EXPECT_EQ(results[1]["status"], 422);
  EXPECT_EQ(results[1]["problem"]["field"], "cluster.servers");
  EXPECT_EQ(results[2]["status"], 200);
  EXPECT_EQ(results[2]["quote"]["break_even"]["prices"][0]["quoted_price"], 60000.0);
  // A number is the JSON text of the value: a price without its unit is refused as the file's would be.
  EXPECT_EQ(results[3]["status"], 422);
  EXPECT_EQ(results[3]["problem"]["field"], "contracts[0].take_or_pay.price");
  EXPECT_EQ(results[0]["quote"], body_of(post("/v1/quote", json{{"model", standard}}.dump())));

  json too_many = {{"quotes", json::array()}};
  for (std::size_t i = 0; i <= shared_service().limits().max_batch_quotes; ++i) too_many["quotes"].push_back({{"model", standard}});
  EXPECT_EQ(post("/v1/batch", too_many.dump()).status, 413);
  // A batch past its deadline is cut short rather than holding its thread.
  const auto late = shared_service().handle({"POST", "/v1/batch", "application/json", request.dump()}, service::Clock::now());
  EXPECT_EQ(late.status, 503);
}

TEST(Service, BidAnswersTheBidDocument) {
  const auto response = post("/v1/bid", R"({"model": "guosen-2025-standard-10k", "target": {"metric": "equity-irr", "value": "15%"},
                                            "terms": [36, 60], "prepayment": ["0%"]})");
  ASSERT_EQ(response.status, 200) << response.body;
  const json bid = body_of(response);
  ASSERT_EQ(bid["bids"].size(), 2u);
  // At the model's own 60-month term the bid price earns the target (one IRR, no note).
  const json& at_60 = bid["bids"][1];
  EXPECT_EQ(at_60["term_months"], 60);
  EXPECT_EQ(at_60["status"], "priced");
  ASSERT_TRUE(at_60["equity_irr"]["rate"].is_number()) << at_60;
  EXPECT_NEAR(at_60["equity_irr"]["rate"].get<double>(), 0.15, 1e-4);
  EXPECT_EQ(body_of(post("/v1/bid", R"({"model": "guosen-2025-standard-10k", "target": {"metric": "equity-irr", "value": "lots"}})"))["field"],
            "target.value");
  EXPECT_EQ(body_of(post("/v1/bid", R"({"model": "guosen-2025-standard-10k", "target": {"metric": "irr", "value": "1%"}})"))["field"],
            "target.metric");
}

// A quote computes only the headline of the run report (report::make_headline_report): each of its
// sections equals the whole run document's, for every bundled model (sized debt, structures,
// on-demand contracts, covenants), fast and, on the standard model, exact.
TEST(Service, QuoteIsTheHeadlineOfTheRunOfEveryBundledModel) {
  for (const service::BaseModel& model : shared_service().models()) {
    for (const bool exact : {false, true}) {
      if (exact && model.name != standard) continue;
      const auto response = post("/v1/quote", json{{"model", model.name}, {"exact", exact}}.dump());
      ASSERT_EQ(response.status, 200) << model.name << response.body;
      const json quote = body_of(response);
      const solve::ReturnTarget target{num::to_double(model.loaded.deal.discount_rate), solve::ReturnBasis::project_post_tax};
      report::RunReport run = exact ? report::make_run_report<num::Decimal>(model.loaded.deal, false, target)
                                    : report::make_run_report<double>(model.loaded.deal, false, target);
      run.warnings = model.loaded.warnings;
      std::ostringstream out;
      report::write_json(out, run);
      const json document = json::parse(out.str());
      EXPECT_EQ(quote["model"], model.name);
      for (const char* key : {"deal", "exact", "summary", "returns", "break_even", "notes", "warnings"})
        EXPECT_EQ(quote[key], document[key]) << model.name << " " << key;
      EXPECT_EQ(quote.size(), 9u) << quote;  // those, the schema and the model
      // Written as the JSON library writes the same document: keys in order, its digits, no spaces.
      EXPECT_EQ(response.body, quote.dump()) << model.name;
    }
  }
}

// Names from the model go into the answer as they are, whatever characters they hold: quotes,
// backslashes, control characters and text beyond ASCII are escaped as the JSON library escapes them.
TEST(Service, AQuotesNamesAreWrittenAsTheJsonLibraryWritesThem) {
  // As JSON text inside the request (escapes and all): the contract's name is plain ASCII.
  const std::string deal_name = R"(a \"quoted\" name \\ with\ttabs\u0001, 中文 and \u00e9)";
  const std::string contract_name = R"(lease \"5 years\" / back\\slash)";
  const auto response = post("/v1/quote", R"({"model": ")" + std::string(standard) + R"(", "overrides": {"deal.name": ")" +
                                              deal_name + R"(", "contracts[0].take_or_pay.name": ")" + contract_name + R"("}})");
  ASSERT_EQ(response.status, 200) << response.body;
  const json quote = body_of(response);
  EXPECT_EQ(quote["deal"]["name"], json::parse("\"" + deal_name + "\""));
  EXPECT_EQ(quote["break_even"]["prices"][0]["contract"], json::parse("\"" + contract_name + "\""));
  EXPECT_EQ(response.body, quote.dump());
}

// The answers a service keeps are the answers it computes: the same requests, asked of a service
// that keeps none and of one that keeps few (so that older answers are let go), give the same
// bytes, first and second time; different requests (a price, `exact`, one more override) do not
// share an answer, and refusals are not kept.
TEST(Service, KeptQuoteAnswersAreTheComputedAnswers) {
  service::Limits none;
  none.quote_answer_bytes = 0;
  const service::Service computing(service::load_base_models(models_dir), none);
  service::Limits few;
  few.quote_answer_bytes = 20u << 10;  // some ten answers of 2 kB
  const service::Service keeping(service::load_base_models(models_dir), few);
  std::vector<std::string> requests;
  const auto price = [](int amount) { return std::to_string(amount) + " CNY/server-month"; };
  for (int amount = 60000; amount < 60012; ++amount)
    requests.push_back(json{{"model", standard}, {"overrides", {{"contracts[0].take_or_pay.price", price(amount)}}}}.dump());
  requests.push_back(json{{"model", standard}}.dump());
  requests.push_back(json{{"model", "us-h100-take-or-pay"}}.dump());
  requests.push_back(json{{"model", standard}, {"overrides", {{"contracts[0].take_or_pay.price", price(60000)}, {"deal.discount_rate", "9%"}}}}.dump());
  requests.push_back(json{{"model", standard}, {"overrides", {{"contracts[0].take_or_pay.price", 60000}}}}.dump());  // no unit: refused
  std::vector<std::string> first;
  for (int round = 0; round < 2; ++round) {
    for (std::size_t i = 0; i < requests.size(); ++i) {
      const auto kept = keeping.handle({"POST", "/v1/quote", "application/json", requests[i]});
      const auto computed = computing.handle({"POST", "/v1/quote", "application/json", requests[i]});
      EXPECT_EQ(kept.status, computed.status) << requests[i];
      EXPECT_EQ(kept.body, computed.body) << requests[i];
      if (round == 0) first.push_back(kept.body);
      else EXPECT_EQ(kept.body, first[i]);
    }
  }
  EXPECT_GT(keeping.quote_answers_kept(), 2u);
  EXPECT_LT(keeping.quote_answers_kept(), 12u);  // the older answers were let go
  EXPECT_EQ(computing.quote_answers_kept(), 0u);
  EXPECT_NE(first[0], first[1]);
  EXPECT_NE(first[0], first[14]);
  EXPECT_EQ(body_of(computing.handle({"POST", "/v1/quote", "application/json", requests.back()}))["status"], 422);
  // Exact and fast of the same quote are two answers.
  const std::string fast = json{{"model", standard}, {"exact", false}}.dump(), exact = json{{"model", standard}, {"exact", true}}.dump();
  EXPECT_EQ(body_of(keeping.handle({"POST", "/v1/quote", "application/json", fast}))["exact"], false);
  EXPECT_EQ(body_of(keeping.handle({"POST", "/v1/quote", "application/json", exact}))["exact"], true);
}

// Many threads quoting at once, each answer kept or computed while others are kept and let go,
// get the answers one thread gets alone.
TEST(Service, QuotesFromManyThreadsAtOnceGetTheirOwnAnswers) {
  service::Limits few;
  few.quote_answer_bytes = 24u << 10;  // fewer answers than the requests
  const service::Service service(service::load_base_models(models_dir), few);
  std::vector<std::string> requests, expected;
  for (int amount = 58000; amount < 58006; ++amount) {
    requests.push_back(json{{"model", standard},
                            {"overrides", {{"contracts[0].take_or_pay.price", std::to_string(amount) + " CNY/server-month"}}}}
                           .dump());
    expected.push_back(shared_service().handle({"POST", "/v1/quote", "application/json", requests.back()}).body);
  }
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 30; ++i) {
        const std::size_t which = static_cast<std::size_t>(t + i * 7) % requests.size();
        if (service.handle({"POST", "/v1/quote", "application/json", requests[which]}).body != expected[which]) ++wrong;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
}

// A fast quote solves its break-even by regula falsi from its own ledger's NPV; the exact quote (the
// CLI's `run`) by TOMS 748 to 2^-44. They agree within the fast mode's 1e-6 (docs/metrics.md).
TEST(Service, FastBreakEvenAgreesWithTheTightSolveWithinTheFastTolerance) {
  for (const char* model : {standard, "us-h100-take-or-pay", "china-h800-on-demand"}) {
    for (const char* price : {"", "40000", "90000"}) {
      json request = {{"model", model}};
      if (*price && std::string(model) == standard)
        request["overrides"] = {{"contracts[0].take_or_pay.price", std::string(price) + " CNY/server-month"}};
      else if (*price) continue;
      request["exact"] = false;
      const json fast = body_of(post("/v1/quote", request.dump()));
      request["exact"] = true;
      const json exact = body_of(post("/v1/quote", request.dump()));
      ASSERT_TRUE(fast.contains("break_even")) << fast;
      const json& fast_prices = fast["break_even"]["prices"];
      const json& exact_prices = exact["break_even"]["prices"];
      ASSERT_EQ(fast_prices.size(), exact_prices.size()) << model;
      EXPECT_EQ(fast["break_even"]["price_note"], exact["break_even"]["price_note"]) << model;
      for (std::size_t i = 0; i < fast_prices.size(); ++i) {
        const double tight = exact_prices[i]["break_even_price"].get<double>();
        EXPECT_NEAR(fast_prices[i]["break_even_price"].get<double>(), tight, 1e-6 * std::abs(tight)) << model << " " << price;
      }
      const json& fast_utilisation = fast["break_even"]["break_even_utilisation"];
      const json& exact_utilisation = exact["break_even"]["break_even_utilisation"];
      if (exact_utilisation.is_number()) {
        ASSERT_TRUE(fast_utilisation.is_number()) << model;
        EXPECT_NEAR(fast_utilisation.get<double>(), exact_utilisation.get<double>(), 1e-6) << model << " " << price;
      } else {
        EXPECT_EQ(fast_utilisation, exact_utilisation) << model;
      }
    }
  }
}

// The one reading of a bid target, behind `leasecalc bid --target` and /v1/bid.
TEST(Service, BidTargetValues) {
  using solve::BidMetric;
  EXPECT_DOUBLE_EQ(report::parse_bid_target_value(BidMetric::minimum_dscr, "1.30x").value_or(-1), 1.3);
  EXPECT_DOUBLE_EQ(report::parse_bid_target_value(BidMetric::minimum_dscr, "1.3").value_or(-1), 1.3);
  EXPECT_FALSE(report::parse_bid_target_value(BidMetric::minimum_dscr, "0x"));
  EXPECT_FALSE(report::parse_bid_target_value(BidMetric::minimum_dscr, "1000x"));
  EXPECT_DOUBLE_EQ(report::parse_bid_target_value(BidMetric::equity_irr, "15%").value_or(-1), 0.15);
  EXPECT_FALSE(report::parse_bid_target_value(BidMetric::equity_irr, "-100%"));
  EXPECT_FALSE(report::parse_bid_target_value(BidMetric::equity_irr, "15"));
  EXPECT_FALSE(report::parse_bid_target_value(BidMetric::net_margin, "100%"));
  EXPECT_DOUBLE_EQ(report::parse_bid_target_value(BidMetric::project_irr_post_tax, "150%").value_or(-1), 1.5);
  const json dscr = body_of(post("/v1/bid", R"({"model": "guosen-2025-standard-10k", "target": {"metric": "minimum-dscr", "value": "0x"}})"));
  EXPECT_EQ(dscr["field"], "target.value");
  EXPECT_NE(dscr["detail"].get<std::string>().find(report::bid_target_value_expected(BidMetric::minimum_dscr)), std::string::npos) << dscr;
}

// A bid over the customer's credit classes (`leasecalc bid --credit`): the library's bid of the
// same request, one point a class; a class the library does not know is refused at its place.
TEST(Service, BidOverCreditClasses) {
  const auto response = post("/v1/bid", R"({"model": "us-h100-take-or-pay", "target": {"metric": "equity-irr", "value": "15%"},
                                            "credit": ["investment_grade", "unrated"]})");
  ASSERT_EQ(response.status, 200) << response.body;
  const service::BaseModel* model = nullptr;
  for (const auto& base : shared_service().models())
    if (base.name == "us-h100-take-or-pay") model = &base;
  ASSERT_NE(model, nullptr);
  solve::BidRequest request;
  request.target = {solve::BidMetric::equity_irr, 0.15};
  request.credit_classes = {deal::CreditClass::investment_grade, deal::CreditClass::unrated};
  std::ostringstream out;
  report::write_json(out, report::BidReport{solve::bid<double>(model->loaded.deal, request), model->loaded.warnings});
  const json bid = body_of(response);
  EXPECT_EQ(bid, json::parse(out.str()));
  ASSERT_EQ(bid["bids"].size(), 2u);
  EXPECT_EQ(bid["bids"][1]["credit_class"], "unrated");
  EXPECT_NE(bid["bids"][0]["price_per_gpu_hour"], bid["bids"][1]["price_per_gpu_hour"]);
  const json refused = body_of(post("/v1/bid", R"({"model": "us-h100-take-or-pay", "target": {"metric": "equity-irr", "value": "15%"},
                                                   "credit": ["investment_grade", "junk"]})"));
  EXPECT_EQ(refused["status"], 422);
  EXPECT_EQ(refused["field"], "credit[1]");
}

TEST(Service, BidGridLimit) {
  service::Limits small;
  small.max_bid_points = 2;
  const service::Service service(service::load_base_models(models_dir), small);
  const auto response = service.handle({"POST", "/v1/bid", "application/json",
                                        R"({"model": "guosen-2025-standard-10k", "target": {"metric": "equity-irr", "value": "15%"},
                                            "terms": [36, 48, 60]})"});
  EXPECT_EQ(response.status, 422);
  EXPECT_EQ(body_of(response)["field"], "terms");
}

// Found by fuzz/serve_fuzzer: a malformed body with bytes that are not UTF-8 is quoted in the parse
// error; writing that problem document threw again inside the handler and ended the server.
TEST(Service, BytesThatAreNotUtf8AreAnsweredNotFatal) {
  const std::string body = "{\"model\": \"guosen-2025-standard-10k\", \"overrides\": {\"contracts[7\xcf.take_or_pay.price\": \"1\"}}";
  const auto response = post("/v1/quote", body);
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.content_type, "application/problem+json");
  EXPECT_EQ(body_of(response)["status"], 400);
  const auto run = post("/v1/run", "deal: {name: \"\xff\xfe\"}\n", "application/yaml");
  EXPECT_GE(run.status, 400);
  EXPECT_LT(run.status, 500) << run.body;
  EXPECT_EQ(body_of(run)["status"], run.status);
}

TEST(Service, BodyLimit) {
  service::Limits small;
  small.max_body_bytes = 10;
  const service::Service service({}, small);
  EXPECT_EQ(service.handle({"POST", "/v1/quote", "application/json", std::string(11, ' ')}).status, 413);
}

}  // namespace
}  // namespace leasecalc
