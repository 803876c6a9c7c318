#include "vk/check.h"

#include <fmt/format.h>


namespace convscope::vk {

std::string_view result_name(VkResult r) {
  switch (r) {
#define CS_RESULT(x) \
  case x:            \
    return #x;
    CS_RESULT(VK_SUCCESS)
    CS_RESULT(VK_NOT_READY)
    CS_RESULT(VK_TIMEOUT)
    CS_RESULT(VK_INCOMPLETE)
    CS_RESULT(VK_ERROR_OUT_OF_HOST_MEMORY)
    CS_RESULT(VK_ERROR_OUT_OF_DEVICE_MEMORY)
    CS_RESULT(VK_ERROR_INITIALIZATION_FAILED)
    CS_RESULT(VK_ERROR_DEVICE_LOST)
    CS_RESULT(VK_ERROR_MEMORY_MAP_FAILED)
    CS_RESULT(VK_ERROR_LAYER_NOT_PRESENT)
    CS_RESULT(VK_ERROR_EXTENSION_NOT_PRESENT)
    CS_RESULT(VK_ERROR_FEATURE_NOT_PRESENT)
    CS_RESULT(VK_ERROR_INCOMPATIBLE_DRIVER)
    CS_RESULT(VK_ERROR_TOO_MANY_OBJECTS)
    CS_RESULT(VK_ERROR_FORMAT_NOT_SUPPORTED)
    CS_RESULT(VK_ERROR_FRAGMENTED_POOL)
    CS_RESULT(VK_ERROR_OUT_OF_POOL_MEMORY)
    CS_RESULT(VK_ERROR_SURFACE_LOST_KHR)
    CS_RESULT(VK_ERROR_OUT_OF_DATE_KHR)
    CS_RESULT(VK_SUBOPTIMAL_KHR)
#undef CS_RESULT
    default:
      return "VK_ERROR_UNKNOWN";
  }
}

std::string_view result_meaning(VkResult r) {
  switch (r) {
    case VK_ERROR_OUT_OF_HOST_MEMORY: return "the computer ran out of memory";
    case VK_ERROR_OUT_OF_DEVICE_MEMORY: return "the GPU ran out of memory; try a smaller input or fewer channels";
    case VK_ERROR_DEVICE_LOST: return "the GPU stopped responding: a driver reset or crash";
    case VK_ERROR_INCOMPATIBLE_DRIVER: return "no Vulkan driver is installed; install mesa-vulkan-drivers for the CPU driver";
    case VK_ERROR_LAYER_NOT_PRESENT: return "the validation layer is missing; install vulkan-validationlayers";
    case VK_ERROR_INITIALIZATION_FAILED: return "the driver could not start";
    default: return "unexpected driver error";
  }
}

void check(VkResult r, std::string_view what) {
  if (r == VK_SUCCESS) return;
  std::string message = fmt::format("Vulkan: {} failed: {} ({})", what, result_name(r), result_meaning(r));
  if (r == VK_ERROR_DEVICE_LOST) throw DeviceLost(message);
  throw Error(message);
}

}  // namespace convscope::vk
