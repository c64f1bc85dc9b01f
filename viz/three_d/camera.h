#pragma once
// A 3D camera with Manim's conventions: phi is the angle of the viewing direction from +z (0 looks
// straight down, 90 looks along the ground), theta the azimuth around z (-90 looks from -y towards
// +y, so x runs rightwards and y into the screen), zoom scales the picture about its screen
// centre. Orthographic by default; perspective on request (Manim's focal distance).
#include "viz/mobject.h"

namespace trajtool {

// A point or a vector in world units (the 3D scene's space; see space_3d.h for data -> world).
struct Vec3 {
  double x = 0;
  double y = 0;
  double z = 0;
};
inline Vec3 operator+(Vec3 a, Vec3 b) { return {a.x + b.x, a.y + b.y, a.z + b.z}; }
inline Vec3 operator-(Vec3 a, Vec3 b) { return {a.x - b.x, a.y - b.y, a.z - b.z}; }
inline Vec3 operator*(Vec3 a, double s) { return {a.x * s, a.y * s, a.z * s}; }
inline double dot(Vec3 a, Vec3 b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
inline Vec3 cross(Vec3 a, Vec3 b) {
  return {a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x};
}
Vec3 normalized(Vec3 v);

// Where the camera is, as Manim's set_camera_orientation takes it.
struct CameraPose {
  double phi_deg = 70;      // from +z: 0 = top-down view
  double theta_deg = -110;  // azimuth: -90 = looking from -y
  double zoom = 1;          // > 1 enlarges
};

// What stays fixed while the camera moves.
struct CameraLens {
  bool perspective = false;     // false: orthographic
  double focal_distance = 20;   // perspective: world units from the camera to look_at
  Vec3 look_at;                 // the world point shown at `screen_center`
  Vec2 screen_center{0, -0.3};  // scene units (the frame's centre is 0, 0)
};

// A world point on screen.
struct Projected {
  Vec2 at;       // scene units
  double depth;  // distance along the viewing direction: larger is farther from the camera
};

class Camera {
 public:
  Camera(CameraPose pose, CameraLens lens);
  Projected project(Vec3 p) const;
  // Unit vectors: towards the camera, screen-right, screen-up (right x up = towards).
  Vec3 towards() const { return towards_; }
  Vec3 right() const { return right_; }
  Vec3 up() const { return up_; }
  const CameraPose& pose() const { return pose_; }

 private:
  CameraPose pose_;
  CameraLens lens_;
  Vec3 towards_, right_, up_;
};

}  // namespace trajtool
