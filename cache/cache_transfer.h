#pragma once
// Moving cache entries between machines: a POSIX ustar archive (read and written by libarchive)
// whose members are the cache's own files, "<kind folder>/<key>.h5" (trajectories/, grids/,
// models/, series/), and nothing else.
// `tar -xf A -C <cache root>` would give the same files; import_cache_archive() in addition checks
// every member as a reader would, checks that its key is the hash of its inputs, and never
// replaces a valid entry. Rules and messages: docs/cache-format.md, "Moving a cache between
// machines".
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cache/cache_store.h"
#include "toolkit/core/error.h"

namespace trajtool {

// An archive whose bytes are damaged: a header checksum that does not match, a header that is not
// tar, or an end inside a member.
class CorruptArchive : public RuntimeFailure {
 public:
  using RuntimeFailure::RuntimeFailure;
};

// One entry of a cache.
struct EntryRef {
  EntryKind kind = EntryKind::kTrajectory;  // its folder
  std::string key;                          // its key (the file stem)
};

// The member name of an entry: "trajectories/<key>.h5" and so on.
std::string archive_member_name(const EntryRef& entry);
// The entry a member name stands for, or nothing unless the name is exactly
// "<kind folder>/<64 lowercase hex digits>.h5", optionally led by "./" (as `tar -C root .` makes).
std::optional<EntryRef> parse_member_name(const std::string& name);

// An entry that cannot be exported.
struct UnusableEntry {
  EntryRef entry;        // which one
  bool missing = false;  // there is no file (else the file is corrupt)
  std::string reason;    // CorruptEntry's message ("<path>: <what is wrong>"), or the path
};

// Checks every entry in full, as import will (CacheStore's checks, and the SHA-256 of its
// config_json equal to its key); returns those missing or corrupt, in order.
std::vector<UnusableEntry> find_unusable_entries(const CacheStore& store,
                                                 const std::vector<EntryRef>& entries);

// Copies the entries' files, in order, into a ustar archive at `archive_path`, atomically: a
// temporary next to it is renamed over it when complete, so a failure leaves no archive behind
// (and an older file of that name untouched). Checks nothing about the entries: call
// find_unusable_entries() first. Returns the archive's size in bytes.
int64_t write_cache_archive(const CacheStore& store, const std::vector<EntryRef>& entries,
                            const std::string& archive_path);

// What importing one member did.
enum class ImportResult {
  kAdded,            // no entry of that key existed: installed
  kKept,             // a valid entry of that key exists, with the same data: left alone
  kKeptDiffers,      // a valid entry of that key exists and its data differ: left alone
  kReplacedCorrupt,  // the existing entry of that key was corrupt: replaced
  kRejected,         // the member failed verification: not imported
};

// One member imported (or not).
struct ImportedMember {
  std::string member;                             // its name in the archive
  EntryRef entry;                                 // the entry it holds
  ImportResult result = ImportResult::kRejected;  // what happened
  std::string label;                              // the entry's label ("" when rejected)
  std::string detail;  // rejected: why; replaced: what was wrong with the old file; differs: the
                       // two data checksums; else ""
};

// Imports a cache archive into `store`, calling `on_member` after each member.
//  1. Every header is read first. A member that is not a regular file named as above (folder
//     members for the root and the kind folders excepted) makes it throw InputError naming each
//     such member; a damaged or truncated archive throws CorruptArchive. Nothing is written then.
//  2. Each member is copied to a temporary file in its entry's folder and checked in full:
//     CacheStore::verify_file() (opens, attributes, shapes, checksum, key attribute equal to the
//     name) and the SHA-256 of its config_json equal to its key. Then it is installed
//     (ImportResult). A valid existing entry is never replaced; an existing entry that fails the
//     same checks is. A rejected member is reported and skipped; the others are still imported.
// Machine failures (disk full) throw RuntimeFailure; entries installed before stay (they are
// valid).
std::vector<ImportedMember> import_cache_archive(
    const CacheStore& store, const std::string& archive_path,
    const std::function<void(const ImportedMember&)>& on_member = {});

}  // namespace trajtool
