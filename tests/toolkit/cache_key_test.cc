#include "toolkit/pipeline/cache_key.h"

#include <gtest/gtest.h>

#include "toolkit/config/experiment_config.h"
#include "toolkit/core/digest.h"

namespace trajtool {
namespace {

RunSpec first_run(const std::string& yaml) { return parse_experiment(yaml, "t.yaml").runs.at(0); }

const char* kBase = R"(
name: t
objective: rosenbrock
start: [-1.5, 2]
steps: 10
runs:
  - {optimizer: adam, lr: 0.1, label: A, color: "#ff0000"}
)";

TEST(CacheKey, LabelAndColourDoNotChangeTheKey) {
  RunSpec a = first_run(kBase);
  RunSpec b = a;
  b.label = "another name";
  b.color = "#00ff00";
  EXPECT_EQ(trajectory_identity(a).key, trajectory_identity(b).key);
}

TEST(CacheKey, ExplicitDefaultsGiveTheSameKey) {
  RunSpec implicit = first_run(kBase);
  RunSpec explicit_defaults = first_run(R"(
name: t
objective: {name: rosenbrock, a: 1, b: 100}
start: [-1.5, 2.0]
steps: 10
seed: 0
dtype: float32
runs:
  - {optimizer: adam, lr: 0.1, betas: [0.9, 0.999], eps: 1.0e-8, weight_decay: 0, amsgrad: false}
)");
  EXPECT_EQ(trajectory_identity(implicit).key, trajectory_identity(explicit_defaults).key);
}

TEST(CacheKey, EveryInputThatChangesTheNumbersChangesTheKey) {
  const RunSpec base = first_run(kBase);
  const std::string key = trajectory_identity(base).key;
  std::vector<RunSpec> changed(8, base);
  changed[0].optimizer.hyper["lr"] = 0.2;
  changed[1].optimizer.hyper["betas"] = std::vector<double>{0.9, 0.99};
  changed[2].objective.params["b"] = 101;
  changed[3].start.point = {-1.5, 2.5};
  changed[4].steps = 11;
  changed[5].seed = 1;
  changed[6].dtype = DType::kFloat64;
  changed[7].grad_noise_std = 0.5;
  for (const RunSpec& run : changed) EXPECT_NE(trajectory_identity(run).key, key);
}

TEST(CacheKey, KeyIsTheSha256OfTheStoredJson) {
  EntryIdentity id = trajectory_identity(first_run(kBase));
  EXPECT_EQ(id.key.size(), 64u);
  EXPECT_EQ(id.key, sha256_hex(id.json));
  EXPECT_NE(id.json.find("\"optimizer\":{\"hyper\":{\"amsgrad\":false"), std::string::npos);
  EXPECT_NE(id.json.find("\"schema_version\":"), std::string::npos);
}

TEST(CacheKey, GridKeyDependsOnDomainAndResolutionButNotOnRuns) {
  RunSpec run = first_run(kBase);
  std::string key = grid_identity(run.objective, 64, 64).key;
  EXPECT_NE(grid_identity(run.objective, 65, 64).key, key);
  ObjectiveSpec wider = run.objective;
  wider.domain.x_max += 1;
  EXPECT_NE(grid_identity(wider, 64, 64).key, key);
  run.optimizer.hyper["lr"] = 0.5;
  EXPECT_EQ(grid_identity(run.objective, 64, 64).key, key);
}

}  // namespace
}  // namespace trajtool
