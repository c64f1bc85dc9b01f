// The catalog against torch.optim 1.13's own signatures (golden/defaults.txt, written by
// make_golden.py from inspect.signature), and its validation rules against torch's checks.
#include "optimizers/catalog.h"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "optimizers/optimizer_factory.h"
#include "optimizers/optimizer_spec.h"
#include "toolkit/core/error.h"

namespace trajtool {
namespace {

const HyperParam* find_param(const OptimizerInfo& info, const std::string& key) {
  for (const HyperParam& p : info.hyper) {
    if (p.name == key) return &p;
  }
  return nullptr;
}

TEST(Catalog, DefaultsEqualTorchOptim) {
  std::ifstream file(std::string(TRAJTOOL_OPTIMIZERS_GOLDEN_DIR) + "/defaults.txt");
  ASSERT_TRUE(file.good());
  std::map<std::string, std::set<std::string>> python_keys;
  std::string line;
  int checked = 0;
  while (std::getline(file, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream in(line);
    std::string optimizer, key, kind;
    in >> optimizer >> key >> kind;
    SCOPED_TRACE(line);
    python_keys[optimizer].insert(key);
    const OptimizerInfo& info = optimizer_info(optimizer);
    const HyperParam* param = find_param(info, key);
    ASSERT_NE(param, nullptr);
    ++checked;
    if (kind == "required") {
      EXPECT_TRUE(param->required);
    } else if (kind == "none") {
      if (param->kind == HyperKind::kOptionalString) {
        EXPECT_EQ(std::get<std::string>(param->default_value), "");
      } else {
        // lbfgs max_eval: torch's None means max_iter * 5 // 4.
        OptimizerSpec spec{optimizer, {{"max_iter", 12.0}}};
        apply_optimizer_defaults(spec);
        EXPECT_EQ(std::get<double>(spec.hyper.at(key)), 15.0);
        spec = {optimizer, {}};
        apply_optimizer_defaults(spec);
        EXPECT_EQ(std::get<double>(spec.hyper.at(key)), 25.0);
      }
    } else if (kind == "bool") {
      int v = 0;
      in >> v;
      EXPECT_EQ(param->kind, HyperKind::kBool);
      EXPECT_EQ(std::get<bool>(param->default_value), v != 0);
    } else if (kind == "pair") {
      double a = 0, b = 0;
      in >> a >> b;
      EXPECT_EQ(param->kind, HyperKind::kPair);
      EXPECT_EQ(std::get<std::vector<double>>(param->default_value), (std::vector<double>{a, b}));
    } else {
      double v = 0;
      in >> v;
      EXPECT_TRUE(param->kind == HyperKind::kNumber || param->kind == HyperKind::kInteger);
      EXPECT_EQ(std::get<double>(param->default_value), v);
    }
  }
  EXPECT_GT(checked, 50);
  // Nothing beyond what torch.optim offers, and every optimizer covered.
  EXPECT_EQ(python_keys.size(), optimizer_names().size());
  for (const std::string& name : optimizer_names()) {
    std::set<std::string> ours;
    for (const HyperParam& p : optimizer_info(name).hyper) ours.insert(p.name);
    EXPECT_EQ(ours, python_keys[name]) << name;
  }
}

TEST(Catalog, UnknownOptimizerIsAnInputError) {
  EXPECT_THROW(optimizer_info("adamm"), InputError);
  try {
    optimizer_info("adamm");
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("known: sgd, adam"), std::string::npos) << e.what();
  }
}

TEST(Catalog, ValueRulesFollowTorchChecks) {
  const OptimizerInfo& adam = optimizer_info("adam");
  EXPECT_EQ(check_hyper_value(adam, "lr", 0.0), "");
  EXPECT_NE(check_hyper_value(adam, "lr", -1e-3), "");
  EXPECT_NE(check_hyper_value(adam, "eps", -1.0), "");
  EXPECT_EQ(check_hyper_value(adam, "betas", std::vector<double>{0.0, 0.999}), "");
  EXPECT_NE(check_hyper_value(adam, "betas", std::vector<double>{0.9, 1.0}), "");
  EXPECT_NE(check_hyper_value(adam, "betas", std::vector<double>{-0.1, 0.9}), "");
  EXPECT_NE(check_hyper_value(adam, "betas", std::vector<double>{0.9}), "");
  EXPECT_NE(check_hyper_value(adam, "lr", true), "");
  EXPECT_NE(check_hyper_value(adam, "amsgrad", 1.0), "");
  EXPECT_NE(check_hyper_value(adam, "maximize", false), "");  // not offered: LibTorch lacks it
  EXPECT_NE(check_hyper_value(optimizer_info("sgd"), "momentum", -0.5), "");
  EXPECT_EQ(check_hyper_value(optimizer_info("sgd"), "dampening", -0.5), "");  // torch allows it
  EXPECT_NE(check_hyper_value(optimizer_info("adadelta"), "rho", 1.5), "");
  EXPECT_EQ(check_hyper_value(optimizer_info("adadelta"), "rho", 1.0), "");
  EXPECT_NE(check_hyper_value(optimizer_info("rprop"), "etas", std::vector<double>{0.5, 0.9}), "");
  EXPECT_NE(check_hyper_value(optimizer_info("rprop"), "etas", std::vector<double>{1.0, 1.2}), "");
  const OptimizerInfo& lbfgs = optimizer_info("lbfgs");
  EXPECT_EQ(check_hyper_value(lbfgs, "line_search_fn", std::string("strong_wolfe")), "");
  EXPECT_EQ(check_hyper_value(lbfgs, "line_search_fn", std::string("")), "");
  EXPECT_NE(check_hyper_value(lbfgs, "line_search_fn", std::string("armijo")), "");
  EXPECT_NE(check_hyper_value(lbfgs, "max_iter", 2.5), "");
  EXPECT_NE(check_hyper_value(lbfgs, "history_size", 0.0), "");
  EXPECT_EQ(check_hyper_value(lbfgs, "history_size", 5.0), "");
}

TEST(Catalog, CrossFieldRules) {
  OptimizerSpec sgd{"sgd", {{"lr", 0.1}, {"nesterov", true}}};
  apply_optimizer_defaults(sgd);
  EXPECT_NE(check_optimizer_spec(sgd).find("nesterov"), std::string::npos);
  sgd.hyper["momentum"] = 0.9;
  EXPECT_EQ(check_optimizer_spec(sgd), "");
  sgd.hyper["dampening"] = 0.1;
  EXPECT_NE(check_optimizer_spec(sgd), "");
  OptimizerSpec no_lr{"sgd", {}};
  apply_optimizer_defaults(no_lr);
  EXPECT_NE(check_optimizer_spec(no_lr).find("lr"), std::string::npos);
  OptimizerSpec unknown_key{"adam", {{"momentum", 0.9}}};
  EXPECT_NE(check_optimizer_spec(unknown_key).find("momentum"), std::string::npos);
  // The factory refuses what the checks refuse, as an InputError for the config's author.
  at::Tensor p = at::zeros({2}).requires_grad_(true);
  EXPECT_THROW(make_optimizer({"sgd", {{"lr", 0.1}, {"nesterov", true}}}, {p}), InputError);
  EXPECT_THROW(make_optimizer({"adam", {{"lr", -1.0}}}, {p}), InputError);
  EXPECT_NO_THROW(make_optimizer({"nadam", {}}, {p}));
}

TEST(Catalog, RecordedStateNamesDependOnOptions) {
  using Names = std::vector<std::string>;
  EXPECT_EQ(recorded_state_names({"sgd", {{"lr", 0.1}}}), Names{});
  EXPECT_EQ(recorded_state_names({"sgd", {{"lr", 0.1}, {"momentum", 0.9}}}),
            Names{"momentum_buffer"});
  EXPECT_EQ(recorded_state_names({"adam", {}}), (Names{"step", "exp_avg", "exp_avg_sq"}));
  EXPECT_EQ(recorded_state_names({"adam", {{"amsgrad", true}}}),
            (Names{"step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"}));
  EXPECT_EQ(recorded_state_names({"rmsprop", {{"momentum", 0.5}, {"centered", true}}}),
            (Names{"step", "square_avg", "momentum_buffer", "grad_avg"}));
  EXPECT_EQ(recorded_state_names({"lbfgs", {}}), (Names{"func_evals", "n_iter", "t", "d"}));
  EXPECT_FALSE(optimizer_info("lbfgs").elementwise);
  EXPECT_TRUE(optimizer_info("rprop").elementwise);
}

}  // namespace
}  // namespace trajtool
