#pragma once
// Running another program (here: trajtool itself, for `build`'s renders) and capturing what it
// prints.
#include <sys/types.h>

#include <functional>
#include <string>
#include <vector>

namespace trajtool {

// How a child process ended.
struct ChildResult {
  int exit_code = -1;  // its exit status, or -1 when a signal ended it
  int signal = 0;      // the signal that ended it, 0 when it exited
  std::string output;  // its stdout and stderr, interleaved as written
};

// Runs `argv` (argv[0] is the program's path) in the caller's folder and environment, with the
// default handling of SIGINT, SIGTERM, SIGHUP, SIGQUIT and SIGPIPE whatever the caller set;
// `on_start` is called with its pid as soon as it runs (to pass signals on to it). Returns when it
// has ended. Throws RuntimeFailure if it cannot start.
ChildResult run_child(const std::vector<std::string>& argv,
                      const std::function<void(pid_t)>& on_start);

}  // namespace trajtool
