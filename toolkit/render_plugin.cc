// The exported entry of libtrajtool_render.so.
#include "toolkit/render_plugin.h"

#include <cstdio>
#include <exception>

#include "toolkit/commands.h"
#include "toolkit/error.h"

extern "C" __attribute__((visibility("default"))) int trajtool_render_main(
    const std::vector<std::string>* args) {
  try {
    return trajtool::command_render(*args);
  } catch (const trajtool::InputError& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}
