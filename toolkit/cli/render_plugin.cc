// The exported entry of libtrajtool_render.so.
#include "toolkit/cli/render_plugin.h"

#include "toolkit/cli/command_line.h"
#include "toolkit/cli/commands.h"

extern "C" __attribute__((visibility("default"))) int trajtool_render_main(
    const std::vector<std::string>* args) {
  return trajtool::run_reporting_errors([args] { return trajtool::command_render(*args); });
}
