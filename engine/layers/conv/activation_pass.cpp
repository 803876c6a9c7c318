#include "layers/conv/activation_pass.h"

#include "activate_params.h"
#include "embedded_shaders.h"
#include "vk/device_tensor.h"

namespace convscope {

static_assert(sizeof(gpu::ActivateParams) == shaders::activate_push_bytes, "activate_params.h and the SPIR-V disagree");

void record_activation(vk::Sequence& seq, const vk::Buffer& data, int64_t elements, Activation activation,
                       const std::string& label) {
  if (activation == Activation::Linear) return;
  gpu::ActivateParams p{};
  p.activation = static_cast<int32_t>(activation);
  p.elements = static_cast<uint32_t>(elements);
  const vk::ShaderCode& shader = tensor_shader(seq.context(), shaders::activate, shaders::activate_fp16);
  seq.dispatch_elements(seq.context().pipeline(shader, vk::workgroup_width(64)), {&data}, p,
                        static_cast<uint64_t>(elements), label);
}

}  // namespace convscope
