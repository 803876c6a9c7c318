#pragma once
// Fusing for inference: a convolution followed by BatchNormalization over its channels (and
// then, optionally, an activation layer) becomes one convolution whose kernel and bias hold
// the normalisation (w' = w * s, b' = (b - mean) * s + beta, s = gamma / sqrt(var + eps), in
// double) and whose own activation is the activation layer's: one pass over the output
// instead of three, where the graph allows it. eval and bench use it; the app and `run`
// show every node, so they do not.
#include <string>
#include <vector>

#include "model/model.h"

namespace convscope {

struct Fused {
  Model model;
  // One line per fusion: "conv2d + batch_normalization + activation".
  std::vector<std::string> fusions;
};

// `model` with its weights set for `input`. A chain conv -> BN [-> activation] is fused when
// the conv's activation is linear, each node's output is read only by the next and is not a
// model output, no layer of it is shared, the BN normalises the conv's channel axis alone
// (renorm off), and the activation is one a convolution's `activation` argument states
// exactly. Everything else is kept as it is.
Fused fuse_for_inference(const Model& model, const Shape& input);

}  // namespace convscope
