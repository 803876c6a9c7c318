#pragma once
// The Vulkan instance, with the validation layer and a messenger that records what it says.
#include <vulkan/vulkan.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <utility>
#include <string>
#include <vector>

namespace convscope::vk {

// What the validation layer said. Tests fail on any entry; the CLI prints them.
class ValidationLog {
 public:
  void add(std::string message);
  std::vector<std::string> take();
  // Messages recorded by any instance of this process and never taken: a test runner's
  // last check, after every context is gone (leaks are reported at destruction).
  static size_t unexamined_total();

 private:
  std::mutex mutex_;
  std::vector<std::string> messages_;
  static std::atomic<size_t> unexamined_;
};

class Instance {
 public:
  // `extensions`: what a window system needs besides (e.g. VK_KHR_surface, VK_KHR_xlib_surface).
  explicit Instance(bool validation, const std::vector<std::string>& extensions = {});
  ~Instance();
  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;

  VkInstance get() const { return instance_; }
  bool validation() const { return messenger_ != VK_NULL_HANDLE; }
  ValidationLog& log() { return *log_; }

 private:
  VkInstance instance_ = VK_NULL_HANDLE;
  VkDebugUtilsMessengerEXT messenger_ = VK_NULL_HANDLE;
  std::unique_ptr<ValidationLog> log_ = std::make_unique<ValidationLog>();  // stable address for the callback
};

}  // namespace convscope::vk
