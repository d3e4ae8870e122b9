#pragma once
// A YAML text as a tree of its own, built from yaml-cpp's parser events and never changed after:
// what io::Document reads (document.cpp). Private to the model reader.
#include <cstddef>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace leasecalc::io {

// One value of the document. The tree is never changed once built, so any number of threads may
// read one document at once; an override copies only the values on its path (Document::with_overrides).
struct Node {
  enum class Kind : unsigned char { null, scalar, list, map };
  Kind kind = Kind::null;
  int line = 0, column = 0;  // from 1; 0 for a value with no place in the text (an override)
  std::string scalar;
  std::vector<const Node*> items;                            // a list's
  std::vector<std::pair<const Node*, const Node*>> entries;  // a map's keys and values, in file order

  bool is_null() const { return kind == Kind::null; }
  bool is_scalar() const { return kind == Kind::scalar; }
  bool is_list() const { return kind == Kind::list; }
  bool is_map() const { return kind == Kind::map; }
};

// The nodes of one document, and the trees whose nodes it shares (the document it was copied from,
// an override's value).
struct Tree {
  std::string file;  // of a parsed document: what its values' positions name
  std::deque<Node> nodes;
  std::vector<std::shared_ptr<const Tree>> shared;
  const Node* root = nullptr;

  Node& add(Node node) { return nodes.emplace_back(std::move(node)); }
};

// The index of the entry of `map` under the scalar key `key`, if there is one.
inline std::optional<std::size_t> entry_index(const Node& map, std::string_view key) {
  for (std::size_t i = 0; i < map.entries.size(); ++i)
    if (map.entries[i].first->is_scalar() && map.entries[i].first->scalar == key) return i;
  return std::nullopt;
}

// The one document of a model file's text (line ends already LF), its values placed in `file_name`.
// A second document, nesting deeper than limits::max_nesting, an alias inside what its anchor
// names, or text that is not YAML is an io::InputError at its position. An empty text is a null
// root with no position.
std::shared_ptr<const Tree> read_yaml(const std::string& text, const std::string& file_name);

// A value written as YAML or JSON text on its own (an override of a whole section): its positions
// are those within the text. Text that is not YAML is a std::invalid_argument saying why.
std::shared_ptr<const Tree> read_yaml_value(const std::string& text);

}  // namespace leasecalc::io
