#pragma once
// The on-disk cache: one HDF5 file per entry, named by its key, under a cache root.
//   <root>/trajectories/<key>.h5   one optimizer run (Trajectory)
//   <root>/grids/<key>.h5          one loss grid (LossGrid)
//   <root>/models/<key>.h5         one trained-model run (TrainingRecord)
//   <root>/series/<key>.h5         one EMA demo (EmaRecord)
//   <root>/formulas/<key>.h5       one formula typeset by TeX (FormulaOutline)
//   <root>/datasets/<key>.h5       one data set, split into train and test (DatasetRecord)
//   <root>/metrics/<key>.h5        one imported training log (MetricLog)
//   <root>/landscapes/<key>.h5     one loss landscape of a trained model (LandscapeRecord)
//   <root>/interpolations/<key>.h5 one 1D interpolation between weights (InterpolationRecord)
//   <root>/agents/<key>.h5         one agent run: training curve and milestones (AgentRecord)
//   <root>/walks/<key>.h5          one walk through a trained model's input space (WalkRecord)
// Layout: docs/cache-format.md. Writes are atomic (temporary file in the same folder, fsync,
// rename); a file that fails to open, has missing or inconsistent datasets, or whose stored
// checksum does not match its data is corrupt: readers throw CorruptEntry, never return data.
// This library never loads LibTorch.
#include <optional>
#include <string>
#include <vector>

#include "toolkit/core/agent_record.h"
#include "toolkit/core/error.h"
#include "toolkit/core/formula_outline.h"
#include "toolkit/core/landscape_record.h"
#include "toolkit/core/metric_log.h"
#include "toolkit/core/training_record.h"
#include "toolkit/core/trajectory.h"
#include "toolkit/core/walk_record.h"

namespace trajtool {

enum class EntryKind {
  kTrajectory,
  kGrid,
  kModel,
  kSeries,
  kFormula,
  kDataset,
  kMetrics,
  kAgent,
  kLandscape,
  kInterpolation,
  kWalk
};
// Every kind, in the order listings and archives use.
inline constexpr EntryKind kAllKinds[] = {
    EntryKind::kTrajectory, EntryKind::kGrid,          EntryKind::kModel,   EntryKind::kSeries,
    EntryKind::kFormula,    EntryKind::kDataset,       EntryKind::kMetrics, EntryKind::kAgent,
    EntryKind::kLandscape,  EntryKind::kInterpolation, EntryKind::kWalk};
// "trajectories", "grids", "models", "series", "formulas", "datasets", "metrics", "agents",
// "landscapes", "interpolations", "walks"
const char* entry_kind_folder(EntryKind kind);
// "trajectory", "grid", "model", "series", "formula", "dataset", "metrics", "landscape",
// "interpolation", "walk": the `kind` attribute
const char* entry_kind_name(EntryKind kind);

// Thrown for a cache file that exists but cannot be trusted; the message names the file and why.
class CorruptEntry : public RuntimeFailure {
 public:
  using RuntimeFailure::RuntimeFailure;
};

// Thrown for an intact entry an older trajtool wrote in a layout of its kind this one no longer
// reads (its `layout_version` is older): it is regenerated, not reported as damaged. A
// CorruptEntry, so every place that would not use a damaged entry does not use a stale one either.
class StaleEntry : public CorruptEntry {
 public:
  using CorruptEntry::CorruptEntry;
};

// What every entry records about how it was made (HDF5 attributes at the file's root).
struct EntryMeta {
  std::string key;               // hex key, also the file name
  int schema_version = 0;        // kCacheSchemaVersion when written
  std::string config_json;       // canonical JSON of the inputs (what the key hashes)
  std::string label;             // display label of the run (not hashed), may be empty
  std::string trajtool_version;  // trajtool version that wrote it
  std::string torch_version;     // LibTorch version, "" when no torch was involved
  std::string created_utc;       // ISO 8601 creation time
  double wall_seconds = 0;       // compute time
  std::string checksum;          // the stored data checksum (filled by readers; writers compute it)
};

// One entry found by listing the cache.
struct EntryListing {
  EntryKind kind;     // which folder
  std::string key;    // file stem
  std::string path;   // absolute path
  int64_t bytes = 0;  // file size
};

class CacheStore {
 public:
  // root: the cache folder (created on first write). See default_cache_root().
  explicit CacheStore(std::string root);

  const std::string& root() const { return root_; }
  // Absolute path where the entry of that kind and key lives (whether it exists or not).
  std::string entry_path(EntryKind kind, const std::string& key) const;
  bool contains(EntryKind kind, const std::string& key) const;  // file exists (not verified)

  // Atomic writers: on return the entry is complete and valid, or nothing was written.
  // Concurrent writers of the same key all succeed; one file results.
  void write_trajectory(const EntryMeta& meta, const Trajectory& t, bool float64) const;
  void write_grid(const EntryMeta& meta, const LossGrid& g) const;
  void write_series(const EntryMeta& meta, const EmaRecord& e) const;
  void write_formula(const EntryMeta& meta, const FormulaOutline& f) const;
  void write_dataset(const EntryMeta& meta, const DatasetRecord& d) const;
  void write_training(const EntryMeta& meta, const TrainingRecord& r) const;  // kind `model`
  void write_metrics(const EntryMeta& meta, const MetricLog& log) const;
  void write_landscape(const EntryMeta& meta, const LandscapeRecord& r) const;
  void write_interpolation(const EntryMeta& meta, const InterpolationRecord& r) const;
  void write_agent(const EntryMeta& meta, const AgentRecord& r) const;  // kind `agent`
  void write_walk(const EntryMeta& meta, const WalkRecord& r) const;    // kind `walk`

  // Readers: std::nullopt when the file does not exist; CorruptEntry when it cannot be trusted.
  std::optional<Trajectory> read_trajectory(const std::string& key,
                                            EntryMeta* meta = nullptr) const;
  std::optional<LossGrid> read_grid(const std::string& key, EntryMeta* meta = nullptr) const;
  std::optional<EmaRecord> read_series(const std::string& key, EntryMeta* meta = nullptr) const;
  std::optional<FormulaOutline> read_formula(const std::string& key,
                                             EntryMeta* meta = nullptr) const;
  std::optional<DatasetRecord> read_dataset(const std::string& key,
                                            EntryMeta* meta = nullptr) const;
  // A trained-model run (folder `models`), every series, evaluation and checkpoint.
  std::optional<TrainingRecord> read_training(const std::string& key,
                                              EntryMeta* meta = nullptr) const;
  std::optional<MetricLog> read_metrics(const std::string& key, EntryMeta* meta = nullptr) const;
  std::optional<LandscapeRecord> read_landscape(const std::string& key,
                                                EntryMeta* meta = nullptr) const;
  std::optional<InterpolationRecord> read_interpolation(const std::string& key,
                                                        EntryMeta* meta = nullptr) const;
  std::optional<AgentRecord> read_agent(const std::string& key, EntryMeta* meta = nullptr) const;
  std::optional<WalkRecord> read_walk(const std::string& key, EntryMeta* meta = nullptr) const;

  // Full check of one file: throws CorruptEntry with the reason, else returns.
  void verify(EntryKind kind, const std::string& key) const;
  // The same check of the file at `path` (anywhere, e.g. a temporary), whose key attribute must be
  // `key`; returns its attributes. CorruptEntry messages start with `path`.
  EntryMeta verify_file(EntryKind kind, const std::string& path, const std::string& key) const;
  // Reads only the attributes (cheap): for `cache ls`.
  EntryMeta read_meta(EntryKind kind, const std::string& key) const;

  // Installing a file made elsewhere (an import): write it to new_temporary(kind, key), check it
  // with verify_file(), then install it. install_if_absent never replaces an existing entry, even
  // one that appears while it runs (link(2) fails on an existing name): false, and the temporary
  // stays for the caller to remove. install_replacing renames over an existing entry.
  std::string new_temporary(EntryKind kind, const std::string& key) const;  // creates the folder
  bool install_if_absent(EntryKind kind, const std::string& key,
                         const std::string& temporary) const;
  void install_replacing(EntryKind kind, const std::string& key,
                         const std::string& temporary) const;

  std::vector<EntryListing> list() const;  // every *.h5 entry, sorted by kind then key
  bool remove(EntryKind kind, const std::string& key) const;  // true if a file was removed
  // Removes leftover temporary files of interrupted writes; returns how many.
  int remove_stale_temporaries() const;

 private:
  std::string root_;
};

// $TRAJTOOL_CACHE if set, else "<cwd>/.cache"; made absolute.
std::string default_cache_root();

constexpr int kCacheSchemaVersion = 1;
// The layout of trained-model entries (`layout_version` attribute; files without it are version 1).
// 2 added `recording_seconds`. Bump it when the layout of model entries changes without the numbers
// changing: older entries then read as StaleEntry and are regenerated under the same key.
constexpr int kModelLayoutVersion = 2;
// The layout of walk entries (`layout_version` attribute, part of their key). Bump it when the
// layout of walk entries changes: their keys change and they are made anew.
constexpr int kWalkLayoutVersion = 1;

}  // namespace trajtool
