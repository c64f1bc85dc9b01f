#pragma once
// What `trajtool build` has to do for a manifest, found without computing or drawing anything:
// the cache entries that are missing, and the scenes whose videos are not up to date, each with
// the reason. Reads the experiment files, the scene files, each entry's HDF5 attributes and the
// output folder's build log; never loads LibTorch or the renderer.
#include <string>
#include <vector>

#include "cache/cache_store.h"
#include "toolkit/build/build_log.h"
#include "toolkit/build/scene_fingerprint.h"
#include "toolkit/config/manifest.h"
#include "toolkit/pipeline/generate.h"

namespace trajtool {

// A cache entry the build must make.
struct EntryToMake {
  std::size_t experiment = 0;  // index into BuildPlan::experiments
  PlannedEntry entry;          // kind, label and key
  std::string reason;          // "missing", "forced" or "unreadable: <why>"
};

// One scene of the manifest.
struct SceneToBuild {
  const ManifestScene* scene = nullptr;  // in the manifest the plan was made from
  std::vector<std::size_t>
      experiments;               // indices into BuildPlan::experiments, in the scene's order
  SceneFingerprint fingerprint;  // its inputs now
  std::string reason;            // why it must be rendered; "" when up to date
};

// The whole plan.
struct BuildPlan {
  std::vector<Experiment> experiments;  // every file the manifest needs (manifest_experiment_paths)
  std::vector<EntryToMake> entries;     // entries to make, each (kind, key) once, in file order
  std::vector<SceneToBuild> scenes;     // every scene, in manifest order
  BuildLog log;                         // the output folder's build log as read
};

// An entry counts as present when its file opens and its attributes name its kind, key and the
// cache schema (CacheStore::read_meta, ~0.3 ms); the data's checksum is checked when the entry is
// read (render, `cache verify`), not here. With `force` every entry and every scene is listed.
BuildPlan plan_build(const Manifest& manifest, const CacheStore& store, bool force);

}  // namespace trajtool
