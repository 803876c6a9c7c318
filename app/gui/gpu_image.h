#pragma once
// A 2D RGBA8 image in device memory with its view: the feature-map textures and the
// off-screen target of screenshots.
#include "vk/context.h"
#include "vk/handle.h"

namespace convscope::gui {

class GpuImage {
 public:
  GpuImage(const vk::Context& ctx, uint32_t width, uint32_t height, VkFormat format, VkImageUsageFlags usage);
  VkImage image() const { return image_.get(); }
  VkImageView view() const { return view_.get(); }
  uint32_t width() const { return width_; }
  uint32_t height() const { return height_; }

 private:
  uint32_t width_, height_;
  vk::UniqueImage image_;
  vk::UniqueMemory memory_;
  vk::UniqueImageView view_;
};

// Records a layout transition of a whole colour image, with the given access scopes.
void transition(VkCommandBuffer cmd, VkImage image, VkImageLayout from, VkImageLayout to, VkAccessFlags src_access,
                VkAccessFlags dst_access, VkPipelineStageFlags src_stage, VkPipelineStageFlags dst_stage);

}  // namespace convscope::gui
