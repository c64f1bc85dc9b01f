#include "cache/cache_transfer.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <system_error>

#include "cache/atomic_file.h"
#include "cache/tar_archive.h"
#include "toolkit/core/digest.h"

namespace trajtool {
namespace fs = std::filesystem;
namespace {

constexpr size_t kKeyDigits = 64;

std::string without_dot_slash(std::string name) {
  while (name.rfind("./", 0) == 0) name.erase(0, 2);
  return name;
}

// A folder member `tar` writes for the cache root or a kind folder ("./", "trajectories/"): it
// carries nothing and is skipped.
bool is_cache_folder(const TarMember& member) {
  if (member.type != '5') return false;
  std::string name = without_dot_slash(member.name);
  while (!name.empty() && name.back() == '/') name.pop_back();
  if (name.empty() || name == ".") return true;
  return std::any_of(std::begin(kAllKinds), std::end(kAllKinds),
                     [&](EntryKind kind) { return name == entry_kind_folder(kind); });
}

std::string member_type_text(const TarMember& member) {
  switch (member.type) {
    case '1':
      return "a hard link to '" + member.link_name + "'";
    case '2':
      return "a symbolic link to '" + member.link_name + "'";
    case '3':
    case '4':
      return "a device";
    case '5':
      return "a folder";
    case '6':
      return "a FIFO";
    case 'x':
    case 'g':
      return "a pax extended header (write the archive with `tar --format=ustar`)";
    case 'L':
    case 'K':
      return "a GNU long-name header";
    default:
      return std::string("of type '") + member.type + "'";
  }
}

// What is wrong with a member as part of a cache archive, or "" if nothing.
std::string member_problem(const TarMember& member) {
  if (is_cache_folder(member)) return "";
  if (!member.is_regular_file()) return "is " + member_type_text(member) + ", not a regular file";
  if (!parse_member_name(member.name)) {
    return "is not named <kind folder>/<64 lowercase hex digits>.h5 (kind folders: trajectories, "
           "grids, models, series)";
  }
  return "";
}

void copy_member_to(TarReader& reader, const std::string& path) {
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

// The full check of an entry file for export and import: CacheStore's, and its config_json must
// hash to its key (a valid file renamed to another key passes the first but not this). Throws
// CorruptEntry.
EntryMeta verify_transferable(const CacheStore& store, const EntryRef& entry,
                              const std::string& path) {
  EntryMeta meta = store.verify_file(entry.kind, path, entry.key);
  const std::string hashed = sha256_hex(meta.config_json);
  if (hashed != entry.key) {
    throw CorruptEntry(path + ": its config_json hashes to " + hashed +
                       ", not to its key (renamed or edited?)");
  }
  return meta;
}

std::string after_prefix(const std::string& text, const std::string& prefix) {
  return text.rfind(prefix, 0) == 0 ? text.substr(prefix.size()) : text;
}

ImportedMember import_member(const CacheStore& store, TarReader& reader, const TarMember& member,
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

std::string archive_member_name(const EntryRef& entry) {
  return std::string(entry_kind_folder(entry.kind)) + "/" + entry.key + ".h5";
}

std::optional<EntryRef> parse_member_name(const std::string& name) {
  const std::string path = without_dot_slash(name);
  const size_t slash = path.find('/');
  if (slash == std::string::npos) return std::nullopt;
  const std::string folder = path.substr(0, slash);
  const std::string file = path.substr(slash + 1);
  const auto kind = std::find_if(std::begin(kAllKinds), std::end(kAllKinds),
                                 [&](EntryKind k) { return folder == entry_kind_folder(k); });
  if (kind == std::end(kAllKinds)) return std::nullopt;
  if (file.size() != kKeyDigits + 3 || file.compare(kKeyDigits, 3, ".h5") != 0) return std::nullopt;
  const std::string key = file.substr(0, kKeyDigits);
  const bool hex = std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  });
  if (!hex) return std::nullopt;
  return EntryRef{*kind, key};
}

std::vector<UnusableEntry> find_unusable_entries(const CacheStore& store,
                                                 const std::vector<EntryRef>& entries) {
  std::vector<UnusableEntry> unusable;
  for (const EntryRef& entry : entries) {
    if (!store.contains(entry.kind, entry.key)) {
      unusable.push_back({entry, true, store.entry_path(entry.kind, entry.key)});
      continue;
    }
    try {
      verify_transferable(store, entry, store.entry_path(entry.kind, entry.key));
    } catch (const CorruptEntry& e) {
      unusable.push_back({entry, false, e.what()});
    }
  }
  return unusable;
}

int64_t write_cache_archive(const CacheStore& store, const std::vector<EntryRef>& entries,
                            const std::string& archive_path) {
  TemporaryFile temporary{temporary_path(archive_path)};
  TarWriter writer(temporary.path);
  for (const EntryRef& entry : entries) {
    writer.add_file(archive_member_name(entry), store.entry_path(entry.kind, entry.key));
  }
  writer.finish();
  commit_temporary(temporary.path, archive_path);
  temporary.installed = true;
  return writer.bytes_written();
}

std::vector<ImportedMember> import_cache_archive(
    const CacheStore& store, const std::string& archive_path,
    const std::function<void(const ImportedMember&)>& on_member) {
  // Pass 1: headers only (data is skipped by seeking), so that nothing is written from an archive
  // that holds anything else or is damaged.
  std::vector<std::string> problems;
  {
    TarReader reader(archive_path);
    TarMember member;
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
  TarReader reader(archive_path);
  TarMember member;
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
