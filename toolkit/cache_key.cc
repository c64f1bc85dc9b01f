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

EntryIdentity model_identity(const ModelRunSpec& run) {
  Json layers = Json::array();
  for (int64_t width : run.layers) layers.push(Json::number(static_cast<double>(width)));
  return identify("model", Json::object()
                               .set("layers", layers)
                               .set("optimizer", optimizer_json(run.optimizer))
                               .set("steps", Json::number(static_cast<double>(run.steps)))
                               .set("samples", Json::number(static_cast<double>(run.samples)))
                               .set("seed", Json::number(static_cast<double>(run.seed)))
                               .set("dtype", Json::string(dtype_name(run.dtype))));
}

EntryIdentity ema_identity(const EmaSpec& spec) {
  return identify("ema", Json::object()
                             .set("length", Json::number(static_cast<double>(spec.length)))
                             .set("noise_std", Json::number(spec.noise_std))
                             .set("betas", numbers(spec.betas))
                             .set("seed", Json::number(static_cast<double>(spec.seed))));
}

EntryIdentity metrics_identity(const MetricSourceSpec& source) {
  Json series = Json::array();
  for (const MetricSeriesSpec& item : source.series) {
    Json j = Json::object();
    if (!item.column.empty()) j.set("column", Json::string(item.column));
    if (!item.pattern.empty()) j.set("columns", Json::string(item.pattern));
    if (!item.band_std.empty()) j.set("band_std", Json::string(item.band_std));
    if (!item.band_min.empty()) {
      j.set("band", Json::array({Json::string(item.band_min), Json::string(item.band_max)}));
    }
    series.push(j);
  }
  Json smoothing = Json::object();
  switch (source.smoothing.kind) {
    case MetricSmoothing::Kind::kNone:
      smoothing.set("kind", Json::string("none"));
      break;
    case MetricSmoothing::Kind::kEma:
      smoothing.set("kind", Json::string("ema")).set("ema", Json::number(source.smoothing.ema));
      break;
    case MetricSmoothing::Kind::kWindow:
      smoothing.set("kind", Json::string("window"))
          .set("window", Json::number(static_cast<double>(source.smoothing.window)));
      break;
  }
  return identify("metrics", Json::object()
                                 .set("csv_sha256", Json::string(source.csv_sha256))
                                 .set("step", Json::string(source.step_column))
                                 .set("series", series)
                                 .set("smoothing", smoothing));
}

}  // namespace trajtool
