#pragma once
// The `trajtool` subcommands. Each takes the arguments after its name, prints its results on
// stdout, and returns the process exit code: 0 success, 1 the work failed (e.g. a corrupt cache
// entry found by `verify`), 2 bad input (the message names the file, line and key).
#include <string>
#include <vector>

namespace trajtool {

int command_generate(const std::vector<std::string>& args);
int command_cache(const std::vector<std::string>& args);
int command_render(const std::vector<std::string>& args);
int command_build(const std::vector<std::string>& args);

}  // namespace trajtool
