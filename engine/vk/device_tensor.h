#pragma once
// A canonical tensor living in a device storage buffer.
#include <string>
#include <string_view>
#include <vector>

#include "core/tensor.h"
#include "vk/buffer.h"

namespace convscope {

struct DeviceTensor {
  Shape shape;
  vk::Buffer buffer;
  bool fp16 = false;  // 16-bit floats on the device (ContextOptions::fp16_storage), else 32-bit

  size_t element_bytes() const { return fp16 ? 2 : 4; }
};

// Allocates room for `shape`, 16-bit when the context keeps tensors so, refusing (UserError
// naming `who`) a tensor larger than one storage buffer may be on this device, before
// anything is allocated. to_device and to_host convert to and from 16 bits on the host.
DeviceTensor allocate(const vk::Context& ctx, const Shape& shape, std::string_view who);
// The variant of a shader that reads and writes tensors as this context keeps them: `fp16`
// (its _fp16 build) under ContextOptions::fp16_storage, else `fp32`.
const vk::ShaderCode& tensor_shader(const vk::Context& ctx, const vk::ShaderCode& fp32, const vk::ShaderCode& fp16);
// UserError unless tensors are 32-bit: for layers whose shaders only read float32.
void require_fp32_tensors(const vk::Context& ctx, std::string_view who);
DeviceTensor to_device(const vk::Context& ctx, const Tensor& t, std::string_view who);

struct PlannedTensor {
  Shape shape;
  std::string who;  // the layer (or "input") it belongs to, for the message
};
// Refuses (UserError, sizes stated) a set of tensors to be allocated together when one is
// larger than a storage buffer may be, or all of them more than the device's memory: checked
// before anything is allocated, so nothing is half done.
void check_fits_device(const vk::Context& ctx, const std::vector<PlannedTensor>& tensors);
Tensor to_host(const vk::Context& ctx, const DeviceTensor& t);
// One value at canonical flat `index`, without copying the whole tensor (a hover read-out).
float read_value(const vk::Context& ctx, const DeviceTensor& t, size_t index);

}  // namespace convscope
