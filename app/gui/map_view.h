#pragma once
// Feature maps on screen without a trip through the CPU: each layer's mosaic is written by a
// compute shader into a buffer, copied into a texture, and drawn by a small pipeline of ours
// inside ImGui's frame (ImGui 1.86's Vulkan backend cannot bind other textures itself).
#include <imgui.h>

#include <deque>
#include <memory>

#include "app/gui/gpu_image.h"
#include "vk/handle.h"
#include "vk/sequence.h"

namespace convscope::gui {

class MapRenderer;

// One mosaic texture and its descriptor set.
class MapTexture {
 public:
  MapTexture(MapRenderer& renderer, uint32_t width, uint32_t height);
  ~MapTexture();
  MapTexture(const MapTexture&) = delete;
  MapTexture& operator=(const MapTexture&) = delete;

  uint32_t width() const { return image_.width(); }
  uint32_t height() const { return image_.height(); }
  VkDescriptorSet set() const { return set_; }
  // Records the copy of RGBA8 pixels (one uint32 each, row-major) from `pixels` into the texture.
  void record_upload(VkCommandBuffer cmd, VkBuffer pixels);

 private:
  MapRenderer& renderer_;
  GpuImage image_;
  VkDescriptorSet set_ = VK_NULL_HANDLE;
  bool initialised_ = false;
};

class MapRenderer {
 public:
  MapRenderer(vk::Context& ctx, VkRenderPass render_pass);
  ~MapRenderer();
  MapRenderer(const MapRenderer&) = delete;
  MapRenderer& operator=(const MapRenderer&) = delete;

  vk::Context& context() { return ctx_; }
  // Call once per frame before any draw(): forgets the previous frame's requests.
  void begin_frame() { requests_.clear(); }
  // Queues `texture` (its `uv` part) to be drawn into the screen rectangle [p0, p1] of the
  // current window's draw list.
  void draw(const MapTexture& texture, ImVec2 p0, ImVec2 p1, ImVec4 uv = {0, 0, 1, 1});

 private:
  friend class MapTexture;
  struct Request {
    MapRenderer* renderer;
    VkDescriptorSet set;
    ImVec2 p0, p1;
    ImVec4 uv;
  };
  static void on_draw(const ImDrawList* list, const ImDrawCmd* cmd);

  vk::Context& ctx_;
  vk::UniqueSampler sampler_;
  vk::UniqueDescriptorSetLayout set_layout_;
  vk::UniquePipelineLayout layout_;
  vk::UniquePipeline pipeline_;
  vk::UniqueDescriptorPool pool_;
  std::deque<Request> requests_;  // a deque: ImGui keeps pointers to these until it renders
};

}  // namespace convscope::gui
