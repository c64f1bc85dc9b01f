#pragma once
// The loss of an MLP at many points of its weight space at once: w(a, b) = center + a dx + b dy
// for every (a, b), over a whole data set. A block of points is one batched computation: the
// weights of every point of the block stacked, each layer a batched matrix product of the block's
// activations with its stacked weights (as torch.bmm would do), on all cores. Torch-free (Eigen).
// Used for landscapes (a grid of (a, b)), interpolations (b = 0) and single weight vectors.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "toolkit/core/training_spec.h"

namespace trajtool {

// The network: Linear layers with an activation after each hidden one (Dropout is the identity in
// evaluation). Its flat weights are the state_dict() concatenated: per layer weight [out][in]
// row-major, then bias [out].
struct PlaneModel {
  std::vector<int64_t> widths;              // {2, 32, 32, 2}: inputs first
  std::vector<std::string> activations;     // one per hidden layer: relu, tanh, sigmoid, gelu,
                                            // leaky_relu, identity
  LossKind loss = LossKind::kCrossEntropy;  // mean over the samples, as torch's reduction
  int64_t classes = 0;                      // classes (0: regression; mse on one-hot otherwise)
  bool float64 = false;                     // compute in double (else float, as the run did)
};

// The samples the loss averages over.
struct PlaneSamples {
  int64_t count = 0;      // samples
  std::vector<double> x;  // [count][widths[0]]
  std::vector<double> y;  // [count]: class index or regression target
};

// The weights of the points: center + a dx + b dy, each flat as PlaneModel says.
struct PlaneWeights {
  std::vector<double> center;
  std::vector<double> dx;
  std::vector<double> dy;
};

// Loss and accuracy (share right; NaN for regression) at each point.
struct PlaneValues {
  std::vector<double> loss;
  std::vector<double> accuracy;
};

// Scalars in the flat weights of `model`.
int64_t plane_weight_count(const PlaneModel& model);

// The loss and accuracy at (a[k], b[k]) for every k. `progress` (may be empty) gets (points done,
// points total) from the calling thread. Deterministic: the result does not depend on the number
// of threads.
PlaneValues evaluate_plane(const PlaneModel& model, const PlaneSamples& samples,
                           const PlaneWeights& weights, const std::vector<double>& a,
                           const std::vector<double>& b,
                           const std::function<void(int64_t, int64_t)>& progress = {});

}  // namespace trajtool
