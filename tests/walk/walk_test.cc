// Walks: the `walk:` key (defaults, every bad value named by file, line and key, nothing written),
// its cache key, the path sampled at constant speed, the nearest checkpoint, the torch-free
// forward pass on numbers computed by hand, and the entry's round trip and corruption. The numbers
// against Python torch: check_walks.py (ctest walk_reference).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "cache/cache_store.h"
#include "objectives/walk/compute_walk.h"
#include "objectives/walk/mlp_forward.h"
#include "toolkit/config/experiment_config.h"
#include "toolkit/core/error.h"
#include "toolkit/pipeline/cache_key.h"

namespace trajtool {
namespace {
namespace fs = std::filesystem;

const std::string kHead = R"(name: t
dataset: {name: moons, samples: 100, seed: 1}
model: {layers: [2, 8, 2], activation: relu}
steps: 10
runs:
  - {optimizer: sgd, lr: 0.1, label: SGD}
  - {optimizer: adam, lr: 0.01, label: Adam}
)";

const std::string kImages = R"(name: t
dataset: {name: fashion_mnist, limit: 100, flatten: true}
model: {layers: [784, 8, 10], activation: relu}
steps: 2
runs: [{optimizer: sgd, lr: 0.1, label: M}]
)";

std::string error_of(const std::string& yaml) {
  try {
    parse_experiment(yaml, "bad.yaml");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

// Fashion-MNIST comes from a Debian package; without it the image cases cannot be read.
bool have_fashion_mnist() { return error_of(kImages).find("fashion") == std::string::npos; }

TEST(WalkConfig, DefaultsAndTheIssueExample) {
  Experiment e = parse_experiment(kHead + "walk: {}\n", "a.yaml");
  ASSERT_TRUE(e.walk);
  EXPECT_EQ(e.walk->run, "SGD");
  EXPECT_EQ(e.walk->run_index, 0);
  EXPECT_EQ(e.walk->source, WalkSource::kPath);
  EXPECT_TRUE(e.walk->default_path);
  EXPECT_EQ(e.walk->points, 240);
  EXPECT_EQ(e.walk->milestones, (std::vector<double>{0, 0.1, 0.5, 1.0}));
  e = parse_experiment(
      kHead +
          "walk: {run: Adam, milestones: [0, 0.25, 1], path: {through: [[0, 0], [1, 2], [3, 1]], "
          "points: 31}}\n",
      "a.yaml");
  EXPECT_EQ(e.walk->run_index, 1);
  EXPECT_FALSE(e.walk->default_path);
  EXPECT_EQ(e.walk->through, (std::vector<double>{0, 0, 1, 2, 3, 1}));
  EXPECT_EQ(e.walk->points, 31);
  EXPECT_EQ(e.walk->milestones, (std::vector<double>{0, 0.25, 1}));
  if (!have_fashion_mnist()) GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  e = parse_experiment(kImages + "walk: {}\n", "a.yaml");
  EXPECT_EQ(e.walk->source, WalkSource::kImages);
  EXPECT_TRUE(e.walk->from_test);
  EXPECT_EQ(e.walk->indices.size(), 12u);
  e = parse_experiment(kImages + "walk: {images: {from: train, indices: [5, 2, 99]}}\n", "a.yaml");
  EXPECT_FALSE(e.walk->from_test);
  EXPECT_EQ(e.walk->indices, (std::vector<int64_t>{5, 2, 99}));
}

TEST(WalkConfig, BadValuesNameFileLineAndKey) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"walk: {run: RMSprop}\n",
       "bad.yaml:8: walk.run: no run 'RMSprop' in this experiment (its runs: SGD, Adam)"},
      {"walk: {milestone: [0, 1]}\n",
       "bad.yaml:8: walk.milestone: unknown key (known here: images, milestones, path, run)"},
      {"walk: {milestones: [0, 1.5]}\n",
       "bad.yaml:8: walk.milestones[1]: a fraction of training must be in [0, 1]"},
      {"walk: {milestones: [-0.1]}\n",
       "bad.yaml:8: walk.milestones[0]: a fraction of training must be in [0, 1]"},
      {"walk: {milestones: []}\n", "bad.yaml:8: walk.milestones: expected a list of 1 to 8"},
      {"walk: {path: {points: 1}}\n", "bad.yaml:8: walk.path.points: must be in 2 .. 20000"},
      {"walk: {path: {through: [[0, 0]]}}\n",
       "bad.yaml:8: walk.path.through: expected a list of 2 to 1000 points"},
      {"walk: {path: {through: [[0, 0], [1]]}}\n", "bad.yaml:8: walk.path.through[1]:"},
      {"walk: {path: {through: [[1, 1], [1, 1]]}}\n",
       "bad.yaml:8: walk.path.through: the points are all the same"},
      {"walk: {path: {via: [[0, 0], [1, 1]]}}\n", "bad.yaml:8: walk.path.via: unknown key"},
      {"walk: {images: {count: 3}}\n",
       "bad.yaml:8: walk.images: the data set moons is 2D points, not images: walk it with "
       "`path:`"},
      {"walk: [1, 2]\n", "bad.yaml:8: walk: expected"},
  };
  for (const auto& [yaml, expected] : cases) {
    const std::string message = error_of(kHead + yaml);
    EXPECT_NE(message.find(expected), std::string::npos) << yaml << " gave: " << message;
  }
  // Regression and data that is neither a plane nor images.
  EXPECT_NE(error_of("name: t\ndataset: {name: sine, samples: 50, seed: 1}\nmodel: {layers: [1, "
                     "4, 1]}\nsteps: 2\nruns: [{optimizer: sgd, lr: 0.1, label: S}]\nwalk: {}\n")
                .find("bad.yaml:6: walk.run: run 'S' fits a regression target (sine); walks show "
                      "class probabilities: classifiers only"),
            std::string::npos);
  if (!have_fashion_mnist()) GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  const std::vector<std::pair<std::string, std::string>> image_cases = {
      {"walk: {path: {points: 10}}\n",
       "bad.yaml:6: walk.path: the data set fashion_mnist is images, not a plane: walk it with "
       "`images:`"},
      {"walk: {images: {from: validation}}\n",
       "bad.yaml:6: walk.images.from: expected test or train (got 'validation')"},
      {"walk: {images: {indices: [0, -1]}}\n", "bad.yaml:6: walk.images.indices[1]: must be >= 0"},
      {"walk: {images: {from: train, indices: [100]}}\n",
       "bad.yaml:6: walk.images.indices[0]: the training set has 100 samples (0 to 99)"},
      {"walk: {images: {count: 0}}\n", "bad.yaml:6: walk.images.count: must be in 1 .. 1000"},
      {"walk: {images: {count: 2, indices: [1]}}\n",
       "bad.yaml:6: walk.images: give `indices` or `count`, not both"},
  };
  for (const auto& [yaml, expected] : image_cases) {
    const std::string message = error_of(kImages + yaml);
    EXPECT_NE(message.find(expected), std::string::npos) << yaml << " gave: " << message;
  }
  const std::string cnn = R"(name: t
dataset: {name: fashion_mnist, limit: 100, flatten: false}
model: {kind: cnn, channels: [4], hidden: [8]}
steps: 2
runs: [{optimizer: sgd, lr: 0.1, label: C}]
walk: {run: C}
)";
  const std::string message = error_of(cnn);
  EXPECT_NE(message.find("bad.yaml:6: walk.run: run 'C' is a cnn; walks are recorded for mlp "
                         "models only"),
            std::string::npos)
      << message;
}

// Runs `trajtool generate` on `yaml`; returns its output and whether it failed; the cache folder
// must stay absent.
std::string generate_fails(const std::string& yaml, const std::string& tag) {
  const fs::path dir =
      fs::temp_directory_path() / ("trajtool-walk-" + tag + "-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string config = (dir / "bad.yaml").string();
  std::ofstream(config) << yaml;
  const std::string cache = (dir / "cache").string();
  const std::string command = std::string(TRAJTOOL_EXE) + " generate --config " + config +
                              " --cache-dir " + cache + " > " + (dir / "out.txt").string() +
                              " 2>&1";
  const int status = std::system(command.c_str());
  EXPECT_NE(status, 0);
  std::ifstream out(dir / "out.txt");
  std::string text((std::istreambuf_iterator<char>(out)), std::istreambuf_iterator<char>());
  EXPECT_FALSE(fs::exists(cache)) << "an entry was written for a bad config: " << text;
  fs::remove_all(dir);
  return text;
}

TEST(WalkConfig, ABadKeyWritesNothing) {
  const std::string text = generate_fails(kHead + "walk: {milestones: [0, 2]}\n", "key");
  EXPECT_NE(text.find("bad.yaml:8: walk.milestones[1]: a fraction of training must be in [0, 1]"),
            std::string::npos)
      << text;
}

TEST(WalkConfig, ATestImageThatIsNotThereNamesTheKey) {
  if (!have_fashion_mnist()) GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  // The test set's size is known only once the data set is read: said at generate, with the
  // key's line; the run is trained first, but no walk entry is written.
  const fs::path dir =
      fs::temp_directory_path() / ("trajtool-walk-idx-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string config = (dir / "bad.yaml").string();
  std::ofstream(config) << kImages << "walk: {images: {indices: [3, 100]}}\n";
  const std::string cache = (dir / "cache").string();
  const std::string command = std::string(TRAJTOOL_EXE) + " generate --config " + config +
                              " --cache-dir " + cache + " > " + (dir / "out.txt").string() +
                              " 2>&1";
  EXPECT_NE(std::system(command.c_str()), 0);
  std::ifstream out(dir / "out.txt");
  const std::string text((std::istreambuf_iterator<char>(out)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("bad.yaml:6: walk.images.indices: the test set has 100 samples (0 to 99); "
                      "there is no sample 100"),
            std::string::npos)
      << text;
  EXPECT_FALSE(fs::exists(fs::path(cache) / "walks") && !fs::is_empty(fs::path(cache) / "walks"));
  fs::remove_all(dir);
}

TEST(WalkKeys, EveryInputChangesTheKey) {
  const std::string base = kHead + "walk: {run: Adam}\n";
  const std::string key = walk_identity(parse_experiment(base, "a.yaml")).key;
  for (const std::string& other :
       {std::string("walk: {run: SGD}\n"), std::string("walk: {run: Adam, milestones: [0, 1]}\n"),
        std::string("walk: {run: Adam, path: {points: 241}}\n"),
        std::string("walk: {run: Adam, path: {through: [[0, 0], [1, 1]]}}\n")}) {
    EXPECT_NE(walk_identity(parse_experiment(kHead + other, "a.yaml")).key, key) << other;
  }
  std::string changed = base;
  changed.replace(changed.find("lr: 0.01"), 8, "lr: 0.02");  // Adam's checkpoints change
  EXPECT_NE(walk_identity(parse_experiment(changed, "a.yaml")).key, key);
  changed = base;
  changed.replace(changed.find("lr: 0.1"), 7, "lr: 0.2");  // SGD's do not matter
  EXPECT_EQ(walk_identity(parse_experiment(changed, "a.yaml")).key, key);
  EXPECT_EQ(walk_identity(parse_experiment(base, "b.yaml")).key, key);  // not the path
}

TEST(WalkPath, PointsAreEvenlySpacedAlongThePolyline) {
  // An L of lengths 3 and 1: 5 points, 1 apart; the corner (3, 0) is the 4th.
  const std::vector<double> p = sample_polyline({0, 0, 3, 0, 3, 1}, 5);
  const std::vector<double> want{0, 0, 1, 0, 2, 0, 3, 0, 3, 1};
  ASSERT_EQ(p.size(), want.size());
  for (std::size_t i = 0; i < p.size(); ++i) EXPECT_NEAR(p[i], want[i], 1e-12) << i;
  // The default loop: closed, inside the grid, through its centre's left and right.
  const std::vector<double> loop = default_walk_path({-2, 2, -1, 3});
  ASSERT_EQ(loop.size(), 130u);
  EXPECT_NEAR(loop[0], -2 + 0.6, 1e-12);  // leftmost point: centre 0 - 0.35 x 4
  EXPECT_NEAR(loop[1], 1, 1e-12);
  EXPECT_EQ(loop[128], loop[0]);
  EXPECT_EQ(loop[129], loop[1]);
  EXPECT_LT(loop[2 * 16 + 1], 1);  // a quarter on: the bottom (counter-clockwise from the left)
}

TEST(WalkMilestones, TheNearestCheckpointIsUsed) {
  TrainingRecord r;
  r.steps = 100;
  for (int64_t s : {0, 30, 60, 90, 100}) r.checkpoints.push_back({s, {}, {}, {}, {}});
  EXPECT_EQ(nearest_checkpoint(r, 0), 0u);
  EXPECT_EQ(nearest_checkpoint(r, 0.1), 0u);   // 10: 0 is nearer than 30
  EXPECT_EQ(nearest_checkpoint(r, 0.15), 0u);  // 15: a tie goes to the earlier
  EXPECT_EQ(nearest_checkpoint(r, 0.5), 2u);   // 50: 60
  EXPECT_EQ(nearest_checkpoint(r, 0.96), 4u);  // 96: 100
}

TEST(WalkForward, EveryModuleAsComputedByHand) {
  // 2 -> 2 (tanh) -> Dropout -> 1, two inputs.
  const std::vector<NamedTensor> w = {{"0.weight", {2, 2}, {1, -1, 0.5, 2}},
                                      {"0.bias", {2}, {0, 1}},
                                      {"3.weight", {1, 2}, {2, -3}},
                                      {"3.bias", {1}, {0.25}}};
  const std::vector<NamedTensor> out =
      mlp_forward({"0", "1", "2", "3"}, {"Linear", "Tanh", "Dropout", "Linear"}, w, {1, 2, -1, 0.5},
                  2, 2, true);
  ASSERT_EQ(out.size(), 4u);
  const std::vector<double> z{-1, 5.5, -1.5, 1.5};  // W x + b for both points
  EXPECT_EQ(out[0].values, z);
  EXPECT_EQ(out[0].shape, (std::vector<int64_t>{2, 2}));
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_DOUBLE_EQ(out[1].values[i], std::tanh(z[i]));
    EXPECT_EQ(out[2].values[i], out[1].values[i]);  // dropout: the identity in eval
  }
  EXPECT_DOUBLE_EQ(out[3].values[0], 2 * std::tanh(-1.0) - 3 * std::tanh(5.5) + 0.25);
  EXPECT_DOUBLE_EQ(out[3].values[1], 2 * std::tanh(-1.5) - 3 * std::tanh(1.5) + 0.25);
  // float32: the values are floats.
  const std::vector<NamedTensor> f =
      mlp_forward({"0", "1"}, {"Linear", "GELU"}, w, {0.1, 0.2}, 1, 2, false);
  const auto g = static_cast<float>(-0.1);
  EXPECT_EQ(f[0].values[0], static_cast<double>(g));
  EXPECT_NEAR(f[1].values[0], 0.5 * -0.1 * (1 + std::erf(-0.1 / std::sqrt(2.0))), 1e-8);
  EXPECT_THROW(mlp_forward({"0"}, {"Conv2d"}, w, {1, 2}, 1, 2, true), InputError);
  EXPECT_THROW(mlp_forward({"0"}, {"Linear"}, w, {1, 2, 3}, 1, 3, true), InputError);
}

TEST(WalkEntries, RoundTripAndCorruption) {
  const fs::path dir =
      fs::temp_directory_path() / ("trajtool-walk-entry-" + std::to_string(::getpid()));
  CacheStore store(dir.string());
  WalkRecord r;
  r.run = "Adam";
  r.source = "path";
  r.waypoints = {0, 0, 1, 1};
  r.layer_names = {"0", "1"};
  r.layer_kinds = {"Linear", "ReLU"};
  r.class_names = {"class 0", "class 1"};
  r.feature_names = {"x1", "x2"};
  r.sample_shape = {2};
  r.boundary_grid = {-1, 1, -2, 2};
  r.boundary_nx = 2;
  r.boundary_ny = 1;
  WalkMilestone m;
  m.fraction = 0.5;
  m.step = 30;
  m.walk.points = 2;
  m.walk.features = 2;
  m.walk.classes = 2;
  m.walk.input = {0, 0, 1, 1};
  m.walk.activations = {{"0", {2, 2}, {0.5, -0.5, 1, 2}}, {"1", {2, 2}, {0.5, 0, 1, 2}}};
  m.walk.class_probs = {0.25, 0.75, 0.5, 0.5};
  m.walk.predicted = {1, 0};
  m.boundary = {0.1, 0.9, 0.6, 0.4};
  r.milestones = {m, m};
  r.milestones[1].step = 60;
  r.milestones[1].fraction = 1;
  EntryMeta meta;
  meta.key = std::string(64, 'c');
  store.write_walk(meta, r);
  const std::optional<WalkRecord> back = store.read_walk(meta.key);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->milestones.size(), 2u);
  EXPECT_EQ(back->milestones[1].step, 60);
  EXPECT_EQ(back->milestones[0].walk.activations[1].values, (std::vector<double>{0.5, 0, 1, 2}));
  EXPECT_EQ(back->milestones[0].walk.class_probs, m.walk.class_probs);
  EXPECT_EQ(back->milestones[0].boundary, m.boundary);
  EXPECT_EQ(back->class_names, r.class_names);
  EXPECT_EQ(back->boundary_grid.y_max, 2);
  store.verify(EntryKind::kWalk, meta.key);
  const std::string path = store.entry_path(EntryKind::kWalk, meta.key);
  EXPECT_NE(path.find("/walks/"), std::string::npos);
  fs::resize_file(path, fs::file_size(path) / 2);
  EXPECT_THROW(store.read_walk(meta.key), CorruptEntry);
  // A writer's inconsistent record is refused, and nothing is left behind.
  fs::remove(path);
  r.milestones[1].walk.predicted = {1};
  EXPECT_THROW(store.write_walk(meta, r), RuntimeFailure);
  EXPECT_FALSE(fs::exists(path));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace trajtool
