#pragma once
// Kernels people know, for the app's weights panel: identity, box blur, Gaussian, Sobel x/y,
// Laplacian, sharpen, emboss, and Keras' random glorot_uniform. A 2D pattern fills each
// output channel's kernel for "its" input channel (output f reads input f mod C), so an RGB
// image keeps its colours through an identity or a blur.
#include <string>
#include <vector>

#include "core/ndarray.h"
#include "layers/layer.h"

namespace convscope::gui {

const std::vector<std::string>& kernel_preset_names();

// The layer's weights for `input` with the preset applied to its first (kernel) array and
// zero biases; UserError when the layer has no 2D kernel or the pattern does not fit it.
std::vector<NdArray> kernel_preset(const Layer& layer, const Shape& input, const std::string& name, uint64_t seed);

}  // namespace convscope::gui
