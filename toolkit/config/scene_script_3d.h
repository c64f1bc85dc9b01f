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
  std::string value;  // a series' name (see Path3DBlock); "" = the logs' first, second, third
  std::string label;  // axis title; "" = the value's name
};

// A run's three series as a path in x, y, z (its own space, axes via axes_3d), traced in step
// order with a head dot. The series are an experiment's imported `metrics:` series (named by label
// or column; no `run`) or a cached run's: an optimizer run's loss, param:K, grad:K, state:...,
// or any series toolkit/core/run_series.h lists (train/loss, eval/test_loss, lr, grad_norm, ...).
// Series logged at different steps are joined on the steps all three have (never interpolated).
struct Path3DBlock {
  std::string experiment;       // whose run or logs
  std::string run;              // the run's label; "" = the experiment's `metrics:` logs
  Series3D x, y, z;             // the coordinates
  bool log_z = false;           // z in decades
  std::string color;            // "" = the run's own (or progress colours)
  std::string progress;         // a colormap: colour by step (early -> late), with a colour bar
  std::vector<double> markers;  // steps marked with a dot and "step k" (nearest logged step)
  int marker_count = 0;           // or N: the first step and about N - 1 round steps after it
  bool readout = false;         // the head's step and three values, fixed on screen
  bool axes = false;            // its axes from the start (else an axes_3d block adds them)
  double size = 6;              // world units of the x and y sides
  double height = 3;            // world units of the z side
  double run_time = 4;          // seconds to trace it
};

// A text anchored at a point of the section's space (data units: x, y and the value z): drawn
// flat on screen where the camera projects the point, upright whatever the camera does.
struct Text3DBlock {
  std::string text;                        // plain text, Unicode
  double x = 0, y = 0, z = 0;              // the point, in the space's data units
  TextAnchor anchor = TextAnchor::bottom;  // which point of the text's box sits there
  double gap = 0.12;                       // scene units between the point and the anchor
  double points = 20;                      // font size
  std::string color;                       // "" = the body colour
  bool dot = true;                         // a dot at the point
  bool occlude = true;                     // hidden where a surface covers the point
  double run_time = 0.8;                   // seconds to fade in
};

// Per-layer norms of trained models as surfaces: layers x steps x norm (log z), one run after the
// other on the same axes (one z range for all runs), the run's name and a colour bar fixed on
// screen; the camera turns while each run is shown.
struct GradientSurfaceBlock {
  std::string experiment;            // whose training runs
  std::vector<std::string> runs;     // labels, 1 to 4; empty = every run (<= 4)
  std::string value = "grad_norm";   // grad_norm, weight_norm or update_ratio
  bool biases = false;               // bias tensors too (else weights only)
  std::string colormap = "viridis";  // heights' colours
  double size = 6;                   // world units of the steps side (layers: 0.6 of it)
  double height = 3;                 // world units of the z side
  double run_time = 5;               // seconds each run is shown
  double turn = 45;                  // degrees the camera swings while each run is shown (one
                                     // way for the first, back for the next)
  bool formula = true;               // what the height is, as a formula in the column
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
