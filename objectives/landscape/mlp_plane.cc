#include "objectives/landscape/mlp_plane.h"

#include <algorithm>
#include <chrono>
#include <future>
#include <thread>

#include "objectives/landscape/mlp_plane_kernel.h"
#include "toolkit/core/error.h"

namespace trajtool {
namespace {

PlaneRangeFn pick_kernel() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx2") &&
      __builtin_cpu_supports("fma")) {
    return &plane_avx512::evaluate_range;
  }
  return &plane_generic::evaluate_range;
}

}  // namespace

int64_t plane_weight_count(const PlaneModel& model) {
  int64_t count = 0;
  for (std::size_t l = 0; l + 1 < model.widths.size(); ++l) {
    count += model.widths[l] * model.widths[l + 1] + model.widths[l + 1];
  }
  return count;
}

PlaneValues evaluate_plane(const PlaneModel& model, const PlaneSamples& samples,
                           const PlaneWeights& weights, const std::vector<double>& a,
                           const std::vector<double>& b,
                           const std::function<void(int64_t, int64_t)>& progress) {
  const int64_t count = static_cast<int64_t>(a.size());
  const int64_t flat = plane_weight_count(model);
  if (model.widths.size() < 2 || b.size() != a.size() ||
      static_cast<int64_t>(weights.center.size()) != flat ||
      static_cast<int64_t>(weights.dx.size()) != flat ||
      static_cast<int64_t>(weights.dy.size()) != flat ||
      model.activations.size() + 2 != model.widths.size() || samples.count < 1 ||
      static_cast<int64_t>(samples.x.size()) != samples.count * model.widths[0] ||
      static_cast<int64_t>(samples.y.size()) != samples.count) {
    throw RuntimeFailure("evaluate_plane: the weights, samples or points do not fit the model");
  }
  PlaneValues values;
  values.loss.assign(static_cast<std::size_t>(count), 0);
  values.accuracy.assign(static_cast<std::size_t>(count), 0);
  if (count == 0) return values;
  static const PlaneRangeFn kernel = pick_kernel();
  // Contiguous shares of the points, one per core; the calling thread reports progress.
  const int64_t threads = std::clamp<int64_t>(
      std::min<int64_t>(std::thread::hardware_concurrency(), count / 16), 1, 64);
  std::atomic<int64_t> done{0};
  std::vector<std::future<void>> workers;
  auto share = [&](int64_t t) {
    const int64_t begin = count * t / threads, end = count * (t + 1) / threads;
    kernel(model, samples, weights, a.data(), b.data(), begin, end, values.loss.data(),
           values.accuracy.data(), &done);
  };
  for (int64_t t = 0; t < threads; ++t) {
    workers.push_back(std::async(std::launch::async, share, t));
  }
  if (progress) {
    for (auto& w : workers) {
      while (w.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready) {
        progress(done.load(), count);
      }
    }
  }
  for (auto& w : workers) w.get();
  if (progress) progress(count, count);
  return values;
}

}  // namespace trajtool
