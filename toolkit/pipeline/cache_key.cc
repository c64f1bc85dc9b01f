#include "toolkit/pipeline/cache_key.h"

#include "cache/cache_store.h"
#include "objectives/objective.h"
#include "toolkit/core/canonical_json.h"
#include "toolkit/core/digest.h"

namespace trajtool {
namespace {

Json hyper_json(const HyperValue& value) {
  return std::visit([](const auto& v) { return Json(v); }, value);
}

Json start_json(const StartSpec& start) {
  if (!start.is_grid()) return start.point;
  return {{"grid", {start.grid.x_min, start.grid.x_max, start.grid.y_min, start.grid.y_max}},
          {"n", {start.grid_nx, start.grid_ny}}};
}

EntryIdentity identify(const char* kind, Json inputs) {
  inputs["kind"] = kind;
  inputs["schema_version"] = kCacheSchemaVersion;
  inputs["data_version"] = kDataVersion;
  EntryIdentity id;
  id.json = canonical_dump(inputs);
  id.key = sha256_hex(id.json);
  return id;
}

Json objective_json(const ObjectiveSpec& objective) {
  Json j = {{"name", objective.name}, {"params", Json::object()}};
  for (const auto& [name, value] : objective.params) j["params"][name] = value;
  if (!objective.expr.empty()) j["expr"] = objective.expr;
  return j;
}

Json optimizer_json(const OptimizerSpec& optimizer) {
  Json j = {{"name", optimizer.name}, {"hyper", Json::object()}};
  for (const auto& [name, value] : optimizer.hyper) j["hyper"][name] = hyper_json(value);
  return j;
}

}  // namespace

EntryIdentity trajectory_identity(const RunSpec& run) {
  return identify("trajectory", {{"objective", objective_json(run.objective)},
                                 {"optimizer", optimizer_json(run.optimizer)},
                                 {"start", start_json(run.start)},
                                 {"steps", run.steps},
                                 {"seed", run.seed},
                                 {"dtype", dtype_name(run.dtype)},
                                 {"grad_noise_std", run.grad_noise_std}});
}

EntryIdentity grid_identity(const ObjectiveSpec& objective, int64_t nx, int64_t ny) {
  const Domain& d = objective.domain;
  return identify("grid", {{"objective", objective_json(objective)},
                           {"domain", {d.x_min, d.x_max, d.y_min, d.y_max}},
                           {"n", {nx, ny}}});
}

std::optional<EntryIdentity> run_grid_identity(const RunSpec& run, int64_t samples) {
  if (objective_info(run.objective).dim != 2) return std::nullopt;
  return grid_identity(run.objective, samples, samples);
}

EntryIdentity dataset_identity(const DatasetSpec& d) {
  return identify("dataset", {{"name", d.name},
                              {"samples", d.samples},
                              {"noise", d.noise},
                              {"factor", d.factor},
                              {"arms", d.arms},
                              {"centers", d.centers},
                              {"test_fraction", d.test_fraction},
                              {"seed", d.seed},
                              {"limit", d.limit},
                              {"flatten", d.flatten},
                              {"target", d.target},
                              {"regression", d.regression},
                              {"file_digests", d.file_digests},
                              {"standardize", d.standardize}});
}

namespace {

Json hyper_map(const std::map<std::string, HyperValue>& values) {
  Json j = Json::object();
  for (const auto& [name, value] : values) j[name] = hyper_json(value);
  return j;
}

Json schedule_json(const ScheduleSpec& s) {
  Json children = Json::array();
  for (const ScheduleSpec& child : s.schedulers) children.push_back(schedule_json(child));
  return {{"name", s.name}, {"args", hyper_map(s.args)}, {"schedulers", children}};
}

Json model_json(const ModelSpec& m) {
  return {
      {"kind", m.kind},
      {"layers", m.layers},
      {"activations", m.activations},
      {"dropout", m.dropout},
      {"init",
       {{"name", m.init.name}, {"args", hyper_map(m.init.args)}, {"zero_bias", m.init.zero_bias}}},
      {"channels", m.channels},
      {"kernel", m.kernel},
      {"pool", m.pool},
      {"hidden", m.hidden},
      {"cnn_activation", m.cnn_activation},
      {"outputs", m.outputs}};
}

}  // namespace

EntryIdentity training_identity(const TrainingRunSpec& run) {
  const RecordSpec& r = run.record;
  Json inputs = {{"dataset_key", dataset_identity(run.dataset).key},
                 {"model", model_json(run.model)},
                 {"optimizer", optimizer_json(run.optimizer)},
                 {"schedule", schedule_json(run.schedule)},
                 {"loss", loss_kind_name(run.loss)},
                 {"steps", run.steps},
                 {"batch_size", run.batch_size},
                 {"full_batch", run.full_batch},
                 {"seed", run.seed},
                 {"dtype", dtype_name(run.dtype)},
                 {"clip_grad_norm", run.clip_grad_norm},
                 {"record",
                  {{"eval_every", r.eval_every},
                   {"checkpoint_every", r.checkpoint_every},
                   {"activation_samples", r.activation_samples},
                   {"boundary_n", r.boundary_n}}}};
  // Only when not the default, so the keys of runs that shuffle by randperm stay as they were.
  if (run.shuffle == ShuffleKind::kDataLoader) inputs["shuffle"] = "dataloader";
  return identify("model", inputs);
}

EntryIdentity agent_identity(const AgentRunSpec& run) {
  const A2cSpec& a = run.a2c;
  return identify("agent", {{"env", run.env},
                            {"model", model_json(run.model)},
                            {"optimizer", optimizer_json(run.optimizer)},
                            {"a2c",
                             {{"n_envs", a.n_envs},
                              {"n_steps", a.n_steps},
                              {"updates", a.updates},
                              {"gamma", a.gamma},
                              {"gae_lambda", a.gae_lambda},
                              {"vf_coef", a.vf_coef},
                              {"ent_coef", a.ent_coef},
                              {"max_grad_norm", a.max_grad_norm},
                              {"normalize_advantage", a.normalize_advantage}}},
                            {"seed", run.seed},
                            {"milestones", run.milestones},
                            {"episodes", run.episodes},
                            {"dtype", dtype_name(run.dtype)}});
}

EntryIdentity ema_identity(const EmaSpec& spec) {
  return identify("ema", {{"length", spec.length},
                          {"noise_std", spec.noise_std},
                          {"betas", spec.betas},
                          {"seed", spec.seed}});
}

EntryIdentity metrics_identity(const MetricSourceSpec& source) {
  Json series = Json::array();
  for (const MetricSeriesSpec& item : source.series) {
    Json j = Json::object();
    if (!item.column.empty()) j["column"] = item.column;
    if (!item.pattern.empty()) j["columns"] = item.pattern;
    if (!item.band_std.empty()) j["band_std"] = item.band_std;
    if (!item.band_min.empty()) j["band"] = {item.band_min, item.band_max};
    series.push_back(j);
  }
  Json smoothing = Json::object();
  switch (source.smoothing.kind) {
    case MetricSmoothing::Kind::kNone:
      smoothing["kind"] = "none";
      break;
    case MetricSmoothing::Kind::kEma:
      smoothing = {{"kind", "ema"}, {"ema", source.smoothing.ema}};
      break;
    case MetricSmoothing::Kind::kWindow:
      smoothing = {{"kind", "window"}, {"window", source.smoothing.window}};
      break;
  }
  return identify("metrics", {{"csv_sha256", source.csv_sha256},
                              {"step", source.step_column},
                              {"series", series},
                              {"smoothing", smoothing}});
}

}  // namespace trajtool

namespace trajtool {
namespace {

// The keys and labels of every trained run, in file order (the entry names its data by label).
Json runs_json(const Experiment& experiment) {
  Json runs = Json::array();
  for (const TrainingRunSpec& run : experiment.training_runs) {
    runs.push_back({{"key", training_identity(run).key}, {"label", run.label}});
  }
  return runs;
}

}  // namespace

EntryIdentity landscape_identity(const Experiment& experiment) {
  const LandscapeSpec& s = *experiment.landscape;
  return identify(
      "landscape",
      {{"runs", runs_json(experiment)},
       {"center", weights_at_name(s.center)},
       {"run", s.run_index},
       {"directions", direction_kind_name(s.directions)},
       {"ignore", s.ignore_biasbn ? "biasbn" : "none"},
       {"range", s.range_auto ? Json("auto")
                              : Json({s.range.x_min, s.range.x_max, s.range.y_min, s.range.y_max})},
       {"n", {s.nx, s.ny}},
       {"on", s.on_test ? "test" : "train"},
       {"seed", s.seed}});
}

EntryIdentity interpolation_identity(const Experiment& experiment) {
  const InterpolationSpec& s = *experiment.interpolation;
  const TrainingRunSpec& run = experiment.training_runs.at(static_cast<std::size_t>(s.run_index));
  return identify("interpolation", {{"model_key", training_identity(run).key},
                                    {"label", run.label},
                                    {"from", weights_at_name(s.from)},
                                    {"to", weights_at_name(s.to)},
                                    {"n", s.n},
                                    {"range", {s.alpha_min, s.alpha_max}},
                                    {"on", s.on_test ? "test" : "train"}});
}

EntryIdentity walk_identity(const Experiment& experiment) {
  const WalkSpec& s = *experiment.walk;
  const TrainingRunSpec& run = experiment.training_runs.at(static_cast<std::size_t>(s.run_index));
  Json walk = {{"milestones", s.milestones}, {"source", walk_source_name(s.source)}};
  if (s.source == WalkSource::kPath) {
    walk["through"] = s.default_path ? Json("default") : Json(s.through);
    walk["points"] = s.points;
  } else {
    walk["from"] = s.from_test ? "test" : "train";
    walk["indices"] = s.indices;
  }
  return identify("walk", {{"model_key", training_identity(run).key},
                           {"label", run.label},
                           {"walk", walk},
                           {"layout_version", kWalkLayoutVersion}});
}

}  // namespace trajtool
