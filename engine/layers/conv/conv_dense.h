#pragma once
// The dense convolution kernel (shaders/conv_dense.comp): one group, on devices whose compute
// shaders can broadcast across a subgroup of at least 8 lanes. Geometry is baked into the
// pipeline or pushed; transposed convolutions without dilation run as one pass per stride
// phase, which needs it baked.
// ConvCore::record picks it where it applies.
#include <string>

#include "conv_params.h"
#include "layers/conv/conv_core.h"
#include "vk/context.h"
#include "vk/sequence.h"

namespace convscope {

bool dense_applies(const vk::Context& ctx, const ConvConfig& config);

// `pc` carries sizes, geometry, offsets and channel counts; the blocking fields are filled here.
void record_dense(vk::Sequence& seq, const vk::Buffer& input, const vk::Buffer& output, const ConvWeights& weights,
                  const gpu::ConvParams& pc, const Shape& out, bool transposed, const ActivationSpec& activation,
                  const std::string& label);

}  // namespace convscope
