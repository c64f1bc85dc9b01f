// A scene that draws trained models is rendered again when any of their cache entries changes
// (a run's or its dataset's key) or what it shows without hashing (a run's label or colour).
#include <gtest/gtest.h>

#include "toolkit/build/scene_fingerprint.h"
#include "toolkit/config/quality_preset.h"
#include "toolkit/pipeline/cache_key.h"

namespace trajtool {
namespace {

Experiment moons_experiment() {
  Experiment e;
  e.name = "moons";
  e.source_path = "experiments/moons.yaml";
  TrainingRunSpec run;
  run.label = "SGD";
  run.color = "#58c4dd";
  run.dataset.name = "moons";
  run.dataset.samples = 200;
  run.dataset.noise = 0.2;
  run.dataset.features = 2;
  run.dataset.classes = 2;
  run.dataset.sample_shape = {2};
  run.model.layers = {2, 16, 2};
  run.model.activations = {"relu"};
  run.model.outputs = 2;
  run.optimizer.name = "sgd";
  run.optimizer.hyper["lr"] = 0.1;
  run.steps = 100;
  run.batch_size = 150;
  e.training_runs.push_back(run);
  return e;
}

std::string data_part(const Experiment& e) {
  SceneHeader header;
  header.path = "scenes/S.yaml";
  header.name = "S";
  header.experiments = {{"main", e.source_path, 3}};
  return scene_fingerprint(header, {e}, *find_quality_preset("l")).parts.at("data");
}

TEST(TrainingFingerprint, FollowsTheRunsKeysTheirDatasetsAndWhatIsShown) {
  const Experiment base = moons_experiment();
  EXPECT_EQ(data_part(base), data_part(moons_experiment()));
  Experiment steps = base;
  steps.training_runs[0].steps = 200;
  ASSERT_NE(training_identity(steps.training_runs[0]).key,
            training_identity(base.training_runs[0]).key);
  EXPECT_NE(data_part(steps), data_part(base));
  Experiment noise = base;
  noise.training_runs[0].dataset.noise = 0.3;
  ASSERT_NE(dataset_identity(noise.training_runs[0].dataset).key,
            dataset_identity(base.training_runs[0].dataset).key);
  EXPECT_NE(data_part(noise), data_part(base));
  Experiment label = base;
  label.training_runs[0].label = "plain SGD";
  ASSERT_EQ(training_identity(label.training_runs[0]).key,
            training_identity(base.training_runs[0]).key);  // a label is not hashed...
  EXPECT_NE(data_part(label), data_part(base));              // ... but it is on screen
  Experiment color = base;
  color.training_runs[0].color = "#fc6255";
  EXPECT_NE(data_part(color), data_part(base));
}

}  // namespace
}  // namespace trajtool
