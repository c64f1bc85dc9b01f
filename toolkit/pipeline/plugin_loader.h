#pragma once
// Loading trajtool's own shared libraries on demand. The executable links only what every command
// needs; the heavy halves are plugins next to it: libtrajtool_compute.so (LibTorch, ~0.46 s to
// load) for computing, libtrajtool_render.so (Cairo, Pango and FFmpeg's ~100 libraries, ~80 ms)
// for drawing, libtrajtool_archive.so (libarchive with libxml2, ICU, ...) for `cache export` and
// `cache import`. A cache hit pays for none.
#include <string>

namespace trajtool {

// The address of `symbol` in `file_name`, loaded from $`env_var` if set, else from the folder of
// the running executable. Throws RuntimeFailure with dlerror()'s text when it cannot.
void* load_plugin_symbol(const std::string& file_name, const char* env_var, const char* symbol);

// The path of the running executable (/proc/self/exe); RuntimeFailure if it cannot be read.
std::string current_executable();

}  // namespace trajtool
