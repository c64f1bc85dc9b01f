// The network_activity block drawn from a hand-made agent record, checked pixel by pixel: at a
// frame, every drawn node has the colour its recorded activation gives (value over the layer's
// scale, computed here from the record), the wide layers show the units that vary most; and the
// block's mistakes are errors naming the file, the line and the key.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <utility>

#include "tests/support/still_frame.h"
#include "tests/support/wavy_tensor.h"
#include "toolkit/config/scene_script_reader.h"
#include "toolkit/core/error.h"
#include "viz/renderer.h"
#include "viz/scenes/agent_kit.h"
#include "viz/scenes/network_diagram.h"
#include "viz/scenes/scene_player.h"

namespace trajtool {
namespace {

constexpr int64_t kFrames = 40;
constexpr int64_t kWidth = 20;  // hidden units: wider than the 12 drawn

// Hidden unit u at frame f: units 0..11 swing widely, the rest barely move.
double hidden(int64_t f, int64_t u, int layer) {
  const double amplitude = u < 12 ? 1.0 : 0.05;
  return std::tanh(amplitude * 2.5 *
                   std::sin(0.15 * static_cast<double>(f) + 0.7 * static_cast<double>(u) + layer));
}

NamedTensor tensor(const std::string& name, std::vector<int64_t> shape, double seed) {
  return testing::wavy_tensor(name, std::move(shape), seed);
}

SceneData agent_data() {
  AgentData agent;
  agent.spec.label = "A2C";
  agent.spec.optimizer.name = "adam";
  agent.spec.optimizer.hyper["lr"] = 0.01;
  AgentRecord& r = agent.record;
  r.updates = 10;
  r.rows = 10;
  r.action_names = {"push left", "push right"};
  r.observation_names = {"x", "x'", "θ", "θ'"};
  r.layer_names = {"trunk.0", "trunk.1", "trunk.2", "trunk.3", "policy", "value"};
  r.layer_kinds = {"Linear", "Tanh", "Linear", "Tanh", "Linear", "Linear"};
  AgentMilestone m;
  m.fraction = 1;
  m.update = 10;
  m.weights = {tensor("trunk.0.weight", {kWidth, 4}, 1),      tensor("trunk.0.bias", {kWidth}, 2),
               tensor("trunk.2.weight", {kWidth, kWidth}, 3), tensor("trunk.2.bias", {kWidth}, 4),
               tensor("policy.weight", {2, kWidth}, 5),       tensor("policy.bias", {2}, 6),
               tensor("value.weight", {1, kWidth}, 7),        tensor("value.bias", {1}, 8)};
  EpisodeRecord e;
  e.frames = kFrames;
  e.observation_size = 4;
  e.actions = 2;
  e.activations = {{"trunk.0", {kFrames, kWidth}, {}}, {"trunk.1", {kFrames, kWidth}, {}},
                   {"trunk.2", {kFrames, kWidth}, {}}, {"trunk.3", {kFrames, kWidth}, {}},
                   {"policy", {kFrames, 2}, {}},       {"value", {kFrames, 1}, {}}};
  for (int64_t f = 0; f < kFrames; ++f) {
    const double s = 0.1 * static_cast<double>(f);
    for (double v :
         {0.5 * std::sin(s), 1.5 * std::cos(s), 0.1 * std::sin(2 * s), 2.0 * std::cos(3 * s)})
      e.observation.push_back(v);
    for (int layer = 0; layer < 4; ++layer) {
      for (int64_t u = 0; u < kWidth; ++u) {
        e.activations[static_cast<std::size_t>(layer)].values.push_back(
            layer % 2 ? hidden(f, u, layer) : 3 * hidden(f, u, layer));
      }
    }
    const double logit = 2.0 * std::sin(0.2 * static_cast<double>(f));
    e.activations[4].values.push_back(-logit);
    e.activations[4].values.push_back(logit);
    e.activations[5].values.push_back(40.0 * std::sin(0.05 * static_cast<double>(f)) + 10);
    const double p1 = 1 / (1 + std::exp(-2 * logit));
    e.action_probs.push_back(1 - p1);
    e.action_probs.push_back(p1);
    e.action.push_back(p1 > 0.5 ? 1 : 0);
    e.value.push_back(e.activations[5].values.back());
    e.reward.push_back(1);
    e.episode_reward.push_back(static_cast<double>(f + 1));
  }
  e.terminated = true;
  m.eval_returns = {static_cast<double>(kFrames)};
  m.episodes.push_back(e);
  r.milestones.push_back(m);
  ExperimentData x;
  x.name = "agent";
  x.agents.push_back(agent);
  SceneData data;
  data.experiments.push_back(x);
  return data;
}

std::string scene(const std::string& block) {
  return "experiments: {main: agent.yaml}\nsections:\n  - name: one\n    blocks:\n      - " +
         block + "\n";
}

// The record's value of a node and its layer's scale, read here without the kit.
double recorded(const EpisodeRecord& e, const NetworkNode& n, int64_t f) {
  if (n.layer < 0) return e.observation[static_cast<std::size_t>(f * 4 + n.unit)];
  const NamedTensor& a = e.activations[static_cast<std::size_t>(n.layer)];
  return a.values[static_cast<std::size_t>(f * a.shape[1] + n.unit)];
}
double scale_of(const EpisodeRecord& e, int layer) {
  const std::vector<double>& v =
      layer < 0 ? e.observation : e.activations[static_cast<std::size_t>(layer)].values;
  double top = 1;
  for (double x : v) top = std::max(top, std::fabs(x));
  return top;
}

TEST(NetworkActivityScene, NodeColoursAreTheRecordedActivations) {
  const SceneData data = agent_data();
  const EpisodeRecord& e = data.experiments[0].agents[0].record.milestones[0].episodes[0];
  FrameGeometry geo;
  geo.width_px = 960;
  geo.height_px = 540;
  const Timeline timeline =
      play_scene(parse_scene_script(scene("network_activity: {experiment: main}"), "scenes/A.yaml"),
                 data, geo);
  // The frame's layout, as the block places it (full layout: the network's box).
  const std::vector<NetworkColumn> columns =
      network_columns(data.experiments[0].agents[0].record, {&e}, 12);
  ASSERT_EQ(columns.size(), 4u);
  // The 12 hidden units drawn are the 12 that vary most: 0..11.
  for (std::size_t c : {1u, 2u}) {
    ASSERT_EQ(columns[c].nodes.size(), 12u);
    for (std::size_t j = 0; j < 12; ++j)
      EXPECT_EQ(columns[c].nodes[j].unit, static_cast<int64_t>(j));
    EXPECT_EQ(columns[c].subset_label, "12 of 20");
  }
  const double half = geo.frame_width() / 2, left = -half + 0.4;
  const auto places = place_network(columns, {left + 0.55, -3.0, -0.5, -0.6}, true);
  int distinct = 0;
  for (int64_t f : {5, 23}) {
    // Frame f is on screen from 0.5 s (after the fade-in) + f / 30 s.
    const testing::StillFrame still(timeline, 0.5 + (static_cast<double>(f) + 0.5) / 30.0, geo);
    for (std::size_t c = 0; c < columns.size(); ++c) {
      for (std::size_t j = 0; j < columns[c].nodes.size(); ++j) {
        const NetworkNode& n = columns[c].nodes[j];
        const double value = recorded(e, n, f) / scale_of(e, n.layer);
        const Rgba want = activation_color(value);
        const Vec2 p = places[c][j].center;
        const Rgba got = still.at(geo.to_px_x(p.x), geo.to_px_y(p.y));
        EXPECT_NEAR(got.r, want.r, 3 / 255.0) << "column " << c << " node " << j << " frame " << f;
        EXPECT_NEAR(got.g, want.g, 3 / 255.0) << "column " << c << " node " << j << " frame " << f;
        EXPECT_NEAR(got.b, want.b, 3 / 255.0) << "column " << c << " node " << j << " frame " << f;
        if (std::fabs(value) > 0.5) ++distinct;
      }
    }
  }
  EXPECT_GT(distinct, 10);  // the frames show strong activations of both signs, not a flat colour
  EXPECT_NEAR(activation_color(-1).b, kActivationNegative.b, 1e-12);
  EXPECT_NEAR(activation_color(0.5).r, (kActivationZero.r + kActivationPositive.r) / 2, 1e-12);
}

// The cart-pole's readouts: signed, and never "-0.0" for a value that rounds to zero.
TEST(NetworkActivityScene, SignedReadoutsHaveNoNegativeZero) {
  EXPECT_EQ(signed_fixed(1.54, 1), "+1.5");
  EXPECT_EQ(signed_fixed(-0.018, 2), "-0.02");
  EXPECT_EQ(signed_fixed(-0.04, 1), "0.0");
  EXPECT_EQ(signed_fixed(0.004, 2), "0.00");
  EXPECT_EQ(signed_fixed(-0.0, 1), "0.0");
}

TEST(NetworkActivityScene, MistakesNameFileLineAndKey) {
  const SceneData data = agent_data();
  auto error = [&](const std::string& block) -> std::string {
    try {
      play_scene(parse_scene_script(scene(block), "scenes/A.yaml"), data, FrameGeometry{});
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_NE(error("network_activity: {experiment: main, milestones: [3]}")
                .find("scenes/A.yaml:5: sections[0].blocks[0].network_activity: milestone 3 does "
                      "not exist"),
            std::string::npos);
  EXPECT_NE(error("network_activity: {experiment: main, layout: grid}")
                .find("scenes/A.yaml:5: sections[0].blocks[0].network_activity.layout: 'grid' is "
                      "not one of: single, milestones"),
            std::string::npos)
      << error("network_activity: {experiment: main, layout: grid}");
  EXPECT_NE(error("network_activity: {experiment: main, run: B}").find("no run 'B'"),
            std::string::npos);
  EXPECT_NE(
      error("network_activity: {experiment: main, episodes: [2]}").find("episode 2 does not exist"),
      std::string::npos);
  EXPECT_NE(error("network_activity: {experiment: main, points_per_second: 5}")
                .find("network_activity: points_per_second: paces a walk"),
            std::string::npos)
      << error("network_activity: {experiment: main, points_per_second: 5}");
  EXPECT_EQ(error("network_activity: {experiment: main, layout: milestones}"), "");
}

}  // namespace
}  // namespace trajtool
