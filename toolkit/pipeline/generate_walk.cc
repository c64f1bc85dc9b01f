#include "toolkit/pipeline/generate_walk.h"

#include <cmath>
#include <optional>

#include "objectives/walk/compute_walk.h"
#include "toolkit/pipeline/cache_key.h"
#include "toolkit/pipeline/cached_entry.h"

namespace trajtool {

void generate_walk(const Experiment& experiment, const CacheStore& store,
                   const GenerateOptions& options,
                   const std::function<void(GenerateOutcome)>& finish) {
  if (!experiment.walk) return;
  const WalkSpec& spec = *experiment.walk;
  const TrainingRunSpec& run =
      experiment.training_runs.at(static_cast<std::size_t>(spec.run_index));
  const EntryIdentity id = walk_identity(experiment);
  GenerateOutcome out;
  out.kind = EntryKind::kWalk;
  out.label = "walk " + spec.run;
  out.key = id.key;
  std::optional<WalkRecord> r = try_load(
      options.force, [&] { return store.read_walk(id.key); }, out);
  out.hit = r.has_value();
  if (!r) {
    std::optional<TrainingRecord> record = store.read_training(training_identity(run).key);
    if (!record)
      throw RuntimeFailure("run '" + run.label + "' is not in the cache: generate it first");
    std::optional<DatasetRecord> data = store.read_dataset(record->dataset_key);
    if (!data) throw RuntimeFailure("the data set of " + experiment.source_path + " is not cached");
    r = compute_walk(spec, run, *record, *data);
    store.write_walk(entry_meta(out.label, id, r->wall_seconds), *r);
  }
  const int64_t points = r->milestones.empty() ? 0 : r->milestones[0].walk.points;
  out.steps = points;
  out.points = static_cast<int64_t>(r->milestones.size());
  out.final_loss = NAN;
  finish(std::move(out));
}

}  // namespace trajtool
