#pragma once
// Perceptually uniform colour maps for loss landscapes: matplotlib's viridis, magma, inferno and
// plasma (van der Walt, Smith and Firing) and cividis (Nuñez, Anderton and Renslow), all released
// as public-domain (CC0) data. Each is a 256-entry table sampled with linear interpolation.
#include <string>

#include "viz/color.h"

namespace trajtool {

enum class ColormapName { kViridis, kMagma, kInferno, kPlasma, kCividis };

// "viridis", "magma", "inferno", "plasma" or "cividis" -> name; throws InputError otherwise.
ColormapName parse_colormap_name(const std::string& text);

// The lower-case name, as parse_colormap_name reads it.
std::string colormap_name_text(ColormapName name);

// A colour map and its direction.
struct Colormap {
  ColormapName name = ColormapName::kViridis;  // which table
  bool reversed = false;                       // true: t = 0 gives the table's last colour

  // The colour at t in [0, 1] (clamped; NaN gives the t = 0 colour), opaque.
  Rgba sample(double t) const;
};

}  // namespace trajtool
