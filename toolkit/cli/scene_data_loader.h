#pragma once
// Loads the data a scene reads from the cache, computing nothing: a missing entry is an InputError
// naming the `trajtool generate` command that makes it.
#include <string>
#include <vector>

#include "cache/cache_store.h"
#include "viz/scene_data.h"

namespace trajtool {

SceneData load_scene_data(const std::vector<Experiment>& experiments, const CacheStore& store);

}  // namespace trajtool
