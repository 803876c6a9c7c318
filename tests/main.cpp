// Test runner: Catch2's session, then one last check that the Vulkan validation layer said
// nothing anywhere in the run (tests also check after their own GPU work, to blame the cause).
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdio>

#include "vk/instance.h"

int main(int argc, char** argv) {
  int failed = Catch::Session().run(argc, argv);
  if (convscope::vk::ValidationLog::process_total() > 0) {
    std::fprintf(stderr, "the Vulkan validation layer reported %zu message(s) during this run\n",
                 convscope::vk::ValidationLog::process_total());
    failed = failed ? failed : 1;
  }
  return failed;
}
