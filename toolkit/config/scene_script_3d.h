#pragma once
// The 3D blocks of scene files: a section with a `camera` block draws a 3D world (surface, axes,
// paths) seen by a camera that can turn and move; the section's 2D blocks (title, text, formula,
// note, legend) stay fixed on screen over it. Read by scene_script_3d_reader.h, played by
// viz/scenes/three_d_blocks.cc, documented in docs/scenes.md ("3D sections").
// Included by toolkit/scene_script.h (which defines ScenePoint, TrajectoryMode, LegendDetail) just
// before its list of block kinds: include that one.
#include <string>
#include <vector>

namespace trajtool {

// Starts the section's 3D world: where the camera is (Manim's phi from +z, theta azimuth, zoom).
struct CameraBlock {
  double phi = 70;                 // degrees from +z: 0 = top-down
  double theta = -110;             // degrees of azimuth: -90 = looking from -y
  double zoom = 1;                 // > 1 enlarges
  bool perspective = false;        // orthographic unless true
  ScenePoint center{-1.6, -0.45};  // where the world's centre is on screen
  int supersample = 1;             // samples per pixel side (1..4); edges are anti-aliased at 1
};

// An experiment's loss grid as a surface z = loss, with its start points and known minima marked.
struct SurfaceBlock {
  std::string experiment;  // whose first 2D run's grid
  bool log_z = false;      // heights in decades
  std::string colormap = "viridis";
  int bands = 12;          // flat colour bands (0 = continuous)
  int resolution = 64;     // mesh vertices per side
  double opacity = 1;      // of the surface
  bool wireframe = false;  // grid lines over it
  bool marks = true;       // start points and global minima as dots with labels
  bool formula = true;     // the objective's formula in the right-hand column
  double size = 6;         // world units of the x and y sides
  double height = 3;       // world units of the z side
  double run_time = 1.5;   // seconds to fade in
};

// Axes of the section's space (from its surface or path_3d) with labels facing the camera.
struct Axes3DBlock {
  std::string x_label;  // axis titles; "" = the space's own (θ₁, θ₂, loss; path_3d's series)
  std::string y_label;
  std::string z_label;
  double run_time = 1;  // seconds to fade in
};

// The surface's runs traced on it (z = loss, lifted above it), head dots, legend and step counter
// fixed on screen.
struct Trajectories3DBlock {
  std::vector<std::string> runs;    // labels; empty = every point run
  std::vector<std::string> colors;  // one per drawn run; empty = the runs' own
  TrajectoryMode mode = TrajectoryMode::all_at_once;
  double run_time = 0;                            // in all (all at once) or per run; 0 = auto
  double fade_earlier_to = 0.35;                  // one at a time: earlier paths' opacity
  LegendDetail detail = LegendDetail::optimizer;  // after each label in the legend
  std::string legend_title;                       // {steps} allowed
  bool counter = true;                            // all at once: "step k / n"
};

// One of path_3d's coordinates: a series of a run.
struct Series3D {
  std::string value;  // "loss", "param:K", "grad:K", "state:NAME" or "state:NAME:K"
  std::string label;  // axis title; "" = the value's name
};

// A run's three series as a path in x, y, z (its own space, axes via axes_3d).
struct Path3DBlock {
  std::string experiment;  // whose run
  std::string run;         // its label
  Series3D x, y, z;        // the coordinates
  bool log_z = false;      // z in decades
  std::string color;       // "" = the run's own
  double size = 6;         // world units of the x and y sides
  double height = 3;       // world units of the z side
  double run_time = 4;     // seconds to trace it
};

// A turn of the camera about the vertical axis.
struct RotateBlock {
  double degrees = 90;          // of azimuth (positive = counter-clockwise seen from above)
  double run_time = 6;          // seconds
  std::string rate = "linear";  // rate function
  bool with_next = false;       // start with the next 3D block instead of on its own
};

// The camera moves to a new pose.
struct MoveCameraBlock {
  double phi = -1;              // degrees; < 0 = keep
  double theta = 1e9;           // degrees; 1e9 = keep
  double zoom = -1;             // < 0 = keep
  double run_time = 2;          // seconds
  std::string rate = "smooth";  // rate function
  bool with_next = false;       // start with the next 3D block
};

}  // namespace trajtool
