#pragma once
// Cache keys: the SHA-256 of the canonical JSON of every input that changes an entry's numbers,
// plus the schema version. Labels, colours and display-only settings are left out, so renaming a
// run finds the same entry; any change of a hyperparameter (after defaults) gives a new key.
#include <cstdint>
#include <optional>
#include <string>

#include "toolkit/core/run_spec.h"

namespace trajtool {

// The identity of an entry: the canonical JSON (stored in the file) and its hash (the file name).
struct EntryIdentity {
  std::string json;  // canonical JSON of the inputs
  std::string key;   // lowercase hex SHA-256 of `json`
};

// Bump when the numbers an unchanged input produces would change (algorithm or layout changes).
constexpr int kDataVersion = 1;

// A run's identity. The objective's domain is not part of it (it changes only the grid).
EntryIdentity trajectory_identity(const RunSpec& run);
// The loss grid of an objective over its domain at nx-by-ny samples.
EntryIdentity grid_identity(const ObjectiveSpec& objective, int64_t nx, int64_t ny);
// The loss grid a run is drawn on (nx = ny = samples), or none for a 1D objective.
std::optional<EntryIdentity> run_grid_identity(const RunSpec& run, int64_t samples);
// A data set: its parameters and its files' digests (not their paths).
EntryIdentity dataset_identity(const DatasetSpec& dataset);
// A trained-model run: everything in the spec but label and colour; the data set by its key.
EntryIdentity training_identity(const TrainingRunSpec& run);
// An agent run: everything in the spec but label and colour.
EntryIdentity agent_identity(const AgentRunSpec& run);
EntryIdentity ema_identity(const EmaSpec& spec);
// An imported log: the SHA-256 of the CSV file's bytes (not its path) and the selection (step
// column, series columns or globs, bands, smoothing); labels and scales are left out.
EntryIdentity metrics_identity(const MetricSourceSpec& source);
// The landscape of a model experiment (experiment.landscape set): its spec and every run's key
// and label (their checkpoints are projected, and pca reads them all).
EntryIdentity landscape_identity(const Experiment& experiment);
// The interpolation of a model experiment (experiment.interpolation set): its spec and its run's
// key and label.
EntryIdentity interpolation_identity(const Experiment& experiment);
// The walk of a model experiment (experiment.walk set): its spec, its run's key and label, and
// the walk layout's version.
EntryIdentity walk_identity(const Experiment& experiment);

}  // namespace trajtool
