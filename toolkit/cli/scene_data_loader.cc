#include "toolkit/cli/scene_data_loader.h"

#include <map>

#include "toolkit/core/error.h"
#include "toolkit/pipeline/cache_key.h"

namespace trajtool {
namespace {

[[noreturn]] void missing(const std::string& what, const std::string& config,
                          const CacheStore& store) {
  // The command to run, with this cache's folder when it is not the default one.
  const std::string cache_dir =
      store.root() == CacheStore(default_cache_root()).root() ? "" : " --cache-dir " + store.root();
  throw InputError("no cache entry for " + what + " of " + config + " in " + store.root() +
                   ": run `trajtool generate --config " + config + cache_dir +
                   "` first (or render with --generate)");
}

template <class T>
T require(std::optional<T> value, const std::string& what, const std::string& config,
          const CacheStore& store) {
  if (!value) missing(what, config, store);
  return std::move(*value);
}

}  // namespace

SceneData load_scene_data(const std::vector<Experiment>& experiments, const CacheStore& store) {
  SceneData data;
  for (const Experiment& experiment : experiments) {
    const std::string& path = experiment.source_path;
    ExperimentData loaded;
    loaded.name = experiment.name;
    loaded.source_path = path;
    std::map<std::string, std::shared_ptr<const LossGrid>> grids;
    for (const RunSpec& run : experiment.runs) {
      RunData run_data;
      run_data.spec = run;
      run_data.key = trajectory_identity(run).key;
      run_data.trajectory =
          require(store.read_trajectory(run_data.key), "run '" + run.label + "'", path, store);
      loaded.keys.push_back(run_data.key);
      if (std::optional<EntryIdentity> grid_id = run_grid_identity(run, experiment.grid_samples)) {
        const std::string& grid_key = grid_id->key;
        auto& grid = grids[grid_key];
        if (!grid) {
          grid = std::make_shared<LossGrid>(require(
              store.read_grid(grid_key), "the loss grid of " + run.objective.name, path, store));
          loaded.keys.push_back(grid_key);
        }
        run_data.grid = grid;
      }
      loaded.runs.push_back(std::move(run_data));
    }
    std::map<std::string, std::shared_ptr<const DatasetRecord>> datasets;
    for (const TrainingRunSpec& run : experiment.training_runs) {
      TrainingData run_data;
      run_data.spec = run;
      run_data.key = training_identity(run).key;
      run_data.record =
          require(store.read_training(run_data.key), "run '" + run.label + "'", path, store);
      loaded.keys.push_back(run_data.key);
      auto& dataset = datasets[run_data.record.dataset_key];
      if (!dataset) {
        dataset = std::make_shared<DatasetRecord>(
            require(store.read_dataset(run_data.record.dataset_key),
                    "the data set " + run.dataset.name, path, store));
        loaded.keys.push_back(run_data.record.dataset_key);
      }
      run_data.dataset = dataset;
      loaded.trainings.push_back(std::move(run_data));
    }
    if (experiment.landscape) {
      const std::string key = landscape_identity(experiment).key;
      loaded.landscape = std::make_shared<LandscapeRecord>(
          require(store.read_landscape(key), "the landscape", path, store));
      loaded.keys.push_back(key);
    }
    if (experiment.interpolation) {
      const std::string key = interpolation_identity(experiment).key;
      loaded.interpolation = std::make_shared<InterpolationRecord>(
          require(store.read_interpolation(key), "the interpolation", path, store));
      loaded.keys.push_back(key);
    }
    if (experiment.walk) {
      const std::string key = walk_identity(experiment).key;
      loaded.walk =
          std::make_shared<WalkRecord>(require(store.read_walk(key), "the walk", path, store));
      loaded.keys.push_back(key);
    }
    for (const AgentRunSpec& run : experiment.agent_runs) {
      AgentData agent;
      agent.spec = run;
      agent.key = agent_identity(run).key;
      agent.record = require(store.read_agent(agent.key), "run '" + run.label + "'", path, store);
      loaded.keys.push_back(agent.key);
      loaded.agents.push_back(std::move(agent));
    }
    for (const EmaSpec& ema : experiment.emas) {
      std::string key = ema_identity(ema).key;
      loaded.emas.push_back(
          {ema, require(store.read_series(key), "series '" + ema.label + "'", path, store)});
      loaded.keys.push_back(key);
    }
    for (const MetricSourceSpec& source : experiment.metrics) {
      std::string key = metrics_identity(source).key;
      loaded.metrics.push_back(
          {source, require(store.read_metrics(key), "the log " + source.csv_path, path, store)});
      loaded.keys.push_back(key);
    }
    data.experiments.push_back(std::move(loaded));
  }
  return data;
}

}  // namespace trajtool
