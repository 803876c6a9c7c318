#include "vk/fault.h"

#include <fmt/format.h>

#include <charconv>
#include <cstdlib>
#include <mutex>
#include <optional>

#include "core/error.h"

namespace convscope::vk::fault {

namespace {

struct Armed {
  Kind kind;
  unsigned after;
};

std::mutex g_mutex;
std::optional<Armed> g_armed;
bool g_lost = false;  // sticky, as on a real device: every submission fails once it is lost

// Counts the call down when `kind` is armed; true when this call is the one to fail.
bool take(Kind kind) {
  if (!g_armed || g_armed->kind != kind) return false;
  if (g_armed->after > 0) {
    --g_armed->after;
    return false;
  }
  g_armed.reset();
  return true;
}

}  // namespace

void arm(Kind kind, unsigned after) {
  std::lock_guard lock(g_mutex);
  g_armed = Armed{kind, after};
}

void arm_from_text(std::string_view text, std::string_view what) {
  const size_t at = text.find('@');
  const std::string_view name = text.substr(0, at);
  unsigned after = 0;
  if (at != std::string_view::npos) {
    const std::string_view n = text.substr(at + 1);
    const auto [end, ec] = std::from_chars(n.data(), n.data() + n.size(), after);
    if (ec != std::errc() || end != n.data() + n.size() || n.empty())
      throw UserError(fmt::format("{}: '{}' is not a count of calls to let through", what, n));
  }
  if (name == "oom") arm(Kind::OutOfDeviceMemory, after);
  else if (name == "device-lost") arm(Kind::DeviceLost, after);
  else throw UserError(fmt::format("{}: unknown fault '{}'; known are oom[@N] and device-lost[@N]", what, name));
}

void arm_from_environment() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (const char* v = std::getenv("CONVSCOPE_FAULT"); v && *v) arm_from_text(v, "CONVSCOPE_FAULT");
  });
}

void device_opened() {
  std::lock_guard lock(g_mutex);
  g_lost = false;
}

void disarm() {
  std::lock_guard lock(g_mutex);
  g_armed.reset();
  g_lost = false;
}

bool fail_allocation() {
  std::lock_guard lock(g_mutex);
  return take(Kind::OutOfDeviceMemory);
}

bool fail_submission() {
  std::lock_guard lock(g_mutex);
  if (take(Kind::DeviceLost)) g_lost = true;
  return g_lost;
}

}  // namespace convscope::vk::fault
