#pragma once
// The assumptions a model states in words: the comments of its YAML file, each with the field it
// speaks of. A modeller writes why a figure is what it is ("assumed: ...", the source quoted) in a
// comment above the field or at the end of its line; a memo or a workbook shows them beside the
// figures. Comments before the first field describe the model as a whole.
//
//   for (const io::ModelComment& c : io::model_comments(text)) ...  // {"cluster.servers", "1,024 ..."}

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace leasecalc::io {

struct ModelComment {
  // The field the comment is about, as in error messages ("financing[0].rate"); empty for the
  // comments that open the file.
  std::string field;
  std::string text;  // the comment's lines joined by spaces, without the '#'
  int line = 0;      // where it starts in the file, from 1
};

// In file order. A block of comment lines belongs to the field on the next line that holds one
// (to the whole item when that line starts a list item);
// a comment after a value on the same line belongs to that field; a block that no field follows
// (at the end of a section) belongs to the section it is indented under.
std::vector<ModelComment> model_comments(std::string_view yaml_text);
// The same, read from a file (an InputError when it cannot be read).
std::vector<ModelComment> model_comments_of_file(const std::filesystem::path& model);

}  // namespace leasecalc::io
