// The network_activity block: an agent's recorded evaluation episodes, each frame its network's
// real activations (left) beside the environment it sees (right); or up to four milestones in a
// 2x2 grid, the same episode. Everything drawn comes from the agent's entry (agent_record.h).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "toolkit/config/run_label.h"
#include "viz/line_plot.h"
#include "viz/scenes/agent_kit.h"
#include "viz/scenes/network_diagram.h"
#include "viz/scenes/scene_blocks.h"
#include "viz/scenes/scene_kit.h"
#include "viz/scenes/walk_kit.h"
#include "viz/shapes.h"

namespace trajtool {
namespace {

constexpr Rgba kPoleColor{0.792, 0.596, 0.396, 1};  // Gym's pole (202, 152, 101)
constexpr Rgba kCartColor{0.62, 0.64, 0.68, 1};
constexpr Rgba kLimitColor{0.988, 0.384, 0.333, 1};
constexpr Rgba kBarColor{0.45, 0.47, 0.52, 1};
constexpr double kPi = 3.14159265358979323846;

// Where the cart-pole of an area goes: the track [-2.4, 2.4] m spans the area's width less a
// margin; the track sits at a quarter of its height.
struct TrackFrame {
  double unit = 1;   // scene units per metre
  double mid_x = 0;  // scene x of x = 0
  double track_y = 0;
};
TrackFrame track_frame(const Box2& area, bool compact) {
  TrackFrame f;
  f.unit = area.width() / 6.3;  // ±3.15 m: the track, and room for the cart and its push
  f.mid_x = area.center().x;
  f.track_y = area.bottom + (compact ? 0.4 : 0.33) * area.height();
  return f;
}

// The track, its limits and the ±12° lines' labels: what does not move.
class TrackBackdrop : public Mobject {
 public:
  TrackBackdrop(Box2 area, bool labels) : area_(area), labels_(labels) {}
  void draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const override {
    const TrackFrame f = track_frame(area_, !labels_);
    const double o = state.opacity;
    stroke_line(cr, geo, {f.mid_x - 2.55 * f.unit, f.track_y}, {f.mid_x + 2.55 * f.unit, f.track_y},
                kMutedColor, 2, o);
    for (double side : {-1.0, 1.0}) {
      const double x = f.mid_x + side * 2.4 * f.unit;
      stroke_line(cr, geo, {x, f.track_y - 0.12}, {x, f.track_y + 0.12}, kLimitColor, 3, o);
      if (labels_) {
        draw_text(cr, geo, side < 0 ? "x = −2.4 m" : "x = +2.4 m", 18, kMutedColor,
                  {x, f.track_y - 0.2}, Anchor::kTop, o);
      }
    }
  }
  Box2 bounds(const FrameGeometry&) const override { return area_; }

 private:
  Box2 area_;
  bool labels_;
};

// Where a panel's parts go.
struct PanelBoxes {
  bool compact = false;  // the 2x2 layout's small panel: no text beside the nodes
  Box2 network;          // the diagram's nodes
  Box2 env;              // the cart-pole
  Box2 metrics;          // full: the frame / progress / reward row; compact: the heading
  Box2 policy;           // the policy bars
  Vec2 value_at;         // full: where the value estimate's text starts
};

// One panel's moving parts at the frame its reveal gives: numbers, bars, the network's nodes and
// connections, the cart-pole.
class ActivityFrame : public Mobject {
 public:
  ActivityFrame(const AgentData& agent, std::size_t milestone, std::size_t episode,
                std::vector<NetworkColumn> columns, PanelBoxes boxes, double steps_per_second)
      : record_(agent.record),
        milestone_(record_.milestones[milestone]),
        episode_(milestone_.episodes[episode]),
        boxes_(boxes),
        diagram_(make_network_diagram(std::move(columns), boxes.network, !boxes.compact,
                                      &milestone_.weights)),
        steps_per_second_(steps_per_second) {}

  int64_t frame_at(double reveal) const {
    const auto f = static_cast<int64_t>(std::floor(reveal * static_cast<double>(episode_.frames)));
    return std::clamp<int64_t>(f, 0, episode_.frames - 1);
  }

  void draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const override {
    const int64_t f = frame_at(state.reveal);
    const double o = state.opacity;
    cairo_save(cr);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    draw_numbers(cr, geo, f, o);
    draw_policy(cr, geo, f, o);
    draw_network(cr, geo, f, o);
    draw_cartpole(cr, geo, f, o);
    cairo_restore(cr);
  }
  Box2 bounds(const FrameGeometry&) const override {
    return united(united(boxes_.network, boxes_.env), united(boxes_.metrics, boxes_.policy));
  }

 private:
  void draw_numbers(cairo_t* cr, const FrameGeometry& geo, int64_t f, double o) const {
    const double reward = episode_.episode_reward[static_cast<std::size_t>(f)];
    const Box2& m = boxes_.metrics;
    if (boxes_.compact) {
      draw_text(cr, geo,
                percent(milestone_.fraction) + " of training (update " +
                    std::to_string(milestone_.update) + ") · reward " + fixed(reward, 0),
                20, kTextColor, {m.left, m.center().y}, Anchor::kLeft, o, true);
      return;
    }
    const double y = m.top;
    draw_text(cr, geo, "frame " + std::to_string(f + 1) + " / " + std::to_string(episode_.frames),
              20, kTextColor, {m.left, y}, Anchor::kTopLeft, o);
    const double progress = static_cast<double>(f + 1) / static_cast<double>(episode_.frames);
    draw_text(cr, geo, "progress " + fixed(progress * 100, 0) + "%", 20, kTextColor,
              {m.left + m.width() * 0.35, y}, Anchor::kTopLeft, o);
    draw_text(cr, geo, "episode reward " + fixed(reward, 0), 20, kTextColor, {m.right, y},
              Anchor::kTopRight, o);
    const Box2 bar{m.left, m.bottom, m.right, m.bottom + 0.07};
    fill_box(cr, geo, bar, kBarColor, 0.5 * o);
    fill_box(cr, geo, {bar.left, bar.bottom, bar.left + bar.width() * progress, bar.top},
             kAccentColor, o);
    draw_text(cr, geo,
              "value estimate V(s) = " + fixed(episode_.value[static_cast<std::size_t>(f)], 2), 22,
              kTextColor, boxes_.value_at, Anchor::kLeft, o);
  }

  void draw_policy(cairo_t* cr, const FrameGeometry& geo, int64_t f, double o) const {
    const Box2& p = boxes_.policy;
    const int64_t likely = likely_action(episode_, f);
    const auto actions = static_cast<std::size_t>(episode_.actions);
    const double row = p.height() / static_cast<double>(actions);
    const double label_w = boxes_.compact ? 1.25 : 1.7, number_w = boxes_.compact ? 0.75 : 0.9;
    const double points = boxes_.compact ? 18 : 22;
    for (std::size_t a = 0; a < actions; ++a) {
      const double prob = episode_.action_probs[static_cast<std::size_t>(f) * actions + a];
      const double cy = p.top - row * (static_cast<double>(a) + 0.5);
      const bool top = static_cast<int64_t>(a) == likely;
      const Rgba color = top ? kAccentColor : kTextColor;
      draw_text(cr, geo, record_.action_names[a], points, color, {p.left, cy}, Anchor::kLeft, o,
                top);
      const double x0 = p.left + label_w, x1 = p.right - number_w;
      const double h = std::min(0.22, row * 0.55);
      fill_box(cr, geo, {x0, cy - h / 2, x1, cy + h / 2}, kBarColor, 0.35 * o);
      fill_box(cr, geo, {x0, cy - h / 2, x0 + (x1 - x0) * prob, cy + h / 2},
               top ? kAccentColor : kBarColor, o);
      draw_text(cr, geo, fixed(prob, 3), points, color, {p.right, cy}, Anchor::kRight, o, top);
    }
  }

  void draw_network(cairo_t* cr, const FrameGeometry& geo, int64_t f, double o) const {
    // The chosen action's node pulses.
    DiagramFrame d;
    d.diagram = &diagram_;
    for (std::size_t l = 0; l < record_.layer_names.size(); ++l) {
      if (record_.layer_names[l] == "policy") d.chosen_layer = static_cast<int>(l);
    }
    d.chosen_unit = episode_.action[static_cast<std::size_t>(f)];
    d.pulse = 0.5 - 0.5 * std::cos(2 * kPi * static_cast<double>(f) / (0.5 * steps_per_second_));
    d.compact = boxes_.compact;
    draw_network_diagram(cr, geo, d, episode_track(episode_), f, o);
  }

  void draw_cartpole(cairo_t* cr, const FrameGeometry& geo, int64_t f, double o) const {
    const auto base = static_cast<std::size_t>(f * episode_.observation_size);
    const double x = episode_.observation[base], theta = episode_.observation[base + 2];
    const TrackFrame t = track_frame(boxes_.env, boxes_.compact);
    const double u = t.unit;
    const double cx = t.mid_x + x * u;
    const double cart_w = 0.5 * u, cart_h = 0.3 * u;
    const Box2 cart{cx - cart_w / 2, t.track_y - cart_h / 2, cx + cart_w / 2,
                    t.track_y + cart_h / 2};
    const Vec2 pivot{cx, cart.top};
    // The ±12° lines: beyond them the episode ends.
    for (double side : {-1.0, 1.0}) {
      const double a = side * 12 * kPi / 180;
      stroke_line(cr, geo, pivot,
                  {pivot.x + 1.15 * u * std::sin(a), pivot.y + 1.15 * u * std::cos(a)}, kLimitColor,
                  1.5, 0.55 * o);
    }
    // The push: an arrow from the cart's side in the action's direction.
    const int64_t action = episode_.action[static_cast<std::size_t>(f)];
    const double dir = action == 1 ? 1 : -1;
    const double start = cx + dir * (cart_w / 2 + 0.05), end = start + dir * 0.45 * u;
    stroke_line(cr, geo, {start, t.track_y}, {end, t.track_y}, kAccentColor, 3, o);
    stroke_line(cr, geo, {end, t.track_y}, {end - dir * 0.12 * u, t.track_y + 0.07 * u},
                kAccentColor, 3, o);
    stroke_line(cr, geo, {end, t.track_y}, {end - dir * 0.12 * u, t.track_y - 0.07 * u},
                kAccentColor, 3, o);
    fill_box(cr, geo, cart, kCartColor, o);
    const Vec2 tip{pivot.x + 1.0 * u * std::sin(theta), pivot.y + 1.0 * u * std::cos(theta)};
    stroke_line(cr, geo, pivot, tip, kPoleColor, std::max(3.0, 0.1 * u * 90), o);
    set_color(cr, kTextColor, o);
    cairo_arc(cr, geo.to_px_x(pivot.x), geo.to_px_y(pivot.y), stroke_px(geo, 3), 0, 2 * kPi);
    cairo_fill(cr);
    const double points = boxes_.compact ? 18 : 22;
    const std::string angle = "θ = " + signed_fixed(theta * 180 / kPi, 1) + "°";
    const std::string place = "x = " + signed_fixed(x, 2) + " m";
    if (boxes_.compact) {
      draw_text(cr, geo, angle + "   " + place, points, kTextColor,
                {boxes_.env.center().x, boxes_.env.bottom + 0.05}, Anchor::kBottom, o);
    } else {
      draw_text(cr, geo, angle + "    " + place, points, kTextColor,
                {boxes_.env.center().x, t.track_y - 0.75}, Anchor::kTop, o);
    }
    if (f + 1 == episode_.frames) {
      std::string end_text;
      if (boxes_.compact) {
        end_text = episode_.terminated
                       ? "fell at step " + std::to_string(episode_.frames)
                       : "time limit: " + std::to_string(episode_.frames) + " steps";
      } else {
        end_text = episode_.terminated
                       ? "episode over at step " + std::to_string(episode_.frames) +
                             ": |θ| > 12° or |x| > 2.4 m"
                       : "time limit: " + std::to_string(episode_.frames) + " steps";
      }
      draw_text(cr, geo, end_text, boxes_.compact ? 18 : 20, kAccentColor,
                {boxes_.env.center().x, t.track_y - (boxes_.compact ? 0.3 : 1.35)}, Anchor::kTop, o,
                false);
    }
  }

  const AgentRecord& record_;
  const AgentMilestone& milestone_;
  const EpisodeRecord& episode_;
  PanelBoxes boxes_;
  NetworkDiagram diagram_;  // the network's columns, places and weights at this milestone
  double steps_per_second_;
};

const AgentData& pick_agent(SceneContext& c, const NetworkActivityBlock& b) {
  const ExperimentData& e = c.experiment(b.experiment);
  if (e.agents.empty()) {
    c.fail("experiment '" + b.experiment + "' (" + e.source_path +
           ") has no agent runs (an `env:` with `runs:`) and no `walk:`");
  }
  if (b.run.empty()) return e.agents[0];
  std::string known;
  for (const AgentData& a : e.agents) {
    if (a.spec.label == b.run) return a;
    known += (known.empty() ? "" : ", ") + a.spec.label;
  }
  c.fail("no run '" + b.run + "' in experiment '" + b.experiment + "' (its runs: " + known + ")");
}

// Training episodes a point of the training curve averages.
constexpr std::size_t kReturnWindow = 20;

// The recorded training returns (a running mean of kReturnWindow episodes) against update, up to
// `update`, on axes spanning the whole training: where this milestone stands. Null without
// episodes.
MobjectPtr training_curve(const AgentRecord& r, int64_t update, Box2 box) {
  LineSeries s;
  s.color = kAccentColor;
  s.stroke_px = 2.5;
  double sum = 0, top = 1;
  const std::size_t n = r.episode_return.size();
  for (std::size_t e = 0; e < n; ++e) {
    sum += r.episode_return[e];
    if (e >= kReturnWindow) sum -= r.episode_return[e - kReturnWindow];
    const double mean = sum / static_cast<double>(std::min<std::size_t>(e + 1, kReturnWindow));
    top = std::max(top, mean);
    if (r.episode_update[e] > update) continue;
    s.x.push_back(static_cast<double>(r.episode_update[e]));
    s.y.push_back(mean);
  }
  if (s.x.size() < 2) return nullptr;
  LinePlotStyle style;
  style.axes.frame = false;
  style.axes.tick_points = 16;
  style.axes.x_ticks = 4;
  style.axes.y_ticks = 3;
  style.axes.x_label = "update";
  style.axes.label_points = 18;
  return std::make_shared<LinePlot>(std::vector<LineSeries>{s}, box, style,
                                    Domain{0, static_cast<double>(r.updates), 0, top * 1.05});
}

// One milestone's episode on the whole frame: analytics on the left, the environment right.
void play_single(SceneContext& c, const NetworkActivityBlock& b, const AgentData& agent,
                 std::size_t k, std::size_t i, bool last) {
  const AgentRecord& r = agent.record;
  const AgentMilestone& m = r.milestones[k];
  const EpisodeRecord& e = m.episodes[i];
  const double half = c.geo.frame_width() / 2;  // 7.11 at 16:9
  const double left = -half + 0.4, mid = 0;
  PanelBoxes boxes;
  boxes.metrics = {left, 2.35, mid - 0.35, 2.75};
  boxes.policy = {left, 0.95, mid - 0.35, 1.85};
  boxes.value_at = {left, 0.62};
  boxes.network = {left + 0.55, -3.0, mid - 0.5, -0.6};
  boxes.env = {mid + 0.45, -2.6, half - 0.45, 2.75};
  std::vector<NetworkColumn> columns = network_columns(r, {&e}, b.nodes);

  std::vector<MobjectPtr> still;
  still.push_back(text_at("CartPole-v1 · A2C · neural activity", 28, kTextColor, {left, 3.75},
                          Anchor::kTopLeft, true));
  still.push_back(text_at(agent.spec.label + lr_label(agent.spec.optimizer) + ", " +
                              std::to_string(agent.spec.a2c.n_envs) + " environments",
                          20, kMutedColor, {left, 3.22}, Anchor::kTopLeft));
  still.push_back(text_at("policy π(a | s)", 20, kMutedColor, {left, 2.1}, Anchor::kTopLeft));
  still.push_back(std::make_shared<Line>(Vec2{mid, -3.75}, Vec2{mid, 3.75}, kBarColor, 1.5));
  for (const MobjectPtr& label : network_labels(columns, boxes.network)) still.push_back(label);
  const Box2 key{left + 4.6, -3.64, left + 6.0, -3.52};
  still.push_back(std::make_shared<ColourKey>(key));
  still.push_back(text_at("colour = activation ÷ column scale", 18, kMutedColor,
                          {key.left - 0.45, key.center().y}, Anchor::kRight));
  still.push_back(text_at("milestone " + std::to_string(k + 1) + " of " +
                              std::to_string(r.milestones.size()) + ": " + percent(m.fraction) +
                              " of training",
                          24, kTextColor, {mid + 0.45, 3.75}, Anchor::kTopLeft, true));
  still.push_back(text_at("update " + std::to_string(m.update) + " · evaluation episode " +
                              std::to_string(i + 1) + " (greedy)",
                          20, kMutedColor, {mid + 0.45, 3.22}, Anchor::kTopLeft));
  if (MobjectPtr curve = training_curve(r, m.update, {mid + 1.25, 1.35, half - 0.45, 2.55})) {
    still.push_back(curve);
    still.push_back(
        text_at("training return (mean of " + std::to_string(kReturnWindow) + " episodes)", 18,
                kMutedColor, {mid + 1.3, 2.6}, Anchor::kBottomLeft));
  }
  still.push_back(std::make_shared<TrackBackdrop>(boxes.env, true));
  still.push_back(text_at("ends when |x| > 2.4 m, |θ| > 12°, or after 500 steps", 18, kMutedColor,
                          {boxes.env.center().x, -3.55}, Anchor::kCenter));
  auto frame = std::make_shared<ActivityFrame>(agent, k, i, columns, boxes, b.steps_per_second);
  std::vector<Animation> in;
  for (const MobjectPtr& s : still) in.push_back(fade_in(s));
  // The panel fades in at its first frame (reveal 0; at the play's first instant it is
  // transparent, so the default reveal of 1 never shows).
  in.push_back(fade_in(frame));
  in.push_back(with_run_time(reveal_to(frame, 0), 1e-3));
  c.builder.play(in, 0.5);
  const double seconds = static_cast<double>(e.frames) / b.steps_per_second;
  c.builder.play({with_rate(reveal_to(frame, 1), RateFn::linear)}, seconds);
  c.builder.wait(1.0);
  if (!last) {
    std::vector<Animation> out;
    for (const MobjectPtr& s : still) out.push_back(fade_out(s));
    out.push_back(fade_out(frame));
    c.builder.play(out, 0.4);
  }
}

// Up to four milestones in a 2x2 grid, the same episode, each panel compact.
void play_grid(SceneContext& c, const NetworkActivityBlock& b, const AgentData& agent,
               const std::vector<std::size_t>& milestones, std::size_t i) {
  const double half = c.geo.frame_width() / 2;
  std::vector<MobjectPtr> still;
  std::vector<std::shared_ptr<ActivityFrame>> frames;
  double longest = 0;
  still.push_back(std::make_shared<Line>(Vec2{0, -3.75}, Vec2{0, 3.75}, kBarColor, 1.5));
  still.push_back(
      std::make_shared<Line>(Vec2{-half + 0.25, 0}, Vec2{half - 0.25, 0}, kBarColor, 1.5));
  for (std::size_t q = 0; q < milestones.size(); ++q) {
    const double x0 = q % 2 == 0 ? -half : 0, x1 = q % 2 == 0 ? 0 : half;
    const double y0 = q < 2 ? 0 : -4, y1 = q < 2 ? 4 : 0;
    const EpisodeRecord& e = agent.record.milestones[milestones[q]].episodes[i];
    PanelBoxes boxes;
    boxes.compact = true;
    boxes.metrics = {x0 + 0.3, y1 - 0.62, x1 - 0.3, y1 - 0.27};
    boxes.network = {x0 + 0.3, y0 + 1.15, x0 + 3.0, y1 - 0.8};
    boxes.policy = {x0 + 0.3, y0 + 0.3, x0 + 3.3, y0 + 0.95};
    boxes.env = {x0 + 3.55, y0 + 0.3, x1 - 0.3, y1 - 0.75};
    std::vector<NetworkColumn> columns = network_columns(agent.record, {&e}, std::min(b.nodes, 8));
    frames.push_back(std::make_shared<ActivityFrame>(agent, milestones[q], i, std::move(columns),
                                                     boxes, b.steps_per_second));
    still.push_back(std::make_shared<TrackBackdrop>(boxes.env, false));
    longest = std::max(longest, static_cast<double>(e.frames) / b.steps_per_second);
  }
  std::vector<Animation> in;
  for (const MobjectPtr& s : still) in.push_back(fade_in(s));
  for (const auto& f : frames) {
    in.push_back(fade_in(f));
    in.push_back(with_run_time(reveal_to(f, 0), 1e-3));
  }
  c.builder.play(in, 0.5);
  std::vector<Animation> run;
  for (std::size_t q = 0; q < frames.size(); ++q) {
    const EpisodeRecord& e = agent.record.milestones[milestones[q]].episodes[i];
    run.push_back(with_run_time(with_rate(reveal_to(frames[q], 1), RateFn::linear),
                                static_cast<double>(e.frames) / b.steps_per_second));
  }
  c.builder.play(run, longest);
  c.builder.wait(1.5);
}

}  // namespace

void play_block(SceneContext& c, const NetworkActivityBlock& b) {
  const ExperimentData& e = c.experiment(b.experiment);
  if (e.agents.empty() && e.walk) {
    play_walk(c, b, e);
    return;
  }
  if (std::find(b.given.begin(), b.given.end(), "points_per_second") != b.given.end()) {
    c.fail("points_per_second: paces a walk; an agent's episodes go at `steps_per_second`");
  }
  const AgentData& agent = pick_agent(c, b);
  const AgentRecord& r = agent.record;
  if (r.milestones.empty()) {
    c.fail("run '" + agent.spec.label + "' recorded no milestones (it diverged at update " +
           std::to_string(r.diverged_at) + ")");
  }
  std::vector<std::size_t> milestones;
  for (int64_t k : b.milestones) {
    if (k >= static_cast<int64_t>(r.milestones.size())) {
      c.fail("milestone " + std::to_string(k) + " does not exist: run '" + agent.spec.label +
             "' has " + std::to_string(r.milestones.size()) + " (0 to " +
             std::to_string(r.milestones.size() - 1) + ")");
    }
    milestones.push_back(static_cast<std::size_t>(k));
  }
  if (milestones.empty()) {
    for (std::size_t k = 0; k < r.milestones.size(); ++k) milestones.push_back(k);
  }
  if (b.layout == NetworkLayout::milestones && milestones.size() > 4) {
    c.fail("the milestones layout shows at most 4 milestones; run '" + agent.spec.label + "' has " +
           std::to_string(milestones.size()) + ": pick four with `milestones: [...]`");
  }
  for (int64_t i : b.episodes) {
    for (std::size_t k : milestones) {
      if (i >= static_cast<int64_t>(r.milestones[k].episodes.size())) {
        c.fail("episode " + std::to_string(i) + " does not exist: milestone " + std::to_string(k) +
               " recorded " + std::to_string(r.milestones[k].episodes.size()) + " (0 to " +
               std::to_string(r.milestones[k].episodes.size() - 1) + ")");
      }
    }
  }
  if (b.layout == NetworkLayout::milestones) {
    play_grid(c, b, agent, milestones, static_cast<std::size_t>(b.episodes[0]));
    return;
  }
  for (std::size_t k = 0; k < milestones.size(); ++k) {
    for (std::size_t j = 0; j < b.episodes.size(); ++j) {
      const bool last = k + 1 == milestones.size() && j + 1 == b.episodes.size();
      play_single(c, b, agent, milestones[k], static_cast<std::size_t>(b.episodes[j]), last);
    }
  }
}

}  // namespace trajtool
