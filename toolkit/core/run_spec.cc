#include "toolkit/core/run_spec.h"

namespace trajtool {

const char* dtype_name(DType dtype) { return dtype == DType::kFloat64 ? "float64" : "float32"; }

const char* loss_kind_name(LossKind loss) {
  switch (loss) {
    case LossKind::kMse:
      return "mse";
    case LossKind::kBceWithLogits:
      return "bce_with_logits";
    case LossKind::kCrossEntropy:
      return "cross_entropy";
  }
  return "?";
}

}  // namespace trajtool

namespace trajtool {

const char* weights_at_name(WeightsAt at) { return at == WeightsAt::kInit ? "init" : "final"; }

const char* direction_kind_name(DirectionKind kind) {
  return kind == DirectionKind::kPca ? "pca" : "random";
}

const char* walk_source_name(WalkSource source) {
  return source == WalkSource::kImages ? "images" : "path";
}

}  // namespace trajtool
