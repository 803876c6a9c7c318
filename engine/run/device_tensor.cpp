#include "run/device_tensor.h"

#include <fmt/format.h>

#include "core/error.h"

namespace convscope {

DeviceTensor allocate(const vk::Context& ctx, const Shape& shape, std::string_view who) {
  const uint64_t bytes = static_cast<uint64_t>(shape.size()) * sizeof(float);
  const uint64_t limit = ctx.info().max_storage_buffer_range;
  if (bytes > limit)
    throw UserError(fmt::format("{}: a tensor of shape {} needs {:.1f} MiB, more than the {:.1f} MiB one storage "
                                "buffer may hold on {}",
                                who, shape_string(shape.keras(DataFormat::ChannelsLast)), bytes / 1048576.0,
                                limit / 1048576.0, ctx.info().name));
  return {shape, vk::Buffer(ctx, bytes, vk::MemoryUse::Device)};
}

DeviceTensor to_device(const vk::Context& ctx, const Tensor& t, std::string_view who) {
  DeviceTensor d = allocate(ctx, t.shape, who);
  vk::upload(ctx, d.buffer, t.data);
  return d;
}

Tensor to_host(const vk::Context& ctx, const DeviceTensor& t) {
  Tensor h;
  h.shape = t.shape;
  h.data = vk::download(ctx, t.buffer, t.shape.size());
  return h;
}

}  // namespace convscope
