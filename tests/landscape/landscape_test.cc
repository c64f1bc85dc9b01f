// Loss landscapes: the `landscape:` and `interpolation:` keys (defaults, every bad value named by
// file, line and key, nothing written), their cache keys, the entries' round trip and corruption,
// the least-squares projection on non-orthogonal directions, filter normalization, and the
// AVX-512 kernel against the generic one. The numbers against Python torch and numpy:
// check_landscapes.py (ctest landscape_reference).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>

#include "cache/cache_store.h"
#include "objectives/landscape/mlp_plane.h"
#include "objectives/landscape/mlp_plane_kernel.h"
#include "objectives/landscape/plane_directions.h"
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

std::string error_of(const std::string& yaml) {
  try {
    parse_experiment(yaml, "bad.yaml");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(LandscapeConfig, DefaultsAndTheIssueExample) {
  Experiment e = parse_experiment(kHead + "landscape: {}\n", "a.yaml");
  ASSERT_TRUE(e.landscape);
  EXPECT_EQ(e.landscape->run, "SGD");
  EXPECT_EQ(e.landscape->run_index, 0);
  EXPECT_EQ(e.landscape->center, WeightsAt::kFinal);
  EXPECT_EQ(e.landscape->directions, DirectionKind::kRandom);
  EXPECT_TRUE(e.landscape->ignore_biasbn);
  EXPECT_FALSE(e.landscape->range_auto);
  EXPECT_EQ(e.landscape->range.x_min, -1);
  EXPECT_EQ(e.landscape->nx, 51);
  EXPECT_EQ(e.landscape->seed, 123u);
  EXPECT_FALSE(e.interpolation);
  e = parse_experiment(kHead + R"(landscape:
  center: final
  run: Adam
  directions: pca
  ignore: biasbn
  range: [[-1, 2], [-3, 1]]
  n: [41, 31]
  on: test
  seed: 9
interpolation: {from: init, to: final, run: Adam, n: 101, range: [-0.5, 1.5]}
)",
                       "a.yaml");
  EXPECT_EQ(e.landscape->run_index, 1);
  EXPECT_EQ(e.landscape->directions, DirectionKind::kPca);
  EXPECT_FALSE(e.landscape->range_auto);  // given explicitly
  EXPECT_EQ(e.landscape->range.x_max, 2);
  EXPECT_EQ(e.landscape->range.y_min, -3);
  EXPECT_EQ(e.landscape->nx, 41);
  EXPECT_EQ(e.landscape->ny, 31);
  EXPECT_TRUE(e.landscape->on_test);
  EXPECT_EQ(e.landscape->seed, 9u);
  ASSERT_TRUE(e.interpolation);
  EXPECT_EQ(e.interpolation->run_index, 1);
  EXPECT_EQ(e.interpolation->n, 101);
  EXPECT_EQ(e.interpolation->alpha_min, -0.5);
  // pca without a range: the extent of the projected checkpoints.
  e = parse_experiment(kHead + "landscape: {directions: pca}\n", "a.yaml");
  EXPECT_TRUE(e.landscape->range_auto);
}

TEST(LandscapeConfig, BadValuesNameFileLineAndKey) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"landscape: {centre: final}\n",
       "bad.yaml:8: landscape.centre: unknown key (known here: center, directions"},
      {"landscape: {run: RMSprop}\n",
       "bad.yaml:8: landscape.run: no run 'RMSprop' in this experiment (its runs: SGD, Adam)"},
      {"landscape: {directions: hessian}\n",
       "bad.yaml:8: landscape.directions: expected random or pca (got 'hessian')"},
      {"landscape: {center: best}\n", "bad.yaml:8: landscape.center: expected init or final"},
      {"landscape: {ignore: bn}\n", "bad.yaml:8: landscape.ignore: expected biasbn or none"},
      {"landscape: {range: [[1, -1], [-1, 1]]}\n",
       "bad.yaml:8: landscape.range[0]: expected [low, high] with low < high"},
      {"landscape: {n: [51, 1]}\n", "bad.yaml:8: landscape.n[1]: must be in 2 .. 1001 (got 1)"},
      {"landscape: {on: validation}\n", "bad.yaml:8: landscape.on: expected train or test"},
      {"landscape: {seed: -1}\n", "bad.yaml:8: landscape.seed: must be >= 0"},
      {"landscape: [1, 2]\n", "bad.yaml:8: landscape: expected"},
      {"interpolation: {from: init, to: init}\n",
       "bad.yaml:8: interpolation: `from` and `to` are the same weights"},
      {"interpolation: {n: 1}\n", "bad.yaml:8: interpolation.n: must be in 2 .. 100001"},
      {"interpolation: {range: [1, 0]}\n",
       "bad.yaml:8: interpolation.range: expected [low, high] with low < high"},
      {"interpolation: {alpha: 3}\n",
       "bad.yaml:8: interpolation.alpha: unknown key (known here: from, n, on"},
  };
  for (const auto& [yaml, expected] : cases) {
    const std::string message = error_of(kHead + yaml);
    EXPECT_NE(message.find(expected), std::string::npos) << yaml << " gave: " << message;
  }
  // A CNN cannot be batched by the plane's kernel: said at the run's key.
  const std::string cnn = R"(name: t
dataset: {name: fashion_mnist, limit: 100, flatten: false}
model: {kind: cnn, channels: [4], hidden: [8]}
steps: 2
runs: [{optimizer: sgd, lr: 0.1, label: C}]
landscape: {run: C}
)";
  const std::string message = error_of(cnn);
  if (message.find("fashion") == std::string::npos) {  // the data set is installed
    EXPECT_NE(message.find("bad.yaml:6: landscape.run: run 'C' is a cnn; loss landscapes are "
                           "computed for mlp models only"),
              std::string::npos)
        << message;
  }
}

TEST(LandscapeConfig, ABadKeyWritesNothing) {
  const fs::path dir =
      fs::temp_directory_path() / ("trajtool-landscape-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string config = (dir / "bad.yaml").string();
  std::ofstream(config) << kHead << "landscape: {n: [0, 5]}\n";
  const std::string cache = (dir / "cache").string();
  const std::string command = std::string(TRAJTOOL_EXE) + " generate --config " + config +
                              " --cache-dir " + cache + " > " + (dir / "out.txt").string() +
                              " 2>&1";
  const int status = std::system(command.c_str());
  EXPECT_NE(status, 0);
  std::ifstream out(dir / "out.txt");
  const std::string text((std::istreambuf_iterator<char>(out)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("bad.yaml:8: landscape.n[0]: must be in 2 .. 1001 (got 0)"),
            std::string::npos)
      << text;
  EXPECT_FALSE(fs::exists(cache)) << "an entry was written for a bad config";
  fs::remove_all(dir);
}

TEST(LandscapeKeys, EveryInputChangesTheKey) {
  const std::string base = kHead + "landscape: {run: Adam}\ninterpolation: {run: Adam}\n";
  const Experiment e = parse_experiment(base, "a.yaml");
  const std::string key = landscape_identity(e).key;
  const std::string ikey = interpolation_identity(e).key;
  for (const std::string& other :
       {std::string("landscape: {run: Adam, seed: 124}\n"), std::string("landscape: {run: SGD}\n"),
        std::string("landscape: {run: Adam, center: init}\n"),
        std::string("landscape: {run: Adam, directions: pca}\n"),
        std::string("landscape: {run: Adam, ignore: none}\n"),
        std::string("landscape: {run: Adam, range: [[-1, 1], [-1, 2]]}\n"),
        std::string("landscape: {run: Adam, n: [51, 50]}\n"),
        std::string("landscape: {run: Adam, on: test}\n")}) {
    EXPECT_NE(landscape_identity(parse_experiment(kHead + other, "a.yaml")).key, key) << other;
  }
  // The runs' checkpoints are inputs: another lr of any run is another landscape.
  std::string changed = base;
  changed.replace(changed.find("lr: 0.1"), 7, "lr: 0.2");
  EXPECT_NE(landscape_identity(parse_experiment(changed, "a.yaml")).key, key);
  EXPECT_EQ(interpolation_identity(parse_experiment(changed, "a.yaml")).key, ikey);  // SGD's lr
  for (const std::string& other :
       {std::string("interpolation: {run: Adam, n: 100}\n"),
        std::string("interpolation: {run: Adam, from: final, to: init}\n"),
        std::string("interpolation: {run: Adam, range: [0, 1]}\n"),
        std::string("interpolation: {run: Adam, on: test}\n")}) {
    EXPECT_NE(interpolation_identity(parse_experiment(kHead + other, "a.yaml")).key, ikey) << other;
  }
  EXPECT_EQ(landscape_identity(parse_experiment(base, "b.yaml")).key, key);  // not the path
}

TEST(PlaneAlgebra, ProjectionIsRightForDirectionsThatAreNotOrthogonal) {
  const std::vector<double> dx{1, 0, 0, 2}, dy{1, 1, 0, 1};  // dx . dy = 3: far from orthogonal
  std::vector<double> v(4);
  for (int i = 0; i < 4; ++i) v[i] = 2 * dx[i] - 3 * dy[i];
  const PlaneCoordinates in = project_onto_plane(v, dx, dy);
  EXPECT_NEAR(in.x, 2, 1e-14);
  EXPECT_NEAR(in.y, -3, 1e-14);
  EXPECT_NEAR(in.residual, 0, 1e-14);
  // The naive per-direction projection (v . d / |d|^2, what assumes orthogonality) is wrong here.
  EXPECT_GT(std::fabs((v[0] * dx[0] + v[3] * dx[3]) / 5.0 - 2), 0.5);
  v[2] = 5;  // off the plane: the residual is its share of the distance
  const PlaneCoordinates off = project_onto_plane(v, dx, dy);
  EXPECT_NEAR(off.x, 2, 1e-14);
  EXPECT_NEAR(off.residual, 5 / std::sqrt(5 * 5 + 1 + 9 + 1), 1e-12);
  EXPECT_THROW(project_onto_plane(v, dx, dx), RuntimeFailure);
}

TEST(PlaneAlgebra, RandomDirectionsAreFilterNormalizedAndSeeded) {
  std::vector<NamedTensor> center = {{"0.weight", {3, 2}, {1, 2, 0, 3, -4, 0.5}},
                                     {"0.bias", {3}, {0.1, 0.2, 0.3}},
                                     {"2.weight", {1, 3}, {2, 2, 1}}};
  std::mt19937_64 rng(5);
  const std::vector<NamedTensor> d = random_direction(center, rng, true);
  for (std::size_t t : {0u, 2u}) {
    const std::size_t rows = static_cast<std::size_t>(center[t].shape[0]);
    const std::size_t per = center[t].values.size() / rows;
    for (std::size_t f = 0; f < rows; ++f) {
      double dn = 0, cn = 0;
      for (std::size_t i = f * per; i < (f + 1) * per; ++i) {
        dn += d[t].values[i] * d[t].values[i];
        cn += center[t].values[i] * center[t].values[i];
      }
      EXPECT_NEAR(std::sqrt(dn), std::sqrt(cn), 1e-9) << center[t].name << " filter " << f;
    }
  }
  EXPECT_EQ(d[1].values, std::vector<double>(3, 0.0));  // ignore biasbn
  std::mt19937_64 again(5);
  EXPECT_EQ(random_direction(center, again, true)[0].values, d[0].values);  // seeded
  std::mt19937_64 none(5);
  EXPECT_EQ(random_direction(center, none, false)[1].values, center[1].values);
}

TEST(PlaneKernels, TheAvx512KernelAgreesWithTheGenericOne) {
  __builtin_cpu_init();
  if (!__builtin_cpu_supports("avx512f") || !__builtin_cpu_supports("fma")) {
    GTEST_SKIP() << "no AVX-512 here";
  }
  PlaneModel model;
  model.widths = {2, 16, 16, 3};
  model.activations = {"relu", "tanh"};
  model.classes = 3;
  PlaneSamples samples;
  samples.count = 50;
  std::mt19937_64 rng(1);
  std::normal_distribution<double> normal;
  for (int i = 0; i < 100; ++i) samples.x.push_back(normal(rng));
  for (int i = 0; i < 50; ++i) samples.y.push_back(i % 3);
  PlaneWeights w;
  for (int64_t i = 0; i < plane_weight_count(model); ++i) {
    w.center.push_back(static_cast<float>(normal(rng) * 0.5));
    w.dx.push_back(static_cast<float>(normal(rng) * 0.1));
    w.dy.push_back(static_cast<float>(normal(rng) * 0.1));
  }
  std::vector<double> a, b;
  for (int i = 0; i < 37; ++i) {
    a.push_back(-1 + i / 18.0);
    b.push_back(1 - i / 36.0);
  }
  std::vector<double> l1(37), a1(37), l2(37), a2(37);
  std::atomic<int64_t> done{0};
  plane_generic::evaluate_range(model, samples, w, a.data(), b.data(), 0, 37, l1.data(), a1.data(),
                                &done);
  plane_avx512::evaluate_range(model, samples, w, a.data(), b.data(), 0, 37, l2.data(), a2.data(),
                               &done);
  EXPECT_EQ(done.load(), 74);
  for (int i = 0; i < 37; ++i) EXPECT_NEAR(l1[i], l2[i], 1e-5 * std::max(1.0, l1[i])) << i;
  // The public entry is deterministic whatever the threads.
  const PlaneValues once = evaluate_plane(model, samples, w, a, b);
  EXPECT_EQ(evaluate_plane(model, samples, w, a, b).loss, once.loss);
}

TEST(LandscapeEntries, RoundTripAndCorruption) {
  const fs::path dir =
      fs::temp_directory_path() / ("trajtool-landscape-entry-" + std::to_string(::getpid()));
  CacheStore store(dir.string());
  LandscapeRecord r;
  r.x = {-1, 0, 1};
  r.y = {-1, 1};
  r.loss = {-1, 1, -1, 1, 3, 2, {1, 2, 3, 4, 5, INFINITY}};
  r.accuracy = {0.5, 0.5, 0.6, 0.7, 0.8, 0.9};
  r.center = {{"0.weight", {1, 2}, {1, 2}}, {"0.bias", {1}, {3}}};
  r.direction_x = {{"0.weight", {1, 2}, {0.5, 0.5}}, {"0.bias", {1}, {0}}};
  r.direction_y = {{"0.weight", {1, 2}, {-0.5, 0.5}}, {"0.bias", {1}, {0}}};
  r.explained_variance = {0.8, 0.15};
  r.projected = {{"A/B", {0, 10}, {1, 2, 0, 0}, {0.3, 0.1}, {0.4, 0.1}, {0.2, NAN}}};
  r.directions = "pca";
  r.center_run = "A/B";
  r.center_at = "final";
  r.data = "train";
  r.samples = 7;
  r.center_loss = 0.1;
  EntryMeta meta;
  meta.key = std::string(64, 'b');
  store.write_landscape(meta, r);
  const std::optional<LandscapeRecord> back = store.read_landscape(meta.key);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->loss.values[4], 5);
  EXPECT_TRUE(std::isinf(back->loss.values[5]));
  EXPECT_EQ(back->loss.nx, 3);
  EXPECT_EQ(back->center[1].values, std::vector<double>{3});
  EXPECT_EQ(back->projected[0].label, "A/B");
  EXPECT_EQ(back->projected[0].step, (std::vector<int64_t>{0, 10}));
  EXPECT_EQ(back->projected[0].xy, (std::vector<double>{1, 2, 0, 0}));
  EXPECT_EQ(back->explained_variance, (std::vector<double>{0.8, 0.15}));
  store.verify(EntryKind::kLandscape, meta.key);
  // A truncated file is corrupt, never data.
  const std::string path = store.entry_path(EntryKind::kLandscape, meta.key);
  fs::resize_file(path, fs::file_size(path) / 2);
  EXPECT_THROW(store.read_landscape(meta.key), CorruptEntry);

  InterpolationRecord ip{
      {0, 0.5, 1}, {1, 0.5, 0.2}, {0.5, 0.7, 0.9}, "A", "init", "final", "train", 7, 0};
  store.write_interpolation(meta, ip);
  const std::optional<InterpolationRecord> iback = store.read_interpolation(meta.key);
  ASSERT_TRUE(iback);
  EXPECT_EQ(iback->loss, ip.loss);
  EXPECT_EQ(iback->to, "final");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace trajtool
