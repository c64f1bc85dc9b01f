#include "toolkit/config/experiment_config.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "toolkit/core/error.h"

namespace trajtool {
namespace {

// The message of the InputError that parsing `yaml` throws ("" if it does not throw).
std::string error_of(const std::string& yaml) {
  try {
    parse_experiment(yaml, "bad.yaml");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

const char* kHead = "name: t\nobjective: rosenbrock\nsteps: 10\nruns:\n";

TEST(ExperimentConfig, ReadsTheIssueExampleWithDefaultsApplied) {
  Experiment e = parse_experiment(R"(name: rosenbrock-4
objective: rosenbrock
start: [-1.5, 2.0]
steps: 300
seed: 0
dtype: float64
runs:
  - {optimizer: sgd, lr: 0.001, label: "SGD"}
  - {optimizer: sgd, lr: 0.001, momentum: 0.9, nesterov: true}
  - {optimizer: rmsprop, lr: 0.01, alpha: 0.99, centered: false}
  - {optimizer: adam, lr: 0.1, betas: [0.9, 0.999], amsgrad: false, steps: 20, seed: 3}
)",
                                  "x.yaml");
  ASSERT_EQ(e.runs.size(), 4u);
  EXPECT_EQ(e.runs[0].label, "SGD");
  EXPECT_EQ(e.runs[0].dtype, DType::kFloat64);
  EXPECT_EQ(e.runs[0].steps, 300);
  EXPECT_EQ(std::get<double>(e.runs[1].optimizer.hyper.at("momentum")), 0.9);
  EXPECT_EQ(std::get<double>(e.runs[1].optimizer.hyper.at("dampening")), 0.0);
  EXPECT_EQ(std::get<double>(e.runs[2].optimizer.hyper.at("eps")), 1e-8);
  EXPECT_EQ(std::get<double>(e.runs[3].optimizer.hyper.at("eps")), 1e-8);
  EXPECT_EQ(e.runs[3].steps, 20);
  EXPECT_EQ(e.runs[3].seed, 3u);
  EXPECT_EQ(e.runs[3].start.point, (std::vector<double>{-1.5, 2.0}));
  EXPECT_EQ(e.runs[0].objective.params.at("b"), 100);
}

TEST(ExperimentConfig, ReadsObjectiveMapsFormulasGridsAndNoise) {
  Experiment e = parse_experiment(R"(name: t
objective: {name: rotated_quadratic, a: 6, b: 1, theta: 0.9}
steps: 5
grad_noise: {std: 0.5}
runs:
  - {optimizer: adam, start: {grid: [[-2, 2], [-1, 3]], n: [4, 3]}}
  - {optimizer: sgd, lr: 0.1, objective: {expr: "(1-x)^2 + 100*(y-x^2)^2", domain: [[-2,2],[-1,3]]}, start: [0, 0]}
)",
                                  "x.yaml");
  EXPECT_EQ(e.runs[0].objective.params.at("theta"), 0.9);
  EXPECT_TRUE(e.runs[0].start.is_grid());
  EXPECT_EQ(e.runs[0].start.grid_nx, 4);
  EXPECT_EQ(e.runs[0].start.grid.y_max, 3);
  EXPECT_EQ(e.runs[0].grad_noise_std, 0.5);
  EXPECT_EQ(e.runs[1].objective.name, "expr");
  EXPECT_EQ(e.runs[1].objective.domain.y_min, -1);
}

TEST(ExperimentConfig, ErrorsNameFileLineAndKey) {
  std::string head = kHead;
  EXPECT_EQ(error_of(head + "  - {optimizer: adam, lr: 0.1}\n  - {optimizer: adam, lr: -0.1}\n")
                .rfind("bad.yaml:6: runs[1].lr: must be", 0),
            0u)
      << error_of(head + "  - {optimizer: adam, lr: 0.1}\n  - {optimizer: adam, lr: -0.1}\n");
  EXPECT_NE(error_of(head + "  - {optimizer: adamm}\n")
                .find("bad.yaml:5: runs[0].optimizer: unknown optimizer 'adamm'"),
            std::string::npos);
  EXPECT_NE(error_of(head + "  - {optimizer: adam, lrr: 0.1}\n")
                .find("bad.yaml:5: runs[0].lrr: unknown key"),
            std::string::npos);
  EXPECT_NE(error_of(head + "  - {optimizer: adam, lr: fast}\n")
                .find("runs[0].lr: expected a number, got 'fast'"),
            std::string::npos);
  EXPECT_NE(error_of(head + "  - {optimizer: adam, lr: .nan}\n")
                .find("runs[0].lr: must be a finite number"),
            std::string::npos);
  EXPECT_NE(error_of(head + "  - {optimizer: adam, betas: [0.9, 1.0]}\n").find("runs[0].betas:"),
            std::string::npos);
  EXPECT_NE(error_of(head + "  - {optimizer: sgd}\n").find("missing `lr`"), std::string::npos);
  EXPECT_NE(error_of(head + "  - {optimizer: sgd, lr: 0.1, nesterov: true}\n").find("nesterov"),
            std::string::npos);
  EXPECT_NE(error_of(head + "  - {optimizer: adam, amsgrad: 3}\n")
                .find("runs[0].amsgrad: expected true or false"),
            std::string::npos);
  EXPECT_NE(error_of("name: t\nobjective: rosenbrok\nsteps: 3\nruns: [{optimizer: adam}]\n")
                .find("bad.yaml:2: objective: unknown objective"),
            std::string::npos)
      << error_of("name: t\nobjective: rosenbrok\nsteps: 3\nruns: [{optimizer: adam}]\n");
  EXPECT_NE(error_of("name: t\nobjective: rosenbrock\nsteps: 0\nruns: [{optimizer: adam}]\n")
                .find("bad.yaml:3: steps: must be > 0"),
            std::string::npos);
  EXPECT_NE(error_of("name: t\nobjective: rosenbrock\nsteps: 2.5\nruns: [{optimizer: adam}]\n")
                .find("steps: expected a whole number"),
            std::string::npos);
  EXPECT_NE(error_of("name: t\nobjective: rosenbrock\nstep: 3\nruns: [{optimizer: adam}]\n")
                .find("bad.yaml:3: step: unknown key"),
            std::string::npos);
  EXPECT_NE(error_of("name: t\nobjective: {expr: \"x + * y\"}\nsteps: 3\nruns: [{optimizer: adam, "
                     "start: [0, 0]}]\n")
                .find("column"),
            std::string::npos);
  EXPECT_NE(error_of("name: t\nruns: [{optimizer: adam\n").find("bad.yaml:"), std::string::npos);
  EXPECT_NE(error_of("name: t\nruns: [{optimizer: adam\n").find("malformed YAML"),
            std::string::npos);
  EXPECT_NE(error_of(std::string(kHead) +
                     "  - {optimizer: lbfgs, start: {grid: [[0,1],[0,1]], n: [2,2]}}\n")
                .find("element-wise"),
            std::string::npos);
  EXPECT_NE(
      error_of("name: t\nobjective: rosenbrock\nstart: [1]\nsteps: 3\nruns: [{optimizer: adam}]\n")
          .find("bad.yaml:3: start:"),
      std::string::npos);
}

TEST(ExperimentConfig, RejectsWhatWouldOtherwiseFailLateOrSilently) {
  std::string head = kHead;
  // A key given twice: YAML readers keep one value silently.
  EXPECT_NE(error_of(head + "  - {optimizer: sgd, lr: 0.001, lr: 0.5}\n")
                .find("bad.yaml:5: runs[0].lr: duplicate key"),
            std::string::npos);
  EXPECT_NE(
      error_of("name: t\nsteps: 5\nsteps: 7\nobjective: rosenbrock\nruns: [{optimizer: adam}]\n")
          .find("bad.yaml:3: steps: duplicate key"),
      std::string::npos);
  // log(x) at x = -1 has no value: no first row could be recorded.
  EXPECT_NE(error_of("name: t\nobjective: {expr: \"log(x) + y\"}\nstart: [-1, 0]\nsteps: 3\n"
                     "runs: [{optimizer: adam}]\n")
                .find("loss at the start is not finite"),
            std::string::npos);
  EXPECT_NE(error_of("name: t\nobjective: rosenbrock\nstart: [1e300, 1]\nsteps: 3\n"
                     "runs: [{optimizer: adam}]\n")
                .find("bad.yaml:5: runs[0]: the loss at the start is not finite"),
            std::string::npos);
  EXPECT_NE(error_of("name: t\nmodels: [{optimizer: adam, layers: [3, 8, 1]}]\n")
                .find("bad.yaml:2: models: `models:` is gone: train models with a `dataset:`"),
            std::string::npos);
  EXPECT_NE(
      error_of(head +
               "  - {optimizer: adam, start: {grid: [[0, 1], [0, 1]], n: [100000, 100000]}}\n")
          .find("too large"),
      std::string::npos);
  try {
    load_experiment(std::filesystem::temp_directory_path().string());
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("is a directory"), std::string::npos);
  }
}

// Two runs (models, EMA demos) of one file may not share a label, automatic or written.
TEST(ExperimentConfig, DuplicateLabelsNameTheFileBothLinesAndTheFix) {
  const std::string automatic = error_of(
      "name: t\nobjective: rosenbrock\nsteps: 10\nruns:\n"
      "  - {optimizer: sgd, lr: 0.01, start: [1, 2]}\n"
      "  - {optimizer: sgd, lr: 0.01, start: [2, 1]}\n");
  EXPECT_EQ(automatic,
            "bad.yaml:6: runs[1]: label 'SGD (lr=0.01)' (automatic, no `label:`) is also the label "
            "of runs[0] at line 5 (automatic, no `label:`): a legend could not tell the two apart; "
            "give one of them a `label:` of its own");
  const std::string written = error_of(
      "name: t\nobjective: rosenbrock\nsteps: 10\nruns:\n"
      "  - {optimizer: sgd, lr: 0.01, momentum: 0.9}\n"
      "  - {optimizer: adam}\n"
      "  - {optimizer: adam, lr: 0.1, label: 'SGD, momentum 0.9 (lr=0.01)'}\n");
  EXPECT_NE(written.find("bad.yaml:7: runs[2]: label 'SGD, momentum 0.9 (lr=0.01)' (written) is "
                         "also the label of runs[0] at line 5 (automatic"),
            std::string::npos)
      << written;
  // Trained-model runs (the `models:` list of earlier versions) follow the same rule.
  const std::string models = error_of(
      "name: t\ndataset: xor\nmodel: {layers: [2, 4, 1]}\nsteps: 10\nruns:\n"
      "  - {optimizer: sgd, lr: 0.1, label: A}\n"
      "  - {optimizer: adam, label: A}\n");
  EXPECT_NE(models.find("bad.yaml:7: runs[1]: label 'A' (written) is also the label of "
                        "runs[0] at line 6"),
            std::string::npos)
      << models;
}

TEST(ExperimentConfig, UnreadableFileIsNamed) {
  try {
    load_experiment("/nonexistent/x.yaml");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "/nonexistent/x.yaml: cannot read the file");
  }
}

TEST(ExperimentConfig, ShippedExperimentsAreValid) {
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(TRAJTOOL_SOURCE_DIR) + "/experiments")) {
    if (entry.path().extension() != ".yaml") continue;
    EXPECT_NO_THROW(load_experiment(entry.path().string())) << entry.path();
  }
}

}  // namespace
}  // namespace trajtool
