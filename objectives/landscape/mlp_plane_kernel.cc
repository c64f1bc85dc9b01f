// evaluate_plane's kernel (mlp_plane_kernel.h). This file is compiled twice, with
// TRAJTOOL_PLANE_NS naming the instruction set it was built for: Eigen's packets follow the
// compiler's target flags, so the AVX-512 build is several times faster where the CPU has it.
#include "objectives/landscape/mlp_plane_kernel.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>

#ifndef TRAJTOOL_PLANE_NS
#error "define TRAJTOOL_PLANE_NS"
#endif

namespace trajtool {
namespace TRAJTOOL_PLANE_NS {
namespace {

constexpr int64_t kBlock = 4;  // points per batched block (4 x 1000 samples x 32 floats fit L2)

template <class T>
using Matrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <class T>
using Row = Eigen::Matrix<T, 1, Eigen::Dynamic>;

enum class Act { kRelu, kTanh, kSigmoid, kGelu, kLeakyRelu, kIdentity };

Act act_of(const std::string& name) {
  if (name == "relu") return Act::kRelu;
  if (name == "tanh") return Act::kTanh;
  if (name == "sigmoid") return Act::kSigmoid;
  if (name == "gelu") return Act::kGelu;
  if (name == "leaky_relu") return Act::kLeakyRelu;
  return Act::kIdentity;
}

template <class T>
void activate(Matrix<T>& h, Act act) {
  switch (act) {
    case Act::kRelu:
      h = h.cwiseMax(T(0));
      break;
    case Act::kTanh:
      h = h.array().tanh().matrix();
      break;
    case Act::kSigmoid:
      h = (T(1) / (T(1) + (-h.array()).exp())).matrix();
      break;
    case Act::kGelu:  // torch's exact GELU: x/2 (1 + erf(x / sqrt 2))
      h = h.unaryExpr([](T v) { return T(0.5) * v * (T(1) + std::erf(v * T(M_SQRT1_2))); });
      break;
    case Act::kLeakyRelu:
      h = h.unaryExpr([](T v) { return v > T(0) ? v : T(0.01) * v; });
      break;
    case Act::kIdentity:
      break;
  }
}

// One layer's slice of the flat weights.
struct LayerAt {
  int64_t in = 0, out = 0;  // widths
  int64_t weight = 0;       // offset of weight [out][in]
  int64_t bias = 0;         // offset of bias [out]
};

template <class T>
using ColumnArray = Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor>;

// torch's cross_entropy (mean of log-sum-exp minus the target's logit) and the share whose
// largest logit (the first of equal ones) is the target, vectorized down the samples in T as
// torch computes log_softmax; the mean is summed in double.
template <class T>
void cross_entropy(const Matrix<T>& out, const PlaneSamples& samples, ColumnArray<T>& columns,
                   Eigen::Array<T, Eigen::Dynamic, 1>& top,
                   Eigen::Array<T, Eigen::Dynamic, 1>& total, double& loss, double& accuracy) {
  const Eigen::Index n = out.rows(), classes = out.cols();
  columns = out.array();  // one column per class, contiguous
  top = columns.col(0);
  for (Eigen::Index j = 1; j < classes; ++j) top = top.max(columns.col(j));
  total.setZero(n);
  for (Eigen::Index j = 0; j < classes; ++j) total += (columns.col(j) - top).exp();
  total = total.log() + top;
  double sum = 0;
  int64_t right = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    const Eigen::Index target = static_cast<Eigen::Index>(samples.y[static_cast<std::size_t>(i)]);
    sum += static_cast<double>(total(i) - columns(i, target));
    Eigen::Index predicted = 0;
    for (Eigen::Index j = 1; j < classes; ++j) {
      if (columns(i, j) > columns(i, predicted)) predicted = j;
    }
    right += predicted == target;
  }
  loss = sum / static_cast<double>(n);
  accuracy = static_cast<double>(right) / static_cast<double>(n);
}

template <class T>
T mixed(double c, double a, double d, double b, double e) {
  return static_cast<T>(c) + static_cast<T>(a) * static_cast<T>(d) +
         static_cast<T>(b) * static_cast<T>(e);
}

template <class T>
void run_range(const PlaneModel& model, const PlaneSamples& samples, const PlaneWeights& weights,
               const double* a, const double* b, int64_t begin, int64_t end, double* loss,
               double* accuracy, std::atomic<int64_t>* done) {
  const int64_t n = samples.count;
  const int64_t layers = static_cast<int64_t>(model.widths.size()) - 1;
  std::vector<LayerAt> at(static_cast<std::size_t>(layers));
  int64_t offset = 0;
  for (int64_t l = 0; l < layers; ++l) {
    LayerAt& la = at[static_cast<std::size_t>(l)];
    la.in = model.widths[static_cast<std::size_t>(l)];
    la.out = model.widths[static_cast<std::size_t>(l + 1)];
    la.weight = offset;
    la.bias = offset + la.in * la.out;
    offset = la.bias + la.out;
  }
  std::vector<Act> acts;
  for (const std::string& name : model.activations) acts.push_back(act_of(name));

  const int64_t in0 = at[0].in, out0 = at[0].out;
  Matrix<T> x(n, in0);
  for (int64_t i = 0; i < n * in0; ++i) {
    x.data()[i] = static_cast<T>(samples.x[static_cast<std::size_t>(i)]);
  }
  // The first layer is linear in (a, b): X W(a, b)^T = X C^T + a X Dx^T + b X Dy^T, three products
  // made once for every point.
  auto first = [&](const std::vector<double>& flat) {
    Matrix<T> w(out0, in0);
    for (int64_t i = 0; i < out0 * in0; ++i) {
      w.data()[i] = static_cast<T>(flat[static_cast<std::size_t>(at[0].weight + i)]);
    }
    Matrix<T> product = x * w.transpose();
    return product;
  };
  const Matrix<T> xc = first(weights.center), xdx = first(weights.dx), xdy = first(weights.dy);

  std::vector<Matrix<T>> h(kBlock), next(kBlock);
  std::vector<Matrix<T>> w(kBlock);
  std::vector<Row<T>> bias(kBlock);
  const int64_t outputs = model.widths.back();
  ColumnArray<T> columns;
  Eigen::Array<T, Eigen::Dynamic, 1> top, total;
  for (int64_t start = begin; start < end; start += kBlock) {
    const int64_t count = std::min(kBlock, end - start);
    for (int64_t l = 0; l < layers; ++l) {
      const LayerAt& la = at[static_cast<std::size_t>(l)];
      // The block's weights, stacked: [count][out][in] and [count][out].
      for (int64_t p = 0; p < count; ++p) {
        const double pa = a[start + p], pb = b[start + p];
        Row<T>& bp = bias[static_cast<std::size_t>(p)];
        bp.resize(la.out);
        for (int64_t j = 0; j < la.out; ++j) {
          const std::size_t k = static_cast<std::size_t>(la.bias + j);
          bp[j] = mixed<T>(weights.center[k], pa, weights.dx[k], pb, weights.dy[k]);
        }
        if (l == 0) continue;
        Matrix<T>& wp = w[static_cast<std::size_t>(p)];
        wp.resize(la.out, la.in);
        for (int64_t i = 0; i < la.out * la.in; ++i) {
          const std::size_t k = static_cast<std::size_t>(la.weight + i);
          wp.data()[i] = mixed<T>(weights.center[k], pa, weights.dx[k], pb, weights.dy[k]);
        }
      }
      // The batched product of the block: h[p] <- act(h[p] W[p]^T + bias[p]).
      for (int64_t p = 0; p < count; ++p) {
        const std::size_t q = static_cast<std::size_t>(p);
        if (l == 0) {
          const T pa = static_cast<T>(a[start + p]), pb = static_cast<T>(b[start + p]);
          next[q] = xc + pa * xdx + pb * xdy;
        } else {
          next[q].resize(n, la.out);
          next[q].noalias() = h[q] * w[q].transpose();
        }
        next[q].rowwise() += bias[q];
        if (l + 1 < layers) activate(next[q], acts[static_cast<std::size_t>(l)]);
        std::swap(h[q], next[q]);
      }
    }
    // Loss and accuracy of each point's outputs [n][outputs].
    for (int64_t p = 0; p < count; ++p) {
      const Matrix<T>& out = h[static_cast<std::size_t>(p)];
      if (model.loss == LossKind::kCrossEntropy) {
        cross_entropy(out, samples, columns, top, total, loss[start + p], accuracy[start + p]);
        continue;
      }
      double sum = 0;
      int64_t right = 0;
      for (int64_t i = 0; i < n; ++i) {
        const double target = samples.y[static_cast<std::size_t>(i)];
        const T* o = out.data() + i * outputs;
        int64_t predicted = 0;
        if (model.loss == LossKind::kBceWithLogits) {
          const double z = static_cast<double>(o[0]);
          sum += std::max(z, 0.0) - z * target + std::log1p(std::exp(-std::fabs(z)));
          predicted = z > 0 ? 1 : 0;
        } else if (model.classes > 0) {  // mse on one-hot classes
          double best = static_cast<double>(o[0]);
          for (int64_t j = 0; j < outputs; ++j) {
            const double v = static_cast<double>(o[j]);
            const double d = v - (j == static_cast<int64_t>(target) ? 1.0 : 0.0);
            sum += d * d;
            if (v > best) {
              best = v;
              predicted = j;
            }
          }
        } else {
          const double d = static_cast<double>(o[0]) - target;
          sum += d * d;
        }
        right += predicted == static_cast<int64_t>(target);
      }
      const double per =
          model.loss == LossKind::kMse ? static_cast<double>(n * outputs) : static_cast<double>(n);
      loss[start + p] = sum / per;
      accuracy[start + p] = model.classes > 0 ? static_cast<double>(right) / static_cast<double>(n)
                                              : std::numeric_limits<double>::quiet_NaN();
    }
    done->fetch_add(count);
  }
}

}  // namespace

void evaluate_range(const PlaneModel& model, const PlaneSamples& samples,
                    const PlaneWeights& weights, const double* a, const double* b, int64_t begin,
                    int64_t end, double* loss, double* accuracy, std::atomic<int64_t>* done) {
  if (model.float64) {
    run_range<double>(model, samples, weights, a, b, begin, end, loss, accuracy, done);
  } else {
    run_range<float>(model, samples, weights, a, b, begin, end, loss, accuracy, done);
  }
}

}  // namespace TRAJTOOL_PLANE_NS
}  // namespace trajtool
