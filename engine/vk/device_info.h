#pragma once
// What `convscope devices` shows and what device selection ranks: one physical device's
// identity and the limits that decide how big a tensor or a dispatch may be.
#include <vulkan/vulkan.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace convscope::vk {

struct DeviceInfo {
  uint32_t index = 0;
  std::string name;
  VkPhysicalDeviceType type = VK_PHYSICAL_DEVICE_TYPE_OTHER;
  uint32_t api_version = 0;
  std::string driver;  // driver name and info, e.g. "llvmpipe Mesa 22.3.6 (LLVM 15.0.6)"
  uint32_t subgroup_size = 0;
  bool subgroup_broadcast = false;  // compute shaders may use subgroupBroadcast (ballot ops)
  bool fp16_storage = false;        // storage buffers may hold 16-bit floats (storageBuffer16BitAccess)
  std::array<uint32_t, 3> max_workgroup_count{};
  std::array<uint32_t, 3> max_workgroup_size{};
  uint32_t max_workgroup_invocations = 0;
  uint32_t max_shared_memory = 0;
  uint64_t max_storage_buffer_range = 0;
  uint32_t max_push_constants = 0;
  uint64_t device_local_memory = 0;  // the largest device-local heap
  float timestamp_period_ns = 0;
  bool timestamps = false;  // the compute queue can write timestamps
  bool has_compute_queue = false;
  uint32_t compute_queue_family = 0;
};

std::string_view device_type_name(VkPhysicalDeviceType t);
std::string api_version_string(uint32_t v);

DeviceInfo query_device(VkPhysicalDevice pd, uint32_t index);

// Picks the device named by `selector` (an index or a case-insensitive name substring),
// or, when it is empty, the best kind: discrete > integrated > virtual > CPU.
// Throws UserError naming the devices seen when nothing matches.
uint32_t choose_device(const std::vector<DeviceInfo>& devices, std::string_view selector);

}  // namespace convscope::vk
