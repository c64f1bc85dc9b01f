#pragma once
// What a scene reads: experiments and their cached results, loaded by the CLI from the cache. A
// scene never computes or trains; it does not know how these numbers were made.
#include <memory>
#include <string>
#include <vector>

#include "toolkit/core/agent_record.h"
#include "toolkit/core/landscape_record.h"
#include "toolkit/core/metric_log.h"
#include "toolkit/core/run_spec.h"
#include "toolkit/core/training_record.h"
#include "toolkit/core/trajectory.h"
#include "toolkit/core/walk_record.h"

namespace trajtool {

struct RunData {
  RunSpec spec;                          // the run as configured (label, colour, optimizer, ...)
  std::string key;                       // its cache key
  Trajectory trajectory;                 // what it recorded
  std::shared_ptr<const LossGrid> grid;  // its objective's loss grid (null for 1D objectives)
};

// A trained-model run (an experiment with a `dataset:`) and the data it trained on.
struct TrainingData {
  TrainingRunSpec spec;                          // the run as configured (label, colour, model...)
  std::string key;                               // its cache key
  TrainingRecord record;                         // what it recorded
  std::shared_ptr<const DatasetRecord> dataset;  // its data set (shared by the experiment's runs)
};

// An agent run (an experiment with an `env:`).
struct AgentData {
  AgentRunSpec spec;   // the run as configured (label, colour, model, optimizer, A2C settings)
  std::string key;     // its cache key
  AgentRecord record;  // what it recorded
};

struct EmaData {
  EmaSpec spec;      // as configured
  EmaRecord record;  // signal and EMAs
};

struct MetricData {
  MetricSourceSpec spec;  // the `metrics:` source as configured (labels, scales)
  MetricLog log;          // what was imported
};

struct ExperimentData {
  std::string name;           // the experiment's `name:`
  std::string source_path;    // its YAML file
  std::vector<RunData> runs;  // in file order
  std::vector<EmaData> emas;
  std::vector<MetricData> metrics;                           // imported logs, in file order
  std::vector<TrainingData> trainings;                       // trained-model runs, in file order
  std::vector<AgentData> agents;                             // agent runs, in file order
  std::shared_ptr<const LandscapeRecord> landscape;          // `landscape:` of a model
                                                             // experiment; null when none
  std::shared_ptr<const InterpolationRecord> interpolation;  // `interpolation:`; null when none
  std::shared_ptr<const WalkRecord> walk;                    // `walk:`; null when none
  std::vector<std::string> keys;  // every cache key read (a build's input)
};

struct SceneData {
  std::vector<ExperimentData> experiments;  // in the order the scene asked for them
};

}  // namespace trajtool
