#pragma once
// ConvCore's dot product for one output value (layers/dot_product.h), for the conv layers'
// Layer::dot_product.
#include <optional>

#include "layers/conv/conv_core.h"
#include "layers/dot_product.h"

namespace convscope {

// Output (channel, z, y, x) of a non-transposed convolution; `read(c, z, y, x)` gives input
// values (batch 0). nullopt for a transposed convolution.
std::optional<DotProduct> dot_product(const ConvCore& core, const ConvWeights& weights, const Shape& input,
                                      const InputReader& read, int64_t channel, int64_t z, int64_t y, int64_t x);

}  // namespace convscope
