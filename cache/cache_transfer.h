#pragma once
// Moving cache entries between machines: which entries, their member names, their checks and
// what importing one did. The archive itself (cache_archive.h) is a POSIX ustar archive whose
// members are the cache's own files, "<kind folder>/<key>.h5" (trajectories/, grids/, models/,
// series/), and nothing else. `tar -xf A -C <cache root>` would give the same files;
// import_cache_archive() in addition checks every member as a reader would, checks that its key is
// the hash of its inputs, and never replaces a valid entry. Rules and messages:
// docs/cache-format.md, "Moving a cache between machines".
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

// A member name without its leading "./"s (as `tar -C root .` writes them).
std::string without_dot_slash(std::string name);

// The full check of an entry file for export and import: CacheStore's, and its config_json must
// hash to its key (a valid file renamed to another key passes the first but not this). Throws
// CorruptEntry.
EntryMeta verify_transferable(const CacheStore& store, const EntryRef& entry,
                              const std::string& path);

// Checks every entry in full, as import will (CacheStore's checks, and the SHA-256 of its
// config_json equal to its key); returns those missing or corrupt, in order.
std::vector<UnusableEntry> find_unusable_entries(const CacheStore& store,
                                                 const std::vector<EntryRef>& entries);

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

}  // namespace trajtool
