#pragma once
// One Vulkan device ready for compute: instance (with optional validation), the chosen
// physical device, a logical device with one compute queue, a command pool and the
// pipeline cache. Headless: no window or surface is involved.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "vk/device_info.h"
#include "vk/handle.h"
#include "vk/instance.h"
#include "vk/pipeline.h"

namespace convscope::vk {

struct ContextOptions {
  bool validation = false;
  std::string device_selector;  // index or name substring; empty picks the best device
  // Presentation (the desktop app): extra instance and device extensions, and a function
  // making the window's surface once the instance exists. With it, the chosen device and
  // queue family must present to that surface and also do graphics.
  std::vector<std::string> instance_extensions, device_extensions;
  std::function<VkSurfaceKHR(VkInstance)> make_surface;

  // Tests only: pretend the device allows at most this many workgroups per grid dimension,
  // so dispatch folding is exercised on small tensors. 0 keeps the device's own limit.
  uint32_t max_workgroup_count_override = 0;
  // Bake fixed layer geometry (kernel size, strides, dilation) into pipelines as
  // specialization constants: faster kernels, one pipeline build per geometry. Interactive
  // front ends that change geometry every frame turn it off and pass it as push constants.
  bool specialize_geometry = true;
  // Keep tensors on the device as 16-bit floats (arithmetic stays 32-bit): half the memory
  // and traffic, about 3 decimal digits. Off by default; the device must support
  // storageBuffer16BitAccess (UserError otherwise). Layers that need float32 refuse it.
  bool fp16_storage = false;
  // Tests only: move data through staging buffers even where device memory is mappable.
  bool force_staging = false;

  // CONVSCOPE_VALIDATION=1 switches validation on, CONVSCOPE_DEVICE selects the device.
  static ContextOptions from_environment();
};

// Lists every physical device the loader sees (creates a short-lived instance).
std::vector<DeviceInfo> list_devices(bool validation = false);

class Context {
 public:
  explicit Context(const ContextOptions& options = ContextOptions::from_environment());
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  VkInstance instance() const { return instance_.get(); }
  VkDevice device() const { return device_.get(); }
  VkPhysicalDevice physical_device() const { return physical_; }
  VkQueue queue() const { return queue_; }
  uint32_t queue_family() const { return info_.compute_queue_family; }
  VkSurfaceKHR surface() const { return surface_.get(); }
  VkCommandPool command_pool() const { return command_pool_.get(); }
  const DeviceInfo& info() const { return info_; }
  const ContextOptions& options() const { return options_; }
  std::array<uint32_t, 3> max_workgroup_count() const;
  ValidationLog& validation_log() { return instance_.log(); }

  const ComputePipeline& pipeline(const ShaderCode& shader, const SpecConstants& spec_constants) {
    return pipelines_->get(shader, spec_constants);
  }
  size_t pipeline_count() const { return pipelines_->size(); }

  // A memory type with all `required` flags, preferring one that also has `preferred`.
  uint32_t memory_type(uint32_t allowed_bits, VkMemoryPropertyFlags required, VkMemoryPropertyFlags preferred) const;

  // Records commands with `record` into a fresh command buffer, submits it and waits.
  void execute(const std::function<void(VkCommandBuffer)>& record) const;
  // Submits one recorded command buffer and blocks until the device has finished it.
  void submit_and_wait(VkCommandBuffer cmd) const;

 private:
  ContextOptions options_;
  Instance instance_;
  UniqueSurface surface_;  // after the instance: destroyed before it
  VkPhysicalDevice physical_ = VK_NULL_HANDLE;
  DeviceInfo info_;
  VkPhysicalDeviceMemoryProperties memory_{};
  UniqueDevice device_;  // declared after the instance and before what it owns: destruction order
  VkQueue queue_ = VK_NULL_HANDLE;
  UniqueCommandPool command_pool_;
  std::unique_ptr<PipelineCache> pipelines_;
};

}  // namespace convscope::vk
