#pragma once
// The data stage: every entry an experiment needs, loaded from the cache when its key is there and
// valid, computed (and written atomically) otherwise. LibTorch is loaded only on the first miss
// that needs it.
#include <functional>
#include <string>
#include <vector>

#include "cache/cache_store.h"
#include "toolkit/core/run_spec.h"

namespace trajtool {

// What happened to one entry.
struct GenerateOutcome {
  EntryKind kind = EntryKind::kTrajectory;  // which cache folder
  std::string label;                        // run label (or objective name for grids)
  std::string key;                          // cache key
  std::string path;                         // the entry's file
  bool hit = false;                         // loaded from the cache, not computed
  std::string note;                         // e.g. "was corrupt: <why>; regenerated"
  double final_loss = 0;     // loss at the last stored row (mean over a sweep's finite ends)
  int64_t steps = 0;         // steps stored (rows - 1)
  int64_t diverged = 0;      // single run: 1 if diverged; sweep: how many points diverged
  int64_t diverged_at = -1;  // single run: first non-finite row
  int64_t points = 1;        // start points (sweep size)
};

struct GenerateOptions {
  bool force = false;  // recompute even when a valid entry exists
  // Called once an entry is done (loaded or computed), in order.
  std::function<void(const GenerateOutcome&)> on_entry;
  // Shows progress of a computed run: (label, steps done, total).
  bool show_progress = false;
};

std::vector<GenerateOutcome> generate_experiment(const Experiment& experiment,
                                                 const CacheStore& store,
                                                 const GenerateOptions& options);

// The keys and paths an experiment's entries have, computing nothing (`cache path`, `cache rm`).
struct PlannedEntry {
  EntryKind kind;     // folder
  std::string label;  // run label
  std::string key;    // cache key
};
std::vector<PlannedEntry> plan_experiment(const Experiment& experiment);

}  // namespace trajtool
