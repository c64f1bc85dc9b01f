#include "toolkit/plugin_loader.h"

#include <dlfcn.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>

#include "toolkit/error.h"

namespace trajtool {
namespace {

std::string executable_dir() {
  char buffer[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buffer, sizeof buffer - 1);
  if (n <= 0) return ".";
  std::string path(buffer, static_cast<std::size_t>(n));
  return path.substr(0, path.rfind('/'));
}

}  // namespace

void* load_plugin_symbol(const std::string& file_name, const char* env_var, const char* symbol) {
  const char* override_path = std::getenv(env_var);
  std::string path = override_path ? override_path : executable_dir() + "/" + file_name;
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* why = dlerror();
    throw RuntimeFailure("cannot load " + path + ": " + (why ? why : "unknown dlopen error"));
  }
  void* address = dlsym(handle, symbol);
  if (!address) throw RuntimeFailure(path + ": no symbol " + symbol);
  return address;
}

}  // namespace trajtool
