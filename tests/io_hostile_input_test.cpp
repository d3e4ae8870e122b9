// Hostile model files (issue 14): values at the edge of what an int, a date or a double holds,
// files that are not files, and texts built to be slow. Each is refused with a located message,
// in bounded time, never a crash or a wrapped count.

#include "support/model_text.hpp"
#include "leasecalc/io/document.hpp"
#include "leasecalc/io/load_deal.hpp"
#include "leasecalc/io/units.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>

namespace {

using namespace leasecalc;
using test::edit;
using test::test_catalogue;

constexpr const char* test_file = "hostile.yaml";

// The minimal model the issue's findings were added to.
const std::string base_model = R"(deal: {name: t, currency: CNY, start: 2025-01-01, horizon: 12 months}
cluster: {sku: H800, servers: 1}
depreciation: {book: {method: straight_line, life: 12 months}}
tax: {income_tax: 25%}
)";

std::optional<io::InputError> error_of(const std::string& text) {
  try {
    io::parse_deal(text, test_file, test_catalogue());
  } catch (const io::InputError& error) {
    return error;
  }
  ADD_FAILURE() << "the model loaded without error:\n" << text;
  return std::nullopt;
}

// The error is located (a line and a column), names `path` and its detail contains `says`.
void expect_located(const std::string& text, const std::string& path, std::string_view says) {
  const std::optional<io::InputError> error = error_of(text);
  if (!error) return;
  EXPECT_EQ(error->file(), test_file);
  EXPECT_GT(error->line(), 0) << error->what();
  EXPECT_GT(error->column(), 0) << error->what();
  EXPECT_EQ(error->path(), path) << error->what();
  EXPECT_NE(error->detail().find(says), std::string::npos) << error->what();
}

const std::string contract_line =
    "contracts: [{take_or_pay: {name: a, servers: 1, start: 2025-01-01, term: 12 months, price: 1 CNY/server-month}}]\n";

TEST(HostileModel, TheBaseLoads) { EXPECT_NO_THROW(io::parse_deal(base_model + contract_line, test_file, test_catalogue())); }

TEST(HostileModel, DatesStayInsideTheCalendar) {
  expect_located(edit(base_model, "2025-01-01", "9999-01-01"), "deal.start", "a date from 1900-01-01 to 2200-12-31");
  expect_located(edit(base_model, "12 months}\ncluster", "100000 months}\ncluster"), "deal.horizon",
                 "a duration of at most 600 months");
}

TEST(HostileModel, AHugeLeaseTermIsRefusedBeforeAnyArithmetic) {
  expect_located(base_model + edit(contract_line, "12 months", "2147483647 months"), "contracts[0].take_or_pay.term",
                 "at most 600 months");
  expect_located(base_model + edit(contract_line, "12 months", "361 months"), "contracts[0].take_or_pay.term",
                 "a lease term of at most 360 months");
  // With a prepayment spread over the term: refused at once, not after a loop over the term.
  const auto begin = std::chrono::steady_clock::now();
  expect_located(base_model + edit(contract_line, "term: 12 months",
                                       "term: 10000000 months, prepayment: {share: 20%, applied: spread_over_term}"),
                 "contracts[0].take_or_pay.term", "at most 600 months");
  EXPECT_LT(std::chrono::steady_clock::now() - begin, std::chrono::seconds(1));
}

TEST(HostileModel, CountsCannotWrapAround) {
  // 2147483647 + 2147483647 + 4 wraps to 2 in an int.
  expect_located(edit(base_model, "servers: 1}",
                          "servers: 2, deliveries: [{date: 2025-01-01, servers: 2147483647}, "
                          "{date: 2025-01-01, servers: 2147483647}, {date: 2025-01-01, servers: 4}]}"),
                 "cluster.deliveries[0].servers", "a whole number of at most 10000000");
  expect_located(edit(base_model, "servers: 1}", "servers: 2147483647}"), "cluster.servers",
                 "a whole number of at most 10000000");
  // At the bound, two contracts of the whole fleet still exceed it (the sum is not wrapped).
  const std::string two = edit(base_model, "servers: 1}", "servers: 10000000}") +
                          "contracts:\n"
                          "  - {take_or_pay: {name: a, servers: 10000000, start: 2025-01-01, term: 12 months, price: 1 CNY/server-month}}\n"
                          "  - {take_or_pay: {name: b, servers: 10000000, start: 2025-01-01, term: 12 months, price: 1 CNY/server-month}}\n";
  expect_located(two, "contracts[1].take_or_pay.servers", "got 20000000");
}

TEST(HostileModel, AmountsHaveAnUpperBound) {
  expect_located(edit(base_model, "servers: 1}", "servers: 1, price_per_server: 1e305 CNY}"),
                 "cluster.price_per_server", "at most 1e15 in magnitude");
  expect_located(base_model + "running_costs: {electricity: {tariff: 1e308 CNY/kWh}}\n",
                 "running_costs.electricity.tariff", "at most 1e15 in magnitude");
}

TEST(HostileModel, AnExponentBeyondTheDecimalIsAParseError) {
  EXPECT_THROW(io::parse_number("00000e0475201184752"), io::ParseError);
  EXPECT_THROW(io::parse_money("00000e0475201184752 CNY"), io::ParseError);
  EXPECT_THROW(io::parse_percent("1e999999999%"), io::ParseError);
  expect_located(edit(base_model, "servers: 1}", "servers: 1, price_per_server: \"00000e0475201184752\"}"),
                 "cluster.price_per_server", "out of range");
}

TEST(HostileModel, AScalarWhereAMapBelongsNamesTheKeys) {
  expect_located(edit(base_model, "income_tax: 25%}", "income_tax: 25%, vat: 0%}"), "tax.vat",
                 "accepted keys: refund, refund_month, refund_share, convention");
  expect_located(base_model + edit(contract_line, "term: 12 months", "term: 12 months, re_lease: on_demand"),
                 "contracts[0].take_or_pay.re_lease", "accepted keys: mode, market_price, price_decay, decay_from, discount, term, utilisation");
}

// Every map of a model, a section or one nested in a list, names its keys the same way.
TEST(HostileModel, EverySectionNamesItsKeys) {
  expect_located(edit(base_model, "cluster: {sku: H800, servers: 1}", "cluster: H800"), "cluster",
                 "expected a map of keys (accepted keys: sku, servers, price_per_server, price_includes_vat, "
                 "capex_vat_rate, spares, extra_capex, deliveries, annual_failure_rate, replacement_cost), got \"H800\"");
  expect_located(edit(base_model, "tax: {income_tax: 25%}", "tax: 25%"), "tax",
                 "accepted keys: income_tax, loss_carry_forward, loss_offset_cap, fiscal_year_start, advance_payments, vat");
  expect_located(edit(base_model, "book: {method: straight_line, life: 12 months}", "book: straight_line"),
                 "depreciation.book", "accepted keys: method, life, salvage, factor, class, convention, bonus");
  expect_located(base_model + "financing: [loan]\n", "financing[0]", "accepted keys: name, kind, share_of_capex, amount");
  expect_located(base_model + "contracts: [take_or_pay]\n", "contracts[0]", "accepted keys: take_or_pay, on_demand");
  expect_located(base_model + "running_costs: {electricity: 0.5 CNY/kWh}\n", "running_costs.electricity",
                 "accepted keys: tariff, pue, paid_by, take_or_pay_load, escalator");
  expect_located(base_model + "uncertainty: {price: 10%}\n", "uncertainty.price",
                 "accepted keys: distribution, mean, sd, min, max, low, mode, high");
  expect_located(base_model + "uncertainty: [price]\n", "uncertainty", "accepted keys: runs, seed, dscr_covenant, price");
}

// A reader that asks for a key its declared list lacks is a mistake in the program, caught the
// first time that reader runs.
TEST(HostileModel, ADeclaredKeyListCannotDrift) {
  const io::Document document = io::Document::parse("section: {a: 1}\n", test_file);
  constexpr std::string_view keys[] = {"a"};
  io::Object section = document.root().object("section", keys);
  (void)section.optional_field("b");
  EXPECT_THROW(section.finish(), std::logic_error);
}

TEST(HostileModel, ALongScalarIsQuotedAsAnExcerpt) {
  const std::string huge(1'000'000, '7');
  const std::optional<io::InputError> error = error_of(edit(base_model, "servers: 1}", "servers: x" + huge + "}"));
  ASSERT_TRUE(error);
  EXPECT_LT(std::string(error->what()).size(), 400u) << std::string(error->what()).substr(0, 400);
  EXPECT_NE(error->detail().find("..."), std::string::npos);
}

TEST(HostileModel, CarriageReturnLineEndsAreLineEnds) {
  std::string old_mac = base_model;
  for (char& c : old_mac)
    if (c == '\n') c = '\r';
  EXPECT_NO_THROW(io::parse_deal(old_mac, test_file, test_catalogue()));
  const std::optional<io::InputError> error = error_of(edit(old_mac, "servers: 1}", "servers: -1}"));
  ASSERT_TRUE(error);
  EXPECT_EQ(error->line(), 2) << error->what();
}

TEST(HostileModel, ManyKeysAreCheckedInLinearTime) {
  std::string text = base_model;
  for (int i = 0; i < 100'000; ++i) text += "unknown_key_" + std::to_string(i) + ": 1\n";
  const auto begin = std::chrono::steady_clock::now();
  expect_located(text, "unknown_key_0", "unknown key");
  EXPECT_LT(std::chrono::steady_clock::now() - begin, std::chrono::seconds(15));  // was 25 s and more
}

// ---- files that are not model files ---------------------------------------------------------------

class HostileFile : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = std::filesystem::path(::testing::TempDir()) /
                 ("io_hostile_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(directory_);
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  std::string detail_of(const std::filesystem::path& file) {
    try {
      io::Document::load_file(file);
    } catch (const io::InputError& error) {
      EXPECT_EQ(error.file(), file.string());
      return error.detail();
    }
    return "(no error)";
  }

  std::filesystem::path directory_;
};

TEST_F(HostileFile, DevicesAndPipesAreNotRead) {
  EXPECT_EQ(detail_of("/dev/zero"), "cannot read the file: it is not a regular file (a device, pipe or socket)");
  const std::filesystem::path fifo = directory_ / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_EQ(detail_of(fifo), "cannot read the file: it is not a regular file (a device, pipe or socket)");
}

TEST_F(HostileFile, ASymlinkLoopSaysSo) {
  std::filesystem::create_symlink(directory_ / "b.yaml", directory_ / "a.yaml");
  std::filesystem::create_symlink(directory_ / "a.yaml", directory_ / "b.yaml");
  EXPECT_EQ(detail_of(directory_ / "a.yaml"), "cannot read the file: it is a loop of symbolic links");
}

TEST_F(HostileFile, AFileOverTheSizeLimitIsRefused) {
  const std::filesystem::path big = directory_ / "big.yaml";
  {
    std::ofstream out(big, std::ios::binary);
    const std::string line = "# " + std::string(1022, 'x') + "\n";
    for (std::uintmax_t written = 0; written <= io::limits::max_file_bytes; written += line.size()) out << line;
  }
  EXPECT_EQ(detail_of(big), "cannot read the file: it is larger than 16 MiB, the limit for a model file");
}

TEST_F(HostileFile, ProcessMemoryIsRefused) {
  const std::string detail = detail_of("/proc/self/mem");
  EXPECT_EQ(detail.rfind("cannot read the file: ", 0), 0u) << detail;
}

}  // namespace

namespace {

// The reader's own bound, at the first map or list too deep: the root map is level 1, so the 64th
// `[` (column 6 + 64) is level 65.
TEST(HostileYaml, DeepNestingIsALocatedErrorThatSaysSo) {
  const std::string deep = "deal: " + std::string(1000, '[') + std::string(1000, ']') + "\n";
  try {
    io::Document::parse(deep, "deep.yaml");
    ADD_FAILURE() << "parsed 1,000 levels";
  } catch (const io::InputError& error) {
    EXPECT_EQ(error.line(), 1) << error.what();
    EXPECT_EQ(error.column(), 70) << error.what();
    EXPECT_EQ(error.detail(), "nesting deeper than 64 levels of maps and lists (a model needs fewer than ten)");
  }
  // Block maps nest the same way; 64 levels are still read.
  std::string block, indent;
  for (int level = 1; level < 64; ++level, indent += " ") block += indent + "k:\n";
  block += indent + "k: 1\n";
  EXPECT_NO_THROW(io::Document::parse(block, "deep.yaml"));
  block += indent + "k2:\n" + indent + " k: {a: 1}\n";
  try {
    io::Document::parse(block, "deep.yaml");
    ADD_FAILURE() << "parsed 65 levels";
  } catch (const io::InputError& error) {
    EXPECT_EQ(error.line(), 66) << error.what();
    EXPECT_EQ(error.column(), 65) << error.what();
  }
}

}  // namespace

namespace {

// Found by the load_deal fuzz target: yaml-cpp's LoadAll produced empty documents without end
// on this text (std::bad_alloc). The documents after the first are now walked, not built, and
// only so far.
TEST(HostileYaml, EndlessDocumentsAreALocatedError) {
  const std::filesystem::path input =
      std::filesystem::path(LEASECALC_SOURCE_DIR) / "tests" / "fuzz_inputs" / "load_deal-endless-documents.yaml";
  std::ifstream in(input, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_FALSE(text.empty());
  try {
    io::Document::parse(text, "fuzz.yaml");
    ADD_FAILURE() << "parsed";
  } catch (const io::InputError& error) {
    EXPECT_GT(error.line(), 0) << error.what();
    EXPECT_NE(error.detail().find("expected one YAML document"), std::string::npos) << error.what();
  }
}

}  // namespace
