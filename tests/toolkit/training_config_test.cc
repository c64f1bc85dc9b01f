// Experiment files with a `dataset:` (trained models) and the data sets they make: the issue's
// example, run overrides, every bad input the issue lists (file, line, CSV column and key named),
// data sets seeded and bit-identical, keyed by file bytes not paths.
#include <gtest/gtest.h>
#include <zlib.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "objectives/datasets/dataset.h"
#include "toolkit/config/experiment_config.h"
#include "toolkit/core/error.h"
#include "toolkit/pipeline/cache_key.h"

namespace trajtool {
namespace {
namespace fs = std::filesystem;

// A folder of its own under the system's temporary folder, removed at the end.
struct Folder {
  Folder()
      : path(fs::temp_directory_path() / ("trajtool-training-" + std::to_string(::getpid()) + "-" +
                                          std::to_string(counter()++))) {
    fs::create_directories(path);
  }
  ~Folder() { fs::remove_all(path); }
  static int& counter() {
    static int n = 0;
    return n;
  }
  std::string file(const std::string& name, const std::string& bytes) const {
    const std::string p = (path / name).string();
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
  }
  fs::path path;
};

std::string error_of(const std::string& yaml) {
  try {
    parse_experiment(yaml, "bad.yaml");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

const char* kExample = R"(name: moons-mlp
dataset: {name: moons, samples: 1000, noise: 0.2, test_fraction: 0.25, seed: 0}
model: {layers: [2, 32, 32, 2], activation: relu}
loss: cross_entropy
steps: 2000
batch_size: 64
seed: 0
dtype: float32
record: {eval_every: 20, checkpoint_every: 100, activations: {samples: 64}}
runs:
  - {optimizer: sgd, lr: 0.1, momentum: 0.9}
  - {optimizer: adamw, lr: 0.003, weight_decay: 0.01, label: "AdamW + warm-up, cosine",
     schedule: {name: sequential_lr, milestones: [100],
                schedulers: [{name: linear_lr, start_factor: 0.01, total_iters: 100},
                             {name: cosine_annealing_lr, T_max: 1900}]}}
)";

TEST(TrainingConfig, ReadsTheIssueExample) {
  const Experiment e = parse_experiment(kExample, "moons.yaml");
  ASSERT_EQ(e.training_runs.size(), 2u);
  EXPECT_TRUE(e.runs.empty());
  const TrainingRunSpec& sgd = e.training_runs[0];
  EXPECT_EQ(sgd.dataset.features, 2);
  EXPECT_EQ(sgd.dataset.classes, 2);
  EXPECT_EQ(sgd.dataset.train_count, 750);
  EXPECT_EQ(sgd.model.activations, (std::vector<std::string>{"relu", "relu"}));
  EXPECT_EQ(sgd.loss, LossKind::kCrossEntropy);
  EXPECT_EQ(sgd.steps, 2000);
  EXPECT_EQ(sgd.batch_size, 64);
  EXPECT_FALSE(sgd.full_batch);
  EXPECT_EQ(sgd.record.eval_every, 20);
  EXPECT_EQ(sgd.record.checkpoint_every, 100);
  EXPECT_EQ(sgd.record.activation_samples, 64);
  const TrainingRunSpec& adamw = e.training_runs[1];
  EXPECT_EQ(adamw.label, "AdamW + warm-up, cosine");
  ASSERT_EQ(adamw.schedule.schedulers.size(), 2u);
  EXPECT_EQ(std::get<double>(adamw.schedule.schedulers[0].args.at("end_factor")), 1.0);  // default
  EXPECT_EQ(std::get<double>(adamw.schedule.schedulers[1].args.at("eta_min")), 0.0);
  // The label is not part of the key; the data set is shared.
  TrainingRunSpec renamed = adamw;
  renamed.label = "other";
  EXPECT_EQ(training_identity(renamed).key, training_identity(adamw).key);
  EXPECT_NE(training_identity(sgd).key, training_identity(adamw).key);
  EXPECT_EQ(dataset_identity(sgd.dataset).key, dataset_identity(adamw.dataset).key);
}

TEST(TrainingConfig, RunsOverrideModelBatchSeedStepsLossAndClipping) {
  const Experiment e = parse_experiment(R"(name: t
dataset: {name: circles, samples: 200}
model: {layers: [2, 8, 2]}
epochs: 3
runs:
  - {optimizer: adam, label: small}
  - {optimizer: adam, label: deep, model: {layers: [2, 16, 16, 1], activation: [tanh, sigmoid]},
     loss: bce_with_logits, batch_size: 50, seed: 4, steps: 7, clip_grad_norm: 1.5}
)",
                                        "t.yaml");
  const TrainingRunSpec& a = e.training_runs[0];
  EXPECT_TRUE(a.full_batch);
  EXPECT_EQ(a.batch_size, 150);
  EXPECT_EQ(a.steps, 3);  // 3 epochs of one full batch
  const TrainingRunSpec& b = e.training_runs[1];
  EXPECT_EQ(b.model.activations, (std::vector<std::string>{"tanh", "sigmoid"}));
  EXPECT_EQ(b.loss, LossKind::kBceWithLogits);
  EXPECT_EQ(b.batch_size, 50);
  EXPECT_EQ(b.seed, 4u);
  EXPECT_EQ(b.steps, 7);
  EXPECT_EQ(b.clip_grad_norm, 1.5);
  // Defaults from the data set: one logit on two classes is bce_with_logits.
  const Experiment d = parse_experiment(
      "name: t\ndataset: xor\nmodel: {layers: [2, 4, 1]}\nsteps: 2\nruns: [{optimizer: sgd, lr: "
      "1}]\n",
      "t.yaml");
  EXPECT_EQ(d.training_runs[0].loss, LossKind::kBceWithLogits);
  const Experiment s = parse_experiment(
      "name: t\ndataset: sine\nmodel: {layers: [1, 4, 1]}\nsteps: 2\nruns: [{optimizer: sgd, lr: "
      "1}]\n",
      "t.yaml");
  EXPECT_EQ(s.training_runs[0].loss, LossKind::kMse);
}

// `shuffle: dataloader` (top level or per run) draws minibatches as a seeded DataLoader does; its
// key differs from the default's, which stays the key the run had before `shuffle` existed.
TEST(TrainingConfig, ShuffleLikeADataLoaderIsItsOwnEntry) {
  const std::string head =
      "name: t\ndataset: {name: moons, samples: 100}\nmodel: {layers: [2, 4, "
      "2]}\nsteps: 3\nbatch_size: 10\n";
  const Experiment e = parse_experiment(head + R"(shuffle: dataloader
runs:
  - {optimizer: sgd, lr: 0.1}
  - {optimizer: sgd, lr: 0.1, shuffle: randperm, label: b}
)",
                                        "t.yaml");
  EXPECT_EQ(e.training_runs[0].shuffle, ShuffleKind::kDataLoader);
  EXPECT_EQ(e.training_runs[1].shuffle, ShuffleKind::kRandperm);
  const Experiment plain = parse_experiment(head + "runs: [{optimizer: sgd, lr: 0.1}]\n", "t.yaml");
  EXPECT_EQ(plain.training_runs[0].shuffle, ShuffleKind::kRandperm);
  EXPECT_EQ(training_identity(e.training_runs[1]).key,
            training_identity(plain.training_runs[0]).key);
  EXPECT_EQ(training_identity(plain.training_runs[0]).json.find("shuffle"), std::string::npos);
  EXPECT_NE(training_identity(e.training_runs[0]).key,
            training_identity(plain.training_runs[0]).key);
  EXPECT_NE(error_of(head + "shuffle: always\nruns: [{optimizer: sgd, lr: 0.1}]\n")
                .find("bad.yaml:6: shuffle: expected randperm or dataloader, got 'always'"),
            std::string::npos)
      << error_of(head + "shuffle: always\nruns: [{optimizer: sgd, lr: 0.1}]\n");
  EXPECT_NE(error_of("name: t\ndataset: {name: moons, samples: 100}\nmodel: {layers: [2, 4, 2]}\n"
                     "steps: 3\nruns: [{optimizer: sgd, lr: 0.1, shuffle: dataloader}]\n")
                .find("bad.yaml:5: runs[0].shuffle: dataloader needs `batch_size`"),
            std::string::npos)
      << error_of(
             "name: t\ndataset: {name: moons, samples: 100}\nmodel: {layers: [2, 4, 2]}\n"
             "steps: 3\nruns: [{optimizer: sgd, lr: 0.1, shuffle: dataloader}]\n");
}

TEST(TrainingConfig, BadModelsLossesSchedulesAndSizesNameTheKey) {
  const std::string head = "name: t\ndataset: {name: moons, samples: 100}\nsteps: 10\n";
  auto run = [&](const std::string& model, const std::string& extra = "") {
    return error_of(head + "model: " + model + "\n" + extra +
                    "runs:\n  - {optimizer: sgd, lr: 0.1}\n");
  };
  EXPECT_NE(run("{layers: [3, 8, 2]}")
                .find("bad.yaml:4: model.layers: layers[0] is 3 but the data set has 2 features"),
            std::string::npos)
      << run("{layers: [3, 8, 2]}");
  EXPECT_NE(
      run("{layers: [2, 8, 3]}")
          .find("model.layers: the last layer has 3 outputs; cross_entropy over 2 classes needs 2"),
      std::string::npos)
      << run("{layers: [2, 8, 3]}");
  EXPECT_NE(run("{layers: [2, 8, 2], activation: swish}")
                .find("bad.yaml:4: model.activation: unknown activation 'swish'"),
            std::string::npos);
  EXPECT_NE(run("{layers: [2, 8, 2], init: glorot}").find("model.init: unknown init 'glorot'"),
            std::string::npos);
  EXPECT_NE(run("{layers: [2, 8, 2], init: {name: kaiming_normal, mode: fan_avg}}")
                .find("model.init.mode: torch expects fan_in or fan_out"),
            std::string::npos);
  EXPECT_NE(run("{layers: [2, 8, 2]}", "batch_size: 500\n")
                .find("bad.yaml:5: batch_size: is larger than the training set (75 samples)"),
            std::string::npos);
  EXPECT_NE(run("{layers: [2, 8, 2]}", "schedule: {name: warmup_lr}\n")
                .find("bad.yaml:5: schedule: unknown schedule 'warmup_lr'"),
            std::string::npos);
  EXPECT_NE(run("{layers: [2, 8, 2]}", "schedule: {name: linear_lr, start_factor: 1.5}\n")
                .find("linear_lr.start_factor: torch expects a factor between 0 and 1"),
            std::string::npos);
  EXPECT_NE(
      run("{layers: [2, 8, 2]}", "schedule: {name: one_cycle_lr, max_lr: 1, total_steps: 5}\n")
          .find("one_cycle_lr.total_steps: 5 is fewer than the run's 10 steps"),
      std::string::npos);
  EXPECT_NE(run("{layers: [2, 8, 2]}", "schedule: {name: step_lr, step_size: 0}\n")
                .find("step_lr.step_size: must be >= 1"),
            std::string::npos);
  EXPECT_NE(run("{layers: [2, 8, 2]}",
                "schedule: {name: sequential_lr, milestones: [3, 4], schedulers: [{name: "
                "exponential_lr, gamma: 0.9}]}\n")
                .find("one milestone fewer than schedulers"),
            std::string::npos);
  EXPECT_NE(run("{layers: [2, 8, 2]}",
                "schedule: {name: cyclic_lr, base_lr: 0.01, max_lr: 0.1, mode: sawtooth}\n")
                .find("bad.yaml:5: schedule: cyclic_lr.mode: torch expects triangular, "
                      "triangular2 or exp_range, got 'sawtooth'"),
            std::string::npos);
  // torch 1.13's CyclicLR cycles `momentum` only: Adam (betas) with cycle_momentum is refused.
  const std::string adam_cyclic =
      error_of(head +
               "model: {layers: [2, 8, 2]}\nschedule: {name: cyclic_lr, base_lr: 0.001, "
               "max_lr: 0.01}\nruns:\n  - {optimizer: adam, lr: 0.01}\n");
  EXPECT_NE(adam_cyclic.find("bad.yaml:5: schedule: cyclic_lr.cycle_momentum: the optimizer has "
                             "no `momentum`"),
            std::string::npos)
      << adam_cyclic;
  EXPECT_EQ(error_of(head + "model: {layers: [2, 8, 2]}\nschedule: {name: cyclic_lr, base_lr: "
                            "0.001, max_lr: 0.01, cycle_momentum: false}\nruns:\n  - {optimizer: "
                            "adam, lr: 0.01}\n"),
            "");
  EXPECT_NE(run("{layers: [2, 8, 2]}", "schedule: {name: step_lr, step_size: 2, gama: 0.5}\n")
                .find("unknown argument `gama` of step_lr"),
            std::string::npos);
  EXPECT_NE(error_of("name: t\ndataset: {name: swirl}\nmodel: {layers: [2, 2]}\nsteps: 1\nruns: "
                     "[{optimizer: sgd, lr: 1}]\n")
                .find("bad.yaml:2: dataset.name: unknown dataset 'swirl'"),
            std::string::npos);
}

TEST(TrainingConfig, BadCsvAndIdxFilesNameFileLineAndColumn) {
  Folder folder;
  auto csv_error = [&](const std::string& bytes, const std::string& target = "y") {
    const std::string path = folder.file("data.csv", bytes);
    return error_of("name: t\ndataset: {csv: " + path + ", target: " + target +
                    "}\nmodel: {layers: [2, 2]}\nsteps: 1\nruns: [{optimizer: sgd, lr: 1}]\n");
  };
  const std::string good = "a,b,y\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n";
  EXPECT_EQ(csv_error(good), "");
  std::string e = csv_error("a,b,y\n1,2,0\n3,4\n");
  EXPECT_NE(e.find("bad.yaml:2: dataset.csv: "), std::string::npos) << e;
  EXPECT_NE(e.find("data.csv:3: the row has 2 cells, expected 3"), std::string::npos) << e;
  e = csv_error("a,b,y\n1,2,0\n3,x,1\n");
  EXPECT_NE(e.find("data.csv:3: column 2 'b': 'x' is not a number"), std::string::npos) << e;
  e = csv_error("a,b,y\n1,2,0\n3,nan,1\n");
  EXPECT_NE(e.find("data.csv:3: column 2 'b': the value is nan"), std::string::npos) << e;
  e = csv_error(good, "label");
  EXPECT_NE(e.find("data.csv:1: no target column 'label' (the header has: a, b, y)"),
            std::string::npos)
      << e;

  auto idx = [](std::vector<unsigned char> header, size_t data_bytes) {
    std::string bytes(header.begin(), header.end());
    bytes.append(data_bytes, '\x07');
    return bytes;
  };
  auto idx_error = [&](const std::string& images, const std::string& labels) {
    folder.file("images.idx", images);
    folder.file("labels.idx", labels);
    return error_of("name: t\ndataset: {idx: {images: " + (folder.path / "images.idx").string() +
                    ", labels: " + (folder.path / "labels.idx").string() +
                    "}}\nmodel: {layers: [4, 6]}\nsteps: 1\nruns: [{optimizer: sgd, lr: 1}]\n");
  };
  const std::string images = idx({0, 0, 8, 3, 0, 0, 0, 6, 0, 0, 0, 2, 0, 0, 0, 2}, 24);
  std::string labels = idx({0, 0, 8, 1, 0, 0, 0, 6}, 0);
  for (char c : std::string("\x00\x01\x02\x03\x04\x05\x06\x07", 6)) labels.push_back(c);
  EXPECT_EQ(idx_error(images, labels), "");
  e = idx_error(idx({0, 0, 9, 3, 0, 0, 0, 6, 0, 0, 0, 2, 0, 0, 0, 2}, 24), labels);
  EXPECT_NE(e.find("bad.yaml:2: dataset.idx: "), std::string::npos) << e;
  EXPECT_NE(e.find("images.idx: bad IDX magic 00 00 09 03"), std::string::npos) << e;
  e = idx_error(images, idx({0, 0, 8, 1, 0, 0, 0, 5}, 5));
  EXPECT_NE(e.find("labels.idx: 5 labels for 6 images"), std::string::npos) << e;
  e = idx_error(images, idx({0, 0, 8, 1, 0, 0, 0, 6}, 4));
  EXPECT_NE(e.find("labels.idx: the IDX data ends after 4 of 6 bytes"), std::string::npos) << e;
}

TEST(Datasets, SyntheticSetsAreSeededBitIdenticalAndSplit) {
  for (const char* name : {"moons", "circles", "spirals", "blobs", "xor", "sine"}) {
    SCOPED_TRACE(name);
    DatasetSpec spec;
    spec.name = name;
    spec.samples = 101;
    spec.noise = 0.1;
    spec.arms = 3;
    spec.centers = 4;
    spec.seed = 5;
    resolve_dataset(spec);
    const DatasetRecord a = make_dataset(spec);
    const DatasetRecord b = make_dataset(spec);
    EXPECT_EQ(a.x_train, b.x_train);
    EXPECT_EQ(a.y_test, b.y_test);
    EXPECT_EQ(a.test_count, 25);  // round(101 * 0.25)
    EXPECT_EQ(a.train_count, spec.train_count);
    EXPECT_EQ(static_cast<int64_t>(a.x_train.size()), a.train_count * a.features);
    for (double y : a.y_train) {
      if (a.classes > 0) {
        EXPECT_TRUE(y >= 0 && y < static_cast<double>(a.classes) && y == std::floor(y));
      }
    }
    spec.seed = 6;
    EXPECT_NE(make_dataset(spec).x_train, a.x_train);
    EXPECT_EQ(a.has_grid, a.features == 2);
  }
  // Standardised with the training statistics: training features have mean 0 and std 1.
  DatasetSpec spec;
  spec.name = "blobs";
  spec.samples = 400;
  spec.noise = 0.5;
  spec.centers = 3;
  spec.standardize = true;
  resolve_dataset(spec);
  const DatasetRecord d = make_dataset(spec);
  for (int j = 0; j < 2; ++j) {
    double sum = 0, sq = 0;
    for (int64_t i = 0; i < d.train_count; ++i) sum += d.x_train[static_cast<size_t>(i * 2 + j)];
    const double mean = sum / static_cast<double>(d.train_count);
    for (int64_t i = 0; i < d.train_count; ++i) {
      sq += std::pow(d.x_train[static_cast<size_t>(i * 2 + j)] - mean, 2);
    }
    EXPECT_NEAR(mean, 0, 1e-12);
    EXPECT_NEAR(std::sqrt(sq / static_cast<double>(d.train_count)), 1, 1e-12);
  }
}

TEST(Datasets, FilesAreKeyedByTheirBytesNotTheirPaths) {
  Folder folder;
  const std::string csv = "f1,f2,kind\n1,2,cat\n3,4,dog\n5,6,cat\n7,8,dog\n9,1,cat\n";
  auto spec_of = [&](const std::string& path) {
    DatasetSpec spec;
    spec.name = "csv";
    spec.csv_path = path;
    spec.target = "kind";
    resolve_dataset(spec);
    return spec;
  };
  const DatasetSpec a = spec_of(folder.file("a.csv", csv));
  const DatasetSpec b = spec_of(folder.file("b.csv", csv));
  EXPECT_EQ(dataset_identity(a).key, dataset_identity(b).key);
  std::string edited = csv;
  edited[edited.find("2")] = '7';
  EXPECT_NE(dataset_identity(spec_of(folder.file("c.csv", edited))).key, dataset_identity(a).key);
  EXPECT_EQ(a.classes, 2);  // cat, dog
  const DatasetRecord d = make_dataset(a);
  EXPECT_EQ(d.feature_names, (std::vector<std::string>{"f1", "f2"}));
  EXPECT_EQ(d.train_count + d.test_count, 5);
}

TEST(Datasets, FashionMnistFromTheDebianPackage) {
  DatasetSpec spec;
  spec.name = "fashion_mnist";
  spec.limit = 50;
  spec.flatten = false;
  resolve_dataset(spec);
  EXPECT_EQ(spec.classes, 10);
  EXPECT_EQ(spec.sample_shape, (std::vector<int64_t>{1, 28, 28}));
  EXPECT_EQ(spec.file_digests.size(), 4u);
  const DatasetRecord d = make_dataset(spec);
  EXPECT_EQ(d.train_count, 50);
  EXPECT_EQ(d.test_count, 50);
  EXPECT_EQ(d.x_train.size(), 50u * 784);
  // The first training image of Fashion-MNIST is an ankle boot (class 9); pixels are x / 255.
  EXPECT_EQ(d.y_train[0], 9);
  for (double v : d.x_train)
    EXPECT_TRUE(v >= 0 && v <= 1 && std::fabs(v * 255 - std::round(v * 255)) < 1e-9);
}

}  // namespace
}  // namespace trajtool
