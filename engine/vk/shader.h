#pragma once
// A compute shader as embedded in the binary: its name (the .comp file's stem) and SPIR-V.
#include <cstdint>
#include <span>
#include <string_view>

namespace convscope::vk {

struct ShaderCode {
  std::string_view name;
  std::span<const uint32_t> spirv;
};

}  // namespace convscope::vk
