// A YAML text as a tree of its own (yaml_tree.hpp).
#include "yaml_tree.hpp"

#include "leasecalc/io/document.hpp"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <sstream>
#include <stdexcept>

namespace leasecalc::io {

namespace {

SourcePosition position_of(const YAML::Mark& mark, const std::string& file) {
  if (mark.is_null() || mark.line < 0) return SourcePosition{file, 0, 0};
  return SourcePosition{file, mark.line + 1, mark.column + 1};
}

// Builds a tree from the parser's events, as yaml-cpp's own loader does: a map's entries and a
// list's items in file order, repeated keys kept (Field::as_object refuses them), an alias sharing
// the node of its anchor.
class TreeBuilder : public YAML::EventHandler {
 public:
  explicit TreeBuilder(Tree& tree) : tree_(tree) {}

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { place(&start(Node::Kind::null, mark, anchor)); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const Node* node = anchor < anchors_.size() ? anchors_[anchor] : nullptr;
    if (!node) throw YAML::ParserException(mark, "an alias to an unknown anchor");
    // A map or list holding an alias to itself would be a loop, which no model needs.
    if (std::ranges::find(open_, node, &Open::node) != open_.end())
      throw YAML::ParserException(mark, "an alias to a map or list that holds it");
    place(node);
  }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor, const std::string& value) override {
    Node& node = start(Node::Kind::scalar, mark, anchor);
    node.scalar = value;
    place(&node);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor, YAML::EmitterStyle::value) override {
    open_.push_back({&start(Node::Kind::list, mark, anchor)});
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor, YAML::EmitterStyle::value) override {
    open_.push_back({&start(Node::Kind::map, mark, anchor)});
  }
  void OnMapEnd() override { close(); }

 private:
  struct Open {
    Node* node;
    const Node* key = nullptr;  // a map's key whose value comes next
  };

  Node& start(Node::Kind kind, const YAML::Mark& mark, YAML::anchor_t anchor) {
    const bool placed = !mark.is_null() && mark.line >= 0;
    Node& node = tree_.add(Node{kind, placed ? mark.line + 1 : 0, placed ? mark.column + 1 : 0, {}, {}, {}});
    if (anchor) {
      if (anchors_.size() <= anchor) anchors_.resize(anchor + 1, nullptr);
      anchors_[anchor] = &node;
    }
    return node;
  }
  void close() {
    const Node* node = open_.back().node;
    open_.pop_back();
    place(node);
  }
  // A finished node goes into the map or list open around it, or is the root.
  void place(const Node* node) {
    if (open_.empty()) {
      tree_.root = node;
      return;
    }
    Open& parent = open_.back();
    if (parent.node->is_list()) {
      parent.node->items.push_back(node);
    } else if (!parent.key) {
      parent.key = node;
    } else {
      parent.node->entries.emplace_back(parent.key, node);
      parent.key = nullptr;
    }
  }

  Tree& tree_;
  std::vector<Open> open_;
  std::vector<const Node*> anchors_;
};

// The first document of `text` as a tree (an empty text: a null root with no position). Parser
// errors are yaml-cpp's exceptions.
std::shared_ptr<const Tree> build_tree(const std::string& text, std::string file = {}) {
  auto tree = std::make_shared<Tree>();
  tree->file = std::move(file);
  std::istringstream stream(text);
  YAML::Parser parser(stream);
  TreeBuilder builder(*tree);
  parser.HandleNextDocument(builder);
  if (!tree->root) tree->root = &tree->add(Node{});
  return tree;
}

// Walks a text's documents without building them: where the second document with any content
// starts, if there is one, and the first map or list nested deeper than limits::max_nesting
// (an InputError there, before the tree is built). yaml-cpp's LoadAll can produce empty documents
// without end on some malformed texts, so the walk stops after a bounded number.
class DocumentCounter : public YAML::EventHandler {
 public:
  explicit DocumentCounter(const std::string& file_name) : file_name_(file_name) {}

  std::optional<YAML::Mark> content;  // the first node of the current document, unless it is empty
  YAML::Mark start;                   // where the current document starts

  void OnDocumentStart(const YAML::Mark& mark) override {
    start = mark;
    content.reset();
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { note(mark); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t, const std::string&) override { note(mark); }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    note(mark);
    descend(mark);
  }
  void OnSequenceEnd() override { --depth_; }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    note(mark);
    descend(mark);
  }
  void OnMapEnd() override { --depth_; }

 private:
  void note(const YAML::Mark& mark) {
    if (!content) content = mark;
  }
  void descend(const YAML::Mark& mark) {
    if (++depth_ > limits::max_nesting)
      throw InputError(position_of(mark, file_name_), {},
                       "nesting deeper than " + std::to_string(limits::max_nesting) +
                           " levels of maps and lists (a model needs fewer than ten)");
  }

  const std::string& file_name_;
  int depth_ = 0;
};

// A stray "---" at the end adds an empty document, which is harmless; a second real one is not.
void require_one_document(const std::string& text, const std::string& file_name) {
  constexpr int max_documents = 16;
  std::istringstream stream(text);
  YAML::Parser parser(stream);
  DocumentCounter counter(file_name);
  for (int documents = 1; parser.HandleNextDocument(counter); ++documents) {
    if (documents > 1 && counter.content)
      throw InputError(position_of(*counter.content, file_name), {}, "expected one YAML document, found a second one");
    if (documents > max_documents)
      throw InputError(position_of(counter.start, file_name), {},
                       "expected one YAML document, found more than " + std::to_string(max_documents));
  }
}

}  // namespace

std::shared_ptr<const Tree> read_yaml(const std::string& text, const std::string& file_name) {
  try {
    // The walk first: it refuses deep nesting before the tree is built.
    require_one_document(text, file_name);
    return build_tree(text, file_name);
  } catch (const YAML::DeepRecursion& error) {
    // The parser's guard against a stack overflow; its own wording ("bad file") says nothing.
    throw InputError(position_of(error.mark, file_name), {},
                     "invalid YAML: nested too deeply (the reader stops at " + std::to_string(error.depth()) +
                         " levels of maps and lists; a model needs fewer than ten)");
  } catch (const YAML::Exception& error) {
    throw InputError(position_of(error.mark, file_name), {}, "invalid YAML: " + error.msg);
  }
}

std::shared_ptr<const Tree> read_yaml_value(const std::string& text) {
  try {
    return build_tree(text);
  } catch (const YAML::Exception& error) {
    throw std::invalid_argument(error.msg);
  }
}

}  // namespace leasecalc::io
