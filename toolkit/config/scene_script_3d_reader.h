#pragma once
// Reads the 3D blocks of a scene file (toolkit/scene_script_3d.h) with the same checks as every
// block: strict keys, ranges, file:line:key errors.
#include <functional>
#include <set>
#include <string>

#include "toolkit/config/scene_fields.h"
#include "toolkit/config/scene_script.h"

namespace trajtool {

// The 3D block kinds, for the list of known kinds in messages.
constexpr const char* k3DBlockKinds =
    "camera, surface, axes_3d, trajectories_3d, path_3d, text_3d, gradient_surface, rotate, "
    "move_camera";

// The block's checked keys: `main_key` is what a scalar value stands for ("" = none).
using FieldsFor = std::function<Fields(const char* main_key, const std::set<std::string>& known)>;

// Reads a 3D block of `kind` into `body`; false when `kind` is not a 3D block.
bool read_3d_block(const std::string& kind, const FieldsFor& fields, BlockBody& body);

}  // namespace trajtool
