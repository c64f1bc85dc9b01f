#pragma once
// A whole file mapped read-only into memory (mmap): large logs are hashed and parsed without being
// copied. InputError when the file is missing, a folder or unreadable.
#include <cstdint>
#include <string>
#include <string_view>

namespace trajtool {

class MappedFile {
 public:
  explicit MappedFile(const std::string& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  std::string_view bytes() const { return {data_, size_}; }
  int64_t mtime_ns() const { return mtime_ns_; }  // modification time when opened

 private:
  const char* data_ = nullptr;  // the mapping (null for an empty file)
  std::size_t size_ = 0;        // its length
  int64_t mtime_ns_ = 0;        // st_mtim in nanoseconds
};

}  // namespace trajtool
