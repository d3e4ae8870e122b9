// The deal memo (`leasecalc report`) and the progress of long runs: the model's comments by field,
// the page's figures against the engine's, its self-containment, the progress line's text and
// throttling, and the progress callbacks of the long loops (thread-safe, results unchanged).
#include <leasecalc/io/load_deal.hpp>
#include <leasecalc/io/model_comments.hpp>
#include <leasecalc/report/memo.hpp>
#include <leasecalc/report/progress.hpp>
#include <leasecalc/solve/bid.hpp>
#include <leasecalc/solve/monte_carlo.hpp>
#include <leasecalc/solve/sensitivity.hpp>

#include "support/cli.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <regex>
#include <sstream>
#include <string>

namespace {
using namespace leasecalc;

const std::filesystem::path models = std::filesystem::path(LEASECALC_SOURCE_DIR) / "models";

std::string percent(double fraction) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f%%", fraction * 100);
  return buffer;
}

std::string svg_escape(const std::string& text) {
  std::string out;
  for (char c : text) out += c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;" : std::string(1, c);
  return out;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

// ---- the model's comments ----------------------------------------------------------------------

TEST(ModelComments, EachCommentGoesToTheFieldItSpeaksOf) {
  const std::string yaml =
      "# A test deal.\n"
      "# Second line of the description.\n"
      "\n"
      "deal:\n"
      "  name: x   # the name\n"
      "  # assumed: a cost of capital\n"
      "  discount_rate: 8%\n"
      "cluster:\n"
      "  servers: 10\n"
      "  # nothing else: no spares\n"
      "financing:\n"
      "  - name: senior   # the bank\n"
      "    # 5% a year\n"
      "    rate: 5%\n"
      "  # the second tranche\n"
      "  - {name: junior, rate: 9%}   # the fund\n"
      "notes: \"a # inside quotes is text\"\n"
      "# the end\n";
  const auto comments = io::model_comments(yaml);
  ASSERT_EQ(comments.size(), 9u);
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"", "A test deal. Second line of the description."},
      {"deal.name", "the name"},
      {"deal.discount_rate", "assumed: a cost of capital"},
      {"cluster", "nothing else: no spares"},
      {"financing[0].name", "the bank"},
      {"financing[0].rate", "5% a year"},
      {"financing[1]", "the second tranche"},
      {"financing[1]", "the fund"},
      {"", "the end"},
  };
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(comments[i].field, expected[i].first) << i;
    EXPECT_EQ(comments[i].text, expected[i].second) << i;
  }
  EXPECT_EQ(comments[0].line, 1);
  EXPECT_EQ(comments[2].line, 6);
}

TEST(ModelComments, ListItemsAtTheirKeysIndentAndContinuedValues) {
  const auto comments = io::model_comments(
      "contracts:\n"
      "- take_or_pay:\n"
      "    # the price\n"
      "    price: 1\n"
      "    billing: {frequency: monthly,\n"
      "              timing: advance}   # in advance\n"
      "- on_demand:\n"
      "    name: pool   # spot\n");
  ASSERT_EQ(comments.size(), 3u);
  EXPECT_EQ(comments[0].field, "contracts[0].take_or_pay.price");
  EXPECT_EQ(comments[1].field, "contracts[0].take_or_pay.billing");
  EXPECT_EQ(comments[1].text, "in advance");
  EXPECT_EQ(comments[2].field, "contracts[1].on_demand.name");
}

TEST(ModelComments, EveryBundledCommentIsKeptAndEveryFieldPathExists) {
  const auto path = models / "guosen-2025-standard-10k.yaml";
  const auto comments = io::model_comments_of_file(path);
  const std::string text = test::read_file(path);
  // Each '#' that starts a comment is in one of them: count the words, not the lines.
  std::size_t words_in_comments = 0;
  for (const auto& c : comments) words_in_comments += c.text.size();
  EXPECT_GT(words_in_comments, text.size() / 3);  // this model explains most of its figures
  const io::LoadedDeal loaded = io::load_deal_with_warnings(path);
  for (const auto& c : comments) {
    if (c.field.empty()) continue;
    // A field the document has is found past its parent; a path it lacks stops at the parent.
    const std::string parent = c.field.substr(0, c.field.find_last_of(".["));
    const auto at = loaded.source.locate(c.field);
    const auto parent_at = loaded.source.locate(parent == c.field ? "" : parent);
    EXPECT_TRUE(at.line != parent_at.line || at.column != parent_at.column) << c.field;
  }
  const auto servers = std::find_if(comments.begin(), comments.end(), [](const auto& c) { return c.field == "cluster.servers"; });
  ASSERT_NE(servers, comments.end());
  EXPECT_NE(servers->text.find("1,024 servers x 8"), std::string::npos);
}

// ---- the progress line ---------------------------------------------------------------------------

TEST(ProgressLine, SaysDoneOfTotalTheRateAndTheTimeLeft) {
  EXPECT_EQ(report::ProgressLine::text("montecarlo", "scenarios", 500, 2000, 2.0),
            "montecarlo: 500/2000 scenarios (25%), 250/s, 6s left");
  EXPECT_EQ(report::ProgressLine::text("bid", "grid points", 1, 4, 40.0), "bid: 1/4 grid points (25%), 0.0/s, 2m 00s left");
  EXPECT_EQ(report::ProgressLine::text("bid", "grid points", 0, 4, 1.0), "bid: 0/4 grid points (0%)");
}

TEST(ProgressLine, RedrawsAtMostOncePerIntervalAndErasesItselfAtTheEnd) {
  std::ostringstream out;
  {
    report::ProgressLine line(out, "task", "steps", std::chrono::hours(1));
    const auto callback = line.callback();
    callback(1, 10);  // the first is drawn
    callback(2, 10);  // within the interval: not
    callback(3, 10);
    callback(10, 10);  // the last always is
    line.finish();
    line.finish();  // once
  }
  const std::string text = out.str();
  EXPECT_EQ(count(text, "\r\033[K"), 3u) << text;
  EXPECT_NE(text.find("task: 1/10 steps"), std::string::npos);
  EXPECT_EQ(text.find("task: 2/10"), std::string::npos);
  EXPECT_NE(text.find("task: 10/10 steps (100%)"), std::string::npos);
  EXPECT_TRUE(text.ends_with("\r\033[K"));
}

TEST(ProgressLine, NothingIsWrittenWhenNothingWasDone) {
  std::ostringstream out;
  { report::ProgressLine line(out, "task", "steps"); }
  EXPECT_EQ(out.str(), "");
}

// ---- the long loops report their progress ---------------------------------------------------------

TEST(Progress, MonteCarloCountsEveryScenarioFromAnyThreadAndChangesNothing) {
  const deal::Deal deal = io::load_deal(models / "us-h100-take-or-pay.yaml");
  deal::Uncertainty uncertainty = deal::Uncertainty::defaults();
  uncertainty.runs = 203;  // not a multiple of the batch
  std::mutex mutex;
  std::size_t calls = 0, largest = 0, total_seen = 0;
  const auto with_progress = solve::monte_carlo(deal, uncertainty, 3, [&](std::size_t done, std::size_t total) {
    const std::lock_guard lock(mutex);
    ++calls;
    largest = std::max(largest, done);
    total_seen = total;
  });
  const auto without = solve::monte_carlo(deal, uncertainty, 1);
  EXPECT_EQ(largest, 203u);
  EXPECT_EQ(total_seen, 203u);
  EXPECT_GE(calls, 203u / 16);
  EXPECT_TRUE((with_progress.outcomes == without.outcomes).all());
}

TEST(Progress, SensitivityGridAndBidCountTheirCellsAndPoints) {
  const deal::Deal deal = io::load_deal(models / "us-h100-take-or-pay.yaml");
  std::vector<std::size_t> grid_calls;
  const auto grid = solve::price_volume_grid(deal, solve::Measure::npv, {0.9, 1.0, 1.1}, {0.9, 1.0},
                                             [&](std::size_t done, std::size_t total) {
                                               EXPECT_EQ(total, 6u);
                                               grid_calls.push_back(done);
                                             });
  EXPECT_EQ(grid_calls, (std::vector<std::size_t>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(grid.values, solve::price_volume_grid(deal, solve::Measure::npv, {0.9, 1.0, 1.1}, {0.9, 1.0}).values);

  solve::BidRequest request;
  request.target = {solve::BidMetric::project_irr_post_tax, 0.10};
  request.term_months = {24, 36};
  std::vector<std::size_t> bid_calls;
  (void)solve::bid<double>(deal, request, [&](std::size_t done, std::size_t total) {
    EXPECT_EQ(total, 2u);
    bid_calls.push_back(done);
  });
  EXPECT_EQ(bid_calls, (std::vector<std::size_t>{0, 1, 2}));
}

// ---- the memo ---------------------------------------------------------------------------------------

struct MemoFixture : ::testing::Test {
  static void SetUpTestSuite() {
    const auto path = models / "guosen-2025-standard-10k.yaml";
    model = new deal::Deal(io::load_deal(path));
    report::MemoOptions options;
    options.uncertainty = deal::Uncertainty::defaults();
    options.uncertainty.runs = 200;
    options.threads = 2;
    memo = new report::Memo(report::make_memo(*model, options, io::model_comments_of_file(path)));
    std::ostringstream out;
    report::write_html(out, *memo, {1e8, "亿"});
    html = new std::string(out.str());
  }
  static void TearDownTestSuite() {
    delete html;
    delete memo;
    delete model;
  }
  static inline deal::Deal* model = nullptr;
  static inline report::Memo* memo = nullptr;
  static inline std::string* html = nullptr;
};

TEST_F(MemoFixture, HeadlineFiguresAreTheEnginesAsAReaderSeesThem) {
  const auto& m = memo->run.metrics;
  ASSERT_TRUE(m.project_irr_post_tax.rate && m.equity_irr.rate && m.minimum_dscr);
  // Formatted here from the metrics, not by the memo's own code.
  for (const std::string& figure : {percent(*m.project_irr_post_tax.rate), percent(*m.project_irr_pre_tax.rate),
                                    percent(*m.equity_irr.rate), percent(*m.net_margin.back())}) {
    EXPECT_NE(html->find("<td>" + figure), std::string::npos) << figure;
  }
  char dscr[32];
  std::snprintf(dscr, sizeof dscr, "%.2fx", *m.minimum_dscr);
  EXPECT_NE(html->find(std::string("<td>") + dscr), std::string::npos);
  // The contract's price as modelled (62,663 CNY a server-month) and its break-even price.
  EXPECT_NE(html->find("62,663.00 CNY per server-month"), std::string::npos);
  ASSERT_EQ(memo->run.break_even_prices.size(), 1u);
  char be[64];
  std::snprintf(be, sizeof be, "%.2f", memo->run.break_even_prices[0].break_even_price);
  std::string grouped = be;
  grouped.insert(grouped.find('.') - 3, ",");
  EXPECT_NE(html->find(grouped + " CNY per server-month"), std::string::npos) << grouped;
  ASSERT_TRUE(memo->run.break_even_utilisation);
  std::snprintf(be, sizeof be, "%.1f%%", *memo->run.break_even_utilisation * 100);
  EXPECT_NE(html->find(std::string("<td>") + be), std::string::npos) << be;
  // The statements: every row of both, with the life total of net income at the scale.
  for (const auto* table : {&memo->run.income_statement, &memo->run.cash_flow})
    for (const auto& row : table->rows) EXPECT_NE(html->find("<th>" + svg_escape(row.name) + "</th>"), std::string::npos) << row.name;
  std::snprintf(be, sizeof be, "%.2f", m.total_net_income / 1e8);
  EXPECT_NE(html->find(std::string("<td>") + be + "</td></tr>"), std::string::npos);
}

TEST_F(MemoFixture, EverySectionAndChartIsThere) {
  for (const char* id : {"deal", "headline", "statements", "charts", "tornado", "montecarlo", "assumptions"})
    EXPECT_NE(html->find(std::string("<section id=\"") + id + "\">"), std::string::npos) << id;
  // Cash flows, debt, DSCR, margins, tornado, and two Monte Carlo histograms.
  EXPECT_EQ(count(*html, "<svg class=\"chart\""), 7u);
  EXPECT_EQ(count(*html, "<svg"), count(*html, "</svg>"));
  // The covenant line on the DSCR chart, at the model's 1.20x.
  EXPECT_NE(html->find("covenant 1.20x"), std::string::npos);
  // The tornado's inputs, each one of its bars.
  for (const auto& row : memo->tornado.rows)
    EXPECT_NE(html->find(std::string(solve::input_label(row.input))), std::string::npos);
  // P5, P50 and P95 markers on the histograms; the run count as asked.
  EXPECT_EQ(count(*html, ">P50 "), 2u);
  EXPECT_NE(html->find("200 scenarios"), std::string::npos);
  // The model's stated assumptions, escaped ("x" in 1,024 x 8 is plain, but '&' in O&M is not).
  EXPECT_NE(html->find("1,024 servers x 8"), std::string::npos);
  EXPECT_NE(html->find("O&amp;M"), std::string::npos);
  EXPECT_EQ(html->find("O&M"), std::string::npos);
}

// What kills this deal, as `montecarlo` finds it: one row per uncertain input, each breaking
// value worded as the command's table words it.
TEST_F(MemoFixture, ShowsWhatKillsTheDeal) {
  const auto& points = memo->monte_carlo.breaking_points;
  ASSERT_FALSE(points.empty());
  ASSERT_NE(html->find("<table class=\"statement\" id=\"breaking-points\">"), std::string::npos);
  const std::size_t table = html->find("id=\"breaking-points\"");
  for (const auto& point : points) {
    const std::string row = "<tr><th>" + std::string(solve::uncertainty_key(point.input)) + "</th>";
    const std::size_t at = html->find(row, table);
    ASSERT_NE(at, std::string::npos) << row;
    if (!point.note.empty()) continue;
    const std::string cells = html->substr(at, html->find("</tr>", at) - at);
    for (const auto* change : {&point.npv_zero, &point.equity_target_missed, &point.first_breach})
      EXPECT_NE(cells.find("<td>" + svg_escape(report::breaking_text(point, *change)) + "</td>"), std::string::npos)
          << cells;
  }
}

TEST_F(MemoFixture, ThePageFetchesNothing) {
  EXPECT_TRUE(html->starts_with("<!DOCTYPE html>"));
  EXPECT_EQ(html->find("<script"), std::string::npos);
  EXPECT_EQ(html->find("<link"), std::string::npos);
  EXPECT_EQ(html->find("@import"), std::string::npos);
  EXPECT_EQ(html->find("url("), std::string::npos);
  EXPECT_FALSE(std::regex_search(*html, std::regex(R"((src|href|xlink:href)\s*=)", std::regex::icase)));
  EXPECT_NE(html->find("content=\"default-src 'none'; style-src 'unsafe-inline'\""), std::string::npos);
  EXPECT_NE(html->find("@media print"), std::string::npos);
}

TEST(MemoCommand, WritesTheFileAndSaysWhatIsWrong) {
  const std::filesystem::path out = std::filesystem::temp_directory_path() / "leasecalc-memo-test.html";
  std::filesystem::remove(out);
  const auto run = test::run_leasecalc("report '" + (models / "us-h100-take-or-pay.yaml").string() + "' -o '" +
                                       out.string() + "' --runs 50 --threads 2");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.err, "");  // not a terminal: no progress line
  const std::string page = test::read_file(out);
  EXPECT_TRUE(page.starts_with("<!DOCTYPE html>"));
  EXPECT_NE(page.find("50 scenarios"), std::string::npos);
  std::filesystem::remove(out);

  const auto missing = test::run_leasecalc("report");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("which model?"), std::string::npos);
  const auto bad_runs = test::run_leasecalc("report '" + (models / "us-h100-take-or-pay.yaml").string() + "' --runs 0");
  EXPECT_EQ(bad_runs.exit_code, 2);
  EXPECT_NE(bad_runs.err.find("--runs expects a whole number from 1"), std::string::npos) << bad_runs.err;
  const auto unwritable = test::run_leasecalc("report '" + (models / "us-h100-take-or-pay.yaml").string() +
                                              "' --runs 10 -o /nonexistent-dir/memo.html");
  EXPECT_EQ(unwritable.exit_code, 2);
  EXPECT_NE(unwritable.err.find("cannot write '/nonexistent-dir/memo.html'"), std::string::npos) << unwritable.err;
}

}  // namespace
