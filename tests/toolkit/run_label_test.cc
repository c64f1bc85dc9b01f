// Automatic labels name every hyperparameter that differs from torch.optim's default.
#include "toolkit/config/run_label.h"

#include <gtest/gtest.h>

#include <string>

#include "toolkit/config/experiment_config.h"

namespace trajtool {
namespace {

std::vector<std::string> run_labels(const std::string& runs) {
  const Experiment e =
      parse_experiment("name: t\nobjective: rosenbrock\nsteps: 10\nruns:\n" + runs, "t.yaml");
  std::vector<std::string> labels;
  for (const RunSpec& run : e.runs) labels.push_back(run.label);
  return labels;
}

TEST(RunLabel, NamesEveryHyperparameterThatDiffersFromTorchDefaults) {
  EXPECT_EQ(
      run_labels("  - {optimizer: sgd, lr: 0.01}\n"
                 "  - {optimizer: sgd, lr: 0.01, momentum: 0.9}\n"
                 "  - {optimizer: sgd, lr: 0.01, momentum: 0.9, nesterov: true}\n"
                 "  - {optimizer: adam, lr: 0.1, amsgrad: true}\n"
                 "  - {optimizer: adam, betas: [0.9, 0.99]}\n"
                 "  - {optimizer: adam, lr: 0.001, betas: [0.9, 0.999], eps: 1.0e-8}\n"
                 "  - {optimizer: rmsprop, alpha: 0.9, centered: true, eps: 1.0e-6}\n"
                 "  - {optimizer: adamw, lr: 0.0001, weight_decay: 0}\n"),
      (std::vector<std::string>{"SGD (lr=0.01)", "SGD, momentum 0.9 (lr=0.01)",
                                "SGD, momentum 0.9, nesterov (lr=0.01)", "Adam, amsgrad (lr=0.1)",
                                "Adam, betas 0.9/0.99 (lr=0.001)", "Adam (lr=0.001)",
                                "RMSprop, alpha 0.9, eps 1e-06, centered (lr=0.01)",
                                "AdamW, weight_decay 0 (lr=0.0001)"}));
}

TEST(RunLabel, LbfgsMaxEvalThatFollowsMaxIterIsNotNamed) {
  const Experiment e = parse_experiment(
      "name: t\nobjective: rosenbrock\nsteps: 5\nruns:\n"
      "  - {optimizer: lbfgs, max_iter: 40}\n"
      "  - {optimizer: lbfgs, max_iter: 40, max_eval: 30, line_search_fn: strong_wolfe}\n",
      "t.yaml");
  EXPECT_EQ(e.runs[0].label, "L-BFGS, max_iter 40 (lr=1)");
  EXPECT_EQ(e.runs[1].label,
            "L-BFGS, max_iter 40, max_eval 30, line_search_fn strong_wolfe (lr=1)");
}

TEST(RunLabel, NumbersAreTheShortestThatReadBack) {
  EXPECT_EQ(label_number(0.01), "0.01");
  EXPECT_EQ(label_number(1e-4), "0.0001");
  EXPECT_EQ(label_number(1e-8), "1e-08");
  EXPECT_EQ(label_number(300), "300");
  EXPECT_EQ(label_number(0.123456789), "0.123456789");
  EXPECT_EQ(label_number(1e20), "1e+20");
  EXPECT_EQ(label_number(12.5), "12.5");
}

TEST(RunLabel, WrittenLabelsAreKept) {
  EXPECT_EQ(run_labels("  - {optimizer: sgd, lr: 0.01, momentum: 0.9, label: Heavy ball}\n"),
            std::vector<std::string>{"Heavy ball"});
}

}  // namespace
}  // namespace trajtool
