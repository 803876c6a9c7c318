#pragma once
#include <memory>
// The GPU fixture of the test suite: one context per test process, validation always on.
#include <catch2/catch.hpp>

#include <string>

#include "vk/context.h"

namespace convscope::test {

vk::Context& gpu();
// Destroys the shared context (main does, before its last validation check).
void release_gpu();
// Options for a context of a test's own: validation on, plus what the test changes.
vk::ContextOptions gpu_options();
// A context of its own with 16-bit storage buffers (ContextOptions::fp16_storage); nullptr
// when the device has none, for the test to say so and skip.
std::unique_ptr<vk::Context> fp16_context();

// Fails the current test if the validation layer said anything since the last check.
void require_validation_clean(vk::Context& ctx);

}  // namespace convscope::test
