#include "gpu.h"

#include <memory>

namespace convscope::test {

namespace {
std::unique_ptr<vk::Context> shared;
}

vk::ContextOptions gpu_options() {
  vk::ContextOptions o = vk::ContextOptions::from_environment();
  o.validation = true;  // always: a test that provokes a validation message fails
  return o;
}

vk::Context& gpu() {
  if (!shared) shared = std::make_unique<vk::Context>(gpu_options());
  return *shared;
}

void release_gpu() { shared.reset(); }

void require_validation_clean(vk::Context& ctx) {
  const auto messages = ctx.validation_log().take();
  std::string all;
  for (const auto& m : messages) all += m + "\n";
  INFO("validation layer: " << all);
  REQUIRE(messages.empty());
}

std::unique_ptr<vk::Context> fp16_context() {
  if (!gpu().info().fp16_storage) return nullptr;
  vk::ContextOptions o = gpu_options();
  o.fp16_storage = true;
  return std::make_unique<vk::Context>(o);
}

}  // namespace convscope::test
