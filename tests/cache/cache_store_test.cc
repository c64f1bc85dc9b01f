// Round trips of every entry kind, listing, removal, atomic and concurrent writes.
#include "cache/cache_store.h"

#include <gtest/gtest.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <limits>

#include "tests/cache/test_support.h"

namespace trajtool {
namespace {

namespace fs = std::filesystem;
using testing::bit_equal;
using testing::make_dataset_record;
using testing::make_meta;
using testing::make_training_record;
using testing::make_trajectory;
using testing::TempDir;

void expect_same_meta(const EntryMeta& a, const EntryMeta& b) {
  EXPECT_EQ(a.key, b.key);
  EXPECT_EQ(a.config_json, b.config_json);
  EXPECT_EQ(a.label, b.label);
  EXPECT_EQ(a.torch_version, b.torch_version);
  EXPECT_EQ(a.created_utc, b.created_utc);
  EXPECT_EQ(a.wall_seconds, b.wall_seconds);
}

TEST(CacheStore, SingleRunRoundTripFloat32IsBitExact) {
  TempDir dir;
  CacheStore store(dir.path());
  const Trajectory t = make_trajectory(0, 101, 2, true, 1);
  store.write_trajectory(make_meta("k32"), t, false);
  EXPECT_TRUE(store.contains(EntryKind::kTrajectory, "k32"));
  EntryMeta meta;
  const std::optional<Trajectory> back = store.read_trajectory("k32", &meta);
  ASSERT_TRUE(back.has_value());
  testing::expect_same_trajectory(t, *back);
  expect_same_meta(make_meta("k32"), meta);
  EXPECT_EQ(meta.schema_version, kCacheSchemaVersion);
  EXPECT_EQ(meta.trajtool_version, TRAJTOOL_VERSION);
  EXPECT_EQ(back->state[1].step_shape, std::vector<int64_t>{});
}

TEST(CacheStore, SingleRunRoundTripFloat64IsBitExact) {
  TempDir dir;
  CacheStore store(dir.path());
  const Trajectory t = make_trajectory(0, 51, 1, false, 2);
  store.write_trajectory(make_meta("k64"), t, true);
  testing::expect_same_trajectory(t, *store.read_trajectory("k64"));
}

TEST(CacheStore, Float32StorageRoundsFloat64Values) {
  TempDir dir;
  CacheStore store(dir.path());
  Trajectory t = make_trajectory(0, 3, 2, true, 3);
  t.params[0] = 0.1;  // not representable in float32
  store.write_trajectory(make_meta("k"), t, false);
  EXPECT_EQ(store.read_trajectory("k")->params[0], static_cast<double>(0.1f));
}

TEST(CacheStore, SweepRoundTripWithDivergedPoints) {
  for (bool float64 : {false, true}) {
    TempDir dir;
    CacheStore store(dir.path());
    Trajectory t = make_trajectory(5, 21, 2, !float64, 4);
    const double nan = std::numeric_limits<double>::quiet_NaN();
    // Point 3 diverged at row 7: every later row is NaN.
    for (int64_t r = 7; r < t.rows; ++r) {
      t.loss[3 * 21 + r] = nan;
      t.params[(3 * 21 + r) * 2] = t.params[(3 * 21 + r) * 2 + 1] = nan;
    }
    t.loss[2 * 21 + 4] = std::numeric_limits<double>::infinity();
    t.diverged_at_each = {-1, -1, 4, 7, -1};
    store.write_trajectory(make_meta("sweep"), t, float64);
    const Trajectory back = *store.read_trajectory("sweep");
    testing::expect_same_trajectory(t, back);
    EXPECT_TRUE(std::isnan(back.loss[3 * 21 + 20]));
  }
}

TEST(CacheStore, DivergedSingleRunKeepsTruncatedRows) {
  TempDir dir;
  CacheStore store(dir.path());
  Trajectory t = make_trajectory(0, 8, 2, true, 5);  // a 100-step run that diverged at row 7
  t.diverged_at = 7;
  t.loss[7] = std::numeric_limits<double>::infinity();
  store.write_trajectory(make_meta("div"), t, false);
  const Trajectory back = *store.read_trajectory("div");
  testing::expect_same_trajectory(t, back);
  EXPECT_EQ(back.rows, 8);
  EXPECT_EQ(back.grad.size(), 14u);
}

TEST(CacheStore, RejectsInconsistentRecordAndWritesNothing) {
  TempDir dir;
  CacheStore store(dir.path());
  Trajectory t = make_trajectory(0, 10, 2, true, 6);
  t.grad.pop_back();
  EXPECT_THROW(store.write_trajectory(make_meta("bad"), t, false), RuntimeFailure);
  EXPECT_THROW(
      store.write_trajectory(make_meta("../escape"), make_trajectory(0, 2, 2, true, 6), false),
      InputError);
  EXPECT_FALSE(store.contains(EntryKind::kTrajectory, "bad"));
  EXPECT_TRUE(store.list().empty());
}

TEST(CacheStore, MissingEntryReadsAsNothing) {
  TempDir dir;
  CacheStore store(dir.path());
  EXPECT_FALSE(store.read_trajectory("absent").has_value());
  EXPECT_FALSE(store.read_grid("absent").has_value());
  EXPECT_FALSE(store.read_training("absent").has_value());
  EXPECT_FALSE(store.read_dataset("absent").has_value());
  EXPECT_FALSE(store.read_series("absent").has_value());
  EXPECT_THROW(store.verify(EntryKind::kGrid, "absent"), RuntimeFailure);
}

TEST(CacheStore, GridRoundTrip) {
  TempDir dir;
  CacheStore store(dir.path());
  LossGrid g;
  g.x_min = -2;
  g.x_max = 2;
  g.y_min = -1;
  g.y_max = 3;
  g.nx = 7;
  g.ny = 5;
  for (int64_t j = 0; j < g.ny; ++j) {
    for (int64_t i = 0; i < g.nx; ++i) g.values.push_back(std::sqrt(1.0 + double(i * j)) / 3.0);
  }
  g.values[12] = std::numeric_limits<double>::infinity();
  store.write_grid(make_meta("grid"), g);
  EntryMeta meta;
  const LossGrid back = *store.read_grid("grid", &meta);
  EXPECT_EQ(back.x_min, -2);
  EXPECT_EQ(back.x_max, 2);
  EXPECT_EQ(back.y_min, -1);
  EXPECT_EQ(back.y_max, 3);
  EXPECT_EQ(back.nx, 7);
  EXPECT_EQ(back.ny, 5);
  EXPECT_TRUE(bit_equal(back.values, g.values));
  expect_same_meta(make_meta("grid"), meta);
  EXPECT_NO_THROW(store.verify(EntryKind::kGrid, "grid"));
}

void expect_same_tensors(const std::vector<NamedTensor>& a, const std::vector<NamedTensor>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].name, b[i].name);
    EXPECT_EQ(a[i].shape, b[i].shape);
    EXPECT_TRUE(bit_equal(a[i].values, b[i].values)) << a[i].name;
  }
}

TEST(CacheStore, TrainingRoundTripIsBitExactInBothDtypes) {
  for (DType dtype : {DType::kFloat32, DType::kFloat64}) {
    TempDir dir;
    CacheStore store(dir.path());
    const TrainingRecord r = make_training_record(5, dtype, 1);
    EntryMeta meta = make_meta("model");
    meta.wall_seconds = 0;  // the record's own time is used then
    store.write_training(meta, r);
    EntryMeta read_meta;
    const TrainingRecord back = *store.read_training("model", &read_meta);
    EXPECT_EQ(back.dtype, dtype);
    EXPECT_EQ(back.rows, 5);
    EXPECT_EQ(back.diverged_at, -1);
    EXPECT_EQ(back.dataset_key, "d1");
    EXPECT_EQ(back.param_count, 17);
    EXPECT_TRUE(bit_equal(back.train_loss, r.train_loss));
    EXPECT_TRUE(bit_equal(back.lr, r.lr));
    ASSERT_EQ(back.parameters.size(), 4u);
    for (size_t i = 0; i < 4; ++i) {
      EXPECT_EQ(back.parameters[i].name, r.parameters[i].name);
      EXPECT_EQ(back.parameters[i].shape, r.parameters[i].shape);
      EXPECT_TRUE(bit_equal(back.parameters[i].grad_norm, r.parameters[i].grad_norm));
      EXPECT_TRUE(bit_equal(back.parameters[i].weight_norm, r.parameters[i].weight_norm));
      EXPECT_TRUE(bit_equal(back.parameters[i].update_ratio, r.parameters[i].update_ratio));
    }
    EXPECT_EQ(back.eval.step, r.eval.step);
    EXPECT_TRUE(bit_equal(back.eval.test_accuracy, r.eval.test_accuracy));
    EXPECT_TRUE(bit_equal(back.eval.test_loss, r.eval.test_loss));
    EXPECT_EQ(back.layer_kinds, r.layer_kinds);
    EXPECT_EQ(back.activation_samples, r.activation_samples);
    EXPECT_EQ(back.boundary_nx, 4);
    EXPECT_EQ(back.boundary_grid.y_max, 2);
    ASSERT_EQ(back.checkpoints.size(), 2u);
    for (size_t c = 0; c < 2; ++c) {
      EXPECT_EQ(back.checkpoints[c].step, r.checkpoints[c].step);
      expect_same_tensors(back.checkpoints[c].weights, r.checkpoints[c].weights);
      expect_same_tensors(back.checkpoints[c].activations, r.checkpoints[c].activations);
      EXPECT_TRUE(bit_equal(back.checkpoints[c].boundary, r.checkpoints[c].boundary));
      ASSERT_EQ(back.checkpoints[c].optimizer_state.size(),
                r.checkpoints[c].optimizer_state.size());
      for (size_t k = 0; k < r.checkpoints[c].optimizer_state.size(); ++k) {
        const OptimizerStateTensor& a = back.checkpoints[c].optimizer_state[k];
        const OptimizerStateTensor& b = r.checkpoints[c].optimizer_state[k];
        EXPECT_EQ(a.param_index, b.param_index);
        EXPECT_EQ(a.param_name, b.param_name);
        expect_same_tensors({a.tensor}, {b.tensor});
      }
    }
    EXPECT_EQ(read_meta.wall_seconds, 0.75);
    EXPECT_NO_THROW(store.verify(EntryKind::kModel, "model"));
  }
}

TEST(CacheStore, DatasetRoundTrip) {
  TempDir dir;
  CacheStore store(dir.path());
  const DatasetRecord d = make_dataset_record(2);
  store.write_dataset(make_meta("data"), d);
  const DatasetRecord back = *store.read_dataset("data");
  EXPECT_EQ(back.sample_shape, d.sample_shape);
  EXPECT_EQ(back.classes, 3);
  EXPECT_EQ(back.train_count, 5);
  EXPECT_EQ(back.test_count, 3);
  EXPECT_TRUE(bit_equal(back.x_train, d.x_train));
  EXPECT_TRUE(bit_equal(back.y_train, d.y_train));
  EXPECT_TRUE(bit_equal(back.x_test, d.x_test));
  EXPECT_TRUE(bit_equal(back.y_test, d.y_test));
  EXPECT_TRUE(bit_equal(back.feature_std, d.feature_std));
  EXPECT_EQ(back.feature_names, d.feature_names);
  EXPECT_TRUE(back.has_grid);
  EXPECT_EQ(back.grid.y_max, 2.5);
  EXPECT_NO_THROW(store.verify(EntryKind::kDataset, "data"));
}

TEST(CacheStore, SeriesRoundTrip) {
  TempDir dir;
  CacheStore store(dir.path());
  EmaRecord e;
  e.clean = {0, 0.5, 1, 1.5};
  e.signal = {0.1, 0.4, 1.2, 1.3};
  e.betas = {0.5, 0.9};
  for (double beta : e.betas) {
    std::vector<double> ema;
    double v = 0;
    for (double s : e.signal) ema.push_back(v = beta * v + (1 - beta) * s);
    e.ema.push_back(ema);
  }
  store.write_series(make_meta("ema"), e);
  const EmaRecord back = *store.read_series("ema");
  EXPECT_TRUE(bit_equal(back.clean, e.clean));
  EXPECT_TRUE(bit_equal(back.signal, e.signal));
  EXPECT_TRUE(bit_equal(back.betas, e.betas));
  ASSERT_EQ(back.ema.size(), 2u);
  EXPECT_TRUE(bit_equal(back.ema[0], e.ema[0]));
  EXPECT_TRUE(bit_equal(back.ema[1], e.ema[1]));
}

TEST(CacheStore, ReadMetaAndWrongKindIsCorrupt) {
  TempDir dir;
  CacheStore store(dir.path());
  store.write_trajectory(make_meta("abc"), make_trajectory(0, 3, 2, true, 7), false);
  expect_same_meta(make_meta("abc"), store.read_meta(EntryKind::kTrajectory, "abc"));
  // The same file moved into grids/ is a trajectory, not a grid.
  fs::create_directories(dir.path() + "/grids");
  fs::copy_file(store.entry_path(EntryKind::kTrajectory, "abc"),
                store.entry_path(EntryKind::kGrid, "abc"));
  EXPECT_THROW(store.read_grid("abc"), CorruptEntry);
}

TEST(CacheStore, PathsListAndRemove) {
  TempDir dir;
  CacheStore store(dir.path() + "/sub/../root/");
  EXPECT_EQ(store.root(), dir.path() + "/root");
  EXPECT_EQ(store.entry_path(EntryKind::kSeries, "ab"), dir.path() + "/root/series/ab.h5");
  EXPECT_STREQ(entry_kind_folder(EntryKind::kTrajectory), "trajectories");
  EXPECT_STREQ(entry_kind_folder(EntryKind::kGrid), "grids");
  EXPECT_STREQ(entry_kind_folder(EntryKind::kModel), "models");
  EXPECT_STREQ(entry_kind_folder(EntryKind::kSeries), "series");
  EXPECT_TRUE(store.list().empty());  // no folders yet

  store.write_trajectory(make_meta("zz"), make_trajectory(0, 3, 2, true, 1), false);
  store.write_trajectory(make_meta("aa"), make_trajectory(0, 3, 2, true, 2), false);
  LossGrid g;
  g.nx = g.ny = 2;
  g.values = {1, 2, 3, 4};
  store.write_grid(make_meta("mm"), g);
  store.write_training(make_meta("bb"), make_training_record(2, DType::kFloat32, 0));
  testing::write_file(dir.path() + "/root/grids/notes.txt", "not an entry");

  const std::vector<EntryListing> listing = store.list();
  ASSERT_EQ(listing.size(), 4u);
  EXPECT_EQ(listing[0].key, "aa");
  EXPECT_EQ(listing[1].key, "zz");
  EXPECT_EQ(listing[2].kind, EntryKind::kGrid);
  EXPECT_EQ(listing[2].key, "mm");
  EXPECT_EQ(listing[3].kind, EntryKind::kModel);
  for (const EntryListing& e : listing) {
    EXPECT_EQ(e.path, store.entry_path(e.kind, e.key));
    EXPECT_EQ(e.bytes, static_cast<int64_t>(fs::file_size(e.path)));
  }
  EXPECT_TRUE(store.remove(EntryKind::kTrajectory, "zz"));
  EXPECT_FALSE(store.remove(EntryKind::kTrajectory, "zz"));
  EXPECT_FALSE(store.contains(EntryKind::kTrajectory, "zz"));
  EXPECT_EQ(store.list().size(), 3u);
}

TEST(CacheStore, DefaultRootFollowsEnvironment) {
  const char* old = std::getenv("TRAJTOOL_CACHE");
  const std::string saved = old != nullptr ? old : "";
  setenv("TRAJTOOL_CACHE", "/tmp/x/../y", 1);
  EXPECT_EQ(default_cache_root(), "/tmp/y");
  setenv("TRAJTOOL_CACHE", "rel", 1);
  EXPECT_EQ(default_cache_root(), (fs::current_path() / "rel").string());
  unsetenv("TRAJTOOL_CACHE");
  EXPECT_EQ(default_cache_root(), (fs::current_path() / ".cache").string());
  if (old != nullptr) setenv("TRAJTOOL_CACHE", saved.c_str(), 1);
}

// A complete file that exists only under a temporary name is not an entry.
TEST(CacheStore, TemporaryFileIsNeitherListedNorRead) {
  TempDir dir;
  CacheStore store(dir.path());
  store.write_trajectory(make_meta("key"), make_trajectory(0, 3, 2, true, 1), false);
  const std::string path = store.entry_path(EntryKind::kTrajectory, "key");
  fs::rename(path, path + ".tmp." + std::to_string(getpid()) + ".1f2e");
  EXPECT_FALSE(store.contains(EntryKind::kTrajectory, "key"));
  EXPECT_FALSE(store.read_trajectory("key").has_value());
  EXPECT_TRUE(store.list().empty());
  EXPECT_EQ(store.remove_stale_temporaries(), 0);  // its writer (us) lives and it is fresh
  // A successful write leaves no temporary behind.
  store.write_trajectory(make_meta("key"), make_trajectory(0, 3, 2, true, 1), false);
  const auto files =
      std::distance(fs::directory_iterator(dir.path() + "/trajectories"), fs::directory_iterator());
  EXPECT_EQ(files, 2);  // the entry and the temporary made above
}

TEST(CacheStore, RemovesStaleTemporaries) {
  TempDir dir;
  CacheStore store(dir.path());
  const std::string folder = dir.path() + "/trajectories/";
  fs::create_directories(folder);
  const pid_t child = fork();
  if (child == 0) _exit(0);
  waitpid(child, nullptr, 0);  // a pid that no longer exists
  const std::string dead = folder + "a.h5.tmp." + std::to_string(child) + ".9a";
  const std::string fresh = folder + "b.h5.tmp." + std::to_string(getpid()) + ".9b";
  const std::string old = folder + "c.h5.tmp." + std::to_string(getpid()) + ".9c";
  const std::string entry = folder + "d.h5";
  for (const std::string& f : {dead, fresh, old, entry}) testing::write_file(f, "x");
  struct timeval two_minutes_ago[2];
  gettimeofday(&two_minutes_ago[0], nullptr);
  two_minutes_ago[0].tv_sec -= 120;
  two_minutes_ago[1] = two_minutes_ago[0];
  ASSERT_EQ(utimes(old.c_str(), two_minutes_ago), 0);

  EXPECT_EQ(store.remove_stale_temporaries(), 2);
  EXPECT_FALSE(fs::exists(dead));
  EXPECT_FALSE(fs::exists(old));
  EXPECT_TRUE(fs::exists(fresh));
  EXPECT_TRUE(fs::exists(entry));
}

// Several processes write the same key at once: all succeed and one valid file results.
TEST(CacheStore, ConcurrentWritersOfOneKeyAllSucceed) {
  TempDir dir;
  CacheStore store(dir.path());
  const Trajectory t = make_trajectory(64, 201, 2, true, 9);
  constexpr int kWriters = 6;
  std::vector<pid_t> children;
  for (int i = 0; i < kWriters; ++i) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      int status = 0;
      try {
        for (int round = 0; round < 3; ++round) store.write_trajectory(make_meta("same"), t, false);
      } catch (...) {
        status = 1;
      }
      _exit(status);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  std::vector<std::string> files;
  for (const auto& f : fs::directory_iterator(dir.path() + "/trajectories")) {
    files.push_back(f.path().filename().string());
  }
  EXPECT_EQ(files, std::vector<std::string>{"same.h5"});
  testing::expect_same_trajectory(t, *store.read_trajectory("same"));
}

// Manual benchmark (run with --gtest_also_run_disabled_tests): the size the brief budgets.
TEST(CacheStore, DISABLED_LargeSweepWriteIsFast) {
  TempDir dir;
  CacheStore store(dir.path());
  const Trajectory t = make_trajectory(4096, 1001, 2, true, 10);
  // The machine is shared: judge by this process's CPU time, print the wall time too.
  const std::clock_t cpu_start = std::clock();
  const auto start = std::chrono::steady_clock::now();
  store.write_trajectory(make_meta("big"), t, false);
  const double write =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double write_cpu = double(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  const auto read_start = std::chrono::steady_clock::now();
  const Trajectory back = *store.read_trajectory("big");
  const double read =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - read_start).count();
  std::printf("write %.3f s (cpu %.3f s), read %.3f s, %.1f MB\n", write, write_cpu, read,
              double(fs::file_size(store.entry_path(EntryKind::kTrajectory, "big"))) / 1e6);
  EXPECT_TRUE(bit_equal(back.params, t.params));  // figures only: no timing assertions in tests
}

}  // namespace
}  // namespace trajtool
