#include "run/device_tensor.h"

#include <fmt/format.h>

#include "core/error.h"
#include "core/half.h"

namespace convscope {

DeviceTensor allocate(const vk::Context& ctx, const Shape& shape, std::string_view who) {
  const bool fp16 = ctx.options().fp16_storage;
  const uint64_t bytes = static_cast<uint64_t>(shape.size()) * (fp16 ? 2 : 4);
  const uint64_t limit = ctx.info().max_storage_buffer_range;
  if (bytes > limit)
    throw UserError(fmt::format("{}: a tensor of shape {} needs {:.1f} MiB, more than the {:.1f} MiB one storage "
                                "buffer may hold on {}",
                                who, shape_string(shape.keras(DataFormat::ChannelsLast)), bytes / 1048576.0,
                                limit / 1048576.0, ctx.info().name));
  return {shape, vk::Buffer(ctx, bytes, vk::MemoryUse::Device), fp16};
}

const vk::ShaderCode& tensor_shader(const vk::Context& ctx, const vk::ShaderCode& fp32, const vk::ShaderCode& fp16) {
  return ctx.options().fp16_storage ? fp16 : fp32;
}

void require_fp32_tensors(const vk::Context& ctx, std::string_view who) {
  if (ctx.options().fp16_storage)
    throw UserError(fmt::format("{}: runs on float32 tensors only; run without --fp16", who));
}

DeviceTensor to_device(const vk::Context& ctx, const Tensor& t, std::string_view who) {
  DeviceTensor d = allocate(ctx, t.shape, who);
  if (!d.fp16) {
    vk::upload(ctx, d.buffer, t.data);
    return d;
  }
  const std::vector<uint16_t> half = to_half(t.data);
  vk::upload_bytes(ctx, d.buffer, std::as_bytes(std::span(half)));
  return d;
}

Tensor to_host(const vk::Context& ctx, const DeviceTensor& t) {
  Tensor h;
  h.shape = t.shape;
  if (!t.fp16) {
    h.data = vk::download(ctx, t.buffer, t.shape.size());
    return h;
  }
  std::vector<uint16_t> half(t.shape.size());
  vk::download_bytes(ctx, t.buffer, std::as_writable_bytes(std::span(half)));
  h.data = from_half(half);
  return h;
}

}  // namespace convscope
