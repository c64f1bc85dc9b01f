#include "toolkit/compute_loader.h"

#include <dlfcn.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <mutex>
#include <string>

#include "toolkit/error.h"

namespace trajtool {
namespace {

const ComputeBackend* g_backend = nullptr;
std::once_flag g_once;

std::string executable_dir() {
  char buffer[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buffer, sizeof buffer - 1);
  if (n <= 0) return ".";
  std::string path(buffer, static_cast<std::size_t>(n));
  return path.substr(0, path.rfind('/'));
}

void load() {
  const char* override_path = std::getenv("TRAJTOOL_COMPUTE_LIB");
  std::string path = override_path ? override_path : executable_dir() + "/libtrajtool_compute.so";
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* why = dlerror();
    throw RuntimeFailure("cannot load the compute library " + path + ": " + (why ? why : "?"));
  }
  using Entry = const ComputeBackend* (*)();
  auto entry = reinterpret_cast<Entry>(dlsym(handle, "trajtool_compute_backend"));
  if (!entry) throw RuntimeFailure(path + ": no trajtool_compute_backend symbol");
  g_backend = entry();
}

}  // namespace

const ComputeBackend& compute_backend() {
  std::call_once(g_once, load);
  return *g_backend;
}

bool compute_backend_loaded() { return g_backend != nullptr; }

}  // namespace trajtool
