#pragma once
// IEEE 754 binary16 <-> float conversion for tensors kept as 16-bit floats on the device:
// round to nearest even, with infinities, NaN and subnormals kept, as Vulkan's shaders do.
#include <cstdint>
#include <span>
#include <vector>

namespace convscope {

std::vector<uint16_t> to_half(std::span<const float> values);
std::vector<float> from_half(std::span<const uint16_t> values);

}  // namespace convscope
