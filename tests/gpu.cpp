#include "gpu.h"

namespace convscope::test {

vk::ContextOptions gpu_options() {
  vk::ContextOptions o = vk::ContextOptions::from_environment();
  o.validation = true;  // always: a test that provokes a validation message fails
  return o;
}

vk::Context& gpu() {
  static vk::Context ctx(gpu_options());
  return ctx;
}

void require_validation_clean(vk::Context& ctx) {
  const auto messages = ctx.validation_log().take();
  std::string all;
  for (const auto& m : messages) all += m + "\n";
  INFO("validation layer: " << all);
  REQUIRE(messages.empty());
}

}  // namespace convscope::test
