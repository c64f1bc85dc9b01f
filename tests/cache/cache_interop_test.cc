// Files written by the cache read correctly with independent tools: h5dump and Python's h5py
// (docs/read_cache_example.py, which also recomputes the checksum with hashlib).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>

#include "cache/cache_store.h"
#include "tests/cache/test_support.h"

namespace trajtool {
namespace {

using testing::make_meta;
using testing::make_trajectory;
using testing::run_command;
using testing::TempDir;

void expect_contains(const std::string& text, const std::string& part) {
  EXPECT_NE(text.find(part), std::string::npos) << "missing: " << part;
}

TEST(CacheInterop, H5dumpShowsTheLayout) {
  TempDir dir;
  CacheStore store(dir.path());
  store.write_trajectory(make_meta("dumped"), make_trajectory(0, 11, 2, true, 1), false);
  std::string out;
  ASSERT_EQ(
      run_command("h5dump -H '" + store.entry_path(EntryKind::kTrajectory, "dumped") + "'", &out),
      0);
  expect_contains(out,
                  "DATASET \"params\" {\n      DATATYPE  H5T_IEEE_F32LE\n"
                  "      DATASPACE  SIMPLE { ( 11, 2 ) / ( 11, 2 ) }");
  expect_contains(out,
                  "DATASET \"loss\" {\n      DATATYPE  H5T_IEEE_F32LE\n"
                  "      DATASPACE  SIMPLE { ( 11 ) / ( 11 ) }");
  expect_contains(out,
                  "DATASET \"grad\" {\n      DATATYPE  H5T_IEEE_F32LE\n"
                  "      DATASPACE  SIMPLE { ( 10, 2 ) / ( 10, 2 ) }");
  expect_contains(out, "GROUP \"state\" {");
  expect_contains(out,
                  "DATASET \"exp_avg\" {\n         DATATYPE  H5T_IEEE_F32LE\n"
                  "         DATASPACE  SIMPLE { ( 10, 2 ) / ( 10, 2 ) }");
  expect_contains(out,
                  "DATASET \"step\" {\n         DATATYPE  H5T_IEEE_F32LE\n"
                  "         DATASPACE  SIMPLE { ( 10 ) / ( 10 ) }");
  for (const char* attribute :
       {"checksum", "config_json", "created_utc", "diverged_at", "key", "kind", "label",
        "schema_version", "torch_version", "trajtool_version", "wall_seconds", "dtype", "batch",
        "rows", "dim"}) {
    expect_contains(out, std::string("ATTRIBUTE \"") + attribute + "\"");
  }
  expect_contains(out, "CSET H5T_CSET_UTF8");

  // Attribute values as h5dump prints them.
  out.clear();
  ASSERT_EQ(run_command("h5dump -a schema_version -a kind -a rows '" +
                            store.entry_path(EntryKind::kTrajectory, "dumped") + "'",
                        &out),
            0);
  expect_contains(out, "(0): 1\n");
  expect_contains(out, "(0): \"trajectory\"");
  expect_contains(out, "(0): 11\n");
}

TEST(CacheInterop, H5dumpShowsSweepAndGrid) {
  TempDir dir;
  CacheStore store(dir.path());
  Trajectory t = make_trajectory(3, 5, 2, false, 2);
  t.diverged_at_each = {-1, 2, -1};
  store.write_trajectory(make_meta("sweep"), t, true);
  LossGrid g;
  g.nx = 4;
  g.ny = 3;
  g.values.assign(12, 0.5);
  store.write_grid(make_meta("grid"), g);
  std::string out;
  ASSERT_EQ(
      run_command("h5dump -H '" + store.entry_path(EntryKind::kTrajectory, "sweep") + "'", &out),
      0);
  expect_contains(out,
                  "DATASET \"params\" {\n      DATATYPE  H5T_IEEE_F64LE\n"
                  "      DATASPACE  SIMPLE { ( 3, 5, 2 ) / ( 3, 5, 2 ) }");
  expect_contains(out,
                  "DATASET \"diverged_at_each\" {\n      DATATYPE  H5T_STD_I64LE\n"
                  "      DATASPACE  SIMPLE { ( 3 ) / ( 3 ) }");
  expect_contains(out, "DATASPACE  SIMPLE { ( 3, 4, 2 ) / ( 3, 4, 2 ) }");  // grad, exp_avg
  out.clear();
  ASSERT_EQ(run_command("h5dump -d diverged_at_each '" +
                            store.entry_path(EntryKind::kTrajectory, "sweep") + "'",
                        &out),
            0);
  expect_contains(out, "(0): -1, 2, -1");
  out.clear();
  ASSERT_EQ(run_command("h5dump -H '" + store.entry_path(EntryKind::kGrid, "grid") + "'", &out), 0);
  expect_contains(out,
                  "DATASET \"loss\" {\n      DATATYPE  H5T_IEEE_F64LE\n"
                  "      DATASPACE  SIMPLE { ( 3, 4 ) / ( 3, 4 ) }");
  for (const char* a : {"x_min", "x_max", "y_min", "y_max", "nx", "ny"}) {
    expect_contains(out, std::string("ATTRIBUTE \"") + a + "\"");
  }
}

// Parses "name: v1 v2 ..." lines of the example's output.
std::map<std::string, std::vector<double>> parse_numbers(const std::string& out) {
  std::map<std::string, std::vector<double>> lines;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    const size_t colon = line.find(": ");
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    std::string rest = line.substr(colon + 2);
    const size_t last = rest.find("last: ");
    if (last != std::string::npos) rest = rest.substr(last + 6);
    std::istringstream values(rest);
    std::string token;
    std::vector<double> numbers;
    while (values >> token) {
      char* end = nullptr;
      const double v = std::strtod(token.c_str(), &end);
      if (*end == '\0') numbers.push_back(v);
    }
    lines[name] = numbers;
  }
  return lines;
}

TEST(CacheInterop, PythonExampleReadsWhatCppWrote) {
  for (bool float64 : {false, true}) {
    TempDir dir;
    CacheStore store(dir.path());
    const Trajectory t = make_trajectory(0, 31, 2, !float64, float64 ? 5 : 6);
    store.write_trajectory(make_meta("py"), t, float64);
    std::string out;
    const std::string command = std::string("/usr/bin/python3 '") + TRAJTOOL_SOURCE_DIR +
                                "/docs/read_cache_example.py' '" +
                                store.entry_path(EntryKind::kTrajectory, "py") + "' 2>&1";
    ASSERT_EQ(run_command(command, &out), 0) << out;
    expect_contains(out, "checksum: ok\n");
    expect_contains(out, std::string("dtype: ") + (float64 ? "float64" : "float32") + "\n");
    expect_contains(out, "rows: 31\n");
    expect_contains(out, "label: Adam lr=0.01 — β\n");
    expect_contains(out, "config keys: objective steps théta\n");
    const auto numbers = parse_numbers(out);
    ASSERT_TRUE(numbers.count("final_params") && numbers.count("final_loss")) << out;
    EXPECT_EQ(numbers.at("final_params"), (std::vector<double>{t.params[60], t.params[61]}));
    EXPECT_EQ(numbers.at("final_loss"), std::vector<double>{t.loss[30]});
    EXPECT_EQ(numbers.at("state exp_avg"),
              (std::vector<double>{t.state[0].values[58], t.state[0].values[59]}));
    EXPECT_EQ(numbers.at("state step"), std::vector<double>{30});
  }
}

TEST(CacheInterop, PythonExampleRejectsTamperedData) {
  TempDir dir;
  CacheStore store(dir.path());
  Trajectory t = make_trajectory(0, 5, 2, false, 7);
  const double marker = -777.125;
  t.loss[2] = marker;
  store.write_trajectory(make_meta("py"), t, true);
  const std::string path = store.entry_path(EntryKind::kTrajectory, "py");
  // Rewrite one value with h5py: the data changes, the stored checksum does not.
  std::string out;
  ASSERT_EQ(run_command("/usr/bin/python3 -c \"import h5py,sys; f=h5py.File(sys.argv[1],'r+'); "
                        "f['loss'][2]=-777.0; f.close()\" '" +
                            path + "' 2>&1",
                        &out),
            0)
      << out;
  EXPECT_THROW(store.read_trajectory("py"), CorruptEntry);
  out.clear();
  EXPECT_NE(run_command(std::string("/usr/bin/python3 '") + TRAJTOOL_SOURCE_DIR +
                            "/docs/read_cache_example.py' '" + path + "' 2>&1",
                        &out),
            0);
  expect_contains(out, "checksum mismatch");
}

}  // namespace
}  // namespace trajtool

namespace trajtool {
namespace {

TEST(CacheInterop, FormulaEntryRoundTripsAndH5dumpShowsItsOutline) {
  TempDir dir;
  CacheStore store(dir.path());
  FormulaOutline f;  // a glyph (a triangle of a curve and a line) and a rule, the rule in red
  f.width = 12.5;
  f.height = 7.25;
  f.depth = 2.5;
  f.ops = {0, 2, 1, 3, 0, 1, 1, 1, 3};
  f.points = {0, 0, 1, -2, 3, -2, 4, 0, 2, 1, 5, 0, 9, 0, 9, 0.5, 5, 0.5};
  f.piece_start = {0, 4};
  f.piece_rgba = {0, 0, 0, -1, 1, 0, 0, 1};
  EntryMeta meta = make_meta("formula1");
  meta.label = "\\frac{a}{b}";
  store.write_formula(meta, f);
  const std::optional<FormulaOutline> back = store.read_formula("formula1");
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->ops, f.ops);
  EXPECT_EQ(back->points, f.points);
  EXPECT_EQ(back->piece_start, f.piece_start);
  EXPECT_EQ(back->piece_rgba, f.piece_rgba);
  EXPECT_EQ(back->width, f.width);
  EXPECT_EQ(back->height, f.height);
  EXPECT_EQ(back->depth, f.depth);
  EXPECT_NO_THROW(store.verify(EntryKind::kFormula, "formula1"));
  std::string out;
  const std::string path = store.entry_path(EntryKind::kFormula, "formula1");
  EXPECT_EQ(path, dir.path() + "/formulas/formula1.h5");
  ASSERT_EQ(run_command("h5dump -d ops -d piece_start -a kind -a height_bp '" + path + "'", &out),
            0);
  expect_contains(out, "(0): 0, 2, 1, 3, 0, 1, 1, 1, 3\n");
  expect_contains(out, "(0): 0, 4\n");
  expect_contains(out, "(0): \"formula\"");
  expect_contains(out, "(0): 7.25\n");
  out.clear();
  ASSERT_EQ(run_command("h5dump -H '" + path + "'", &out), 0);
  expect_contains(out,
                  "DATASET \"points\" {\n      DATATYPE  H5T_IEEE_F64LE\n"
                  "      DATASPACE  SIMPLE { ( 9, 2 ) / ( 9, 2 ) }");
  // Ops that do not fit the points are refused at writing.
  f.ops.push_back(1);
  EXPECT_THROW(store.write_formula(make_meta("formula2"), f), RuntimeFailure);
  EXPECT_FALSE(store.contains(EntryKind::kFormula, "formula2"));
}

// A model entry rewritten as h5py writes by default (groups without creation order, so HDF5 lists
// checkpoint 10 before checkpoint 2 and 0.bias before 0.weight) reads back in step order with
// every checkpoint's own weights, and still verifies.
TEST(CacheInterop, ModelEntryWithoutCreationOrderReadsCheckpointsInStepOrder) {
  TempDir dir;
  CacheStore store(dir.path());
  TrainingRecord r = testing::make_training_record(3, DType::kFloat64, 0);
  Checkpoint later = r.checkpoints[1];
  r.checkpoints[1].step = 2;
  later.step = 10;
  for (NamedTensor& w : later.weights) {
    for (double& v : w.values) v += 100;
  }
  r.checkpoints.push_back(later);
  store.write_training(make_meta("m"), r);
  const std::string path = store.entry_path(EntryKind::kModel, "m");
  const std::string copy = path + ".name-order";
  std::string out;
  ASSERT_EQ(
      run_command(std::string("/usr/bin/python3 '") + TRAJTOOL_SOURCE_DIR +
                      "/tests/cache/rewrite_in_name_order.py' '" + path + "' '" + copy + "' 2>&1",
                  &out),
      0)
      << out;
  EXPECT_NE(out.find("checkpoints: 0 10 2\n"), std::string::npos) << out;  // name order
  std::filesystem::rename(copy, path);
  const TrainingRecord back = *store.read_training("m");
  ASSERT_EQ(back.checkpoints.size(), 3u);
  for (size_t c = 0; c < 3; ++c) {
    EXPECT_EQ(back.checkpoints[c].step, r.checkpoints[c].step);
    ASSERT_EQ(back.checkpoints[c].weights.size(), r.checkpoints[c].weights.size());
    for (size_t i = 0; i < r.checkpoints[c].weights.size(); ++i) {
      EXPECT_EQ(back.checkpoints[c].weights[i].name, r.checkpoints[c].weights[i].name);
      EXPECT_EQ(back.checkpoints[c].weights[i].values, r.checkpoints[c].weights[i].values);
    }
  }
  EXPECT_NO_THROW(store.verify(EntryKind::kModel, "m"));
}

}  // namespace
}  // namespace trajtool
