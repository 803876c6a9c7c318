#pragma once
// Storage buffers and the moves of float data between them and the host. Where device
// memory is also host-visible (lavapipe, integrated GPUs, resizable BAR) data is copied
// straight in and out; otherwise it travels through a staging buffer.
#include <cstddef>
#include <span>
#include <vector>

#include "vk/context.h"

namespace convscope::vk {

enum class MemoryUse {
  Device,   // storage buffer the shaders read and write
  Staging,  // host-visible transfer buffer
};

class Buffer {
 public:
  Buffer(const Context& ctx, VkDeviceSize bytes, MemoryUse use);
  Buffer(Buffer&&) noexcept = default;
  Buffer& operator=(Buffer&&) noexcept = default;

  VkBuffer get() const { return buffer_.get(); }
  VkDeviceSize size() const { return size_; }
  // Persistently mapped host pointer, or null when the memory is not host-visible.
  void* mapped() const { return mapped_; }

 private:
  VkDeviceSize size_ = 0;
  UniqueBuffer buffer_;
  UniqueMemory memory_;  // freeing memory unmaps it
  void* mapped_ = nullptr;
};

void upload(const Context& ctx, Buffer& dst, std::span<const float> values);
std::vector<float> download(const Context& ctx, const Buffer& src, size_t count);
// The same for raw bytes (16-bit tensors, say), from the start of the buffer.
void upload_bytes(const Context& ctx, Buffer& dst, std::span<const std::byte> bytes);
void download_bytes(const Context& ctx, const Buffer& src, std::span<std::byte> bytes);
// One float at `index`: what a hover read-out needs, without copying the whole buffer.
float read_value(const Context& ctx, const Buffer& src, size_t index);

}  // namespace convscope::vk
