// Every way a cache file can be damaged is detected: readers throw CorruptEntry naming the file.
#include <gtest/gtest.h>
#include <hdf5.h>

#include <cstring>
#include <string>

#include "cache/cache_store.h"
#include "tests/cache/test_support.h"

namespace trajtool {
namespace {

using testing::make_meta;
using testing::make_trajectory;
using testing::TempDir;

// Expects `read` to throw CorruptEntry whose message starts with `path` and contains `reason`.
template <class Read>
void expect_corrupt(const std::string& path, const std::string& reason, Read read) {
  try {
    read();
    ADD_FAILURE() << "no CorruptEntry for " << path;
  } catch (const CorruptEntry& e) {
    const std::string message = e.what();
    EXPECT_EQ(message.rfind(path + ": ", 0), 0u) << message;
    EXPECT_NE(message.find(reason), std::string::npos) << message;
  }
}

class CacheCorruption : public ::testing::Test {
 protected:
  CacheCorruption() : store_(dir_.path()) { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

  std::string write_single(bool float64) {
    store_.write_trajectory(make_meta("key"), make_trajectory(0, 2001, 2, !float64, 3), float64);
    return store_.entry_path(EntryKind::kTrajectory, "key");
  }
  void expect_trajectory_corrupt(const std::string& reason) {
    const std::string path = store_.entry_path(EntryKind::kTrajectory, "key");
    expect_corrupt(path, reason, [&] { store_.read_trajectory("key"); });
    expect_corrupt(path, reason, [&] { store_.verify(EntryKind::kTrajectory, "key"); });
  }

  TempDir dir_;
  CacheStore store_;
};

TEST_F(CacheCorruption, TruncatedFile) {
  const std::string path = write_single(false);
  const std::string bytes = testing::read_file(path);
  testing::write_file(path, bytes.substr(0, bytes.size() / 2));
  expect_trajectory_corrupt("");
}

TEST_F(CacheCorruption, GarbageAndEmptyFiles) {
  const std::string path = write_single(false);
  std::string garbage(10000, '\0');
  for (size_t i = 0; i < garbage.size(); ++i) garbage[i] = static_cast<char>(i * 7919 % 251);
  testing::write_file(path, garbage);
  expect_trajectory_corrupt("not a readable HDF5 file");
  testing::write_file(path, "");
  expect_trajectory_corrupt("not a readable HDF5 file");
  expect_corrupt(path, "not a readable HDF5 file",
                 [&] { store_.read_meta(EntryKind::kTrajectory, "key"); });
}

// A flipped byte in uncompressed data: find a known value's bytes in the file and change one.
TEST_F(CacheCorruption, FlippedByteInUncompressedData) {
  Trajectory t = make_trajectory(4, 11, 2, false, 4);
  const double marker = 1234.5678901234;
  t.grad[17] = marker;
  store_.write_trajectory(make_meta("key"), t, true);
  const std::string path = store_.entry_path(EntryKind::kTrajectory, "key");
  std::string bytes = testing::read_file(path);
  const size_t at = bytes.find(std::string(reinterpret_cast<const char*>(&marker), 8));
  ASSERT_NE(at, std::string::npos);
  EXPECT_EQ(bytes.find(std::string(reinterpret_cast<const char*>(&marker), 8), at + 1),
            std::string::npos);
  bytes[at] = static_cast<char>(bytes[at] ^ 0x01);  // lowest mantissa bit
  testing::write_file(path, bytes);
  expect_trajectory_corrupt("checksum mismatch");
}

// A flipped byte inside a compressed chunk: locate the chunk with HDF5's own index.
TEST_F(CacheCorruption, FlippedByteInCompressedChunk) {
  const std::string path = write_single(false);
  haddr_t address = 0;
  hsize_t size = 0;
  {
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    ASSERT_GE(file, 0);
    const hid_t dataset = H5Dopen2(file, "loss", H5P_DEFAULT);
    const hid_t create = H5Dget_create_plist(dataset);
    EXPECT_EQ(H5Pget_layout(create), H5D_CHUNKED);  // single runs are deflated
    hsize_t offset[1] = {0};
    unsigned mask = 0;
    EXPECT_GE(H5Dget_chunk_info_by_coord(dataset, offset, &mask, &address, &size), 0);
    H5Pclose(create);
    H5Dclose(dataset);
    H5Fclose(file);
  }
  ASSERT_GT(size, 16u);
  std::string bytes = testing::read_file(path);
  ASSERT_LT(address + size, bytes.size());
  bytes[address + size / 2] = static_cast<char>(bytes[address + size / 2] ^ 0x10);
  testing::write_file(path, bytes);
  expect_trajectory_corrupt("");  // inflate fails or the checksum differs: both are corrupt
}

TEST_F(CacheCorruption, MissingDataset) {
  const std::string path = write_single(true);
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  EXPECT_GE(H5Ldelete(file, "grad", H5P_DEFAULT), 0);
  H5Fclose(file);
  expect_trajectory_corrupt("missing dataset 'grad'");
}

TEST_F(CacheCorruption, MissingStateSeriesBreaksChecksum) {
  const std::string path = write_single(true);
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  EXPECT_GE(H5Ldelete(file, "state/step", H5P_DEFAULT), 0);
  H5Fclose(file);
  expect_trajectory_corrupt("checksum mismatch");
}

void set_int_attribute(const std::string& path, const char* name, int64_t value) {
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  const hid_t attr = H5Aopen(file, name, H5P_DEFAULT);
  EXPECT_GE(H5Awrite(attr, H5T_NATIVE_INT64, &value), 0);
  H5Aclose(attr);
  H5Fclose(file);
}

TEST_F(CacheCorruption, WrongSchemaVersion) {
  const std::string path = write_single(false);
  set_int_attribute(path, "schema_version", kCacheSchemaVersion + 1);
  expect_trajectory_corrupt("schema_version is 2");
  expect_corrupt(path, "schema_version", [&] { store_.read_meta(EntryKind::kTrajectory, "key"); });
}

TEST_F(CacheCorruption, RowsInconsistentWithShapes) {
  const std::string path = write_single(false);
  set_int_attribute(path, "rows", 2000);
  expect_trajectory_corrupt("dataset 'params' has shape [2001, 2], expected [2000, 2]");
}

TEST_F(CacheCorruption, OtherKinds) {
  LossGrid g;
  g.nx = 3;
  g.ny = 2;
  g.values = {1, 2, 3, 4, 5, 6};
  store_.write_grid(make_meta("g"), g);
  const std::string grid = store_.entry_path(EntryKind::kGrid, "g");
  set_int_attribute(grid, "nx", 2);
  expect_corrupt(grid, "shape", [&] { store_.read_grid("g"); });

  EmaRecord e;
  e.clean = e.signal = {1, 2};
  e.betas = {0.5};
  e.ema = {{0.5, 1.25}};
  store_.write_series(make_meta("s"), e);
  const std::string series = store_.entry_path(EntryKind::kSeries, "s");
  std::string bytes = testing::read_file(series);
  const double marker = 1.25;
  const size_t at = bytes.find(std::string(reinterpret_cast<const char*>(&marker), 8));
  ASSERT_NE(at, std::string::npos);
  bytes[at + 7] = static_cast<char>(bytes[at + 7] ^ 0x40);
  testing::write_file(series, bytes);
  expect_corrupt(series, "checksum mismatch", [&] { store_.read_series("s"); });

  store_.write_training(make_meta("m"), testing::make_training_record(3, DType::kFloat32, 0));
  const std::string model = store_.entry_path(EntryKind::kModel, "m");
  const hid_t file = H5Fopen(model.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  EXPECT_GE(H5Adelete(file, "dataset_key"), 0);
  H5Fclose(file);
  expect_corrupt(model, "missing attribute 'dataset_key'", [&] { store_.read_training("m"); });

  store_.write_training(make_meta("m2"), testing::make_training_record(3, DType::kFloat64, 0));
  const std::string model2 = store_.entry_path(EntryKind::kModel, "m2");
  const hid_t file2 = H5Fopen(model2.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  EXPECT_GE(H5Ldelete(file2, "checkpoints/3/2.bias", H5P_DEFAULT), 0);
  H5Fclose(file2);
  expect_corrupt(model2, "checkpoint 3 does not hold every parameter",
                 [&] { store_.read_training("m2"); });

  store_.write_dataset(make_meta("d"), testing::make_dataset_record(0));
  const std::string data = store_.entry_path(EntryKind::kDataset, "d");
  const hid_t file3 = H5Fopen(data.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  EXPECT_GE(H5Ldelete(file3, "y_test", H5P_DEFAULT), 0);
  H5Fclose(file3);
  expect_corrupt(data, "y_test", [&] { store_.read_dataset("d"); });
}

// A model entry of an older layout (version 1: no `layout_version`, no `recording_seconds`) is
// stale, not corrupt; one from a newer trajtool is corrupt.
TEST_F(CacheCorruption, ModelEntryOfAnOlderLayoutIsStale) {
  store_.write_training(make_meta("m"), testing::make_training_record(3, DType::kFloat32, 0));
  const std::string model = store_.entry_path(EntryKind::kModel, "m");
  EXPECT_NO_THROW(store_.read_training("m"));
  const hid_t file = H5Fopen(model.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  EXPECT_GE(H5Adelete(file, "layout_version"), 0);
  EXPECT_GE(H5Adelete(file, "recording_seconds"), 0);
  H5Fclose(file);
  for (int pass = 0; pass < 2; ++pass) {
    try {
      if (pass == 0) store_.read_training("m");
      if (pass == 1) store_.verify(EntryKind::kModel, "m");
      ADD_FAILURE() << "no StaleEntry";
    } catch (const StaleEntry& e) {
      const std::string message = e.what();
      EXPECT_EQ(message.rfind(model + ": stale: written in model layout version 1", 0), 0u)
          << message;
    }
  }
  store_.write_training(make_meta("n"), testing::make_training_record(3, DType::kFloat32, 0));
  const std::string newer = store_.entry_path(EntryKind::kModel, "n");
  set_int_attribute(newer, "layout_version", kModelLayoutVersion + 1);
  expect_corrupt(newer, "layout_version is 3, this trajtool reads 2 (written by a newer trajtool)",
                 [&] { store_.read_training("n"); });
}

}  // namespace
}  // namespace trajtool
