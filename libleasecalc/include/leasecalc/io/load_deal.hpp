#pragma once
// Model files to deals: reads a YAML model (docs/model-format.md) and the GPU catalogue it names
// its servers from, checks every field, and returns a deal::Deal. Every problem is an
// io::InputError pointing at the file, line, column and field path to fix.
//
//   deal::Deal deal = io::load_deal("models/guosen-2025-standard-10k.yaml");
//
// The catalogue is the model's top-level `catalog:` path (relative to the model's directory), else
// `catalog/gpus.yaml` in the model's directory, unless the caller gives one.

#include "leasecalc/deal/deal.hpp"
#include "leasecalc/io/input_error.hpp"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace leasecalc::io {

// The GPU servers (and rack-scale units) a model may name in `cluster.sku`.
struct Catalogue {
  std::string source;          // the file it was read from, for messages
  std::vector<deal::Sku> skus;  // in file order, names unique
};

// `<model's directory>/catalog/gpus.yaml`.
std::filesystem::path default_catalogue_path(const std::filesystem::path& model);

Catalogue load_catalogue(const std::filesystem::path& catalogue);
// `display_name` names the text in error messages.
Catalogue parse_catalogue(std::string_view text, std::string display_name);

// The deal in `model`, with SKUs from the catalogue the model names (or the default one), or from
// `catalogue`, which then takes precedence.
deal::Deal load_deal(const std::filesystem::path& model);
deal::Deal load_deal(const std::filesystem::path& model, const std::filesystem::path& catalogue);

// The deal in `text` (named `display_name` in error messages), with SKUs from `catalogue`.
deal::Deal parse_deal(std::string_view text, std::string display_name, const Catalogue& catalogue);

}  // namespace leasecalc::io
