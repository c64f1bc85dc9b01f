#include "toolkit/core/run_spec.h"

namespace trajtool {

const char* dtype_name(DType dtype) { return dtype == DType::kFloat64 ? "float64" : "float32"; }

}  // namespace trajtool
