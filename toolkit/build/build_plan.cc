#include "toolkit/build/build_plan.h"

#include <map>
#include <set>

#include "toolkit/config/experiment_config.h"

namespace trajtool {
namespace {

// Why an entry must be made, or "" when the cache holds it.
std::string entry_reason(const CacheStore& store, const PlannedEntry& entry, bool force) {
  if (force) return "forced";
  if (!store.contains(entry.kind, entry.key)) return "missing";
  try {
    store.read_meta(entry.kind, entry.key);
  } catch (const RuntimeFailure& e) {
    return std::string("unreadable: ") + e.what();
  }
  return "";
}

}  // namespace

BuildPlan plan_build(const Manifest& manifest, const CacheStore& store, bool force) {
  BuildPlan plan;
  // Every file is read and checked before anything is made: a bad input makes nothing.
  std::map<std::string, std::size_t> index_of;  // same_file_key -> index into plan.experiments
  for (const std::string& path : manifest_experiment_paths(manifest)) {
    index_of[same_file_key(path)] = plan.experiments.size();
    plan.experiments.push_back(load_experiment(path));
  }
  const QualityPreset& quality = *find_quality_preset(manifest.quality);
  for (const ManifestScene& scene : manifest.scenes) {
    SceneToBuild build;
    build.scene = &scene;
    std::vector<Experiment> read;
    for (const SceneExperimentRef& ref : scene.header.experiments) {
      build.experiments.push_back(index_of.at(same_file_key(ref.path)));
      read.push_back(plan.experiments[build.experiments.back()]);
    }
    build.fingerprint = scene_fingerprint(scene.header, read, quality);
    plan.scenes.push_back(std::move(build));
  }

  std::set<std::pair<EntryKind, std::string>> seen;
  for (std::size_t i = 0; i < plan.experiments.size(); ++i) {
    for (PlannedEntry& entry : plan_experiment(plan.experiments[i])) {
      if (!seen.insert({entry.kind, entry.key}).second) continue;
      std::string reason = entry_reason(store, entry, force);
      if (!reason.empty()) plan.entries.push_back({i, std::move(entry), std::move(reason)});
    }
  }

  plan.log = load_build_log(manifest.output_dir);
  for (SceneToBuild& build : plan.scenes) {
    auto it = plan.log.records.find(build.scene->stem);
    build.reason = force ? "forced"
                         : render_reason(it == plan.log.records.end() ? nullptr : &it->second,
                                         build.fingerprint, file_stamp(build.scene->output_path));
  }
  return plan;
}

}  // namespace trajtool
