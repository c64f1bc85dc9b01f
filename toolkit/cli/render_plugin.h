#pragma once
// The render command lives in libtrajtool_render.so (see plugin_loader.h); this is its door.
#include <string>
#include <vector>

// Runs `trajtool render` with `args`; returns the exit code. Errors are printed by the plugin
// itself in the executable's format ("error: ..."), so no exception crosses the library boundary.
extern "C" int trajtool_render_main(const std::vector<std::string>* args);
