#include "viz/scenes/network_diagram.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "toolkit/config/run_label.h"
#include "viz/line_batch.h"
#include "viz/scenes/scene_context.h"
#include "viz/scenes/scene_kit.h"
#include "viz/shapes.h"

namespace trajtool {
namespace {

constexpr double kPi = 3.14159265358979323846;

}  // namespace

std::string fixed(double v, int digits) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", digits, v);
  return text;
}

std::string signed_fixed(double v, int digits) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", digits, v);
  if (std::strspn(text, "-0.") == std::strlen(text)) {
    std::snprintf(text, sizeof text, "%.*f", digits, 0.0);
  } else {
    std::snprintf(text, sizeof text, "%+.*f", digits, v);
  }
  return text;
}

std::string percent(double fraction) {
  const double p = fraction * 100;
  return (std::fabs(p - std::round(p)) < 1e-9 ? fixed(p, 0) : fixed(p, 1)) + "%";
}

std::string lr_label(const OptimizerSpec& optimizer) {
  auto it = optimizer.hyper.find("lr");
  if (it == optimizer.hyper.end() || !std::holds_alternative<double>(it->second)) return "";
  return ", lr=" + label_number(std::get<double>(it->second));
}

void draw_text(cairo_t* cr, const FrameGeometry& geo, const std::string& s, double points,
               Rgba color, Vec2 at, Anchor anchor, double opacity, bool bold) {
  TextStyle style;
  style.points = points;
  style.color = color;
  style.bold = bold;
  Text text(s, style, at, anchor);
  DrawState state;
  state.opacity = opacity;
  text.draw(cr, geo, state);
}

void set_color(cairo_t* cr, Rgba c, double opacity) {
  cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a * opacity);
}

void fill_box(cairo_t* cr, const FrameGeometry& geo, const Box2& b, Rgba c, double opacity) {
  set_color(cr, c, opacity);
  cairo_rectangle(cr, geo.to_px_x(b.left), geo.to_px_y(b.top), b.width() * geo.px_per_unit(),
                  b.height() * geo.px_per_unit());
  cairo_fill(cr);
}

void stroke_line(cairo_t* cr, const FrameGeometry& geo, Vec2 a, Vec2 b, Rgba c, double width_px,
                 double opacity) {
  set_color(cr, c, opacity);
  cairo_set_line_width(cr, stroke_px(geo, width_px));
  cairo_move_to(cr, geo.to_px_x(a.x), geo.to_px_y(a.y));
  cairo_line_to(cr, geo.to_px_x(b.x), geo.to_px_y(b.y));
  cairo_stroke(cr);
}

NetworkDiagram make_network_diagram(std::vector<NetworkColumn> columns, const Box2& area,
                                    bool labelled, const std::vector<NamedTensor>* state_dict) {
  std::vector<std::vector<NodePlace>> places = place_network(columns, area, labelled);
  std::vector<const NamedTensor*> weights;
  for (std::size_t c = 1; c < columns.size(); ++c) {
    for (const NetworkNode& n : columns[c].nodes)
      weights.push_back(state_dict ? find_weights(*state_dict, n.weights) : nullptr);
  }
  return NetworkDiagram{std::move(columns), std::move(places), std::move(weights), {}};
}

namespace {

// Every pair of nodes of neighbouring columns, column by column, then by the later node, then by
// the earlier: the lines the connections are drawn along, in pixels.
std::vector<PixelLine> connection_lines(const NetworkDiagram& diagram, const FrameGeometry& geo) {
  std::vector<PixelLine> lines;
  for (std::size_t c = 1; c < diagram.columns.size(); ++c) {
    for (const NodePlace& to : diagram.places[c]) {
      for (const NodePlace& from : diagram.places[c - 1]) {
        lines.push_back({geo.to_px_x(from.center.x), geo.to_px_y(from.center.y),
                         geo.to_px_x(to.center.x), geo.to_px_y(to.center.y)});
      }
    }
  }
  return lines;
}

}  // namespace

void draw_network_diagram(cairo_t* cr, const FrameGeometry& geo, const DiagramFrame& d,
                          const ActivityTrack& track, int64_t f, double o) {
  const std::vector<NetworkColumn>& columns = d.diagram->columns;
  const std::vector<std::vector<NodePlace>>& places = d.diagram->places;
  const std::vector<const NamedTensor*>& weights = d.diagram->weights;
  // Connections: opacity from |weight x the activation it carries|, relative to the strongest
  // drawn between the same two columns at this frame; red adds, blue subtracts. Every pair of
  // nodes of neighbouring columns in order (as connection_lines gives them); the faintest (under 2%
  // of the strongest) are left out.
  std::vector<Rgba> colors;
  std::size_t w_index = 0;
  for (std::size_t c = 1; c < columns.size(); ++c) {
    const NetworkColumn& from = columns[c - 1];
    const NetworkColumn& to = columns[c];
    std::vector<double> carried;
    std::vector<double> source(from.nodes.size());
    for (std::size_t i = 0; i < from.nodes.size(); ++i) {
      source[i] = node_value(track, from.nodes[i], f);
    }
    double strongest = 0;
    for (std::size_t j = 0; j < to.nodes.size(); ++j) {
      const NamedTensor* w = weights[w_index + j];
      for (std::size_t i = 0; i < from.nodes.size(); ++i) {
        double v = 0;
        if (w && w->shape.size() == 2) {
          v = w->values[static_cast<std::size_t>(to.nodes[j].unit * w->shape[1] +
                                                 from.nodes[i].unit)] *
              source[i];
        }
        carried.push_back(v);
        strongest = std::max(strongest, std::fabs(v));
      }
    }
    for (std::size_t j = 0; j < to.nodes.size(); ++j) {
      for (std::size_t i = 0; i < from.nodes.size(); ++i) {
        const double v = carried[j * from.nodes.size() + i];
        const double share = strongest > 0 ? std::fabs(v) / strongest : 0;
        colors.push_back(share < 0.02
                             ? Rgba{0, 0, 0, 0}
                             : with_alpha(v >= 0 ? kActivationPositive : kActivationNegative,
                                          o * (0.06 + 0.8 * share)));
      }
    }
    w_index += to.nodes.size();
  }
  // Hundreds of thin lines a frame, always between the same nodes: their pixels are worked out
  // once and then only blended (line_batch.h says why).
  const double line_px = stroke_px(geo, d.compact ? 1.2 : 1.6);
  d.diagram->connections
      .get(geo.width_px, geo.height_px,
           [&] {
             return LineStencil(connection_lines(*d.diagram, geo), line_px, geo.width_px,
                                geo.height_px);
           })
      ->draw(cr, colors);
  // Nodes: colour from the recorded value over the column's scale; the chosen output pulses.
  const double pulse = d.pulse;
  for (std::size_t c = 0; c < columns.size(); ++c) {
    for (std::size_t j = 0; j < columns[c].nodes.size(); ++j) {
      const NetworkNode& n = columns[c].nodes[j];
      const NodePlace& p = places[c][j];
      const bool is_chosen =
          c + 1 == columns.size() && n.layer == d.chosen_layer && n.unit == d.chosen_unit;
      const double px = geo.to_px_x(p.center.x), py = geo.to_px_y(p.center.y);
      if (is_chosen) {
        set_color(cr, kAccentColor, o * (0.35 + 0.5 * pulse));
        cairo_arc(cr, px, py, p.radius * (1.35 + 0.45 * pulse) * geo.px_per_unit(), 0, 2 * kPi);
        cairo_fill(cr);
      }
      set_color(cr, activation_color(node_value(track, n, f) / n.scale), o);
      cairo_arc(cr, px, py, p.radius * geo.px_per_unit(), 0, 2 * kPi);
      cairo_fill_preserve(cr);
      set_color(cr, is_chosen ? kAccentColor : kMutedColor, o * (is_chosen ? 1.0 : 0.6));
      cairo_set_line_width(cr, stroke_px(geo, is_chosen ? 2.5 : 1.2));
      cairo_stroke(cr);
    }
  }
}

void ColourKey::draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const {
  const double o = state.opacity;
  cairo_pattern_t* g =
      cairo_pattern_create_linear(geo.to_px_x(bar_.left), 0, geo.to_px_x(bar_.right), 0);
  for (auto [offset, c] : {std::pair<double, Rgba>{0, kActivationNegative},
                           {0.5, kActivationZero},
                           {1, kActivationPositive}}) {
    cairo_pattern_add_color_stop_rgba(g, offset, c.r, c.g, c.b, o);
  }
  cairo_set_source(cr, g);
  cairo_rectangle(cr, geo.to_px_x(bar_.left), geo.to_px_y(bar_.top),
                  bar_.width() * geo.px_per_unit(), bar_.height() * geo.px_per_unit());
  cairo_fill(cr);
  cairo_pattern_destroy(g);
  const double y = bar_.center().y;
  draw_text(cr, geo, "−1", 18, kTextColor, {bar_.left - 0.08, y}, Anchor::kRight, o);
  draw_text(cr, geo, "+1", 18, kTextColor, {bar_.right + 0.08, y}, Anchor::kLeft, o);
}

Box2 ColourKey::bounds(const FrameGeometry&) const {
  return {bar_.left - 0.4, bar_.bottom - 0.08, bar_.right + 0.4, bar_.top + 0.08};
}

// The drawn columns' static labels: titles and sizes above, subsets and scales below, the input
// and output nodes' names beside them.
std::vector<MobjectPtr> network_labels(const std::vector<NetworkColumn>& columns,
                                       const Box2& area) {
  std::vector<MobjectPtr> out;
  const auto places = place_network(columns, area, true);
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const NetworkColumn& col = columns[c];
    const double x = places[c].empty() ? area.left : places[c][0].center.x;
    out.push_back(text_at(col.title, 18, kMutedColor, {x, area.top + 0.55}, Anchor::kBottom));
    out.push_back(text_at(col.size_label, 18, kTextColor, {x, area.top + 0.2}, Anchor::kBottom));
    std::string below = col.subset_label;
    // The colour scales that are not 1 (tanh and the small inputs show as they are).
    std::vector<std::string> scales;
    for (std::size_t j = 0; j < col.nodes.size(); ++j) {
      if (col.nodes[j].scale <= 1) continue;
      const std::string s = "÷" + short_number(col.nodes[j].scale);
      if (std::find(scales.begin(), scales.end(), s) == scales.end()) scales.push_back(s);
    }
    for (const std::string& s : scales) below += (below.empty() ? "" : " ") + s;
    if (!below.empty()) {
      out.push_back(text_at(below, 18, kMutedColor, {x, area.bottom - 0.2}, Anchor::kTop));
    }
    for (std::size_t j = 0; j < col.nodes.size(); ++j) {
      const NodePlace& p = places[c][j];
      if (col.nodes[j].label.empty()) continue;
      const bool output = c + 1 == columns.size();
      out.push_back(text_at(col.nodes[j].label, 18, kTextColor,
                            {p.center.x + (output ? 1 : -1) * (p.radius + 0.12), p.center.y},
                            output ? Anchor::kLeft : Anchor::kRight));
    }
  }
  return out;
}

}  // namespace trajtool
