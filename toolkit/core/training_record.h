#pragma once
// What a data set entry and a trained-model run entry hold, as read back from the cache. Values
// are kept as double in memory whatever the run's dtype (float32 values convert exactly), so a
// write followed by a read is bit-exact. Torch-free: the scenes include it. HDF5 layout:
// docs/cache-format.md ("Dataset files", "Trained-model files").
#include <cstdint>
#include <string>
#include <vector>

#include "toolkit/core/spec_values.h"

namespace trajtool {

// A data set, split into training and test samples.
struct DatasetRecord {
  std::vector<int64_t> sample_shape;       // one sample's shape: {2}, {1}, {784}, {1, 28, 28}
  int64_t features = 0;                    // product of sample_shape
  int64_t classes = 0;                     // number of classes; 0 for regression
  int64_t train_count = 0;                 // training samples
  int64_t test_count = 0;                  // test samples
  std::vector<double> x_train;             // [train_count][sample_shape...], row-major
  std::vector<double> y_train;             // [train_count]: class index (0..classes-1) or target
  std::vector<double> x_test;              // [test_count][sample_shape...]
  std::vector<double> y_test;              // [test_count]
  std::vector<std::string> feature_names;  // one per feature for tabular data (CSV header, "x1",
                                           // "x2"); empty for images
  std::vector<double> feature_mean;        // standardize: the training means subtracted; else
                                           // empty
  std::vector<double> feature_std;         // standardize: the training stds divided by; else empty
  bool has_grid = false;                   // 2 features: the extent below frames the points
  Domain grid;                             // 2 features: the data's bounding box, padded by 10%
                                           // per side: where decision boundaries are sampled
  double wall_seconds = 0;                 // time making it took (not part of its identity)
};

// A named tensor, row-major.
struct NamedTensor {
  std::string name;            // "0.weight", a layer index "3", a state name "exp_avg"
  std::vector<int64_t> shape;  // its shape ({} for a scalar)
  std::vector<double> values;  // product(shape) values
};

// The per-step series of one parameter tensor, named as in the model's state_dict().
struct ParameterSteps {
  std::string name;                  // "0.weight", "0.bias", "2.weight", ...
  std::vector<int64_t> shape;        // the tensor's shape
  std::vector<double> grad_norm;     // [rows]: L2 norm of the gradient step t computed (before
                                     // clipping)
  std::vector<double> weight_norm;   // [rows]: L2 norm of the weights before step t's update
  std::vector<double> update_ratio;  // [rows]: ||w_after - w_before|| / ||w_before|| (NaN when
                                     // ||w_before|| = 0)
};

// Evaluations over the whole training and test sets (model in eval mode: no dropout).
struct EvalRows {
  std::vector<int64_t> step;           // after this many updates: 0, eval_every, ..., the last
  std::vector<double> train_loss;      // mean loss over the training set
  std::vector<double> test_loss;       // mean loss over the test set
  std::vector<double> train_accuracy;  // share classified right; NaN for regression
  std::vector<double> test_accuracy;   // share classified right; NaN for regression
};

// One optimizer-state tensor of one parameter, under torch's names (as in
// optimizer.state_dict()["state"][param_index][name]).
struct OptimizerStateTensor {
  int64_t param_index = 0;  // the parameter's index in model.parameters() (torch's state key)
  std::string param_name;   // its state_dict name, "0.weight"
  NamedTensor tensor;       // name: exp_avg, exp_avg_sq, momentum_buffer, step, ...
};

// The model at one step.
struct Checkpoint {
  int64_t step = 0;                                   // after this many updates (0 = initial)
  std::vector<NamedTensor> weights;                   // the state_dict(), in its order
  std::vector<OptimizerStateTensor> optimizer_state;  // empty at step 0 (torch has none yet)
  std::vector<NamedTensor> activations;               // per Sequential module, named by its index
                                                      // ("0", "1", ...): its output for the fixed
                                                      // test samples, [samples, ...]
  std::vector<double> boundary;  // 2D inputs: class probabilities over the boundary grid,
                                 // [ny][nx][boundary_classes]; empty otherwise
};

// A trained-model run's record (one cache entry of kind `model`).
struct TrainingRecord {
  DType dtype = DType::kFloat32;            // the run's tensor dtype (every float dataset's type)
  int64_t steps = 0;                        // steps the spec asked for
  int64_t rows = 0;                         // steps recorded: `steps`, fewer if it diverged
  int64_t diverged_at = -1;                 // first step whose loss was NaN/Inf; -1 if never
  std::string dataset_key;                  // the key of the data set entry it trained on
  int64_t param_count = 0;                  // scalars in the model's parameters
  int64_t param_bytes = 0;                  // bytes of the parameters (param_count x dtype size)
  std::vector<double> train_loss;           // [rows]: loss of the minibatch step t used, before its
                                            // update
  std::vector<double> lr;                   // [rows]: learning rate step t used (first group)
  std::vector<ParameterSteps> parameters;   // one per parameter tensor, state_dict() order
  EvalRows eval;                            // evaluations
  std::vector<std::string> layer_names;     // per Sequential module: its index "0", "1", ...
  std::vector<std::string> layer_kinds;     // per module: Linear, ReLU, Dropout, Conv2d, ...
  std::vector<int64_t> activation_samples;  // test-set indices of the samples activations show
  Domain boundary_grid;                     // 2D inputs: the grid's extent (the data set's grid)
  int64_t boundary_nx = 0;                  // samples along x; 0 when there is no boundary
  int64_t boundary_ny = 0;                  // samples along y
  int64_t boundary_classes = 0;             // probabilities per grid point (2 for one logit:
                                            // [1 - p, p])
  std::vector<Checkpoint> checkpoints;      // at 0, every checkpoint_every, and the last step
  double wall_seconds = 0;                  // time the run took (not part of its identity)
  double recording_seconds = 0;             // of which recording: norms, evaluations, checkpoints
};

}  // namespace trajtool
