#pragma once
// Reading the agent blocks (agent_scene_blocks.h) from a scene file, with file:line:key errors.
#include <string>

#include "toolkit/config/scene_script.h"
#include "toolkit/config/training_block_reader.h"

namespace trajtool {

// The kinds read here, for "known:" lists: "network_activity".
extern const char* const kAgentBlockKinds;

// If `kind` is one of kAgentBlockKinds, reads it into `body` and returns true; else false.
bool read_agent_block(const std::string& kind, const BlockFieldsFn& fields, BlockBody& body);

}  // namespace trajtool
