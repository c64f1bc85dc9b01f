#include "cache/cache_archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <system_error>
#include <vector>

#include "cache/atomic_file.h"

namespace trajtool {
namespace fs = std::filesystem;
namespace {

constexpr size_t kPiece = size_t{1} << 20;  // members are copied in pieces of 1 MiB

// One member as libarchive reports its header (pax and GNU extension headers already applied).
struct Member {
  std::string name;        // path in the archive
  mode_t type = 0;         // AE_IFREG, AE_IFDIR, AE_IFLNK, ...
  std::string link_name;   // a hard link's or symbolic link's target, else ""
  bool hard_link = false;  // a hard link (libarchive has no type for it: told by its target)

  bool is_regular_file() const { return type == AE_IFREG && !hard_link; }
};

using ArchiveHandle = std::unique_ptr<archive, int (*)(archive*)>;

// libarchive's message for the last failure of `a` (or errno's, when it has none).
std::string archive_message(archive* a) {
  const char* text = archive_error_string(a);
  return text ? text : std::strerror(errno);
}

// Reads a tar archive (ustar, GNU or pax; no compression) member by member.
class ArchiveReader {
 public:
  explicit ArchiveReader(std::string path) : path_(std::move(path)) {
    std::error_code error;
    if (fs::is_directory(path_, error)) throw InputError(path_ + ": not a regular file");
    // Opened here first, so that a missing or unreadable file is the user's error (exit 2) and any
    // failure of libarchive's open below means the bytes are not a tar archive.
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> probe(std::fopen(path_.c_str(), "rb"),
                                                          &std::fclose);
    if (!probe) throw InputError(path_ + ": cannot open the archive: " + std::strerror(errno));
    archive_read_support_format_tar(archive_.get());
    if (archive_read_open_filename(archive_.get(), path_.c_str(), kPiece) != ARCHIVE_OK) fail();
  }

  // The next member's header, or false at the end. Throws CorruptArchive for a damaged header or
  // an archive that ends inside a member (its data are skipped, so that is found here too).
  bool next(Member* member) {
    archive_entry* entry = nullptr;
    const int status = archive_read_next_header(archive_.get(), &entry);
    if (status == ARCHIVE_EOF) return false;
    if (status != ARCHIVE_OK) fail();
    member->name = archive_entry_pathname(entry) ? archive_entry_pathname(entry) : "";
    member->type = archive_entry_filetype(entry);
    const char* hard = archive_entry_hardlink(entry);
    const char* symbolic = archive_entry_symlink(entry);
    member->hard_link = hard != nullptr;
    member->link_name = hard ? hard : symbolic ? symbolic : "";
    return true;
  }

  // Hands the current member's data to `sink` in pieces of at most 1 MiB, in order. Throws
  // CorruptArchive if the archive ends inside it.
  void read_data(const std::function<void(const char* data, size_t size)>& sink) {
    std::vector<char> buffer(kPiece);
    for (;;) {
      const la_ssize_t n = archive_read_data(archive_.get(), buffer.data(), buffer.size());
      if (n < 0) fail();
      if (n == 0) return;
      sink(buffer.data(), static_cast<size_t>(n));
    }
  }

 private:
  [[noreturn]] void fail() const {
    const std::string what = archive_message(archive_.get());
    const bool cut = what.find("runcated") != std::string::npos;  // "Truncated tar archive", ...
    throw CorruptArchive(path_ + ": " + what + (cut ? " (truncated?)" : " (damaged?)"));
  }

  std::string path_;                                               // the archive read
  ArchiveHandle archive_{archive_read_new(), &archive_read_free};  // libarchive's reader
};

// A folder member `tar` writes for the cache root or a kind folder ("./", "trajectories/"): it
// carries nothing and is skipped.
bool is_cache_folder(const Member& member) {
  if (member.type != AE_IFDIR) return false;
  std::string name = without_dot_slash(member.name);
  while (!name.empty() && name.back() == '/') name.pop_back();
  if (name.empty() || name == ".") return true;
  return std::any_of(std::begin(kAllKinds), std::end(kAllKinds),
                     [&](EntryKind kind) { return name == entry_kind_folder(kind); });
}

std::string member_type_text(const Member& member) {
  if (member.hard_link) return "a hard link to '" + member.link_name + "'";
  switch (member.type) {
    case AE_IFLNK:
      return "a symbolic link to '" + member.link_name + "'";
    case AE_IFCHR:
    case AE_IFBLK:
      return "a device";
    case AE_IFDIR:
      return "a folder";
    case AE_IFIFO:
      return "a FIFO";
    case AE_IFSOCK:
      return "a socket";
    default:
      return "of type " + std::to_string(member.type);
  }
}

// What is wrong with a member as part of a cache archive, or "" if nothing.
std::string member_problem(const Member& member) {
  if (is_cache_folder(member)) return "";
  if (!member.is_regular_file()) return "is " + member_type_text(member) + ", not a regular file";
  if (!parse_member_name(member.name)) {
    return "is not named <kind folder>/<64 lowercase hex digits>.h5 (kind folders: trajectories, "
           "grids, models, series)";
  }
  return "";
}

void copy_member_to(ArchiveReader& reader, const std::string& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> out(std::fopen(path.c_str(), "wbx"),
                                                      &std::fclose);
  if (!out) throw RuntimeFailure(path + ": cannot create: " + std::strerror(errno));
  reader.read_data([&](const char* data, size_t size) {
    if (std::fwrite(data, 1, size, out.get()) != size) {
      throw RuntimeFailure(path + ": cannot write: " + std::strerror(errno));
    }
  });
  if (std::fclose(out.release()) != 0) {
    throw RuntimeFailure(path + ": cannot write: " + std::strerror(errno));
  }
}

// Appends the file at `source` to `writer` as the regular member `name` (mode 0644, owner 0/0, the
// file's modification time), copying it in pieces.
void add_file(archive* writer, const std::string& archive_path, const std::string& name,
              const std::string& source) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> in(std::fopen(source.c_str(), "rb"),
                                                     &std::fclose);
  if (!in) throw RuntimeFailure(source + ": cannot open to archive: " + std::strerror(errno));
  struct stat info {};
  if (::fstat(fileno(in.get()), &info) != 0 || !S_ISREG(info.st_mode)) {
    throw RuntimeFailure(source + ": not a regular file");
  }
  std::unique_ptr<archive_entry, void (*)(archive_entry*)> entry(archive_entry_new(),
                                                                 &archive_entry_free);
  archive_entry_set_pathname(entry.get(), name.c_str());
  archive_entry_set_filetype(entry.get(), AE_IFREG);
  archive_entry_set_perm(entry.get(), 0644);
  archive_entry_set_size(entry.get(), info.st_size);
  archive_entry_set_mtime(entry.get(), info.st_mtim.tv_sec, 0);
  const auto fail = [&](const std::string& what) {
    throw RuntimeFailure(archive_path + ": " + what + ": " + archive_message(writer));
  };
  if (archive_write_header(writer, entry.get()) != ARCHIVE_OK) fail("cannot add " + name);
  std::vector<char> buffer(kPiece);
  int64_t left = info.st_size;
  while (left > 0) {
    const size_t want = static_cast<size_t>(std::min<int64_t>(left, kPiece));
    if (std::fread(buffer.data(), 1, want, in.get()) != want) {
      throw RuntimeFailure(source + ": shorter than its size " + std::to_string(info.st_size) +
                           " (changed while archiving?)");
    }
    if (archive_write_data(writer, buffer.data(), want) != static_cast<la_ssize_t>(want)) {
      fail("cannot write");
    }
    left -= static_cast<int64_t>(want);
  }
}

std::string after_prefix(const std::string& text, const std::string& prefix) {
  return text.rfind(prefix, 0) == 0 ? text.substr(prefix.size()) : text;
}

ImportedMember import_member(const CacheStore& store, ArchiveReader& reader, const Member& member,
                             const EntryRef& entry) {
  ImportedMember out;
  out.member = member.name;
  out.entry = entry;
  TemporaryFile temporary{store.new_temporary(entry.kind, entry.key)};
  copy_member_to(reader, temporary.path);
  EntryMeta incoming;
  try {
    incoming = verify_transferable(store, entry, temporary.path);
  } catch (const CorruptEntry& e) {
    out.result = ImportResult::kRejected;
    out.detail = after_prefix(e.what(), temporary.path + ": ");
    return out;
  }
  out.label = incoming.label;
  if (store.install_if_absent(entry.kind, entry.key, temporary.path)) {
    temporary.installed = true;
    out.result = ImportResult::kAdded;
    return out;
  }
  try {
    const EntryMeta existing =
        verify_transferable(store, entry, store.entry_path(entry.kind, entry.key));
    out.label = existing.label;
    if (existing.checksum == incoming.checksum) {
      out.result = ImportResult::kKept;
    } else {
      out.result = ImportResult::kKeptDiffers;
      out.detail = "the cache's data checksum is " + existing.checksum + ", the archive's " +
                   incoming.checksum;
    }
  } catch (const CorruptEntry& e) {
    store.install_replacing(entry.kind, entry.key, temporary.path);
    temporary.installed = true;
    out.result = ImportResult::kReplacedCorrupt;
    out.detail = e.what();
  }
  return out;
}

}  // namespace

int64_t write_cache_archive(const CacheStore& store, const std::vector<EntryRef>& entries,
                            const std::string& archive_path) {
  TemporaryFile temporary{temporary_path(archive_path)};
  ArchiveHandle writer(archive_write_new(), &archive_write_free);
  // ustar, as before; the last block is not padded to tar's 10 KiB records (two zero blocks end
  // it).
  if (archive_write_set_format_ustar(writer.get()) != ARCHIVE_OK ||
      archive_write_set_bytes_in_last_block(writer.get(), 1) != ARCHIVE_OK ||
      archive_write_open_filename(writer.get(), temporary.path.c_str()) != ARCHIVE_OK) {
    throw RuntimeFailure(temporary.path +
                         ": cannot create the archive: " + archive_message(writer.get()));
  }
  for (const EntryRef& entry : entries) {
    add_file(writer.get(), temporary.path, archive_member_name(entry),
             store.entry_path(entry.kind, entry.key));
  }
  if (archive_write_close(writer.get()) != ARCHIVE_OK) {
    throw RuntimeFailure(temporary.path + ": cannot write: " + archive_message(writer.get()));
  }
  const int64_t size = archive_filter_bytes(writer.get(), -1);
  commit_temporary(temporary.path, archive_path);
  temporary.installed = true;
  return size;
}

std::vector<ImportedMember> import_cache_archive(
    const CacheStore& store, const std::string& archive_path,
    const std::function<void(const ImportedMember&)>& on_member) {
  // Pass 1: headers only (libarchive skips the data), so that nothing is written from an archive
  // that holds anything else or is damaged.
  std::vector<std::string> problems;
  {
    ArchiveReader reader(archive_path);
    Member member;
    while (reader.next(&member)) {
      const std::string problem = member_problem(member);
      if (!problem.empty()) problems.push_back("member '" + member.name + "' " + problem);
    }
  }
  if (!problems.empty()) {
    std::string message = archive_path + ": not a trajtool cache archive, nothing was imported:";
    for (const std::string& problem : problems) message += "\n  " + problem;
    throw InputError(message);
  }
  // Pass 2: copy, verify and install each member.
  std::vector<ImportedMember> imported;
  ArchiveReader reader(archive_path);
  Member member;
  while (reader.next(&member)) {
    if (is_cache_folder(member)) continue;
    const std::optional<EntryRef> entry = parse_member_name(member.name);
    if (!entry || !member.is_regular_file()) {
      throw InputError(archive_path + ": member '" + member.name +
                       "' appeared while importing (was the archive changed?)");
    }
    imported.push_back(import_member(store, reader, member, *entry));
    if (on_member) on_member(imported.back());
  }
  return imported;
}

}  // namespace trajtool

extern "C" __attribute__((visibility("default"))) const trajtool::ArchiveBackend*
trajtool_archive_backend() {
  static const trajtool::ArchiveBackend backend{&trajtool::write_cache_archive,
                                                &trajtool::import_cache_archive};
  return &backend;
}
