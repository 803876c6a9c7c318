#include "vk/device_info.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "core/error.h"

namespace convscope::vk {

std::string_view device_type_name(VkPhysicalDeviceType t) {
  switch (t) {
    case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU: return "discrete GPU";
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: return "integrated GPU";
    case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU: return "virtual GPU";
    case VK_PHYSICAL_DEVICE_TYPE_CPU: return "CPU";
    default: return "other";
  }
}

std::string api_version_string(uint32_t v) {
  return fmt::format("{}.{}.{}", VK_API_VERSION_MAJOR(v), VK_API_VERSION_MINOR(v), VK_API_VERSION_PATCH(v));
}

DeviceInfo query_device(VkPhysicalDevice pd, uint32_t index) {
  VkPhysicalDeviceSubgroupProperties subgroup{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_PROPERTIES};
  VkPhysicalDeviceDriverProperties driver{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_DRIVER_PROPERTIES};
  subgroup.pNext = &driver;
  VkPhysicalDeviceProperties2 props{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2};
  props.pNext = &subgroup;
  vkGetPhysicalDeviceProperties2(pd, &props);
  const VkPhysicalDeviceLimits& lim = props.properties.limits;

  DeviceInfo d;
  d.index = index;
  d.name = props.properties.deviceName;
  d.type = props.properties.deviceType;
  d.api_version = props.properties.apiVersion;
  d.driver = fmt::format("{} {}", driver.driverName, driver.driverInfo);
  d.subgroup_size = subgroup.subgroupSize;
  d.subgroup_broadcast = (subgroup.supportedStages & VK_SHADER_STAGE_COMPUTE_BIT) &&
                         (subgroup.supportedOperations & VK_SUBGROUP_FEATURE_BALLOT_BIT);
  std::copy_n(lim.maxComputeWorkGroupCount, 3, d.max_workgroup_count.begin());
  std::copy_n(lim.maxComputeWorkGroupSize, 3, d.max_workgroup_size.begin());
  d.max_workgroup_invocations = lim.maxComputeWorkGroupInvocations;
  d.max_shared_memory = lim.maxComputeSharedMemorySize;
  d.max_storage_buffer_range = lim.maxStorageBufferRange;
  d.max_push_constants = lim.maxPushConstantsSize;
  d.timestamp_period_ns = lim.timestampPeriod;

  VkPhysicalDevice16BitStorageFeatures storage16{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_16BIT_STORAGE_FEATURES};
  VkPhysicalDeviceFeatures2 features{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2};
  features.pNext = &storage16;
  vkGetPhysicalDeviceFeatures2(pd, &features);
  d.fp16_storage = storage16.storageBuffer16BitAccess == VK_TRUE;

  VkPhysicalDeviceMemoryProperties mem;
  vkGetPhysicalDeviceMemoryProperties(pd, &mem);
  for (uint32_t i = 0; i < mem.memoryHeapCount; ++i)
    if (mem.memoryHeaps[i].flags & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT)
      d.device_local_memory = std::max<uint64_t>(d.device_local_memory, mem.memoryHeaps[i].size);

  uint32_t n = 0;
  vkGetPhysicalDeviceQueueFamilyProperties(pd, &n, nullptr);
  std::vector<VkQueueFamilyProperties> families(n);
  vkGetPhysicalDeviceQueueFamilyProperties(pd, &n, families.data());
  for (uint32_t i = 0; i < n; ++i) {
    if (!(families[i].queueFlags & VK_QUEUE_COMPUTE_BIT)) continue;
    // Prefer a family that can also write timestamps, so every dispatch can be timed.
    const bool stamps = families[i].timestampValidBits > 0;
    if (!d.has_compute_queue || (stamps && !d.timestamps)) {
      d.has_compute_queue = true;
      d.compute_queue_family = i;
      d.timestamps = stamps;
    }
  }
  return d;
}

namespace {

int rank(VkPhysicalDeviceType t) {
  switch (t) {
    case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU: return 4;
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: return 3;
    case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU: return 2;
    case VK_PHYSICAL_DEVICE_TYPE_CPU: return 1;
    default: return 0;
  }
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string device_list(const std::vector<DeviceInfo>& devices) {
  std::string s;
  for (const auto& d : devices) s += fmt::format("{}{}: {}", s.empty() ? "" : ", ", d.index, d.name);
  return s.empty() ? "none" : s;
}

}  // namespace

uint32_t choose_device(const std::vector<DeviceInfo>& devices, std::string_view selector) {
  std::vector<const DeviceInfo*> usable;
  for (const auto& d : devices)
    if (d.has_compute_queue && d.api_version >= VK_API_VERSION_1_1) usable.push_back(&d);
  if (usable.empty())
    throw Error(fmt::format("Vulkan: no device with a compute queue and Vulkan 1.1 (seen: {}); "
                            "install mesa-vulkan-drivers for the CPU driver lavapipe",
                            device_list(devices)));
  if (selector.empty()) {
    return (*std::max_element(usable.begin(), usable.end(), [](auto* a, auto* b) {
             return rank(a->type) < rank(b->type);  // ties keep the lowest index
           }))->index;
  }
  uint32_t wanted = 0;
  auto [end, ec] = std::from_chars(selector.data(), selector.data() + selector.size(), wanted);
  const bool numeric = ec == std::errc() && end == selector.data() + selector.size();
  for (const DeviceInfo* d : usable)
    if (numeric ? d->index == wanted : lower(d->name).find(lower(selector)) != std::string::npos) return d->index;
  throw UserError(fmt::format("CONVSCOPE_DEVICE: '{}' matches no usable device (seen: {})", selector,
                              device_list(devices)));
}

}  // namespace convscope::vk
