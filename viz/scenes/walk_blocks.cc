// The network_activity block on a walk through a trained classifier's input space: at each point
// of the walk, its network's recorded activations (left) beside the input (right): the point on
// the data set's plane over the milestone's decision regions, or the image with its true label.
// Or up to four milestones in a 2x2 grid, the same walk. Everything drawn comes from the walk's
// entry (walk_record.h) and the run's entry (its weights and training points).
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "toolkit/config/agent_scene_blocks.h"
#include "toolkit/config/run_label.h"
#include "viz/cached_raster.h"
#include "viz/cell_image.h"
#include "viz/scatter_points.h"
#include "viz/scenes/agent_kit.h"
#include "viz/scenes/network_diagram.h"
#include "viz/scenes/scene_context.h"
#include "viz/scenes/scene_kit.h"
#include "viz/scenes/training_kit.h"
#include "viz/scenes/walk_kit.h"
#include "viz/shapes.h"

namespace trajtool {
namespace {

constexpr Rgba kBarColor{0.45, 0.47, 0.52, 1};
constexpr Rgba kRightColor{0.51, 0.81, 0.42, 1};  // #83c167
constexpr Rgba kWrongColor{0.988, 0.384, 0.333, 1};
constexpr double kPi = 3.14159265358979323846;

std::string signed_text(double v) {
  std::string s = fixed(v, 2);
  if (s[0] == '-') s = "−" + s.substr(1);
  return s;
}

std::string data_title(const TrainingRunSpec& spec) {
  const std::string& name = spec.dataset.name;
  if (name == "fashion_mnist") return "Fashion-MNIST";
  if (name == "moons") return "two moons";
  return name;
}

// An image of the walk as cairo draws it: grey levels of the sample, scaled to its own range.
struct ImageSurface {
  cairo_surface_t* surface = nullptr;
  ImageSurface() = default;
  ImageSurface(const double* values, int side) {
    surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, side, side);
    double lo = values[0], hi = values[0];
    for (int p = 0; p < side * side; ++p) {
      lo = std::min(lo, values[p]);
      hi = std::max(hi, values[p]);
    }
    cairo_surface_flush(surface);
    unsigned char* data = cairo_image_surface_get_data(surface);
    const int stride = cairo_image_surface_get_stride(surface);
    for (int j = 0; j < side; ++j) {
      auto* row = reinterpret_cast<uint32_t*>(data + j * stride);
      for (int i = 0; i < side; ++i) {
        const double g = hi > lo ? (values[j * side + i] - lo) / (hi - lo) : 0;
        const auto v = static_cast<uint32_t>(std::lround(std::clamp(g, 0.0, 1.0) * 255));
        row[i] = (v << 16) | (v << 8) | v;
      }
    }
    cairo_surface_mark_dirty(surface);
  }
  ImageSurface(const ImageSurface&) = delete;
  ImageSurface& operator=(const ImageSurface&) = delete;
  ImageSurface(ImageSurface&& o) noexcept : surface(o.surface) { o.surface = nullptr; }
  ~ImageSurface() {
    if (surface) cairo_surface_destroy(surface);
  }
};

// One panel's moving parts at the point its reveal gives: numbers, bars, the network's nodes and
// connections, the input.
// The weights of the run's checkpoint at `step`, or null.
const std::vector<NamedTensor>* checkpoint_weights(const TrainingRecord& run, int64_t step) {
  for (const Checkpoint& c : run.checkpoints) {
    if (c.step == step) return &c.weights;
  }
  return nullptr;
}

class WalkFrame : public Mobject {
 public:
  WalkFrame(const WalkRecord& record, std::size_t milestone, const TrainingRecord& run,
            std::vector<NetworkColumn> columns, WalkBoxes boxes, std::shared_ptr<Axes> axes,
            double points_per_second)
      : record_(record),
        milestone_(record.milestones[milestone]),
        walk_(milestone_.walk),
        boxes_(boxes),
        diagram_(make_network_diagram(std::move(columns), boxes.network, !boxes.compact,
                                      checkpoint_weights(run, milestone_.step))),
        axes_(std::move(axes)),
        points_per_second_(points_per_second) {
    if (record_.source == "images" && walk_.features == 784) {
      for (int64_t p = 0; p < walk_.points; ++p) {
        images_.emplace_back(walk_.input.data() + p * 784, 28);
      }
    }
  }

  int64_t frame_at(double reveal) const {
    const auto f = static_cast<int64_t>(std::floor(reveal * static_cast<double>(walk_.points)));
    return std::clamp<int64_t>(f, 0, walk_.points - 1);
  }

  void draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const override {
    const int64_t f = frame_at(state.reveal);
    const double o = state.opacity;
    cairo_save(cr);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    draw_numbers(cr, geo, f, o);
    draw_bars(cr, geo, f, o);
    DiagramFrame d;
    d.diagram = &diagram_;
    d.chosen_layer = static_cast<int>(record_.layer_names.size()) - 1;
    const int64_t predicted = walk_.predicted[static_cast<std::size_t>(f)];
    const bool one_logit = diagram_.columns.back().nodes.size() == 1;
    d.chosen_unit = one_logit ? (predicted == 1 ? 0 : -1) : predicted;
    // The predicted class's node pulses twice a second of video.
    const double seconds = state.reveal * static_cast<double>(walk_.points) / points_per_second_;
    d.pulse = 0.5 - 0.5 * std::cos(2 * kPi * seconds / 0.5);
    d.compact = boxes_.compact;
    draw_network_diagram(cr, geo, d, walk_track(walk_), f, o);
    if (images_.empty()) {
      draw_plane(cr, geo, f, o);
    } else {
      draw_image(cr, geo, f, o);
    }
    cairo_restore(cr);
  }
  Box2 bounds(const FrameGeometry&) const override {
    return united(united(boxes_.network, boxes_.input), united(boxes_.metrics, boxes_.bars));
  }

 private:
  double prob(int64_t f, int64_t k) const {
    return walk_.class_probs[static_cast<std::size_t>(f * walk_.classes + k)];
  }

  void draw_numbers(cairo_t* cr, const FrameGeometry& geo, int64_t f, double o) const {
    const Box2& m = boxes_.metrics;
    const std::string where = (images_.empty() ? "point " : "image ") + std::to_string(f + 1) +
                              " of " + std::to_string(walk_.points);
    if (boxes_.compact) {
      draw_text(cr, geo,
                percent(milestone_.fraction) + " of training (step " +
                    std::to_string(milestone_.step) + ") · " + where,
                20, kTextColor, {m.left, m.center().y}, Anchor::kLeft, o, true);
      return;
    }
    draw_text(cr, geo, where, 20, kTextColor, {m.left, m.top}, Anchor::kTopLeft, o);
    const int64_t k = walk_.predicted[static_cast<std::size_t>(f)];
    draw_text(cr, geo,
              "predicted: " + record_.class_names[static_cast<std::size_t>(k)] +
                  " (p = " + fixed(prob(f, k), 2) + ")",
              20, kTextColor, {m.right, m.top}, Anchor::kTopRight, o);
    const double progress = static_cast<double>(f + 1) / static_cast<double>(walk_.points);
    const Box2 bar{m.left, m.bottom, m.right, m.bottom + 0.07};
    fill_box(cr, geo, bar, kBarColor, 0.5 * o);
    fill_box(cr, geo, {bar.left, bar.bottom, bar.left + bar.width() * progress, bar.top},
             kAccentColor, o);
  }

  // One bar per class (two columns beyond 4 classes); a compact panel with more than 4 classes
  // shows the 3 most likely at this point.
  void draw_bars(cairo_t* cr, const FrameGeometry& geo, int64_t f, double o) const {
    const Box2& p = boxes_.bars;
    const int64_t likely = walk_.predicted[static_cast<std::size_t>(f)];
    std::vector<int64_t> shown;
    for (int64_t k = 0; k < walk_.classes; ++k) shown.push_back(k);
    if (boxes_.compact && walk_.classes > 4) {
      std::stable_sort(shown.begin(), shown.end(),
                       [&](int64_t a, int64_t b) { return prob(f, a) > prob(f, b); });
      shown.resize(3);
    }
    const std::size_t columns = !boxes_.compact && shown.size() > 4 ? 2 : 1;
    const std::size_t rows = (shown.size() + columns - 1) / columns;
    const double row = p.height() / static_cast<double>(rows);
    const double gap = 0.3;
    const double col_w =
        (p.width() - gap * static_cast<double>(columns - 1)) / static_cast<double>(columns);
    const double label_w = columns > 1 ? 1.45 : (boxes_.compact ? 1.25 : 1.7);
    const double number_w = boxes_.compact ? 0.75 : (columns > 1 ? 0.65 : 0.9);
    const double points = boxes_.compact || columns > 1 ? 18 : 22;
    for (std::size_t i = 0; i < shown.size(); ++i) {
      const int64_t k = shown[i];
      const double x_left = p.left + static_cast<double>(i / rows) * (col_w + gap);
      const double x_right = x_left + col_w;
      const double cy = p.top - row * (static_cast<double>(i % rows) + 0.5);
      const bool top = k == likely;
      const Rgba color = top ? kAccentColor : kTextColor;
      draw_text(cr, geo, record_.class_names[static_cast<std::size_t>(k)], points, color,
                {x_left, cy}, Anchor::kLeft, o, top);
      const double x0 = x_left + label_w, x1 = x_right - number_w;
      const double h = std::min(0.22, row * 0.55);
      fill_box(cr, geo, {x0, cy - h / 2, x1, cy + h / 2}, kBarColor, 0.35 * o);
      fill_box(cr, geo, {x0, cy - h / 2, x0 + (x1 - x0) * prob(f, k), cy + h / 2},
               top ? kAccentColor : kBarColor, o);
      draw_text(cr, geo, fixed(prob(f, k), boxes_.compact || columns > 1 ? 2 : 3), points, color,
                {x_right, cy}, Anchor::kRight, o, top);
    }
  }

  void draw_plane(cairo_t* cr, const FrameGeometry& geo, int64_t f, double o) const {
    const Axes& a = *axes_;
    auto px = [&](int64_t k) {
      const Vec2 s = a.data_to_scene(walk_.input[static_cast<std::size_t>(2 * k)],
                                     walk_.input[static_cast<std::size_t>(2 * k + 1)]);
      return Vec2{geo.to_px_x(s.x), geo.to_px_y(s.y)};
    };
    const Box2 plot = a.plot_box();
    cairo_save(cr);
    cairo_rectangle(cr, geo.to_px_x(plot.left), geo.to_px_y(plot.top),
                    plot.width() * geo.px_per_unit(), plot.height() * geo.px_per_unit());
    cairo_clip(cr);
    // The whole path thin, the part walked thick.
    for (int pass = 0; pass < 2; ++pass) {
      const int64_t end = pass == 0 ? walk_.points : f + 1;
      set_color(cr, pass == 0 ? kTextColor : kWalkPointColor, o * (pass == 0 ? 0.45 : 0.9));
      cairo_set_line_width(cr, stroke_px(geo, pass == 0 ? 1.5 : (boxes_.compact ? 2.5 : 3.5)));
      for (int64_t k = 0; k < end; ++k) {
        const Vec2 p = px(k);
        if (k == 0) {
          cairo_move_to(cr, p.x, p.y);
        } else {
          cairo_line_to(cr, p.x, p.y);
        }
      }
      cairo_stroke(cr);
    }
    const Vec2 p = px(f);
    const double r = (boxes_.compact ? 0.07 : 0.1) * geo.px_per_unit();
    set_color(cr, {0.05, 0.05, 0.07, 1}, o);
    cairo_arc(cr, p.x, p.y, r + stroke_px(geo, 2), 0, 2 * kPi);
    cairo_fill(cr);
    set_color(cr, kWalkPointColor, o);
    cairo_arc(cr, p.x, p.y, r, 0, 2 * kPi);
    cairo_fill(cr);
    cairo_restore(cr);
    if (!boxes_.compact) {
      const double x = walk_.input[static_cast<std::size_t>(2 * f)];
      const double y = walk_.input[static_cast<std::size_t>(2 * f + 1)];
      draw_text(cr, geo, "x = (" + signed_text(x) + ", " + signed_text(y) + ")", 20, kTextColor,
                {plot.right, plot.top + 0.1}, Anchor::kBottomRight, o);
    }
  }

  void draw_image(cairo_t* cr, const FrameGeometry& geo, int64_t f, double o) const {
    const Box2 box = walk_image_box(boxes_);
    cairo_save(cr);
    cairo_translate(cr, geo.to_px_x(box.left), geo.to_px_y(box.top));
    const double scale = box.width() * geo.px_per_unit() / 28.0;
    cairo_scale(cr, scale, scale);
    cairo_set_source_surface(cr, images_[static_cast<std::size_t>(f)].surface, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
    cairo_paint_with_alpha(cr, o);
    cairo_restore(cr);
    const int64_t label = walk_.label[static_cast<std::size_t>(f)];
    const int64_t predicted = walk_.predicted[static_cast<std::size_t>(f)];
    const bool right = label == predicted;
    const std::string& truth = record_.class_names[static_cast<std::size_t>(label)];
    const std::string& guess = record_.class_names[static_cast<std::size_t>(predicted)];
    const double cx = box.center().x;
    if (boxes_.compact) {
      draw_text(cr, geo, guess + (right ? " ✓" : " ✗ (" + truth + ")"), 18,
                right ? kRightColor : kWrongColor, {cx, box.bottom - 0.08}, Anchor::kTop, o, true);
      return;
    }
    draw_text(cr, geo, "true label: " + truth, 24, kTextColor, {cx, box.bottom - 0.2}, Anchor::kTop,
              o);
    draw_text(cr, geo, "predicted: " + guess + (right ? " — right" : " — wrong"), 24,
              right ? kRightColor : kWrongColor, {cx, box.bottom - 0.7}, Anchor::kTop, o, true);
    draw_text(
        cr, geo,
        record_.data + " image #" + std::to_string(record_.indices[static_cast<std::size_t>(f)]),
        18, kMutedColor, {cx, box.bottom - 1.2}, Anchor::kTop, o);
  }

  const WalkRecord& record_;
  const WalkMilestone& milestone_;
  const WalkFrames& walk_;
  WalkBoxes boxes_;
  NetworkDiagram diagram_;  // the network's columns, places and weights at this milestone
  std::shared_ptr<Axes> axes_;
  std::vector<ImageSurface> images_;
  double points_per_second_;
};

const TrainingData& walk_run(SceneContext& c, const ExperimentData& e, const WalkRecord& w) {
  for (const TrainingData& t : e.trainings) {
    if (t.spec.label == w.run) return t;
  }
  c.fail("experiment '" + e.name + "' has no run '" + w.run + "' for its walk");
}

// The plane's static layers of one milestone: axes, decision regions, training points.
std::vector<MobjectPtr> plane_layers(const WalkRecord& w, const WalkMilestone& m,
                                     const TrainingData& run, const Axes& axes,
                                     const std::shared_ptr<Axes>& axes_ptr, bool compact) {
  std::vector<MobjectPtr> out;
  out.push_back(axes_ptr);
  const int64_t classes = m.walk.classes;
  CellColors cells{w.boundary_nx, w.boundary_ny, {}};
  for (int64_t g = 0; g < w.boundary_nx * w.boundary_ny; ++g) {
    cells.colors.push_back(
        region_color(&m.boundary[static_cast<std::size_t>(g * classes)], classes));
  }
  const Domain area = cells_around_samples(w.boundary_grid, w.boundary_nx, w.boundary_ny);
  out.push_back(std::make_shared<CellImage>(axes, area, std::move(cells), true));
  const DatasetRecord& d = *run.dataset;
  std::vector<ScatterPoint> points;
  for (int64_t k = 0; k < d.train_count; ++k) {
    const auto s = static_cast<std::size_t>(k);
    points.push_back({{d.x_train[2 * s], d.x_train[2 * s + 1]},
                      with_alpha(class_color(static_cast<int64_t>(d.y_train[s])), 0.35),
                      false});
  }
  ScatterStyle dots;
  dots.radius = compact ? 0.018 : 0.028;
  dots.outline = Rgba{0, 0, 0, 0};
  out.push_back(
      std::make_shared<CachedRaster>(std::make_shared<ScatterPoints>(axes, points, dots)));
  return out;
}

double points_per_second(const NetworkActivityBlock& b, const WalkRecord& w) {
  if (b.points_per_second > 0) return b.points_per_second;
  return w.source == "images" ? 1.0 : 24.0;
}

// The walk through one milestone on the whole frame.
void play_single(SceneContext& c, const NetworkActivityBlock& b, const WalkRecord& w,
                 const TrainingData& run, std::size_t k, bool last) {
  const WalkMilestone& m = w.milestones[k];
  const double half = c.geo.frame_width() / 2;
  const double left = -half + kWalkEdge, mid = 0;
  const double top = 4 - kWalkEdge;
  const WalkBoxes boxes = walk_single_boxes(c.geo.frame_width(), m.walk.classes);
  const std::vector<NetworkColumn> columns = walk_columns(w, {&m.walk}, b.nodes);
  const double pps = points_per_second(b, w);
  std::vector<MobjectPtr> still;
  still.push_back(text_at(data_title(run.spec) + " · neural activity", 28, kTextColor, {left, top},
                          Anchor::kTopLeft, true));
  still.push_back(
      text_at(model_caption(run.spec.model) + " · " + run.spec.label + lr_label(run.spec.optimizer),
              20, kMutedColor, {left, top - 0.53}, Anchor::kTopLeft));
  still.push_back(text_at("class probabilities p(y | x)", 20, kMutedColor,
                          {left, boxes.bars.top + 0.33}, Anchor::kTopLeft));
  still.push_back(std::make_shared<Line>(Vec2{mid, -3.75}, Vec2{mid, 3.75}, kBarColor, 1.5));
  for (const MobjectPtr& label : network_labels(columns, boxes.network)) still.push_back(label);
  const Box2 key{left + 4.5, -3.45, left + 5.9, -3.33};
  still.push_back(std::make_shared<ColourKey>(key));
  still.push_back(text_at("colour = activation ÷ column scale", 18, kMutedColor,
                          {key.left - 0.45, key.center().y}, Anchor::kRight));
  still.push_back(text_at("milestone " + std::to_string(k + 1) + " of " +
                              std::to_string(w.milestones.size()) + ": " + percent(m.fraction) +
                              " of training",
                          24, kTextColor, {mid + 0.45, top}, Anchor::kTopLeft, true));
  std::shared_ptr<Axes> axes;
  if (w.source == "path") {
    axes = walk_plane_axes(boxes, w.boundary_grid);
    still.push_back(text_at("step " + std::to_string(m.step) + " · decision regions, " +
                                std::to_string(m.walk.points) + " points along the path",
                            20, kMutedColor, {mid + 0.45, top - 0.53}, Anchor::kTopLeft));
    for (const MobjectPtr& layer : plane_layers(w, m, run, *axes, axes, false)) {
      still.push_back(layer);
    }
    still.push_back(
        text_at("dots: training points · region colour: likeliest class, dark where unsure", 16,
                kMutedColor, {(mid + half) / 2, -3.35}, Anchor::kCenter));
  } else {
    still.push_back(text_at("step " + std::to_string(m.step) + " · " +
                                std::to_string(m.walk.points) + " " + w.data + " images",
                            20, kMutedColor, {mid + 0.45, top - 0.53}, Anchor::kTopLeft));
  }
  auto frame = std::make_shared<WalkFrame>(w, k, run.record, columns, boxes, axes, pps);
  std::vector<Animation> in;
  for (const MobjectPtr& s : still) in.push_back(fade_in(s));
  in.push_back(fade_in(frame));
  in.push_back(with_run_time(reveal_to(frame, 0), 1e-3));
  c.builder.play(in, 0.5);
  const double seconds = static_cast<double>(m.walk.points) / pps;
  c.builder.play({with_rate(reveal_to(frame, 1), RateFn::linear)}, seconds);
  c.builder.wait(1.0);
  if (!last) {
    std::vector<Animation> out;
    for (const MobjectPtr& s : still) out.push_back(fade_out(s));
    out.push_back(fade_out(frame));
    c.builder.play(out, 0.4);
  }
}

// Up to four milestones in a 2x2 grid, the same walk, each panel compact.
void play_grid(SceneContext& c, const NetworkActivityBlock& b, const WalkRecord& w,
               const TrainingData& run, const std::vector<std::size_t>& milestones) {
  const double half = c.geo.frame_width() / 2;
  const double pps = points_per_second(b, w);
  std::vector<MobjectPtr> still;
  std::vector<std::shared_ptr<WalkFrame>> frames;
  still.push_back(std::make_shared<Line>(Vec2{0, -3.75}, Vec2{0, 3.75}, kBarColor, 1.5));
  still.push_back(
      std::make_shared<Line>(Vec2{-half + 0.25, 0}, Vec2{half - 0.25, 0}, kBarColor, 1.5));
  for (std::size_t q = 0; q < milestones.size(); ++q) {
    const WalkMilestone& m = w.milestones[milestones[q]];
    const WalkBoxes boxes = walk_grid_boxes(c.geo.frame_width(), q);
    std::vector<NetworkColumn> columns = walk_columns(w, {&m.walk}, std::min(b.nodes, 8));
    std::shared_ptr<Axes> axes;
    if (w.source == "path") {
      axes = walk_plane_axes(boxes, w.boundary_grid);
      for (const MobjectPtr& layer : plane_layers(w, m, run, *axes, axes, true)) {
        still.push_back(layer);
      }
    }
    frames.push_back(std::make_shared<WalkFrame>(w, milestones[q], run.record, std::move(columns),
                                                 boxes, axes, pps));
  }
  std::vector<Animation> in;
  for (const MobjectPtr& s : still) in.push_back(fade_in(s));
  for (const auto& f : frames) {
    in.push_back(fade_in(f));
    in.push_back(with_run_time(reveal_to(f, 0), 1e-3));
  }
  c.builder.play(in, 0.5);
  const double seconds = static_cast<double>(w.milestones[0].walk.points) / pps;
  std::vector<Animation> play;
  for (const auto& f : frames) play.push_back(with_rate(reveal_to(f, 1), RateFn::linear));
  c.builder.play(play, seconds);
  c.builder.wait(1.5);
}

}  // namespace

void play_walk(SceneContext& c, const NetworkActivityBlock& b, const ExperimentData& e) {
  const WalkRecord& w = *e.walk;
  for (const std::string& key : b.given) {
    if (key == "episodes" || key == "steps_per_second") {
      c.fail(key + ": experiment '" + e.name + "' is a walk, which has no episodes; " +
             "`points_per_second` paces it");
    }
  }
  const TrainingData& run = walk_run(c, e, w);
  if (!b.run.empty() && b.run != w.run) {
    c.fail("experiment '" + e.name + "' walks run '" + w.run + "', not '" + b.run +
           "' (its `walk: {run: ...}` chooses)");
  }
  std::vector<std::size_t> milestones;
  for (int64_t k : b.milestones) {
    if (k >= static_cast<int64_t>(w.milestones.size())) {
      c.fail("milestone " + std::to_string(k) + " does not exist: the walk of '" + e.name +
             "' has " + std::to_string(w.milestones.size()) + " (0 to " +
             std::to_string(w.milestones.size() - 1) + ")");
    }
    milestones.push_back(static_cast<std::size_t>(k));
  }
  if (milestones.empty()) {
    for (std::size_t k = 0; k < w.milestones.size(); ++k) milestones.push_back(k);
  }
  for (std::size_t k : milestones) {
    bool found = false;
    for (const Checkpoint& cp : run.record.checkpoints) found |= cp.step == w.milestones[k].step;
    if (!found) {
      c.fail("the walk's milestone " + std::to_string(k) + " uses step " +
             std::to_string(w.milestones[k].step) + ", which run '" + w.run +
             "' did not store: generate the walk again");
    }
  }
  if (b.layout == NetworkLayout::milestones) {
    if (milestones.size() > 4) {
      c.fail("the milestones layout shows at most 4 milestones; the walk of '" + e.name + "' has " +
             std::to_string(milestones.size()) + ": pick four with `milestones: [...]`");
    }
    play_grid(c, b, w, run, milestones);
    return;
  }
  for (std::size_t k = 0; k < milestones.size(); ++k) {
    play_single(c, b, w, run, milestones[k], k + 1 == milestones.size());
  }
}

}  // namespace trajtool
