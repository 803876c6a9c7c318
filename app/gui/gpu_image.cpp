#include "app/gui/gpu_image.h"

#include "vk/check.h"
#include "vk/fault.h"

namespace convscope::gui {

GpuImage::GpuImage(const vk::Context& ctx, uint32_t width, uint32_t height, VkFormat format, VkImageUsageFlags usage)
    : width_(width), height_(height) {
  VkImageCreateInfo info{VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO};
  info.imageType = VK_IMAGE_TYPE_2D;
  info.format = format;
  info.extent = {width, height, 1};
  info.mipLevels = 1;
  info.arrayLayers = 1;
  info.samples = VK_SAMPLE_COUNT_1_BIT;
  info.tiling = VK_IMAGE_TILING_OPTIMAL;
  info.usage = usage;
  info.initialLayout = VK_IMAGE_LAYOUT_UNDEFINED;
  VkImage image;
  vk::check(vkCreateImage(ctx.device(), &info, nullptr, &image), "creating an image");
  image_ = vk::UniqueImage(ctx.device(), image);

  VkMemoryRequirements req;
  vkGetImageMemoryRequirements(ctx.device(), image, &req);
  VkMemoryAllocateInfo alloc{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
  alloc.allocationSize = req.size;
  alloc.memoryTypeIndex = ctx.memory_type(req.memoryTypeBits, 0, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT);
  VkDeviceMemory memory;
  vk::check(vk::fault::allocation([&] { return vkAllocateMemory(ctx.device(), &alloc, nullptr, &memory); }),
            "allocating image memory");
  memory_ = vk::UniqueMemory(ctx.device(), memory);
  vk::check(vkBindImageMemory(ctx.device(), image, memory, 0), "binding image memory");

  VkImageViewCreateInfo view_info{VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO};
  view_info.image = image;
  view_info.viewType = VK_IMAGE_VIEW_TYPE_2D;
  view_info.format = format;
  view_info.subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1};
  VkImageView view;
  vk::check(vkCreateImageView(ctx.device(), &view_info, nullptr, &view), "creating an image view");
  view_ = vk::UniqueImageView(ctx.device(), view);
}

void transition(VkCommandBuffer cmd, VkImage image, VkImageLayout from, VkImageLayout to, VkAccessFlags src_access,
                VkAccessFlags dst_access, VkPipelineStageFlags src_stage, VkPipelineStageFlags dst_stage) {
  VkImageMemoryBarrier b{VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER};
  b.srcAccessMask = src_access;
  b.dstAccessMask = dst_access;
  b.oldLayout = from;
  b.newLayout = to;
  b.srcQueueFamilyIndex = b.dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
  b.image = image;
  b.subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1};
  vkCmdPipelineBarrier(cmd, src_stage, dst_stage, 0, 0, nullptr, 0, nullptr, 1, &b);
}

}  // namespace convscope::gui
