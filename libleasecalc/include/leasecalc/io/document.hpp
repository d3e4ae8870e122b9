#pragma once
// A validating reader for YAML model files. Every value knows its file, line, column and field
// path ("contracts[1].price"), so that each error points at the text to fix:
//
//   io::Document doc = io::Document::load_file("models/x.yaml");
//   io::Object root = doc.root();
//   io::Object cluster = root.object("cluster");
//   std::string sku = cluster.required_string("sku");
//   int servers = cluster.required_count("servers");                 // a whole number > 0
//   std::optional<io::Money> price = cluster.optional_money("server_price");
//   cluster.finish();                                                // unknown keys are errors
//   for (io::Object contract : root.list_of_objects("contracts")) { … }
//
// Objects remember which keys were asked for (required, optional or `has`), and finish() rejects
// any other key with a "did you mean" suggestion, so a typo never silently falls back to a
// default. Every failure is an io::InputError.

#include "leasecalc/deal/limits.hpp"
#include "leasecalc/io/input_error.hpp"
#include "leasecalc/io/units.hpp"
#include "leasecalc/num/numeric.hpp"
#include "leasecalc/text/text.hpp"

#include <boost/date_time/gregorian/gregorian_types.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace leasecalc::io {

// A parsed YAML node together with its file and path; defined in the implementation so that the
// YAML library stays private.
struct SourceNode;
struct MapEntries;

// Domain bounds every value read from a file is held to, whatever its Range (deal::limits), and
// the largest file read (docs/model-format.md).
namespace limits {
using namespace deal::limits;
inline constexpr std::uintmax_t max_file_bytes = 16u << 20;  // a model file: 16 MiB
inline constexpr int max_nesting = 64;  // levels of maps and lists: a model needs fewer than ten
}  // namespace limits

// Which values a getter accepts beyond the grammar of its unit.
enum class Range {
  non_negative,  // >= 0: the default for amounts, prices, power, numbers and durations
  positive,      // > 0: the default for counts
  fraction,      // from 0 to 1, i.e. 0% to 100%: the default for percentages
  annual_rate,   // from 0 to limits::max_annual_rate: discount, escalation and decay rates
  any,           // either sign
};

// The keys a map takes, named in the error when something else (a scalar, a list) is written where
// the map belongs. A map read with its keys declared also checks, in finish(), that every key
// the reader asked for is among them (a std::logic_error otherwise), so the list cannot drift.
using Keys = std::span<const std::string_view>;

// One name of an enumeration as written in the file, and its value: {"take_or_pay", Kind::take_or_pay}.
template <class E>
using Choice = std::pair<std::string_view, E>;

class Object;
class List;

// One value in the file: a scalar, a map or a list.
class Field {
 public:
  SourcePosition position() const;
  const std::string& file() const;
  int line() const;
  int column() const;
  const std::string& path() const;  // "contracts[1].price"; empty for the document root

  // What is there: for schemas that accept either a scalar or a map at one key.
  bool is_scalar() const;
  bool is_object() const;
  bool is_list() const;

  std::string as_string() const;  // any non-empty scalar, as written
  bool as_bool() const;
  num::Decimal as_number(Range range = Range::non_negative) const;
  int as_count(Range range = Range::positive) const;
  Money as_money(Range range = Range::non_negative) const;
  // An amount in `currency`: the text may omit the currency, but may not name another one.
  num::Decimal as_amount_in(std::string_view currency, Range range = Range::non_negative) const;
  std::string as_currency() const;
  num::Decimal as_percent(Range range = Range::fraction) const;  // as a fraction: "4.5%" -> 0.045
  int as_months(Range range = Range::non_negative) const;
  // `units` limits what the price may be quoted per; empty accepts every deal::PriceUnit. The
  // price may not say it includes VAT: only a price that names its VAT rate elsewhere may
  // (as_quoted_price).
  deal::Price as_price(std::initializer_list<deal::PriceUnit> units = {}, Range range = Range::non_negative) const;
  // As as_price, but "incl. VAT" is accepted: the caller divides by the VAT rate it knows.
  deal::Price as_quoted_price(std::initializer_list<deal::PriceUnit> units = {},
                              Range range = Range::non_negative) const;
  num::Decimal as_power_kw(Range range = Range::non_negative) const;
  // "30% after 36 months": a share from 0% to 100% at an age above 0, at most 600 months.
  ShareAtAge as_share_at_age() const;
  boost::gregorian::date as_date() const;
  Object as_object() const;
  Object as_object(Keys keys) const;
  List as_list() const;
  std::vector<Object> as_list_of_objects() const;
  std::vector<Object> as_list_of_objects(Keys keys) const;

  template <class E>
  E as_enum(std::span<const Choice<E>> choices) const {
    std::vector<std::string_view> names;
    names.reserve(choices.size());
    for (const Choice<E>& choice : choices) names.push_back(choice.first);
    return choices[choose(names)].second;
  }
  template <class E>
  E as_enum(std::initializer_list<Choice<E>> choices) const {
    return as_enum<E>(std::span<const Choice<E>>(choices.begin(), choices.size()));
  }

  // Errors at this value's position, for checks that involve several fields:
  // fail("exceeds the capex") gives `FILE:L:C: PATH: exceeds the capex`;
  // fail_expected("at most the capex") gives `FILE:L:C: PATH: expected at most the capex, got "VALUE"`.
  [[noreturn]] void fail(std::string_view detail) const;
  [[noreturn]] void fail_expected(std::string_view expected) const;

 private:
  friend class Object;
  friend class List;
  friend class Document;
  explicit Field(std::shared_ptr<const SourceNode> node);
  // Index of the scalar among `names`, or an InputError listing them.
  std::size_t choose(const std::vector<std::string_view>& names) const;

  std::shared_ptr<const SourceNode> node_;
};

// A map of keys. Getters take the key; `required_*` fail when it is missing, `optional_*` return
// std::nullopt or the given default. A key written with an empty value (`key:`) is not missing:
// it is an error, since the author meant to fill it in. Every key asked for becomes an accepted
// key for finish().
class Object {
 public:
  SourcePosition position() const { return self_.position(); }
  const std::string& file() const { return self_.file(); }
  int line() const { return self_.line(); }
  int column() const { return self_.column(); }
  const std::string& path() const { return self_.path(); }
  const Field& as_field() const { return self_; }

  bool has(std::string_view key);  // also accepts the key for finish()
  void ignore(std::string_view key);  // accepts the key without reading it (comments, notes)

  Field field(std::string_view key);
  std::optional<Field> optional_field(std::string_view key);

  Object object(std::string_view key);
  std::optional<Object> optional_object(std::string_view key);
  // The same with the keys the map takes (Keys).
  Object object(std::string_view key, Keys keys);
  std::optional<Object> optional_object(std::string_view key, Keys keys);
  List list(std::string_view key);
  std::optional<List> optional_list(std::string_view key);
  std::vector<Object> list_of_objects(std::string_view key);
  std::vector<Object> optional_list_of_objects(std::string_view key);  // empty when missing
  std::vector<Object> list_of_objects(std::string_view key, Keys keys);
  std::vector<Object> optional_list_of_objects(std::string_view key, Keys keys);

  std::string required_string(std::string_view key);
  std::optional<std::string> optional_string(std::string_view key);
  std::string optional_string(std::string_view key, std::string default_value);

  bool required_bool(std::string_view key);
  std::optional<bool> optional_bool(std::string_view key);
  bool optional_bool(std::string_view key, bool default_value);

  num::Decimal required_number(std::string_view key, Range range = Range::non_negative);
  std::optional<num::Decimal> optional_number(std::string_view key, Range range = Range::non_negative);
  num::Decimal optional_number(std::string_view key, num::Decimal default_value, Range range = Range::non_negative);

  int required_count(std::string_view key, Range range = Range::positive);
  std::optional<int> optional_count(std::string_view key, Range range = Range::positive);
  int optional_count(std::string_view key, int default_value, Range range = Range::positive);

  Money required_money(std::string_view key, Range range = Range::non_negative);
  std::optional<Money> optional_money(std::string_view key, Range range = Range::non_negative);
  Money optional_money(std::string_view key, Money default_value, Range range = Range::non_negative);

  num::Decimal required_amount_in(std::string_view key, std::string_view currency, Range range = Range::non_negative);
  std::optional<num::Decimal> optional_amount_in(std::string_view key, std::string_view currency,
                                                 Range range = Range::non_negative);
  num::Decimal optional_amount_in(std::string_view key, std::string_view currency, num::Decimal default_value,
                                  Range range = Range::non_negative);

  std::string required_currency(std::string_view key);
  std::optional<std::string> optional_currency(std::string_view key);
  std::string optional_currency(std::string_view key, std::string default_value);

  num::Decimal required_percent(std::string_view key, Range range = Range::fraction);
  std::optional<num::Decimal> optional_percent(std::string_view key, Range range = Range::fraction);
  num::Decimal optional_percent(std::string_view key, num::Decimal default_value, Range range = Range::fraction);

  int required_months(std::string_view key, Range range = Range::non_negative);
  std::optional<int> optional_months(std::string_view key, Range range = Range::non_negative);
  int optional_months(std::string_view key, int default_value, Range range = Range::non_negative);

  deal::Price required_price(std::string_view key, std::initializer_list<deal::PriceUnit> units = {},
                       Range range = Range::non_negative);
  std::optional<deal::Price> optional_price(std::string_view key, std::initializer_list<deal::PriceUnit> units = {},
                                      Range range = Range::non_negative);

  num::Decimal required_power_kw(std::string_view key, Range range = Range::non_negative);
  std::optional<num::Decimal> optional_power_kw(std::string_view key, Range range = Range::non_negative);
  num::Decimal optional_power_kw(std::string_view key, num::Decimal default_value, Range range = Range::non_negative);

  boost::gregorian::date required_date(std::string_view key);
  std::optional<boost::gregorian::date> optional_date(std::string_view key);
  boost::gregorian::date optional_date(std::string_view key, boost::gregorian::date default_value);

  template <class E>
  E required_enum(std::string_view key, std::initializer_list<Choice<E>> choices) {
    return required(key, "one of " + names_of(choices)).template as_enum<E>(choices);
  }
  template <class E>
  std::optional<E> optional_enum(std::string_view key, std::initializer_list<Choice<E>> choices) {
    if (std::optional<Field> value = optional_field(key)) return value->template as_enum<E>(choices);
    return std::nullopt;
  }
  template <class E>
  E optional_enum(std::string_view key, std::initializer_list<Choice<E>> choices, E default_value) {
    return optional_enum<E>(key, choices).value_or(default_value);
  }

  // The entries of a map whose keys are data rather than schema (a catalogue keyed by SKU
  // name), in file order. Accepts every key.
  std::vector<std::pair<std::string, Field>> entries();

  // Rejects keys that no getter asked for, naming the accepted keys and the likeliest one meant.
  void finish() const;

  [[noreturn]] void fail(std::string_view detail) const { self_.fail(detail); }

 private:
  friend class Field;
  Object(Field self, std::shared_ptr<const MapEntries> entries);
  void accept(std::string_view key);
  // The value at `key`, or an InputError at this map saying the key is missing and what it takes.
  Field required(std::string_view key, std::string_view expected);

  template <class E>
  static std::string names_of(std::initializer_list<Choice<E>> choices) {
    std::vector<std::string_view> names;
    for (const Choice<E>& choice : choices) names.push_back(choice.first);
    return text::join_alternatives(names);  // "a, b or c"
  }

  Field self_;
  // The map's entries in file order, listed once (when the map is checked for repeated keys) so
  // that each key asked for is a scan of short strings, not a walk of the YAML map.
  std::shared_ptr<const MapEntries> entries_;
  std::vector<std::string> accepted_keys_;  // in the order asked, for the error message
  std::vector<std::string_view> declared_keys_;  // the keys the map takes, when declared (Keys)
};

// A list of values; items have paths such as "contracts[0]".
class List {
 public:
  SourcePosition position() const { return self_.position(); }
  const std::string& path() const { return self_.path(); }
  const Field& as_field() const { return self_; }

  std::size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  const Field& operator[](std::size_t index) const { return items_.at(index); }
  std::vector<Field>::const_iterator begin() const { return items_.begin(); }
  std::vector<Field>::const_iterator end() const { return items_.end(); }

  [[noreturn]] void fail(std::string_view detail) const { self_.fail(detail); }

 private:
  friend class Field;
  List(Field self, std::vector<Field> items) : self_(std::move(self)), items_(std::move(items)) {}

  Field self_;
  std::vector<Field> items_;
};

// A value put in place of the one at a field path before a document is read: how a pricing
// service quotes a variation of a model, validated exactly as if the file said it.
struct FieldOverride {
  std::string path;   // as the messages name fields: "contracts[0].take_or_pay.price"
  std::string value;  // a scalar as a model file writes it: "60000 CNY/server-month"
  // `value` is YAML or JSON text of a map or list (a whole section) rather than one scalar.
  bool structured = false;
};

// Whether one of `overrides` is at or under the top-level key `section` ("contracts[0].price"
// reaches "contracts").
bool reaches(std::span<const FieldOverride> overrides, std::string_view section);

// A value as written in a model file, with the author's comment on it: a listing of the model's
// inputs (the workbook's Inputs sheet, docs/xlsx.md).
struct WrittenField {
  std::string path;      // "contracts[0].take_or_pay.price"
  std::string value;     // a scalar as written; empty for a map or a list
  bool is_scalar = false;
  SourcePosition position;  // of its key (of the item, in a list)
  // The comments io::model_comments gives this field (above it, or at the end of its line),
  // joined by spaces.
  std::string comment;
};

// A parsed model file. Cheap to copy; values read from it stay valid on their own. A document is
// never changed once parsed, so any number of threads may read one at once.
class Document {
 public:
  // A file that is missing, unreadable, not valid YAML or holding more than one document is an
  // InputError with the position where known.
  static Document load_file(const std::filesystem::path& file);
  // `file_name` is used in error messages only.
  static Document parse(std::string_view text, std::string file_name);

  // This document with each override applied in turn: the key or list item at its path takes the
  // value (a missing last key of a map is added, so an optional field can be set). A path that
  // leads nowhere is an InputError naming it. Overridden values have no line of their own: their
  // errors name the file and the field path. Only the maps and lists on an override's path are
  // copied; the rest is shared with this document, which stays as it is.
  Document with_overrides(std::span<const FieldOverride> overrides) const;
  // This document without the top-level `key` (and its value), if there is one.
  Document without(std::string_view key) const;

  // The top-level map; an empty document or a scalar at the top is an InputError.
  Object root() const;
  const std::string& file() const { return root_.file(); }

  // Where the value at `path` ("financing[0].term") is written, or else the nearest enclosing value
  // that is (an input left at its default has no place of its own): for warnings about a deal read
  // from this document.
  SourcePosition locate(std::string_view path) const;

  // Every map, list and scalar below the root in the order written, with its comment (the YAML
  // reader drops comments, so they are taken from the text this document was parsed from).
  std::vector<WrittenField> written_fields() const;

 private:
  Document(Field root, std::shared_ptr<const std::string> text) : root_(std::move(root)), text_(std::move(text)) {}
  Field root_;
  std::shared_ptr<const std::string> text_;  // as parsed, line feeds normalised: for the comments
};

}  // namespace leasecalc::io
