#include "toolkit/pipeline/generate.h"

#include <chrono>
#include <cmath>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "objectives/datasets/dataset.h"
#include "objectives/objective.h"
#include "toolkit/pipeline/cache_key.h"
#include "toolkit/pipeline/cached_entry.h"
#include "toolkit/pipeline/compute_loader.h"
#include "toolkit/pipeline/ema_signal.h"
#include "toolkit/pipeline/generate_agents.h"
#include "toolkit/pipeline/generate_landscape.h"
#include "toolkit/pipeline/generate_walk.h"
#include "toolkit/pipeline/metric_import.h"
#include "toolkit/pipeline/parallel_runs.h"
#include "toolkit/pipeline/progress.h"

namespace trajtool {
namespace {

// Fills the loss/divergence summary of a trajectory.
void summarise(const Trajectory& t, GenerateOutcome& out) {
  out.steps = t.rows - 1;
  if (t.batch == 0) {
    out.final_loss = t.loss.empty() ? NAN : t.loss.back();
    out.diverged = t.diverged_at >= 0 ? 1 : 0;
    out.diverged_at = t.diverged_at;
    return;
  }
  out.points = t.batch;
  double sum = 0;
  int64_t finite = 0;
  for (int64_t i = 0; i < t.batch; ++i) {
    if (t.diverged_at_each[static_cast<std::size_t>(i)] >= 0) ++out.diverged;
    double last = t.loss[static_cast<std::size_t>((i + 1) * t.rows - 1)];
    if (std::isfinite(last)) {
      sum += last;
      ++finite;
    }
  }
  out.final_loss = finite ? sum / static_cast<double>(finite) : NAN;
}

// The entry's record from the cache or, when it is missing, corrupt or --force is given, from
// `make` (which computes and writes it). Sets out.hit and out.note.
template <class Read, class Make>
auto load_or_make(bool force, GenerateOutcome& out, Read read, Make make) -> decltype(make()) {
  std::optional<decltype(make())> cached;
  cached = try_load(force, read, out);
  out.hit = cached.has_value();
  return cached ? std::move(*cached) : make();
}

// "log kl_divergence_curve.csv" (or the source's label).
std::string metrics_label(const MetricSourceSpec& source) {
  if (!source.label.empty()) return source.label;
  const std::size_t slash = source.csv_path.rfind('/');
  return "log " +
         (slash == std::string::npos ? source.csv_path : source.csv_path.substr(slash + 1));
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The data sets of an experiment's trained-model runs, made (torch-free) or loaded first, then
// the runs: missing ones train in parallel, one per core, each written as soon as it is done (so
// writing overlaps the other runs' training), and all are reported in order.
template <class Finish>
void generate_training(const Experiment& experiment, const std::vector<EntryIdentity>& ids,
                       const CacheStore& store, const GenerateOptions& options, Finish finish) {
  const std::size_t count = experiment.training_runs.size();
  if (count == 0) return;
  std::map<std::string, std::shared_ptr<const DatasetRecord>> datasets;
  std::vector<GenerateOutcome> dataset_outcomes;
  for (const TrainingRunSpec& run : experiment.training_runs) {
    const EntryIdentity id = dataset_identity(run.dataset);
    if (datasets.count(id.key)) continue;
    GenerateOutcome out;
    out.kind = EntryKind::kDataset;
    out.label = "dataset " + run.dataset.name;
    out.key = id.key;
    DatasetRecord data = load_or_make(
        options.force, out, [&] { return store.read_dataset(id.key); },
        [&] {
          auto start = std::chrono::steady_clock::now();
          DatasetRecord made = make_dataset(run.dataset);
          made.wall_seconds = seconds_since(start);
          store.write_dataset(entry_meta(out.label, id, made.wall_seconds), made);
          return made;
        });
    out.steps = data.train_count;
    out.final_loss = NAN;
    datasets[id.key] = std::make_shared<DatasetRecord>(std::move(data));
    dataset_outcomes.push_back(std::move(out));
  }
  std::vector<GenerateOutcome> outcomes(count);
  std::vector<std::size_t> missing;
  int64_t steps_to_compute = 0;
  auto summarise_training = [](const TrainingRecord& r, GenerateOutcome& out) {
    out.steps = r.rows;
    out.final_loss = r.eval.test_loss.empty() ? NAN : r.eval.test_loss.back();
    out.diverged = r.diverged_at >= 0 ? 1 : 0;
    out.diverged_at = r.diverged_at;
  };
  for (std::size_t i = 0; i < count; ++i) {
    const TrainingRunSpec& run = experiment.training_runs[i];
    GenerateOutcome& out = outcomes[i];
    out.kind = EntryKind::kModel;
    out.label = run.label;
    out.key = ids[i].key;
    std::optional<TrainingRecord> cached;
    cached = try_load(
        options.force, [&] { return store.read_training(out.key); }, out);
    if (cached) {
      out.hit = true;
      summarise_training(*cached, out);
    } else {
      missing.push_back(i);
      steps_to_compute += run.steps;
    }
  }
  if (!missing.empty()) {
    const ComputeBackend& backend = compute_backend();
    if (backend.run_training == nullptr) {
      throw RuntimeFailure("the compute library has no trainer: rebuild libtrajtool_compute.so");
    }
    ProgressBar bar(missing.size() == 1 ? experiment.training_runs[missing[0]].label
                                        : std::to_string(missing.size()) + " runs",
                    steps_to_compute);
    SharedProgress shared(bar);
    std::mutex write_mutex;  // Debian's HDF5 is the serial build: one writer at a time
    for_each_on_cores(missing.size(), [&](std::size_t m) {
      const TrainingRunSpec& run = experiment.training_runs[missing[m]];
      ProgressFn progress;
      if (options.show_progress) progress = shared.worker();
      const std::string dataset_key = dataset_identity(run.dataset).key;
      const std::size_t i = missing[m];
      TrainingRecord r = backend.run_training(run, *datasets.at(dataset_key), progress);
      r.dataset_key = dataset_key;
      {  // written now, while the other worker still trains
        std::lock_guard<std::mutex> lock(write_mutex);
        store.write_training(
            entry_meta(outcomes[i].label, ids[i], r.wall_seconds, backend.torch_version), r);
      }
      summarise_training(r, outcomes[i]);
    });
  }
  for (GenerateOutcome& out : outcomes) finish(std::move(out));
  for (GenerateOutcome& out : dataset_outcomes) finish(std::move(out));
}

}  // namespace

std::vector<PlannedEntry> plan_experiment(const Experiment& experiment) {
  std::vector<PlannedEntry> plan;
  std::set<std::string> grids;
  for (const RunSpec& run : experiment.runs) {
    EntryIdentity id = trajectory_identity(run);
    plan.push_back({EntryKind::kTrajectory, run.label, id.key});
  }
  for (const RunSpec& run : experiment.runs) {
    std::optional<EntryIdentity> id = run_grid_identity(run, experiment.grid_samples);
    if (id && grids.insert(id->key).second) {
      plan.push_back({EntryKind::kGrid, run.objective.name, id->key});
    }
  }
  for (const TrainingRunSpec& run : experiment.training_runs) {
    plan.push_back({EntryKind::kModel, run.label, training_identity(run).key});
  }
  std::set<std::string> datasets;
  for (const TrainingRunSpec& run : experiment.training_runs) {
    EntryIdentity id = dataset_identity(run.dataset);
    if (datasets.insert(id.key).second)
      plan.push_back({EntryKind::kDataset, run.dataset.name, id.key});
  }
  if (experiment.landscape) {
    plan.push_back({EntryKind::kLandscape, "landscape " + experiment.landscape->run,
                    landscape_identity(experiment).key});
  }
  if (experiment.interpolation) {
    plan.push_back({EntryKind::kInterpolation, "interpolation " + experiment.interpolation->run,
                    interpolation_identity(experiment).key});
  }
  if (experiment.walk) {
    plan.push_back(
        {EntryKind::kWalk, "walk " + experiment.walk->run, walk_identity(experiment).key});
  }
  for (const AgentRunSpec& run : experiment.agent_runs) {
    plan.push_back({EntryKind::kAgent, run.label, agent_identity(run).key});
  }
  for (const EmaSpec& ema : experiment.emas) {
    EntryIdentity id = ema_identity(ema);
    plan.push_back({EntryKind::kSeries, ema.label, id.key});
  }
  for (const MetricSourceSpec& source : experiment.metrics) {
    plan.push_back({EntryKind::kMetrics, metrics_label(source), metrics_identity(source).key});
  }
  return plan;
}

std::vector<GenerateOutcome> generate_experiment(const Experiment& experiment,
                                                 const CacheStore& store,
                                                 const GenerateOptions& options) {
  std::vector<GenerateOutcome> outcomes;
  auto finish = [&](GenerateOutcome out) {
    out.path = store.entry_path(out.kind, out.key);
    if (options.on_entry) options.on_entry(out);
    outcomes.push_back(std::move(out));
  };

  // LibTorch takes ~0.5 s to load. When anything needs it, start loading now on another thread,
  // while the torch-free entries (grids, EMA series) and the cache checks run here.
  std::vector<EntryIdentity> run_ids;
  for (const RunSpec& run : experiment.runs) run_ids.push_back(trajectory_identity(run));
  bool needs_torch = false;
  for (const EntryIdentity& id : run_ids) {
    needs_torch |= options.force || !store.contains(EntryKind::kTrajectory, id.key);
  }
  std::vector<EntryIdentity> training_ids;
  for (const TrainingRunSpec& run : experiment.training_runs) {
    training_ids.push_back(training_identity(run));
    needs_torch |= options.force || !store.contains(EntryKind::kModel, training_ids.back().key);
  }
  for (const AgentRunSpec& run : experiment.agent_runs) {
    needs_torch |= options.force || !store.contains(EntryKind::kAgent, agent_identity(run).key);
  }
  std::future<void> preload;
  if (needs_torch) preload = std::async(std::launch::async, [] { compute_backend(); });

  // Logs first: a bad log is an input error, and nothing of the experiment is written before it.
  for (const MetricSourceSpec& source : experiment.metrics) {
    const EntryIdentity id = metrics_identity(source);
    GenerateOutcome out;
    out.kind = EntryKind::kMetrics;
    out.label = metrics_label(source);
    out.key = id.key;
    MetricLog log = load_or_make(
        options.force, out, [&] { return store.read_metrics(id.key); },
        [&] {
          auto start = std::chrono::steady_clock::now();
          MetricLog made = import_metric_log(source);
          store.write_metrics(entry_meta(out.label, id, seconds_since(start)), made);
          return made;
        });
    out.steps = log.rows;
    out.points = static_cast<int64_t>(log.series.size());
    out.final_loss = NAN;
    finish(std::move(out));
  }

  std::set<std::string> grids_done;
  for (const RunSpec& run : experiment.runs) {
    const int64_t n = experiment.grid_samples;
    const std::optional<EntryIdentity> grid_id = run_grid_identity(run, n);
    if (!grid_id || !grids_done.insert(grid_id->key).second) continue;
    const EntryIdentity& id = *grid_id;
    GenerateOutcome out;
    out.kind = EntryKind::kGrid;
    out.label = "grid " + run.objective.name;
    out.key = id.key;
    load_or_make(
        options.force, out, [&] { return store.read_grid(id.key); },
        [&] {
          auto start = std::chrono::steady_clock::now();
          LossGrid grid = compute_loss_grid(run.objective, n, n);
          store.write_grid(entry_meta(out.label, id, seconds_since(start)), grid);
          return grid;
        });
    out.final_loss = NAN;
    finish(std::move(out));
  }

  for (const EmaSpec& ema : experiment.emas) {
    EntryIdentity id = ema_identity(ema);
    GenerateOutcome out;
    out.kind = EntryKind::kSeries;
    out.label = ema.label;
    out.key = id.key;
    load_or_make(
        options.force, out, [&] { return store.read_series(id.key); },
        [&] {
          auto start = std::chrono::steady_clock::now();
          EmaRecord record = compute_ema(ema);
          store.write_series(entry_meta(ema.label, id, seconds_since(start)), record);
          return record;
        });
    out.steps = ema.length;
    out.final_loss = NAN;
    finish(std::move(out));
  }

  // Runs: cached ones are summarised; missing ones are computed on up to two threads (each run
  // is independent and LibTorch's autograd is thread-safe across separate graphs), then written
  // and reported in file order.
  const std::size_t run_count = experiment.runs.size();
  std::vector<GenerateOutcome> run_outcomes(run_count);
  std::vector<std::optional<Trajectory>> computed(run_count);
  std::vector<std::size_t> missing;
  int64_t steps_to_compute = 0;
  for (std::size_t i = 0; i < run_count; ++i) {
    const RunSpec& run = experiment.runs[i];
    GenerateOutcome& out = run_outcomes[i];
    out.kind = EntryKind::kTrajectory;
    out.label = run.label;
    out.key = run_ids[i].key;
    std::optional<Trajectory> cached;
    cached = try_load(
        options.force, [&] { return store.read_trajectory(out.key); }, out);
    if (cached) {
      out.hit = true;
      summarise(*cached, out);
    } else {
      missing.push_back(i);
      steps_to_compute += run.steps;
    }
  }
  if (!missing.empty()) {
    const ComputeBackend& backend = compute_backend();
    ProgressBar bar(missing.size() == 1 ? experiment.runs[missing[0]].label
                                        : std::to_string(missing.size()) + " runs",
                    steps_to_compute);
    SharedProgress shared(bar);
    for_each_on_cores(missing.size(), [&](std::size_t m) {
      ProgressFn progress;
      if (options.show_progress) progress = shared.worker();
      computed[missing[m]] = backend.run_trajectory(experiment.runs[missing[m]], progress);
    });
  }
  for (std::size_t i = 0; i < run_count; ++i) {
    GenerateOutcome& out = run_outcomes[i];
    if (computed[i]) {
      const RunSpec& run = experiment.runs[i];
      const Trajectory& t = *computed[i];
      if (t.rows == 0) {
        throw InputError(experiment.source_path + ": run '" + run.label +
                         "': the loss or gradient at the start is not finite; nothing to record");
      }
      const EntryIdentity& id = run_ids[i];
      store.write_trajectory(
          entry_meta(run.label, id, t.wall_seconds, compute_backend().torch_version), t,
          run.dtype == DType::kFloat64);
      summarise(t, out);
      computed[i].reset();  // a sweep's record is large: free it once written
    }
    finish(std::move(out));
  }

  generate_training(experiment, training_ids, store, options, finish);
  generate_landscapes(experiment, store, options, finish);
  generate_walk(experiment, store, options, finish);
  generate_agents(experiment, store, options, finish);
  return outcomes;
}

}  // namespace trajtool
