#include "toolkit/config/scene_script_3d_reader.h"

#include <map>

namespace trajtool {
namespace {

const std::map<std::string, std::string>& rate_names() {
  static const std::map<std::string, std::string> kNames = {
      {"linear", "linear"},           {"smooth", "smooth"},
      {"ease_in_out", "ease_in_out"}, {"there_and_back", "there_and_back"},
      {"rush_into", "rush_into"},     {"rush_from", "rush_from"}};
  return kNames;
}

CameraBlock read_camera(const Fields& f) {
  CameraBlock b;
  b.phi = f.number("phi", b.phi, 0, 180);
  b.theta = f.number("theta", b.theta, -3600, 3600);
  b.zoom = f.number("zoom", b.zoom, 0.05, 20);
  b.perspective =
      f.choice<bool>("projection", {{"orthographic", false}, {"perspective", true}}, false);
  b.center = f.point("center", b.center);
  b.supersample = static_cast<int>(f.number("antialias", b.supersample, 1, 4));
  return b;
}

std::string colormap_name(const Fields& f, const std::string& key) {
  return f.choice<std::string>(key,
                               {{"viridis", "viridis"},
                                {"magma", "magma"},
                                {"inferno", "inferno"},
                                {"plasma", "plasma"},
                                {"cividis", "cividis"}},
                               "viridis");
}

Text3DBlock read_text_3d(const Fields& f) {
  Text3DBlock b;
  b.text = f.required_text("text");
  if (!f.has("at")) f.where().fail(f.node(), "missing `at` ([x, y, z] in the space's data units)");
  const std::vector<double> at = as_numbers(f.node()["at"], f.where().at("at"), 3, 3);
  b.x = at[0];
  b.y = at[1];
  b.z = at[2];
  b.anchor = f.anchor("anchor", b.anchor);
  b.gap = f.number("gap", b.gap, 0, 2);
  b.points = f.number("size", b.points, 8, 72);
  b.color = f.color("color");
  b.dot = f.flag("dot", b.dot);
  b.occlude = f.flag("occlude", b.occlude);
  b.run_time = f.number("run_time", b.run_time, 0, 60);
  return b;
}

GradientSurfaceBlock read_gradient_surface(const Fields& f) {
  GradientSurfaceBlock b;
  b.experiment = f.experiment("experiment", true);
  b.runs = f.texts("runs");
  if (b.runs.size() > 4) f.where().at("runs").fail(f.node()["runs"], "at most 4 runs");
  b.value = f.choice<std::string>("value",
                                  {{"grad_norm", "grad_norm"},
                                   {"weight_norm", "weight_norm"},
                                   {"update_ratio", "update_ratio"}},
                                  b.value);
  b.biases = f.flag("biases", b.biases);
  b.colormap = colormap_name(f, "colormap");
  b.size = f.number("size", b.size, 0.5, 14);
  b.height = f.number("height", b.height, 0.1, 8);
  b.run_time = f.number("run_time", b.run_time, 0.5, 120);
  b.turn = f.number("turn", b.turn, -3600, 3600);
  b.formula = f.flag("formula", b.formula);
  return b;
}

SurfaceBlock read_surface(const Fields& f) {
  SurfaceBlock b;
  b.experiment = f.experiment("experiment", true);
  // A text (so that a scene parameter can choose it): linear or log.
  const std::string z = f.text("z", "linear");
  if (z != "linear" && z != "log") {
    f.where().at("z").fail(f.node()["z"], "'" + z + "' is not one of: linear, log");
  }
  b.log_z = z == "log";
  b.colormap = f.choice<std::string>("colormap",
                                     {{"viridis", "viridis"},
                                      {"magma", "magma"},
                                      {"inferno", "inferno"},
                                      {"plasma", "plasma"},
                                      {"cividis", "cividis"}},
                                     b.colormap);
  b.bands = static_cast<int>(f.number("bands", b.bands, 0, 64));
  b.resolution = static_cast<int>(f.number("resolution", b.resolution, 8, 256));
  b.opacity = f.number("opacity", b.opacity, 0.05, 1);
  b.wireframe = f.flag("wireframe", b.wireframe);
  b.marks = f.flag("marks", b.marks);
  b.formula = f.flag("formula", b.formula);
  b.size = f.number("size", b.size, 0.5, 14);
  b.height = f.number("height", b.height, 0.1, 8);
  b.run_time = f.number("run_time", b.run_time, 0, 60);
  return b;
}

Axes3DBlock read_axes(const Fields& f) {
  Axes3DBlock b;
  b.x_label = f.text("x_label", b.x_label);
  b.y_label = f.text("y_label", b.y_label);
  b.z_label = f.text("z_label", b.z_label);
  b.run_time = f.number("run_time", b.run_time, 0, 60);
  return b;
}

Trajectories3DBlock read_trajectories(const Fields& f) {
  Trajectories3DBlock b;
  read_trajectory_keys(f, b);
  b.counter = f.flag("counter", b.counter);
  return b;
}

Series3D read_series(const Fields& f, const char* key) {
  Series3D s;
  const YAML::Node node = f.node()[key];
  if (!node) f.where().fail(f.node(), std::string("missing `") + key + "`");
  s.value = f.text(key);  // "" = the logs' first, second, third series (x, y, z)
  s.label = f.text(std::string(key) + "_label");
  return s;
}

Path3DBlock read_path(const Fields& f) {
  Path3DBlock b;
  b.experiment = f.experiment("experiment", true);
  b.run = f.text("run");
  b.x = read_series(f, "x");
  b.y = read_series(f, "y");
  b.z = read_series(f, "z");
  // A text (so that a scene parameter can choose it): linear or log.
  const std::string z = f.text("z_scale", "linear");
  if (z != "linear" && z != "log") {
    f.where().at("z_scale").fail(f.node()["z_scale"], "'" + z + "' is not one of: linear, log");
  }
  b.log_z = z == "log";
  b.color = f.color("color");
  b.progress = f.has("progress") ? colormap_name(f, "progress") : "";
  if (f.has("markers")) {
    const YAML::Node markers = f.node()["markers"];
    if (markers.IsSequence()) {
      b.markers = as_numbers(markers, f.where().at("markers"), 1, 100);
    } else {
      b.marker_count = static_cast<int>(f.number("markers", 0, 2, 50));
    }
  }
  b.readout = f.flag("readout", b.readout);
  b.axes = f.flag("axes", b.axes);
  b.size = f.number("size", b.size, 0.5, 14);
  b.height = f.number("height", b.height, 0.1, 8);
  b.run_time = f.number("run_time", b.run_time, 0, 120);
  return b;
}

}  // namespace

bool read_3d_block(const std::string& kind, const FieldsFor& fields, BlockBody& body) {
  if (kind == "camera") {
    body = read_camera(fields("", {"phi", "theta", "zoom", "projection", "center", "antialias"}));
  } else if (kind == "surface") {
    body = read_surface(
        fields("experiment", {"experiment", "z", "colormap", "bands", "resolution", "opacity",
                              "wireframe", "marks", "formula", "size", "height", "run_time"}));
  } else if (kind == "axes_3d") {
    body = read_axes(fields("", {"x_label", "y_label", "z_label", "run_time"}));
  } else if (kind == "trajectories_3d") {
    body =
        read_trajectories(fields("mode", {"runs", "colors", "mode", "run_time", "fade_earlier_to",
                                          "legend", "legend_title", "counter"}));
  } else if (kind == "path_3d") {
    body = read_path(fields(
        "", {"experiment", "run", "x", "y", "z", "x_label", "y_label", "z_label", "z_scale",
             "color", "progress", "markers", "readout", "axes", "size", "height", "run_time"}));
  } else if (kind == "text_3d") {
    body = read_text_3d(fields(
        "text", {"text", "at", "anchor", "gap", "size", "color", "dot", "occlude", "run_time"}));
  } else if (kind == "gradient_surface") {
    body = read_gradient_surface(
        fields("experiment", {"experiment", "runs", "value", "biases", "colormap", "size", "height",
                              "run_time", "turn", "formula"}));
  } else if (kind == "rotate") {
    const Fields f = fields("degrees", {"degrees", "run_time", "rate", "with_next"});
    RotateBlock b;
    b.degrees = f.number("degrees", b.degrees, -3600, 3600);
    b.run_time = f.number("run_time", b.run_time, 0, 600);
    b.rate = f.choice<std::string>("rate", rate_names(), b.rate);
    b.with_next = f.flag("with_next", b.with_next);
    body = b;
  } else if (kind == "move_camera") {
    const Fields f = fields("", {"phi", "theta", "zoom", "run_time", "rate", "with_next"});
    MoveCameraBlock b;
    b.phi = f.number("phi", b.phi, 0, 180);
    b.theta = f.number("theta", b.theta, -3600, 3600);
    b.zoom = f.number("zoom", b.zoom, 0.05, 20);
    b.run_time = f.number("run_time", b.run_time, 0, 600);
    b.rate = f.choice<std::string>("rate", rate_names(), b.rate);
    b.with_next = f.flag("with_next", b.with_next);
    if (!f.has("phi") && !f.has("theta") && !f.has("zoom")) {
      f.where().fail(f.node(), "give at least one of `phi`, `theta`, `zoom`");
    }
    body = b;
  } else {
    return false;
  }
  return true;
}

}  // namespace trajtool
