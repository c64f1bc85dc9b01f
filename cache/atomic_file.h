#pragma once
// Atomic replacement of a file: write "<final>.tmp.<pid>.<random>" in the same folder, fsync it,
// rename it over the final name (atomic on POSIX), fsync the folder. Readers see the old file or
// the new one, never a part; concurrent writers of the same file each succeed and the last wins.
#include <chrono>
#include <filesystem>
#include <string>

namespace trajtool {

// A fresh temporary name next to `final_path`, unique per process and call.
std::string temporary_path(const std::string& final_path);

// Makes `temporary` durable and renames it to `final_path`. Throws RuntimeFailure.
void commit_temporary(const std::string& temporary, const std::string& final_path);

// Like commit_temporary, but never replaces: when `final_path` exists (or appears meanwhile) it is
// left alone, `temporary` is kept for the caller, and the result is false. Uses link(2), which
// fails atomically on an existing name, then removes the temporary name.
bool commit_temporary_if_absent(const std::string& temporary, const std::string& final_path);

// A temporary file that is removed when it goes out of scope (a write failed or was abandoned)
// unless `installed`: committed, renamed or linked into place.
struct TemporaryFile {
  std::string path;        // the file, e.g. temporary_path(final)
  bool installed = false;  // in place under its final name: nothing to remove
  ~TemporaryFile();
};

// True if `path` is a temporary of this scheme ("*.tmp.<pid>.<random>").
bool is_temporary(const std::filesystem::path& path);

// True for a temporary whose writer process no longer exists or that is older than `max_age`.
bool is_stale_temporary(const std::filesystem::path& path, std::chrono::seconds max_age);

}  // namespace trajtool
