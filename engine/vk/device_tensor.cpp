#include "vk/device_tensor.h"

#include <fmt/format.h>

#include "core/error.h"
#include "core/half.h"
#include "vk/check.h"

namespace convscope {

namespace {

uint64_t bytes_of(const vk::Context& ctx, const Shape& shape) {
  return static_cast<uint64_t>(shape.size()) * (ctx.options().fp16_storage ? 2 : 4);
}

void check_buffer_fits(const vk::Context& ctx, const Shape& shape, std::string_view who) {
  const uint64_t bytes = bytes_of(ctx, shape), limit = ctx.info().max_storage_buffer_range;
  if (bytes > limit)
    throw UserError(fmt::format("{}: a tensor of shape {} needs {:.1f} MiB, more than the {:.1f} MiB one storage "
                                "buffer may hold on {}",
                                who, shape_string(shape.keras(DataFormat::ChannelsLast)), bytes / 1048576.0,
                                limit / 1048576.0, ctx.info().name));
}

}  // namespace

DeviceTensor allocate(const vk::Context& ctx, const Shape& shape, std::string_view who) {
  check_buffer_fits(ctx, shape, who);
  return vk::naming_failures(who, [&] {
    return DeviceTensor{shape, vk::Buffer(ctx, bytes_of(ctx, shape), vk::MemoryUse::Device), ctx.options().fp16_storage};
  });
}

void check_fits_device(const vk::Context& ctx, const std::vector<PlannedTensor>& tensors) {
  uint64_t total = 0;
  const PlannedTensor* largest = nullptr;
  for (const PlannedTensor& t : tensors) {
    check_buffer_fits(ctx, t.shape, t.who);
    total += bytes_of(ctx, t.shape);
    if (!largest || bytes_of(ctx, t.shape) > bytes_of(ctx, largest->shape)) largest = &t;
  }
  const uint64_t memory = ctx.info().device_local_memory;
  if (memory > 0 && total > memory)
    throw UserError(fmt::format("the {} tensors of this run need {:.1f} MiB in all (largest: {}, {:.1f} MiB), "
                                "more than the {:.1f} MiB of device memory on {}",
                                tensors.size(), total / 1048576.0, largest->who, bytes_of(ctx, largest->shape) / 1048576.0,
                                memory / 1048576.0, ctx.info().name));
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

float read_value(const vk::Context& ctx, const DeviceTensor& t, size_t index) {
  if (index >= t.shape.size())
    throw Error(fmt::format("internal: reading element {} of a tensor of {}", index, t.shape.size()));
  if (!t.fp16) return vk::read_value(ctx, t.buffer, index);
  return to_host(ctx, t).data[index];  // 16-bit tensors are rare here: read them whole
}

}  // namespace convscope
