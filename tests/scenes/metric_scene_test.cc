// The metric blocks drawn from hand-made logs, checked against geometry: a single-sample spike in
// 200,000 points is drawn at its height in its pixel column; the live readout shows the value the
// log has at the pen's step, and its dot sits where the axes put that point; panels never overlap,
// at -ql or at -qk; what cannot be drawn is an error naming the block.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>

#include "tests/support/still_frame.h"
#include "toolkit/config/scene_script_reader.h"
#include "toolkit/core/error.h"
#include "viz/axes.h"
#include "viz/metric_curve.h"
#include "viz/renderer.h"
#include "viz/scenes/scene_player.h"
#include "viz/text.h"

namespace trajtool {
namespace {

using testing::close_to;
using testing::color_distance;
using testing::StillFrame;

namespace fs = std::filesystem;

constexpr std::size_t kPoints = 200000;
constexpr std::size_t kSpike = 123457;

// One log with `count` series: series 0 is 1 + a small wave with a spike of 10 at kSpike; the
// others are ramps.
SceneData log_data(std::size_t count = 1) {
  MetricData m;
  m.spec.csv_path = "log.csv";
  MetricLog& log = m.log;
  log.step_column = "_step";
  log.rows = static_cast<int64_t>(kPoints);
  for (std::size_t k = 0; k < count; ++k) {
    MetricSeriesSpec item;
    item.column = "metric/" + std::to_string(k);
    item.label = "Metric " + std::to_string(k);
    m.spec.series.push_back(item);
    MetricSeries s;
    s.column = item.column;
    s.item = static_cast<int64_t>(k);
    for (std::size_t i = 0; i < kPoints; ++i) {
      s.step.push_back(static_cast<double>(i));
      const double v = k == 0 ? 1 + 0.01 * std::sin(static_cast<double>(i) * 0.001)
                              : static_cast<double>(k) * static_cast<double>(i) / kPoints;
      s.value.push_back(v);
    }
    if (k == 0) s.value[kSpike] = 10;
    s.smoothed = s.value;
    log.series.push_back(s);
  }
  ExperimentData e;
  e.name = "log";
  e.source_path = "log.yaml";
  e.metrics.push_back(m);
  SceneData data;
  data.experiments.push_back(e);
  return data;
}

Timeline play(const std::string& blocks, const SceneData& data, const FrameGeometry& geo) {
  const std::string scene =
      "experiments: {main: log.yaml}\nsections:\n  - name: one\n    blocks:\n" + blocks;
  return play_scene(parse_scene_script(scene, "scenes/Metric.yaml"), data, geo);
}

template <class T>
const T* find_mobject(const Timeline& timeline) {
  for (const MobjectTrack& track : timeline.tracks()) {
    if (const auto* m = dynamic_cast<const T*>(track.mob.get())) return m;
  }
  return nullptr;
}

const Rgba kRed{1, 0.125, 0.125, 1};

TEST(MetricScenes, ASingleSampleSpikeIsDrawnAtItsHeightInItsColumn) {
  const SceneData data = log_data();
  const FrameGeometry geo;  // 1280 x 720
  const Timeline timeline = play(
      "      - metric_curves: {experiment: main, colors: ['#ff2020'], run_time: 2}\n"
      "      - wait: 2\n",
      data, geo);
  const Axes* axes = find_mobject<Axes>(timeline);
  ASSERT_NE(axes, nullptr);
  // The axes hold every value: the spike's 10 is inside the y range, 200,000 steps along x.
  EXPECT_GT(axes->domain().y_max, 10);
  EXPECT_LT(axes->domain().y_min, 1);
  EXPECT_EQ(axes->domain().x_max, kPoints - 1);
  const MetricCurve* curve = find_mobject<MetricCurve>(timeline);
  ASSERT_NE(curve, nullptr);
  const auto thinned = curve->thinned(geo);
  EXPECT_LT(thinned->line.size(), 4 * 1280u);  // thinned to the pixel columns
  double highest = INFINITY;                   // pixel y grows downwards
  for (const SeriesPoint& p : thinned->line) highest = std::min(highest, p.y);
  EXPECT_NEAR(highest, geo.to_px_y(axes->data_to_scene(0, 10).y), 1e-9);
  const StillFrame still(timeline, timeline.duration() - 1.0, geo);
  const Vec2 tip = axes->data_to_scene(static_cast<double>(kSpike), 10);
  const Vec2 base = axes->data_to_scene(static_cast<double>(kSpike), 1);
  const double x = geo.to_px_x(tip.x);
  // Along the spike's column, from just under its tip to just over the base line: the curve.
  int red = 0, rows = 0;
  for (double y = geo.to_px_y(tip.y) + 2; y < geo.to_px_y(base.y) - 3; y += 1) {
    ++rows;
    red += close_to(still.at(x, y), kRed, 0.25) ? 1 : 0;
  }
  EXPECT_GT(rows, 100);
  EXPECT_EQ(red, rows);
  // Above the tip, nothing; 20 pixels to either side at half height, nothing.
  EXPECT_FALSE(close_to(still.at(x, geo.to_px_y(tip.y) - 6), kRed, 0.4));
  const double half = (geo.to_px_y(tip.y) + geo.to_px_y(base.y)) / 2;
  EXPECT_FALSE(close_to(still.at(x - 20, half), kRed, 0.4));
  EXPECT_FALSE(close_to(still.at(x + 20, half), kRed, 0.4));
}

TEST(MetricScenes, TheReadoutShowsTheLoggedValueAtThePensStep) {
  const SceneData data = log_data(3);
  const FrameGeometry geo;
  const Timeline timeline =
      play("      - metric_curves: {experiment: main, run_time: 4}\n      - wait: 1\n", data, geo);
  const MetricReadouts* readouts = find_mobject<MetricReadouts>(timeline);
  const Axes* axes = find_mobject<Axes>(timeline);
  ASSERT_NE(readouts, nullptr);
  // Axes and legend take 1 s, then the curves 4 s, linearly: at 1 + 4 * 0.37 the pen is at 37%.
  const double t = 1 + 4 * 0.37;
  double reveal = -1;
  for (const MobjectTrack& track : timeline.tracks()) {
    if (track.mob.get() == readouts) reveal = track.state_at(t).reveal;
  }
  EXPECT_NEAR(reveal, 0.37, 1e-9);
  const double pen = 0.37 * (kPoints - 1);
  const auto expected = static_cast<std::size_t>(std::floor(pen));
  const MetricSeries& ramp = data.experiments[0].metrics[0].log.series[2];
  ASSERT_EQ(readouts->index_at(2, reveal), static_cast<long>(expected));
  char text[32];
  std::snprintf(text, sizeof text, "%.4g", ramp.value[expected]);
  EXPECT_EQ(readouts->value_text(2, static_cast<long>(expected)), text);
  // Its dot is drawn where the axes put that logged point.
  const Vec2 dot = readouts->dot_at(2, static_cast<long>(expected));
  const Vec2 point = axes->data_to_scene(ramp.step[expected], ramp.value[expected]);
  EXPECT_NEAR(dot.x, point.x, 1e-12);
  EXPECT_NEAR(dot.y, point.y, 1e-12);
  const StillFrame still(timeline, t, geo);
  const Rgba green = parse_hex_color("#f4d345");  // the palette's third colour
  EXPECT_TRUE(close_to(still.at(geo.to_px_x(dot.x), geo.to_px_y(dot.y)), green, 0.15));
}

TEST(MetricScenes, PanelsNeverOverlapAtAnyResolution) {
  for (const FrameGeometry& geo : {FrameGeometry{854, 480}, FrameGeometry{3840, 2160}}) {
    for (std::size_t count : {1u, 2u, 3u, 5u, 7u}) {
      const SceneData data = log_data(count);
      const Timeline timeline =
          play("      - title: Panels\n      - metric_panels: {experiment: main}\n", data, geo);
      std::vector<Box2> boxes;
      int axes = 0;
      for (const MobjectTrack& track : timeline.tracks()) {
        const bool is_axes = dynamic_cast<const Axes*>(track.mob.get()) != nullptr;
        if (is_axes || dynamic_cast<const Text*>(track.mob.get()) != nullptr) {
          boxes.push_back(track.mob->bounds(geo));
          axes += is_axes ? 1 : 0;
        }
      }
      EXPECT_EQ(axes, static_cast<int>(count));
      for (std::size_t i = 0; i < boxes.size(); ++i) {
        for (std::size_t j = i + 1; j < boxes.size(); ++j) {
          const Box2& a = boxes[i];
          const Box2& b = boxes[j];
          const bool apart =
              a.right <= b.left || b.right <= a.left || a.top <= b.bottom || b.top <= a.bottom;
          EXPECT_TRUE(apart) << count << " panels at " << geo.width_px << "x" << geo.height_px
                             << ": boxes " << i << " and " << j << " overlap";
        }
      }
    }
  }
}

TEST(MetricScenes, ARunsRecordedSeriesIsDrawnLikeALogs) {
  SceneData data = log_data();
  RunData run;
  run.spec.label = "Adam";
  Trajectory& t = run.trajectory;
  t.rows = 4;
  t.dim = 2;
  t.params = {0, 0, 1, 1, 2, 2, 3, 3};
  t.loss = {8, 4, 2, 1};
  t.grad = {3, 4, 0, 2, 6, 8};  // norms 5, 2, 10
  data.experiments[0].runs.push_back(run);
  const FrameGeometry geo;
  const Timeline timeline =
      play("      - metric_curves: {runs: [{experiment: main, run: Adam, value: grad_norm}]}\n",
           data, geo);
  const Axes* axes = find_mobject<Axes>(timeline);
  ASSERT_NE(axes, nullptr);
  // grad_norm from step 1 to 3, values 2 .. 10, widened by 5% of the range.
  EXPECT_EQ(axes->domain().x_min, 1);
  EXPECT_EQ(axes->domain().x_max, 3);
  EXPECT_DOUBLE_EQ(axes->domain().y_min, 2 - 0.4);
  EXPECT_DOUBLE_EQ(axes->domain().y_max, 10 + 0.4);
  const MetricReadouts* readouts = find_mobject<MetricReadouts>(timeline);
  ASSERT_NE(readouts, nullptr);
  EXPECT_EQ(readouts->value_text(0, readouts->index_at(0, 1.0)), "10");
  EXPECT_EQ(readouts->value_text(0, readouts->index_at(0, 0.0)), "5");
}

// `log_y: auto` draws a log axis for positive values spanning decades, a linear one otherwise (a
// value <= 0 is no error then): equal steps of y are equal distances on a linear axis, equal
// ratios on a log one.
TEST(MetricScenes, LogYAutoFollowsTheValues) {
  FrameGeometry geo;
  auto spacing = [&](const SceneData& data) {
    const Timeline timeline =
        play("      - metric_curves: {experiment: main, log_y: auto}\n", data, geo);
    const Axes* axes = find_mobject<Axes>(timeline);
    EXPECT_NE(axes, nullptr);
    const auto y = [&](double v) { return axes->data_to_scene(0, v).y; };
    // > 1: a linear axis (0.5 to 1 is farther than 0.05 to 0.1); 1: a log one.
    return (y(1) - y(0.5)) / (y(0.1) - y(0.05));
  };
  SceneData decades = log_data(1);
  for (std::size_t i = 0; i < 100; ++i)
    decades.experiments[0].metrics[0].log.series[0].value[i] = 1e-3;
  decades.experiments[0].metrics[0].log.series[0].smoothed =
      decades.experiments[0].metrics[0].log.series[0].value;
  EXPECT_NEAR(spacing(decades), 1.0, 1e-9);
  SceneData signed_values = decades;
  signed_values.experiments[0].metrics[0].log.series[0].value[7] = -1;
  signed_values.experiments[0].metrics[0].log.series[0].smoothed[7] = -1;
  EXPECT_NEAR(spacing(signed_values), 10.0, 1e-9);
  EXPECT_NEAR(spacing(log_data(1)), 10.0, 1e-9);  // one decade (1 to the spike of 10): linear
}

TEST(MetricScenes, WhatCannotBeDrawnNamesTheBlock) {
  const SceneData data = log_data();
  const FrameGeometry geo;
  auto error = [&](const std::string& blocks) {
    try {
      play(blocks, data, geo);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(error("      - metric_curves: {experiment: main, runs: [{experiment: main, run: Adam, "
                  "value: loss}]}\n")
                .find("scenes/Metric.yaml:5: sections[0].blocks[0].metric_curves: no run 'Adam'"),
            std::string::npos);
  EXPECT_NE(error("      - metric_curves: {experiment: mian}\n").find("no experiment 'mian'"),
            std::string::npos);
  SceneData with_run = log_data();
  RunData run;
  run.spec.label = "SGD";
  run.trajectory.rows = 1;
  run.trajectory.loss = {1};
  run.trajectory.params = {0, 0};
  with_run.experiments[0].runs.push_back(run);
  try {
    play("      - metric_curves: {runs: [{experiment: main, run: SGD, value: accuracy}]}\n",
         with_run, geo);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(
                  "run 'SGD' records no series 'accuracy' (it has: loss, grad_norm, x, y)"),
              std::string::npos)
        << e.what();
  }
  SceneData negative = log_data();
  negative.experiments[0].metrics[0].log.series[0].smoothed[5] = -1;
  try {
    play("      - metric_curves: {experiment: main, log_y: true}\n", negative, geo);
    FAIL() << "a log axis drew a negative value";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("values <= 0"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace trajtool
