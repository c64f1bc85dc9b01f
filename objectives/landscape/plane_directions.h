#pragma once
// The plane of a loss landscape (Li et al., "Visualizing the Loss Landscape of Neural Nets",
// NeurIPS 2018): filter-normalized random directions (section 4), the top principal directions of
// checkpoints relative to the center (section 7), and the least-squares coordinates of a weight
// vector in the plane. Torch-free (Eigen). Weights are NamedTensors in state_dict() order.
#include <cstdint>
#include <random>
#include <vector>

#include "toolkit/core/training_record.h"

namespace trajtool {

// The tensors concatenated, in order.
std::vector<double> flatten(const std::vector<NamedTensor>& tensors);
// `flat` cut back into tensors with the names and shapes of `like`.
std::vector<NamedTensor> unflatten(const std::vector<double>& flat,
                                   const std::vector<NamedTensor>& like);

// A Gaussian direction (standard normal draws from `rng`, tensor by tensor in order, row-major),
// filter-normalized: every filter (a row of a Linear weight, an output channel of a convolution:
// index 0 of a tensor of rank >= 2) is scaled to the norm of the same filter of `center`
// (d * ||c|| / (||d|| + 1e-10), as the paper's code). A 1-D tensor (bias) gets zeros when
// `ignore_biasbn`, else the center's own values (the paper's code does the same).
std::vector<NamedTensor> random_direction(const std::vector<NamedTensor>& center,
                                          std::mt19937_64& rng, bool ignore_biasbn);

// The top two principal directions of the rows of `displacements` (each a flat weight vector minus
// the center, not mean-centred: the plane passes through the center), as unit vectors, from the
// SVD of that matrix; explained[i] = s_i^2 / sum of all s_j^2. Each direction's sign makes its
// largest-magnitude entry positive. Needs at least two rows that are not all zero.
struct PrincipalPlane {
  std::vector<double> x, y;  // unit directions
  double explained[2] = {0, 0};
};
PrincipalPlane principal_plane(const std::vector<std::vector<double>>& displacements);

// The (x, y) minimizing ||x dx + y dy - v|| (normal equations in double: right for directions
// that are not orthogonal too) and the relative residual ||x dx + y dy - v|| / ||v|| (NaN for
// v = 0).
struct PlaneCoordinates {
  double x = 0, y = 0;
  double residual = 0;
};
PlaneCoordinates project_onto_plane(const std::vector<double>& v, const std::vector<double>& dx,
                                    const std::vector<double>& dy);

}  // namespace trajtool
