#include "viz/three_d/camera.h"

#include <cmath>

namespace trajtool {

Vec3 normalized(Vec3 v) {
  const double n = std::sqrt(dot(v, v));
  return n > 0 ? v * (1 / n) : v;
}

Camera::Camera(CameraPose pose, CameraLens lens) : pose_(pose), lens_(lens) {
  const double phi = pose.phi_deg * M_PI / 180, theta = pose.theta_deg * M_PI / 180;
  towards_ = {std::sin(phi) * std::cos(theta), std::sin(phi) * std::sin(theta), std::cos(phi)};
  right_ = {-std::sin(theta), std::cos(theta), 0};
  up_ = {-std::cos(phi) * std::cos(theta), -std::cos(phi) * std::sin(theta), std::sin(phi)};
}

Projected Camera::project(Vec3 p) const {
  const Vec3 d = p - lens_.look_at;
  const double toward = dot(d, towards_);
  double scale = pose_.zoom;
  if (lens_.perspective)
    scale *= lens_.focal_distance / std::max(1e-6, lens_.focal_distance - toward);
  return {
      {lens_.screen_center.x + scale * dot(d, right_), lens_.screen_center.y + scale * dot(d, up_)},
      -toward};
}

}  // namespace trajtool
