#include "optimizers/run_training.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/nn.h>
#include <torch/optim.h>

#include <chrono>
#include <cmath>
#include <mutex>
#include <string>
#include <vector>

#include "optimizers/catalog.h"
#include "optimizers/lr_schedule.h"
#include "optimizers/optimizer_factory.h"
#include "toolkit/core/error.h"

namespace trajtool {
namespace {

// torch.manual_seed and module construction use the global generator: one model at a time.
std::mutex& construction_mutex() {
  static std::mutex mutex;
  return mutex;
}

double number(const InitSpec& init, const char* name) {
  return std::get<double>(init.args.at(name));
}
std::string word(const InitSpec& init, const char* name) {
  return std::get<std::string>(init.args.at(name));
}

torch::nn::init::NonlinearityType nonlinearity(const std::string& name) {
  if (name == "relu") return torch::kReLU;
  if (name == "tanh") return torch::kTanh;
  if (name == "sigmoid") return torch::kSigmoid;
  if (name == "linear") return torch::kLinear;
  return torch::kLeakyReLU;
}

torch::nn::init::FanModeType fan_mode(const std::string& name) {
  if (name == "fan_out") return torch::kFanOut;
  return torch::kFanIn;
}

// torch.nn.init.<name>_(weight, **args), as Python's code does it.
void apply_init(const InitSpec& init, at::Tensor weight) {
  torch::NoGradGuard no_grad;
  const std::string& n = init.name;
  if (n == "xavier_uniform") torch::nn::init::xavier_uniform_(weight, number(init, "gain"));
  if (n == "xavier_normal") torch::nn::init::xavier_normal_(weight, number(init, "gain"));
  if (n == "kaiming_uniform") {
    torch::nn::init::kaiming_uniform_(weight, number(init, "a"), fan_mode(word(init, "mode")),
                                      nonlinearity(word(init, "nonlinearity")));
  }
  if (n == "kaiming_normal") {
    torch::nn::init::kaiming_normal_(weight, number(init, "a"), fan_mode(word(init, "mode")),
                                     nonlinearity(word(init, "nonlinearity")));
  }
  if (n == "orthogonal") torch::nn::init::orthogonal_(weight, number(init, "gain"));
  if (n == "normal") torch::nn::init::normal_(weight, number(init, "mean"), number(init, "std"));
  if (n == "uniform") torch::nn::init::uniform_(weight, number(init, "a"), number(init, "b"));
  if (n == "trunc_normal") {  // torch.nn.init._no_grad_trunc_normal_
    const double mean = number(init, "mean"), std = number(init, "std");
    const double a = number(init, "a"), b = number(init, "b");
    auto cdf = [](double x) { return (1. + std::erf(x / std::sqrt(2.))) / 2.; };
    const double l = cdf((a - mean) / std), u = cdf((b - mean) / std);
    weight.uniform_(2 * l - 1, 2 * u - 1);
    weight.erfinv_();
    weight.mul_(std * std::sqrt(2.));
    weight.add_(mean);
    weight.clamp_(a, b);
  }
}

// One module of the Sequential with its Python class name.

struct Model {
  torch::nn::Sequential seq;
  std::vector<torch::nn::AnyModule> modules;  // the same modules, to call one at a time
  std::vector<std::string> kinds;             // Python class per module
  std::vector<double> dropout;                // per module: p for Dropout modules, else 0
};

Model build_model(const TrainingRunSpec& spec, const DatasetRecord& data) {
  Model m;
  const ModelSpec& ms = spec.model;
  auto add = [&](auto module, const char* kind, double p = 0) {
    m.seq->push_back(module);
    m.modules.emplace_back(module);
    m.kinds.push_back(kind);
    m.dropout.push_back(p);
  };
  auto act = [&](const std::string& name) {
    if (name == "relu") add(torch::nn::ReLU(), "ReLU");
    if (name == "tanh") add(torch::nn::Tanh(), "Tanh");
    if (name == "sigmoid") add(torch::nn::Sigmoid(), "Sigmoid");
    if (name == "gelu") add(torch::nn::GELU(), "GELU");
    if (name == "leaky_relu") add(torch::nn::LeakyReLU(), "LeakyReLU");
    if (name == "identity") add(torch::nn::Identity(), "Identity");
  };
  if (ms.kind == "mlp") {
    for (size_t l = 0; l + 1 < ms.layers.size(); ++l) {
      add(torch::nn::Linear(ms.layers[l], ms.layers[l + 1]), "Linear");
      if (l + 2 < ms.layers.size()) {
        act(ms.activations[l]);
        if (ms.dropout > 0) add(torch::nn::Dropout(ms.dropout), "Dropout", ms.dropout);
      }
    }
  } else {
    int64_t channels = data.sample_shape[0], h = data.sample_shape[1], w = data.sample_shape[2];
    for (int64_t c : ms.channels) {
      add(torch::nn::Conv2d(
              torch::nn::Conv2dOptions(channels, c, ms.kernel).padding(ms.kernel / 2)),
          "Conv2d");
      act(ms.cnn_activation);
      if (ms.pool > 1) {
        add(torch::nn::MaxPool2d(ms.pool), "MaxPool2d");
        h /= ms.pool;
        w /= ms.pool;
      }
      channels = c;
    }
    add(torch::nn::Flatten(), "Flatten");
    int64_t width = channels * h * w;
    for (int64_t hidden : ms.hidden) {
      add(torch::nn::Linear(width, hidden), "Linear");
      act(ms.cnn_activation);
      if (ms.dropout > 0) add(torch::nn::Dropout(ms.dropout), "Dropout", ms.dropout);
      width = hidden;
    }
    add(torch::nn::Linear(width, ms.outputs), "Linear");
  }
  if (!ms.init.name.empty() || ms.init.zero_bias) {
    for (size_t i = 0; i < m.kinds.size(); ++i) {
      if (m.kinds[i] != "Linear" && m.kinds[i] != "Conv2d") continue;
      for (auto& p : m.seq->ptr(i)->named_parameters(false)) {
        if (p.key() == "weight" && !ms.init.name.empty()) apply_init(ms.init, p.value());
        if (p.key() == "bias" && ms.init.zero_bias) {
          torch::NoGradGuard no_grad;
          p.value().zero_();
        }
      }
    }
  }
  if (spec.dtype == DType::kFloat64) m.seq->to(torch::kFloat64);
  return m;
}

std::vector<double> to_doubles(const at::Tensor& t) {
  at::Tensor d = t.detach().to(at::kDouble).contiguous();
  return std::vector<double>(d.data_ptr<double>(), d.data_ptr<double>() + d.numel());
}

// The value of a one-element float or double tensor, read in place: .item() dispatches an
// operator, which costs more than a tiny model's norm.
double value_of(const at::Tensor& scalar) {
  if (scalar.scalar_type() == at::kDouble) return *scalar.data_ptr<double>();
  return static_cast<double>(*scalar.data_ptr<float>());
}

// The 2-norm of a tensor as torch.linalg.vector_norm computes it.
double norm_of(const at::Tensor& t) { return value_of(at::linalg_vector_norm(t)); }

// Runs the Sequential; `outputs` (when given) receives every module's output. Dropout in training
// mode draws its mask from `generator` (torch's own would use the global one).
at::Tensor forward(Model& m, at::Tensor x, bool train, at::Generator* generator,
                   std::vector<at::Tensor>* outputs = nullptr) {
  for (size_t i = 0; i < m.kinds.size(); ++i) {
    if (m.kinds[i] == "Dropout") {
      if (train) {
        const double p = m.dropout[i];
        at::Tensor keep = at::empty_like(x).bernoulli_(1 - p, *generator);
        x = x * keep / (1 - p);
      }
    } else {
      x = m.modules[i].forward(x);
    }
    if (outputs) outputs->push_back(x.detach());
  }
  return x;
}

}  // namespace

TrainingRecord run_training(const TrainingRunSpec& spec, const DatasetRecord& data,
                            const ProgressFn& progress) {
  const auto started = std::chrono::steady_clock::now();
  at::set_num_threads(1);
  const at::ScalarType dtype = spec.dtype == DType::kFloat64 ? at::kDouble : at::kFloat;
  Model model;
  {
    std::lock_guard<std::mutex> lock(construction_mutex());
    torch::manual_seed(spec.seed);
    model = build_model(spec, data);
  }
  const bool like_dataloader = spec.shuffle == ShuffleKind::kDataLoader;
  at::Generator shuffle =
      at::make_generator<at::CPUGeneratorImpl>(like_dataloader ? spec.seed : spec.seed + 1);
  at::Generator dropout = at::make_generator<at::CPUGeneratorImpl>(spec.seed + 2);

  // The data as tensors.
  auto shaped = [&](const std::vector<double>& x, int64_t n) {
    std::vector<int64_t> dims{n};
    dims.insert(dims.end(), data.sample_shape.begin(), data.sample_shape.end());
    return at::tensor(x, at::TensorOptions().dtype(at::kDouble)).reshape(dims).to(dtype);
  };
  const at::Tensor x_train = shaped(data.x_train, data.train_count);
  const at::Tensor x_test = shaped(data.x_test, data.test_count);
  auto targets = [&](const std::vector<double>& y) {
    at::Tensor t = at::tensor(y, at::TensorOptions().dtype(at::kDouble));
    if (spec.loss == LossKind::kCrossEntropy) return t.to(at::kLong);
    if (spec.loss == LossKind::kBceWithLogits) return t.to(dtype).unsqueeze(1);
    if (data.classes > 0) return at::one_hot(t.to(at::kLong), data.classes).to(dtype);
    return t.to(dtype).unsqueeze(1);
  };
  const at::Tensor y_train = targets(data.y_train);
  const at::Tensor y_test = targets(data.y_test);
  auto loss_of = [&](const at::Tensor& out, const at::Tensor& y) {
    if (spec.loss == LossKind::kCrossEntropy) return at::cross_entropy_loss(out, y);
    if (spec.loss == LossKind::kBceWithLogits) {
      return at::binary_cross_entropy_with_logits(out, y);
    }
    return at::mse_loss(out, y);
  };
  auto predicted = [&](const at::Tensor& out) {  // class per sample
    if (spec.loss == LossKind::kBceWithLogits) return (out.squeeze(1) > 0).to(at::kLong);
    return out.argmax(1);
  };
  auto labels = [&](const std::vector<double>& y) {
    return at::tensor(y, at::TensorOptions().dtype(at::kDouble)).to(at::kLong);
  };
  const at::Tensor train_labels = labels(data.y_train);
  const at::Tensor test_labels = labels(data.y_test);

  TrainingRecord r;
  r.dtype = spec.dtype;
  r.steps = spec.steps;
  std::vector<at::Tensor> params;
  std::vector<std::string> names;
  for (auto& p : model.seq->named_parameters()) {
    names.push_back(p.key());
    params.push_back(p.value());
    ParameterSteps series;
    series.name = p.key();
    series.shape = p.value().sizes().vec();
    r.parameters.push_back(std::move(series));
    r.param_count += p.value().numel();
    r.param_bytes += static_cast<int64_t>(p.value().nbytes());
  }
  for (size_t i = 0; i < model.kinds.size(); ++i) {
    r.layer_names.push_back(std::to_string(i));
    r.layer_kinds.push_back(model.kinds[i]);
  }
  const int64_t samples = std::min(spec.record.activation_samples, data.test_count);
  for (int64_t i = 0; i < samples; ++i) r.activation_samples.push_back(i);
  const at::Tensor activation_inputs = x_test.slice(0, 0, samples);
  at::Tensor grid_inputs;
  if (data.has_grid && data.classes > 0) {
    const int64_t n = spec.record.boundary_n;
    r.boundary_grid = data.grid;
    r.boundary_nx = r.boundary_ny = n;
    r.boundary_classes = spec.loss == LossKind::kBceWithLogits ? 2 : data.classes;
    std::vector<double> points;
    for (int64_t j = 0; j < n; ++j) {
      for (int64_t i = 0; i < n; ++i) {
        points.push_back(data.grid.x_min + static_cast<double>(i) *
                                               (data.grid.x_max - data.grid.x_min) /
                                               static_cast<double>(n - 1));
        points.push_back(data.grid.y_min + static_cast<double>(j) *
                                               (data.grid.y_max - data.grid.y_min) /
                                               static_cast<double>(n - 1));
      }
    }
    grid_inputs =
        at::tensor(points, at::TensorOptions().dtype(at::kDouble)).reshape({n * n, 2}).to(dtype);
  }

  const OptimizerInfo& info = optimizer_info(spec.optimizer.name);
  std::unique_ptr<torch::optim::Optimizer> optimizer = make_optimizer(spec.optimizer, params);
  const double base_lr = std::get<double>(spec.optimizer.hyper.at("lr"));
  double base_momentum = 0;
  if (spec.optimizer.hyper.count("momentum"))
    base_momentum = std::get<double>(spec.optimizer.hyper.at("momentum"));
  if (spec.optimizer.hyper.count("betas")) {
    base_momentum = std::get<std::vector<double>>(spec.optimizer.hyper.at("betas"))[0];
  }
  std::unique_ptr<LrSchedule> schedule = make_schedule(spec.schedule, base_lr, base_momentum);
  auto apply_rates = [&](const GroupRates& rates) {
    for (auto& group : optimizer->param_groups()) group.options().set_lr(rates.lr);
    if (rates.cycles_momentum) set_momentum(*optimizer, spec.optimizer.name, rates.momentum);
  };

  auto evaluate = [&](int64_t step) {
    c10::InferenceMode inference;
    const at::Tensor out_train = forward(model, x_train, false, nullptr);
    const at::Tensor out_test = forward(model, x_test, false, nullptr);
    r.eval.step.push_back(step);
    r.eval.train_loss.push_back(loss_of(out_train, y_train).item<double>());
    r.eval.test_loss.push_back(loss_of(out_test, y_test).item<double>());
    if (data.classes > 0) {
      r.eval.train_accuracy.push_back(
          predicted(out_train).eq(train_labels).to(at::kDouble).mean().item<double>());
      r.eval.test_accuracy.push_back(
          predicted(out_test).eq(test_labels).to(at::kDouble).mean().item<double>());
    } else {
      r.eval.train_accuracy.push_back(NAN);
      r.eval.test_accuracy.push_back(NAN);
    }
  };
  auto checkpoint = [&](int64_t step) {
    c10::InferenceMode inference;
    Checkpoint c;
    c.step = step;
    for (size_t i = 0; i < params.size(); ++i) {
      c.weights.push_back({names[i], params[i].sizes().vec(), to_doubles(params[i])});
    }
    if (step > 0) {
      std::vector<StateValue> values;
      for (size_t i = 0; i < params.size(); ++i) {
        read_state(*optimizer, spec.optimizer.name, params[i], info.state_names, values);
        for (size_t k = 0; k < values.size(); ++k) {
          const StateValue& v = values[k];
          if (v.is_tensor && !v.tensor.defined()) continue;
          if (!v.is_tensor && std::isnan(v.scalar)) continue;
          NamedTensor t{info.state_names[k], {}, {}};
          if (v.is_tensor) {
            t.shape = v.tensor.sizes().vec();
            t.values = to_doubles(v.tensor);
          } else {
            t.values = {v.scalar};
          }
          c.optimizer_state.push_back({static_cast<int64_t>(i), names[i], std::move(t)});
        }
      }
    }
    std::vector<at::Tensor> outputs;
    forward(model, activation_inputs, false, nullptr, &outputs);
    for (size_t i = 0; i < outputs.size(); ++i) {
      c.activations.push_back({r.layer_names[i], outputs[i].sizes().vec(), to_doubles(outputs[i])});
    }
    if (grid_inputs.defined()) {
      at::Tensor out = forward(model, grid_inputs, false, nullptr);
      at::Tensor p;
      if (spec.loss == LossKind::kBceWithLogits) {
        at::Tensor one = at::sigmoid(out);
        p = at::cat({1 - one, one}, 1);
      } else {
        p = at::softmax(out, 1);
      }
      c.boundary = to_doubles(p);
    }
    r.checkpoints.push_back(std::move(c));
  };

  const int64_t n_train = data.train_count;
  at::Tensor order;
  int64_t position = n_train;
  auto next_batch = [&](at::Tensor* xb, at::Tensor* yb) {
    if (spec.full_batch) {
      *xb = x_train;
      *yb = y_train;
      return;
    }
    if (position >= n_train) {  // a new epoch: a seeded permutation
      const at::TensorOptions longs = at::TensorOptions().dtype(at::kLong);
      if (like_dataloader) {
        // torch 1.13's DataLoader per epoch: its iterator draws _base_seed (one int64), then
        // RandomSampler yields randperm(n) and, once exhausted, evaluates one more randperm(n)
        // for its `[:num_samples % n]` tail, which is empty.
        if (order.defined()) at::randperm(n_train, shuffle, longs);
        at::empty({}, longs).random_(shuffle);
      }
      order = at::randperm(n_train, shuffle, longs);
      position = 0;
    }
    const int64_t end = std::min(position + spec.batch_size, n_train);
    const at::Tensor index = order.slice(0, position, end);
    position = end;
    *xb = x_train.index_select(0, index);
    *yb = y_train.index_select(0, index);
  };

  const RecordSpec& rec = spec.record;
  using Clock = std::chrono::steady_clock;
  Clock::duration recording{};
  evaluate(0);
  checkpoint(0);
  model.seq->train();
  // The weights before a step (buffers reused every step) and their norms: a step's weight norms
  // are the norms after the step before it.
  std::vector<at::Tensor> before;
  std::vector<double> weight_norms;
  {
    torch::NoGradGuard no_grad;
    for (const at::Tensor& p : params) {
      before.push_back(at::empty_like(p));
      weight_norms.push_back(norm_of(p));
    }
  }
  for (int64_t t = 0; t < spec.steps; ++t) {
    at::Tensor xb, yb;
    next_batch(&xb, &yb);
    const GroupRates rates = schedule->rates();
    apply_rates(rates);
    bool first = true;
    double step_loss = 0;
    auto closure = [&]() -> at::Tensor {
      at::AutoGradMode enable_grad(true);
      // As zero_grad(set_to_none=True): backward then stores each gradient without adding it
      // to zeros (the same values, two operators fewer per tensor).
      for (at::Tensor& p : params) p.mutable_grad().reset();
      at::Tensor loss = loss_of(forward(model, xb, true, &dropout), yb);
      loss.backward();
      if (first) {
        first = false;
        step_loss = value_of(loss);
        const auto t0 = Clock::now();
        if (std::isfinite(step_loss)) {
          torch::NoGradGuard no_grad;
          for (size_t i = 0; i < params.size(); ++i) {
            const at::Tensor& g = params[i].grad();
            r.parameters[i].grad_norm.push_back(g.defined() ? norm_of(g) : 0.0);
          }
        }
        recording += Clock::now() - t0;
      }
      if (spec.clip_grad_norm > 0) torch::nn::utils::clip_grad_norm_(params, spec.clip_grad_norm);
      return loss;
    };
    auto keep_weights = [&] {
      const auto t0 = Clock::now();
      torch::NoGradGuard no_grad;
      for (size_t i = 0; i < params.size(); ++i) before[i].copy_(params[i]);
      recording += Clock::now() - t0;
    };
    if (spec.optimizer.name == "lbfgs") {
      // L-BFGS evaluates the closure itself; the first evaluation is the step's loss.
      keep_weights();
      optimizer->step(closure);
    } else {
      closure();
      if (!std::isfinite(step_loss)) {
        r.diverged_at = t;
        break;
      }
      keep_weights();
      optimizer->step();
    }
    if (!std::isfinite(step_loss)) {
      r.diverged_at = t;
      break;
    }
    const auto t0 = Clock::now();
    r.train_loss.push_back(step_loss);
    r.lr.push_back(rates.lr);
    {
      torch::NoGradGuard no_grad;
      for (size_t i = 0; i < params.size(); ++i) {
        const double w = weight_norms[i];
        at::sub_out(before[i], params[i], before[i]);  // the update, in the buffer
        const double d = norm_of(before[i]);
        r.parameters[i].weight_norm.push_back(w);
        r.parameters[i].update_ratio.push_back(w > 0 ? d / w : NAN);
        weight_norms[i] = norm_of(params[i]);
      }
    }
    schedule->step();
    const int64_t done = t + 1;
    r.rows = done;
    const bool last = done == spec.steps;
    if (done % rec.eval_every == 0 || last) {
      model.seq->eval();
      evaluate(done);
      model.seq->train();
    }
    if (done % rec.checkpoint_every == 0 || last) {
      model.seq->eval();
      checkpoint(done);
      model.seq->train();
    }
    recording += Clock::now() - t0;
    if (progress) progress(done, spec.steps);
  }
  // A diverged run keeps whole rows only: the grad norms of the bad step are dropped.
  for (ParameterSteps& p : r.parameters) p.grad_norm.resize(static_cast<size_t>(r.rows));
  r.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  r.recording_seconds = std::chrono::duration<double>(recording).count();
  return r;
}

}  // namespace trajtool
