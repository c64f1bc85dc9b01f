#include "cache/atomic_file.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>
#include <sstream>

#include "toolkit/core/error.h"

namespace trajtool {

TemporaryFile::~TemporaryFile() {
  std::error_code ignored;
  if (!installed) std::filesystem::remove(path, ignored);
}
namespace {

constexpr const char* kTemporaryMarker = ".tmp.";

std::string errno_text() { return std::strerror(errno); }

void fsync_path(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) throw RuntimeFailure(path + ": cannot open to sync: " + errno_text());
  const int rc = ::fsync(fd);
  const std::string error = rc != 0 ? errno_text() : "";
  ::close(fd);
  if (rc != 0) throw RuntimeFailure(path + ": fsync failed: " + error);
}

// The writer pid of a temporary name, or -1 when the name has none.
long temporary_pid(const std::string& name) {
  const size_t marker = name.rfind(kTemporaryMarker);
  if (marker == std::string::npos) return -1;
  const std::string rest = name.substr(marker + std::strlen(kTemporaryMarker));
  const size_t dot = rest.find('.');
  if (dot == 0 || dot == std::string::npos) return -1;
  long pid = 0;
  for (size_t i = 0; i < dot; ++i) {
    if (rest[i] < '0' || rest[i] > '9' || pid > 100000000) return -1;
    pid = pid * 10 + (rest[i] - '0');
  }
  return pid;
}

}  // namespace

std::string temporary_path(const std::string& final_path) {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  std::ostringstream name;
  name << final_path << kTemporaryMarker << ::getpid() << '.' << std::hex << generator();
  return name.str();
}

void commit_temporary(const std::string& temporary, const std::string& final_path) {
  fsync_path(temporary, O_RDONLY);
  if (std::rename(temporary.c_str(), final_path.c_str()) != 0) {
    throw RuntimeFailure(final_path + ": cannot rename the temporary " + temporary +
                         " over it: " + errno_text());
  }
  const std::string folder = std::filesystem::path(final_path).parent_path().string();
  fsync_path(folder.empty() ? "." : folder, O_RDONLY | O_DIRECTORY);
}

bool commit_temporary_if_absent(const std::string& temporary, const std::string& final_path) {
  fsync_path(temporary, O_RDONLY);
  if (::link(temporary.c_str(), final_path.c_str()) != 0) {
    if (errno == EEXIST) return false;
    throw RuntimeFailure(final_path + ": cannot link the temporary " + temporary +
                         " to it: " + errno_text());
  }
  if (::unlink(temporary.c_str()) != 0) {
    throw RuntimeFailure(temporary + ": cannot remove after linking it to " + final_path + ": " +
                         errno_text());
  }
  const std::string folder = std::filesystem::path(final_path).parent_path().string();
  fsync_path(folder.empty() ? "." : folder, O_RDONLY | O_DIRECTORY);
  return true;
}

bool is_temporary(const std::filesystem::path& path) {
  return temporary_pid(path.filename().string()) > 0;
}

bool is_stale_temporary(const std::filesystem::path& path, std::chrono::seconds max_age) {
  const long pid = temporary_pid(path.filename().string());
  if (pid <= 0) return false;
  if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) return true;
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return false;  // gone already
  const auto age =
      std::chrono::system_clock::now() - std::chrono::system_clock::from_time_t(info.st_mtime);
  return age > max_age;
}

}  // namespace trajtool
