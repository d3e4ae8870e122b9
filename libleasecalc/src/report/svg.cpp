#include "svg.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace leasecalc::report::svg {

namespace {

constexpr double width = 720;
constexpr const char* palette[] = {"#1f5fa8", "#e07b24", "#3a9a4b", "#b23a48", "#7a5ba6", "#8c6d31", "#2a9d9d"};
constexpr const char* axis_colour = "#666";
constexpr const char* grid_colour = "#e3e3e3";
constexpr const char* reference_colour = "#c0392b";

std::string number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", value);
  return buffer;
}

const char* colour(std::size_t index) { return palette[index % std::size(palette)]; }

// Round steps (1, 2 or 5 x 10^k) that cover [low, high] in about `count` intervals.
struct Ticks {
  double low, high, step;
};
Ticks ticks(double low, double high, int count = 5) {
  if (!(high > low)) {
    const double pad = low == 0 ? 1 : std::abs(low) * 0.1;
    low -= pad;
    high += pad;
  }
  const double raw = (high - low) / count;
  const double magnitude = std::pow(10, std::floor(std::log10(raw)));
  const double normalised = raw / magnitude;
  const double step = (normalised <= 1 ? 1 : normalised <= 2 ? 2 : normalised <= 5 ? 5 : 10) * magnitude;
  return {std::floor(low / step + 1e-9) * step, std::ceil(high / step - 1e-9) * step, step};
}

// The frame every chart shares: the title, then a plot area.
struct Frame {
  double height, left, right, top, bottom;
  double plot_width() const { return width - left - right; }
  double plot_height() const { return height - top - bottom; }
};

std::string open(std::string_view title, const Frame& frame) {
  return "<svg class=\"chart\" viewBox=\"0 0 " + number(width) + " " +
         number(frame.height) + "\" role=\"img\" aria-label=\"" + escaped(title) + "\">\n<title>" + escaped(title) +
         "</title>\n<text x=\"" + number(frame.left) + "\" y=\"18\" class=\"chart-title\">" + escaped(title) + "</text>\n";
}

std::string text_at(double x, double y, std::string_view words, std::string_view anchor = "middle",
                    std::string_view css_class = "tick") {
  return "<text x=\"" + number(x) + "\" y=\"" + number(y) + "\" text-anchor=\"" + std::string(anchor) + "\" class=\"" +
         std::string(css_class) + "\">" + escaped(words) + "</text>\n";
}

std::string line(double x1, double y1, double x2, double y2, std::string_view stroke, std::string_view extra = "") {
  return "<line x1=\"" + number(x1) + "\" y1=\"" + number(y1) + "\" x2=\"" + number(x2) + "\" y2=\"" + number(y2) +
         "\" stroke=\"" + std::string(stroke) + "\"" + (extra.empty() ? "" : " " + std::string(extra)) + "/>\n";
}

// The value axis (horizontal grid lines and their labels) over [ticks.low, ticks.high].
std::string value_axis(const Frame& frame, const Ticks& scale, const ValueText& value_text) {
  std::string out;
  for (double v = scale.low; v <= scale.high + scale.step * 1e-6; v += scale.step) {
    const double y = frame.top + (scale.high - v) / (scale.high - scale.low) * frame.plot_height();
    out += line(frame.left, y, width - frame.right, y, std::abs(v) < scale.step * 1e-6 ? axis_colour : grid_colour);
    out += text_at(frame.left - 6, y + 4, value_text(std::abs(v) < scale.step * 1e-6 ? 0 : v), "end");
  }
  return out;
}

std::string legend(const Frame& frame, const std::vector<Series>& series, const std::optional<Reference>& reference) {
  std::string out;
  double x = frame.left;
  const double y = frame.height - 10;
  for (std::size_t i = 0; i < series.size(); ++i) {
    out += "<rect x=\"" + number(x) + "\" y=\"" + number(y - 9) + "\" width=\"10\" height=\"10\" fill=\"" + colour(i) +
           "\"/>\n";
    out += text_at(x + 14, y, series[i].name, "start", "legend");
    x += 24 + 6.5 * static_cast<double>(series[i].name.size());
  }
  if (reference) {
    out += line(x, y - 4, x + 16, y - 4, reference_colour, "stroke-dasharray=\"4 3\" stroke-width=\"2\"");
    out += text_at(x + 20, y, reference->label, "start", "legend");
  }
  return out;
}

// The range of every value present, with zero and the reference in it.
std::pair<double, double> value_range(const std::vector<Series>& series, const std::optional<Reference>& reference,
                                      bool with_zero) {
  double low = with_zero ? 0 : std::numeric_limits<double>::infinity();
  double high = with_zero ? 0 : -std::numeric_limits<double>::infinity();
  for (const auto& s : series)
    for (const auto& v : s.values)
      if (v && std::isfinite(*v)) {
        low = std::min(low, *v);
        high = std::max(high, *v);
      }
  if (reference) {
    low = std::min(low, reference->value);
    high = std::max(high, reference->value);
  }
  if (!std::isfinite(low) || !std::isfinite(high)) return {0, 1};
  return {low, high};
}

std::string reference_line(const Frame& frame, const Ticks& scale, const std::optional<Reference>& reference) {
  if (!reference) return {};
  const double y = frame.top + (scale.high - reference->value) / (scale.high - scale.low) * frame.plot_height();
  return line(frame.left, y, width - frame.right, y, reference_colour, "stroke-dasharray=\"6 4\" stroke-width=\"2\"");
}

}  // namespace

std::string escaped(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string bar_chart(std::string_view title, const std::vector<std::string>& categories, const std::vector<Series>& series,
                      const ValueText& value_text, const std::optional<Reference>& reference) {
  const Frame frame{300, 80, 16, 32, 58};
  const auto [low, high] = value_range(series, reference, true);
  const Ticks scale = ticks(low, high);
  const auto y_of = [&](double v) { return frame.top + (scale.high - v) / (scale.high - scale.low) * frame.plot_height(); };
  std::string out = open(title, frame) + value_axis(frame, scale, value_text);
  const double group = frame.plot_width() / static_cast<double>(std::max<std::size_t>(1, categories.size()));
  const double bar = group * 0.8 / static_cast<double>(std::max<std::size_t>(1, series.size()));
  for (std::size_t c = 0; c < categories.size(); ++c) {
    const double group_left = frame.left + static_cast<double>(c) * group + group * 0.1;
    for (std::size_t s = 0; s < series.size(); ++s) {
      if (c >= series[s].values.size() || !series[s].values[c]) continue;
      const double v = *series[s].values[c];
      const double top = y_of(std::max(v, 0.0)), bottom = y_of(std::min(v, 0.0));
      out += "<rect x=\"" + number(group_left + static_cast<double>(s) * bar) + "\" y=\"" + number(top) +
             "\" width=\"" + number(std::max(1.0, bar - 1)) + "\" height=\"" + number(std::max(0.5, bottom - top)) +
             "\" fill=\"" + colour(s) + "\"><title>" + escaped(series[s].name + ", " + categories[c] + ": " + value_text(v)) +
             "</title></rect>\n";
    }
    out += text_at(frame.left + (static_cast<double>(c) + 0.5) * group, frame.height - frame.bottom + 16, categories[c]);
  }
  out += reference_line(frame, scale, reference);
  out += legend(frame, series, reference);
  return out + "</svg>\n";
}

std::string line_chart(std::string_view title, const std::vector<std::string>& categories, const std::vector<Series>& series,
                       const ValueText& value_text, std::size_t label_every, const std::optional<Reference>& reference) {
  const Frame frame{300, 80, 16, 32, 58};
  const auto [low, high] = value_range(series, reference, true);
  const Ticks scale = ticks(low, high);
  const auto y_of = [&](double v) { return frame.top + (scale.high - v) / (scale.high - scale.low) * frame.plot_height(); };
  const double step = frame.plot_width() / static_cast<double>(std::max<std::size_t>(1, categories.size()));
  const auto x_of = [&](std::size_t i) { return frame.left + (static_cast<double>(i) + 0.5) * step; };
  std::string out = open(title, frame) + value_axis(frame, scale, value_text);
  label_every = std::max<std::size_t>(1, label_every);
  for (std::size_t c = 0; c < categories.size(); c += label_every)
    out += text_at(x_of(c), frame.height - frame.bottom + 16, categories[c]);
  for (std::size_t s = 0; s < series.size(); ++s) {
    // A gap (no value) breaks the line; a lone point is drawn as a dot.
    std::vector<std::vector<std::pair<double, double>>> runs(1);
    for (std::size_t c = 0; c < series[s].values.size(); ++c) {
      if (series[s].values[c]) runs.back().emplace_back(x_of(c), y_of(*series[s].values[c]));
      else if (!runs.back().empty()) runs.emplace_back();
    }
    for (const auto& run : runs) {
      if (run.size() == 1) {
        out += "<circle cx=\"" + number(run[0].first) + "\" cy=\"" + number(run[0].second) + "\" r=\"3\" fill=\"" +
               colour(s) + "\"/>\n";
      } else if (run.size() > 1) {
        out += "<polyline fill=\"none\" stroke-width=\"2\" stroke=\"" + std::string(colour(s)) + "\" points=\"";
        for (const auto& [x, y] : run) out += number(x) + "," + number(y) + " ";
        out += "\"><title>" + escaped(series[s].name) + "</title></polyline>\n";
      }
    }
  }
  out += reference_line(frame, scale, reference);
  out += legend(frame, series, reference);
  return out + "</svg>\n";
}

std::string tornado_chart(std::string_view title, double base, const std::vector<TornadoBar>& bars,
                          const ValueText& value_text) {
  constexpr double row = 28;
  const Frame frame{56 + row * static_cast<double>(std::max<std::size_t>(1, bars.size())) + 40, 190, 90, 32, 40};
  double low = base, high = base;
  for (const auto& bar : bars)
    for (const auto& v : {bar.low, bar.high})
      if (v) {
        low = std::min(low, *v);
        high = std::max(high, *v);
      }
  const Ticks scale = ticks(low, high);
  const auto x_of = [&](double v) { return frame.left + (v - scale.low) / (scale.high - scale.low) * frame.plot_width(); };
  std::string out = open(title, frame);
  for (double v = scale.low; v <= scale.high + scale.step * 1e-6; v += scale.step) {
    out += line(x_of(v), frame.top, x_of(v), frame.height - frame.bottom, grid_colour);
    out += text_at(x_of(v), frame.height - frame.bottom + 16, value_text(std::abs(v) < scale.step * 1e-6 ? 0 : v));
  }
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const auto& bar = bars[i];
    const double y = frame.top + 8 + row * static_cast<double>(i);
    out += text_at(frame.left - 8, y + 14, bar.label, "end", "label");
    // The lowered case in the row's upper half, the raised one in its lower half, so that two
    // cases on the same side of the base (a figure that moves one way either way) stay apart.
    const auto draw = [&](const std::optional<double>& value, const std::string& input, const char* fill,
                          std::string_view side, double top) {
      if (!value) return;
      const double from = x_of(std::min(base, *value)), to = x_of(std::max(base, *value));
      out += "<rect x=\"" + number(from) + "\" y=\"" + number(top) + "\" width=\"" + number(std::max(1.0, to - from)) +
             "\" height=\"" + number((row - 8) / 2) + "\" fill=\"" + fill + "\"><title>" +
             escaped(bar.label + ", " + std::string(side) + " (" + input + "): " + value_text(*value)) + "</title></rect>\n";
      const bool left = *value < base;
      out += text_at(left ? from - 4 : to + 4, top + 9, input, left ? "end" : "start", "case");
    };
    draw(bar.low, bar.low_label, palette[0], "lowered", y);
    draw(bar.high, bar.high_label, palette[1], "raised", y + (row - 8) / 2);
  }
  out += line(x_of(base), frame.top, x_of(base), frame.height - frame.bottom, axis_colour, "stroke-width=\"2\"");
  const double y = frame.height - 10;
  out += "<rect x=\"" + number(frame.left) + "\" y=\"" + number(y - 9) + "\" width=\"10\" height=\"10\" fill=\"" +
         palette[0] + "\"/>\n" + text_at(frame.left + 14, y, "input lowered", "start", "legend");
  out += "<rect x=\"" + number(frame.left + 120) + "\" y=\"" + number(y - 9) + "\" width=\"10\" height=\"10\" fill=\"" +
         palette[1] + "\"/>\n" + text_at(frame.left + 134, y, "input raised", "start", "legend");
  out += text_at(frame.left + 240, y, "base " + value_text(base), "start", "legend");
  return out + "</svg>\n";
}

std::string histogram(std::string_view title, const std::vector<double>& values, int bins,
                      const std::vector<Marker>& markers, const ValueText& value_text) {
  const Frame frame{300, 60, 16, 44, 40};
  std::string out = open(title, frame);
  if (values.empty() || bins < 1) return out + text_at(width / 2, 150, "no scenario has this figure") + "</svg>\n";
  const auto [smallest, largest] = std::minmax_element(values.begin(), values.end());
  const Ticks scale = ticks(*smallest, *largest, 6);
  const double bin_width = (scale.high - scale.low) / bins;
  std::vector<int> counts(static_cast<std::size_t>(bins), 0);
  for (const double v : values) {
    const auto bin = static_cast<std::size_t>(std::clamp(static_cast<int>((v - scale.low) / bin_width), 0, bins - 1));
    ++counts[bin];
  }
  const int tallest = *std::max_element(counts.begin(), counts.end());
  const auto x_of = [&](double v) { return frame.left + (v - scale.low) / (scale.high - scale.low) * frame.plot_width(); };
  const auto y_of = [&](double count) { return frame.top + (1 - count / tallest) * frame.plot_height(); };
  out += line(frame.left, y_of(0), width - frame.right, y_of(0), axis_colour);
  out += text_at(frame.left - 6, y_of(tallest) + 4, std::to_string(tallest), "end");
  out += text_at(frame.left - 6, y_of(0) + 4, "0", "end");
  for (int b = 0; b < bins; ++b) {
    const double from = scale.low + b * bin_width;
    const int count = counts[static_cast<std::size_t>(b)];
    if (count == 0) continue;
    out += "<rect x=\"" + number(x_of(from)) + "\" y=\"" + number(y_of(count)) + "\" width=\"" +
           number(std::max(1.0, x_of(from + bin_width) - x_of(from) - 1)) + "\" height=\"" +
           number(y_of(0) - y_of(count)) + "\" fill=\"" + palette[0] + "\"><title>" +
           escaped(value_text(from) + " to " + value_text(from + bin_width) + ": " + std::to_string(count) + " scenarios") +
           "</title></rect>\n";
  }
  for (double v = scale.low; v <= scale.high + scale.step * 1e-6; v += scale.step)
    out += text_at(x_of(v), frame.height - frame.bottom + 16, value_text(std::abs(v) < scale.step * 1e-6 ? 0 : v));
  for (std::size_t i = 0; i < markers.size(); ++i) {
    const double x = x_of(markers[i].value);
    out += line(x, frame.top - 4, x, y_of(0), reference_colour, "stroke-dasharray=\"5 3\" stroke-width=\"2\"");
    // Alternate heights, so that close markers' labels do not overprint.
    out += text_at(x, frame.top - 8 - (i % 2 == 1 ? 13 : 0), markers[i].label + " " + value_text(markers[i].value),
                   "middle", "marker");
  }
  return out + "</svg>\n";
}

}  // namespace leasecalc::report::svg
