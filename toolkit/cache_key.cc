#include "toolkit/cache_key.h"

#include <type_traits>

#include "cache/cache_store.h"
#include "objectives/objective.h"
#include "toolkit/sha256.h"

namespace trajtool {
namespace {

Json numbers(const std::vector<double>& values) {
  Json array = Json::array();
  for (double v : values) array.push(Json::number(v));
  return array;
}

Json hyper_json(const HyperValue& value) {
  return std::visit(
      [](const auto& v) -> Json {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, bool>) {
          return Json::boolean(v);
        } else if constexpr (std::is_same_v<T, double>) {
          return Json::number(v);
        } else if constexpr (std::is_same_v<T, std::vector<double>>) {
          return numbers(v);
        } else {
          return Json::string(v);
        }
      },
      value);
}

Json start_json(const StartSpec& start) {
  if (!start.is_grid()) return numbers(start.point);
  return Json::object()
      .set("grid",
           numbers({start.grid.x_min, start.grid.x_max, start.grid.y_min, start.grid.y_max}))
      .set("n", numbers({static_cast<double>(start.grid_nx), static_cast<double>(start.grid_ny)}));
}

EntryIdentity identify(const char* kind, Json inputs) {
  inputs.set("kind", Json::string(kind))
      .set("schema_version", Json::number(kCacheSchemaVersion))
      .set("data_version", Json::number(kDataVersion));
  EntryIdentity id;
  id.json = inputs.dump();
  id.key = sha256_hex(id.json);
  return id;
}

Json objective_json(const ObjectiveSpec& objective) {
  Json params = Json::object();
  for (const auto& [name, value] : objective.params) params.set(name, Json::number(value));
  Json j = Json::object().set("name", Json::string(objective.name)).set("params", params);
  if (!objective.expr.empty()) j.set("expr", Json::string(objective.expr));
  return j;
}

Json optimizer_json(const OptimizerSpec& optimizer) {
  Json hyper = Json::object();
  for (const auto& [name, value] : optimizer.hyper) hyper.set(name, hyper_json(value));
  return Json::object().set("name", Json::string(optimizer.name)).set("hyper", hyper);
}

}  // namespace

EntryIdentity trajectory_identity(const RunSpec& run) {
  return identify("trajectory", Json::object()
                                    .set("objective", objective_json(run.objective))
                                    .set("optimizer", optimizer_json(run.optimizer))
                                    .set("start", start_json(run.start))
                                    .set("steps", Json::number(static_cast<double>(run.steps)))
                                    .set("seed", Json::number(static_cast<double>(run.seed)))
                                    .set("dtype", Json::string(dtype_name(run.dtype)))
                                    .set("grad_noise_std", Json::number(run.grad_noise_std)));
}

EntryIdentity grid_identity(const ObjectiveSpec& objective, int64_t nx, int64_t ny) {
  const Domain& d = objective.domain;
  return identify("grid",
                  Json::object()
                      .set("objective", objective_json(objective))
                      .set("domain", numbers({d.x_min, d.x_max, d.y_min, d.y_max}))
                      .set("n", numbers({static_cast<double>(nx), static_cast<double>(ny)})));
}

std::optional<EntryIdentity> run_grid_identity(const RunSpec& run, int64_t samples) {
  if (objective_info(run.objective).dim != 2) return std::nullopt;
  return grid_identity(run.objective, samples, samples);
}

EntryIdentity dataset_identity(const DatasetSpec& d) {
  Json digests = Json::array();
  for (const std::string& digest : d.file_digests) digests.push(Json::string(digest));
  auto n = [](int64_t v) { return Json::number(static_cast<double>(v)); };
  return identify("dataset", Json::object()
                                 .set("name", Json::string(d.name))
                                 .set("samples", n(d.samples))
                                 .set("noise", Json::number(d.noise))
                                 .set("factor", Json::number(d.factor))
                                 .set("arms", n(d.arms))
                                 .set("centers", n(d.centers))
                                 .set("test_fraction", Json::number(d.test_fraction))
                                 .set("seed", n(static_cast<int64_t>(d.seed)))
                                 .set("limit", n(d.limit))
                                 .set("flatten", Json::boolean(d.flatten))
                                 .set("target", Json::string(d.target))
                                 .set("regression", Json::boolean(d.regression))
                                 .set("file_digests", digests)
                                 .set("standardize", Json::boolean(d.standardize)));
}

namespace {

Json hyper_map(const std::map<std::string, HyperValue>& values) {
  Json j = Json::object();
  for (const auto& [name, value] : values) j.set(name, hyper_json(value));
  return j;
}

Json schedule_json(const ScheduleSpec& s) {
  Json children = Json::array();
  for (const ScheduleSpec& child : s.schedulers) children.push(schedule_json(child));
  return Json::object()
      .set("name", Json::string(s.name))
      .set("args", hyper_map(s.args))
      .set("schedulers", children);
}

Json ints(const std::vector<int64_t>& values) {
  Json array = Json::array();
  for (int64_t v : values) array.push(Json::number(static_cast<double>(v)));
  return array;
}

Json model_json(const ModelSpec& m) {
  Json activations = Json::array();
  for (const std::string& a : m.activations) activations.push(Json::string(a));
  return Json::object()
      .set("kind", Json::string(m.kind))
      .set("layers", ints(m.layers))
      .set("activations", activations)
      .set("dropout", Json::number(m.dropout))
      .set("init", Json::object()
                       .set("name", Json::string(m.init.name))
                       .set("args", hyper_map(m.init.args))
                       .set("zero_bias", Json::boolean(m.init.zero_bias)))
      .set("channels", ints(m.channels))
      .set("kernel", Json::number(static_cast<double>(m.kernel)))
      .set("pool", Json::number(static_cast<double>(m.pool)))
      .set("hidden", ints(m.hidden))
      .set("cnn_activation", Json::string(m.cnn_activation))
      .set("outputs", Json::number(static_cast<double>(m.outputs)));
}

}  // namespace

EntryIdentity training_identity(const TrainingRunSpec& run) {
  auto n = [](int64_t v) { return Json::number(static_cast<double>(v)); };
  const RecordSpec& r = run.record;
  return identify("model",
                  Json::object()
                      .set("dataset_key", Json::string(dataset_identity(run.dataset).key))
                      .set("model", model_json(run.model))
                      .set("optimizer", optimizer_json(run.optimizer))
                      .set("schedule", schedule_json(run.schedule))
                      .set("loss", Json::string(loss_kind_name(run.loss)))
                      .set("steps", n(run.steps))
                      .set("batch_size", n(run.batch_size))
                      .set("full_batch", Json::boolean(run.full_batch))
                      .set("seed", n(static_cast<int64_t>(run.seed)))
                      .set("dtype", Json::string(dtype_name(run.dtype)))
                      .set("clip_grad_norm", Json::number(run.clip_grad_norm))
                      .set("record", Json::object()
                                         .set("eval_every", n(r.eval_every))
                                         .set("checkpoint_every", n(r.checkpoint_every))
                                         .set("activation_samples", n(r.activation_samples))
                                         .set("boundary_n", n(r.boundary_n))));
}

EntryIdentity ema_identity(const EmaSpec& spec) {
  return identify("ema", Json::object()
                             .set("length", Json::number(static_cast<double>(spec.length)))
                             .set("noise_std", Json::number(spec.noise_std))
                             .set("betas", numbers(spec.betas))
                             .set("seed", Json::number(static_cast<double>(spec.seed))));
}

}  // namespace trajtool
