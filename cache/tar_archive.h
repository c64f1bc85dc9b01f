#pragma once
// POSIX ustar archives (POSIX.1-1988 "ustar" interchange format), just enough to move cache
// entries: 512-byte headers with octal fields and a checksum, each followed by the member's data
// padded to 512 bytes, and two zero blocks at the end. The writer writes regular files only; the
// reader reports every member with its type so that its caller can refuse what it does not want.
// GNU tar's own header ("ustar  ", its default format) is read too; pax and GNU extension headers
// are reported as members of their type ('x', 'g', 'L', 'K'), not interpreted.
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>

#include "toolkit/core/error.h"

namespace trajtool {

// An archive whose bytes are damaged: a header checksum that does not match, a header that is not
// ustar, a number field that is not octal, or an end before the end-of-archive marker.
class CorruptArchive : public RuntimeFailure {
 public:
  using RuntimeFailure::RuntimeFailure;
};

// One member as its header describes it.
struct TarMember {
  std::string name;       // path in the archive; ustar's prefix field joined with '/'
  char type = '0';        // typeflag: '0' (or '\0') regular file, '5' folder, '2' symlink, ...
  int64_t size = 0;       // bytes of data following the header
  int64_t mode = 0;       // permission bits
  int64_t mtime = 0;      // modification time, seconds since 1970
  std::string link_name;  // target of a link member, else ""

  bool is_regular_file() const { return type == '0' || type == '\0'; }
};

// Writes an archive front to back. The file is complete only after finish().
class TarWriter {
 public:
  explicit TarWriter(std::string path);  // creates or truncates `path`; RuntimeFailure if it cannot
  ~TarWriter();
  TarWriter(const TarWriter&) = delete;
  TarWriter& operator=(const TarWriter&) = delete;

  // Appends the file at `source` as a regular member `name` (mode 0644, the file's mtime, owner
  // 0/0), copying it in pieces. `name` must fit ustar's 100-byte name field.
  void add_file(const std::string& name, const std::string& source);
  // Appends `bytes` as a regular member `name` with the given mtime.
  void add_bytes(const std::string& name, const std::string& bytes, int64_t mtime);
  // Writes the two zero blocks, flushes and closes. RuntimeFailure if any write failed.
  void finish();
  int64_t bytes_written() const { return offset_; }

 private:
  void write_header(const std::string& name, int64_t size, int64_t mtime);
  void write(const void* data, size_t size);
  void pad_to_block();

  std::string path_;                                      // the archive written
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file_;  // open until finish()
  int64_t offset_ = 0;                                    // bytes written so far
};

// Reads an archive front to back, member by member, without loading a member whole.
class TarReader {
 public:
  explicit TarReader(std::string path);  // InputError if `path` cannot be opened

  // Reads the next header into `member`, skipping whatever data of the previous member was not
  // read. Returns false at the end-of-archive marker (a zero block). Throws CorruptArchive for a
  // damaged header or an archive that ends before its marker or inside a member.
  bool next(TarMember* member);
  // Hands the current member's data to `sink` in pieces of at most 1 MiB, in order. At most once
  // per member. Throws CorruptArchive if the archive ends early.
  void read_data(const std::function<void(const char* data, size_t size)>& sink);

 private:
  [[noreturn]] void fail(const std::string& what) const;  // throws CorruptArchive

  std::string path_;                                      // the archive read
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file_;  // the open archive
  int64_t archive_bytes_ = 0;                             // size of the archive file
  int64_t offset_ = 0;                                    // read position
  int64_t data_left_ = 0;                                 // unread data bytes of the current member
  int64_t padding_ = 0;                                   // padding after the current member's data
  std::string member_name_;                               // the current member, for messages
};

}  // namespace trajtool
