#pragma once
// The kernel of evaluate_plane (mlp_plane.h), compiled once per instruction set
// (mlp_plane_kernel.cc with TRAJTOOL_PLANE_NS = plane_generic or plane_avx512); mlp_plane.cc
// picks one at run time. Internal to objectives/landscape.
#include <atomic>
#include <cstdint>

#include "objectives/landscape/mlp_plane.h"

namespace trajtool {

// Evaluates points [begin, end) into loss[k], accuracy[k]; adds to `done` after each block.
using PlaneRangeFn = void (*)(const PlaneModel& model, const PlaneSamples& samples,
                              const PlaneWeights& weights, const double* a, const double* b,
                              int64_t begin, int64_t end, double* loss, double* accuracy,
                              std::atomic<int64_t>* done);

namespace plane_generic {
void evaluate_range(const PlaneModel& model, const PlaneSamples& samples,
                    const PlaneWeights& weights, const double* a, const double* b, int64_t begin,
                    int64_t end, double* loss, double* accuracy, std::atomic<int64_t>* done);
}
namespace plane_avx512 {
void evaluate_range(const PlaneModel& model, const PlaneSamples& samples,
                    const PlaneWeights& weights, const double* a, const double* b, int64_t begin,
                    int64_t end, double* loss, double* accuracy, std::atomic<int64_t>* done);
}

}  // namespace trajtool
