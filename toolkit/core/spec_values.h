#pragma once
// Values every kind of run spec shares: a plane rectangle, hyperparameter values, the optimizer
// with its torch.optim hyperparameters, the tensor dtype.
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace trajtool {

// A rectangle of the plane: x in [x_min, x_max], y in [y_min, y_max].
struct Domain {
  double x_min = 0;  // left edge
  double x_max = 0;  // right edge
  double y_min = 0;  // bottom edge
  double y_max = 0;  // top edge
};

// A hyperparameter value: torch.optim uses bools, numbers, tuples of numbers and a few strings.
using HyperValue = std::variant<bool, double, std::vector<double>, std::string>;

// Which optimizer, with every torch.optim hyperparameter explicit (defaults filled in).
struct OptimizerSpec {
  std::string name;                         // "sgd", "adam", "adamw", "rmsprop", "lbfgs", ...
  std::map<std::string, HyperValue> hyper;  // torch.optim names: lr, betas, momentum, ...
};

enum class DType { kFloat32, kFloat64 };

const char* dtype_name(DType dtype);  // "float32" / "float64"

}  // namespace trajtool
