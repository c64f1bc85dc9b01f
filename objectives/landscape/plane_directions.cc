#include "objectives/landscape/plane_directions.h"

#include <Eigen/Dense>
#include <cmath>
#include <limits>

#include "toolkit/core/error.h"

namespace trajtool {

std::vector<double> flatten(const std::vector<NamedTensor>& tensors) {
  std::vector<double> flat;
  for (const NamedTensor& t : tensors) flat.insert(flat.end(), t.values.begin(), t.values.end());
  return flat;
}

std::vector<NamedTensor> unflatten(const std::vector<double>& flat,
                                   const std::vector<NamedTensor>& like) {
  std::vector<NamedTensor> out;
  std::size_t at = 0;
  for (const NamedTensor& t : like) {
    NamedTensor n{t.name, t.shape, {}};
    n.values.assign(flat.begin() + static_cast<std::ptrdiff_t>(at),
                    flat.begin() + static_cast<std::ptrdiff_t>(at + t.values.size()));
    at += t.values.size();
    out.push_back(std::move(n));
  }
  return out;
}

std::vector<NamedTensor> random_direction(const std::vector<NamedTensor>& center,
                                          std::mt19937_64& rng, bool ignore_biasbn) {
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<NamedTensor> out;
  for (const NamedTensor& c : center) {
    NamedTensor d{c.name, c.shape, std::vector<double>(c.values.size())};
    for (double& v : d.values) v = normal(rng);  // drawn for every tensor: the stream is fixed
    if (c.shape.size() <= 1) {
      if (ignore_biasbn) {
        std::fill(d.values.begin(), d.values.end(), 0.0);
      } else {
        d.values = c.values;
      }
    } else {
      const std::size_t filters = static_cast<std::size_t>(c.shape[0]);
      const std::size_t per = c.values.size() / filters;
      for (std::size_t f = 0; f < filters; ++f) {
        double dn = 0, cn = 0;
        for (std::size_t i = f * per; i < (f + 1) * per; ++i) {
          dn += d.values[i] * d.values[i];
          cn += c.values[i] * c.values[i];
        }
        const double scale = std::sqrt(cn) / (std::sqrt(dn) + 1e-10);
        for (std::size_t i = f * per; i < (f + 1) * per; ++i) d.values[i] *= scale;
      }
    }
    out.push_back(std::move(d));
  }
  return out;
}

PrincipalPlane principal_plane(const std::vector<std::vector<double>>& displacements) {
  std::vector<const std::vector<double>*> rows;
  for (const auto& row : displacements) {
    bool moved = false;
    for (double v : row) moved = moved || v != 0;
    if (moved) rows.push_back(&row);
  }
  if (rows.size() < 2) {
    throw InputError("pca directions need at least two checkpoints away from the center (got " +
                     std::to_string(rows.size()) + "): record more checkpoints");
  }
  const Eigen::Index k = static_cast<Eigen::Index>(rows.size());
  const Eigen::Index p = static_cast<Eigen::Index>(rows[0]->size());
  Eigen::MatrixXd m(k, p);
  for (Eigen::Index i = 0; i < k; ++i) {
    for (Eigen::Index j = 0; j < p; ++j) m(i, j) = (*rows[static_cast<std::size_t>(i)])[j];
  }
  // The right singular vectors of m (k checkpoints by p parameters; Eigen preconditions the wide
  // matrix with a QR decomposition, so this costs O(k^2 p)).
  Eigen::JacobiSVD<Eigen::MatrixXd> svd(m, Eigen::ComputeThinV);
  const Eigen::VectorXd s = svd.singularValues();
  const double total = s.squaredNorm();
  PrincipalPlane plane;
  for (int i = 0; i < 2; ++i) {
    Eigen::VectorXd v = svd.matrixV().col(i);
    Eigen::Index top = 0;
    v.cwiseAbs().maxCoeff(&top);
    if (v(top) < 0) v = -v;
    std::vector<double>& out = i == 0 ? plane.x : plane.y;
    out.assign(v.data(), v.data() + v.size());
    plane.explained[i] = s(i) * s(i) / total;
  }
  return plane;
}

PlaneCoordinates project_onto_plane(const std::vector<double>& v, const std::vector<double>& dx,
                                    const std::vector<double>& dy) {
  double xx = 0, xy = 0, yy = 0, xv = 0, yv = 0, vv = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    xx += dx[i] * dx[i];
    xy += dx[i] * dy[i];
    yy += dy[i] * dy[i];
    xv += dx[i] * v[i];
    yv += dy[i] * v[i];
    vv += v[i] * v[i];
  }
  const double det = xx * yy - xy * xy;
  if (!(std::fabs(det) > 1e-300)) {
    throw RuntimeFailure("the landscape's two directions are parallel: no plane to project on");
  }
  PlaneCoordinates c;
  c.x = (yy * xv - xy * yv) / det;
  c.y = (xx * yv - xy * xv) / det;
  double r = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const double e = c.x * dx[i] + c.y * dy[i] - v[i];
    r += e * e;
  }
  c.residual = vv > 0 ? std::sqrt(r / vv) : std::numeric_limits<double>::quiet_NaN();
  return c;
}

}  // namespace trajtool
