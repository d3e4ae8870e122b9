// The validating YAML reader: typed getters, ranges, unknown and duplicate keys, positions in errors.
#include <leasecalc/io/document.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace io = leasecalc::io;
namespace deal = leasecalc::deal;
using leasecalc::num::Decimal;

// The error that `read` raises, or a marker when it raises none.
template <class Read>
std::string error_of(Read read) {
  try {
    read();
  } catch (const io::InputError& error) {
    return error.what();
  }
  return "(no error)";
}

template <class Read>
io::InputError input_error_of(Read read) {
  try {
    read();
  } catch (const io::InputError& error) {
    return error;
  }
  ADD_FAILURE() << "expected an InputError";
  return io::InputError({}, {}, {});
}

io::Object root_of(const char* text) { return io::Document::parse(text, "deal.yaml").root(); }

constexpr const char* deal_text = R"(name: Example GPU lease
currency: CNY
cluster:
  sku: H800-8x
  servers: 128
  server_price: 2.6M CNY
  power: 10.2 kW
  delivery: 2025-03-01
contracts:
  - kind: take_or_pay
    term: 5 years
    price: 66000 CNY/server-month
  - kind: on_demand
    price: 2.99 USD/GPU-hour
    utilisation: 65%
tax:
  income_tax: 25%
)";

// ---- reading a well-formed file ----------------------------------------------------------------

enum class ContractKind { take_or_pay, on_demand };

TEST(YamlReader, ReadsLikeTheSchema) {
  io::Object root = root_of(deal_text);
  EXPECT_EQ(root.required_string("name"), "Example GPU lease");
  EXPECT_EQ(root.required_currency("currency"), "CNY");

  io::Object cluster = root.object("cluster");
  EXPECT_EQ(cluster.path(), "cluster");
  EXPECT_EQ(cluster.required_string("sku"), "H800-8x");
  EXPECT_EQ(cluster.required_count("servers"), 128);
  EXPECT_EQ(cluster.optional_money("server_price"), (io::Money{Decimal(2600000), "CNY"}));
  EXPECT_EQ(cluster.required_amount_in("server_price", "CNY"), Decimal(2600000));
  EXPECT_EQ(cluster.required_power_kw("power"), Decimal("10.2"));
  EXPECT_EQ(cluster.required_date("delivery"), boost::gregorian::date(2025, 3, 1));
  EXPECT_FALSE(cluster.optional_money("spare_price").has_value());
  EXPECT_EQ(cluster.optional_count("spares", 0, io::Range::non_negative), 0);
  EXPECT_NO_THROW(cluster.finish());

  const std::vector<io::Object> contracts = root.list_of_objects("contracts");
  ASSERT_EQ(contracts.size(), 2u);
  io::Object first = contracts[0];
  EXPECT_EQ(first.path(), "contracts[0]");
  EXPECT_EQ(first.required_enum<ContractKind>(
                "kind", {{"take_or_pay", ContractKind::take_or_pay}, {"on_demand", ContractKind::on_demand}}),
            ContractKind::take_or_pay);
  EXPECT_EQ(first.required_months("term", io::Range::positive), 60);
  EXPECT_EQ(first.required_price("price").unit, deal::PriceUnit::server_month);
  EXPECT_EQ(first.optional_percent("utilisation", Decimal(1)), Decimal(1));
  EXPECT_NO_THROW(first.finish());

  io::Object second = contracts[1];
  EXPECT_EQ(second.field("price").path(), "contracts[1].price");
  EXPECT_EQ(second.required_price("price", {deal::PriceUnit::gpu_hour}),
            (deal::Price{Decimal("2.99"), deal::PriceUnit::gpu_hour, "USD"}));
  EXPECT_EQ(second.optional_percent("utilisation", Decimal(1)), Decimal("0.65"));

  EXPECT_EQ(root.object("tax").required_percent("income_tax"), Decimal("0.25"));
}

TEST(YamlReader, ReportsPositionsOfValues) {
  io::Object root = root_of(deal_text);
  const io::Field servers = root.object("cluster").field("servers");
  EXPECT_EQ(servers.file(), "deal.yaml");
  EXPECT_EQ(servers.line(), 5);
  EXPECT_EQ(servers.column(), 12);
  EXPECT_EQ(servers.path(), "cluster.servers");
  const io::Field price = root.list("contracts")[1].as_object().field("price");
  EXPECT_EQ(price.line(), 14);
  EXPECT_EQ(price.column(), 12);
}

TEST(YamlReader, OptionalGettersReturnDefaultsOnlyWhenTheKeyIsMissing) {
  io::Object root = root_of("rate: 3%\nflag: false\n");
  EXPECT_EQ(root.optional_percent("rate", Decimal("0.5")), Decimal("0.03"));
  EXPECT_EQ(root.optional_percent("other", Decimal("0.5")), Decimal("0.5"));
  EXPECT_FALSE(root.optional_bool("flag", true));
  EXPECT_TRUE(root.optional_bool("absent", true));
  EXPECT_EQ(root.optional_string("label", "none"), "none");
  EXPECT_FALSE(root.optional_date("start").has_value());
  EXPECT_TRUE(root.optional_list_of_objects("contracts").empty());
  EXPECT_FALSE(root.optional_object("cluster").has_value());
}

TEST(YamlReader, ListsOfScalarsAndEntriesOfMaps) {
  io::Object root = root_of("rates: [1%, 2%, 3%]\ncatalog:\n  H800-8x: {gpus: 8}\n  GB200-NVL72: {gpus: 72}\n");
  const io::List rates = root.list("rates");
  ASSERT_EQ(rates.size(), 3u);
  EXPECT_EQ(rates[2].as_percent(), Decimal("0.03"));
  EXPECT_EQ(rates[2].path(), "rates[2]");
  Decimal sum = 0;
  for (const io::Field& rate : rates) sum += rate.as_percent();
  EXPECT_EQ(sum, Decimal("0.06"));

  const auto entries = root.object("catalog").entries();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[1].first, "GB200-NVL72");
  io::Object rack = entries[1].second.as_object();
  EXPECT_EQ(rack.path(), "catalog.GB200-NVL72");
  EXPECT_EQ(rack.required_count("gpus"), 72);
}

TEST(YamlReader, AFieldCanBeAScalarOrAMap) {
  io::Object root = root_of("price: 3 USD/GPU-hour\ncurve:\n  start: 3 USD/GPU-hour\n");
  EXPECT_TRUE(root.field("price").is_scalar());
  EXPECT_TRUE(root.field("curve").is_object());
  EXPECT_FALSE(root.field("curve").is_list());
}

// ---- error messages ----------------------------------------------------------------------------

TEST(YamlErrors, BadValueNamesFileLineColumnPathAndExpectation) {
  io::Object root = root_of("cluster:\n  server_price: 2.6 XX\n");
  io::Object cluster = root.object("cluster");
  const io::InputError error = input_error_of([&] { cluster.required_money("server_price"); });
  EXPECT_EQ(std::string(error.what()),
            R"(deal.yaml:2:17: cluster.server_price: expected an amount of money such as "2.6M CNY" or "26.6亿 CNY", )"
            R"(got "2.6 XX" ("XX" is neither a scale (k, M, bn, B, 万, 亿) nor a currency code )"
            R"((three upper-case letters such as CNY)))");
  EXPECT_EQ(error.file(), "deal.yaml");
  EXPECT_EQ(error.line(), 2);
  EXPECT_EQ(error.column(), 17);
  EXPECT_EQ(error.path(), "cluster.server_price");
  EXPECT_EQ(error.expected(), R"(an amount of money such as "2.6M CNY" or "26.6亿 CNY")");
  EXPECT_EQ(error.got(), "2.6 XX");
}

TEST(YamlErrors, RangesAreChecked) {
  io::Object root = root_of("tax: 120%\nservers: 0\nprice: -5k USD\nspread: -1%\nterm: 0 months\nratio: -2\n");
  EXPECT_EQ(error_of([&] { root.required_percent("tax"); }),
            R"(deal.yaml:1:6: tax: expected a percentage from 0% to 100%, got "120%")");
  EXPECT_EQ(root.required_percent("tax", io::Range::non_negative), Decimal("1.2"));
  EXPECT_EQ(error_of([&] { root.required_count("servers"); }),
            R"(deal.yaml:2:10: servers: expected a whole number greater than zero, got "0")");
  EXPECT_EQ(root.required_count("servers", io::Range::non_negative), 0);
  EXPECT_EQ(error_of([&] { root.required_money("price"); }),
            R"(deal.yaml:3:8: price: expected an amount of money that is not negative, got "-5k USD")");
  EXPECT_EQ(root.required_money("price", io::Range::any).amount, Decimal(-5000));
  EXPECT_NE(error_of([&] { root.required_percent("spread"); }).find("from 0% to 100%"), std::string::npos);
  EXPECT_EQ(root.required_percent("spread", io::Range::any), Decimal("-0.01"));
  EXPECT_NE(error_of([&] { root.required_months("term", io::Range::positive); }).find("a duration greater than zero"),
            std::string::npos);
  EXPECT_NE(error_of([&] { root.required_number("ratio"); }).find("a number that is not negative"), std::string::npos);
  EXPECT_EQ(root.required_number("ratio", io::Range::any), Decimal(-2));
}

TEST(YamlErrors, BarePercentageIsRejectedWithItsPosition) {
  io::Object root = root_of("tax:\n  income_tax: 25\n");
  EXPECT_EQ(error_of([&] { root.object("tax").required_percent("income_tax"); }),
            R"(deal.yaml:2:15: tax.income_tax: expected a percentage such as "4.5%" or "250bp", got "25" )"
            R"((write the unit, as in 5% or 500bp: a bare 5 could mean 5 or 5%))");
}

TEST(YamlErrors, MissingRequiredKeyNamesTheParentAndTheKey) {
  io::Object root = root_of("name: x\ncluster:\n  sku: H800-8x\n");
  io::Object cluster = root.object("cluster");
  const io::InputError error = input_error_of([&] { cluster.required_count("servers"); });
  EXPECT_EQ(std::string(error.what()),
            R"(deal.yaml:3:3: cluster: missing required key "servers" (expected a whole number greater than zero))");
  EXPECT_EQ(error.path(), "cluster");
  EXPECT_EQ(error_of([&] { root.object("tax"); }), R"(deal.yaml:1:1: missing required key "tax" (expected a map of keys))");
  EXPECT_EQ(error_of([&] { root.field("currency"); }), R"(deal.yaml:1:1: missing required key "currency")");
}

TEST(YamlErrors, UnknownKeySuggestsTheClosestAcceptedKey) {
  io::Object root = root_of("cluster:\n  sku: H800-8x\n  servrs: 128\n");
  io::Object cluster = root.object("cluster");
  cluster.required_string("sku");
  cluster.optional_count("servers");
  cluster.optional_money("server_price");
  const io::InputError error = input_error_of([&] { cluster.finish(); });
  EXPECT_EQ(std::string(error.what()),
            R"(deal.yaml:3:3: cluster.servrs: unknown key "servrs" (did you mean "servers"?); )"
            R"(accepted keys: sku, servers, server_price)");
  EXPECT_EQ(error.got(), "servrs");
  EXPECT_EQ(error.path(), "cluster.servrs");
}

TEST(YamlErrors, UnknownKeyFarFromEveryAcceptedKeyHasNoSuggestion) {
  io::Object root = root_of("sku: a\nwarranty: 3 years\n");
  root.required_string("sku");
  EXPECT_EQ(error_of([&] { root.finish(); }),
            R"(deal.yaml:2:1: warranty: unknown key "warranty"; accepted keys: sku)");
}

TEST(YamlErrors, IgnoredAndTestedKeysAreAccepted) {
  io::Object root = root_of("note: anything\nalternative: 1\n");
  root.ignore("note");
  EXPECT_TRUE(root.has("alternative"));
  EXPECT_FALSE(root.has("missing"));
  EXPECT_NO_THROW(root.finish());
}

TEST(YamlErrors, DuplicateKeysAreRejected) {
  EXPECT_EQ(error_of([] { root_of("cluster:\n  sku: H800\n  servers: 2\n  sku: H20\n").object("cluster"); }),
            R"(deal.yaml:4:3: cluster.sku: duplicate key "sku" (first given at line 2, column 3))");
  EXPECT_EQ(error_of([] { root_of("a: 1\na: 2\n"); }), R"(deal.yaml:2:1: a: duplicate key "a" (first given at line 1, column 1))");
}

// Past a few dozen keys the check looks keys up by hash rather than scanning: the same errors,
// whether the first of the two is among the first keys or not.
TEST(YamlErrors, DuplicateKeysAreRejectedInLargeMaps) {
  std::string text;
  for (int i = 0; i < 40; ++i) text += "k" + std::to_string(i) + ": " + std::to_string(i) + "\n";
  EXPECT_NO_THROW(root_of(text.c_str()));
  EXPECT_EQ(error_of([&] { root_of((text + "k3: again\n").c_str()); }),
            R"(deal.yaml:41:1: k3: duplicate key "k3" (first given at line 4, column 1))");
  EXPECT_EQ(error_of([&] { root_of((text + "k38: again\n").c_str()); }),
            R"(deal.yaml:41:1: k38: duplicate key "k38" (first given at line 39, column 1))");
  io::Object root = root_of((text + "late: 1\n").c_str());
  EXPECT_TRUE(root.has("k0") && root.has("k39") && root.has("late"));
  EXPECT_FALSE(root.has("k40"));
}

TEST(YamlErrors, WrongTypes) {
  io::Object root = root_of("cluster: [1, 2]\ncontracts:\n  kind: x\nname: [a]\nitems: [1, {a: 1}]\nempty:\n");
  EXPECT_EQ(error_of([&] { root.object("cluster"); }), R"(deal.yaml:1:10: cluster: expected a map of keys, got a list)");
  EXPECT_EQ(error_of([&] { root.list_of_objects("contracts"); }),
            R"(deal.yaml:3:3: contracts: expected a list, got a map)");
  EXPECT_EQ(error_of([&] { root.required_string("name"); }), R"(deal.yaml:4:7: name: expected a text, got a list)");
  EXPECT_EQ(error_of([&] { root.list_of_objects("items"); }),
            R"(deal.yaml:5:9: items[0]: expected a map of keys, got "1")");
  EXPECT_EQ(error_of([&] { root.required_money("cluster"); }),
            R"(deal.yaml:1:10: cluster: expected an amount of money such as "2.6M CNY" or "26.6亿 CNY", got a list)");
  // An empty value is placed at its key, not at the start of the next line.
  EXPECT_EQ(error_of([&] { root.required_count("empty"); }),
            R"(deal.yaml:6:1: empty: expected a whole number such as "1024", got an empty value)");
}

TEST(YamlErrors, KeysMustBeNames) {
  EXPECT_EQ(error_of([] { root_of("? [a, b]\n: 1\n"); }), R"(deal.yaml:1:3: expected a key name, got a list)");
}

TEST(YamlErrors, EnumNamesTheChoicesAndSuggests) {
  io::Object root = root_of("contract:\n  kind: take-or-pay\n");
  io::Object contract = root.object("contract");
  const io::InputError error = input_error_of([&] {
    contract.required_enum<ContractKind>(
        "kind", {{"take_or_pay", ContractKind::take_or_pay}, {"on_demand", ContractKind::on_demand}});
  });
  EXPECT_EQ(std::string(error.what()),
            R"(deal.yaml:2:9: contract.kind: expected one of take_or_pay or on_demand, got "take-or-pay" )"
            R"((did you mean "take_or_pay"?))");
  EXPECT_EQ(error_of([&] {
              contract.required_enum<ContractKind>(
                  "model", {{"take_or_pay", ContractKind::take_or_pay}, {"on_demand", ContractKind::on_demand}});
            }),
            R"(deal.yaml:2:3: contract: missing required key "model" (expected one of take_or_pay or on_demand))");
  EXPECT_EQ(contract.optional_enum<ContractKind>("model", {{"take_or_pay", ContractKind::take_or_pay}},
                                                 ContractKind::on_demand),
            ContractKind::on_demand);
}

TEST(YamlErrors, PriceUnitCanBeRestricted) {
  io::Object root = root_of("price: 0.65 CNY/kWh\n");
  EXPECT_EQ(error_of([&] { root.required_price("price", {deal::PriceUnit::gpu_hour, deal::PriceUnit::server_month}); }),
            R"(deal.yaml:1:8: price: expected a price per GPU-hour or server-month, got "0.65 CNY/kWh")");
}

TEST(YamlErrors, AmountInAnotherCurrency) {
  io::Object root = root_of("capex: 11.9bn USD\nopex: 150 万\n");
  EXPECT_EQ(error_of([&] { root.required_amount_in("capex", "CNY"); }),
            R"(deal.yaml:1:8: capex: expected an amount in CNY, got "11.9bn USD")");
  EXPECT_EQ(root.required_amount_in("opex", "CNY"), Decimal(1500000));  // no currency: the deal's
}

TEST(YamlErrors, CrossFieldChecksFailAtAFieldsPosition) {
  io::Object root = root_of("capex: 100M CNY\ndebt: 120M CNY\n");
  const io::Field debt = root.field("debt");
  EXPECT_EQ(error_of([&] { debt.fail_expected("at most the capex (100M CNY)"); }),
            R"(deal.yaml:2:7: debt: expected at most the capex (100M CNY), got "120M CNY")");
  EXPECT_EQ(error_of([&] { debt.fail("exceeds the capex"); }), R"(deal.yaml:2:7: debt: exceeds the capex)");
  EXPECT_EQ(error_of([&] { root.fail("the deal has no contracts"); }), R"(deal.yaml:1:1: the deal has no contracts)");
}

TEST(YamlErrors, EmptyStringsAndNonBooleans) {
  io::Object root = root_of("name: \"\"\nvat: yes\n");
  EXPECT_EQ(error_of([&] { root.required_string("name"); }), R"(deal.yaml:1:7: name: expected a text, got "")");
  EXPECT_EQ(error_of([&] { root.required_bool("vat"); }), R"(deal.yaml:2:6: vat: expected true or false, got "yes")");
}

// ---- documents ---------------------------------------------------------------------------------

TEST(YamlDocument, SyntaxErrorsHaveAPosition) {
  const io::InputError error = input_error_of([] { io::Document::parse("a: [1, 2\nb: 3\n", "bad.yaml"); });
  EXPECT_EQ(error.file(), "bad.yaml");
  EXPECT_EQ(error.line(), 2);
  EXPECT_GT(error.column(), 0);
  EXPECT_NE(std::string(error.what()).find("invalid YAML"), std::string::npos);
  EXPECT_EQ(error_of([] { io::Document::parse("a: 1\n\tb: 2\n", "tab.yaml"); }).rfind("tab.yaml:2:1: invalid YAML", 0), 0u);
}

TEST(YamlDocument, EmptyOrScalarOrSeveralDocumentsAreRejected) {
  EXPECT_EQ(error_of([] { io::Document::parse("", "e.yaml").root(); }),
            "e.yaml: expected a map of keys, got an empty document");
  EXPECT_EQ(error_of([] { io::Document::parse("# only a comment\n", "e.yaml").root(); }),
            "e.yaml: expected a map of keys, got an empty document");
  EXPECT_EQ(error_of([] { io::Document::parse("42\n", "s.yaml").root(); }),
            R"(s.yaml:1:1: expected a map of keys, got "42")");
  EXPECT_EQ(error_of([] { io::Document::parse("a: 1\n---\nb: 2\n", "m.yaml"); }),
            "m.yaml:3:1: expected one YAML document, found a second one");
  EXPECT_NO_THROW(io::Document::parse("---\na: 1\n", "m.yaml").root());
}

TEST(YamlDocument, ValuesOutliveTheDocument) {
  io::Object cluster = io::Document::parse("cluster: {servers: 4}\n", "d.yaml").root().object("cluster");
  EXPECT_EQ(cluster.required_count("servers"), 4);
}

// An alias reads as the value of its anchor, wherever it stands; an alias inside the map or list
// it names would make a loop, which is refused where it is written.
TEST(YamlDocument, AliasesReadAsTheirAnchorsAndLoopsAreRefused) {
  io::Object root = io::Document::parse("a: &shared {servers: 4}\nb: *shared\n", "d.yaml").root();
  EXPECT_EQ(root.object("b").required_count("servers"), 4);
  EXPECT_EQ(root.object("a").required_count("servers"), 4);
  EXPECT_EQ(error_of([] { io::Document::parse("a: &loop [1, *loop]\n", "d.yaml"); }),
            "d.yaml:1:14: invalid YAML: an alias to a map or list that holds it");
  EXPECT_EQ(error_of([] { io::Document::parse("a: &loop {b: {c: *loop}}\n", "d.yaml"); }),
            "d.yaml:1:18: invalid YAML: an alias to a map or list that holds it");
}

// An override copies only the values on its path: the document it came from reads as before, and
// two overridden documents do not see each other's values.
TEST(YamlDocument, OverridesLeaveTheirDocumentAsItIs) {
  const io::Document base = io::Document::parse("cluster: {servers: 4, sku: h100}\nlist: [1, {n: 2}]\n", "d.yaml");
  const io::FieldOverride servers{"cluster.servers", "8"}, item{"list[1].n", "5"}, added{"cluster.rack", "r1"};
  const io::Document eight = base.with_overrides({&servers, 1});
  const std::vector<io::FieldOverride> both = {item, added};
  const io::Document other = base.with_overrides(both);
  EXPECT_EQ(eight.root().object("cluster").required_count("servers"), 8);
  EXPECT_EQ(other.root().object("cluster").required_count("servers"), 4);
  EXPECT_EQ(other.root().object("cluster").required_string("rack"), "r1");
  EXPECT_FALSE(eight.root().object("cluster").has("rack"));
  EXPECT_EQ(other.root().list("list")[1].as_object().required_count("n"), 5);
  EXPECT_EQ(eight.root().list("list")[1].as_object().required_count("n"), 2);
  io::Object cluster = base.root().object("cluster");
  EXPECT_EQ(cluster.required_count("servers"), 4);
  EXPECT_FALSE(cluster.has("rack"));
  // The value not overridden keeps its place in the file; the overridden one has none.
  EXPECT_EQ(eight.root().object("cluster").field("sku").line(), 1);
  EXPECT_EQ(eight.root().object("cluster").field("servers").line(), 0);
  EXPECT_FALSE(base.without("cluster").root().has("cluster"));
  EXPECT_TRUE(base.root().has("cluster"));
}

// Documents are read by many threads at once (a pricing service's base models): each thread
// overrides and reads the one document, and every thread reads its own values.
TEST(YamlDocument, ManyThreadsReadOneDocument) {
  const io::Document base = io::Document::parse("cluster: {servers: 4, sku: h100}\nlist: [1, 2, 3]\n", "d.yaml");
  std::vector<std::thread> threads;
  std::atomic<int> wrong = 0;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        const io::FieldOverride servers{"cluster.servers", std::to_string(t * 1000 + i + 1)};
        io::Object root = base.with_overrides({&servers, 1}).root();
        if (root.object("cluster").required_count("servers") != t * 1000 + i + 1 || root.list("list").size() != 3) ++wrong;
      }
    });
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(wrong, 0);
  EXPECT_EQ(base.root().object("cluster").required_count("servers"), 4);
}

class YamlFile : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = std::filesystem::path(::testing::TempDir()) /
                 ("io_yaml_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(directory_);
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  std::filesystem::path directory_;
};

TEST_F(YamlFile, LoadsAFileAndNamesItInErrors) {
  const std::filesystem::path file = directory_ / "deal.yaml";
  std::ofstream(file) << "servers: 12.5\n";
  io::Object root = io::Document::load_file(file).root();
  EXPECT_EQ(error_of([&] { root.required_count("servers"); }),
            file.string() + R"(:1:10: servers: expected a whole number such as "1024", got "12.5" (not a whole number))");
}

TEST_F(YamlFile, MissingFileOrDirectoryIsAnInputError) {
  const std::filesystem::path missing = directory_ / "missing.yaml";
  EXPECT_EQ(error_of([&] { io::Document::load_file(missing); }),
            missing.string() + ": cannot read the file: it does not exist");
  EXPECT_EQ(error_of([&] { io::Document::load_file(directory_); }),
            directory_.string() + ": cannot read the file: it is a directory");
}

TEST_F(YamlFile, ReadsTheShippedModels) {
  // Every shipped model must at least be well-formed YAML with a map at the top.
  const std::filesystem::path models = std::filesystem::path(LEASECALC_SOURCE_DIR) / "models";
  int read = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(models)) {
    if (entry.path().extension() != ".yaml") continue;
    EXPECT_NO_THROW(io::Document::load_file(entry.path()).root()) << entry.path();
    ++read;
  }
  EXPECT_GE(read, 7);  // six models and the catalogue
}

}  // namespace
