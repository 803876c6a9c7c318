#pragma once
// Fault injection: makes a Vulkan call report a failure a driver may report, so the paths
// that handle running out of device memory and losing the device are exercised on any
// device, lavapipe included. Off unless armed by a test or by CONVSCOPE_FAULT.
#include <vulkan/vulkan.h>

#include <string_view>

namespace convscope::vk::fault {

enum class Kind {
  OutOfDeviceMemory,  // one allocation of device memory fails
  DeviceLost,         // a submission fails, and every later one, until a new device is opened
};

// Arms `kind`: after `after` more allocations (or submissions) succeed, the next one fails.
void arm(Kind kind, unsigned after = 0);
// CONVSCOPE_FAULT=oom[@N] | device-lost[@N], N successful calls first. Read once, when the
// first device is opened. UserError for anything else.
void arm_from_environment();
// Parses the value of CONVSCOPE_FAULT or of the app's script verb.
void arm_from_text(std::string_view text, std::string_view what);

// A new logical device: one that was "lost" is not lost on the next.
void device_opened();
// Nothing armed and nothing lost: tests call it when done, so later tests see a working device.
void disarm();

// What the templates ask; not for use elsewhere.
bool fail_allocation();
bool fail_submission();

// At the call sites: the injected failure, or what the real call returns.
template <typename Call>
VkResult allocation(Call&& call) {
  return fail_allocation() ? VK_ERROR_OUT_OF_DEVICE_MEMORY : call();
}
template <typename Call>
VkResult submission(Call&& call) {
  return fail_submission() ? VK_ERROR_DEVICE_LOST : call();
}

}  // namespace convscope::vk::fault
