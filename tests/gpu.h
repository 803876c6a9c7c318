#pragma once
// The GPU fixture of the test suite: one context per test process, validation always on.
#include <catch2/catch.hpp>

#include <string>

#include "vk/context.h"

namespace convscope::test {

vk::Context& gpu();
// A fresh context with extra options (staging forced, tiny workgroup-count limit...).
vk::ContextOptions gpu_options();

// Fails the current test if the validation layer said anything since the last check.
void require_validation_clean(vk::Context& ctx);

}  // namespace convscope::test
