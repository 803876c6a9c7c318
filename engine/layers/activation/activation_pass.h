#pragma once
// The GPU side of activation.h: an activation recorded as a pass over a tensor in a storage
// buffer, from one buffer to another or in place. Elementwise functions go through
// shaders/activate.comp, the function a specialization constant (one small pipeline each);
// softmax and log_softmax through shaders/softmax.comp.
//
// A layer with a fused activation (a convolution, Dense) writes its pre-activations and then
//   record_activation(seq, output.buffer, output.shape, spec, label());
// where output.shape.format tells which Keras axis a softmax reads.
#include <cstdint>
#include <string>

#include "core/tensor.h"
#include "layers/activation/activation.h"
#include "vk/buffer.h"
#include "vk/sequence.h"
#include "vk/spec_constants.h"

namespace convscope {

// output = activation(input) for a tensor of `shape` (input and output may be one buffer).
// UserError for a tensor too large for one dispatch or a softmax axis the shape lacks.
void record_activation(vk::Sequence& seq, const vk::Buffer& input, const vk::Buffer& output, const Shape& shape,
                       const ActivationSpec& spec, const std::string& label);

// The specialization constants of shaders/activation_stage.glsl for `spec`: what a shader
// that applies the activation as it writes its output (the convolutions) takes. False, with
// nothing set, for softmax and log_softmax: they read a whole axis, so they stay a pass.
bool set_stage_activation(vk::SpecConstants& constants, const ActivationSpec& spec);

// In place. Records nothing for linear.
void record_activation(vk::Sequence& seq, const vk::Buffer& data, const Shape& shape, const ActivationSpec& spec,
                       const std::string& label);

// In place on `elements` values, for elementwise specs only (softmax needs the shape: Error
// "internal" for it).
void record_activation(vk::Sequence& seq, const vk::Buffer& data, int64_t elements, const ActivationSpec& spec,
                       const std::string& label);

}  // namespace convscope
