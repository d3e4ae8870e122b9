// The validating YAML reader: each value of a parsed document (yaml_tree.hpp) wrapped with its
// file, position and field path, and read as the schema asks.
#include "leasecalc/io/document.hpp"
#include "leasecalc/io/model_comments.hpp"

#include "wording.hpp"
#include "yaml_tree.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <system_error>
#include <unordered_map>

namespace leasecalc::io {

using num::Decimal;

// Where a value is written: SourcePosition without the file, which all of a document's values share.
struct Place {
  int line = 0, column = 0;
};

// A value of a document. Its field path ("contracts[0].price") is put together when first asked
// for, for an error or a warning, from its parent's path and its key or index: a model read
// without fault asks for few of them.
struct SourceNode {
  const Node* node;
  std::shared_ptr<const Tree> tree;  // the root's: every node and `file`; a value holds its parent
  const std::string* file;
  Place place;
  std::shared_ptr<const SourceNode> parent;  // none for the root and for a value given its path
  std::string_view key;                      // its key in the parent map (text in the tree), or
  std::size_t index = 0;                     // its index in the parent list when `key` is empty
  mutable std::optional<std::string> known_path = std::nullopt;

  SourcePosition position() const { return {*file, place.line, place.column}; }
  const std::string& path() const;
};

// A map's entries as Field::as_object lists them; every key is a scalar, and `name` views its text.
struct MapEntries {
  struct Entry {
    std::string_view name;
    const Node* key;
    const Node* value;
  };
  std::vector<Entry> items;
};

namespace {

Place place_of(const Node& node) { return {node.line, node.column}; }
SourcePosition position_of(const Node& node, const std::string& file) { return SourcePosition{file, node.line, node.column}; }

// "contracts[0]" and "price" -> "contracts[0].price", in one allocation.
std::string child_path(const std::string& parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  std::string path;
  path.reserve(parent.size() + 1 + key.size());
  return path.append(parent).append(1, '.').append(key);
}

// "contracts" and 0 -> "contracts[0]", in one allocation.
std::string item_path(const std::string& list, std::size_t index) {
  const std::string number = std::to_string(index);
  std::string path;
  path.reserve(list.size() + number.size() + 2);
  return path.append(list).append(1, '[').append(number).append(1, ']');
}

}  // namespace

const std::string& SourceNode::path() const {
  if (!known_path) {
    if (!parent) known_path.emplace();  // the document's root
    else if (!key.empty()) known_path = child_path(parent->path(), key);
    else known_path = item_path(parent->path(), index);
  }
  return *known_path;
}

namespace {

// A map entry's value. An empty value (`key:` with nothing after it) has no position of its own
// (the parser reports the start of the next line), so it is placed at its key.
std::shared_ptr<const SourceNode> entry_node(const std::shared_ptr<const SourceNode>& map, const Node& key, const Node& value) {
  return std::make_shared<const SourceNode>(
      SourceNode{&value, nullptr, map->file, place_of(value.is_null() ? key : value), map, key.scalar});
}

using wording::excerpt;

// The offending value as the message shows it: quoted text, or what kind of thing it is.
std::string describe_value(const Node& node) {
  if (node.is_scalar()) return "\"" + excerpt(node.scalar) + "\"";
  if (node.is_map()) return "a map";
  if (node.is_list()) return "a list";
  return "an empty value";
}

std::string value_text(const Node& node) { return node.is_scalar() ? excerpt(node.scalar) : describe_value(node); }

InputError expected_error(const SourceNode& source, const std::string& expected, const std::string& note = {}) {
  std::string detail = "expected " + expected + ", got " + describe_value(*source.node);
  if (!note.empty()) detail += " (" + note + ")";
  return InputError(source.position(), source.path(), std::move(detail), expected, value_text(*source.node));
}

// "a percentage from 0% to 100%": what a getter accepts, for range and missing-key messages.
std::string describe(const wording::Kind& kind, Range range) {
  std::string description(kind.noun);
  switch (range) {
    case Range::non_negative:
      return description + " that is not negative";
    case Range::positive:
      return description + " greater than zero";
    case Range::fraction:
      return description + (kind.noun == wording::percent.noun ? " from 0% to 100%" : " from 0 to 1");
    case Range::annual_rate:
      return kind.noun == wording::percent.noun
                 ? "an annual rate from 0% to " + std::to_string(limits::max_annual_rate * 100) + "%"
                 : description + " from 0 to " + std::to_string(limits::max_annual_rate);
    case Range::any:
      break;
  }
  return description;
}

void check_range(const SourceNode& source, const Decimal& value, Range range, const wording::Kind& kind) {
  bool within = true;
  switch (range) {
    case Range::non_negative:
      within = value >= 0;
      break;
    case Range::positive:
      within = value > 0;
      break;
    case Range::fraction:
      within = value >= 0 && value <= 1;
      break;
    case Range::annual_rate:
      within = value >= 0 && value <= limits::max_annual_rate;
      break;
    case Range::any:
      break;
  }
  if (!within) throw expected_error(source, describe(kind, range));
}

// The domain bound of limits::, checked before any value reaches arithmetic.
void check_magnitude(const SourceNode& source, const Decimal& value, const wording::Kind& kind) {
  static const Decimal bound(limits::max_amount);
  if (value > bound || value < -bound)
    throw expected_error(source, std::string(kind.noun) + " of at most 1e15 in magnitude",
                         "a bound far above any real amount, kept so that sums stay exact and finite");
}

void check_at_most(const SourceNode& source, int value, int bound, const wording::Kind& kind, const char* unit,
                   const char* reason) {
  if (value > bound)
    throw expected_error(source, std::string(kind.noun) + " of at most " + std::to_string(bound) + unit, reason);
}

// Parses a scalar with one of the unit parsers, re-raising its complaint at the value's position.
template <class Parse>
auto parse_scalar(const SourceNode& source, const wording::Kind& kind, Parse parse) {
  if (!source.node->is_scalar()) throw expected_error(source, kind.with_examples());
  try {
    return parse(source.node->scalar);
  } catch (const ParseError& error) {
    throw InputError(source.position(), source.path(), error.what(), error.expected(), error.text());
  }
}

}  // namespace

// ---- Field -------------------------------------------------------------------------------------

Field::Field(std::shared_ptr<const SourceNode> node) : node_(std::move(node)) {}

SourcePosition Field::position() const { return node_->position(); }
const std::string& Field::file() const { return *node_->file; }
int Field::line() const { return node_->place.line; }
int Field::column() const { return node_->place.column; }
const std::string& Field::path() const { return node_->path(); }
bool Field::is_scalar() const { return node_->node->is_scalar(); }
bool Field::is_object() const { return node_->node->is_map(); }
bool Field::is_list() const { return node_->node->is_list(); }

std::string Field::as_string() const {
  const SourceNode& source = *node_;
  if (!source.node->is_scalar() || source.node->scalar.empty())
    throw expected_error(source, std::string(wording::text.noun));
  return source.node->scalar;
}

bool Field::as_bool() const { return parse_scalar(*node_, wording::boolean, parse_bool); }

Decimal Field::as_number(Range range) const {
  Decimal value = parse_scalar(*node_, wording::number, parse_number);
  check_magnitude(*node_, value, wording::number);
  check_range(*node_, value, range, wording::number);
  return value;
}

int Field::as_count(Range range) const {
  const int value = parse_scalar(*node_, wording::count, parse_count);
  check_range(*node_, Decimal(value), range, wording::count);
  check_at_most(*node_, value, limits::max_count, wording::count, "", "ten times the largest GPU clusters built");
  return value;
}

Money Field::as_money(Range range) const {
  Money money = parse_scalar(*node_, wording::money, parse_money);
  check_magnitude(*node_, money.amount, wording::money);
  check_range(*node_, money.amount, range, wording::money);
  return money;
}

Decimal Field::as_amount_in(std::string_view currency, Range range) const {
  Money money = as_money(range);
  if (!money.currency.empty() && money.currency != currency)
    throw expected_error(*node_, "an amount in " + std::string(currency));
  return std::move(money.amount);
}

std::string Field::as_currency() const { return parse_scalar(*node_, wording::currency, parse_currency); }

Decimal Field::as_percent(Range range) const {
  Decimal fraction = parse_scalar(*node_, wording::percent, parse_percent);
  check_magnitude(*node_, fraction, wording::percent);
  check_range(*node_, fraction, range, wording::percent);
  return fraction;
}

int Field::as_months(Range range) const {
  const int months = parse_scalar(*node_, wording::months, parse_months);
  check_range(*node_, Decimal(months), range, wording::months);
  check_at_most(*node_, months, limits::max_months, wording::months, " months", "50 years, beyond any lease, loan or horizon");
  return months;
}

deal::Price Field::as_price(std::initializer_list<deal::PriceUnit> units, Range range) const {
  deal::Price price = as_quoted_price(units, range);
  if (price.vat == deal::VatBasis::included)
    throw expected_error(*node_, "a price without VAT (only a contract's rental price, whose contract states its "
                                 "vat_rate, may be quoted incl. VAT)");
  return price;
}

deal::Price Field::as_quoted_price(std::initializer_list<deal::PriceUnit> units, Range range) const {
  deal::Price price = parse_scalar(*node_, wording::price, parse_price);
  if (units.size() > 0 && std::find(units.begin(), units.end(), price.unit) == units.end()) {
    std::vector<std::string> names;
    for (deal::PriceUnit unit : units) names.emplace_back(to_string(unit));
    throw expected_error(*node_, "a price per " + text::join_alternatives(names));
  }
  check_magnitude(*node_, price.amount, wording::price);
  check_range(*node_, price.amount, range, wording::price);
  return price;
}

ShareAtAge Field::as_share_at_age() const {
  const ShareAtAge value = parse_scalar(*node_, wording::share_at_age, parse_share_at_age);
  if (value.share < 0 || value.share > 1) throw expected_error(*node_, "a share from 0% to 100% at the age");
  if (value.age_months <= 0 || value.age_months > limits::max_months)
    throw expected_error(*node_, "an age above 0 months and at most 600 months after the share");
  return value;
}

Decimal Field::as_power_kw(Range range) const {
  Decimal kilowatts = parse_scalar(*node_, wording::power, parse_power_kw);
  check_magnitude(*node_, kilowatts, wording::power);
  check_range(*node_, kilowatts, range, wording::power);
  return kilowatts;
}

boost::gregorian::date Field::as_date() const {
  const boost::gregorian::date date = parse_scalar(*node_, wording::date, parse_date);
  if (date.year() < limits::first_year || date.year() > limits::last_year)
    throw expected_error(*node_, "a date from " + std::to_string(limits::first_year) + "-01-01 to " +
                                     std::to_string(limits::last_year) + "-12-31",
                         "so that every month of a 50-year horizon stays inside the calendar");
  return date;
}

Object Field::as_object() const {
  const SourceNode& source = *node_;
  if (!source.node->is_map()) throw expected_error(source, std::string(wording::object.noun));
  // The tree keeps every entry of a map, but a key is looked up by its first occurrence: a repeated
  // key would silently lose its second value, so it is an error here. A scan over the few keys of
  // a model's maps; a hash map past those, so that a file of 100,000 keys is checked in linear time.
  auto entries = std::make_shared<MapEntries>();
  entries->items.reserve(source.node->entries.size());
  std::unordered_map<std::string_view, std::size_t> seen;
  constexpr std::size_t scanned = 32;
  for (const auto& [key_node, value_node] : source.node->entries) {
    if (!key_node->is_scalar()) {
      const SourceNode key{key_node, nullptr, source.file, place_of(*key_node), {}, {}, 0, source.path()};
      throw expected_error(key, "a key name");
    }
    const std::string& key = key_node->scalar;
    const std::size_t index = entries->items.size();
    std::optional<std::size_t> first;
    if (index < scanned) {
      for (std::size_t i = 0; i < index && !first; ++i)
        if (entries->items[i].name == key) first = i;
    } else {
      if (index == scanned)
        for (std::size_t i = 0; i < index; ++i) seen.emplace(entries->items[i].name, i);
      if (const auto found = seen.find(key); found != seen.end()) first = found->second;
    }
    if (first) {
      const SourcePosition first_position = position_of(*entries->items[*first].key, *source.file);
      throw InputError(position_of(*key_node, *source.file), child_path(source.path(), key),
                       "duplicate key \"" + key + "\" (first given at line " + std::to_string(first_position.line) +
                           ", column " + std::to_string(first_position.column) + ")",
                       "a key given once", key);
    }
    entries->items.push_back({key, key_node, value_node});
    if (index >= scanned) seen.emplace(entries->items.back().name, index);
  }
  return Object(*this, std::move(entries));
}

Object Field::as_object(Keys keys) const {
  if (!is_object()) {
    std::string listed;
    for (std::string_view key : keys) listed.append(listed.empty() ? "" : ", ").append(key);
    fail_expected(std::string(wording::object.noun) + " (accepted keys: " + listed + ")");
  }
  Object object = as_object();
  object.declared_keys_.assign(keys.begin(), keys.end());
  return object;
}

List Field::as_list() const {
  const SourceNode& source = *node_;
  if (!source.node->is_list()) throw expected_error(source, std::string(wording::list.noun));
  std::vector<Field> items;
  items.reserve(source.node->items.size());
  std::size_t index = 0;
  for (const Node* item : source.node->items) {
    // An empty item ("- " alone) has no position of its own: it takes the list's.
    const Place place = item->is_null() ? source.place : place_of(*item);
    items.push_back(Field(std::make_shared<const SourceNode>(
        SourceNode{item, nullptr, source.file, place, node_, {}, index})));
    ++index;
  }
  return List(*this, std::move(items));
}

std::vector<Object> Field::as_list_of_objects() const {
  std::vector<Object> objects;
  for (const Field& item : as_list()) objects.push_back(item.as_object());
  return objects;
}

std::vector<Object> Field::as_list_of_objects(Keys keys) const {
  std::vector<Object> objects;
  for (const Field& item : as_list()) objects.push_back(item.as_object(keys));
  return objects;
}

std::size_t Field::choose(const std::vector<std::string_view>& names) const {
  const SourceNode& source = *node_;
  if (source.node->is_scalar())
    for (std::size_t index = 0; index < names.size(); ++index)
      if (names[index] == source.node->scalar) return index;
  std::vector<std::string> candidates(names.begin(), names.end());
  const std::string expected = "one of " + text::join_alternatives(candidates);
  if (!source.node->is_scalar()) throw expected_error(source, expected);
  const std::string& text = source.node->scalar;
  const std::optional<std::string> suggestion = text::closest_match(text, candidates);
  throw expected_error(source, expected, suggestion ? "did you mean \"" + *suggestion + "\"?" : "");
}

void Field::fail(std::string_view detail) const {
  throw InputError(node_->position(), node_->path(), std::string(detail), {}, value_text(*node_->node));
}

void Field::fail_expected(std::string_view expected) const { throw expected_error(*node_, std::string(expected)); }

// ---- Object ------------------------------------------------------------------------------------

Object::Object(Field self, std::shared_ptr<const MapEntries> entries) : self_(std::move(self)), entries_(std::move(entries)) {
  accepted_keys_.reserve(entries_->items.size() + 8);  // the keys written and some left at their defaults, in one allocation
}

void Object::accept(std::string_view key) {
  if (std::find(accepted_keys_.begin(), accepted_keys_.end(), key) == accepted_keys_.end())
    accepted_keys_.emplace_back(key);
}

bool Object::has(std::string_view key) {
  accept(key);
  return std::ranges::any_of(entries_->items, [key](const MapEntries::Entry& entry) { return entry.name == key; });
}

void Object::ignore(std::string_view key) { accept(key); }

std::optional<Field> Object::optional_field(std::string_view key) {
  accept(key);
  for (const auto& entry : entries_->items)
    if (entry.name == key) return Field(entry_node(self_.node_, *entry.key, *entry.value));
  return std::nullopt;
}

Field Object::required(std::string_view key, std::string_view expected) {
  if (std::optional<Field> value = optional_field(key)) return *value;
  std::string detail = "missing required key \"" + std::string(key) + "\"";
  if (!expected.empty()) detail += " (expected " + std::string(expected) + ")";
  throw InputError(position(), path(), std::move(detail), std::string(expected), {});
}

Field Object::field(std::string_view key) { return required(key, {}); }

Object Object::object(std::string_view key) { return required(key, wording::object.noun).as_object(); }

std::optional<Object> Object::optional_object(std::string_view key) {
  if (std::optional<Field> value = optional_field(key)) return value->as_object();
  return std::nullopt;
}

Object Object::object(std::string_view key, Keys keys) { return required(key, wording::object.noun).as_object(keys); }

std::optional<Object> Object::optional_object(std::string_view key, Keys keys) {
  if (std::optional<Field> value = optional_field(key)) return value->as_object(keys);
  return std::nullopt;
}

List Object::list(std::string_view key) { return required(key, wording::list.noun).as_list(); }

std::optional<List> Object::optional_list(std::string_view key) {
  if (std::optional<Field> value = optional_field(key)) return value->as_list();
  return std::nullopt;
}

std::vector<Object> Object::list_of_objects(std::string_view key) {
  return required(key, "a list of maps").as_list_of_objects();
}

std::vector<Object> Object::optional_list_of_objects(std::string_view key) {
  if (std::optional<Field> value = optional_field(key)) return value->as_list_of_objects();
  return {};
}

std::vector<Object> Object::list_of_objects(std::string_view key, Keys keys) {
  return required(key, "a list of maps").as_list_of_objects(keys);
}

std::vector<Object> Object::optional_list_of_objects(std::string_view key, Keys keys) {
  if (std::optional<Field> value = optional_field(key)) return value->as_list_of_objects(keys);
  return {};
}

// Each typed getter comes in three forms; these keep them one line each.
namespace {

template <class Read>
auto read_optional(Object& object, std::string_view key, Read read) -> std::optional<decltype(read(std::declval<Field>()))> {
  if (std::optional<Field> value = object.optional_field(key)) return read(*value);
  return std::nullopt;
}

}  // namespace

std::string Object::required_string(std::string_view key) { return required(key, wording::text.noun).as_string(); }
std::optional<std::string> Object::optional_string(std::string_view key) {
  return read_optional(*this, key, [](const Field& f) { return f.as_string(); });
}
std::string Object::optional_string(std::string_view key, std::string default_value) {
  return optional_string(key).value_or(std::move(default_value));
}

bool Object::required_bool(std::string_view key) { return required(key, wording::boolean.noun).as_bool(); }
std::optional<bool> Object::optional_bool(std::string_view key) {
  return read_optional(*this, key, [](const Field& f) { return f.as_bool(); });
}
bool Object::optional_bool(std::string_view key, bool default_value) {
  return optional_bool(key).value_or(default_value);
}

Decimal Object::required_number(std::string_view key, Range range) {
  return required(key, describe(wording::number, range)).as_number(range);
}
std::optional<Decimal> Object::optional_number(std::string_view key, Range range) {
  return read_optional(*this, key, [range](const Field& f) { return f.as_number(range); });
}
Decimal Object::optional_number(std::string_view key, Decimal default_value, Range range) {
  return optional_number(key, range).value_or(std::move(default_value));
}

int Object::required_count(std::string_view key, Range range) {
  return required(key, describe(wording::count, range)).as_count(range);
}
std::optional<int> Object::optional_count(std::string_view key, Range range) {
  return read_optional(*this, key, [range](const Field& f) { return f.as_count(range); });
}
int Object::optional_count(std::string_view key, int default_value, Range range) {
  return optional_count(key, range).value_or(default_value);
}

Money Object::required_money(std::string_view key, Range range) {
  return required(key, describe(wording::money, range)).as_money(range);
}
std::optional<Money> Object::optional_money(std::string_view key, Range range) {
  return read_optional(*this, key, [range](const Field& f) { return f.as_money(range); });
}
Money Object::optional_money(std::string_view key, Money default_value, Range range) {
  return optional_money(key, range).value_or(std::move(default_value));
}

Decimal Object::required_amount_in(std::string_view key, std::string_view currency, Range range) {
  return required(key, describe(wording::money, range) + " in " + std::string(currency)).as_amount_in(currency, range);
}
std::optional<Decimal> Object::optional_amount_in(std::string_view key, std::string_view currency, Range range) {
  return read_optional(*this, key, [&](const Field& f) { return f.as_amount_in(currency, range); });
}
Decimal Object::optional_amount_in(std::string_view key, std::string_view currency, Decimal default_value,
                                   Range range) {
  return optional_amount_in(key, currency, range).value_or(std::move(default_value));
}

std::string Object::required_currency(std::string_view key) {
  return required(key, wording::currency.with_examples()).as_currency();
}
std::optional<std::string> Object::optional_currency(std::string_view key) {
  return read_optional(*this, key, [](const Field& f) { return f.as_currency(); });
}
std::string Object::optional_currency(std::string_view key, std::string default_value) {
  return optional_currency(key).value_or(std::move(default_value));
}

Decimal Object::required_percent(std::string_view key, Range range) {
  return required(key, describe(wording::percent, range)).as_percent(range);
}
std::optional<Decimal> Object::optional_percent(std::string_view key, Range range) {
  return read_optional(*this, key, [range](const Field& f) { return f.as_percent(range); });
}
Decimal Object::optional_percent(std::string_view key, Decimal default_value, Range range) {
  return optional_percent(key, range).value_or(std::move(default_value));
}

int Object::required_months(std::string_view key, Range range) {
  return required(key, describe(wording::months, range)).as_months(range);
}
std::optional<int> Object::optional_months(std::string_view key, Range range) {
  return read_optional(*this, key, [range](const Field& f) { return f.as_months(range); });
}
int Object::optional_months(std::string_view key, int default_value, Range range) {
  return optional_months(key, range).value_or(default_value);
}

deal::Price Object::required_price(std::string_view key, std::initializer_list<deal::PriceUnit> units, Range range) {
  return required(key, describe(wording::price, range)).as_price(units, range);
}
std::optional<deal::Price> Object::optional_price(std::string_view key, std::initializer_list<deal::PriceUnit> units,
                                            Range range) {
  return read_optional(*this, key, [&](const Field& f) { return f.as_price(units, range); });
}

Decimal Object::required_power_kw(std::string_view key, Range range) {
  return required(key, describe(wording::power, range)).as_power_kw(range);
}
std::optional<Decimal> Object::optional_power_kw(std::string_view key, Range range) {
  return read_optional(*this, key, [range](const Field& f) { return f.as_power_kw(range); });
}
Decimal Object::optional_power_kw(std::string_view key, Decimal default_value, Range range) {
  return optional_power_kw(key, range).value_or(std::move(default_value));
}

boost::gregorian::date Object::required_date(std::string_view key) {
  return required(key, wording::date.with_examples()).as_date();
}
std::optional<boost::gregorian::date> Object::optional_date(std::string_view key) {
  return read_optional(*this, key, [](const Field& f) { return f.as_date(); });
}
boost::gregorian::date Object::optional_date(std::string_view key, boost::gregorian::date default_value) {
  return optional_date(key).value_or(default_value);
}

std::vector<std::pair<std::string, Field>> Object::entries() {
  std::vector<std::pair<std::string, Field>> entries;
  for (const auto& entry : entries_->items) {
    accept(entry.name);
    entries.emplace_back(std::string(entry.name), Field(entry_node(self_.node_, *entry.key, *entry.value)));
  }
  return entries;
}

void Object::finish() const {
  if (!declared_keys_.empty())
    for (const std::string& key : accepted_keys_)
      if (std::find(declared_keys_.begin(), declared_keys_.end(), key) == declared_keys_.end())
        throw std::logic_error("the reader of " + (path().empty() ? std::string("the document") : path()) +
                               " asks for \"" + key + "\", which its list of accepted keys lacks");
  const SourceNode& source = *self_.node_;
  for (const auto& entry : entries_->items) {
    if (std::find(accepted_keys_.begin(), accepted_keys_.end(), entry.name) != accepted_keys_.end()) continue;
    const std::string key(entry.name);
    std::string detail = "unknown key \"" + key + "\"";
    if (const std::optional<std::string> suggestion = text::closest_match(key, accepted_keys_))
      detail += " (did you mean \"" + *suggestion + "\"?)";
    std::string accepted;
    for (const std::string& name : accepted_keys_) accepted += (accepted.empty() ? "" : ", ") + name;
    detail += accepted.empty() ? "; no keys are accepted here" : "; accepted keys: " + accepted;
    throw InputError(position_of(*entry.key, *source.file), child_path(source.path(), key),
                     std::move(detail), "one of the keys " + accepted, key);
  }
}

// ---- Document ----------------------------------------------------------------------------------

namespace {

// YAML ends a line with LF, CR LF or a lone CR (old Mac files); the parser reads only the first
// two, so a lone CR becomes LF (same offsets, so positions are unchanged).
std::string with_line_feeds(std::string_view text) {
  std::string normalised(text);
  for (std::size_t i = 0; i < normalised.size(); ++i)
    if (normalised[i] == '\r' && (i + 1 == normalised.size() || normalised[i + 1] != '\n')) normalised[i] = '\n';
  return normalised;
}

}  // namespace

Document Document::parse(std::string_view text, std::string file_name) {
  const std::string normalised = with_line_feeds(text);
  std::shared_ptr<const Tree> tree = read_yaml(normalised, file_name);
  const Node* root = tree->root;
  const std::string* file = &tree->file;
  return Document(Field(std::make_shared<const SourceNode>(SourceNode{root, std::move(tree), file, place_of(*root), {}, {}, 0})),
                  std::make_shared<const std::string>(normalised));
}

Document Document::load_file(const std::filesystem::path& file) {
  const std::string name = file.string();
  const auto refuse = [&](const std::string& why) { throw InputError(SourcePosition{name}, {}, "cannot read the file: " + why); };
  std::error_code status;
  const std::filesystem::file_status kind = std::filesystem::status(file, status);
  if (status) {
    if (status == std::errc::too_many_symbolic_link_levels) refuse("it is a loop of symbolic links");
    if (status == std::errc::no_such_file_or_directory || status == std::errc::not_a_directory)
      refuse("it does not exist");
    refuse(status.message());
  }
  if (std::filesystem::is_directory(kind)) refuse("it is a directory");
  // Devices, pipes and sockets could block for ever or never end: only a regular file is a model.
  if (!std::filesystem::is_regular_file(kind)) refuse("it is not a regular file (a device, pipe or socket)");
  const std::uintmax_t size = std::filesystem::file_size(file, status);
  if (status) refuse(status.message());
  const auto too_large = [&] {
    refuse("it is larger than " + std::to_string(limits::max_file_bytes >> 20) + " MiB, the limit for a model file");
  };
  if (size > limits::max_file_bytes) too_large();
  std::ifstream stream(file, std::ios::binary);
  if (!stream) refuse(std::error_code(errno, std::generic_category()).message());
  // Read in chunks and at most one byte past the limit: a file whose size the system misstates
  // (those under /proc say 0) or that grows while read is still bounded.
  std::string text;
  std::array<char, 1 << 16> chunk{};
  while (stream && text.size() <= limits::max_file_bytes) {
    stream.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    text.append(chunk.data(), static_cast<std::size_t>(stream.gcount()));
  }
  if (stream.bad()) refuse("a read error occurred (only a regular model file can be read)");
  if (text.size() > limits::max_file_bytes) too_large();
  return parse(text, name);
}

SourcePosition Document::locate(std::string_view path) const {
  const Node* node = root_.node_->node;
  SourcePosition position = root_.position();
  std::size_t at = 0;
  while (at < path.size()) {
    if (path[at] == '[') {  // a list index: "[3]"
      const std::size_t close = path.find(']', at);
      if (close == std::string_view::npos || !node->is_list()) break;
      std::size_t index = 0;
      for (std::size_t i = at + 1; i < close; ++i) index = index * 10 + static_cast<std::size_t>(path[i] - '0');
      if (index >= node->items.size()) break;
      node = node->items[index];
      if (!node->is_null()) position = position_of(*node, position.file);
      at = close + 1;
      continue;
    }
    if (path[at] == '.') ++at;
    const std::size_t end = std::min(path.find_first_of(".[", at), path.size());
    const std::string_view key = path.substr(at, end - at);
    if (!node->is_map()) break;
    const std::optional<std::size_t> entry = entry_index(*node, key);
    if (!entry) break;
    const auto& [key_node, value_node] = node->entries[*entry];
    position = position_of(value_node->is_null() ? *key_node : *value_node, position.file);
    node = value_node;
    at = end;
  }
  return position;
}

// A changed document shares every node of this one that is not on the path of a change: the
// nodes on the path are copied into a tree of its own, which keeps this one's alive.
Document Document::without(std::string_view key) const {
  auto tree = std::make_shared<Tree>();
  tree->shared.push_back(root_.node_->tree);
  Node& root = tree->add(*root_.node_->node);
  if (root.is_map())
    if (const auto index = entry_index(root, key)) root.entries.erase(root.entries.begin() + static_cast<std::ptrdiff_t>(*index));
  tree->root = &root;
  return Document(Field(std::make_shared<const SourceNode>(SourceNode{&root, std::move(tree), root_.node_->file, root_.node_->place, {}, {}, 0})), text_);
}

bool reaches(std::span<const FieldOverride> overrides, std::string_view section) {
  return std::ranges::any_of(overrides, [section](const FieldOverride& override) {
    const std::string_view path = override.path;
    return path.substr(0, path.find_first_of(".[")) == section;
  });
}

Document Document::with_overrides(std::span<const FieldOverride> overrides) const {
  const std::string& file = root_.file();
  auto tree = std::make_shared<Tree>();
  tree->shared.push_back(root_.node_->tree);
  Node* root = &tree->add(*root_.node_->node);
  tree->root = root;
  for (const FieldOverride& override : overrides) {
    const auto refuse = [&](const std::string& why) {
      throw InputError(SourcePosition{file}, override.path, why, "the path of a field of the model", override.path);
    };
    if (override.path.empty()) refuse("an override needs the path of a field, such as contracts[0].take_or_pay.price");
    const Node* value = nullptr;
    if (override.structured) {  // its positions are those within the value's own text
      try {
        tree->shared.push_back(read_yaml_value(override.value));
      } catch (const std::invalid_argument& error) {
        refuse(std::string("invalid value: ") + error.what());
      }
      value = tree->shared.back()->root;
    } else {
      value = &tree->add(Node{Node::Kind::scalar, 0, 0, override.value, {}, {}});
    }
    // Walks "a.b[2].c" one step at a time, copying each map or list it passes through; the last
    // step puts the value in place.
    Node* node = root;
    const std::string_view path = override.path;
    std::size_t at = 0;
    while (true) {
      // Where this step starts, without the dot before it: the place named when it leads nowhere.
      const std::string walked(path.substr(0, at > 0 && path[at - 1] == '.' ? at - 1 : at));
      const std::string place = walked.empty() ? "the top of the model" : walked;
      std::optional<std::size_t> index;
      std::string key;
      if (path[at] == '[') {
        const std::size_t close = path.find(']', at);
        if (close == std::string_view::npos || close == at + 1 || close - at > 7)
          refuse("expected a list index such as [0] in the path");
        std::size_t number = 0;
        for (std::size_t i = at + 1; i < close; ++i) {
          if (path[i] < '0' || path[i] > '9') refuse("expected a list index such as [0] in the path");
          number = number * 10 + static_cast<std::size_t>(path[i] - '0');
        }
        index = number;
        at = close + 1;
      } else {
        const std::size_t end = std::min(path.find_first_of(".[", at), path.size());
        if (end == at) refuse("expected a key between the dots of the path");
        key = std::string(path.substr(at, end - at));
        at = end;
      }
      const bool last = at == path.size();
      if (!last && path[at] == '.' && ++at == path.size()) refuse("expected a key after the last dot of the path");
      const Node** slot = nullptr;  // where the next node of the path sits in this one
      if (index) {
        if (!node->is_list()) refuse("no list item [" + std::to_string(*index) + "]: " + place + " is not a list");
        const std::size_t size = node->items.size();
        if (*index >= size)
          refuse("no list item [" + std::to_string(*index) + "]: " + place + " has " + std::to_string(size) + " item" +
                 (size == 1 ? "" : "s"));
        slot = &node->items[*index];
      } else {
        if (!node->is_map()) refuse("no key '" + key + "': " + place + " is not a map");
        const std::optional<std::size_t> entry = entry_index(*node, key);
        if (!entry) {
          if (!last) refuse("the model has no " + std::string(path.substr(0, at - 1)) + " to change a field of");
          // A missing last key is added, so that an optional field can be set.
          node->entries.emplace_back(&tree->add(Node{Node::Kind::scalar, 0, 0, key, {}, {}}), value);
          break;
        }
        slot = &node->entries[*entry].second;
        if (!last && (*slot)->is_null())
          refuse("the model has no " + std::string(path.substr(0, at - 1)) + " to change a field of");
      }
      if (last) {
        *slot = value;
        break;
      }
      Node* copy = &tree->add(**slot);
      *slot = copy;
      node = copy;
    }
  }
  // The text stays: the values not overridden keep their lines, and so their comments.
  return Document(Field(std::make_shared<const SourceNode>(SourceNode{root, std::move(tree), root_.node_->file, root_.node_->place, {}, {}, 0})), text_);
}

namespace {

class FieldLister {
 public:
  // Each field's comments as io::model_comments attributes them (one reader of comments for the
  // memo and the workbook), joined by spaces.
  FieldLister(const std::string* text, std::string file) : file_(std::move(file)) {
    if (!text) return;
    for (const ModelComment& comment : model_comments(*text)) {
      std::string& joined = comments_[comment.field];
      if (!joined.empty()) joined += ' ';
      joined += comment.text;
    }
  }

  void walk(const Node& node, const std::string& path) {
    if (node.is_map()) {
      for (const auto& [key, value] : node.entries) {
        if (!key->is_scalar()) continue;
        add(*value, child_path(path, key->scalar), *key);
      }
    } else if (node.is_list()) {
      std::size_t index = 0;
      for (const Node* item : node.items) add(*item, item_path(path, index++), *item);
    }
  }

  std::vector<WrittenField> fields;

 private:
  // `placed`: the node whose position the field takes (a map entry's key).
  void add(const Node& node, std::string path, const Node& placed) {
    const auto comment = comments_.find(path);
    WrittenField field{path, node.is_scalar() ? node.scalar : std::string(), node.is_scalar(),
                       position_of(placed, file_), comment == comments_.end() ? std::string() : comment->second};
    fields.push_back(std::move(field));
    walk(node, path);
  }

  std::string file_;
  std::unordered_map<std::string, std::string> comments_;  // by field path
};

}  // namespace

std::vector<WrittenField> Document::written_fields() const {
  FieldLister lister(text_.get(), root_.file());
  lister.walk(*root_.node_->node, {});
  return std::move(lister.fields);
}

Object Document::root() const {
  if (root_.node_->node->is_null())
    throw InputError(root_.position(), {}, "expected a map of keys, got an empty document", "a map of keys", {});
  return root_.as_object();
}

}  // namespace leasecalc::io
