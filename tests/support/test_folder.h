#pragma once
// For tests: a fresh folder of the running test's own (named by `prefix`, the process and the
// test), removed again after it; files written into it, and the files below a subfolder counted.
// Header-only.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <string>

namespace trajtool::testing {

class TestFolder {
 public:
  explicit TestFolder(const std::string& prefix)
      : path_(std::filesystem::temp_directory_path() /
              (prefix + std::to_string(::getpid()) + "_" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name())) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  TestFolder(const TestFolder&) = delete;
  TestFolder& operator=(const TestFolder&) = delete;
  ~TestFolder() { std::filesystem::remove_all(path_); }

  const std::filesystem::path& path() const { return path_; }
  // Writes `text` to `name` in the folder; its path.
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name) << text;
    return (path_ / name).string();
  }
  // Regular files anywhere below `subfolder` (0 when it does not exist).
  std::size_t files_below(const std::string& subfolder) const {
    std::size_t n = 0;
    if (!std::filesystem::exists(path_ / subfolder)) return 0;
    for (const auto& e : std::filesystem::recursive_directory_iterator(path_ / subfolder)) {
      n += e.is_regular_file();
    }
    return n;
  }

 private:
  std::filesystem::path path_;
};

}  // namespace trajtool::testing
