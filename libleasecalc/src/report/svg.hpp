#pragma once
// Charts as inline SVG, for the HTML memo: bars by year, lines by month, a tornado and a histogram.
// Self-contained markup (no script, no font or image fetched): text uses the page's font, colours
// are fixed, and each chart scales to the width of its container.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leasecalc::report::svg {

// `text` safe inside XML or HTML text and attribute values.
std::string escaped(std::string_view text);

// How values are shown on an axis and in tooltips.
using ValueText = std::function<std::string(double)>;

struct Series {
  std::string name;
  std::vector<std::optional<double>> values;  // one per category; none leaves a gap
};

// A horizontal line across a chart at `value` (a covenant, a threshold), labelled.
struct Reference {
  double value = 0;
  std::string label;
};

// Bars grouped by category (one bar per series in each group), an axis through zero.
std::string bar_chart(std::string_view title, const std::vector<std::string>& categories, const std::vector<Series>& series,
                      const ValueText& value_text, const std::optional<Reference>& reference = std::nullopt);

// Lines over categories (e.g. months), x labels every `label_every` categories.
std::string line_chart(std::string_view title, const std::vector<std::string>& categories, const std::vector<Series>& series,
                       const ValueText& value_text, std::size_t label_every = 1,
                       const std::optional<Reference>& reference = std::nullopt);

// One bar per input from the base value to its low and its high case.
struct TornadoBar {
  std::string label;
  std::optional<double> low, high;  // the figure with the input lowered and raised
  std::string low_label, high_label;  // the input's value in each case, as shown
};
std::string tornado_chart(std::string_view title, double base, const std::vector<TornadoBar>& bars,
                          const ValueText& value_text);

// Counts of `values` in `bins` equal bins, with vertical markers (P5, P50, P95).
struct Marker {
  double value = 0;
  std::string label;
};
std::string histogram(std::string_view title, const std::vector<double>& values, int bins,
                      const std::vector<Marker>& markers, const ValueText& value_text);

}  // namespace leasecalc::report::svg
