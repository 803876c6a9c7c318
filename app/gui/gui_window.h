#pragma once
// The desktop app's window: GLFW, a Vulkan context that presents to it (the same engine
// context the compute work uses), the swapchain, and Dear ImGui on top. Owns all of it.
#include <filesystem>
#include <functional>
#include <memory>
#include <vector>

#include "vk/context.h"

struct GLFWwindow;
struct ImGui_ImplVulkanH_Window;

namespace convscope::gui {

class GuiWindow {
 public:
  GuiWindow(int width, int height, vk::ContextOptions options);
  ~GuiWindow();
  GuiWindow(const GuiWindow&) = delete;
  GuiWindow& operator=(const GuiWindow&) = delete;

  vk::Context& context() { return *ctx_; }
  // After the device was lost: closes everything made on it (context, swapchain, ImGui's
  // Vulkan objects) and opens the device again for the same window. What others made on the
  // old device must be gone before this is called.
  void reopen_device();
  GLFWwindow* glfw() const { return window_; }
  VkRenderPass render_pass() const;
  bool should_close() const;

  // One frame: events, ImGui's new frame, `build` (the UI), then render and present. With a
  // `capture` path the same frame is also rendered off screen and written as a PNG.
  void frame(const std::function<void()>& build, const std::filesystem::path& capture = {});

  // Files dropped on the window since the last call.
  std::vector<std::filesystem::path> take_dropped();

  // The command buffer being recorded while ImGui's draw data is rendered: draw callbacks
  // (the feature-map quads) record into it.
  static VkCommandBuffer recording();

 private:
  // The Vulkan half of the window, opened and closed as one (again after a device loss).
  void open_device();
  void close_device();
  void rebuild_swapchain();
  void render(VkCommandBuffer cmd, VkFramebuffer framebuffer, int width, int height);
  void capture_png(const std::filesystem::path& path);

  GLFWwindow* window_ = nullptr;
  vk::ContextOptions options_;
  std::unique_ptr<vk::Context> ctx_;
  std::unique_ptr<ImGui_ImplVulkanH_Window> wd_;
  VkDescriptorPool imgui_pool_ = VK_NULL_HANDLE;
  bool swapchain_stale_ = false;
  bool imgui_vulkan_ = false;  // ImGui's Vulkan backend is initialised on ctx_
  uint32_t min_images_ = 2;
};

}  // namespace convscope::gui
