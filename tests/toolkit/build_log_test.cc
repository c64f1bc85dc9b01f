#include "toolkit/build/build_log.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace trajtool {
namespace {

namespace fs = std::filesystem;

class BuildLogFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("trajtool_build_log_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

SceneFingerprint fingerprint(const std::string& params) {
  SceneFingerprint f;
  f.parts = {{"data", "d"}, {"params", params}, {"quality", "q"}};
  f.combined = "all:" + params;
  return f;
}

TEST_F(BuildLogFile, RoundTripsRecordsWithNanosecondTimes) {
  BuildLog log = load_build_log(dir_.string());
  EXPECT_TRUE(log.records.empty());
  EXPECT_EQ(log.problem, "");
  // Beyond a double's 53 bits: a time stored as a JSON number would come back rounded.
  const int64_t mtime = 1700000000123456789;
  log.records["video"] = {"abc", {{"data", "1"}, {"scene file", "2"}}, {12345, mtime}};
  log.records["other"] = {"def", {}, {1, 2}};
  save_build_log(log);
  const BuildLog read = load_build_log(dir_.string());
  EXPECT_EQ(read.problem, "");
  ASSERT_EQ(read.records.size(), 2u);
  const BuildRecord& video = read.records.at("video");
  EXPECT_EQ(video.fingerprint, "abc");
  EXPECT_EQ(video.parts.at("scene file"), "2");
  EXPECT_EQ(video.output.size, 12345);
  EXPECT_EQ(video.output.mtime_ns, mtime);
  // Written by renaming a temporary: nothing else is left in the folder.
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);
}

TEST_F(BuildLogFile, AnUnreadableLogIsEmptyAndSaysWhy) {
  std::ofstream(dir_ / ".trajtool-build.json") << "{\"log_version\": 1, \"outputs\": {\"x\": 3";
  const BuildLog log = load_build_log(dir_.string());
  EXPECT_TRUE(log.records.empty());
  EXPECT_NE(log.problem, "");
}

TEST_F(BuildLogFile, FileStampSeesSizeAndAbsence) {
  EXPECT_FALSE(file_stamp((dir_ / "none").string()));
  std::ofstream(dir_ / "five") << "12345";
  const std::optional<FileStamp> stamp = file_stamp((dir_ / "five").string());
  ASSERT_TRUE(stamp);
  EXPECT_EQ(stamp->size, 5);
  EXPECT_GT(stamp->mtime_ns, 0);
}

TEST(RenderReason, SaysWhyOrNothing) {
  const SceneFingerprint now = fingerprint("p");
  const FileStamp output{100, 5};
  const BuildRecord same{now.combined, now.parts, output};
  EXPECT_EQ(render_reason(&same, now, output), "");
  EXPECT_EQ(render_reason(nullptr, now, std::nullopt), "new");
  EXPECT_EQ(render_reason(nullptr, now, output), "output not recorded");
  EXPECT_EQ(render_reason(&same, now, std::nullopt), "output missing");
  EXPECT_EQ(render_reason(&same, now, FileStamp{101, 5}), "output modified");
  EXPECT_EQ(render_reason(&same, now, FileStamp{100, 6}), "output modified");
  EXPECT_EQ(render_reason(&same, fingerprint("p2"), output), "input changed: params");
  EXPECT_EQ(render_reason(&same, fingerprint("p2"), FileStamp{1, 5}),
            "input changed: params; output modified");
}

}  // namespace
}  // namespace trajtool
