#include "toolkit/pipeline/generate_landscape.h"

#include <cmath>
#include <memory>
#include <optional>

#include "objectives/landscape/compute_landscape.h"
#include "toolkit/pipeline/cache_key.h"
#include "toolkit/pipeline/cached_entry.h"
#include "toolkit/pipeline/progress.h"

namespace trajtool {
namespace {

// The experiment's trained runs and their data set, read once from the cache when needed.
struct TrainedRuns {
  std::vector<TrainingRecord> records;
  DatasetRecord data;
};

TrainedRuns read_trained(const Experiment& experiment, const CacheStore& store) {
  TrainedRuns t;
  for (const TrainingRunSpec& run : experiment.training_runs) {
    std::optional<TrainingRecord> r = store.read_training(training_identity(run).key);
    if (!r) throw RuntimeFailure("run '" + run.label + "' is not in the cache: generate it first");
    t.records.push_back(std::move(*r));
  }
  std::optional<DatasetRecord> d = store.read_dataset(t.records.front().dataset_key);
  if (!d) throw RuntimeFailure("the data set of " + experiment.source_path + " is not cached");
  t.data = std::move(*d);
  return t;
}

}  // namespace

void generate_landscapes(const Experiment& experiment, const CacheStore& store,
                         const GenerateOptions& options,
                         const std::function<void(GenerateOutcome)>& finish) {
  std::unique_ptr<TrainedRuns> trained;
  auto runs = [&]() -> const TrainedRuns& {
    if (!trained) trained = std::make_unique<TrainedRuns>(read_trained(experiment, store));
    return *trained;
  };
  if (experiment.landscape) {
    const LandscapeSpec& spec = *experiment.landscape;
    const EntryIdentity id = landscape_identity(experiment);
    GenerateOutcome out;
    out.kind = EntryKind::kLandscape;
    out.label = "landscape " + spec.run;
    out.key = id.key;
    std::optional<LandscapeRecord> r = try_load(
        options.force, [&] { return store.read_landscape(id.key); }, out);
    out.hit = r.has_value();
    if (!r) {
      ProgressBar bar(out.label, spec.nx * spec.ny);
      std::function<void(int64_t, int64_t)> progress;
      if (options.show_progress) progress = [&bar](int64_t done, int64_t) { bar.update(done); };
      const TrainedRuns& t = runs();
      r = compute_landscape(spec, experiment.training_runs, t.records, t.data, progress);
      bar.clear();
      store.write_landscape(entry_meta(out.label, id, r->wall_seconds), *r);
    }
    out.steps = spec.nx * spec.ny;
    out.points = spec.nx * spec.ny;
    out.final_loss = r->center_loss;
    finish(std::move(out));
  }
  if (experiment.interpolation) {
    const InterpolationSpec& spec = *experiment.interpolation;
    const EntryIdentity id = interpolation_identity(experiment);
    GenerateOutcome out;
    out.kind = EntryKind::kInterpolation;
    out.label = "interpolation " + spec.run;
    out.key = id.key;
    std::optional<InterpolationRecord> r = try_load(
        options.force, [&] { return store.read_interpolation(id.key); }, out);
    out.hit = r.has_value();
    if (!r) {
      const TrainedRuns& t = runs();
      const std::size_t i = static_cast<std::size_t>(spec.run_index);
      r = compute_interpolation(spec, experiment.training_runs[i], t.records[i], t.data);
      store.write_interpolation(entry_meta(out.label, id, r->wall_seconds), *r);
    }
    out.steps = spec.n;
    out.points = spec.n;
    out.final_loss = NAN;
    finish(std::move(out));
  }
}

}  // namespace trajtool
