#pragma once
#include <vulkan/vulkan.h>

#include <string_view>

#include "core/error.h"

namespace convscope::vk {

// The device stopped responding (VK_ERROR_DEVICE_LOST). Everything made on it is unusable;
// a front end that wants to carry on opens a new device (the desktop app does).
class DeviceLost : public Error {
 public:
  using Error::Error;
};

// "VK_ERROR_OUT_OF_DEVICE_MEMORY (the GPU ran out of memory)": the name plus what it means.
std::string_view result_name(VkResult r);
std::string_view result_meaning(VkResult r);

// Throws convscope::Error "Vulkan: <what> failed: <name> (<meaning>)" unless r is VK_SUCCESS;
// DeviceLost for VK_ERROR_DEVICE_LOST.
void check(VkResult r, std::string_view what);

}  // namespace convscope::vk
