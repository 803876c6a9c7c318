#include "vk/buffer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "core/error.h"
#include "core/format.h"
#include "vk/check.h"
#include "vk/fault.h"

namespace convscope::vk {

Buffer::Buffer(const Context& ctx, VkDeviceSize bytes, MemoryUse use) : size_(std::max<VkDeviceSize>(bytes, 4)) {
  VkBufferCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
  info.size = size_;  // Vulkan forbids empty buffers
  info.usage = VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT;
  if (use == MemoryUse::Device) info.usage |= VK_BUFFER_USAGE_STORAGE_BUFFER_BIT;
  info.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
  VkBuffer buffer;
  check(vkCreateBuffer(ctx.device(), &info, nullptr, &buffer), fmt::format("creating a {}-byte buffer", size_));
  buffer_ = UniqueBuffer(ctx.device(), buffer);

  VkMemoryRequirements req;
  vkGetBufferMemoryRequirements(ctx.device(), buffer, &req);
  constexpr VkMemoryPropertyFlags host = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
  const uint32_t type = use == MemoryUse::Device
                            ? ctx.memory_type(req.memoryTypeBits, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT, host)
                            : ctx.memory_type(req.memoryTypeBits, host, VK_MEMORY_PROPERTY_HOST_CACHED_BIT);
  VkMemoryAllocateInfo alloc{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
  alloc.allocationSize = req.size;
  alloc.memoryTypeIndex = type;
  VkDeviceMemory memory;
  check(fault::allocation([&] { return vkAllocateMemory(ctx.device(), &alloc, nullptr, &memory); }),
        fmt::format("allocating {} of device memory", byte_size(req.size)));
  memory_ = UniqueMemory(ctx.device(), memory);
  check(vkBindBufferMemory(ctx.device(), buffer, memory, 0), "binding buffer memory");

  VkPhysicalDeviceMemoryProperties props;
  vkGetPhysicalDeviceMemoryProperties(ctx.physical_device(), &props);
  if ((props.memoryTypes[type].propertyFlags & host) == host)
    check(vkMapMemory(ctx.device(), memory, 0, VK_WHOLE_SIZE, 0, &mapped_), "mapping buffer memory");
}

namespace {

bool direct(const Context& ctx, const Buffer& b) { return b.mapped() && !ctx.options().force_staging; }

void check_fits(const Buffer& b, size_t bytes, const char* what) {
  if (bytes > b.size())
    throw Error(fmt::format("internal: {} of {} bytes does not fit a {}-byte buffer", what, bytes, b.size()));
}

// Makes transfer writes visible to every later command on the queue, whatever reads them.
void after_transfer(VkCommandBuffer cmd, VkAccessFlags dst_access, VkPipelineStageFlags dst_stage) {
  VkMemoryBarrier barrier{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
  barrier.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
  barrier.dstAccessMask = dst_access;
  vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, dst_stage, 0, 1, &barrier, 0, nullptr, 0, nullptr);
}

}  // namespace

void upload_bytes(const Context& ctx, Buffer& dst, std::span<const std::byte> bytes) {
  check_fits(dst, bytes.size(), "an upload");
  if (direct(ctx, dst)) {
    std::memcpy(dst.mapped(), bytes.data(), bytes.size());
    return;
  }
  Buffer staging(ctx, bytes.size(), MemoryUse::Staging);
  std::memcpy(staging.mapped(), bytes.data(), bytes.size());
  ctx.execute([&](VkCommandBuffer cmd) {
    VkBufferCopy region{0, 0, bytes.size()};
    vkCmdCopyBuffer(cmd, staging.get(), dst.get(), 1, &region);
    after_transfer(cmd, VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_READ_BIT,
                   VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT);
  });
}

void download_bytes(const Context& ctx, const Buffer& src, std::span<std::byte> bytes) {
  check_fits(src, bytes.size(), "a download");
  if (direct(ctx, src)) {
    std::memcpy(bytes.data(), src.mapped(), bytes.size());
    return;
  }
  Buffer staging(ctx, bytes.size(), MemoryUse::Staging);
  ctx.execute([&](VkCommandBuffer cmd) {
    VkBufferCopy region{0, 0, bytes.size()};
    vkCmdCopyBuffer(cmd, src.get(), staging.get(), 1, &region);
    after_transfer(cmd, VK_ACCESS_HOST_READ_BIT, VK_PIPELINE_STAGE_HOST_BIT);
  });
  std::memcpy(bytes.data(), staging.mapped(), bytes.size());
}

void upload(const Context& ctx, Buffer& dst, std::span<const float> values) {
  upload_bytes(ctx, dst, std::as_bytes(values));
}

std::vector<float> download(const Context& ctx, const Buffer& src, size_t count) {
  std::vector<float> values(count);
  download_bytes(ctx, src, std::as_writable_bytes(std::span(values)));
  return values;
}

float read_value(const Context& ctx, const Buffer& src, size_t index) {
  check_fits(src, (index + 1) * sizeof(float), "a read");
  if (direct(ctx, src)) return static_cast<const float*>(src.mapped())[index];
  Buffer staging(ctx, sizeof(float), MemoryUse::Staging);
  ctx.execute([&](VkCommandBuffer cmd) {
    VkBufferCopy region{index * sizeof(float), 0, sizeof(float)};
    vkCmdCopyBuffer(cmd, src.get(), staging.get(), 1, &region);
    after_transfer(cmd, VK_ACCESS_HOST_READ_BIT, VK_PIPELINE_STAGE_HOST_BIT);
  });
  return *static_cast<const float*>(staging.mapped());
}

}  // namespace convscope::vk
