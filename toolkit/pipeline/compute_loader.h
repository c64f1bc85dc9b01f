#pragma once
// Loads the LibTorch compute library (libtrajtool_compute.so) on first use. Only `generate` and
// `build` (when something is missing) call this, so every other command starts without LibTorch.
#include "toolkit/core/compute_backend.h"

namespace trajtool {

// The backend, loaded once per process. Looks in $TRAJTOOL_COMPUTE_LIB, then next to the running
// executable. Throws RuntimeFailure with dlerror()'s text if it cannot be loaded.
const ComputeBackend& compute_backend();

// True once the library is loaded in this process (tests use it to prove a path stayed torch-free).
bool compute_backend_loaded();

}  // namespace trajtool
