#pragma once
// A canonical tensor living in a device storage buffer.
#include <string_view>

#include "core/tensor.h"
#include "vk/buffer.h"

namespace convscope {

struct DeviceTensor {
  Shape shape;
  vk::Buffer buffer;
};

// Allocates room for `shape`, refusing (UserError naming `who`) a tensor larger than one
// storage buffer may be on this device, before anything is allocated.
DeviceTensor allocate(const vk::Context& ctx, const Shape& shape, std::string_view who);
DeviceTensor to_device(const vk::Context& ctx, const Tensor& t, std::string_view who);
Tensor to_host(const vk::Context& ctx, const DeviceTensor& t);

}  // namespace convscope
