#pragma once
// The optional `uncertainty:` section of a model file (docs/model-format.md): the distributions a
// Monte Carlo run draws the deal's uncertain inputs from. Checked like every other section; each
// problem is an io::InputError at the file, line, column and field path to fix.
//
//   std::optional<deal::Uncertainty> u = io::load_uncertainty("models/x.yaml");  // none: no section

#include "leasecalc/io/input_error.hpp"
#include "leasecalc/deal/uncertainty.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace leasecalc::io {

std::optional<deal::Uncertainty> load_uncertainty(const std::filesystem::path& model);
// `display_name` names the text in error messages.
std::optional<deal::Uncertainty> parse_uncertainty(std::string_view text, std::string display_name);

class Document;
// The section of a model file already read; io::load_deal checks it with the rest of the file, so
// that every command refuses a model whose uncertainty section `montecarlo` would refuse.
std::optional<deal::Uncertainty> read_uncertainty(const Document& document);

}  // namespace leasecalc::io
