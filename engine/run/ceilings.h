#pragma once
// What the device in use can do at best, measured in the same run as the layers it is read
// against: how fast it moves memory and how fast it multiplies and adds. A layer's GB/s or
// GFLOP/s alone says little across devices; as a fraction of these it says how far it is
// from the hardware.
#include "vk/context.h"

namespace convscope {

// The copy ceiling's buffer: large enough to stream through memory rather than caches (it
// beats the last-level cache of the CPUs lavapipe runs on and the L2 of current GPUs).
inline constexpr VkDeviceSize kCopyCeilingBytes = 64ull << 20;

struct Ceilings {
  double copy_gbps = 0;   // one large vkCmdCopyBuffer: bytes read plus bytes written, 1e9 per second
  double fma_gflops = 0;  // a shader of independent fma chains: 2 flops per scalar fma, 1e9 per second
};

// Each is the fastest of `runs` submissions timed with GPU timestamps after `warmup` untimed
// ones: a ceiling is what the device can reach, and on a shared machine (lavapipe's CPU
// cores) slower runs mostly measure the neighbours. Throws Error without timestamps.
double measure_copy_gbps(vk::Context& ctx, int warmup, int runs);
double measure_fma_gflops(vk::Context& ctx, int warmup, int runs);
Ceilings measure_ceilings(vk::Context& ctx, int warmup, int runs);

}  // namespace convscope
