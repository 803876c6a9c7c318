#pragma once
// Move-only owners for Vulkan handles. Every vkDestroy*/vkFree* that takes
// (VkDevice, handle, allocator) fits DeviceHandle, so one template owns them all.
#include <vulkan/vulkan.h>

#include <utility>

namespace convscope::vk {

template <typename H, void (*Destroy)(VkDevice, H, const VkAllocationCallbacks*)>
class DeviceHandle {
 public:
  DeviceHandle() = default;
  DeviceHandle(VkDevice device, H handle) : device_(device), handle_(handle) {}
  DeviceHandle(DeviceHandle&& o) noexcept : device_(o.device_), handle_(std::exchange(o.handle_, VK_NULL_HANDLE)) {}
  DeviceHandle& operator=(DeviceHandle&& o) noexcept {
    if (this != &o) {
      reset();
      device_ = o.device_;
      handle_ = std::exchange(o.handle_, VK_NULL_HANDLE);
    }
    return *this;
  }
  DeviceHandle(const DeviceHandle&) = delete;
  DeviceHandle& operator=(const DeviceHandle&) = delete;
  ~DeviceHandle() { reset(); }

  void reset() {
    if (handle_ != VK_NULL_HANDLE) Destroy(device_, handle_, nullptr);
    handle_ = VK_NULL_HANDLE;
  }
  H get() const { return handle_; }
  explicit operator bool() const { return handle_ != VK_NULL_HANDLE; }

 private:
  VkDevice device_ = VK_NULL_HANDLE;
  H handle_ = VK_NULL_HANDLE;
};

// The logical device: waits for outstanding work before it goes, so nothing it owns is in use.
class UniqueDevice {
 public:
  UniqueDevice() = default;
  explicit UniqueDevice(VkDevice d) : device_(d) {}
  UniqueDevice(UniqueDevice&& o) noexcept : device_(std::exchange(o.device_, VK_NULL_HANDLE)) {}
  UniqueDevice& operator=(UniqueDevice&& o) noexcept {
    if (this != &o) {
      reset();
      device_ = std::exchange(o.device_, VK_NULL_HANDLE);
    }
    return *this;
  }
  ~UniqueDevice() { reset(); }
  void reset() {
    if (device_) {
      vkDeviceWaitIdle(device_);
      vkDestroyDevice(device_, nullptr);
    }
    device_ = VK_NULL_HANDLE;
  }
  VkDevice get() const { return device_; }

 private:
  VkDevice device_ = VK_NULL_HANDLE;
};

// A window surface: owned by the instance that made it, destroyed before it.
class UniqueSurface {
 public:
  UniqueSurface() = default;
  UniqueSurface(VkInstance instance, VkSurfaceKHR surface) : instance_(instance), surface_(surface) {}
  UniqueSurface(UniqueSurface&& o) noexcept : instance_(o.instance_), surface_(std::exchange(o.surface_, VK_NULL_HANDLE)) {}
  UniqueSurface& operator=(UniqueSurface&& o) noexcept {
    if (this != &o) {
      reset();
      instance_ = o.instance_;
      surface_ = std::exchange(o.surface_, VK_NULL_HANDLE);
    }
    return *this;
  }
  ~UniqueSurface() { reset(); }
  void reset() {
    if (surface_) vkDestroySurfaceKHR(instance_, surface_, nullptr);
    surface_ = VK_NULL_HANDLE;
  }
  VkSurfaceKHR get() const { return surface_; }

 private:
  VkInstance instance_ = VK_NULL_HANDLE;
  VkSurfaceKHR surface_ = VK_NULL_HANDLE;
};

using UniqueBuffer = DeviceHandle<VkBuffer, vkDestroyBuffer>;
using UniqueMemory = DeviceHandle<VkDeviceMemory, vkFreeMemory>;
using UniqueShaderModule = DeviceHandle<VkShaderModule, vkDestroyShaderModule>;
using UniqueDescriptorSetLayout = DeviceHandle<VkDescriptorSetLayout, vkDestroyDescriptorSetLayout>;
using UniquePipelineLayout = DeviceHandle<VkPipelineLayout, vkDestroyPipelineLayout>;
using UniquePipeline = DeviceHandle<VkPipeline, vkDestroyPipeline>;
using UniqueDescriptorPool = DeviceHandle<VkDescriptorPool, vkDestroyDescriptorPool>;
using UniqueCommandPool = DeviceHandle<VkCommandPool, vkDestroyCommandPool>;
using UniqueFence = DeviceHandle<VkFence, vkDestroyFence>;
using UniqueQueryPool = DeviceHandle<VkQueryPool, vkDestroyQueryPool>;
using UniqueImage = DeviceHandle<VkImage, vkDestroyImage>;
using UniqueImageView = DeviceHandle<VkImageView, vkDestroyImageView>;
using UniqueFramebuffer = DeviceHandle<VkFramebuffer, vkDestroyFramebuffer>;
using UniqueSampler = DeviceHandle<VkSampler, vkDestroySampler>;

}  // namespace convscope::vk
