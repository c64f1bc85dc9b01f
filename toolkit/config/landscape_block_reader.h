#pragma once
// Reading the loss-landscape blocks (landscape_scene_blocks.h) from a scene file, with
// file:line:key errors. scene_script_reader.cc hands them over by kind.
#include <string>

#include "toolkit/config/scene_fields.h"
#include "toolkit/config/scene_script.h"
#include "toolkit/config/training_block_reader.h"

namespace trajtool {

// The kinds read here, for "known:" lists.
extern const char* const kLandscapeBlockKinds;

// If `kind` is one of kLandscapeBlockKinds, reads it into `body` and returns true; else false.
bool read_landscape_block(const std::string& kind, const BlockFieldsFn& fields, BlockBody& body);

}  // namespace trajtool
