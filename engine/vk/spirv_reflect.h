#pragma once
// Just enough SPIR-V reflection to derive a compute pipeline's interface from its code:
// the storage buffers it binds, its push-constant block and the specialization constants it
// declares. The pipeline is built from these, dispatches check their C++ push struct against
// the size, and embed_shaders checks every member's offset at compile time, so the GLSL block
// and the C++ struct can never silently disagree.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace convscope::vk {

struct PushMember {
  std::string name;  // empty where the SPIR-V carries no debug names
  uint32_t offset = 0;
};

struct ShaderInterface {
  uint32_t storage_buffers = 0;  // bindings 0..n-1 of set 0
  uint32_t push_constant_bytes = 0;
  // The block's type name (e.g. ConvParams) and its members in declaration order. Names exist
  // only in SPIR-V compiled with -g; embed_shaders reads them there, then strips them, so the
  // embedded code has offsets but no names.
  std::string push_block;
  std::vector<PushMember> push_members;
  std::vector<uint32_t> spec_ids;  // the SpecId decorations, ascending, each once
};

ShaderInterface reflect(std::span<const uint32_t> spirv, std::string_view shader_name);

}  // namespace convscope::vk
