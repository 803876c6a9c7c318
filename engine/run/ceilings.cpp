#include "run/ceilings.h"

#include <vector>

#include "core/error.h"
#include "embedded_shaders.h"
#include "peak_fma_params.h"
#include "run/benchmark.h"
#include "vk/sequence.h"

namespace convscope {

static_assert(sizeof(gpu::PeakFmaParams) == shaders::peak_fma_push_bytes, "peak_fma_params.h and the SPIR-V disagree");

namespace {

// Enough invocations to fill every shader core of a large GPU several times over.
constexpr uint32_t kFmaInvocations = 1u << 20;
// The FMA loop is lengthened until one run takes this long, so that fixed costs are small
// beside the arithmetic: lavapipe spends ~14 ms on the 16384 workgroups however short
// their loop, and GPUs have launch overhead and timestamp resolution.
constexpr double kFmaTargetMs = 100;
constexpr uint32_t kFmaMaxIterations = 1u << 16;

void require_timestamps(const vk::Context& ctx) {
  if (!ctx.info().timestamps) throw Error(ctx.info().name + " cannot write GPU timestamps; nothing to time with");
}

double fma_run_ms(vk::Context& ctx, const vk::Buffer& out, uint32_t iterations) {
  gpu::PeakFmaParams p{};
  p.factor = 0.999f;
  p.addend = 0.001f;
  p.invocations = kFmaInvocations;
  p.iterations = iterations;
  vk::Sequence seq(ctx);
  seq.dispatch_elements(ctx.pipeline(shaders::peak_fma, vk::workgroup_width(64)), {&out}, p, kFmaInvocations, "peak FMA");
  seq.submit();
  return seq.timings().at(0).ms;
}

}  // namespace

double measure_copy_gbps(vk::Context& ctx, int warmup, int runs) {
  require_timestamps(ctx);
  const vk::Buffer src(ctx, kCopyCeilingBytes, vk::MemoryUse::Device), dst(ctx, kCopyCeilingBytes, vk::MemoryUse::Device);
  // Written once before timing: lavapipe's fresh memory is untouched host pages, which all
  // read from one shared zero page, straight from cache.
  ctx.execute([&](VkCommandBuffer cmd) {
    vkCmdFillBuffer(cmd, src.get(), 0, VK_WHOLE_SIZE, 0x3f800000u);
    vkCmdFillBuffer(cmd, dst.get(), 0, VK_WHOLE_SIZE, 0);
  });
  std::vector<double> ms;
  for (int i = 0; i < warmup + runs; ++i) {
    vk::Sequence seq(ctx);
    seq.timed_commands(
        [&](VkCommandBuffer cmd) {
          const VkBufferCopy region{0, 0, kCopyCeilingBytes};
          vkCmdCopyBuffer(cmd, src.get(), dst.get(), 1, &region);
        },
        "buffer copy");
    seq.submit();
    if (i >= warmup) ms.push_back(seq.timings().at(0).ms);
  }
  // Every byte is read once and written once: 2x the buffer size crosses the memory bus,
  // the same counting as the layers' GB/s.
  return 2.0 * static_cast<double>(kCopyCeilingBytes) / (summarize_runs(std::move(ms)).min_ms * 1e6);
}

double measure_fma_gflops(vk::Context& ctx, int warmup, int runs) {
  require_timestamps(ctx);
  const vk::Buffer out(ctx, kFmaInvocations * sizeof(float), vk::MemoryUse::Device);
  uint32_t iterations = 1;
  while (fma_run_ms(ctx, out, iterations) < kFmaTargetMs && iterations < kFmaMaxIterations) iterations *= 2;
  std::vector<double> ms;
  for (int i = 0; i < warmup + runs; ++i) {
    const double t = fma_run_ms(ctx, out, iterations);
    if (i >= warmup) ms.push_back(t);
  }
  const double flops = 2.0 * PEAK_FMA_PER_ITERATION * static_cast<double>(kFmaInvocations) * iterations;
  return flops / (summarize_runs(std::move(ms)).min_ms * 1e6);
}

Ceilings measure_ceilings(vk::Context& ctx, int warmup, int runs) {
  return {measure_copy_gbps(ctx, warmup, runs), measure_fma_gflops(ctx, warmup, runs)};
}

}  // namespace convscope
