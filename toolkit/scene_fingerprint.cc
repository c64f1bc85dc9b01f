#include "toolkit/scene_fingerprint.h"

#include "cache/cache_store.h"
#include "toolkit/canonical_json.h"
#include "toolkit/error.h"
#include "toolkit/generate.h"
#include "toolkit/sha256.h"

namespace trajtool {
namespace {

std::string hash(const Json& json) { return sha256_hex(json.dump()); }

std::string combine(const std::map<std::string, std::string>& parts) {
  Json all = Json::object();
  for (const auto& [name, digest] : parts) all.set(name, Json::string(digest));
  return hash(all);
}

Json experiment_json(const SceneExperimentRef& ref, const Experiment& experiment) {
  Json entries = Json::array();
  for (const PlannedEntry& entry : plan_experiment(experiment)) {
    entries.push(
        Json::array({Json::string(entry_kind_folder(entry.kind)), Json::string(entry.key)}));
  }
  Json runs = Json::array();
  for (const RunSpec& run : experiment.runs) {
    runs.push(
        Json::object().set("label", Json::string(run.label)).set("color", Json::string(run.color)));
  }
  Json models = Json::array();
  for (const ModelRunSpec& model : experiment.model_runs) {
    models.push(Json::object().set("label", Json::string(model.label)));
  }
  Json emas = Json::array();
  for (const EmaSpec& ema : experiment.emas) {
    emas.push(Json::object().set("label", Json::string(ema.label)));
  }
  return Json::object()
      .set("ref", Json::string(ref.name))
      .set("path", Json::string(ref.path))
      .set("name", Json::string(experiment.name))
      .set("entries", std::move(entries))
      .set("runs", std::move(runs))
      .set("models", std::move(models))
      .set("emas", std::move(emas));
}

}  // namespace

SceneFingerprint scene_fingerprint(const SceneHeader& header,
                                   const std::vector<Experiment>& experiments,
                                   const QualityPreset& quality) {
  if (experiments.size() != header.experiments.size()) {
    throw std::logic_error("scene_fingerprint: one Experiment per scene experiment expected");
  }
  SceneFingerprint fingerprint;
  fingerprint.parts["version"] = hash(Json::string(TRAJTOOL_VERSION));
  fingerprint.parts["scene file"] = hash(Json::string(header.file_sha256));
  Json params = Json::object();
  for (const auto& [name, text] : header.params) params.set(name, Json::string(text));
  fingerprint.parts["params"] = hash(params);
  // The scene file's own preamble is in its bytes; a manifest's is not.
  fingerprint.parts["tex preamble"] = hash(Json::string(header.tex_preamble));
  fingerprint.parts["quality"] = hash(Json::object()
                                          .set("width", Json::number(quality.width))
                                          .set("height", Json::number(quality.height))
                                          .set("fps", Json::number(quality.fps)));
  Json data = Json::array();
  for (std::size_t i = 0; i < experiments.size(); ++i) {
    data.push(experiment_json(header.experiments[i], experiments[i]));
  }
  fingerprint.parts["data"] = hash(data);
  fingerprint.combined = combine(fingerprint.parts);
  return fingerprint;
}

}  // namespace trajtool
