#include "vk/context.h"

#include <fmt/format.h>

#include <cstdlib>
#include <cstring>

#include "core/error.h"
#include "vk/check.h"
#include "vk/fault.h"

namespace convscope::vk {

namespace {

bool env_flag(const char* name) {
  const char* v = std::getenv(name);
  return v && (!std::strcmp(v, "1") || !std::strcmp(v, "true") || !std::strcmp(v, "on") || !std::strcmp(v, "yes"));
}

std::vector<VkPhysicalDevice> physical_devices(VkInstance instance) {
  uint32_t n = 0;
  check(vkEnumeratePhysicalDevices(instance, &n, nullptr), "listing devices");
  std::vector<VkPhysicalDevice> devices(n);
  check(vkEnumeratePhysicalDevices(instance, &n, devices.data()), "listing devices");
  return devices;
}

std::vector<DeviceInfo> describe(const std::vector<VkPhysicalDevice>& devices) {
  std::vector<DeviceInfo> infos;
  for (uint32_t i = 0; i < devices.size(); ++i) infos.push_back(query_device(devices[i], i));
  return infos;
}

// For the desktop app: one queue family must compute, draw and present to the window, so a
// device's compute family is replaced by such a family, and devices without one are dropped.
void restrict_to_presenting(const std::vector<VkPhysicalDevice>& devices, std::vector<DeviceInfo>& infos,
                            VkSurfaceKHR surface) {
  for (size_t d = 0; d < devices.size(); ++d) {
    uint32_t n = 0;
    vkGetPhysicalDeviceQueueFamilyProperties(devices[d], &n, nullptr);
    std::vector<VkQueueFamilyProperties> families(n);
    vkGetPhysicalDeviceQueueFamilyProperties(devices[d], &n, families.data());
    infos[d].has_compute_queue = false;
    for (uint32_t f = 0; f < n; ++f) {
      VkBool32 present = VK_FALSE;
      vkGetPhysicalDeviceSurfaceSupportKHR(devices[d], f, surface, &present);
      const VkQueueFlags need = VK_QUEUE_GRAPHICS_BIT | VK_QUEUE_COMPUTE_BIT;
      if (present && (families[f].queueFlags & need) == need) {
        infos[d].has_compute_queue = true;
        infos[d].compute_queue_family = f;
        infos[d].timestamps = families[f].timestampValidBits > 0;
        break;
      }
    }
  }
}

}  // namespace

ContextOptions ContextOptions::from_environment() {
  ContextOptions o;
  o.validation = env_flag("CONVSCOPE_VALIDATION");
  if (const char* d = std::getenv("CONVSCOPE_DEVICE")) o.device_selector = d;
  return o;
}

std::vector<DeviceInfo> list_devices(bool validation) {
  Instance instance(validation);
  return describe(physical_devices(instance.get()));
}

Context::Context(const ContextOptions& options)
    : options_(options), instance_(options.validation, options.instance_extensions) {
  fault::arm_from_environment();
  if (options.make_surface) surface_ = UniqueSurface(instance_.get(), options.make_surface(instance_.get()));
  const auto devices = physical_devices(instance_.get());
  auto infos = describe(devices);
  if (surface_.get()) restrict_to_presenting(devices, infos, surface_.get());
  const uint32_t chosen = choose_device(infos, options.device_selector);
  physical_ = devices[chosen];
  info_ = infos[chosen];
  vkGetPhysicalDeviceMemoryProperties(physical_, &memory_);

  const float priority = 1.0f;
  VkDeviceQueueCreateInfo queue_info{VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO};
  queue_info.queueFamilyIndex = info_.compute_queue_family;
  queue_info.queueCount = 1;
  queue_info.pQueuePriorities = &priority;
  std::vector<const char*> extensions;
  for (const auto& e : options.device_extensions) extensions.push_back(e.c_str());
  if (options.fp16_storage && !info_.fp16_storage)
    throw UserError(fmt::format("--fp16: {} cannot keep 16-bit floats in storage buffers (storageBuffer16BitAccess)",
                                info_.name));
  VkPhysicalDevice16BitStorageFeatures storage16{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_16BIT_STORAGE_FEATURES};
  storage16.storageBuffer16BitAccess = options.fp16_storage ? VK_TRUE : VK_FALSE;
  VkDeviceCreateInfo device_info{VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO};
  device_info.pNext = &storage16;
  device_info.queueCreateInfoCount = 1;
  device_info.pQueueCreateInfos = &queue_info;
  device_info.enabledExtensionCount = static_cast<uint32_t>(extensions.size());
  device_info.ppEnabledExtensionNames = extensions.data();
  VkDevice device;
  check(vkCreateDevice(physical_, &device_info, nullptr, &device), "opening device " + info_.name);
  device_ = UniqueDevice(device);
  fault::device_opened();
  vkGetDeviceQueue(device, info_.compute_queue_family, 0, &queue_);

  VkCommandPoolCreateInfo pool_info{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
  pool_info.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
  pool_info.queueFamilyIndex = info_.compute_queue_family;
  VkCommandPool pool;
  check(vkCreateCommandPool(device, &pool_info, nullptr, &pool), "creating a command pool");
  command_pool_ = UniqueCommandPool(device, pool);
  pipelines_ = std::make_unique<PipelineCache>(device);
}

std::array<uint32_t, 3> Context::max_workgroup_count() const {
  auto m = info_.max_workgroup_count;
  if (options_.max_workgroup_count_override)
    for (auto& v : m) v = std::min(v, options_.max_workgroup_count_override);
  return m;
}

uint32_t Context::memory_type(uint32_t allowed, VkMemoryPropertyFlags required, VkMemoryPropertyFlags preferred) const {
  std::optional<uint32_t> fallback;
  for (uint32_t i = 0; i < memory_.memoryTypeCount; ++i) {
    if (!(allowed & (1u << i))) continue;
    const VkMemoryPropertyFlags f = memory_.memoryTypes[i].propertyFlags;
    if ((f & required) != required) continue;
    if ((f & preferred) == preferred) return i;
    if (!fallback) fallback = i;
  }
  if (!fallback) throw Error(fmt::format("Vulkan: {} has no suitable memory type for a buffer", info_.name));
  return *fallback;
}

namespace {

// A command buffer returned to its pool when the work that used it is done.
struct PooledCommandBuffer {
  VkDevice device;
  VkCommandPool pool;
  VkCommandBuffer cmd = VK_NULL_HANDLE;
  ~PooledCommandBuffer() {
    if (cmd) vkFreeCommandBuffers(device, pool, 1, &cmd);
  }
};

}  // namespace

void Context::execute(const std::function<void(VkCommandBuffer)>& record) const {
  PooledCommandBuffer buffer{device(), command_pool_.get()};
  VkCommandBufferAllocateInfo alloc{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
  alloc.commandPool = command_pool_.get();
  alloc.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
  alloc.commandBufferCount = 1;
  check(vkAllocateCommandBuffers(device(), &alloc, &buffer.cmd), "allocating a command buffer");

  VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
  begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
  check(vkBeginCommandBuffer(buffer.cmd, &begin), "recording commands");
  record(buffer.cmd);
  check(vkEndCommandBuffer(buffer.cmd), "recording commands");
  submit_and_wait(buffer.cmd);
}

void Context::submit_and_wait(VkCommandBuffer cmd) const {
  VkFenceCreateInfo fence_info{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
  VkFence raw;
  check(vkCreateFence(device(), &fence_info, nullptr, &raw), "creating a fence");
  UniqueFence fence(device(), raw);
  VkSubmitInfo submit{VK_STRUCTURE_TYPE_SUBMIT_INFO};
  submit.commandBufferCount = 1;
  submit.pCommandBuffers = &cmd;
  check(fault::submission([&] { return vkQueueSubmit(queue_, 1, &submit, raw); }), "submitting work");
  check(vkWaitForFences(device(), 1, &raw, VK_TRUE, UINT64_MAX), "waiting for the device");
}

}  // namespace convscope::vk
