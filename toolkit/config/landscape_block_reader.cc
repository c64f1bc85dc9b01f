#include "toolkit/config/landscape_block_reader.h"

namespace trajtool {
namespace {

std::string colormap(const Fields& f, const std::string& fallback) {
  return f.choice<std::string>("colormap",
                               {{"viridis", "viridis"},
                                {"magma", "magma"},
                                {"inferno", "inferno"},
                                {"plasma", "plasma"},
                                {"cividis", "cividis"}},
                               fallback);
}

LossLandscapeBlock read_loss_landscape(const Fields& f) {
  LossLandscapeBlock b;
  b.experiment = f.experiment("experiment", true);
  b.runs = run_labels(f);
  b.colors = run_colors(f, b.runs);
  b.log_levels = f.choice<bool>("levels", {{"log", true}, {"linear", false}}, b.log_levels);
  b.colormap = colormap(f, b.colormap);
  b.interpolation = f.flag("interpolation", b.interpolation);
  b.note = f.flag("note", b.note);
  b.run_time = f.number("run_time", b.run_time, 0.5, 120);
  return b;
}

LossSurface3DBlock read_loss_surface_3d(const Fields& f) {
  LossSurface3DBlock b;
  b.experiment = f.experiment("experiment", true);
  b.runs = run_labels(f);
  b.colors = run_colors(f, b.runs);
  b.log_z = f.flag("log_z", b.log_z);
  b.colormap = colormap(f, b.colormap);
  b.bands = static_cast<int>(f.number("bands", b.bands, 0, 64));
  b.resolution = static_cast<int>(f.number("resolution", b.resolution, 2, 512));
  b.size = f.number("size", b.size, 1, 20);
  b.height = f.number("height", b.height, 0.5, 20);
  b.run_time = f.number("run_time", b.run_time, 0.5, 120);
  return b;
}

}  // namespace

const char* const kLandscapeBlockKinds = "loss_landscape, loss_surface_3d";

bool read_landscape_block(const std::string& kind, const BlockFieldsFn& fields, BlockBody& body) {
  if (kind == "loss_landscape") {
    body = read_loss_landscape(
        fields("experiment", {"experiment", "runs", "colors", "levels", "colormap", "interpolation",
                              "note", "run_time"}));
  } else if (kind == "loss_surface_3d") {
    body = read_loss_surface_3d(
        fields("experiment", {"experiment", "runs", "colors", "log_z", "colormap", "bands",
                              "resolution", "size", "height", "run_time"}));
  } else {
    return false;
  }
  return true;
}

}  // namespace trajtool
