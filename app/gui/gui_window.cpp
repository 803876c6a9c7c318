#include "app/gui/gui_window.h"

#define GLFW_INCLUDE_VULKAN
#include <GLFW/glfw3.h>
#include <fmt/format.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_vulkan.h>
#include <imgui_internal.h>  // ErrorCheckEndFrameRecover

#include <cstring>

#include "app/gui/gpu_image.h"
#include "core/error.h"
#include "io/image.h"
#include "vk/buffer.h"
#include "vk/check.h"
#include "vk/fault.h"

namespace convscope::gui {

namespace {

VkCommandBuffer g_recording = VK_NULL_HANDLE;
std::vector<std::filesystem::path> g_dropped;  // GLFW's drop callback has no user pointer of ours

void on_drop(GLFWwindow*, int count, const char** paths) {
  for (int i = 0; i < count; ++i) g_dropped.emplace_back(paths[i]);
}

void check_imgui(VkResult r) { vk::check(r, "Dear ImGui's Vulkan backend"); }

}  // namespace

VkCommandBuffer GuiWindow::recording() { return g_recording; }

GuiWindow::GuiWindow(int width, int height, vk::ContextOptions options)
    : options_(std::move(options)), wd_(std::make_unique<ImGui_ImplVulkanH_Window>()) {
  if (!glfwInit())
    throw Error("gui: cannot open a window: no display (run from a desktop session, or under Xvfb: xvfb-run -a convscope gui)");
  glfwWindowHint(GLFW_CLIENT_API, GLFW_NO_API);
  window_ = glfwCreateWindow(width, height, "convscope", nullptr, nullptr);
  if (!window_ || !glfwVulkanSupported()) {
    if (window_) glfwDestroyWindow(window_);
    glfwTerminate();
    throw Error("gui: cannot create a Vulkan window (is a Vulkan driver installed? mesa-vulkan-drivers gives lavapipe)");
  }
  uint32_t count = 0;
  const char** names = glfwGetRequiredInstanceExtensions(&count);
  for (uint32_t i = 0; i < count; ++i) options_.instance_extensions.emplace_back(names[i]);
  options_.device_extensions.emplace_back(VK_KHR_SWAPCHAIN_EXTENSION_NAME);
  GLFWwindow* w = window_;
  options_.make_surface = [w](VkInstance instance) {
    VkSurfaceKHR surface;
    vk::check(glfwCreateWindowSurface(instance, w, nullptr, &surface), "creating the window surface");
    return surface;
  };
  // Interactive edits change geometry every frame: pass it as push constants, not baked in.
  options_.specialize_geometry = false;

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;  // no imgui.ini left in the user's working directory
  ImGui::StyleColorsDark();
  ImGui_ImplGlfw_InitForVulkan(window_, true);
  glfwSetDropCallback(window_, on_drop);
  try {
    open_device();
  } catch (...) {
    close_device();  // what was opened before the failure, before the window it was made for
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window_);
    glfwTerminate();
    throw;
  }
}

void GuiWindow::open_device() {
  ctx_ = std::make_unique<vk::Context>(options_);
  *wd_ = ImGui_ImplVulkanH_Window();
  wd_->Surface = ctx_->surface();
  const VkFormat formats[] = {VK_FORMAT_B8G8R8A8_UNORM, VK_FORMAT_R8G8B8A8_UNORM};
  wd_->SurfaceFormat = ImGui_ImplVulkanH_SelectSurfaceFormat(ctx_->physical_device(), wd_->Surface, formats, 2,
                                                             VK_COLORSPACE_SRGB_NONLINEAR_KHR);
  const VkPresentModeKHR modes[] = {VK_PRESENT_MODE_FIFO_KHR};
  wd_->PresentMode = ImGui_ImplVulkanH_SelectPresentMode(ctx_->physical_device(), wd_->Surface, modes, 1);
  wd_->ClearEnable = true;
  wd_->ClearValue.color = {{0.09f, 0.09f, 0.10f, 1.0f}};
  int fb_w, fb_h;
  glfwGetFramebufferSize(window_, &fb_w, &fb_h);
  ImGui_ImplVulkanH_CreateOrResizeWindow(ctx_->instance(), ctx_->physical_device(), ctx_->device(), wd_.get(),
                                         ctx_->queue_family(), nullptr, fb_w, fb_h, min_images_);
  swapchain_stale_ = false;

  VkDescriptorPoolSize size{VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, 4};
  VkDescriptorPoolCreateInfo pool_info{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
  pool_info.flags = VK_DESCRIPTOR_POOL_CREATE_FREE_DESCRIPTOR_SET_BIT;
  pool_info.maxSets = 4;
  pool_info.poolSizeCount = 1;
  pool_info.pPoolSizes = &size;
  vk::check(vkCreateDescriptorPool(ctx_->device(), &pool_info, nullptr, &imgui_pool_), "creating ImGui's descriptor pool");

  ImGui_ImplVulkan_InitInfo init{};
  init.Instance = ctx_->instance();
  init.PhysicalDevice = ctx_->physical_device();
  init.Device = ctx_->device();
  init.QueueFamily = ctx_->queue_family();
  init.Queue = ctx_->queue();
  init.DescriptorPool = imgui_pool_;
  init.MinImageCount = min_images_;
  init.ImageCount = wd_->ImageCount;
  init.MSAASamples = VK_SAMPLE_COUNT_1_BIT;
  init.CheckVkResultFn = check_imgui;
  ImGui_ImplVulkan_Init(&init, wd_->RenderPass);
  imgui_vulkan_ = true;
  ctx_->execute([](VkCommandBuffer cmd) { ImGui_ImplVulkan_CreateFontsTexture(cmd); });
  ImGui_ImplVulkan_DestroyFontUploadObjects();
}

void GuiWindow::close_device() {
  if (!ctx_) return;
  vkDeviceWaitIdle(ctx_->device());  // VK_ERROR_DEVICE_LOST here is expected after a loss
  if (imgui_vulkan_) ImGui_ImplVulkan_Shutdown();
  imgui_vulkan_ = false;
  wd_->Surface = VK_NULL_HANDLE;  // the context owns the surface; the helper would destroy it too
  ImGui_ImplVulkanH_DestroyWindow(ctx_->instance(), ctx_->device(), wd_.get(), nullptr);
  if (imgui_pool_) vkDestroyDescriptorPool(ctx_->device(), imgui_pool_, nullptr);
  imgui_pool_ = VK_NULL_HANDLE;
  ctx_.reset();  // the surface and device go before the window they were made for
}

void GuiWindow::reopen_device() {
  close_device();
  open_device();
}

GuiWindow::~GuiWindow() {
  close_device();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window_);
  glfwTerminate();
}

std::vector<std::filesystem::path> GuiWindow::take_dropped() { return std::exchange(g_dropped, {}); }

VkRenderPass GuiWindow::render_pass() const { return wd_->RenderPass; }

bool GuiWindow::should_close() const { return glfwWindowShouldClose(window_); }

void GuiWindow::rebuild_swapchain() {
  int w = 0, h = 0;
  glfwGetFramebufferSize(window_, &w, &h);
  if (w == 0 || h == 0) return;  // minimised
  ImGui_ImplVulkan_SetMinImageCount(min_images_);
  ImGui_ImplVulkanH_CreateOrResizeWindow(ctx_->instance(), ctx_->physical_device(), ctx_->device(), wd_.get(),
                                         ctx_->queue_family(), nullptr, w, h, min_images_);
  wd_->FrameIndex = 0;
  swapchain_stale_ = false;
}

void GuiWindow::render(VkCommandBuffer cmd, VkFramebuffer framebuffer, int width, int height) {
  VkRenderPassBeginInfo rp{VK_STRUCTURE_TYPE_RENDER_PASS_BEGIN_INFO};
  rp.renderPass = wd_->RenderPass;
  rp.framebuffer = framebuffer;
  rp.renderArea.extent = {static_cast<uint32_t>(width), static_cast<uint32_t>(height)};
  rp.clearValueCount = 1;
  rp.pClearValues = &wd_->ClearValue;
  vkCmdBeginRenderPass(cmd, &rp, VK_SUBPASS_CONTENTS_INLINE);
  g_recording = cmd;
  ImGui_ImplVulkan_RenderDrawData(ImGui::GetDrawData(), cmd);
  g_recording = VK_NULL_HANDLE;
  vkCmdEndRenderPass(cmd);
}

void GuiWindow::frame(const std::function<void()>& build, const std::filesystem::path& capture) {
  glfwPollEvents();
  if (swapchain_stale_) rebuild_swapchain();
  ImGui_ImplVulkan_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGui::NewFrame();
  try {
    build();
  } catch (...) {
    // Close what the UI left open, so the next frame (on a reopened device, say) starts clean.
    ImGui::ErrorCheckEndFrameRecover(nullptr);
    ImGui::EndFrame();
    throw;
  }
  ImGui::Render();
  const ImDrawData* draw = ImGui::GetDrawData();
  if (draw->DisplaySize.x <= 0 || draw->DisplaySize.y <= 0) return;

  VkSemaphore acquired = wd_->FrameSemaphores[wd_->SemaphoreIndex].ImageAcquiredSemaphore;
  VkSemaphore finished = wd_->FrameSemaphores[wd_->SemaphoreIndex].RenderCompleteSemaphore;
  // A lost device fails here first, before any semaphore is pending.
  VkResult r = vk::fault::submission([&] {
    return vkAcquireNextImageKHR(ctx_->device(), wd_->Swapchain, UINT64_MAX, acquired, VK_NULL_HANDLE, &wd_->FrameIndex);
  });
  if (r == VK_ERROR_OUT_OF_DATE_KHR || r == VK_SUBOPTIMAL_KHR) {
    swapchain_stale_ = true;
    if (r == VK_ERROR_OUT_OF_DATE_KHR) return;
  } else {
    vk::check(r, "acquiring a swapchain image");
  }
  ImGui_ImplVulkanH_Frame* fd = &wd_->Frames[wd_->FrameIndex];
  vk::check(vkWaitForFences(ctx_->device(), 1, &fd->Fence, VK_TRUE, UINT64_MAX), "waiting for a frame");
  vk::check(vkResetFences(ctx_->device(), 1, &fd->Fence), "resetting a fence");
  vk::check(vkResetCommandPool(ctx_->device(), fd->CommandPool, 0), "resetting a command pool");
  VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
  begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
  vk::check(vkBeginCommandBuffer(fd->CommandBuffer, &begin), "recording a frame");
  render(fd->CommandBuffer, fd->Framebuffer, wd_->Width, wd_->Height);
  vk::check(vkEndCommandBuffer(fd->CommandBuffer), "recording a frame");

  const VkPipelineStageFlags wait_stage = VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT;
  VkSubmitInfo submit{VK_STRUCTURE_TYPE_SUBMIT_INFO};
  submit.waitSemaphoreCount = 1;
  submit.pWaitSemaphores = &acquired;
  submit.pWaitDstStageMask = &wait_stage;
  submit.commandBufferCount = 1;
  submit.pCommandBuffers = &fd->CommandBuffer;
  submit.signalSemaphoreCount = 1;
  submit.pSignalSemaphores = &finished;
  vk::check(vkQueueSubmit(ctx_->queue(), 1, &submit, fd->Fence), "submitting a frame");

  VkPresentInfoKHR present{VK_STRUCTURE_TYPE_PRESENT_INFO_KHR};
  present.waitSemaphoreCount = 1;
  present.pWaitSemaphores = &finished;
  present.swapchainCount = 1;
  present.pSwapchains = &wd_->Swapchain;
  present.pImageIndices = &wd_->FrameIndex;
  r = vkQueuePresentKHR(ctx_->queue(), &present);
  if (r == VK_ERROR_OUT_OF_DATE_KHR || r == VK_SUBOPTIMAL_KHR) swapchain_stale_ = true;
  else vk::check(r, "presenting a frame");
  wd_->SemaphoreIndex = (wd_->SemaphoreIndex + 1) % wd_->ImageCount;

  if (!capture.empty()) capture_png(capture);
}

void GuiWindow::capture_png(const std::filesystem::path& path) {
  // The same draw data rendered again into an image of our own that can be copied out:
  // swapchain images need not allow that.
  vk::check(vkDeviceWaitIdle(ctx_->device()), "waiting for the device");
  const uint32_t w = static_cast<uint32_t>(wd_->Width), h = static_cast<uint32_t>(wd_->Height);
  const VkFormat format = wd_->SurfaceFormat.format;
  const GpuImage target(*ctx_, w, h, format, VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT);
  VkImageView view = target.view();
  VkFramebufferCreateInfo fb_info{VK_STRUCTURE_TYPE_FRAMEBUFFER_CREATE_INFO};
  fb_info.renderPass = wd_->RenderPass;
  fb_info.attachmentCount = 1;
  fb_info.pAttachments = &view;
  fb_info.width = w;
  fb_info.height = h;
  fb_info.layers = 1;
  VkFramebuffer raw;
  vk::check(vkCreateFramebuffer(ctx_->device(), &fb_info, nullptr, &raw), "creating the screenshot framebuffer");
  const vk::UniqueFramebuffer framebuffer(ctx_->device(), raw);
  const vk::Buffer pixels(*ctx_, VkDeviceSize{w} * h * 4, vk::MemoryUse::Staging);
  ctx_->execute([&](VkCommandBuffer cmd) {
    render(cmd, framebuffer.get(), static_cast<int>(w), static_cast<int>(h));
    // The render pass leaves the image ready to present; make it a copy source.
    transition(cmd, target.image(), VK_IMAGE_LAYOUT_PRESENT_SRC_KHR, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL,
               VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT, VK_ACCESS_TRANSFER_READ_BIT,
               VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT);
    VkBufferImageCopy region{};
    region.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
    region.imageExtent = {w, h, 1};
    vkCmdCopyImageToBuffer(cmd, target.image(), VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, pixels.get(), 1, &region);
    VkMemoryBarrier to_host{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
    to_host.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
    to_host.dstAccessMask = VK_ACCESS_HOST_READ_BIT;
    vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_HOST_BIT, 0, 1, &to_host, 0, nullptr, 0,
                         nullptr);
  });
  Rgb8Image png{static_cast<int>(w), static_cast<int>(h), std::vector<uint8_t>(size_t{w} * h * 3)};
  const auto* src = static_cast<const uint8_t*>(pixels.mapped());
  const bool bgr = format == VK_FORMAT_B8G8R8A8_UNORM;
  for (size_t i = 0; i < size_t{w} * h; ++i) {
    png.rgb[i * 3 + 0] = src[i * 4 + (bgr ? 2 : 0)];
    png.rgb[i * 3 + 1] = src[i * 4 + 1];
    png.rgb[i * 3 + 2] = src[i * 4 + (bgr ? 0 : 2)];
  }
  write_png(path, png);
}

}  // namespace convscope::gui
