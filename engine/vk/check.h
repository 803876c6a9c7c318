#pragma once
#include <vulkan/vulkan.h>

#include <string_view>

namespace convscope::vk {

// "VK_ERROR_OUT_OF_DEVICE_MEMORY (the GPU ran out of memory)": the name plus what it means.
std::string_view result_name(VkResult r);
std::string_view result_meaning(VkResult r);

// Throws convscope::Error "Vulkan: <what> failed: <name> (<meaning>)" unless r is VK_SUCCESS.
void check(VkResult r, std::string_view what);

}  // namespace convscope::vk
