#pragma once
// The depthwise convolution kernel (shaders/conv_depthwise.comp): one input channel per
// group, any depth multiplier, not transposed. ConvCore::record picks it where it applies.
#include <string>

#include "conv_params.h"
#include "layers/conv/conv_core.h"
#include "vk/sequence.h"

namespace convscope {

bool depthwise_applies(const ConvConfig& config, const Shape& input);

// `pc` carries sizes, geometry, offsets and channel counts; the tiling fields are filled here.
void record_depthwise(vk::Sequence& seq, const vk::Buffer& input, const vk::Buffer& output, const ConvWeights& weights,
                      gpu::ConvParams pc, const Shape& out, const ActivationSpec& activation, const std::string& label);

}  // namespace convscope
