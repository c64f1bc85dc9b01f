// The network_activity block on a walk, drawn from a hand-made walk record, checked pixel by
// pixel: at a point of the walk every drawn node has the colour its recorded activation gives
// (value over the layer's scale, computed here from the record), the current point is drawn at
// the recorded input's place on the plane, and the block's mistakes are errors naming the file,
// the line and the key.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <utility>

#include "tests/support/still_frame.h"
#include "tests/support/wavy_tensor.h"
#include "toolkit/config/scene_script_reader.h"
#include "toolkit/core/error.h"
#include "viz/scenes/agent_kit.h"
#include "viz/scenes/scene_player.h"
#include "viz/scenes/walk_kit.h"

namespace trajtool {
namespace {

constexpr int64_t kPoints = 48;
constexpr int64_t kWidth = 16;  // hidden units: wider than the 12 drawn

NamedTensor tensor(const std::string& name, std::vector<int64_t> shape, double seed) {
  return testing::wavy_tensor(name, std::move(shape), seed);
}

SceneData walk_data() {
  TrainingData run;
  run.spec.label = "Adam";
  run.spec.dataset.name = "moons";
  run.spec.model.layers = {2, kWidth, 2};
  run.spec.model.activations = {"tanh"};
  run.spec.optimizer.name = "adam";
  run.spec.optimizer.hyper["lr"] = 0.01;
  auto data = std::make_shared<DatasetRecord>();
  data->features = 2;
  data->classes = 2;
  data->train_count = 2;
  data->x_train = {-1.5, 1.2, 1.8, -0.8};  // in the corners, away from the walk
  data->y_train = {0, 1};
  data->has_grid = true;
  data->grid = {-2, 2, -1, 1.5};
  run.dataset = data;
  Checkpoint c;
  c.step = 40;
  c.weights = {tensor("0.weight", {kWidth, 2}, 1), tensor("0.bias", {kWidth}, 2),
               tensor("2.weight", {2, kWidth}, 3), tensor("2.bias", {2}, 4)};
  run.record.checkpoints.push_back(c);
  run.record.steps = 40;

  auto w = std::make_shared<WalkRecord>();
  w->run = "Adam";
  w->source = "path";
  w->waypoints = {-1, -0.5, 1, 0.8};
  w->layer_names = {"0", "1", "2"};
  w->layer_kinds = {"Linear", "Tanh", "Linear"};
  w->class_names = {"class 0", "class 1"};
  w->feature_names = {"x1", "x2"};
  w->sample_shape = {2};
  w->boundary_grid = data->grid;
  w->boundary_nx = w->boundary_ny = 4;
  WalkMilestone m;
  m.fraction = 1;
  m.step = 40;
  WalkFrames& f = m.walk;
  f.points = kPoints;
  f.features = 2;
  f.classes = 2;
  f.activations = {
      {"0", {kPoints, kWidth}, {}}, {"1", {kPoints, kWidth}, {}}, {"2", {kPoints, 2}, {}}};
  for (int64_t p = 0; p < kPoints; ++p) {
    const double t = static_cast<double>(p) / (kPoints - 1);
    f.input.push_back(-1 + 2 * t);
    f.input.push_back(-0.5 + 1.3 * t);
    for (int64_t u = 0; u < kWidth; ++u) {
      // Units 0..11 swing widely, the rest barely move.
      const double z = (u < 12 ? 3.0 : 0.1) *
                       std::sin(0.3 * static_cast<double>(p) + 0.9 * static_cast<double>(u));
      f.activations[0].values.push_back(z);
      f.activations[1].values.push_back(std::tanh(z));
    }
    const double logit = 2.5 * std::sin(0.2 * static_cast<double>(p));
    f.activations[2].values.push_back(-logit);
    f.activations[2].values.push_back(logit);
    const double p1 = 1 / (1 + std::exp(-2 * logit));
    f.class_probs.push_back(1 - p1);
    f.class_probs.push_back(p1);
    f.predicted.push_back(p1 > 0.5 ? 1 : 0);
  }
  for (int g = 0; g < 16; ++g) {
    m.boundary.push_back(g % 2 ? 0.8 : 0.3);
    m.boundary.push_back(g % 2 ? 0.2 : 0.7);
  }
  w->milestones.push_back(m);
  ExperimentData x;
  x.name = "walk";
  x.trainings.push_back(run);
  x.walk = w;
  SceneData out;
  out.experiments.push_back(x);
  return out;
}

std::string scene(const std::string& block) {
  return "experiments: {main: walk.yaml}\nsections:\n  - name: one\n    blocks:\n      - " + block +
         "\n";
}

// The record's value of a node and its layer's scale, read here without the kit.
double recorded(const WalkFrames& w, const NetworkNode& n, int64_t p) {
  if (n.layer < 0) return w.input[static_cast<std::size_t>(p * 2 + n.unit)];
  const NamedTensor& a = w.activations[static_cast<std::size_t>(n.layer)];
  return a.values[static_cast<std::size_t>(p * a.shape[1] + n.unit)];
}
double scale_of(const WalkFrames& w, int layer) {
  const std::vector<double>& v =
      layer < 0 ? w.input : w.activations[static_cast<std::size_t>(layer)].values;
  double top = 1;
  for (double x : v) top = std::max(top, std::fabs(x));
  return top;
}

void expect_color(Rgba got, Rgba want, const std::string& what) {
  EXPECT_NEAR(got.r, want.r, 3 / 255.0) << what;
  EXPECT_NEAR(got.g, want.g, 3 / 255.0) << what;
  EXPECT_NEAR(got.b, want.b, 3 / 255.0) << what;
}

TEST(NetworkActivityWalk, NodeColoursAndThePointAreTheRecordedOnes) {
  const SceneData data = walk_data();
  const WalkRecord& w = *data.experiments[0].walk;
  const WalkFrames& frames = w.milestones[0].walk;
  FrameGeometry geo;
  geo.width_px = 960;
  geo.height_px = 540;
  const Timeline timeline = play_scene(
      parse_scene_script(scene("network_activity: {experiment: main, points_per_second: 12}"),
                         "scenes/W.yaml"),
      data, geo);
  const std::vector<NetworkColumn> columns = walk_columns(w, {&frames}, 12);
  ASSERT_EQ(columns.size(), 3u);  // input, hidden 1 (the tanh), output
  ASSERT_EQ(columns[1].nodes.size(), 12u);
  for (std::size_t j = 0; j < 12; ++j) EXPECT_EQ(columns[1].nodes[j].unit, static_cast<int64_t>(j));
  EXPECT_EQ(columns[1].subset_label, "12 of 16");
  EXPECT_EQ(columns[2].nodes[1].label, "class 1");
  const WalkBoxes boxes = walk_single_boxes(geo.frame_width(), 2);
  const auto places = place_network(columns, boxes.network, true);
  const auto axes = walk_plane_axes(boxes, w.boundary_grid);
  int distinct = 0;
  for (int64_t p : {7, 30}) {
    // Point p is on screen from 0.5 s (after the fade-in) + p / 12 s.
    const testing::StillFrame still(timeline, 0.5 + (static_cast<double>(p) + 0.5) / 12.0, geo);
    for (std::size_t c = 0; c < columns.size(); ++c) {
      for (std::size_t j = 0; j < columns[c].nodes.size(); ++j) {
        const NetworkNode& n = columns[c].nodes[j];
        const double value = recorded(frames, n, p) / scale_of(frames, n.layer);
        const Vec2 at = places[c][j].center;
        expect_color(still.at(geo.to_px_x(at.x), geo.to_px_y(at.y)), activation_color(value),
                     "column " + std::to_string(c) + " node " + std::to_string(j) + " point " +
                         std::to_string(p));
        if (std::fabs(value) > 0.5) ++distinct;
      }
    }
    // The current point: the recorded input's place on the plane, in the point's colour; the
    // place of a point still ahead on the walk is not.
    const Vec2 here = axes->data_to_scene(frames.input[static_cast<std::size_t>(2 * p)],
                                          frames.input[static_cast<std::size_t>(2 * p + 1)]);
    expect_color(still.at(geo.to_px_x(here.x), geo.to_px_y(here.y)), kWalkPointColor,
                 "the current point " + std::to_string(p));
    const int64_t other = p + 15;
    const Vec2 there = axes->data_to_scene(frames.input[static_cast<std::size_t>(2 * other)],
                                           frames.input[static_cast<std::size_t>(2 * other + 1)]);
    const Rgba elsewhere = still.at(geo.to_px_x(there.x), geo.to_px_y(there.y));
    EXPECT_GT(
        std::fabs(elsewhere.g - kWalkPointColor.g) + std::fabs(elsewhere.b - kWalkPointColor.b),
        0.1)
        << "point " << other << " is drawn as current at point " << p;
  }
  EXPECT_GT(distinct, 10);  // strong activations of both signs, not a flat colour
}

// An image walk: three 28x28 images whose grey levels are known.
double pixel(int64_t image, int64_t i) {
  if (i == 0) return 0;  // each image spans [0, 1]: its grey levels are its values
  if (i == 1) return 1;
  return static_cast<double>((i * 7 + image * 53) % 256) / 255.0;
}

SceneData image_walk_data() {
  TrainingData run;
  run.spec.label = "Adam";
  run.spec.dataset.name = "fashion_mnist";
  run.spec.model.layers = {784, 4, 3};
  run.spec.model.activations = {"relu"};
  run.spec.optimizer.name = "adam";
  run.spec.optimizer.hyper["lr"] = 0.001;
  auto data = std::make_shared<DatasetRecord>();
  data->features = 784;
  data->classes = 3;
  run.dataset = data;
  Checkpoint c;
  c.step = 5;
  c.weights = {tensor("0.weight", {4, 784}, 1), tensor("0.bias", {4}, 2),
               tensor("2.weight", {3, 4}, 3), tensor("2.bias", {3}, 4)};
  run.record.checkpoints.push_back(c);
  run.record.steps = 5;
  auto w = std::make_shared<WalkRecord>();
  w->run = "Adam";
  w->source = "images";
  w->data = "test";
  w->indices = {4, 5, 6};
  w->layer_names = {"0", "1", "2"};
  w->layer_kinds = {"Linear", "ReLU", "Linear"};
  w->class_names = {"coat", "bag", "shirt"};
  w->sample_shape = {784};
  WalkMilestone m;
  m.fraction = 1;
  m.step = 5;
  WalkFrames& f = m.walk;
  f.points = 3;
  f.features = 784;
  f.classes = 3;
  f.activations = {{"0", {3, 4}, {}}, {"1", {3, 4}, {}}, {"2", {3, 3}, {}}};
  for (int64_t p = 0; p < 3; ++p) {
    for (int64_t i = 0; i < 784; ++i) f.input.push_back(pixel(p, i));
    for (int64_t u = 0; u < 4; ++u) {
      const double z = std::sin(static_cast<double>(p + 3 * u));
      f.activations[0].values.push_back(z);
      f.activations[1].values.push_back(std::max(0.0, z));
    }
    for (int64_t k = 0; k < 3; ++k) {
      f.activations[2].values.push_back(k == p ? 2.0 : 0.0);
      f.class_probs.push_back(k == p ? 0.8 : 0.1);
    }
    f.predicted.push_back(p);
    f.label.push_back(p == 1 ? 0 : p);  // the second image is predicted wrong
  }
  w->milestones.push_back(m);
  ExperimentData x;
  x.name = "walk";
  x.trainings.push_back(run);
  x.walk = w;
  SceneData out;
  out.experiments.push_back(x);
  return out;
}

TEST(NetworkActivityWalk, TheImageIsTheRecordedInput) {
  const SceneData data = image_walk_data();
  FrameGeometry geo;
  geo.width_px = 960;
  geo.height_px = 540;
  const Timeline timeline =
      play_scene(parse_scene_script(scene("network_activity: {experiment: main}"), "scenes/W.yaml"),
                 data, geo);
  const Box2 box = walk_image_box(walk_single_boxes(geo.frame_width(), 3));
  const double cell = box.width() / 28;
  for (int64_t p : {0, 2}) {
    // Image p is on screen from 0.5 s + p s (one image a second).
    const testing::StillFrame still(timeline, 0.5 + static_cast<double>(p) + 0.5, geo);
    for (int64_t i : {0, 1, 30, 200, 405, 783}) {
      const int64_t row = i / 28, col = i % 28;
      const Vec2 at{box.left + (static_cast<double>(col) + 0.5) * cell,
                    box.top - (static_cast<double>(row) + 0.5) * cell};
      const double g = pixel(p, i);
      expect_color(still.at(geo.to_px_x(at.x), geo.to_px_y(at.y)), {g, g, g, 1},
                   "image " + std::to_string(p) + " pixel " + std::to_string(i));
    }
  }
}

TEST(NetworkActivityWalk, MistakesNameFileLineAndKey) {
  const SceneData data = walk_data();
  auto error = [&](const std::string& block) -> std::string {
    try {
      play_scene(parse_scene_script(scene(block), "scenes/W.yaml"), data, FrameGeometry{});
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_NE(error("network_activity: {experiment: main, milestones: [1]}")
                .find("scenes/W.yaml:5: sections[0].blocks[0].network_activity: milestone 1 does "
                      "not exist: the walk of 'walk' has 1 (0 to 0)"),
            std::string::npos)
      << error("network_activity: {experiment: main, milestones: [1]}");
  EXPECT_NE(error("network_activity: {experiment: main, run: SGD}").find("walks run 'Adam'"),
            std::string::npos);
  EXPECT_NE(error("network_activity: {experiment: main, points_per_second: 0}")
                .find("network_activity.points_per_second"),
            std::string::npos);
  EXPECT_NE(error("network_activity: {experiment: main, episodes: [1]}")
                .find("network_activity: episodes: experiment 'walk' is a walk, which has no "
                      "episodes"),
            std::string::npos)
      << error("network_activity: {experiment: main, episodes: [1]}");
  EXPECT_NE(error("network_activity: {experiment: main, steps_per_second: 20}")
                .find("steps_per_second: experiment 'walk' is a walk"),
            std::string::npos);
  EXPECT_EQ(error("network_activity: {experiment: main, layout: milestones}"), "");
}

}  // namespace
}  // namespace trajtool
