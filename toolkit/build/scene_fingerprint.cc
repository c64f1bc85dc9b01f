#include "toolkit/build/scene_fingerprint.h"

#include "cache/cache_store.h"
#include "toolkit/core/canonical_json.h"
#include "toolkit/core/digest.h"
#include "toolkit/core/error.h"
#include "toolkit/pipeline/generate.h"

namespace trajtool {
namespace {

std::string hash(const Json& json) { return sha256_hex(canonical_dump(json)); }

std::string combine(const std::map<std::string, std::string>& parts) { return hash(Json(parts)); }

Json experiment_json(const SceneExperimentRef& ref, const Experiment& experiment) {
  Json entries = Json::array();
  for (const PlannedEntry& entry : plan_experiment(experiment)) {
    entries.push_back(Json::array({entry_kind_folder(entry.kind), entry.key}));
  }
  Json runs = Json::array();
  for (const RunSpec& run : experiment.runs) {
    runs.push_back({{"label", run.label}, {"color", run.color}});
  }
  Json models = Json::array();
  for (const TrainingRunSpec& run : experiment.training_runs)
    models.push_back({{"label", run.label}, {"color", run.color}});
  Json emas = Json::array();
  for (const EmaSpec& ema : experiment.emas) emas.push_back({{"label", ema.label}});
  return {{"ref", ref.name},         {"path", ref.path},
          {"name", experiment.name}, {"entries", std::move(entries)},
          {"runs", std::move(runs)}, {"models", std::move(models)},
          {"emas", std::move(emas)}};
}

}  // namespace

SceneFingerprint scene_fingerprint(const SceneHeader& header,
                                   const std::vector<Experiment>& experiments,
                                   const QualityPreset& quality) {
  if (experiments.size() != header.experiments.size()) {
    throw std::logic_error("scene_fingerprint: one Experiment per scene experiment expected");
  }
  SceneFingerprint fingerprint;
  fingerprint.parts["version"] = hash(TRAJTOOL_VERSION);
  fingerprint.parts["scene file"] = hash(header.file_sha256);
  fingerprint.parts["params"] = hash(Json(header.params));
  // The scene file's own preamble is in its bytes; a manifest's is not.
  fingerprint.parts["tex preamble"] = hash(Json(header.tex_preamble));
  fingerprint.parts["quality"] =
      hash({{"width", quality.width}, {"height", quality.height}, {"fps", quality.fps}});
  Json data = Json::array();
  for (std::size_t i = 0; i < experiments.size(); ++i) {
    data.push_back(experiment_json(header.experiments[i], experiments[i]));
  }
  fingerprint.parts["data"] = hash(data);
  fingerprint.combined = combine(fingerprint.parts);
  return fingerprint;
}

}  // namespace trajtool
