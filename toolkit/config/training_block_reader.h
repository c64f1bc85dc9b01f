#pragma once
// Reading the blocks of trained models (training_scene_blocks.h) from a scene file: the keys of
// each, checked, with file:line:key errors. scene_script_reader.cc hands every block kind it does
// not know itself to read_training_block.
#include <functional>
#include <set>
#include <string>

#include "toolkit/config/scene_fields.h"
#include "toolkit/config/scene_script.h"

namespace trajtool {

// Makes the checked fields of the block being read: its value (a map, or a scalar standing for
// `main_key`), allowed keys `known`.
using BlockFieldsFn =
    std::function<Fields(const char* main_key, const std::set<std::string>& known)>;

// The kinds read here, for "known:" lists: "dataset, training_curves, ...".
extern const char* const kTrainingBlockKinds;

// If `kind` is one of kTrainingBlockKinds, reads it into `body` and returns true; else false.
bool read_training_block(const std::string& kind, const BlockFieldsFn& fields, BlockBody& body);

}  // namespace trajtool
