#pragma once
// Just enough SPIR-V reflection to derive a compute pipeline's interface from its code:
// the storage buffers it binds and the size of its push-constant block. The pipeline is
// built from these, and dispatches check their C++ push struct against the size, so the
// GLSL block and the C++ struct can never silently disagree.
#include <cstdint>
#include <span>
#include <string_view>

namespace convscope::vk {

struct ShaderInterface {
  uint32_t storage_buffers = 0;  // bindings 0..n-1 of set 0
  uint32_t push_constant_bytes = 0;
};

ShaderInterface reflect(std::span<const uint32_t> spirv, std::string_view shader_name);

}  // namespace convscope::vk
