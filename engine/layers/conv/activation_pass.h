#pragma once
// A convolution's activation as a pass of its own over its output (shaders/activate.comp):
// the convolution shaders write pre-activations, since lavapipe would run every case of the
// activation switch for each output they compute.
#include <cstdint>
#include <string>

#include "layers/conv/activation.h"
#include "vk/sequence.h"

namespace convscope {

// Records nothing for Activation::Linear.
void record_activation(vk::Sequence& seq, const vk::Buffer& data, int64_t elements, Activation activation,
                       const std::string& label);

}  // namespace convscope
