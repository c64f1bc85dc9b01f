#pragma once
// Errors that cross a boundary (config file, cache file, CLI) carry a message for a person.
#include <stdexcept>
#include <string>

namespace trajtool {

// A bad input: a config, scene or cache file, or a command-line argument. The message names the
// file, the line and the key where they are known ("experiments/a.yaml:7: runs[1].lr: must be >
// 0").
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A failure of the machine or a library (disk full, HDF5 or FFmpeg error) while doing valid work.
class RuntimeFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace trajtool
