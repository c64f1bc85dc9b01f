#include "toolkit/pipeline/plugin_loader.h"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>

#include "toolkit/core/error.h"

namespace trajtool {
namespace {

std::string executable_dir() {
  try {
    return std::filesystem::path(current_executable()).parent_path().string();
  } catch (const RuntimeFailure&) {
    return ".";
  }
}

}  // namespace

std::string current_executable() {
  std::error_code error;
  const std::filesystem::path path = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) throw RuntimeFailure("cannot find the running executable: " + error.message());
  return path.string();
}

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
