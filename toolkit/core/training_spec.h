#pragma once
// The inputs of one trained-model run (a tiny network trained on a data set), after defaults are
// applied. Everything here except `label` and `color` changes the numbers and so is part of the
// cache key (cache_key.h). Torch-free: the config reader, the cache and the scenes include it.
// The YAML schema: docs/experiments.md ("Trained models").
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "toolkit/core/spec_values.h"

namespace trajtool {

// Which data set, with every parameter explicit. A data set is its own cache entry (kind
// `dataset`), keyed by these fields and, for files, by their bytes (not their paths).
struct DatasetSpec {
  std::string name;              // moons | circles | spirals | blobs | xor | sine | fashion_mnist
                                 // | csv | idx
  int64_t samples = 0;           // synthetic: points drawn in all (train + test)
  double noise = 0;              // synthetic: std of the Gaussian noise added to each point
  double factor = 0.5;           // circles: inner radius over outer radius (sklearn's `factor`)
  int64_t arms = 0;              // spirals: number of arms (= classes)
  int64_t centers = 0;           // blobs: number of Gaussian blobs (= classes)
  double test_fraction = 0.25;   // share held out for test (synthetic, csv, idx; seeded split)
  uint64_t seed = 0;             // draws the points, the noise and the train/test split
  int64_t limit = 0;             // fashion_mnist / idx: keep the first N train (and test) samples;
                                 // 0 = all
  bool flatten = true;           // images: samples of shape [784] (true) or [1, 28, 28] (false)
  std::string csv_path;          // csv: the file as the config names it (messages only)
  std::string target;            // csv: the target column: a header name, an index, or "last"
  bool regression = false;       // csv: the target is a number to fit (mse), not a class
  std::string images_path;       // idx: the images file (gzipped or not); fashion_mnist: resolved
  std::string labels_path;       // idx: the labels file; fashion_mnist: resolved
  std::string test_images_path;  // fashion_mnist: the t10k images file (resolved)
  std::string test_labels_path;  // fashion_mnist: the t10k labels file (resolved)
  std::vector<std::string> file_digests;  // SHA-256 hex of each input file's bytes, in the order
                                          // above (csv; images, labels[, test images, labels])
  bool standardize = false;  // features to zero mean and unit std, with the training statistics

  // Resolved by the config reader (from the name, or by reading the file):
  int64_t features = 0;               // inputs per sample (2, 1, 784, a CSV's columns - 1)
  int64_t classes = 0;                // classes of the target; 0 for regression (sine, csv)
  std::vector<int64_t> sample_shape;  // shape of one sample: {2}, {784} or {1, 28, 28}
  int64_t train_count = 0;            // training samples the split will give
};

// A torch.nn.init function applied to every Linear/Conv2d weight after construction (in module
// order, as `for m in model: init(m.weight, **args)` would), or torch's default when `name` is
// empty.
struct InitSpec {
  std::string name;                        // "", xavier_uniform, xavier_normal, kaiming_uniform,
                                           // kaiming_normal, orthogonal, normal, uniform, ...
  std::map<std::string, HyperValue> args;  // torch's argument names: gain, a, mode, nonlinearity,
                                           // mean, std, ...
  bool zero_bias = false;                  // `bias: zeros`: torch.nn.init.zeros_ on every bias
};

// The network, as an nn.Sequential built in this order (so seeded weights equal Python's).
struct ModelSpec {
  std::string kind = "mlp";              // mlp | cnn
  std::vector<int64_t> layers;           // mlp: widths, input first: {2, 32, 32, 2}
  std::vector<std::string> activations;  // mlp: one per hidden layer (layers.size() - 2): relu,
                                         // tanh, sigmoid, gelu, leaky_relu, identity
  double dropout = 0;                    // Dropout(p) after each hidden activation; 0 = none
  InitSpec init;                         // weight initialisation
  std::vector<int64_t> channels;         // cnn: output channels of each Conv2d: {8, 16}
  int64_t kernel = 3;                    // cnn: Conv2d kernel size (padding kernel / 2)
  int64_t pool = 2;                      // cnn: MaxPool2d kernel after each conv; 1 = none
  std::vector<int64_t> hidden;           // cnn: Linear widths after Flatten: {64}
  std::string cnn_activation = "relu";   // cnn: the activation after each conv and hidden layer
  int64_t outputs = 0;                   // resolved: the last layer's width
};

// An lr schedule: a torch.optim.lr_scheduler class in snake case, stepped once per optimizer step.
struct ScheduleSpec {
  std::string name;                        // "" (constant lr), step_lr, multi_step_lr,
                                           // exponential_lr, cosine_annealing_lr, linear_lr,
                                           // one_cycle_lr, cyclic_lr, sequential_lr
  std::map<std::string, HyperValue> args;  // torch's argument names after defaults: step_size,
                                           // gamma, milestones, T_max, eta_min, start_factor, ...
  std::vector<ScheduleSpec> schedulers;    // sequential_lr: its `schedulers`, in order
};

enum class LossKind { kMse, kBceWithLogits, kCrossEntropy };
const char* loss_kind_name(LossKind loss);  // "mse", "bce_with_logits", "cross_entropy"

// What a run records besides the per-step series.
struct RecordSpec {
  int64_t eval_every = 0;           // steps between evaluations on the whole sets; 0 = at 0 and the
                                    // last step only
  int64_t checkpoint_every = 0;     // steps between checkpoints; 0 = at 0 and the last step only
  int64_t activation_samples = 64;  // fixed test samples (the first N) whose layer outputs each
                                    // checkpoint keeps
  int64_t boundary_n = 64;          // 2D inputs: samples per side of the decision-boundary grid
};

// How minibatches are drawn each epoch (with `batch_size`).
enum class ShuffleKind {
  kRandperm,    // torch.randperm(n, generator=torch.Generator().manual_seed(seed + 1)) per epoch
  kDataLoader,  // as torch.utils.data.DataLoader(shuffle=True,
                // generator=torch.Generator().manual_seed(seed)) draws them
};

// One training run: a model on a data set with an optimizer.
struct TrainingRunSpec {
  std::string label;        // legend text; not hashed
  std::string color;        // "#rrggbb" or empty for the palette; not hashed
  DatasetSpec dataset;      // what it learns
  ModelSpec model;          // the network
  OptimizerSpec optimizer;  // as for optimizer runs (torch.optim names and defaults)
  ScheduleSpec schedule;    // lr schedule; name "" = constant
  LossKind loss = LossKind::kCrossEntropy;  // default from the data set
  int64_t steps = 0;                        // optimizer steps (resolved from `epochs` when given)
  int64_t epochs = 0;                       // as given; 0 when `steps` was given
  int64_t batch_size = 0;  // samples per step (resolved: the training set size for full
                           // batch)
  bool full_batch = true;  // `batch_size` absent: every step uses the whole training set
  ShuffleKind shuffle = ShuffleKind::kRandperm;  // minibatch order (not with full batch)
  uint64_t seed = 0;              // torch.manual_seed(seed) before building the model; shuffling
                                  // and dropout draw from generators seeded from it
  DType dtype = DType::kFloat32;  // tensor dtype of the run
  double clip_grad_norm = 0;      // torch.nn.utils.clip_grad_norm_(max_norm); 0 = none
  RecordSpec record;              // what is recorded besides the per-step series
};

}  // namespace trajtool
