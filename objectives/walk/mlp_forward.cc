#include "objectives/walk/mlp_forward.h"

#include <cmath>

#include "toolkit/core/error.h"

namespace trajtool {
namespace {

const NamedTensor& tensor(const std::vector<NamedTensor>& weights, const std::string& name) {
  for (const NamedTensor& t : weights) {
    if (t.name == name) return t;
  }
  throw InputError("the checkpoint has no tensor '" + name + "'");
}

// One module applied to `x` ([count][width]) in the value type T; returns its output.
template <class T>
std::vector<T> apply(const std::string& name, const std::string& kind,
                     const std::vector<NamedTensor>& weights, const std::vector<T>& x,
                     int64_t count, int64_t& width) {
  if (kind == "Linear") {
    const NamedTensor& w = tensor(weights, name + ".weight");
    const NamedTensor& b = tensor(weights, name + ".bias");
    if (w.shape.size() != 2 || w.shape[1] != width || b.shape.size() != 1 ||
        b.shape[0] != w.shape[0]) {
      throw InputError("Linear " + name + ": weights of shape that do not fit an input of " +
                       std::to_string(width));
    }
    const int64_t out = w.shape[0];
    std::vector<T> wt(w.values.begin(), w.values.end());
    std::vector<T> y(static_cast<std::size_t>(count * out));
    for (int64_t n = 0; n < count; ++n) {
      const T* row = x.data() + n * width;
      for (int64_t j = 0; j < out; ++j) {
        const T* wj = wt.data() + j * width;
        double sum = 0;
        for (int64_t i = 0; i < width; ++i) sum += static_cast<double>(wj[i]) * row[i];
        // torch adds the bias to the product's result: round the product first, as it does.
        y[static_cast<std::size_t>(n * out + j)] = static_cast<T>(
            static_cast<T>(sum) + static_cast<T>(b.values[static_cast<std::size_t>(j)]));
      }
    }
    width = out;
    return y;
  }
  std::vector<T> y = x;
  if (kind == "Dropout" || kind == "Identity") return y;
  for (T& v : y) {
    if (kind == "ReLU") {
      v = v > 0 ? v : T(0);
    } else if (kind == "Tanh") {
      v = std::tanh(v);
    } else if (kind == "Sigmoid") {
      v = T(1) / (T(1) + std::exp(-v));
    } else if (kind == "GELU") {
      v = static_cast<T>(0.5) * v * (T(1) + std::erf(v * static_cast<T>(0.70710678118654752440)));
    } else if (kind == "LeakyReLU") {
      v = v > 0 ? v : v * static_cast<T>(0.01);
    } else {
      throw InputError("module " + name + " is a " + kind + ": walks run MLPs only");
    }
  }
  return y;
}

template <class T>
std::vector<NamedTensor> forward(const std::vector<std::string>& names,
                                 const std::vector<std::string>& kinds,
                                 const std::vector<NamedTensor>& weights,
                                 const std::vector<double>& inputs, int64_t count,
                                 int64_t features) {
  std::vector<T> x(inputs.begin(), inputs.end());
  int64_t width = features;
  std::vector<NamedTensor> out;
  for (std::size_t m = 0; m < kinds.size(); ++m) {
    x = apply<T>(names[m], kinds[m], weights, x, count, width);
    out.push_back({names[m], {count, width}, std::vector<double>(x.begin(), x.end())});
  }
  return out;
}

}  // namespace

std::vector<NamedTensor> mlp_forward(const std::vector<std::string>& names,
                                     const std::vector<std::string>& kinds,
                                     const std::vector<NamedTensor>& weights,
                                     const std::vector<double>& inputs, int64_t count,
                                     int64_t features, bool float64) {
  if (names.size() != kinds.size()) throw InputError("module names and kinds differ in number");
  if (static_cast<int64_t>(inputs.size()) != count * features) {
    throw InputError("the inputs are not count x features values");
  }
  return float64 ? forward<double>(names, kinds, weights, inputs, count, features)
                 : forward<float>(names, kinds, weights, inputs, count, features);
}

}  // namespace trajtool
