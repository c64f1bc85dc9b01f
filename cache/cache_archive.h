#pragma once
// Cache archives read and written by libarchive: export and import (rules in cache_transfer.h and
// docs/cache-format.md). libarchive and what it links (libxml2, ICU, lzma, ...) cost milliseconds
// to load, so this code is linked into libtrajtool_archive.so, which `cache export` and `cache
// import` load (dlopen) and every other command does not.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "cache/cache_transfer.h"

namespace trajtool {

// Copies the entries' files, in order, into a ustar archive at `archive_path`, atomically: a
// temporary next to it is renamed over it when complete, so a failure leaves no archive behind
// (and an older file of that name untouched). Checks nothing about the entries: call
// find_unusable_entries() first. Returns the archive's size in bytes.
int64_t write_cache_archive(const CacheStore& store, const std::vector<EntryRef>& entries,
                            const std::string& archive_path);

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

// The plugin's table (what libtrajtool_archive.so exports).
struct ArchiveBackend {
  int64_t (*write_cache_archive)(const CacheStore& store, const std::vector<EntryRef>& entries,
                                 const std::string& archive_path) = nullptr;
  std::vector<ImportedMember> (*import_cache_archive)(
      const CacheStore& store, const std::string& archive_path,
      const std::function<void(const ImportedMember&)>& on_member) = nullptr;
};

}  // namespace trajtool

// The library's one exported symbol.
extern "C" const trajtool::ArchiveBackend* trajtool_archive_backend();
