#pragma once
// Helpers every entry kind's writer and reader share (cache_store.cc defines them; the kinds'
// layouts live in cache_store.cc, training_entry.cc and landscape_entry.cc). Internal to the cache
// library.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cache/cache_store.h"
#include "cache/hdf5_file.h"

namespace trajtool {

int64_t product(const std::vector<int64_t>& dims);         // 1 for {}
std::string shape_text(const std::vector<int64_t>& dims);  // "[3, 2]"
// InputError unless `key` is letters, digits, '_' or '-' (it becomes a file or dataset name).
void check_key(const std::string& key);
// RuntimeFailure (the caller's bug) when `actual` != `expected` values.
void check_size(const std::string& key, const std::string& what, size_t actual, int64_t expected);

// Writes one entry atomically: `fill` writes datasets and kind-specific attributes; the common
// attributes and the checksum follow.
void write_entry(const std::string& path, EntryKind kind, const EntryMeta& meta,
                 double wall_seconds, const std::function<void(H5Writer&, EntryChecksum&)>& fill);

// An entry open for reading, with its common attributes checked.
struct OpenEntry {
  H5Reader file;   // the open file
  EntryMeta meta;  // its common attributes, with the stored checksum
};
// std::nullopt when there is no file; CorruptEntry when kind, key or schema do not match.
std::optional<OpenEntry> open_entry(const std::string& path, EntryKind kind,
                                    const std::string& key);
void check_checksum(const OpenEntry& entry, const EntryChecksum& checksum);
void expect_shape(const H5Reader& file, const std::string& name, const std::vector<int64_t>& dims,
                  const std::vector<int64_t>& expected);
// Reads a float dataset that must have exactly `expected` shape and the given dtype.
std::vector<double> read_exact(const H5Reader& file, const std::string& name,
                               const std::vector<int64_t>& expected, bool float64,
                               EntryChecksum* checksum);
// Reads an integer dataset that must have exactly `expected` shape.
std::vector<int64_t> read_ints_exact(const H5Reader& file, const std::string& name,
                                     const std::vector<int64_t>& expected, EntryChecksum* checksum);
void set_meta(EntryMeta* out, const EntryMeta& meta);
// Chunked + shuffle + deflate 4 in chunks of 256 KB, as single runs' arrays are stored: what the
// agent and walk entries' per-frame series use.
StorageOptions compressed_storage(bool float64);
// The group of milestone `k` in the agent and walk entries: "milestones/<k>".
std::string milestone_group(std::size_t k);

// The full readers of the newer kinds (training_entry.cc), for CacheStore and verify_file.
std::optional<DatasetRecord> read_dataset_file(const std::string& path, const std::string& key,
                                               EntryMeta* meta);
std::optional<TrainingRecord> read_training_file(const std::string& path, const std::string& key,
                                                 EntryMeta* meta);
std::optional<AgentRecord> read_agent_file(const std::string& path, const std::string& key,
                                           EntryMeta* meta);  // agent_entry.cc

std::optional<LandscapeRecord> read_landscape_file(const std::string& path, const std::string& key,
                                                   EntryMeta* meta);
std::optional<InterpolationRecord> read_interpolation_file(const std::string& path,
                                                           const std::string& key, EntryMeta* meta);
std::optional<WalkRecord> read_walk_file(const std::string& path, const std::string& key,
                                         EntryMeta* meta);  // walk_entry.cc

}  // namespace trajtool
