#include "leasecalc/io/model_comments.hpp"

#include "leasecalc/io/document.hpp"
#include "leasecalc/io/input_error.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>

namespace leasecalc::io {

namespace {

// One level of the path the scanner is in: a key, or a list item ("[2]").
struct Level {
  std::size_t indent;
  std::string segment;  // "cluster" or "[2]"
};

std::string path_of(const std::vector<Level>& levels) {
  std::string path;
  for (const auto& level : levels) {
    if (!path.empty() && level.segment.front() != '[') path += '.';
    path += level.segment;
  }
  return path;
}

std::string trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r");
  return std::string(text.substr(first, last - first + 1));
}

// Where a comment starts in the rest of a line after a key: a '#' at the start or after a space,
// outside quotes.
std::optional<std::size_t> trailing_comment(std::string_view rest) {
  char quote = 0;
  for (std::size_t i = 0; i < rest.size(); ++i) {
    const char c = rest[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '#' && (i == 0 || rest[i - 1] == ' ' || rest[i - 1] == '\t')) {
      return i;
    }
  }
  return std::nullopt;
}

// How many flow brackets ('{', '[') the text opens less those it closes, outside quotes and
// before any comment: a flow mapping or list may continue on the next lines.
int bracket_change(std::string_view text) {
  const std::string_view value = text.substr(0, trailing_comment(text).value_or(text.size()));
  int change = 0;
  char quote = 0;
  for (const char c : value) {
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '{' || c == '[') {
      ++change;
    } else if (c == '}' || c == ']') {
      --change;
    }
  }
  return change;
}

bool is_key_character(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

}  // namespace

std::vector<ModelComment> model_comments(std::string_view yaml_text) {
  std::vector<ModelComment> comments;
  std::vector<Level> levels;
  std::map<std::string, int> items_seen;  // list items so far under each path
  bool any_field = false;
  int open_brackets = 0;  // flow brackets left open by the lines so far
  struct Block {
    std::string text;
    int line = 0;
    std::size_t indent = 0;
  };
  std::optional<Block> pending;
  const auto flush = [&](std::string field) {
    if (pending && !pending->text.empty()) comments.push_back({std::move(field), pending->text, pending->line});
    pending.reset();
  };

  int line_number = 0;
  for (std::size_t from = 0; from <= yaml_text.size();) {
    const std::size_t end = std::min(yaml_text.find('\n', from), yaml_text.size());
    const std::string_view line = yaml_text.substr(from, end - from);
    from = end + 1;
    ++line_number;
    const std::size_t indent = line.find_first_not_of(' ');
    if (indent == std::string_view::npos || trimmed(line).empty()) {
      // A blank line closes the comments that open the file: they describe the whole model.
      if (!any_field && pending) flush("");
      if (end == yaml_text.size()) break;
      continue;
    }
    if (line[indent] == '#') {
      const std::string words = trimmed(line.substr(indent + 1));
      if (!pending) pending = Block{{}, line_number, indent};
      if (!words.empty()) pending->text += (pending->text.empty() ? "" : " ") + words;
      continue;
    }
    if (line.substr(indent, 3) == "---" || line.substr(indent, 3) == "...") continue;
    if (open_brackets > 0) {  // inside a flow mapping or list: its comments stay with its field
      if (const auto hash = trailing_comment(line.substr(indent))) {
        const std::string words = trimmed(line.substr(indent + *hash + 1));
        if (!words.empty()) comments.push_back({path_of(levels), words, line_number});
      }
      open_brackets = std::max(0, open_brackets + bracket_change(line.substr(indent)));
      continue;
    }

    const bool item = line[indent] == '-' && (indent + 1 == line.size() || line[indent + 1] == ' ');
    // A block indented deeper than this line closed the section it is indented under.
    if (pending && pending->indent > indent) {
      std::vector<Level> section;
      for (const auto& level : levels)
        if (level.indent < pending->indent) section.push_back(level);
      flush(path_of(section));
    }
    // Leave the levels this line is not inside of; a list's items may sit at its key's indent.
    while (!levels.empty() && (levels.back().indent > indent ||
                               (levels.back().indent == indent && (!item || levels.back().segment.front() == '['))))
      levels.pop_back();
    std::size_t at = indent;
    std::string item_path;
    if (item) {
      const std::string parent = path_of(levels);
      levels.push_back({indent, "[" + std::to_string(items_seen[parent]++) + "]"});
      item_path = path_of(levels);
      at = line.find_first_not_of(' ', at + 1);
      if (at == std::string_view::npos) at = line.size();
    }
    std::size_t key_end = at;
    while (key_end < line.size() && is_key_character(line[key_end])) ++key_end;
    const bool keyed = key_end > at && key_end < line.size() && line[key_end] == ':' &&
                       (key_end + 1 == line.size() || line[key_end + 1] == ' ');
    if (keyed) levels.push_back({at, std::string(line.substr(at, key_end - at))});
    if (!keyed && !item) {  // a continued value: its comments stay with the field before it
      if (const auto hash = trailing_comment(line.substr(indent))) {
        const std::string words = trimmed(line.substr(indent + *hash + 1));
        if (!words.empty()) comments.push_back({path_of(levels), words, line_number});
      }
      continue;
    }
    const std::string field = path_of(levels);
    flush(item ? item_path : field);  // a block above a list item speaks of the whole item
    any_field = true;
    const std::size_t rest = keyed ? key_end + 1 : at;
    open_brackets = std::max(0, bracket_change(line.substr(rest)));
    if (const auto hash = trailing_comment(line.substr(rest))) {
      const std::string words = trimmed(line.substr(rest + *hash + 1));
      if (!words.empty()) comments.push_back({field, words, line_number});
    }
  }
  // Comments after the last field belong to the section they are indented under.
  if (pending) {
    std::vector<Level> section;
    for (const auto& level : levels)
      if (level.indent < pending->indent) section.push_back(level);
    flush(path_of(section));
  }
  return comments;
}

std::vector<ModelComment> model_comments_of_file(const std::filesystem::path& model) {
  // The checks of a model file (a regular file, not too large) are Document's; then read the text.
  (void)Document::load_file(model);
  std::ifstream stream(model, std::ios::binary);
  if (!stream) throw InputError(SourcePosition{model.string()}, {}, "cannot read the file");
  const std::string text{std::istreambuf_iterator<char>(stream), std::istreambuf_iterator<char>()};
  return model_comments(text);
}

}  // namespace leasecalc::io
