// Test runner: Catch2's session, then one last check that the Vulkan validation layer said
// nothing that no test examined, including at device destruction (leaked objects).
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdio>

#include "gpu.h"
#include "vk/instance.h"

int main(int argc, char** argv) {
  int failed = Catch::Session().run(argc, argv);
  convscope::test::release_gpu();
  if (const size_t n = convscope::vk::ValidationLog::unexamined_total()) {
    std::fprintf(stderr, "FAILED: the Vulkan validation layer reported %zu message(s) no test examined\n", n);
    failed = failed ? failed : 1;
  }
  return failed;
}
