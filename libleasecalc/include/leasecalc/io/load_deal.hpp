#pragma once
// Model files to deals: reads a YAML model (docs/model-format.md) and the GPU catalogue it names
// its servers from, checks every field, and returns a deal::Deal. Every problem is an
// io::InputError pointing at the file, line, column and field path to fix.
//
//   deal::Deal deal = io::load_deal("models/my-deal.yaml");
//
// The catalogue is the model's top-level `catalog:` path (relative to the model's directory), else
// `catalog/gpus.yaml` in the model's directory, else the catalogue installed with the program,
// unless the caller gives one. A model copied out of models/ into a folder of its own therefore
// still finds the bundled catalogue.

#include "leasecalc/deal/deal.hpp"
#include "leasecalc/io/document.hpp"
#include "leasecalc/io/input_error.hpp"
#include "leasecalc/io/warning.hpp"

#include <filesystem>
#include <span>
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

// The bundled catalogue, where a model that names none and has none beside it looks next: first
// where it is installed (`<datadir>/leasecalc/catalog/gpus.yaml`, fixed when the library is
// built), then in the source tree the library was built from (for a program run before it is
// installed).
std::vector<std::filesystem::path> bundled_catalogue_paths();

// Where a model without a `catalog:` looks after the catalogue beside it, in order.
struct CatalogueSearch {
  std::vector<std::filesystem::path> fallbacks = bundled_catalogue_paths();
};

Catalogue load_catalogue(const std::filesystem::path& catalogue);
// `display_name` names the text in error messages.
Catalogue parse_catalogue(std::string_view text, std::string display_name);

// The deal in `model`, with SKUs from the catalogue the model names (or the one beside it, or the
// first of `search.fallbacks` that exists; none found is an error naming every place looked), or
// from `catalogue`, which then takes precedence.
deal::Deal load_deal(const std::filesystem::path& model, const CatalogueSearch& search = {});
deal::Deal load_deal(const std::filesystem::path& model, const std::filesystem::path& catalogue);

// The deal in `text` (named `display_name` in error messages), with SKUs from `catalogue`.
deal::Deal parse_deal(std::string_view text, std::string display_name, const Catalogue& catalogue);

// A deal with its warnings (deal::warnings), each at its place in the model file.
struct LoadedDeal {
  deal::Deal deal;
  std::vector<Warning> warnings;
  Document source;

  // A warning raised later (a Monte Carlo run's), at its place in this model file.
  Warning locate(const deal::Warning& warning) const { return {source.locate(warning.field), warning.field, warning.message}; }
};

// As load_deal and parse_deal, with the warnings: what every command that loads a model prints.
LoadedDeal load_deal_with_warnings(const std::filesystem::path& model, const CatalogueSearch& search = {});
LoadedDeal parse_deal_with_warnings(std::string_view text, std::string display_name, const Catalogue& catalogue);

// The same from a parsed document.
LoadedDeal read_deal_with_warnings(Document document, const Catalogue& catalogue);
// `document` with `overrides` (Document::with_overrides), read by the reader that read `base` from
// `document` (a service's base model and a quote on it): the sections an override reaches, and
// those whose inputs (what they read of other sections) that changes, are read again; the rest are
// `base`'s (and the `uncertainty:` section, which the deal does not hold but every reading checks,
// is checked again only when an override reaches it). The same deal, warnings and errors as
// read_deal_with_warnings of the overridden document, for a fraction of the reading.
LoadedDeal read_deal_with_overrides(const Document& document, const deal::Deal& base, std::span<const FieldOverride> overrides,
                                    const Catalogue& catalogue);
// The catalogue the model file `model`, parsed as `document`, uses (as load_deal finds it).
Catalogue catalogue_of(const Document& document, const std::filesystem::path& model, const CatalogueSearch& search = {});

}  // namespace leasecalc::io
