#pragma once
// A 3D section's world as one Mobject: surfaces, axes, polylines, dots and labels anchored at 3D
// points, seen through a camera that moves. Everything is drawn per frame by the z-buffered
// rasterizer (depth_raster.h), so a path behind a ridge is hidden exactly where the ridge covers
// it; labels are then drawn flat on screen at their points' projections, always facing the
// camera.
//
// Time: the world keeps its own clock, and what moves (the camera, each element's opacity, a
// path's reveal) is a Track over that clock. The clock is the DrawState's `reveal` of this
// mobject, which the scene advances with linear reveal_to animations exactly while something in
// the world moves; while it stands still the renderer sees a static frame. Scenes add elements and
// keyframes before the timeline is built; drawing only reads.
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "viz/mobject.h"
#include "viz/text.h"
#include "viz/three_d/camera.h"
#include "viz/three_d/depth_raster.h"
#include "viz/timeline.h"

namespace trajtool {

// A surface as a grid of world points, coloured by a table.
struct SurfaceMesh3D {
  int nx = 0;                      // vertices across (x)
  int ny = 0;                      // vertices along (y)
  std::vector<Vec3> points;        // [ny][nx], world units
  std::vector<float> t;            // [ny][nx], where in `table` each vertex's colour is (0..1)
  ColorTable table;                // colours by height and the surface's opacity
  int wire_every = 0;              // > 0: grid lines over the surface every this many vertices
  Rgba wire_color{0, 0, 0, 0.35};  // their colour
};

// A polyline with per-vertex colour, revealed by step.
struct Path3D {
  std::vector<Vec3> points;    // world units
  std::vector<double> step;    // per point: the (fractional) step it belongs to, non-decreasing
  std::vector<Rgba> colors;    // per point
  double width_px = 4;         // stroke at 720p
  bool head = true;            // a dot where the revealed part ends
  double head_radius = 0.085;  // scene units
  Rgba head_ring{0, 0, 0, 1};  // the head's outline
};

// A dot at a world point.
struct Dot3D {
  Vec3 at;                // world units
  double radius = 0.08;   // scene units
  Rgba fill{1, 1, 1, 1};  // disc
  Rgba ring{0, 0, 0, 1};  // outline
  double ring_px = 1.5;   // outline width at 720p
};

// Straight segments in world units (axes, ticks, grid lines).
struct Lines3D {
  std::vector<std::pair<Vec3, Vec3>> segments;  // from, to
  Rgba color{0.85, 0.85, 0.85, 1};              // all of them
  double width_px = 2;                          // at 720p
};

// A text whose `anchor` point sits at a world point's projection, moved on screen by `gap` scene
// units in the direction `outward` (a world vector) projects to (`screen_dir` when it is zero or
// points at the camera). With `fade_axis` set, the label fades out as that world direction turns
// end-on to the camera (the z axis's labels in a top-down view); with `show_axis` set, it fades in
// as that direction does.
struct Label3D {
  Vec3 at;                     // world units
  std::shared_ptr<Text> text;  // laid out at (0, 0) on its own anchor
  Vec3 outward;                // zero = no offset
  double gap = 0;              // scene units along the projected `outward`
  Vec2 screen_dir{0, 1};       // the gap's direction on screen when `outward` is zero (unit)
  Vec3 fade_axis;              // zero = never fades
  Vec3 show_axis;              // non-zero: shown only as this world direction turns end-on to the
                               // camera, fading in as labels along it fade out (a floor tick's
                               // label at the z axis's foot: seen in a top-down view only)
  bool occludable = true;      // hidden where the surface covers its point (axes' labels: false)
};

// Lines and labels placed anew for each camera pose (3D axes that move to the sides of their box
// facing the camera): `place` fills them for the camera of the frame being drawn.
struct Rig3D {
  std::function<void(const Camera& camera, Lines3D& lines, std::vector<Label3D>& labels)> place;
};

// One element's body with what animates it, over the world's clock.
template <class Body>
struct Element {
  Body body;
  Track opacity;  // 0..1; starts at 0 (hidden) unless set
  Track reveal;   // paths: the step shown up to (0: the start only; a large initial = all)
};

// Moves `track` from its value at `t0` towards `to`, reaching it at `t1` along `rate`.
void animate_track(Track& track, double t0, double t1, double to, RateFn rate = RateFn::smooth);

class World3D : public Mobject {
 public:
  // `supersample`: samples per pixel side (1: silhouettes, band edges, lines and dots are still
  // anti-aliased analytically; 2 adds 4 samples per pixel).
  World3D(CameraPose start, CameraLens lens, int supersample = 1);

  // What moves the camera, over the world clock.
  Track phi, theta, zoom;
  std::vector<Element<SurfaceMesh3D>> surfaces;
  std::vector<Element<Lines3D>> lines;
  std::vector<Element<Path3D>> paths;
  std::vector<Element<Dot3D>> dots;
  std::vector<Element<Label3D>> labels;
  std::vector<Element<Rig3D>> rigs;  // drawn with the lines and the labels

  CameraPose pose_at(double clock) const;
  Camera camera_at(double clock) const;
  const CameraLens& lens() const { return lens_; }

  void draw(cairo_t* cr, const FrameGeometry& geo, const DrawState& state) const override;
  // The whole frame: what the world shows depends on the camera.
  Box2 bounds(const FrameGeometry& geo) const override;

 private:
  // What one draw call works in, reused by later calls: draw may run on several threads at once,
  // each call with a slot of its own.
  struct RasterSlot {
    DepthRaster raster;                 // the picture being rasterised
    cairo_surface_t* image = nullptr;   // the resolved picture (targets not written directly)
    std::shared_ptr<void> image_owner;  // releases image
    PixelRect image_rect;               // where image holds the last picture
  };
  // A slot taken from the free ones (or made) for one draw call, and given back.
  struct SlotLease {
    explicit SlotLease(const World3D& owner);
    ~SlotLease();
    SlotLease(const SlotLease&) = delete;
    SlotLease& operator=(const SlotLease&) = delete;
    const World3D& world;
    RasterSlot* slot = nullptr;
  };

  CameraLens lens_;
  int supersample_;
  mutable std::mutex slots_mutex_;                          // guards the two below
  mutable std::vector<std::unique_ptr<RasterSlot>> slots_;  // every slot made
  mutable std::vector<RasterSlot*> free_slots_;             // those no draw call holds
};

}  // namespace trajtool
