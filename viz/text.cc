#include "viz/text.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "toolkit/core/error.h"

namespace trajtool {

namespace {

// The shared Pango context: its own font map (not the per-thread default) with hinting off so
// that glyph metrics scale linearly with the size. Created once, under pango_mutex().
PangoContext* shared_context() {
  static PangoContext* context = [] {
    PangoFontMap* font_map = pango_cairo_font_map_new();
    PangoContext* ctx = pango_font_map_create_context(font_map);
    g_object_unref(font_map);  // the context keeps its own reference
    cairo_font_options_t* options = cairo_font_options_create();
    cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY);
    pango_cairo_context_set_font_options(ctx, options);
    cairo_font_options_destroy(options);
    pango_context_set_round_glyph_positions(ctx, FALSE);
    return ctx;
  }();
  return context;
}

PangoAlignment to_pango(TextAlign align) {
  switch (align) {
    case TextAlign::kCenter:
      return PANGO_ALIGN_CENTER;
    case TextAlign::kRight:
      return PANGO_ALIGN_RIGHT;
    case TextAlign::kLeft:
      break;
  }
  return PANGO_ALIGN_LEFT;
}

// A rectangle in layout pixels.
struct PxRect {
  double x = 0;  // left
  double y = 0;  // top
  double w = 0;  // width
  double h = 0;  // height
};

PxRect to_px(const PangoRectangle& r) {
  return {static_cast<double>(r.x) / PANGO_SCALE, static_cast<double>(r.y) / PANGO_SCALE,
          static_cast<double>(r.width) / PANGO_SCALE, static_cast<double>(r.height) / PANGO_SCALE};
}

// Builds a layout of `text` in `style` at the pixel size for `geo`. Caller holds pango_mutex().
PangoLayoutPtr build_layout(const std::string& text, const TextStyle& style,
                            const FrameGeometry& geo, bool markup) {
  PangoLayoutPtr layout = new_pango_layout();
  PangoFontDescription* font = pango_font_description_new();
  pango_font_description_set_family(font, style.family.c_str());
  pango_font_description_set_weight(font, style.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_style(font, style.italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
  pango_font_description_set_absolute_size(font, geo.font_px(style.points) * PANGO_SCALE);
  pango_layout_set_font_description(layout.get(), font);
  pango_font_description_free(font);
  pango_layout_set_alignment(layout.get(), to_pango(style.align));
  if (style.max_width_units > 0) {
    pango_layout_set_width(
        layout.get(), static_cast<int>(style.max_width_units * geo.px_per_unit() * PANGO_SCALE));
    pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
  }
  if (markup) {
    GError* error = nullptr;
    if (!pango_parse_markup(text.c_str(), -1, 0, nullptr, nullptr, nullptr, &error)) {
      std::string message = error != nullptr ? error->message : "unknown error";
      if (error != nullptr) g_error_free(error);
      throw InputError("text markup \"" + text + "\": " + message);
    }
    pango_layout_set_markup(layout.get(), text.c_str(), -1);
  } else {
    pango_layout_set_text(layout.get(), text.c_str(), -1);
  }
  return layout;
}

}  // namespace

std::mutex& pango_mutex() {
  static std::mutex mutex;
  return mutex;
}

PangoLayoutPtr new_pango_layout() {
  return PangoLayoutPtr(pango_layout_new(shared_context()),
                        [](PangoLayout* layout) { g_object_unref(layout); });
}

Box2 place_box(double width, double height, Vec2 position, Anchor anchor) {
  // The anchor's offset within a box of that size at the origin, taken back from the position.
  const Vec2 offset = anchor_point(Box2{0, 0, width, height}, anchor);
  const double left = position.x - offset.x;
  const double bottom = position.y - offset.y;
  return {left, bottom, left + width, bottom + height};
}

Vec2 anchor_point(const Box2& box, Anchor anchor) {
  Vec2 p = box.center();
  switch (anchor) {
    case Anchor::kLeft:
    case Anchor::kTopLeft:
    case Anchor::kBottomLeft:
      p.x = box.left;
      break;
    case Anchor::kRight:
    case Anchor::kTopRight:
    case Anchor::kBottomRight:
      p.x = box.right;
      break;
    default:
      break;
  }
  switch (anchor) {
    case Anchor::kBottom:
    case Anchor::kBottomLeft:
    case Anchor::kBottomRight:
      p.y = box.bottom;
      break;
    case Anchor::kTop:
    case Anchor::kTopLeft:
    case Anchor::kTopRight:
      p.y = box.top;
      break;
    default:
      break;
  }
  return p;
}

Vec2 to_edge_top(const Box2& box, const FrameGeometry& geo, double buff) {
  return {0, geo.frame_height / 2 - buff - box.top};
}
Vec2 to_edge_bottom(const Box2& box, const FrameGeometry& geo, double buff) {
  return {0, -geo.frame_height / 2 + buff - box.bottom};
}
Vec2 next_to_below(const Box2& box, const Box2& target, double buff) {
  return {target.center().x - box.center().x, target.bottom - buff - box.top};
}

Box2 measure_text(const std::string& text, const TextStyle& style, const FrameGeometry& geo,
                  bool markup) {
  std::lock_guard<std::mutex> lock(pango_mutex());
  PangoLayoutPtr layout = build_layout(text, style, geo, markup);
  PangoRectangle logical;
  pango_layout_get_extents(layout.get(), nullptr, &logical);
  PxRect r = to_px(logical);
  return {0, 0, r.w / geo.px_per_unit(), r.h / geo.px_per_unit()};
}

// What a Text keeps per frame geometry.
struct Text::Cache {
  FrameGeometry geo;             // geometry the layout was built for
  PangoLayoutPtr layout;         // the laid-out text
  PxRect logical;                // logical extents in layout pixels
  std::vector<PxRect> clusters;  // inked glyph clusters in reading order, layout pixels
  int unknown_glyphs = 0;        // characters without a glyph in any font
};

Text::Text(std::string text, TextStyle style, Vec2 position, Anchor anchor, bool markup)
    : text_(std::move(text)),
      style_(std::move(style)),
      position_(position),
      anchor_(anchor),
      markup_(markup) {
  if (markup_) {
    // Fail at construction, not at the first frame.
    cache_for(FrameGeometry{});
  }
}

void Text::set_position(Vec2 position, Anchor anchor) {
  position_ = position;
  anchor_ = anchor;
}

std::shared_ptr<const Text::Cache> Text::cache_for(const FrameGeometry& geo) const {
  std::lock_guard<std::mutex> cache_lock(cache_mutex_);
  if (cache_ && cache_->geo == geo) {
    return cache_;
  }
  auto cache = std::make_shared<Cache>();
  cache->geo = geo;
  std::lock_guard<std::mutex> lock(pango_mutex());
  cache->layout = build_layout(text_, style_, geo, markup_);
  PangoRectangle logical;
  pango_layout_get_extents(cache->layout.get(), nullptr, &logical);
  cache->logical = to_px(logical);
  cache->unknown_glyphs = pango_layout_get_unknown_glyphs_count(cache->layout.get());
  PangoLayoutIter* iter = pango_layout_get_iter(cache->layout.get());
  do {
    PangoRectangle ink;
    PangoRectangle cluster;
    pango_layout_iter_get_cluster_extents(iter, &ink, &cluster);
    if (ink.width > 0 && ink.height > 0) {
      PxRect i = to_px(ink);
      PxRect c = to_px(cluster);
      // Horizontally the union of ink and advance (italic overhang), vertically the line.
      double left = std::min(i.x, c.x);
      double right = std::max(i.x + i.w, c.x + c.w);
      double top = std::min(i.y, c.y);
      double bottom = std::max(i.y + i.h, c.y + c.h);
      cache->clusters.push_back({left, top, right - left, bottom - top});
    }
  } while (pango_layout_iter_next_cluster(iter));
  pango_layout_iter_free(iter);
  cache_ = cache;
  return cache;
}

Box2 Text::placed(const Cache& cache, const FrameGeometry& geo) const {
  return place_box(cache.logical.w / geo.px_per_unit(), cache.logical.h / geo.px_per_unit(),
                   position_, anchor_);
}

Box2 Text::bounds(const FrameGeometry& geo) const { return placed(*cache_for(geo), geo); }

int Text::cluster_count(const FrameGeometry& geo) const {
  return static_cast<int>(cache_for(geo)->clusters.size());
}

int Text::unknown_glyphs(const FrameGeometry& geo) const { return cache_for(geo)->unknown_glyphs; }

void Text::draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const {
  if (state.reveal <= 0 || state.opacity <= 0 || state.scale == 0) return;
  auto cache = cache_for(geo);
  const int n = static_cast<int>(cache->clusters.size());
  const int shown = state.reveal >= 1 ? n : static_cast<int>(std::ceil(state.reveal * n - 1e-9));
  if (shown <= 0) return;
  const Box2 box = placed(*cache, geo);  // the layout in hand, not looked up again
  const double ppu = geo.px_per_unit();
  const double left_px = geo.to_px_x(box.left + state.shift.x);
  const double top_px = geo.to_px_y(box.top + state.shift.y);
  const double cx = left_px + box.width() * ppu / 2;
  const double cy = top_px + box.height() * ppu / 2;

  cairo_save(cr);
  cairo_translate(cr, cx, cy);
  cairo_scale(cr, state.scale, state.scale);
  cairo_translate(cr, -cx, -cy);
  // Layout coordinates from here on.
  cairo_translate(cr, left_px - cache->logical.x, top_px - cache->logical.y);
  if (shown < n) {
    for (int i = 0; i < shown; ++i) {
      const PxRect& r = cache->clusters[static_cast<size_t>(i)];
      cairo_rectangle(cr, r.x, r.y, r.w, r.h);
    }
    cairo_clip(cr);
  }
  const bool group = markup_ && state.opacity < 1;
  if (group) cairo_push_group(cr);
  const Rgba c = with_alpha(style_.color, group ? 1.0 : state.opacity);
  cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a);
  cairo_move_to(cr, 0, 0);
  {
    std::lock_guard<std::mutex> lock(pango_mutex());
    pango_cairo_show_layout(cr, cache->layout.get());
  }
  if (group) {
    cairo_pop_group_to_source(cr);
    cairo_paint_with_alpha(cr, state.opacity);
  }
  cairo_restore(cr);
}

}  // namespace trajtool
