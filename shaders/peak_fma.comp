#version 450
// Not a layer: the device's peak rate of fused multiply-adds, the ceiling `convscope bench`
// reads convolution rates against. Each invocation runs independent vec4 fma chains and
// writes one float that depends on all of them, so the compiler can drop none of the work.
//
// Three chains: on lavapipe a vec4 is four 8-lane AVX registers, so three chains keep 12
// registers live, enough independent fmas to cover their latency without spilling. Measured
// there (2 cores), three chains reach ~100-140 GFLOP/s, two or eight ~80, four ~50. GPUs
// hide latency across the many invocations in flight, so few chains cost them nothing.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"
#include "peak_fma_params.h"

layout(std430, binding = 0) writeonly buffer Out { float dst[]; };

// One step: 3 chains x 4 lanes = 12 scalar fmas. The loop body holds 21 steps, unrolled by
// hand rather than trusting the optimiser: 252 fmas (PEAK_FMA_PER_ITERATION).
#define STEP a0 = fma(a0, m, b); a1 = fma(a1, m, b); a2 = fma(a2, m, b);
#define SEVEN_STEPS STEP STEP STEP STEP STEP STEP STEP

void main() {
  const uint i = linear_invocation();
  const vec4 m = vec4(p.factor), b = vec4(p.addend);
  // Seeds differ per invocation and per chain, so no two chains are provably equal.
  const vec4 s = vec4(float(i & 1023u) * 1e-3) + vec4(0.0, 0.1, 0.2, 0.3);
  vec4 a0 = s, a1 = s + 1.0, a2 = s + 2.0;
  for (uint k = 0u; k < p.iterations; ++k) {
    SEVEN_STEPS SEVEN_STEPS SEVEN_STEPS
  }
  if (i < p.invocations) dst[i] = dot(a0 + a1 + a2, vec4(1.0));
}
