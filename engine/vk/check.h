#pragma once
#include <vulkan/vulkan.h>

#include <string>
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

// Runs `work`. A failure in it that is neither bad input (which names its layer already) nor
// a lost device (which the app handles as such) is thrown again with "<who>: " in front, so an
// allocation deep inside says which layer or tensor needed the memory.
template <typename Work>
decltype(auto) naming_failures(std::string_view who, Work&& work) {
  try {
    return work();
  } catch (const DeviceLost&) {
    throw;
  } catch (const UserError&) {
    throw;
  } catch (const Error& e) {
    throw Error(std::string(who) + ": " + e.what());
  }
}

// Throws convscope::Error "Vulkan: <what> failed: <name> (<meaning>)" unless r is VK_SUCCESS;
// DeviceLost for VK_ERROR_DEVICE_LOST.
void check(VkResult r, std::string_view what);

}  // namespace convscope::vk
