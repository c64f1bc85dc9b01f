#include "toolkit/pipeline/compute_loader.h"

#include <mutex>

#include "toolkit/pipeline/plugin_loader.h"

namespace trajtool {
namespace {

const ComputeBackend* g_backend = nullptr;
std::once_flag g_once;

}  // namespace

const ComputeBackend& compute_backend() {
  std::call_once(g_once, [] {
    using Entry = const ComputeBackend* (*)();
    auto entry = reinterpret_cast<Entry>(load_plugin_symbol(
        "libtrajtool_compute.so", "TRAJTOOL_COMPUTE_LIB", "trajtool_compute_backend"));
    g_backend = entry();
  });
  return *g_backend;
}

bool compute_backend_loaded() { return g_backend != nullptr; }

}  // namespace trajtool
